/*
 * cidr_match - parse and match "network/length" address patterns
 *
 * SYNOPSIS
 *	#include "cidr_match.h"
 *
 *	typedef struct CIDR_MATCH {
 *	    int	    family;		AF_INET or AF_INET6
 *	    int	    prefix_len;		0..32 or 0..128
 *	    size_t  byte_count;		4 or 16
 *	    unsigned char net_bytes[16];
 *	    unsigned char mask_bytes[16];
 *	    bool    match;		false: negated pattern
 *	} CIDR_MATCH;
 *
 *	bool	cidr_match_parse(CIDR_MATCH *info, const char *pattern,
 *				bool match, VSTRING *why);
 *	bool	cidr_match_execute(const CIDR_MATCH *info, const char *addr);
 *	bool	cidr_match_sockaddr(const CIDR_MATCH *info,
 *				const struct sockaddr *sa);
 *	VSTRING	*cidr_match_format(VSTRING *result, const CIDR_MATCH *info);
 *
 * DESCRIPTION
 *	This module implements the address patterns of Postfix CIDR
 *	tables (cidr_table(5)) and of network lists such as mynetworks,
 *	without the table file handling (if/endif, results) that belongs
 *	to the table driver.
 *
 *	cidr_match_parse() parses pattern into *info. Accepted forms:
 *	"1.2.3.4" (one address), "1.2.3.0/24", "2001:db8::1",
 *	"2001:db8::/32", and each of them with the address in brackets:
 *	"[2001:db8::]/32"; the brackets may also enclose the whole
 *	pattern: "[1.2.3.0/24]". A ':' selects IPv6. Addresses are
 *	converted with inet_pton(3), so IPv4 octets with leading zeros,
 *	short forms like "1.2.3" and IPv6 zone suffixes are refused. The
 *	length is decimal (leading zeros allowed, no sign) and at most 32
 *	or 128; the address must have no bits set after the prefix. A
 *	bare address means the full length. match is the value that
 *	cidr_match_execute() returns when the address is inside the
 *	network (false for a negated "!pattern" rule). On error, info is
 *	undefined, why holds the reason (below) and the result is false.
 *
 *	cidr_match_execute() converts addr with inet_pton() and returns
 *	true when the rule applies: when addr lies inside the network
 *	(info->match true) or outside it (info->match false). It returns
 *	false when addr is not a valid address (brackets, white space and
 *	zone suffixes are not accepted) or is of the other family.
 *	Like Postfix, families never mix: an IPv4 pattern never applies
 *	to an IPv6 address, not even an IPv4-mapped one (::ffff:1.2.3.4
 *	does not match 1.2.3.0/24; it matches ::ffff:1.2.3.0/120), and a
 *	negated IPv4 pattern does not apply to IPv6 addresses either.
 *	Postfix programs convert IPv4-mapped client addresses to plain
 *	IPv4 before they match them (see sockaddr_unmap_v4() in
 *	myaddrinfo(3)).
 *
 *	cidr_match_sockaddr() is the same for an AF_INET or AF_INET6
 *	socket address (other families never apply).
 *
 *	cidr_match_format() writes the canonical "net/len" text of info
 *	(IPv6 without brackets) into result and returns result.
 *
 * DIAGNOSTICS
 *	Error texts, with <p> the pattern without brackets:
 *	missing ']' character after "[<p>"
 *	garbage after "[<p>]"
 *	bad mask value in "<p>"             (length not all digits)
 *	bad mask length in "<p>"            (length too large)
 *	bad network value in "<p>"          (address before '/')
 *	non-null host address bits in "<p>", perhaps you should use
 *	    "<net>/<len>" instead
 *	bad address pattern: "<p>"          (address without '/')
 *	The pattern text in messages is truncated to 100 characters.
 */
#ifndef CIDR_MATCH_H
#define CIDR_MATCH_H

#include "sys_defs.h"
#include <sys/socket.h>

#include "vstring.h"

#define CIDR_MATCH_TRUE		true
#define CIDR_MATCH_FALSE	false

typedef struct CIDR_MATCH {
    int     family;			/* AF_INET or AF_INET6 */
    int     prefix_len;			/* network bits */
    size_t  byte_count;			/* 4 or 16 */
    unsigned char net_bytes[16];	/* network, host bits zero */
    unsigned char mask_bytes[16];	/* netmask */
    bool    match;			/* false: negated rule */
} CIDR_MATCH;

extern bool cidr_match_parse(CIDR_MATCH *info, const char *pattern,
			             bool match, VSTRING *why);
extern bool cidr_match_execute(const CIDR_MATCH *info, const char *addr);
extern bool cidr_match_sockaddr(const CIDR_MATCH *info,
				        const struct sockaddr *sa);
extern VSTRING *cidr_match_format(VSTRING *result, const CIDR_MATCH *info);

#endif
