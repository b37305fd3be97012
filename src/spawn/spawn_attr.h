/*
 * spawn_attr - the command attributes of a spawn(8) service
 *
 * SYNOPSIS
 *	#include "spawn_attr.h"
 *
 *	typedef struct SPAWN_ATTR {
 *	    uid_t   uid;
 *	    gid_t   gid;
 *	    ARGV   *argv;
 *	} SPAWN_ATTR;
 *
 *	bool	spawn_attr_parse(char **args, const char *mail_owner,
 *				SPAWN_ATTR *attr, VSTRING *why);
 *	void	spawn_attr_free(SPAWN_ATTR *attr);
 *
 * DESCRIPTION
 *	spawn_attr_parse() reads the null-terminated list of master.cf
 *	arguments that follow spawn's own options:
 *
 *	user=username[:groupname] (required; see command_user(3), which
 *	refuses root, group id 0 and the mail_owner account); a later
 *	user= replaces an earlier one.
 *
 *	argv=command [argument...] (required, last): the text after
 *	"argv=" is the program, and every following element, whatever it
 *	looks like, is one of its arguments. An empty program name is
 *	accepted here; executing it fails later.
 *
 *	The result is true with attr filled in (free it with
 *	spawn_attr_free()), or false with the reason in why (which must
 *	not be NULL) and nothing to free.
 *
 *	This module does not look at main.cf and runs nothing.
 *
 * DIAGNOSTICS
 *	Reasons, in Postfix's words: "unknown attribute name: <text>",
 *	"missing user= attribute", "missing argv= attribute", and those of
 *	command_user(3).
 */
#ifndef SPAWN_ATTR_H
#define SPAWN_ATTR_H

#include "sys_defs.h"
#include <sys/types.h>
#include "argv.h"
#include "vstring.h"

typedef struct SPAWN_ATTR {
    uid_t   uid;			/* user= */
    gid_t   gid;			/* user=...[:group] */
    ARGV   *argv;			/* argv=, program first */
} SPAWN_ATTR;

extern bool spawn_attr_parse(char **args, const char *mail_owner,
			             SPAWN_ATTR *attr, VSTRING *why);
extern void spawn_attr_free(SPAWN_ATTR *attr);

#endif
