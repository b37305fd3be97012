/*
 * inet_connect - connect to a TCP server by "host:port"
 *
 * DESCRIPTION
 *	See connect.h.
 */
#include "sys_defs.h"

#include <errno.h>
#include <unistd.h>

#include "msg.h"
#include "excerpt.h"
#include "mymalloc.h"
#include "host_port.h"
#include "myaddrinfo.h"
#include "connect.h"

/* inet_connect_one - try one address */
static int inet_connect_one(const struct addrinfo *ai, int block_mode,
			            int timeout)
{
    int     sock;
    int     saved_errno;

    if ((sock = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
		       ai->ai_protocol)) < 0)
	return -1;
    if (timed_connect(sock, ai->ai_addr, ai->ai_addrlen, timeout) < 0
	|| non_blocking(sock, block_mode) < 0) {
	saved_errno = errno;
	(void) close(sock);
	errno = saved_errno;
	return -1;
    }
    return sock;
}

/* inet_connect - connect to host:port, trying each address */
int     inet_connect(const char *addr, int block_mode, int timeout)
{
    char   *buf = mystrdup(addr);
    const char *host;
    const char *port;
    const char *err;
    struct addrinfo *res;
    struct addrinfo *ai;
    int     status;
    int     sock = -1;
    int     saved_errno = EADDRNOTAVAIL;

    if ((err = host_port(buf, &host, "localhost", &port, NULL)) != NULL
	|| (err = (port == NULL ? "missing port number" : NULL)) != NULL) {
	msg_warn("inet_connect: bad address \"%s\": %s", excerpt(addr), err);
	myfree(buf);
	errno = EINVAL;
	return -1;
    }
    if ((status = hostname_to_sockaddr(host, port, SOCK_STREAM, &res)) != 0) {
	msg_warn("inet_connect: look up %s: %s", excerpt(addr),
		 MAI_STRERROR(status));
	myfree(buf);
	errno = EADDRNOTAVAIL;
	return -1;
    }
    myfree(buf);
    for (ai = res; ai != NULL && sock < 0; ai = ai->ai_next)
	if ((sock = inet_connect_one(ai, block_mode, timeout)) < 0)
	    saved_errno = errno;
    freeaddrinfo(res);
    if (sock < 0)
	errno = saved_errno;
    return sock;
}
