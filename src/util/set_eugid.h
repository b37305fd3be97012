/*
 * set_eugid - switch the effective user and group for a while
 *
 * SYNOPSIS
 *	#include "set_eugid.h"
 *
 *	void	set_eugid(uid_t euid, gid_t egid);
 *	bool	set_eugid_try(uid_t euid, gid_t egid, VSTRING *why);
 *
 * DESCRIPTION
 *	set_eugid_try() makes euid and egid the effective user and group
 *	ids of a process whose real (or saved) user id is root, so that
 *	files and sockets that it creates belong to that user, and access
 *	checks are made as that user. The real and saved ids stay root,
 *	so the process can switch back with set_eugid(0, 0), or with
 *	set_eugid(getuid(), getgid()). This is how master(8) creates the
 *	service sockets and its data-directory lock file as mail_owner;
 *	set_ugid(3) is the one-way drop for good.
 *
 *	When the effective user id is not root yet, the call first
 *	returns to root. While the effective user is not root, the
 *	supplementary group list is egid alone; switching back to root
 *	sets it to the root group.
 *
 *	Without root privileges, the call succeeds only when the ids are
 *	already the requested ones (nothing changes), so that code written
 *	for a root-started program also runs in unprivileged mode.
 *
 *	set_eugid() does the same and terminates with a fatal error on
 *	failure.
 *
 *	This module does not touch the real or saved ids, and does not
 *	look up user names.
 *
 * DIAGNOSTICS
 *	set_eugid_try() returns false with the reason in why (which must
 *	not be NULL): "seteuid(0): <error>", "setgroups(<gid>): <error>",
 *	"setegid(<gid>): <error>", "seteuid(<uid>): <error>".
 */
#ifndef SET_EUGID_H
#define SET_EUGID_H

#include "sys_defs.h"
#include <sys/types.h>

#include "vstring.h"

extern void set_eugid(uid_t euid, gid_t egid);
extern bool set_eugid_try(uid_t euid, gid_t egid, VSTRING *why);

#endif
