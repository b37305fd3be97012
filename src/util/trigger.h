/*
 * trigger - wake up a server with a short message
 *
 * SYNOPSIS
 *	#include "trigger.h"
 *
 *	int	unix_trigger(const char *path, const char *buf, size_t len,
 *				int timeout);
 *	int	inet_trigger(const char *addr, const char *buf, size_t len,
 *				int timeout);
 *	int	fifo_trigger(const char *path, const char *buf, size_t len,
 *				int timeout);
 *	int	unix_dgram_trigger(const char *path, const char *buf,
 *				size_t len, int timeout);
 *	int	pass_trigger(const char *path, const char *buf, size_t len,
 *				int timeout);
 *	int	trigger_send_close(int sock, const char *buf, size_t len,
 *				int timeout);
 *
 * DESCRIPTION
 *	A trigger is a few bytes (for example a single 'W' for "wake up")
 *	that master, postkick or a queue manager client sends to a server
 *	endpoint of each listen(3) kind; the server reads them and acts.
 *	Each function lives in its own file, connects, writes all len
 *	bytes, and closes, the whole within timeout seconds (> 0; 0 or
 *	less means no limit of our own). None of them waits for the
 *	server to read the bytes. They return 0 on success or -1 with
 *	errno set; nothing is logged (inet_trigger() logs what
 *	inet_connect() logs).
 *
 *	unix_trigger() uses an AF_UNIX stream socket, inet_trigger() a
 *	TCP connection to "host:port" (see inet_connect()), fifo_trigger()
 *	a FIFO (ENXIO when nobody has it open for reading),
 *	unix_dgram_trigger() one datagram (len must fit in one), and
 *	pass_trigger() a "pass" endpoint: it sends one end of a new
 *	duplex_pipe() with unix_send_fd() and writes the bytes into the
 *	other end, so that the server reads them from the descriptor it
 *	receives with pass_accept().
 *
 *	trigger_send_close() is the step the stream triggers share: it
 *	writes the bytes to a connected socket and closes it (sock < 0
 *	gives -1, so a failed connect can be passed straight in).
 *
 *	Callers should ignore SIGPIPE (a server that goes away while we
 *	write gives EPIPE).
 */
#ifndef TRIGGER_H
#define TRIGGER_H

#include "sys_defs.h"

extern int trigger_send_close(int sock, const char *buf, size_t len,
			              int timeout);
extern int unix_trigger(const char *path, const char *buf, size_t len,
			        int timeout);
extern int inet_trigger(const char *addr, const char *buf, size_t len,
			        int timeout);
extern int fifo_trigger(const char *path, const char *buf, size_t len,
			        int timeout);
extern int unix_dgram_trigger(const char *path, const char *buf, size_t len,
			              int timeout);
extern int pass_trigger(const char *path, const char *buf, size_t len,
			        int timeout);

#endif
