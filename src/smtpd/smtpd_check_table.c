/*
 * smtpd_check_table - the restriction name table of smtpd(8)
 *
 * SYNOPSIS
 *	#include "smtpd_check.h"
 *
 *	const SMTPD_RESTRICTION *smtpd_check_find(const char *name);
 *
 * DESCRIPTION
 *	Each restriction module exports a table of the restrictions it
 *	implements (smtpd_check.h). smtpd_check_find() searches them in
 *	a fixed order (generic and access restrictions, address and
 *	recipient restrictions, DNS-based restrictions, policy
 *	delegation) and returns the first entry with that name (case
 *	matters, as in Postfix), or NULL for an unknown name.
 *
 *	Names are not unique across tables by construction; a name
 *	listed twice resolves to the first table that has it.
 */
#include "sys_defs.h"

#include <string.h>

#include "smtpd_check.h"

/* The module tables, in search order. */
static const SMTPD_RESTRICTION *const smtpd_check_tables[] = {
    smtpd_check_access_table,
    smtpd_check_addr_table,
    smtpd_check_dns_table,
    smtpd_policy_table,
};

/* smtpd_check_find - look a restriction name up */
const SMTPD_RESTRICTION *smtpd_check_find(const char *name)
{
    const SMTPD_RESTRICTION *entry;
    size_t  n;

    for (n = 0; n < sizeof(smtpd_check_tables) / sizeof(smtpd_check_tables[0]); n++)
	for (entry = smtpd_check_tables[n]; entry->name != NULL; entry++)
	    if (strcmp(entry->name, name) == 0)
		return entry;
    return NULL;
}
