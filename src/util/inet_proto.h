/*
 * inet_proto - which internet protocols (IPv4, IPv6) to use
 *
 * SYNOPSIS
 *	#include "inet_proto.h"
 *
 *	typedef struct INET_PROTO_INFO {
 *	    int	    ai_family;		AF_UNSPEC, AF_INET or AF_INET6
 *	    int	    family_list[3];	AF_INET and/or AF_INET6, then 0
 *	    unsigned dns_atype_list[3];	1 (A) and/or 28 (AAAA), then 0
 *	    int	    mask;		INET_PROTO_MASK_IPV4 | ..._IPV6
 *	} INET_PROTO_INFO;
 *
 *	bool	inet_proto_parse(INET_PROTO_INFO *info, const char *context,
 *				const char *value, int kernel_mask,
 *				VSTRING *why);
 *	int	inet_proto_kernel_mask(void);
 *	const INET_PROTO_INFO *inet_proto_init(const char *context,
 *				const char *value);
 *	const INET_PROTO_INFO *inet_proto_info(void);
 *
 * DESCRIPTION
 *	This module turns an inet_protocols style value into the address
 *	families that the rest of the program uses for name lookups,
 *	listening sockets and interface enumeration.
 *
 *	The value is a list of "ipv4", "ipv6" and "all" separated by
 *	commas and/or white space, in any letter case ("all" is the same
 *	as "ipv4, ipv6"). Duplicates are harmless; an empty value selects
 *	no protocol at all. Whatever the order in the value, the lists
 *	always put IPv4 before IPv6. (Postfix 3.7 matches the keywords
 *	case-sensitively; accepting "IPv4" breaks no valid configuration.)
 *
 *	A requested family that kernel_mask does not contain is dropped,
 *	with a warning "<context>: disabling IPv6 name/address support:
 *	<reason>"; this applies to "all" and to explicit names alike.
 *
 *	inet_proto_parse() fills *info and returns true, or returns false
 *	with an error text in why (info is then untouched). kernel_mask
 *	says which families the kernel supports; tests pass a made-up mask.
 *
 *	inet_proto_kernel_mask() probes with socket(2) which families the
 *	kernel supports. The result is cached.
 *
 *	inet_proto_init() parses value against the kernel's families,
 *	stores the result as the process-wide setting and returns it.
 *	It terminates the process with a fatal error on a bad value.
 *
 *	inet_proto_info() returns the process-wide setting; when
 *	inet_proto_init() has not been called, it behaves as if called
 *	with "all" and context "inet_protocols".
 *
 *	ai_family is the value for getaddrinfo() hints: AF_UNSPEC when
 *	both families are on (and when none is), otherwise the one family.
 *
 * DIAGNOSTICS
 *	Error text: "unknown <context> value \"<word>\" in \"<value>\"".
 *	Warning: a requested family that the kernel lacks. Fatal:
 *	inet_proto_init() with a bad value.
 */
#ifndef INET_PROTO_H
#define INET_PROTO_H

#include "sys_defs.h"
#include "vstring.h"

#define INET_PROTO_MASK_IPV4	(1<<0)
#define INET_PROTO_MASK_IPV6	(1<<1)
#define INET_PROTO_MASK_ALL	(INET_PROTO_MASK_IPV4 | INET_PROTO_MASK_IPV6)

#define INET_PROTO_DNS_A	1	/* RFC 1035 type A */
#define INET_PROTO_DNS_AAAA	28	/* RFC 3596 type AAAA */

typedef struct INET_PROTO_INFO {
    int     ai_family;			/* getaddrinfo() hint */
    int     family_list[3];		/* 0-terminated */
    unsigned dns_atype_list[3];		/* 0-terminated */
    int     mask;			/* INET_PROTO_MASK_* */
} INET_PROTO_INFO;

extern bool inet_proto_parse(INET_PROTO_INFO *info, const char *context,
			             const char *value, int kernel_mask,
			             VSTRING *why);
extern int inet_proto_kernel_mask(void);
extern const INET_PROTO_INFO *inet_proto_init(const char *context,
					              const char *value);
extern const INET_PROTO_INFO *inet_proto_info(void);

#endif
