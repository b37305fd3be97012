/*
 * iostuff - small low-level I/O helpers
 *
 * SYNOPSIS
 *	#include "iostuff.h"
 *
 *	int	non_blocking(int fd, int mode);
 *	int	close_on_exec(int fd, int on);
 *	int	read_wait(int fd, int timeout);
 *	int	write_wait(int fd, int timeout);
 *	bool	readable(int fd);
 *	bool	writable(int fd);
 *	ssize_t	timed_read(int fd, void *buf, size_t len, int timeout);
 *	ssize_t	timed_write(int fd, const void *buf, size_t len, int timeout);
 *	ssize_t	write_buf(int fd, const void *buf, size_t len, int timeout);
 *	ssize_t	peekfd(int fd);
 *	int	duplex_pipe(int fds[2]);
 *
 *	int	unix_send_fd(int sock, int fd);
 *	int	unix_recv_fd(int sock);
 *
 * DESCRIPTION
 *	This header collects helpers that each do one thing to a file
 *	descriptor. All of them retry system calls interrupted by signals
 *	(EINTR), measuring timeouts against a deadline so that signals do
 *	not extend them. Timeouts are in seconds.
 *
 *	non_blocking() turns O_NONBLOCK on (mode NON_BLOCKING) or off
 *	(mode BLOCKING) and returns the previous mode, or -1 on error.
 *	close_on_exec() does the same for FD_CLOEXEC (on CLOSE_ON_EXEC or
 *	PASS_ON_EXEC) and returns the previous setting, or -1.
 *
 *	read_wait() and write_wait() wait until fd is readable (data,
 *	end of file, error, or a pending connection on a listening
 *	socket) or writable. timeout < 0 waits forever, 0 only polls.
 *	They return 0 when ready, -1 with errno ETIMEDOUT when time ran
 *	out, -1 with another errno on error.
 *
 *	readable() and writable() poll without waiting and return true
 *	when fd is ready; a closed peer or an error counts as ready, so
 *	that the next read or write reports it.
 *
 *	timed_read() waits at most timeout seconds (timeout <= 0: no
 *	limit of its own, plain read(2)) for input and reads it once;
 *	it returns the byte count (0 at end of file) or -1 with errno
 *	(ETIMEDOUT on timeout). On a non-blocking descriptor that turns
 *	out to have no data after all, it waits again until the deadline.
 *	timed_write() is the same for one write(2) of up to len bytes.
 *
 *	write_buf() writes all len bytes, with timeout (> 0) bounding the
 *	total time; it returns len, or -1 with errno (ETIMEDOUT, EPIPE...).
 *
 *	With timeout > 0 these functions never block in read(2) or
 *	write(2), whatever the descriptor's mode. Writes to sockets then
 *	use MSG_NOSIGNAL; for pipes, and for timeout <= 0, callers should
 *	ignore SIGPIPE.
 *
 *	peekfd() returns the number of bytes that can be read without
 *	blocking (FIONREAD), or -1 with errno.
 *
 *	duplex_pipe() makes a connected pair of AF_UNIX stream sockets
 *	(socketpair(2)): each end is readable and writable, and both have
 *	close-on-exec set (dup2() to a fixed descriptor clears it in the
 *	copy). Returns 0 or -1.
 *
 *	unix_send_fd() sends a copy of fd over the connected AF_UNIX
 *	socket sock (SCM_RIGHTS, with one byte of data). unix_recv_fd()
 *	receives one; the new descriptor has close-on-exec set. They
 *	return 0 (send) or the new descriptor (receive), or -1 with errno;
 *	unix_recv_fd() reports end of file as -1 with errno ECONNRESET and
 *	a message without descriptor as -1 with errno EBADMSG.
 */
#ifndef IOSTUFF_H
#define IOSTUFF_H

#include "sys_defs.h"

#define BLOCKING	0
#define NON_BLOCKING	1

#define PASS_ON_EXEC	0
#define CLOSE_ON_EXEC	1

extern int non_blocking(int fd, int mode);
extern int close_on_exec(int fd, int on);
extern int read_wait(int fd, int timeout);
extern int write_wait(int fd, int timeout);
extern bool readable(int fd);
extern bool writable(int fd);
extern ssize_t timed_read(int fd, void *buf, size_t len, int timeout);
extern ssize_t timed_write(int fd, const void *buf, size_t len, int timeout);
extern ssize_t write_buf(int fd, const void *buf, size_t len, int timeout);
extern ssize_t peekfd(int fd);
extern int duplex_pipe(int fds[2]);

extern int unix_send_fd(int sock, int fd);
extern int unix_recv_fd(int sock);

#endif
