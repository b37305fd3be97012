/*
 * set_ugid - switch to an unprivileged user and group for good
 *
 * SYNOPSIS
 *	#include "set_ugid.h"
 *
 *	void	set_ugid(uid_t uid, gid_t gid);
 *	bool	set_ugid_try(uid_t uid, gid_t gid, int flags, VSTRING *why);
 *
 * DESCRIPTION
 *	set_ugid_try() makes uid the real, effective and saved user id and
 *	gid the real, effective and saved group id. When the process runs
 *	as root, the supplementary group list is first replaced by gid
 *	alone, unless flags include SET_UGID_FLAG_KEEP_GROUPS (for callers
 *	that have already called initgroups(), see chroot_uid(3)).
 *	Afterwards it checks that all six ids have the new values and, when
 *	it started as root, that root privileges cannot be regained.
 *
 *	uid 0 or gid 0 is refused: switching to root is never a privilege
 *	drop, and is almost certainly a configuration mistake (an unknown
 *	user that became 0, a mail_owner of root).
 *
 *	Without root privileges, the call succeeds when the ids are already
 *	the requested ones, or when the process may switch to them (a
 *	set-gid program returning to its real group, for example); it
 *	fails otherwise.
 *
 *	set_ugid() does the same with flags 0 and terminates the process
 *	with a fatal error on failure.
 *
 * DIAGNOSTICS
 *	set_ugid_try() returns false with the reason in why (which must not
 *	be NULL): "refusing to switch to user id 0", "refusing to switch to
 *	group id 0", "setgroups(<gid>): <error>", "setgid(<gid>): <error>",
 *	"setuid(<uid>): <error>", "user id did not change to <uid>", "group
 *	id did not change to <gid>", "root privileges can be regained after
 *	switching to user id <uid>". In the last case the process may be
 *	privileged again, and must exit.
 */
#ifndef SET_UGID_H
#define SET_UGID_H

#include "sys_defs.h"
#include "vstring.h"

#define SET_UGID_FLAG_NONE		0
#define SET_UGID_FLAG_KEEP_GROUPS	(1<<0)

extern void set_ugid(uid_t uid, gid_t gid);
extern bool set_ugid_try(uid_t uid, gid_t gid, int flags, VSTRING *why);

#endif
