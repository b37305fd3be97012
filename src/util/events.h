/*
 * events - event loop for daemons: descriptors and timers over libevent
 *
 * SYNOPSIS
 *	#include "events.h"
 *
 *	typedef void (*EVENTS_NOTIFY_FN)(int event, void *context);
 *
 *	void	events_init(void);
 *	struct event_base *events_base(void);
 *	void	events_enable_read(int fd, EVENTS_NOTIFY_FN callback,
 *				void *context);
 *	void	events_enable_write(int fd, EVENTS_NOTIFY_FN callback,
 *				void *context);
 *	void	events_disable_readwrite(int fd);
 *	time_t	events_request_timer(EVENTS_NOTIFY_FN callback,
 *				void *context, int delay);
 *	int	events_cancel_timer(EVENTS_NOTIFY_FN callback, void *context);
 *	void	events_loop(int max_delay);
 *	time_t	events_time(void);
 *	void	events_fork(void);
 *	void	events_free(void);
 *
 *	int	events_fd_mask(int fd);
 *	bool	events_fd_lookup(int fd, EVENTS_NOTIFY_FN *callback,
 *				void **context);
 *	time_t	events_timer_when(EVENTS_NOTIFY_FN callback, void *context);
 *	time_t	events_next_due(void);
 *
 * DESCRIPTION
 *	This module is the one event loop of a process (master, the
 *	daemon skeletons, and anything they run). It keeps the Postfix
 *	programming model, callbacks named by (descriptor) for I/O and by
 *	(callback, context) for timers, on top of a libevent 2.1
 *	event_base. Code that needs more of libevent (signals, say) uses
 *	events_base().
 *
 *	A callback receives one of EVENT_READ (readable, or end of file
 *	or error pending), EVENT_WRITE (writable) or EVENT_TIME (timer
 *	expired) and its context. EVENT_XCPT is defined for callers that
 *	test for it; libevent reports errors and hang-ups as readable or
 *	writable, so this module never passes it.
 *
 *	events_init() creates the event base; it is called implicitly by
 *	the other functions and may be called more than once.
 *
 *	events_enable_read() and events_enable_write() ask for callback
 *	whenever fd is readable or writable, until
 *	events_disable_readwrite() stops both. A descriptor has one
 *	callback and context: enabling either direction installs the
 *	given pair for both directions that are on; enabling read and
 *	then write with the same pair watches both. Repeating a request
 *	is harmless. Disable a descriptor before closing it (the kernel
 *	forgets a closed descriptor, so a reused number must be enabled
 *	afresh). Disabling a descriptor that is not enabled is a no-op.
 *
 *	events_request_timer() asks for one callback(EVENT_TIME, context)
 *	after delay seconds (0: at the next loop iteration) and returns
 *	the time (events_time() based) when it is due. A timer is named
 *	by (callback, context): requesting the same pair again moves the
 *	existing timer instead of adding one. The timer is forgotten
 *	just before its callback runs, so the callback may request it
 *	again. events_cancel_timer() removes a pending timer and returns
 *	the seconds it had left (>= 0), or -1 when there was none. Timers
 *	due at the same time run in no guaranteed order.
 *
 *	events_loop() runs one iteration: it waits until at least one
 *	descriptor is ready or timer is due, but no longer than max_delay
 *	seconds (< 0: no limit; 0: just poll), and runs the callbacks of
 *	everything that is ready. A callback may enable, disable, request
 *	and cancel anything, including itself; a descriptor disabled by an
 *	earlier callback of the same iteration gets no call. With nothing
 *	enabled and no timer, events_loop(-1) returns at once.
 *
 *	events_time() is the current time in seconds, cached while the
 *	callbacks of one iteration run.
 *
 *	events_fork() re-initializes the kernel side of the event base in
 *	a child process after fork(2) (epoll sets are shared otherwise);
 *	registrations carry over. events_free() releases everything
 *	(tests, and processes that exec after fork).
 *
 *	events_fd_mask() returns the EVENT_READ/EVENT_WRITE bits enabled
 *	for fd (0: none). events_fd_lookup() gives the callback and
 *	context of an enabled descriptor and returns true, or returns
 *	false. events_timer_when() returns when the (callback, context)
 *	timer is due, or -1 when none is pending. events_next_due()
 *	returns when the earliest pending timer is due, or -1 when there
 *	is none (for a caller that waits outside events_loop()).
 *
 * DIAGNOSTICS
 *	Panic: negative descriptor or delay, null callback. Fatal:
 *	libevent cannot allocate or re-initialize its base.
 */
#ifndef EVENTS_H
#define EVENTS_H

#include "sys_defs.h"
#include <time.h>

#define EVENT_READ	(1<<0)		/* descriptor readable */
#define EVENT_WRITE	(1<<1)		/* descriptor writable */
#define EVENT_XCPT	(1<<2)		/* exception (never generated) */
#define EVENT_TIME	(1<<3)		/* timer expired */

typedef void (*EVENTS_NOTIFY_FN) (int event, void *context);

struct event_base;

extern void events_init(void);
extern struct event_base *events_base(void);
extern void events_enable_read(int fd, EVENTS_NOTIFY_FN callback,
			               void *context);
extern void events_enable_write(int fd, EVENTS_NOTIFY_FN callback,
				        void *context);
extern void events_disable_readwrite(int fd);
extern time_t events_request_timer(EVENTS_NOTIFY_FN callback, void *context,
				           int delay);
extern int events_cancel_timer(EVENTS_NOTIFY_FN callback, void *context);
extern void events_loop(int max_delay);
extern time_t events_time(void);
extern void events_fork(void);
extern void events_free(void);
extern int events_fd_mask(int fd);
extern bool events_fd_lookup(int fd, EVENTS_NOTIFY_FN *callback,
			             void **context);
extern time_t events_next_due(void);
extern time_t events_timer_when(EVENTS_NOTIFY_FN callback, void *context);

#endif
