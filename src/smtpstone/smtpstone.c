/*
 * smtpstone - what smtp-source(1) and smtp-sink(1) share
 *
 * SYNOPSIS
 *	See smtpstone.h.
 *
 * DESCRIPTION
 *	Endpoint parsing, TCP window sizes, bounded line reads from a
 *	libevent buffer, and numeric command-line values.
 *
 * DIAGNOSTICS
 *	See smtpstone.h.
 */
#include "sys_defs.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>
#include <netdb.h>

#include <event2/buffer.h>

#include "msg.h"
#include "mymalloc.h"
#include "vstring.h"
#include "host_port.h"
#include "myaddrinfo.h"
#include "smtpstone.h"

/* smtpstone_unix - fill in a UNIX-domain socket address */
static bool smtpstone_unix(SMTPSTONE_ENDPOINT *ep, const char *path,
			           VSTRING *why)
{
    struct sockaddr_un *sun = (struct sockaddr_un *) &ep->addr;

    if (*path == 0 || strlen(path) >= sizeof(sun->sun_path)) {
	vstring_sprintf(why, "bad UNIX-domain socket pathname: \"%s\"", path);
	return false;
    }
    memset(&ep->addr, 0, sizeof(ep->addr));
    sun->sun_family = AF_UNIX;
    memcpy(sun->sun_path, path, strlen(path) + 1);
    ep->addrlen = sizeof(*sun);
    return true;
}

/* smtpstone_pick - the first address of the wanted family */
static const struct addrinfo *smtpstone_pick(const struct addrinfo *res,
					             int family)
{
    const struct addrinfo *ai;

    for (ai = res; ai != NULL; ai = ai->ai_next)
	if (family == AF_UNSPEC || ai->ai_family == family)
	    return ai;
    return NULL;
}

/* smtpstone_endpoint - parse and resolve an endpoint */
bool    smtpstone_endpoint(SMTPSTONE_ENDPOINT *ep, const char *text,
			           const char *def_port, int family,
			           bool passive, VSTRING *why)
{
    char   *buf;
    const char *host;
    const char *port;
    const char *err;
    struct addrinfo *res;
    const struct addrinfo *ai;
    int     status;
    bool    ok = false;

    memset(ep, 0, sizeof(*ep));
    ep->label = mystrdup(text);
    if (strncmp(text, "unix:", 5) == 0)
	return smtpstone_unix(ep, text + 5, why);
    if (strncmp(text, "inet:", 5) == 0)
	text += 5;
    buf = mystrdup(text);
    if ((err = host_port(buf, &host, "", &port, def_port)) != NULL) {
	vstring_sprintf(why, "%s: \"%s\"", err, text);
    } else if (port == NULL || *port == 0) {
	vstring_sprintf(why, "missing port in \"%s\"", text);
    } else if (*host == 0 && !passive) {
	vstring_sprintf(why, "missing host in \"%s\"", text);
    } else {
	/* A wildcard listener prefers IPv6, which also takes IPv4. */
	if (*host == 0 && family == AF_UNSPEC)
	    family = AF_INET6;
	status = hostname_to_sockaddr_pf(*host ? host : NULL, family, port,
					 SOCK_STREAM, &res);
	if (status != 0 && *host == 0 && family == AF_INET6) {
	    family = AF_INET;
	    status = hostname_to_sockaddr_pf(NULL, family, port,
					     SOCK_STREAM, &res);
	}
	if (status != 0) {
	    vstring_sprintf(why, "%s: %s", text, MAI_STRERROR(status));
	} else {
	    if ((ai = smtpstone_pick(res, family)) == NULL) {
		vstring_sprintf(why, "%s: no address of the requested family",
				text);
	    } else {
		memcpy(&ep->addr, ai->ai_addr, ai->ai_addrlen);
		ep->addrlen = ai->ai_addrlen;
		ok = true;
	    }
	    freeaddrinfo(res);
	}
    }
    myfree(buf);
    return ok;
}

/* smtpstone_endpoint_free - release an endpoint's memory */
void    smtpstone_endpoint_free(SMTPSTONE_ENDPOINT *ep)
{
    if (ep->label != NULL)
	myfree(ep->label);
    ep->label = NULL;
}

/* smtpstone_window - override the socket buffer (TCP window) sizes */
void    smtpstone_window(int fd, int window_size)
{
    if (window_size <= 0)
	return;
    if (setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &window_size,
		   sizeof(window_size)) < 0)
	msg_warn("setsockopt SO_RCVBUF %d: %m", window_size);
    if (setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &window_size,
		   sizeof(window_size)) < 0)
	msg_warn("setsockopt SO_SNDBUF %d: %m", window_size);
}

/* smtpstone_line - take one bounded line from a libevent buffer */
int     smtpstone_line(struct evbuffer *in, VSTRING *line, size_t limit)
{
    struct evbuffer_ptr eol;
    size_t  eol_len = 0;
    size_t  len;

    eol = evbuffer_search_eol(in, NULL, &eol_len, EVBUFFER_EOL_CRLF);
    if (eol.pos < 0)
	return evbuffer_get_length(in) > limit ? -1 : 0;
    len = (size_t) eol.pos;
    VSTRING_RESET(line);
    if (!vstring_space(line, len))
	msg_panic("smtpstone_line: line buffer has a smaller bound than %zu",
		  len);
    if (len > 0 && evbuffer_remove(in, vstring_str(line), len) != (int) len)
	msg_panic("smtpstone_line: short evbuffer_remove");
    line->len = len;
    VSTRING_TERMINATE(line);
    evbuffer_drain(in, eol_len);
    return 1;
}

/* smtpstone_count - convert a numeric option value */
int     smtpstone_count(const char *text, const char *what, int minimum)
{
    char   *end;
    long    value;

    errno = 0;
    value = strtol(text, &end, 10);
    if (*text == 0 || *end != 0 || errno == ERANGE || value < minimum
	|| value > INT_MAX)
	msg_fatal("bad %s: %s", what, text);
    return (int) value;
}
