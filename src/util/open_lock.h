/*
 * open_lock - open a file safely and lock it
 *
 * SYNOPSIS
 *	#include "open_lock.h"
 *
 *	VSTREAM	*open_lock(const char *path, int flags, mode_t mode,
 *				int lock_style, int lock_op, VSTRING *why);
 *
 * DESCRIPTION
 *	open_lock() opens path with safe_open(3) (flags and mode as for
 *	open(2); no owner or group requirement) and then locks the whole
 *	file with myflock(3), using lock_style and lock_op (usually
 *	MYFLOCK_OP_EXCLUSIVE | MYFLOCK_OP_NOWAIT). The descriptor is
 *	marked close-on-exec. The lock goes away when the stream is
 *	closed.
 *
 *	This module does not retry a busy lock; callers that should wait
 *	leave out MYFLOCK_OP_NOWAIT.
 *
 * DIAGNOSTICS
 *	NULL on failure, with errno set (EAGAIN for a busy lock) and the
 *	reason in why (which must not be NULL): the safe_open(3) text
 *	prefixed by the path, "<path>: file is locked by another process",
 *	or "<path>: cannot lock file: <error>".
 */
#ifndef OPEN_LOCK_H
#define OPEN_LOCK_H

#include "sys_defs.h"
#include "vstring.h"
#include "vstream.h"

extern VSTREAM *open_lock(const char *path, int flags, mode_t mode,
			          int lock_style, int lock_op, VSTRING *why);

#endif
