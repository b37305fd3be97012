/*
 * myflock - lock or unlock an open file, with fcntl() or flock()
 *
 * SYNOPSIS
 *	#include "myflock.h"
 *
 *	int	myflock(int fd, int lock_style, int operation);
 *
 * DESCRIPTION
 *	myflock() applies operation to the whole file open on fd, using
 *	lock_style MYFLOCK_STYLE_FCNTL (POSIX record locks: owned by the
 *	process, released when the process closes any descriptor of the
 *	file, visible over NFS) or MYFLOCK_STYLE_FLOCK (BSD locks: owned by
 *	the open file description, inherited over fork()).
 *
 *	operation is one of MYFLOCK_OP_NONE (release the lock),
 *	MYFLOCK_OP_SHARED or MYFLOCK_OP_EXCLUSIVE, optionally with
 *	MYFLOCK_OP_NOWAIT: without it, the call waits until the lock is
 *	granted (retrying when a signal interrupts the wait); with it, a
 *	lock held elsewhere makes the call fail at once.
 *
 *	The result is 0 on success, MYFLOCK_BUSY when MYFLOCK_OP_NOWAIT was
 *	given and the lock is held elsewhere (errno is then EAGAIN, whatever
 *	the system call reported: EAGAIN, EWOULDBLOCK or EACCES), or
 *	MYFLOCK_ERROR for any other failure (errno tells why). Both failure
 *	values are negative.
 *
 *	This module does not implement dot-lock files; see dot_lockfile(3).
 *
 * DIAGNOSTICS
 *	Panic: unknown lock style or operation.
 */
#ifndef MYFLOCK_H
#define MYFLOCK_H

#include "sys_defs.h"

#define MYFLOCK_STYLE_FLOCK	1
#define MYFLOCK_STYLE_FCNTL	2

#define MYFLOCK_OP_NONE		0
#define MYFLOCK_OP_SHARED	1
#define MYFLOCK_OP_EXCLUSIVE	2
#define MYFLOCK_OP_NOWAIT	4
#define MYFLOCK_OP_BITS \
	(MYFLOCK_OP_SHARED | MYFLOCK_OP_EXCLUSIVE | MYFLOCK_OP_NOWAIT)

#define MYFLOCK_OK		0
#define MYFLOCK_ERROR		(-1)
#define MYFLOCK_BUSY		(-2)

extern int myflock(int fd, int lock_style, int operation);

#endif
