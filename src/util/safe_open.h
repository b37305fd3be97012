/*
 * safe_open - open or create a file without symlink or hard link tricks
 *
 * SYNOPSIS
 *	#include "safe_open.h"
 *
 *	VSTREAM	*safe_open(const char *path, int flags, mode_t mode,
 *				struct stat *st, uid_t user, gid_t group,
 *				VSTRING *why);
 *
 * DESCRIPTION
 *	safe_open() opens a file in a directory that other users may be
 *	able to write (a mail spool, /tmp), where a plain open() could be
 *	tricked into following a symbolic link or writing through a hard
 *	link to someone else's file. The result is a VSTREAM for the open
 *	file, with the file's status in *st (when st is not NULL).
 *
 *	flags are open(2) flags. What happens depends on O_CREAT/O_EXCL:
 *
 *	O_CREAT|O_EXCL
 *		Create a new file (never follows a symbolic link; fails
 *		when the name exists). When user or group is not -1, the
 *		new file is given that owner and/or group with fchown().
 *	O_CREAT (without O_EXCL)
 *		Open the file if it exists (with the checks below),
 *		otherwise create it as above. A file that appears or
 *		disappears meanwhile makes the attempt start over, a few
 *		times at most.
 *	neither
 *		Open an existing file, with these checks: the name must
 *		not be a symbolic link; the file must be a regular file
 *		with exactly one hard link; the file that was opened must
 *		be the one that lstat() saw (same device and inode); when
 *		user (group) is not -1, the file must have that owner
 *		(group). O_TRUNC is applied only after the checks pass.
 *
 *	The file is opened with O_NONBLOCK, so that a name that is swapped
 *	for a FIFO cannot make the process hang; the flag is cleared again
 *	unless the caller asked for it. (uid_t) -1 and (gid_t) -1 mean
 *	"don't care".
 *
 *	This module does not check the parent directories; a caller that
 *	needs a trusted path must arrange that itself.
 *
 * DIAGNOSTICS
 *	On failure the result is NULL, errno is set and why (which must not
 *	be NULL) holds the reason, e.g. "cannot open file: No such file or
 *	directory", "file is a symbolic link", "file is not a regular
 *	file", "file has 2 hard links", "file status changed unexpectedly",
 *	"file has owner 1000, not 0", "file has group 1000, not 0",
 *	"cannot create file exclusively: File exists", "cannot change file
 *	ownership: Operation not permitted".
 */
#ifndef SAFE_OPEN_H
#define SAFE_OPEN_H

#include "sys_defs.h"
#include <sys/stat.h>
#include "vstring.h"
#include "vstream.h"

extern VSTREAM *safe_open(const char *path, int flags, mode_t mode,
			          struct stat *st, uid_t user, gid_t group,
			          VSTRING *why);

#endif
