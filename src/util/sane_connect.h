/*
 * sane_connect - connect(2) without the surprises
 *
 * SYNOPSIS
 *	#include "sane_connect.h"
 *
 *	int	sane_connect(int sock, const struct sockaddr *sa,
 *				socklen_t len);
 *
 * DESCRIPTION
 *	sane_connect() connects sock to sa. TCP sockets get SO_KEEPALIVE
 *	first. When a signal interrupts a blocking connect, the kernel
 *	goes on connecting in the background, and calling connect(2)
 *	again would fail with EALREADY; sane_connect() instead waits for
 *	the outcome and returns it (an AF_UNIX connect is simply tried
 *	again: it does not go on in the background). A non-blocking
 *	socket returns
 *	EINPROGRESS as usual.
 *
 * DIAGNOSTICS
 *	0, or -1 with errno.
 */
#ifndef SANE_CONNECT_H
#define SANE_CONNECT_H

#include "sys_defs.h"
#include <sys/socket.h>

extern int sane_connect(int sock, const struct sockaddr *sa, socklen_t len);

#endif
