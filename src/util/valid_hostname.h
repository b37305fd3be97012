/*
 * valid_hostname - syntax checks for host names, addresses and ports
 *
 * SYNOPSIS
 *	#include "valid_hostname.h"
 *
 *	bool	valid_hostname(const char *name, int flags);
 *	bool	valid_hostaddr(const char *addr, int flags);
 *	bool	valid_ipv4_hostaddr(const char *addr, int flags);
 *	bool	valid_ipv6_hostaddr(const char *addr, int flags);
 *	bool	valid_hostport(const char *port, int flags);
 *
 * DESCRIPTION
 *	These functions decide whether text that came from a peer or from
 *	a configuration file has the shape of a host name, a numeric host
 *	address or a numeric port. They look at syntax only: no name
 *	service is consulted, and a "valid" name need not exist.
 *
 *	valid_hostname() accepts RFC 1035 style names: labels separated
 *	by '.', each label made of ASCII letters, digits, '-' and '_'
 *	(the underscore is tolerated because real-world names use it),
 *	1..63 characters per label, at most 255 characters in total, no
 *	hyphen at the start or end of a label, no empty label (so no
 *	leading, trailing or doubled dot), and not made only of digits
 *	and dots. With DO_WILDCARD, "*" is also allowed as the entire
 *	first label ("*.example.com").
 *
 *	valid_hostaddr() accepts a numeric IPv4 or IPv6 address: text
 *	with a ':' is checked with valid_ipv6_hostaddr(), other text with
 *	valid_ipv4_hostaddr().
 *
 *	valid_ipv4_hostaddr() accepts exactly four decimal octets 0..255
 *	separated by dots. An octet has no leading zero (inet_pton(3)
 *	rejects those, and some resolvers read them as octal). A first
 *	octet of zero is allowed only in 0.0.0.0, like Postfix.
 *
 *	valid_ipv6_hostaddr() accepts the RFC 4291 text forms: eight
 *	groups of 1..4 hex digits separated by ':', with at most one "::"
 *	standing for one or more zero groups ("::", "::1", "2001:db8::",
 *	"1::2:3"), and optionally a dotted IPv4 address in place of the
 *	last two groups ("::ffff:192.0.2.1", "64:ff9b::192.0.2.1"). Zone
 *	suffixes ("%eth0") and brackets are not accepted.
 *
 *	valid_hostport() accepts a decimal port number 0..65535 without
 *	sign and without leading zero.
 *
 *	flags is DONT_GRIPE (0) or a combination of:
 * .IP DO_GRIPE
 *	Log a warning that says what is wrong, for example
 *	"valid_hostname: misplaced hyphen in "-bad.example"". The input
 *	is quoted, and truncated to 100 characters with "..." appended.
 * .IP DO_WILDCARD
 *	valid_hostname() only: allow the "*" first label.
 *
 *	Each function makes one pass over its input and stops at the first
 *	problem (valid_hostname() looks at no more than 256 characters),
 *	so arbitrarily long input costs little and overflows nothing.
 *
 * DIAGNOSTICS
 *	Warnings with DO_GRIPE, as described above.
 */
#ifndef VALID_HOSTNAME_H
#define VALID_HOSTNAME_H

#include "sys_defs.h"

#define DONT_GRIPE	0
#define DO_GRIPE	(1<<0)
#define DO_WILDCARD	(1<<1)

#define VALID_HOSTNAME_LEN	255	/* total length limit */
#define VALID_LABEL_LEN		63	/* label length limit */

extern bool valid_hostname(const char *name, int flags);
extern bool valid_hostaddr(const char *addr, int flags);
extern bool valid_ipv4_hostaddr(const char *addr, int flags);
extern bool valid_ipv6_hostaddr(const char *addr, int flags);
extern bool valid_hostport(const char *port, int flags);

#endif
