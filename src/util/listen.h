/*
 * listen - server endpoints of every kind that master.cf knows
 *
 * SYNOPSIS
 *	#include "listen.h"
 *
 *	int	unix_listen(const char *path, int backlog, int block_mode,
 *				VSTRING *why);
 *	int	unix_dgram_listen(const char *path, int block_mode,
 *				VSTRING *why);
 *	int	unix_bind_socket(int socktype, const char *path, VSTRING *why);
 *	int	inet_listen(const char *addr, int backlog, int block_mode,
 *				VSTRING *why);
 *	int	fifo_listen(const char *path, int permissions, int block_mode,
 *				VSTRING *why);
 *	int	pass_listen(const char *path, int backlog, int block_mode,
 *				VSTRING *why);
 *	int	pass_accept(int listen_fd, int timeout);
 *
 * DESCRIPTION
 *	Each function lives in its own file (unix_listen.c, ...) and
 *	returns a descriptor ready for accept(2) or read(2), with
 *	close-on-exec set (master gives children their listeners with
 *	dup2(), which clears it in the copy) and with O_NONBLOCK set when
 *	block_mode is NON_BLOCKING (see iostuff.h). On failure it returns
 *	-1 with errno set and, when why is not null, a description such as
 *	"bind 127.0.0.1:25: Address already in use" in why.
 *
 *	unix_listen() creates an AF_UNIX stream socket at path, removing
 *	any old socket file first, makes it world-writable (access is
 *	controlled by the permissions of the directory, as in Postfix's
 *	private/ and public/), and listens with the given backlog.
 *
 *	unix_dgram_listen() creates an AF_UNIX datagram socket at path
 *	(the postlog service), in the same way. unix_bind_socket() is the
 *	part they share: a socket of the given type bound at path (old
 *	socket file removed, mode 0666), not yet listening.
 *
 *	inet_listen() parses addr with host_port(): "host:port",
 *	"[host]:port", "[ipv6]:port", ":port" or "port". A host name is
 *	looked up and its first address used; an empty host means the
 *	wildcard address of the first family of inet_proto_info()
 *	(0.0.0.0 when IPv4 is on, else ::). Port 0 picks a free port
 *	(see getsockname()). The socket has SO_REUSEADDR, and an IPv6
 *	socket has IPV6_V6ONLY, so that IPv4 and IPv6 wildcards can be
 *	bound side by side.
 *
 *	fifo_listen() creates a FIFO at path with the given permissions
 *	(if none exists) and opens it read-write and non-blocking, so that
 *	it never reports end of file when the last writer goes away. An
 *	existing file that is not a FIFO is an error.
 *
 *	pass_listen() is unix_listen(): a "pass" endpoint is an AF_UNIX
 *	stream socket on which a peer sends an already-accepted client
 *	connection. pass_accept() accepts one connection on listen_fd,
 *	waits at most timeout seconds (< 0: forever) for the descriptor
 *	that the peer sends with unix_send_fd(), closes the connection,
 *	and returns the received descriptor, or -1 with errno (EAGAIN when
 *	a non-blocking listen_fd has no pending connection, ETIMEDOUT,
 *	ECONNRESET, EBADMSG...).
 *
 * DIAGNOSTICS
 *	Errors are returned, never logged.
 */
#ifndef LISTEN_H
#define LISTEN_H

#include "sys_defs.h"
#include "vstring.h"
#include "iostuff.h"

extern int unix_listen(const char *path, int backlog, int block_mode,
		               VSTRING *why);
extern int unix_dgram_listen(const char *path, int block_mode, VSTRING *why);
extern int unix_bind_socket(int socktype, const char *path, VSTRING *why);
extern int inet_listen(const char *addr, int backlog, int block_mode,
		               VSTRING *why);
extern int fifo_listen(const char *path, int permissions, int block_mode,
		               VSTRING *why);
extern int pass_accept(int listen_fd, int timeout);

#define pass_listen(path, backlog, block_mode, why) \
	unix_listen((path), (backlog), (block_mode), (why))

#endif
