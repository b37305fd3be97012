/*
 * inet_listen - listen on a TCP address
 *
 * DESCRIPTION
 *	See listen.h.
 */
#include "sys_defs.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>

#include "msg.h"
#include "excerpt.h"
#include "mymalloc.h"
#include "vstring.h"
#include "host_port.h"
#include "inet_proto.h"
#include "myaddrinfo.h"
#include "listen.h"

/* inet_listen_fail - report, clean up, keep errno */
static int inet_listen_fail(int sock, VSTRING *why, const char *what,
			            const struct addrinfo *ai)
{
    int     saved_errno = errno;
    MAI_HOSTADDR_STR hostaddr;
    MAI_SERVPORT_STR portnum;

    if (why != NULL) {
	if (sockaddr_to_hostaddr(ai->ai_addr, ai->ai_addrlen, &hostaddr,
				 &portnum, 0) == 0) {
	    host_port_format(why, hostaddr.buf, portnum.buf);
	    vstring_sprintf_prepend(why, "%s ", what);
	    vstring_sprintf_append(why, ": %s", strerror(saved_errno));
	} else {
	    vstring_sprintf(why, "%s: %s", what, strerror(saved_errno));
	}
    }
    if (sock >= 0)
	(void) close(sock);
    errno = saved_errno;
    return -1;
}

/* pick_address - first result of the preferred family, else the first */
static const struct addrinfo *pick_address(const struct addrinfo *res,
					           bool wildcard)
{
    const struct addrinfo *ai;
    int     family = inet_proto_info()->family_list[0];

    if (wildcard)
	for (ai = res; ai != NULL; ai = ai->ai_next)
	    if (ai->ai_family == family)
		return ai;
    return res;
}

/* inet_listen - TCP listener on host:port */
int     inet_listen(const char *addr, int backlog, int block_mode, VSTRING *why)
{
    char   *buf = mystrdup(addr);
    const char *host;
    const char *port;
    const char *err;
    struct addrinfo *res;
    const struct addrinfo *ai;
    int     status;
    int     sock;
    int     on = 1;

    if ((err = host_port(buf, &host, "", &port, NULL)) != NULL
	|| (err = (port == NULL ? "missing port number" : NULL)) != NULL) {
	if (why != NULL)
	    vstring_sprintf(why, "bad address \"%s\": %s", excerpt(addr), err);
	myfree(buf);
	errno = EINVAL;
	return -1;
    }
    if ((status = hostname_to_sockaddr(*host ? host : NULL, port,
				       SOCK_STREAM, &res)) != 0) {
	if (why != NULL)
	    vstring_sprintf(why, "look up \"%s\": %s", excerpt(addr),
			    MAI_STRERROR(status));
	myfree(buf);
	errno = EADDRNOTAVAIL;
	return -1;
    }
    if ((ai = pick_address(res, *host == 0)) == NULL)
	msg_panic("inet_listen: empty address list");
    myfree(buf);

    if ((sock = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
		       ai->ai_protocol)) < 0)
	status = inet_listen_fail(-1, why, "socket", ai);
    else if (setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) < 0)
	status = inet_listen_fail(sock, why, "setsockopt SO_REUSEADDR", ai);
    else if (ai->ai_family == AF_INET6
	     && setsockopt(sock, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof(on)) < 0)
	status = inet_listen_fail(sock, why, "setsockopt IPV6_V6ONLY", ai);
    else if (bind(sock, ai->ai_addr, ai->ai_addrlen) < 0)
	status = inet_listen_fail(sock, why, "bind", ai);
    else if (listen(sock, backlog) < 0)
	status = inet_listen_fail(sock, why, "listen", ai);
    else if (non_blocking(sock, block_mode) < 0)
	status = inet_listen_fail(sock, why, "set blocking mode", ai);
    else
	status = sock;
    freeaddrinfo(res);
    return status;
}
