/*
 * inet_net - network prefixes: masks, prefix lengths, "net/len" text
 *
 * DESCRIPTION
 *	See inet_net.h.
 */
#include "sys_defs.h"

#include <string.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include "msg.h"
#include "inet_net.h"

/* inet_net_mask - clear the host bits after prefix_len */
void    inet_net_mask(unsigned char *bytes, size_t len, int prefix_len)
{
    size_t  n;

    if (prefix_len < 0 || (size_t) prefix_len > 8 * len)
	msg_panic("inet_net_mask: bad prefix length %d for %zu bytes",
		  prefix_len, len);
    for (n = 0; n < len; n++, prefix_len -= 8) {
	if (prefix_len <= 0)
	    bytes[n] = 0;
	else if (prefix_len < 8)
	    bytes[n] &= (unsigned char) (0xff << (8 - prefix_len));
    }
}

/* inet_net_prefix_len - count leading one bits of a netmask */
int     inet_net_prefix_len(const unsigned char *mask, size_t len)
{
    int     bits = 0;
    size_t  n;
    int     bit;
    bool    zero_seen = false;

    for (n = 0; n < len; n++) {
	for (bit = 7; bit >= 0; bit--) {
	    if (mask[n] & (1 << bit)) {
		if (zero_seen)
		    return -1;
		bits++;
	    } else {
		zero_seen = true;
	    }
	}
    }
    return bits;
}

/* inet_net_class_prefix - classful network size of an IPv4 address */
int     inet_net_class_prefix(const struct sockaddr *addr)
{
    unsigned char first;

    if (addr->sa_family != AF_INET)
	return -1;
    first = ((const unsigned char *)
	     &((const struct sockaddr_in *) addr)->sin_addr)[0];
    if ((first & 0x80) == 0)
	return 8;				/* class A */
    if ((first & 0xc0) == 0x80)
	return 16;				/* class B */
    if ((first & 0xe0) == 0xc0)
	return 24;				/* class C */
    if ((first & 0xf0) == 0xe0)
	return 4;				/* class D */
    return -1;					/* class E */
}

/* inet_net_format - network text of an address and prefix length */
VSTRING *inet_net_format(VSTRING *result, int family,
			         const unsigned char *bytes, int prefix_len,
			         int flags)
{
    unsigned char net[16];
    char    text[INET6_ADDRSTRLEN];
    size_t  len;

    if (family == AF_INET)
	len = 4;
    else if (family == AF_INET6)
	len = 16;
    else
	msg_panic("inet_net_format: bad address family %d", family);
    memcpy(net, bytes, len);
    inet_net_mask(net, len, prefix_len);
    if (inet_ntop(family, net, text, sizeof(text)) == NULL)
	msg_panic("inet_net_format: inet_ntop: %m");
    if (family == AF_INET6 && (flags & INET_NET_FLAG_BRACKET_V6))
	vstring_sprintf(result, "[%s]/%d", text, prefix_len);
    else
	vstring_sprintf(result, "%s/%d", text, prefix_len);
    return result;
}

/* sockaddr_bytes - address bytes and length of an inet socket address */
static const unsigned char *sockaddr_bytes(const struct sockaddr *sa,
					           size_t *len)
{
    if (sa->sa_family == AF_INET) {
	*len = 4;
	return (const unsigned char *) &((const struct sockaddr_in *) sa)->sin_addr;
    }
    if (sa->sa_family == AF_INET6) {
	*len = 16;
	return ((const struct sockaddr_in6 *) sa)->sin6_addr.s6_addr;
    }
    return NULL;
}

/* inet_net_from_sockaddr - "subnet" network text */
bool    inet_net_from_sockaddr(VSTRING *result, const struct sockaddr *addr,
			               const struct sockaddr *netmask, int flags)
{
    const unsigned char *ap;
    const unsigned char *mp;
    size_t  alen;
    size_t  mlen;
    int     prefix_len;

    if ((ap = sockaddr_bytes(addr, &alen)) == NULL
	|| netmask->sa_family != addr->sa_family
	|| (mp = sockaddr_bytes(netmask, &mlen)) == NULL
	|| (prefix_len = inet_net_prefix_len(mp, mlen)) < 0)
	return false;
    inet_net_format(result, addr->sa_family, ap, prefix_len, flags);
    return true;
}

/* inet_net_host_from_sockaddr - "host" network text */
bool    inet_net_host_from_sockaddr(VSTRING *result,
				            const struct sockaddr *addr, int flags)
{
    const unsigned char *ap;
    size_t  alen;

    if ((ap = sockaddr_bytes(addr, &alen)) == NULL)
	return false;
    inet_net_format(result, addr->sa_family, ap, (int) (8 * alen), flags);
    return true;
}

/* inet_net_class_from_sockaddr - "class" network text */
bool    inet_net_class_from_sockaddr(VSTRING *result,
				             const struct sockaddr *addr,
				             const struct sockaddr *netmask,
				             int flags)
{
    const unsigned char *ap;
    size_t  alen;
    int     prefix_len;

    if (netmask->sa_family != addr->sa_family)
	return false;
    if ((prefix_len = inet_net_class_prefix(addr)) < 0)
	return inet_net_from_sockaddr(result, addr, netmask, flags);
    ap = sockaddr_bytes(addr, &alen);
    inet_net_format(result, AF_INET, ap, prefix_len, flags);
    return true;
}
