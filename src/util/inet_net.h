/*
 * inet_net - network prefixes: masks, prefix lengths, "net/len" text
 *
 * SYNOPSIS
 *	#include "inet_net.h"
 *
 *	void	inet_net_mask(unsigned char *bytes, size_t len, int prefix_len);
 *	int	inet_net_prefix_len(const unsigned char *mask, size_t len);
 *	int	inet_net_class_prefix(const struct sockaddr *addr);
 *	VSTRING	*inet_net_format(VSTRING *result, int family,
 *				const unsigned char *bytes, int prefix_len,
 *				int flags);
 *	bool	inet_net_from_sockaddr(VSTRING *result,
 *				const struct sockaddr *addr,
 *				const struct sockaddr *netmask, int flags);
 *	bool	inet_net_host_from_sockaddr(VSTRING *result,
 *				const struct sockaddr *addr, int flags);
 *	bool	inet_net_class_from_sockaddr(VSTRING *result,
 *				const struct sockaddr *addr,
 *				const struct sockaddr *netmask, int flags);
 *
 * DESCRIPTION
 *	This module computes the network text that Postfix prints for
 *	mynetworks and similar lists. The text is "a.b.c.d/len" for IPv4
 *	and, with INET_NET_FLAG_BRACKET_V6, "[v6::]/len" for IPv6
 *	(the form used in mynetworks and matchlists); without the flag
 *	IPv6 is written "v6::/len" (the form of cidr_table(5) messages).
 *	The address part is inet_ntop() text after the host bits are
 *	cleared, so it is the canonical compressed IPv6 form and never
 *	has a zone suffix: 127.0.0.1 with 255.0.0.0 gives "127.0.0.0/8",
 *	fe80::fc:ff:fe00:1 with a /64 mask gives "[fe80::]/64", ::1 with
 *	a /128 mask gives "[::1]/128". This matches "postconf -d
 *	mynetworks" of Postfix 3.7 on Linux, which prints, for example,
 *	"127.0.0.0/8 192.0.2.0/24 [::1]/128 [fd00::]/64 [fe80::]/64"
 *	(subnet style) or "127.0.0.1/32 ... [::1]/128 ..." (host style).
 *	Note: the "[::ffff:127.0.0.0]/104" entry often seen in Debian
 *	main.cf files is written by Debian's package installer, not by
 *	postconf -d, so nothing here produces it.
 *
 *	inet_net_mask() clears all bits after the first prefix_len bits
 *	of the len-byte address. A prefix_len outside 0..8*len panics.
 *
 *	inet_net_prefix_len() returns the number of leading one bits of a
 *	netmask, or -1 when the ones are not contiguous.
 *
 *	inet_net_class_prefix() returns the classful prefix length of an
 *	IPv4 address (A: 8, B: 16, C: 24, D: 4), or -1 for class E and
 *	for other families.
 *
 *	inet_net_format() writes the network text of bytes (4 or 16
 *	bytes by family, host bits already cleared or not: they are
 *	cleared in a copy) into result and returns result.
 *
 *	inet_net_from_sockaddr() ("subnet" style) formats the network of
 *	an interface address and its netmask (both AF_INET or both
 *	AF_INET6). inet_net_host_from_sockaddr() ("host" style) formats
 *	the address itself as /32 or /128. inet_net_class_from_sockaddr()
 *	("class" style) uses the classful network for IPv4 (falling back
 *	to the netmask for class E) and the netmask for IPv6, as Postfix
 *	does. Each returns false, leaving result alone, when the family
 *	is not AF_INET/AF_INET6, the families differ, or the netmask is
 *	not contiguous.
 *
 * DIAGNOSTICS
 *	Panic: bad prefix length or family passed to inet_net_mask() or
 *	inet_net_format().
 */
#ifndef INET_NET_H
#define INET_NET_H

#include "sys_defs.h"
#include <sys/socket.h>

#include "vstring.h"

#define INET_NET_FLAG_NONE		0
#define INET_NET_FLAG_BRACKET_V6	(1<<0)

extern void inet_net_mask(unsigned char *bytes, size_t len, int prefix_len);
extern int inet_net_prefix_len(const unsigned char *mask, size_t len);
extern int inet_net_class_prefix(const struct sockaddr *addr);
extern VSTRING *inet_net_format(VSTRING *result, int family,
				        const unsigned char *bytes,
				        int prefix_len, int flags);
extern bool inet_net_from_sockaddr(VSTRING *result,
				           const struct sockaddr *addr,
				           const struct sockaddr *netmask,
				           int flags);
extern bool inet_net_host_from_sockaddr(VSTRING *result,
				                const struct sockaddr *addr,
				                int flags);
extern bool inet_net_class_from_sockaddr(VSTRING *result,
				                 const struct sockaddr *addr,
				                 const struct sockaddr *netmask,
				                 int flags);

#endif
