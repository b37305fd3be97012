/*
 * timed_connect - connect(2) with a time limit
 *
 * DESCRIPTION
 *	See connect.h. TCP connects run non-blocking and wait for the
 *	socket to become writable. An AF_UNIX connect never runs in the
 *	background: it either succeeds at once or waits for room in the
 *	server's listen queue (or fails with EAGAIN when non-blocking),
 *	so there the time limit is set with SO_SNDTIMEO, which bounds
 *	that wait on Linux, and removed afterwards.
 */
#include "sys_defs.h"

#include <errno.h>
#include <time.h>
#include <sys/socket.h>
#include <sys/time.h>

#include "iostuff.h"
#include "sane_connect.h"
#include "connect.h"

/* unix_timed_connect - local connect, bounded wait for the listen queue */
static int unix_timed_connect(int sock, const struct sockaddr *sa,
			              socklen_t len, int timeout)
{
    struct timeval tv;
    struct timespec now;
    struct timespec deadline;
    int     status;
    int     saved_errno;

    clock_gettime(CLOCK_MONOTONIC, &deadline);
    deadline.tv_sec += timeout;
    for (;;) {
	clock_gettime(CLOCK_MONOTONIC, &now);
	tv.tv_sec = deadline.tv_sec - now.tv_sec;
	tv.tv_usec = (deadline.tv_nsec - now.tv_nsec) / 1000;
	if (tv.tv_usec < 0) {
	    tv.tv_sec -= 1;
	    tv.tv_usec += 1000000;
	}
	if (tv.tv_sec < 0 || (tv.tv_sec == 0 && tv.tv_usec == 0)) {
	    errno = ETIMEDOUT;
	    status = -1;
	    break;
	}
	if (setsockopt(sock, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) < 0)
	    return -1;
	if ((status = connect(sock, sa, len)) == 0 || errno != EINTR)
	    break;
    }
    saved_errno = errno;
    tv.tv_sec = tv.tv_usec = 0;
    (void) setsockopt(sock, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
    if (status < 0)
	errno = (saved_errno == EAGAIN || saved_errno == EINPROGRESS) ?
	    ETIMEDOUT : saved_errno;
    return status;
}

/* timed_connect - connect within timeout seconds */
int     timed_connect(int sock, const struct sockaddr *sa, socklen_t len,
		              int timeout)
{
    int     old_mode;
    int     status;
    int     err;
    int     saved_errno;
    socklen_t optlen = sizeof(err);

    if (timeout <= 0)
	return sane_connect(sock, sa, len);

    if (sa->sa_family == AF_UNIX) {
	if ((old_mode = non_blocking(sock, BLOCKING)) < 0)
	    return -1;
	status = unix_timed_connect(sock, sa, len, timeout);
    } else {
	if ((old_mode = non_blocking(sock, NON_BLOCKING)) < 0)
	    return -1;
	if ((status = sane_connect(sock, sa, len)) < 0 && errno == EINPROGRESS) {
	    if ((status = write_wait(sock, timeout)) == 0) {
		if ((status = getsockopt(sock, SOL_SOCKET, SO_ERROR, &err,
					 &optlen)) == 0 && err != 0) {
		    errno = err;
		    status = -1;
		}
	    }
	}
    }
    saved_errno = errno;
    (void) non_blocking(sock, old_mode);
    errno = saved_errno;
    return status;
}
