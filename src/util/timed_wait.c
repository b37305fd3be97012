/*
 * timed_wait - wait for a child process, with a time limit
 *
 * DESCRIPTION
 *	See timed_wait.h.
 */
#include "sys_defs.h"

#include <errno.h>
#include <poll.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "msg.h"
#include "timed_wait.h"

#define TIMED_WAIT_SLEEP_MIN	1	/* ms, first polling sleep */
#define TIMED_WAIT_SLEEP_MAX	50	/* ms, longest polling sleep */

/* timed_wait_now_ms - monotonic time in milliseconds */
static long long timed_wait_now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* timed_wait_pidfd - wait for termination with a pidfd; -2 if unsupported */
static pid_t timed_wait_pidfd(pid_t pid, int *status, int options,
			              long long deadline)
{
#ifdef SYS_pidfd_open
    struct pollfd pfd;
    long long left;
    pid_t   result;
    int     fd;
    int     n;

    if ((fd = (int) syscall(SYS_pidfd_open, pid, 0)) < 0)
	return -2;				/* old kernel, seccomp, ... */
    pfd.fd = fd;
    pfd.events = POLLIN;
    for (;;) {
	result = waitpid(pid, status, options | WNOHANG);
	if (result < 0 && errno == EINTR)
	    continue;
	if (result != 0)
	    break;
	if ((left = deadline - timed_wait_now_ms()) <= 0) {
	    errno = ETIMEDOUT;
	    result = -1;
	    break;
	}
	n = poll(&pfd, 1, left > INT_MAX ? INT_MAX : (int) left);
	if (n < 0 && errno != EINTR) {
	    result = -1;
	    break;
	}
    }
    n = errno;
    (void) close(fd);
    errno = n;
    return result;
#else
    (void) pid;
    (void) status;
    (void) options;
    (void) deadline;
    return -2;
#endif
}

/* timed_wait_poll - wait by polling waitpid() */
static pid_t timed_wait_poll(pid_t pid, int *status, int options,
			             long long deadline)
{
    long long left;
    long    sleep_ms = TIMED_WAIT_SLEEP_MIN;
    struct timespec ts;
    pid_t   result;

    for (;;) {
	result = waitpid(pid, status, options | WNOHANG);
	if (result < 0 && errno == EINTR)
	    continue;
	if (result != 0)
	    return result;
	if ((left = deadline - timed_wait_now_ms()) <= 0) {
	    errno = ETIMEDOUT;
	    return -1;
	}
	if (sleep_ms > left)
	    sleep_ms = (long) left;
	ts.tv_sec = sleep_ms / 1000;
	ts.tv_nsec = (sleep_ms % 1000) * 1000000L;
	(void) nanosleep(&ts, NULL);
	if (sleep_ms < TIMED_WAIT_SLEEP_MAX)
	    sleep_ms *= 2;
	if (sleep_ms > TIMED_WAIT_SLEEP_MAX)
	    sleep_ms = TIMED_WAIT_SLEEP_MAX;
    }
}

/* timed_wait_ms - waitpid() with a limit in milliseconds */
pid_t   timed_wait_ms(pid_t pid, int *status, int options, int limit_ms)
{
    long long deadline;
    pid_t   result;

    if (pid <= 0)
	msg_panic("timed_wait: bad process id %ld", (long) pid);
    if (limit_ms <= 0)
	msg_panic("timed_wait: bad time limit %d ms", limit_ms);
    deadline = timed_wait_now_ms() + limit_ms;
    if ((options & WUNTRACED) == 0
	&& (result = timed_wait_pidfd(pid, status, options, deadline)) != -2)
	return result;
    return timed_wait_poll(pid, status, options, deadline);
}

/* timed_wait - waitpid() with a limit in seconds */
pid_t   timed_wait(pid_t pid, int *status, int options, int time_limit)
{
    if (time_limit <= 0 || time_limit > INT_MAX / 1000)
	msg_panic("timed_wait: bad time limit %d", time_limit);
    return timed_wait_ms(pid, status, options, time_limit * 1000);
}
