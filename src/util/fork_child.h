/*
 * fork_child - fork() without letting the parent's signal handlers run in the child
 *
 * SYNOPSIS
 *	#include "fork_child.h"
 *
 *	pid_t	fork_child(void);
 *
 * DESCRIPTION
 *	fork_child() is fork() for a process that catches signals (through
 *	libevent, a watchdog, or its own handlers) and whose child goes on
 *	to do other work or to execute a program. With plain fork(), a
 *	signal that reaches the new process before it has reset its
 *	handlers runs the parent's handler in the child: a SIGTERM that
 *	master(8) sends to a child it has just started is then swallowed
 *	by libevent's handler (which wakes the parent's event loop, not
 *	the child), and the child lives on.
 *
 *	fork_child() blocks every signal, forks, and restores the signal
 *	mask in the parent. In the child it first sets every caught signal
 *	back to its default action (signals that were ignored stay
 *	ignored, as across execve()), and only then restores the mask, so
 *	that a signal that arrived meanwhile now takes its default effect.
 *	The result is that of fork(): the child's process ID in the
 *	parent, 0 in the child, -1 (with errno) when fork() failed.
 *
 *	A child that wants handlers of its own installs them after
 *	fork_child() returns.
 *
 * DIAGNOSTICS
 *	None; the result and errno of fork().
 */
#ifndef FORK_CHILD_H
#define FORK_CHILD_H

#include <sys/types.h>

extern pid_t fork_child(void);

#endif
