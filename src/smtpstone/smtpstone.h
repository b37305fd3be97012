/*
 * smtpstone - what smtp-source(1) and smtp-sink(1) share
 *
 * SYNOPSIS
 *	#include "smtpstone.h"
 *
 *	typedef struct SMTPSTONE_ENDPOINT {
 *	    struct sockaddr_storage addr;
 *	    socklen_t addrlen;
 *	    char   *label;
 *	} SMTPSTONE_ENDPOINT;
 *
 *	bool	smtpstone_endpoint(SMTPSTONE_ENDPOINT *ep, const char *text,
 *				const char *def_port, int family,
 *				bool passive, VSTRING *why);
 *	void	smtpstone_endpoint_free(SMTPSTONE_ENDPOINT *ep);
 *	void	smtpstone_window(int fd, int window_size);
 *	int	smtpstone_line(struct evbuffer *in, VSTRING *line,
 *				size_t limit);
 *	int	smtpstone_count(const char *text, const char *what,
 *				int minimum);
 *
 * DESCRIPTION
 *	The two test programs speak opposite ends of SMTP/LMTP; this
 *	module holds the little they have in common.
 *
 *	smtpstone_endpoint() turns "unix:pathname", "inet:host:port",
 *	"host:port", "[address]:port", ":port" or "host" into one socket
 *	address. family is AF_UNSPEC, AF_INET or AF_INET6 (options -4 and
 *	-6). def_port replaces a missing port (NULL: a port is required).
 *	passive asks for an address to listen on: an empty host is then
 *	the wildcard address (IPv6 "::", which also takes IPv4, unless
 *	family is AF_INET). The label is the text to show in messages.
 *
 *	smtpstone_window() sets the socket receive and send buffers to
 *	window_size bytes (options -T); 0 leaves them alone.
 *
 *	smtpstone_line() moves one CRLF (or bare LF) terminated line from
 *	in to line, without its terminator, and returns 1; it returns 0
 *	when no complete line is there yet, and -1 when more than limit
 *	bytes wait without a line end (the caller decides what to do with
 *	an overlong line; nothing is removed then).
 *
 *	smtpstone_count() converts a decimal command-line value, and
 *	terminates with "bad <what>: <text>" when it is not a number or
 *	less than minimum.
 *
 * DIAGNOSTICS
 *	smtpstone_endpoint() returns false with the reason in why.
 */
#ifndef SMTPSTONE_H
#define SMTPSTONE_H

#include "sys_defs.h"
#include <sys/socket.h>

#include "vstring.h"

struct evbuffer;

typedef struct SMTPSTONE_ENDPOINT {
    struct sockaddr_storage addr;	/* resolved socket address */
    socklen_t addrlen;			/* its length */
    char   *label;			/* for messages */
} SMTPSTONE_ENDPOINT;

extern bool smtpstone_endpoint(SMTPSTONE_ENDPOINT *ep, const char *text,
			               const char *def_port, int family,
			               bool passive, VSTRING *why);
extern void smtpstone_endpoint_free(SMTPSTONE_ENDPOINT *ep);
extern void smtpstone_window(int fd, int window_size);
extern int smtpstone_line(struct evbuffer *in, VSTRING *line, size_t limit);
extern int smtpstone_count(const char *text, const char *what, int minimum);

#endif
