/*
 * dns_native - host address lookups through the C library
 *
 * SYNOPSIS
 *	#include "dns_native.h"
 *
 *	int	dns_native_lookup(const char *name, DNS_RR **rrlist,
 *				VSTRING *why);
 *
 * DESCRIPTION
 *	dns_native_lookup() looks up the addresses of a host name with
 *	getaddrinfo(3), so through the system's name service switch
 *	(/etc/hosts, the system resolver, ...), for the address families
 *	of inet_protocols. The result has the form of dns_lookup()'s:
 *	on DNS_OK, *rrlist (when not NULL) holds A and/or AAAA records,
 *	each address once, in the C library's order, with TTL 0 (the
 *	C library gives none) and qname = rname = name; the caller frees
 *	it with dns_rr_free(). At most DNS_MAX_RR records are kept.
 *
 *	This is how smtp_host_lookup = native and disable_dns_lookups =
 *	yes find hosts; it has no MX, TXT or other record types.
 *
 * DIAGNOSTICS
 *	Results as dns_lookup(): DNS_NOTEXIST (EAI_NONAME), DNS_NOTFOUND
 *	(EAI_NODATA: the name has no address of the wanted families),
 *	DNS_RETRY (EAI_AGAIN, EAI_MEMORY), DNS_FAIL (other errors),
 *	DNS_INVAL (an empty name). why receives "Name service error for
 *	name=N: <C library text>".
 */
#include "sys_defs.h"

#include <string.h>
#include <sys/socket.h>
#include <netdb.h>
#include <netinet/in.h>

#include "msg.h"
#include "vstring.h"
#include "myaddrinfo.h"
#include "inet_proto.h"
#include "dns.h"
#include "dns_native.h"

/* dns_native_status - DNS_* result of a getaddrinfo() error */

static int dns_native_status(int err)
{
    switch (err) {
    case EAI_NONAME:
	return (DNS_NOTEXIST);
#ifdef EAI_NODATA
    case EAI_NODATA:
	return (DNS_NOTFOUND);
#endif
    case EAI_AGAIN:
    case EAI_MEMORY:
	return (DNS_RETRY);
    default:
	return (DNS_FAIL);
    }
}

/* dns_native_same - is this address already in the list? */

static int dns_native_same(const DNS_RR *list, int type, const void *addr,
			           size_t len)
{
    for (; list != NULL; list = list->next)
	if (list->type == type && list->data_len == len
	    && memcmp(list->data, addr, len) == 0)
	    return (1);
    return (0);
}

/* dns_native_lookup - host addresses from the C library */

int     dns_native_lookup(const char *name, DNS_RR **rrlist, VSTRING *why)
{
    struct addrinfo *res;
    struct addrinfo *ai;
    DNS_RR *list = NULL;
    const void *addr;
    size_t  len;
    int     type;
    int     err;

    if (rrlist)
	*rrlist = NULL;
    if (*name == 0) {
	if (why)
	    vstring_sprintf(why, "Name service error for name=%s: "
			    "empty name", name);
	return (DNS_INVAL);
    }
    if ((err = hostname_to_sockaddr(name, (char *) 0, SOCK_STREAM, &res)) != 0) {
	if (why)
	    vstring_sprintf(why, "Name service error for name=%s: %s",
			    name, MAI_STRERROR(err));
	return (dns_native_status(err));
    }
    for (ai = res; ai != NULL; ai = ai->ai_next) {
	if (ai->ai_family == AF_INET) {
	    type = DNS_T_A;
	    addr = &((struct sockaddr_in *) ai->ai_addr)->sin_addr;
	    len = 4;
	} else if (ai->ai_family == AF_INET6) {
	    type = DNS_T_AAAA;
	    addr = &((struct sockaddr_in6 *) ai->ai_addr)->sin6_addr;
	    len = 16;
	} else {
	    continue;
	}
	if (dns_native_same(list, type, addr, len))
	    continue;
	if (dns_rr_count(list) >= DNS_MAX_RR)
	    break;
	list = dns_rr_append(list, dns_rr_create(name, name, type, 0,
						 addr, len));
    }
    freeaddrinfo(res);
    if (list == NULL) {
	if (why)
	    vstring_sprintf(why, "Name service error for name=%s: "
			    "no address of the enabled protocols", name);
	return (DNS_NOTFOUND);
    }
    if (rrlist)
	*rrlist = list;
    else
	dns_rr_free(list);
    return (DNS_OK);
}
