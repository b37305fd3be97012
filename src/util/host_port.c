/*
 * host_port - split "host:port" text, format it back
 *
 * DESCRIPTION
 *	See host_port.h. host_port() works in place: it only writes null
 *	bytes over ']' and ':' separators and never allocates.
 */
#include "sys_defs.h"

#include <ctype.h>
#include <string.h>

#include "stringops.h"
#include "valid_hostname.h"
#include "host_port.h"

/* valid_service - service name or numeric port */
static bool valid_service(const char *port)
{
    const unsigned char *cp;
    bool    letter = false;

    if (alldig(port))
	return valid_hostport(port, DONT_GRIPE);
    for (cp = (const unsigned char *) port; *cp; cp++) {
	if (cp - (const unsigned char *) port >= HOST_PORT_SERVICE_LEN)
	    return false;
	if (isascii(*cp) && isalpha(*cp))
	    letter = true;
	else if (!(isascii(*cp) && isdigit(*cp)) && *cp != '-' && *cp != '_')
	    return false;
    }
    return letter;
}

/* host_port - split host and port, validate both */
const char *host_port(char *buf, const char **host, const char *def_host,
		              const char **port, const char *def_port)
{
    const char *hp = NULL;
    const char *pp = NULL;
    char   *cp;

    if (buf[0] == '[') {
	hp = buf + 1;
	if ((cp = strchr(hp, ']')) == NULL)
	    return "missing \"]\"";
	*cp++ = 0;
	if (*cp == ':')
	    pp = cp + 1;
	else if (*cp != 0)
	    return "garbage after \"]\"";
	if (*hp == 0)
	    return "invalid host name or address";
    } else if ((cp = strchr(buf, ':')) != NULL && strchr(cp + 1, ':') != NULL) {
	/* Two or more colons: only a bare IPv6 address makes sense. */
	if (!valid_ipv6_hostaddr(buf, DONT_GRIPE))
	    return "invalid host name or address";
	hp = buf;
    } else if (cp != NULL) {
	*cp = 0;
	hp = buf;
	pp = cp + 1;
    } else if (def_host != NULL && *buf != 0 && alldig(buf)) {
	pp = buf;
    } else {
	hp = buf;
    }

    if (hp == NULL || *hp == 0)
	hp = def_host;
    if (pp == NULL || *pp == 0)
	pp = def_port;

    if (hp != NULL && *hp != 0
	&& !valid_hostname(hp, DONT_GRIPE) && !valid_hostaddr(hp, DONT_GRIPE))
	return "invalid host name or address";
    if (pp != NULL && *pp != 0 && !valid_service(pp))
	return "invalid port number or service name";

    *host = hp;
    *port = pp;
    return NULL;
}

/* host_port_format - "host:port", IPv6 host in brackets */
VSTRING *host_port_format(VSTRING *result, const char *host, const char *port)
{
    if (strchr(host, ':') != NULL)
	vstring_sprintf(result, "[%s]", host);
    else
	vstring_strcpy(result, host);
    if (port != NULL && *port != 0)
	vstring_sprintf_append(result, ":%s", port);
    return result;
}
