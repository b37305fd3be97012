/*
 * mbox_lock - open and lock a UNIX-style mailbox the configured ways
 *
 * SYNOPSIS
 *	#include "mbox_lock.h"
 *
 *	typedef struct MBOX_LOCK {
 *	    char   *path;		 the mailbox file
 *	    VSTREAM *fp;		 open stream, close-on-exec
 *	    int     locked;		 MBOX_LOCK_* methods now held
 *	} MBOX_LOCK;
 *
 *	int	mbox_lock_mask(const char *methods, VSTRING *why);
 *	const char *const *mbox_lock_names(void);
 *
 *	MBOX_LOCK *mbox_lock_open(const char *path, int flags, mode_t mode,
 *				struct stat *st, uid_t user, gid_t group,
 *				int lock_mask, VSTRING *why);
 *	int	mbox_lock_close(MBOX_LOCK *mp);
 *
 * DESCRIPTION
 *	This module locks mailbox files the way mail readers and the
 *	Postfix local(8) delivery agent expect, using the methods named by
 *	mailbox_delivery_lock (or postlock -l): "flock" (BSD flock()),
 *	"fcntl" (POSIX record lock) and "dotlock" (a "<path>.lock" file
 *	created next to the mailbox).
 *
 *	mbox_lock_mask() converts a list of method names (separated by
 *	commas or whitespace; an empty list means no locking) into
 *	MBOX_LOCK_FLOCK, MBOX_LOCK_FCNTL and MBOX_LOCK_DOTLOCK bits. It
 *	returns -1 with a reason in why for an unknown name.
 *	mbox_lock_names() returns the null-terminated list of supported
 *	names in the order that "postconf -l" prints them.
 *
 *	mbox_lock_open() opens path with safe_open(3) (flags, mode, st,
 *	user and group as there; O_NONBLOCK is added while opening) and
 *	acquires the locks in lock_mask. The dot lock is taken first, and
 *	only when path is a regular file or does not exist yet; the kernel
 *	locks follow, flock() before fcntl(), only when the file is a
 *	regular file (so that /dev/null needs no lock). A busy lock is
 *	tried deliver_lock_attempts times in total, deliver_lock_delay
 *	apart; a dot lock file older than stale_lock_time is removed (see
 *	dot_lockfile(3)). With MBOX_LOCK_DOTLOCK_MAY_FAIL in lock_mask, a
 *	dot lock that cannot be created for a reason other than "exists"
 *	(no write permission on the directory) is only a warning. The
 *	result is NULL on failure, with nothing left locked or open, errno
 *	set (EAGAIN when a lock stayed busy) and the reason in why.
 *
 *	mbox_lock_close() closes the stream (which releases the kernel
 *	locks), then removes the dot lock, and frees mp. The result is
 *	that of vstream_fclose(): 0, or VSTREAM_EOF when buffered output
 *	could not be written.
 *
 *	This module does not write to the mailbox, and does not map
 *	errors to delivery status codes; the caller does that.
 *
 * DIAGNOSTICS
 *	Reasons in why, in Postfix's words: "unknown mailbox_delivery_lock
 *	value \"<name>\" in \"<list>\"", "unable to create lock file
 *	<path>.lock: <error>", "unable to lock for exclusive access:
 *	<error>", or the safe_open(3) reason ("cannot open file: ...").
 *	Warnings: a stale dot lock removal (dot_lockfile(3)), and the dot
 *	lock failure allowed by MBOX_LOCK_DOTLOCK_MAY_FAIL.
 */
#ifndef MBOX_LOCK_H
#define MBOX_LOCK_H

#include "sys_defs.h"
#include <sys/stat.h>
#include "vstring.h"
#include "vstream.h"

#define MBOX_LOCK_FLOCK			(1<<0)
#define MBOX_LOCK_FCNTL			(1<<1)
#define MBOX_LOCK_DOTLOCK		(1<<2)
#define MBOX_LOCK_DOTLOCK_MAY_FAIL	(1<<3)

typedef struct MBOX_LOCK {
    char   *path;			/* the mailbox file */
    VSTREAM *fp;			/* open stream, close-on-exec */
    int     locked;			/* MBOX_LOCK_* methods now held */
} MBOX_LOCK;

extern int mbox_lock_mask(const char *methods, VSTRING *why);
extern const char *const *mbox_lock_names(void);
extern MBOX_LOCK *mbox_lock_open(const char *path, int flags, mode_t mode,
				         struct stat *st, uid_t user,
				         gid_t group, int lock_mask,
				         VSTRING *why);
extern int mbox_lock_close(MBOX_LOCK *mp);

#endif
