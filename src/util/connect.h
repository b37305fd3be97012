/*
 * connect - client endpoints matching listen(3)
 *
 * SYNOPSIS
 *	#include "connect.h"
 *
 *	int	unix_connect(const char *path, int block_mode, int timeout);
 *	int	unix_socket_connect(int socktype, const char *path,
 *				int block_mode, int timeout);
 *	int	unix_dgram_connect(const char *path, int block_mode);
 *	int	inet_connect(const char *addr, int block_mode, int timeout);
 *	int	timed_connect(int sock, const struct sockaddr *sa,
 *				socklen_t len, int timeout);
 *	int	pass_send(const char *path, int fd, int timeout);
 *
 * DESCRIPTION
 *	Each function lives in its own file. The connect functions return
 *	a connected descriptor with close-on-exec set and O_NONBLOCK set
 *	according to block_mode (BLOCKING or NON_BLOCKING, iostuff.h), or
 *	-1 with errno set. Nothing is logged except where noted.
 *
 *	unix_connect() connects to the AF_UNIX stream socket at path.
 *	timeout > 0 bounds the time spent waiting for the server's listen
 *	queue; timeout <= 0 waits as long as connect(2) does.
 *
 *	unix_socket_connect() is unix_connect() for any socket type
 *	(SOCK_STREAM or SOCK_DGRAM).
 *
 *	unix_dgram_connect() makes an AF_UNIX datagram socket whose
 *	default destination is path (for send(2)).
 *
 *	inet_connect() parses addr with host_port() ("host:port",
 *	"[host]:port", "[ipv6]:port"; an empty host means "localhost"),
 *	looks it up with hostname_to_sockaddr(), and tries each address
 *	in turn until one accepts, each within timeout seconds (<= 0:
 *	the system's own limit). errno is that of the last attempt.
 *	Bad syntax and failed lookups are logged as warnings and give
 *	errno EINVAL and EADDRNOTAVAIL.
 *
 *	timed_connect() connects sock to sa within timeout seconds
 *	(<= 0: no limit of its own) and returns 0 or -1 with errno
 *	(ETIMEDOUT on timeout). The socket's blocking mode is unchanged
 *	afterwards. For AF_UNIX sockets the wait is for room in the
 *	server's listen queue.
 *
 *	pass_send() connects to the "pass" endpoint at path and sends fd
 *	with unix_send_fd(), all within timeout seconds; the caller still
 *	owns fd and normally closes it. Returns 0 or -1 with errno.
 *
 * DIAGNOSTICS
 *	inet_connect(): warnings for bad syntax and failed lookups.
 */
#ifndef CONNECT_H
#define CONNECT_H

#include "sys_defs.h"
#include <sys/socket.h>

#include "iostuff.h"

extern int unix_connect(const char *path, int block_mode, int timeout);
extern int unix_socket_connect(int socktype, const char *path, int block_mode,
			               int timeout);
extern int unix_dgram_connect(const char *path, int block_mode);
extern int inet_connect(const char *addr, int block_mode, int timeout);
extern int timed_connect(int sock, const struct sockaddr *sa, socklen_t len,
			         int timeout);
extern int pass_send(const char *path, int fd, int timeout);

#endif
