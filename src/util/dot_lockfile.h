/*
 * dot_lockfile - lock a file by creating "name.lock"
 *
 * SYNOPSIS
 *	#include "dot_lockfile.h"
 *
 *	int	dot_lockfile(const char *path, int attempts, int delay,
 *				int stale_time, VSTRING *why);
 *	void	dot_unlockfile(const char *path);
 *
 * DESCRIPTION
 *	dot_lockfile() locks path the way mail readers expect: by creating
 *	the file path + ".lock" with O_CREAT|O_EXCL (which also refuses to
 *	follow a symbolic link). When the lock file exists, it tries again
 *	after delay seconds (0: at once), up to attempts tries in total (at
 *	least one). A lock file whose modification time is stale_time or
 *	more seconds in the past (stale_time > 0) is assumed to be left
 *	over by a crashed process: it is removed with a warning and the
 *	attempt is repeated at once (this does not count as a try).
 *
 *	The result is 0 when the lock was created, -1 otherwise, with the
 *	reason in why (when not NULL) and errno set (EEXIST when the lock
 *	stayed busy).
 *
 *	dot_unlockfile() removes the lock file; a missing lock file is
 *	ignored, other errors are logged as warnings.
 *
 *	This module writes nothing into the lock file and does not
 *	refresh it while the lock is held; a holder that needs more than
 *	stale_time seconds must touch it.
 *
 * DIAGNOSTICS
 *	Warnings: "removing stale lock file <name>", "remove <name>: <error>".
 *	Error texts: "cannot create lock file <name>: <error>",
 *	"lock file <name> exists" (after all attempts).
 */
#ifndef DOT_LOCKFILE_H
#define DOT_LOCKFILE_H

#include "sys_defs.h"
#include "vstring.h"

extern int dot_lockfile(const char *path, int attempts, int delay,
			        int stale_time, VSTRING *why);
extern void dot_unlockfile(const char *path);

#endif
