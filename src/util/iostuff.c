/*
 * iostuff - small low-level I/O helpers
 *
 * DESCRIPTION
 *	See iostuff.h. unix_send_fd() and unix_recv_fd() live in their
 *	own files. Deadlines use CLOCK_MONOTONIC, so that clock changes
 *	do not stretch or cut timeouts.
 *
 *	With a time limit, the read or write after poll() must not block:
 *	a blocking write of many bytes would wait for all of them, and
 *	another process may take the input that poll() saw. Sockets get
 *	MSG_DONTWAIT; other descriptors are made non-blocking for the one
 *	system call.
 */
#include "sys_defs.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include "msg.h"
#include "iostuff.h"

#define NO_DEADLINE	(-1LL)

/* now_ms - monotonic clock in milliseconds */
static long long now_ms(void)
{
    struct timespec ts;

    if (clock_gettime(CLOCK_MONOTONIC, &ts) < 0)
	msg_fatal("clock_gettime: %m");
    return (long long) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* deadline_after - deadline for a timeout in seconds (< 0: none) */
static long long deadline_after(int timeout)
{
    return timeout < 0 ? NO_DEADLINE : now_ms() + (long long) timeout * 1000;
}

/* wait_until - wait for poll events on fd until the deadline */
static int wait_until(int fd, short events, long long deadline)
{
    struct pollfd pfd;
    long long left;
    int     ms;
    int     n;

    for (;;) {
	if (deadline == NO_DEADLINE) {
	    ms = -1;
	} else {
	    left = deadline - now_ms();
	    ms = (left <= 0 ? 0 : left > INT_MAX ? INT_MAX : (int) left);
	}
	pfd.fd = fd;
	pfd.events = events;
	pfd.revents = 0;
	if ((n = poll(&pfd, 1, ms)) < 0) {
	    if (errno == EINTR)
		continue;
	    return -1;
	}
	if (n == 0) {
	    if (ms > 0)
		continue;			/* woke up early: recompute */
	    errno = ETIMEDOUT;
	    return -1;
	}
	if (pfd.revents & POLLNVAL) {
	    errno = EBADF;
	    return -1;
	}
	return 0;
    }
}

/* read_nowait - one read that never blocks, whatever the fd's mode */
static ssize_t read_nowait(int fd, void *buf, size_t len)
{
    ssize_t n;
    int     old_mode;
    int     saved_errno;

    if ((n = recv(fd, buf, len, MSG_DONTWAIT)) >= 0 || errno != ENOTSOCK)
	return n;
    if ((old_mode = non_blocking(fd, NON_BLOCKING)) < 0)
	return -1;
    n = read(fd, buf, len);
    saved_errno = errno;
    if (old_mode == BLOCKING)
	(void) non_blocking(fd, BLOCKING);
    errno = saved_errno;
    return n;
}

/* write_nowait - one write that never blocks, whatever the fd's mode */
static ssize_t write_nowait(int fd, const void *buf, size_t len)
{
    ssize_t n;
    int     old_mode;
    int     saved_errno;

    if ((n = send(fd, buf, len, MSG_DONTWAIT | MSG_NOSIGNAL)) >= 0
	|| errno != ENOTSOCK)
	return n;
    if ((old_mode = non_blocking(fd, NON_BLOCKING)) < 0)
	return -1;
    n = write(fd, buf, len);
    saved_errno = errno;
    if (old_mode == BLOCKING)
	(void) non_blocking(fd, BLOCKING);
    errno = saved_errno;
    return n;
}

/* non_blocking - set or clear O_NONBLOCK, return the old mode */
int     non_blocking(int fd, int mode)
{
    int     flags;
    int     want;

    if ((flags = fcntl(fd, F_GETFL, 0)) < 0)
	return -1;
    want = (mode == NON_BLOCKING ? flags | O_NONBLOCK : flags & ~O_NONBLOCK);
    if (want != flags && fcntl(fd, F_SETFL, want) < 0)
	return -1;
    return (flags & O_NONBLOCK) ? NON_BLOCKING : BLOCKING;
}

/* close_on_exec - set or clear FD_CLOEXEC, return the old setting */
int     close_on_exec(int fd, int on)
{
    int     flags;
    int     want;

    if ((flags = fcntl(fd, F_GETFD, 0)) < 0)
	return -1;
    want = (on == CLOSE_ON_EXEC ? flags | FD_CLOEXEC : flags & ~FD_CLOEXEC);
    if (want != flags && fcntl(fd, F_SETFD, want) < 0)
	return -1;
    return (flags & FD_CLOEXEC) ? CLOSE_ON_EXEC : PASS_ON_EXEC;
}

/* read_wait - wait until readable */
int     read_wait(int fd, int timeout)
{
    return wait_until(fd, POLLIN, deadline_after(timeout));
}

/* write_wait - wait until writable */
int     write_wait(int fd, int timeout)
{
    return wait_until(fd, POLLOUT, deadline_after(timeout));
}

/* readable - poll for input without waiting */
bool    readable(int fd)
{
    return wait_until(fd, POLLIN, deadline_after(0)) == 0;
}

/* writable - poll for output space without waiting */
bool    writable(int fd)
{
    return wait_until(fd, POLLOUT, deadline_after(0)) == 0;
}

/* timed_io - one read or write with a time limit */
static ssize_t timed_io(int fd, short events, void *buf, size_t len,
			        int timeout)
{
    long long deadline = (timeout > 0 ? deadline_after(timeout) : NO_DEADLINE);
    ssize_t n;

    for (;;) {
	if (timeout > 0 && wait_until(fd, events, deadline) < 0)
	    return -1;
	if (events == POLLIN)
	    n = timeout > 0 ? read_nowait(fd, buf, len) : read(fd, buf, len);
	else
	    n = timeout > 0 ? write_nowait(fd, buf, len) : write(fd, buf, len);
	if (n >= 0)
	    return n;
	if (errno == EINTR)
	    continue;
	if ((errno == EAGAIN || errno == EWOULDBLOCK) && timeout > 0)
	    continue;
	return -1;
    }
}

/* timed_read - one read with a time limit */
ssize_t timed_read(int fd, void *buf, size_t len, int timeout)
{
    return timed_io(fd, POLLIN, buf, len, timeout);
}

/* timed_write - one write with a time limit */
ssize_t timed_write(int fd, const void *buf, size_t len, int timeout)
{
    /* timed_io() only reads from buf when it writes. */
    return timed_io(fd, POLLOUT, (void *) buf, len, timeout);
}

/* write_buf - write everything, within a total time limit */
ssize_t write_buf(int fd, const void *buf, size_t len, int timeout)
{
    long long deadline = (timeout > 0 ? deadline_after(timeout) : NO_DEADLINE);
    const char *cp = buf;
    size_t  done = 0;
    ssize_t n;

    while (done < len) {
	if (timeout > 0 && wait_until(fd, POLLOUT, deadline) < 0)
	    return -1;
	if ((n = (timeout > 0 ? write_nowait(fd, cp + done, len - done)
		  : write(fd, cp + done, len - done))) >= 0) {
	    done += (size_t) n;
	    continue;
	}
	if (errno == EINTR)
	    continue;
	if (errno != EAGAIN && errno != EWOULDBLOCK)
	    return -1;
	/* Non-blocking descriptor without a time limit: wait for space. */
	if (timeout <= 0 && wait_until(fd, POLLOUT, NO_DEADLINE) < 0)
	    return -1;
    }
    return (ssize_t) len;
}

/* peekfd - bytes available without blocking */
ssize_t peekfd(int fd)
{
    int     count;

    if (ioctl(fd, FIONREAD, &count) < 0)
	return -1;
    return count;
}

/* duplex_pipe - connected pair of stream sockets */
int     duplex_pipe(int fds[2])
{
    return socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds);
}
