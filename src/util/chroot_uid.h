/*
 * chroot_uid - change the root directory, then become a named user
 *
 * SYNOPSIS
 *	#include "chroot_uid.h"
 *
 *	void	chroot_uid(const char *root_dir, const char *user_name);
 *	bool	chroot_uid_try(const char *root_dir, const char *user_name,
 *				VSTRING *why);
 *
 * DESCRIPTION
 *	chroot_uid_try() does up to three things, in this order:
 *	it looks up user_name (when not NULL) in the password database;
 *	when root_dir is not NULL, it changes the root directory to
 *	root_dir and the working directory to the new "/"; when user_name
 *	is not NULL, it takes the user's supplementary groups (when running
 *	as root) and switches to the user's uid and primary gid with
 *	set_ugid(3). The user is looked up before the chroot, because the
 *	new root normally has no password or group file.
 *
 *	chroot_uid() does the same and terminates the process with a fatal
 *	error on failure.
 *
 *	This module does not check that root_dir is safe (owned by root,
 *	not writable by others).
 *
 * DIAGNOSTICS
 *	chroot_uid_try() returns false with the reason in why (which must
 *	not be NULL): "unknown user: <name>", "lookup user <name>: <error>",
 *	"initgroups(<name>): <error>", "chroot(<dir>): <error>",
 *	"chdir(/): <error>", or a set_ugid(3) text.
 */
#ifndef CHROOT_UID_H
#define CHROOT_UID_H

#include "sys_defs.h"
#include "vstring.h"

extern void chroot_uid(const char *root_dir, const char *user_name);
extern bool chroot_uid_try(const char *root_dir, const char *user_name,
			           VSTRING *why);

#endif
