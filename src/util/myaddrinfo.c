/*
 * myaddrinfo - getaddrinfo(3) and getnameinfo(3) made convenient
 *
 * DESCRIPTION
 *	See myaddrinfo.h.
 */
#include "sys_defs.h"

#include <stdio.h>
#include <sys/un.h>

#include "msg.h"
#include "inet_proto.h"
#include "valid_hostname.h"
#include "myaddrinfo.h"

/* family_wanted - is the family in the inet_proto selection? */
static bool family_wanted(int pf, int family)
{
    return (pf == AF_UNSPEC ? (family == AF_INET || family == AF_INET6)
	    : family == pf);
}

/* filter_families - drop results of other families (AF_UNSPEC lookups) */
static int filter_families(int pf, struct addrinfo **res)
{
    struct addrinfo **link = res;
    struct addrinfo *ai;

    while ((ai = *link) != NULL) {
	if (family_wanted(pf, ai->ai_family)) {
	    link = &ai->ai_next;
	} else {
	    *link = ai->ai_next;
	    ai->ai_next = NULL;
	    freeaddrinfo(ai);
	}
    }
    if (*res == NULL)
	return EAI_FAMILY;
    return 0;
}

/* lookup - common part of the forward lookups */
static int lookup(const char *host, int pf, const char *service,
		          int socktype, int flags, struct addrinfo **res)
{
    struct addrinfo hints;
    int     status;

    memset(&hints, 0, sizeof(hints));
    hints.ai_family = pf;
    hints.ai_socktype = socktype;
    hints.ai_flags = flags;
    if (host == NULL)
	hints.ai_flags |= AI_PASSIVE;
    if (service == NULL || *service == 0)
	service = "0";
    if (valid_hostport(service, DONT_GRIPE))
	hints.ai_flags |= AI_NUMERICSERV;
    if (host != NULL && valid_hostaddr(host, DONT_GRIPE))
	hints.ai_flags |= AI_NUMERICHOST;
    *res = NULL;
    if ((status = getaddrinfo(host, service, &hints, res)) != 0) {
	*res = NULL;
	return status;
    }
    return filter_families(pf, res);
}

/* hostname_to_sockaddr_pf - name or address to socket addresses */
int     hostname_to_sockaddr_pf(const char *host, int pf, const char *service,
				        int socktype, struct addrinfo **res)
{
    if (pf != AF_UNSPEC && pf != AF_INET && pf != AF_INET6) {
	*res = NULL;
	return EAI_FAMILY;
    }
    return lookup(host, pf, service, socktype, 0, res);
}

/* hostname_to_sockaddr - lookup restricted to inet_proto families */
int     hostname_to_sockaddr(const char *host, const char *service,
			             int socktype, struct addrinfo **res)
{
    const INET_PROTO_INFO *proto = inet_proto_info();

    if (proto->mask == 0) {
	*res = NULL;
	return EAI_FAMILY;
    }
    return lookup(host, proto->ai_family, service, socktype, 0, res);
}

/* hostaddr_to_sockaddr - numeric address to socket addresses */
int     hostaddr_to_sockaddr(const char *hostaddr, const char *service,
			             int socktype, struct addrinfo **res)
{
    const INET_PROTO_INFO *proto = inet_proto_info();

    *res = NULL;
    if (hostaddr != NULL && !valid_hostaddr(hostaddr, DONT_GRIPE))
	return EAI_NONAME;
    if (service != NULL && *service != 0
	&& !valid_hostport(service, DONT_GRIPE))
	return EAI_SERVICE;
    if (proto->mask == 0)
	return EAI_FAMILY;
    return lookup(hostaddr, proto->ai_family, service, socktype,
		  AI_NUMERICHOST | AI_NUMERICSERV, res);
}

/* sockaddr_to_hostaddr - numeric address and port text */
int     sockaddr_to_hostaddr(const struct sockaddr *sa, socklen_t salen,
			             MAI_HOSTADDR_STR *hostaddr,
			             MAI_SERVPORT_STR *portnum, int socktype)
{
    const void *addr;
    unsigned port;

    (void) socktype;
    if (sa->sa_family == AF_INET) {
	const struct sockaddr_in *sin = (const struct sockaddr_in *) sa;

	if (salen < (socklen_t) sizeof(*sin))
	    return EAI_FAIL;
	addr = &sin->sin_addr;
	port = ntohs(sin->sin_port);
    } else if (sa->sa_family == AF_INET6) {
	const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *) sa;

	if (salen < (socklen_t) sizeof(*sin6))
	    return EAI_FAIL;
	addr = &sin6->sin6_addr;
	port = ntohs(sin6->sin6_port);
    } else {
	return EAI_FAMILY;
    }
    if (hostaddr != NULL
	&& inet_ntop(sa->sa_family, addr, hostaddr->buf,
		     sizeof(hostaddr->buf)) == NULL)
	msg_panic("sockaddr_to_hostaddr: inet_ntop: %m");
    if (portnum != NULL)
	snprintf(portnum->buf, sizeof(portnum->buf), "%u", port);
    return 0;
}

/* sockaddr_to_hostname - reverse lookup of address and service */
int     sockaddr_to_hostname(const struct sockaddr *sa, socklen_t salen,
			             MAI_HOSTNAME_STR *hostname,
			             MAI_SERVNAME_STR *service, int socktype)
{
    int     flags = NI_NAMEREQD;

    if (sa->sa_family != AF_INET && sa->sa_family != AF_INET6)
	return EAI_FAMILY;
    if (socktype == SOCK_DGRAM)
	flags |= NI_DGRAM;
    return getnameinfo(sa, salen,
		       hostname ? hostname->buf : NULL,
		       hostname ? sizeof(hostname->buf) : 0,
		       service ? service->buf : NULL,
		       service ? sizeof(service->buf) : 0, flags);
}

/* sockaddr_unmap_v4 - IPv4-mapped IPv6 address to plain IPv4 */
bool    sockaddr_unmap_v4(const struct sockaddr *sa, struct sockaddr_in *sin)
{
    const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *) sa;

    if (sa->sa_family != AF_INET6 || !IN6_IS_ADDR_V4MAPPED(&sin6->sin6_addr))
	return false;
    memset(sin, 0, sizeof(*sin));
    sin->sin_family = AF_INET;
    sin->sin_port = sin6->sin6_port;
    memcpy(&sin->sin_addr, sin6->sin6_addr.s6_addr + 12,
	   sizeof(sin->sin_addr));
    return true;
}

/* sockaddr_len - length of a socket address by family */
socklen_t sockaddr_len(const struct sockaddr *sa)
{
    switch (sa->sa_family) {
    case AF_INET:
	return sizeof(struct sockaddr_in);
    case AF_INET6:
	return sizeof(struct sockaddr_in6);
    case AF_UNIX:
	return sizeof(struct sockaddr_un);
    default:
	return 0;
    }
}
