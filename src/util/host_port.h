/*
 * host_port - split "host:port" text, format it back
 *
 * SYNOPSIS
 *	#include "host_port.h"
 *
 *	const char *host_port(char *buf, const char **host,
 *				const char *def_host, const char **port,
 *				const char *def_port);
 *	VSTRING	*host_port_format(VSTRING *result, const char *host,
 *				const char *port);
 *
 * DESCRIPTION
 *	host_port() splits buf in place into a host part and a port part
 *	and validates both. It understands:
 *
 *	[host]:port  [host]:  [host]    brackets around a name or address;
 *	                                required around an IPv6 address
 *	                                when a port follows
 *	host:port  host:  host          name or IPv4 address
 *	:port  port                     no host
 *	v6addr                          a bare IPv6 address (more than one
 *	                                ':' and valid as IPv6); no port
 *
 *	A missing or empty part is replaced by def_host or def_port, which
 *	may be null pointers (the result is then null) or "" (the result
 *	is ""). Text made only of digits, without brackets or ':', is a
 *	port when def_host is not null, and a host otherwise (and is then
 *	rejected as a numeric host name).
 *
 *	The host, when not empty, must satisfy valid_hostname() or
 *	valid_hostaddr(). The port, when not empty, must be a valid
 *	numeric port (valid_hostport()) or a service name made of ASCII
 *	letters, digits, '-' and '_' with at least one letter, at most 64
 *	characters. Brackets are removed from *host; the caller that needs
 *	to know whether they were present (to suppress MX lookups, say)
 *	tests buf[0] == '[' before or after the call.
 *
 *	host_port_format() writes "host:port" into result, with the host
 *	in brackets when it contains ':' (an IPv6 address). A null or
 *	empty port gives the host alone (still bracketed when IPv6). It
 *	returns result.
 *
 * DIAGNOSTICS
 *	host_port() returns NULL on success, or a constant text that
 *	describes the problem:
 *	"missing \"]\"", "garbage after \"]\"",
 *	"invalid host name or address", "invalid port number or service name".
 *	Nothing is logged.
 */
#ifndef HOST_PORT_H
#define HOST_PORT_H

#include "sys_defs.h"
#include "vstring.h"

#define HOST_PORT_SERVICE_LEN	64	/* service name length limit */

extern const char *WARN_UNUSED host_port(char *buf, const char **host,
				               const char *def_host,
				               const char **port,
				               const char *def_port);
extern VSTRING *host_port_format(VSTRING *result, const char *host,
				         const char *port);

#endif
