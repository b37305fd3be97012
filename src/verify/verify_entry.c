/*
 * verify_entry - one address verification cache entry and its rules
 *
 * SYNOPSIS
 *	See verify_entry.h.
 *
 * DESCRIPTION
 *	Pure functions: no I/O, the time is the caller's, so that unit
 *	tests and the fuzz target drive them directly.
 *
 *	What it does not do: decide how entries are stored or looked up
 *	(verify_cache.c), or send probes (verify_probe.c).
 *
 * DIAGNOSTICS
 *	None; verify_entry_parse() explains a malformed value in why.
 */
#include "sys_defs.h"

#include <limits.h>
#include <string.h>

#include "vstring.h"
#include "verify_clnt.h"
#include "verify_entry.h"

#define VERIFY_ENTRY_DIGITS	18	/* digits in a time stamp, at most */

/* verify_entry_format - the stored form of an entry */
void    verify_entry_format(VSTRING *buf, const VERIFY_ENTRY *entry)
{
    const char *text = entry->text ? entry->text : "";
    size_t  len = strcspn(text, "\n");

    if (len > VERIFY_TEXT_LIMIT)
	len = VERIFY_TEXT_LIMIT;
    vstring_sprintf(buf, "%d:%ld:%ld:", entry->status, entry->probed,
		    entry->updated);
    vstring_strncat(buf, text, len);
}

/* verify_entry_number - a bounded decimal number and its ':'; NULL if bad */
static const char *verify_entry_number(const char *cp, long *value)
{
    long    result = 0;
    int     digits = 0;

    while (*cp >= '0' && *cp <= '9') {
	if (++digits > VERIFY_ENTRY_DIGITS)
	    return (0);
	result = result * 10 + (*cp++ - '0');
    }
    if (digits == 0 || *cp != ':')
	return (0);
    *value = result;
    return (cp + 1);
}

/* verify_entry_parse - read a stored entry */
bool    verify_entry_parse(VERIFY_ENTRY *entry, const char *value,
			           VSTRING *why)
{
    const char *cp = value;
    long    status;

    if ((cp = verify_entry_number(cp, &status)) == 0
	|| status < VERIFY_ADDR_OK || status > VERIFY_ADDR_PENDING) {
	vstring_strcpy(why, "bad status field");
	return (false);
    }
    if ((cp = verify_entry_number(cp, &entry->probed)) == 0) {
	vstring_strcpy(why, "bad probe time field");
	return (false);
    }
    if ((cp = verify_entry_number(cp, &entry->updated)) == 0) {
	vstring_strcpy(why, "bad update time field");
	return (false);
    }
    if (strchr(cp, '\n') != 0 || strlen(cp) > VERIFY_TEXT_LIMIT) {
	vstring_strcpy(why, "bad text field");
	return (false);
    }
    if (status == VERIFY_ADDR_PENDING && entry->probed == 0) {
	vstring_strcpy(why, "entry in progress without a probe time");
	return (false);
    }
    entry->status = (int) status;
    entry->text = cp;
    return (true);
}

/* verify_entry_older - is stamp more than limit seconds before now? */
static bool verify_entry_older(long stamp, long limit, long now)
{
    /* A stamp in the future (clock set back) counts as recent. */
    return (stamp < now && now - stamp > limit);
}

/* verify_entry_expired - too old to keep? */
bool    verify_entry_expired(const VERIFY_POLICY *policy,
			             const VERIFY_ENTRY *entry, long now)
{
    switch (entry->status) {
    case VERIFY_ADDR_OK:
	return (verify_entry_older(entry->updated, policy->positive_expire,
				   now));
    case VERIFY_ADDR_PENDING:
	return (verify_entry_older(entry->probed, policy->negative_expire,
				   now));
    default:
	return (verify_entry_older(entry->updated, policy->negative_expire,
				   now));
    }
}

/* verify_entry_query - the answer to a query; true when a probe is due */
bool    verify_entry_query(const VERIFY_POLICY *policy, VERIFY_ENTRY *entry,
			           bool found, long now, int *status,
			           const char **text)
{
    bool    in_flight;
    bool    stale;

    if (!found || verify_entry_expired(policy, entry, now)) {
	entry->status = VERIFY_ADDR_PENDING;
	entry->probed = now;
	entry->updated = 0;
	entry->text = VERIFY_ENTRY_PENDING_TEXT;
	*status = VERIFY_ADDR_PENDING;
	*text = VERIFY_ENTRY_PENDING_TEXT;
	return (true);
    }
    *status = entry->status;
    *text = entry->status == VERIFY_ADDR_PENDING ? VERIFY_ENTRY_PENDING_TEXT
	: entry->text;
    in_flight = entry->probed != 0
	&& !verify_entry_older(entry->probed, policy->probe_ttl, now);
    if (in_flight)
	return (false);
    switch (entry->status) {
    case VERIFY_ADDR_PENDING:
	stale = true;				/* its probe got lost */
	break;
    case VERIFY_ADDR_OK:
	stale = verify_entry_older(entry->updated, policy->positive_refresh,
				   now);
	break;
    default:
	stale = !policy->negative_cache
	    || verify_entry_older(entry->updated, policy->negative_refresh,
				  now);
	break;
    }
    if (stale)
	entry->probed = now;
    return (stale);
}

/* verify_entry_update - apply a probe's answer; true: store entry */
bool    verify_entry_update(const VERIFY_POLICY *policy, VERIFY_ENTRY *entry,
			            bool found, int status, const char *text,
			            long now)
{
    if (status != VERIFY_ADDR_OK && found
	&& entry->status == VERIFY_ADDR_OK
	&& !verify_entry_expired(policy, entry, now)) {
	if (entry->probed == 0)
	    return (false);
	entry->probed = 0;
	return (true);
    }
    entry->status = status;
    entry->probed = 0;
    entry->updated = now;
    entry->text = text;
    return (true);
}
