/*
 * smtp_dest - destination syntax of the SMTP/LMTP client
 *
 * SYNOPSIS
 *	#include "smtp_dest.h"
 *
 *	int	smtp_dest_parse(const char *text, int lmtp,
 *				const char *def_service, SMTP_DEST *dest,
 *				VSTRING *why);
 *	void	smtp_dest_free(SMTP_DEST *dest);
 *	ARGV	*smtp_dest_list(const char *text);
 *	int	smtp_dest_port(const char *service, unsigned *port,
 *				VSTRING *why);
 *
 * DESCRIPTION
 *	smtp_dest_parse() splits one next hop as the smtp(8) and lmtp(8)
 *	manuals write it (see smtp_dest.h for the forms). The rules:
 * .IP \(bu
 *	"[...]" suppresses MX (and SRV) lookups; inside the brackets
 *	"ipv6:" (any letter case) introduces an IPv6 address, which must
 *	then be valid; a bare IPv6 address inside brackets is accepted as
 *	well. After "]" only ":port" (or nothing) may follow.
 * .IP \(bu
 *	Without brackets the text is "host" or "host:port"; a numeric
 *	address there is connected to directly (there is nothing to look
 *	up MX records for), as is every LMTP destination: LMTP never
 *	looks up MX records.
 * .IP \(bu
 *	LMTP: "unix:/path" names a UNIX-domain socket (at most the size
 *	of sun_path), "inet:" before a TCP destination is optional.
 * .IP \(bu
 *	The port is a number 1..65535 or a service name from services(5)
 *	(getservbyname(3), protocol tcp); an empty or missing port means
 *	def_service.
 * .PP
 *	Host names must pass valid_hostname(), addresses valid_hostaddr();
 *	the whole text is bounded by SMTP_DEST_MAX_LEN. Nothing is looked
 *	up in the DNS here.
 *
 *	smtp_dest_port() is the port part alone: a number or a service
 *	name to a port in host byte order.
 *
 *	smtp_dest_list() splits a relay list (relayhost,
 *	smtp_fallback_relay) on white space and commas.
 *
 * DIAGNOSTICS
 *	smtp_dest_parse() and smtp_dest_port() return 0, or -1 with a
 *	reason in why and dest left empty (smtp_dest_free() is still
 *	safe): Postfix's texts where Postfix has one (its smtp(8) stops
 *	with a fatal error on them): "missing \"]\" in server description:
 *	TEXT", "unknown service: NAME/tcp", "bad network port: 0 for
 *	destination: [127.0.0.1]:0"; else "bad destination syntax: ..."
 *	Nothing is logged; the caller decides (the client
 *	defers the recipients with the reason).
 */
#include "sys_defs.h"

#include <string.h>
#include <strings.h>
#include <stdlib.h>
#include <netdb.h>
#include <sys/un.h>
#include <netinet/in.h>

#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "argv.h"
#include "vstring.h"
#include "host_port.h"
#include "valid_hostname.h"
#include "excerpt.h"
#include "smtp_dest.h"

/* smtp_dest_port - a port number or service name to a port */

int     smtp_dest_port(const char *service, unsigned *port, VSTRING *why)
{
    struct servent *se;

    if (*service == 0) {
	vstring_strcpy(why, "bad destination syntax: empty port");
	return (-1);
    }
    if (alldig(service)) {
	if (!valid_hostport(service, DONT_GRIPE) || atoi(service) == 0) {
	    vstring_sprintf(why, "bad network port: %s", excerpt(service));
	    return (-1);
	}
	*port = (unsigned) atoi(service);
	return (0);
    }
    if (strlen(service) > HOST_PORT_SERVICE_LEN
	|| (se = getservbyname(service, "tcp")) == NULL) {
	vstring_sprintf(why, "unknown service: %s/tcp", excerpt(service));
	return (-1);
    }
    *port = ntohs((unsigned short) se->s_port);
    return (0);
}

/* smtp_dest_fill - the parsed parts into dest */

static int smtp_dest_fill(const char *text, SMTP_DEST *dest,
			          const char *host,
			          const char *service, const char *def_service,
			          int no_mx, VSTRING *why)
{
    unsigned port;

    if (service == NULL || *service == 0)
	service = def_service;
    if (smtp_dest_port(service, &port, why) < 0) {
	/* Postfix: "bad network port: 0 for destination: [127.0.0.1]:0" */
	if (strncmp(vstring_str(why), "bad network port", 16) == 0)
	    vstring_sprintf_append(why, " for destination: %s", excerpt(text));
	return (-1);
    }
    dest->host = mystrdup(host);
    dest->service = mystrdup(service);
    dest->port = port;
    dest->is_addr = valid_hostaddr(host, DONT_GRIPE);
    dest->no_mx = no_mx || dest->is_addr;
    return (0);
}

/* smtp_dest_bracket - "[host]", "[ipv6:addr]", with optional ":port" */

static int smtp_dest_bracket(const char *text, char *buf,
			             const char *def_service,
			             SMTP_DEST *dest, VSTRING *why)
{
    char   *end = strchr(buf, ']');
    char   *inner = buf + 1;
    char   *service = NULL;

    if (end == NULL) {
	vstring_sprintf(why, "missing \"]\" in server description: %s",
			excerpt(text));
	return (-1);
    }
    *end++ = 0;
    if (*end == ':')
	service = end + 1;
    else if (*end != 0) {
	vstring_sprintf(why, "garbage after \"]\" in server description: %s",
			excerpt(text));
	return (-1);
    }
    if (strncasecmp(inner, "ipv6:", 5) == 0) {
	inner += 5;
	if (!valid_ipv6_hostaddr(inner, DONT_GRIPE)) {
	    vstring_sprintf(why, "bad destination syntax: "
			    "invalid IPv6 address: %s", excerpt(inner));
	    return (-1);
	}
    } else if (!valid_hostaddr(inner, DONT_GRIPE)
	       && !valid_hostname(inner, DONT_GRIPE)) {
	vstring_sprintf(why, "bad destination syntax: "
			"invalid host name or address: %s", excerpt(inner));
	return (-1);
    }
    return (smtp_dest_fill(text, dest, inner, service, def_service, 1, why));
}

/* smtp_dest_plain - "host", "host:port", or a bare IPv6 address */

static int smtp_dest_plain(const char *text, char *buf, int lmtp,
			           const char *def_service,
			           SMTP_DEST *dest, VSTRING *why)
{
    char   *colon = strchr(buf, ':');
    char   *service = NULL;

    if (colon != NULL && strchr(colon + 1, ':') != NULL) {
	if (!valid_ipv6_hostaddr(buf, DONT_GRIPE)) {
	    vstring_sprintf(why, "bad destination syntax: "
			    "invalid host name or address: %s", excerpt(text));
	    return (-1);
	}
    } else if (colon != NULL) {
	*colon = 0;
	service = colon + 1;
    }
    if (*buf == 0 || (!valid_hostname(buf, DONT_GRIPE)
		      && !valid_hostaddr(buf, DONT_GRIPE))) {
	vstring_sprintf(why, "bad destination syntax: "
			"invalid host name or address: %s", excerpt(text));
	return (-1);
    }
    return (smtp_dest_fill(text, dest, buf, service, def_service, lmtp, why));
}

/* smtp_dest_parse - split one next hop */

int     smtp_dest_parse(const char *text, int lmtp, const char *def_service,
			        SMTP_DEST *dest, VSTRING *why)
{
    struct sockaddr_un sun;
    char   *buf;
    int     ret;

    memset(dest, 0, sizeof(*dest));
    VSTRING_RESET(why);
    VSTRING_TERMINATE(why);
    if (strlen(text) > SMTP_DEST_MAX_LEN) {
	vstring_sprintf(why, "bad destination syntax: "
			"destination too long: %s", excerpt(text));
	return (-1);
    }
    if (lmtp && strncasecmp(text, "unix:", 5) == 0) {
	if (text[5] == 0) {
	    vstring_strcpy(why, "bad destination syntax: "
			   "empty UNIX-domain socket path");
	    return (-1);
	}
	if (strlen(text + 5) >= sizeof(sun.sun_path)) {
	    vstring_sprintf(why, "bad destination syntax: UNIX-domain "
			    "socket path too long: %s", excerpt(text + 5));
	    return (-1);
	}
	dest->host = mystrdup(text + 5);
	dest->service = mystrdup("");
	dest->is_unix = dest->no_mx = 1;
	return (0);
    }
    if (lmtp && strncasecmp(text, "inet:", 5) == 0)
	text += 5;
    buf = mystrdup(text);
    if (*buf == '[') {
	ret = smtp_dest_bracket(text, buf, def_service, dest, why);
    } else {
	ret = smtp_dest_plain(text, buf, lmtp, def_service, dest, why);
    }
    myfree(buf);
    if (ret < 0)
	smtp_dest_free(dest);
    return (ret);
}

/* smtp_dest_free - release the strings of a parsed destination */

void    smtp_dest_free(SMTP_DEST *dest)
{
    if (dest->host)
	myfree(dest->host);
    if (dest->service)
	myfree(dest->service);
    memset(dest, 0, sizeof(*dest));
}

/* smtp_dest_list - split a relay host list */

ARGV   *smtp_dest_list(const char *text)
{
    return (argv_split(text, CHARS_COMMA_SP));
}
