/*
 * exclusive_wait - idle wait of a single-server process that wakes one
 *	process per new client
 *
 * SYNOPSIS
 *	#include "exclusive_wait.h"
 *
 *	EXCLUSIVE_WAIT *exclusive_wait_create(int first_fd, int count,
 *				int status_fd);
 *	int	exclusive_wait(EXCLUSIVE_WAIT *wait, int timeout_ms,
 *				int *ready, int ready_size);
 *	void	exclusive_wait_free(EXCLUSIVE_WAIT *wait);
 *
 * DESCRIPTION
 *	All idle processes of a single-server service (smtpd, cleanup,
 *	smtp, local...) wait on the same listening sockets. With an
 *	ordinary event loop every one of them wakes for each new
 *	connection, and all but one find nothing to accept: with 50 smtpd
 *	processes that is 49 wasted wake-ups per connection. Postfix
 *	serialises accept() with a lock file; this module uses the Linux
 *	epoll flag EPOLLEXCLUSIVE instead, so that the kernel wakes only
 *	one of the processes that are waiting, and a process that is busy
 *	serving a client takes no wake-up away from the idle ones.
 *
 *	The exclusive registration only works when the process sleeps in
 *	epoll_wait() on that epoll instance itself (an epoll set nested in
 *	libevent's would wake everybody again), so the skeleton waits
 *	here, not in events_loop(), while it is idle.
 *
 *	exclusive_wait_create() makes an epoll set with the listening
 *	descriptors first_fd .. first_fd + count - 1 (exclusive) and the
 *	master status descriptor status_fd (ordinary: every process must
 *	see the master go away). It returns NULL when the system has no
 *	EPOLLEXCLUSIVE or the set cannot be made (the caller then uses
 *	the event loop as before).
 *
 *	exclusive_wait() waits at most timeout_ms milliseconds (-1: no
 *	limit) and stores the ready descriptors (listening or status) in
 *	ready; it returns their number, 0 on timeout or a signal.
 *
 *	exclusive_wait_free() closes the set.
 *
 * DIAGNOSTICS
 *	Fatal: epoll_wait() fails other than by a signal.
 */
#ifndef EXCLUSIVE_WAIT_H
#define EXCLUSIVE_WAIT_H

typedef struct EXCLUSIVE_WAIT EXCLUSIVE_WAIT;

extern EXCLUSIVE_WAIT *exclusive_wait_create(int first_fd, int count,
					             int status_fd);
extern int exclusive_wait(EXCLUSIVE_WAIT *wait, int timeout_ms, int *ready,
			          int ready_size);
extern void exclusive_wait_free(EXCLUSIVE_WAIT *wait);

#endif
