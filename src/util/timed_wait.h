/*
 * timed_wait - wait for a child process, with a time limit
 *
 * SYNOPSIS
 *	#include "timed_wait.h"
 *
 *	pid_t	timed_wait(pid_t pid, int *status, int options, int time_limit);
 *	pid_t	timed_wait_ms(pid_t pid, int *status, int options, int limit_ms);
 *
 * DESCRIPTION
 *	timed_wait() is waitpid(pid, status, options) that gives up after
 *	time_limit seconds (timed_wait_ms(): milliseconds). pid must name
 *	one child (> 0). The result is pid when the child changed state, or
 *	-1 with errno set: ETIMEDOUT when the time limit passed first, or
 *	the waitpid() error. The child is not killed on timeout; that is up
 *	to the caller.
 *
 *	Signals that interrupt the wait do not end it early. This module
 *	uses no signals and no timers of its own (it does not disturb
 *	alarm() and watchdog(3)): it polls a pidfd when the kernel has
 *	them, and otherwise polls waitpid() with short, increasing sleeps.
 *	A wait for stopped children (WUNTRACED) always uses the second way.
 *
 * DIAGNOSTICS
 *	Panic: pid <= 0, or a time limit <= 0.
 */
#ifndef TIMED_WAIT_H
#define TIMED_WAIT_H

#include "sys_defs.h"

extern pid_t timed_wait(pid_t pid, int *status, int options, int time_limit);
extern pid_t timed_wait_ms(pid_t pid, int *status, int options, int limit_ms);

#endif
