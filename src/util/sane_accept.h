/*
 * sane_accept - accept(2) without the surprises
 *
 * SYNOPSIS
 *	#include "sane_accept.h"
 *
 *	int	sane_accept(int sock, struct sockaddr *sa, socklen_t *len);
 *
 * DESCRIPTION
 *	sane_accept() accepts one connection on the listening socket sock
 *	and returns the new descriptor with close-on-exec set (and in
 *	blocking mode, whatever the listener's mode). sa and len may be
 *	null, as with accept(2).
 *
 *	It retries when a signal interrupts the call, and reports errors
 *	that concern only the one client that went away before we
 *	accepted it (ECONNABORTED, EPROTO, ENETDOWN, EHOSTUNREACH, and
 *	the other network errors that Linux passes up from accept) as
 *	EAGAIN, so that a server treats them like "no connection after
 *	all" and keeps going. TCP connections get SO_KEEPALIVE, so that
 *	dead peers are noticed eventually.
 *
 * DIAGNOSTICS
 *	-1 with errno, as described.
 */
#ifndef SANE_ACCEPT_H
#define SANE_ACCEPT_H

#include "sys_defs.h"
#include <sys/socket.h>

extern int sane_accept(int sock, struct sockaddr *sa, socklen_t *len);

#endif
