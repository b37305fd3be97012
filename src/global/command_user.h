/*
 * command_user - the account that an external command runs as
 *
 * SYNOPSIS
 *	#include "command_user.h"
 *
 *	typedef struct COMMAND_USER {
 *	    uid_t   uid;
 *	    gid_t   gid;
 *	} COMMAND_USER;
 *
 *	bool	command_user_resolve(const char *spec, const char *mail_owner,
 *				COMMAND_USER *result, VSTRING *why);
 *
 * DESCRIPTION
 *	command_user_resolve() turns the value of a master.cf "user="
 *	command attribute (spawn(8), and pipe(8) later) into user and group
 *	ids. spec is "username" or "username:groupname": the user's own
 *	group id is used unless a non-empty groupname is given. Names are
 *	looked up in the password and group files (through NSS); numeric
 *	ids are not accepted, as with Postfix.
 *
 *	Running a command as the superuser, with group id 0, or as the
 *	mail system owner (the account mail_owner, compared by user id; a
 *	NULL or unknown mail_owner skips that check) is refused: those
 *	privileges must never be handed to a program that talks to the
 *	network.
 *
 *	The result is true with *result filled in, or false with the
 *	reason in why (which must not be NULL).
 *
 *	This module does not switch ids; see set_ugid(3) and
 *	spawn_command(3).
 *
 * DIAGNOSTICS
 *	Reasons, in Postfix's words: "unknown user name: <name>", "unknown
 *	group name: <name>", "request to deliver as root", "request to
 *	deliver as mail system owner", "request to use privileged group id
 *	0"; and "cannot look up user <name>: <error>", "cannot look up
 *	group <name>: <error>" when the lookup itself fails.
 */
#ifndef COMMAND_USER_H
#define COMMAND_USER_H

#include "sys_defs.h"
#include <sys/types.h>
#include "vstring.h"

typedef struct COMMAND_USER {
    uid_t   uid;
    gid_t   gid;
} COMMAND_USER;

extern bool command_user_resolve(const char *spec, const char *mail_owner,
				         COMMAND_USER *result, VSTRING *why);

#endif
