/*
 * smtpd_haproxy_parse - parse a PROXY protocol header (v1 text, v2 binary)
 *
 * SYNOPSIS
 *	#include "smtpd_haproxy.h"
 *
 *	int	smtpd_haproxy_parse(const unsigned char *buf, size_t len,
 *				int proto_mask, SMTPD_HAPROXY *hp,
 *				size_t *header_len, VSTRING *why);
 *
 * DESCRIPTION
 *	smtpd_haproxy_parse() reads the PROXY header at the start of buf
 *	(the first bytes that the client sent, as far as they had arrived:
 *	Postfix too parses what one read returned) and fills hp with the
 *	client and server addresses and ports as text. proto_mask
 *	(INET_PROTO_MASK_IPV4/IPV6, from inet_protocols) says which
 *	address families are accepted. On success *header_len is the
 *	length of the header, which the caller then consumes; the bytes
 *	after it are SMTP.
 *
 *	Which header: 16 or more bytes that start with the v2 signature
 *	are a v2 header; bytes that start with "PROXY " are a v1 header;
 *	anything else is a "short protocol header" under 16 bytes and an
 *	"unrecognized protocol header" otherwise.
 *
 *	v1: one line up to LF (a CR before it is dropped), fields
 *	separated by spaces or tabs, extra fields ignored: "PROXY", the
 *	protocol TCP4 or TCP6, client address, server address, client
 *	port, server port. TCP4 addresses are four dot-separated groups
 *	of digits (read as inet_aton() reads them: Postfix accepts
 *	"127.000.0.2"); TCP6 addresses are IPv6 text, and an IPv4-mapped
 *	one becomes the IPv4 address. Ports are 0..65535 without leading
 *	zeros. Postfix 3.7 does not accept "UNKNOWN".
 *
 *	v2: the 12-byte signature, version/command, family/transport,
 *	the length of the rest. Version 2 only; command LOCAL (the
 *	proxy's own connection: hp->local is set and the socket's ends
 *	stay the identity) or PROXY; family TCP over IPv4 (0x11) or IPv6
 *	(0x21); TLVs after the addresses are skipped.
 *
 * DIAGNOSTICS
 *	Returns 0 on success, -1 with the reason in why, worded as
 *	Postfix words it: "short protocol header", "unrecognized protocol
 *	header", "missing protocol header terminator", "bad or missing
 *	protocol type", "bad or missing client address", "bad or missing
 *	server address", "bad or missing client port", "bad or missing
 *	server port", "unrecognized protocol version", "bad command in
 *	proxy header", "short version 2 protocol header", "unsupported
 *	network protocol", "short address field".
 */
#include "sys_defs.h"

#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>

#include "vstring.h"
#include "stringops.h"
#include "inet_proto.h"
#include "valid_hostname.h"
#include "smtpd_haproxy.h"

static const unsigned char smtpd_haproxy_v2_sig[12] = {
    0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a,
};

#define SMTPD_HAPROXY_V2_LEN	16		/* fixed part */
#define SMTPD_HAPROXY_V1_MIN	16		/* shorter is "short" */

/* smtpd_haproxy_fail - store a reason and fail */

static int smtpd_haproxy_fail(VSTRING *why, const char *reason)
{
    vstring_strcpy(why, reason);
    return (-1);
}

/* smtpd_haproxy_v4_text - dotted-quad IPv4 text, normalized */

static int smtpd_haproxy_v4_text(const char *text, char *out, size_t size)
{
    const char *cp;
    struct in_addr in;
    int     dots = 0;
    int     digits = 0;

    for (cp = text; *cp; cp++) {
	if (*cp == '.') {
	    if (digits == 0 || ++dots > 3)
		return (-1);
	    digits = 0;
	} else if (*cp >= '0' && *cp <= '9') {
	    if (++digits > 3)
		return (-1);
	} else {
	    return (-1);
	}
    }
    if (dots != 3 || digits == 0 || inet_aton(text, &in) == 0)
	return (-1);
    return (inet_ntop(AF_INET, &in, out, size) ? 0 : -1);
}

/* smtpd_haproxy_v6_bytes - IPv6 address as text, IPv4-mapped unmapped */

static int smtpd_haproxy_v6_bytes(const unsigned char *addr, char *out,
				          size_t size)
{
    static const unsigned char mapped[12] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff,
    };

    if (memcmp(addr, mapped, sizeof(mapped)) == 0)
	return (inet_ntop(AF_INET, addr + 12, out, size) ? 0 : -1);
    return (inet_ntop(AF_INET6, addr, out, size) ? 0 : -1);
}

/* smtpd_haproxy_v6_text - IPv6 text, normalized */

static int smtpd_haproxy_v6_text(const char *text, char *out, size_t size)
{
    struct in6_addr in6;

    if (inet_pton(AF_INET6, text, &in6) != 1)
	return (-1);
    return (smtpd_haproxy_v6_bytes(in6.s6_addr, out, size));
}

/* smtpd_haproxy_port_text - a port field of a v1 header */

static int smtpd_haproxy_port_text(const char *text, char *out, size_t size)
{
    if (text == 0 || !valid_hostport(text, DONT_GRIPE)
	|| strlen(text) >= size)
	return (-1);
    strcpy(out, text);
    return (0);
}

/* smtpd_haproxy_v1 - parse a text header */

static int smtpd_haproxy_v1(const unsigned char *buf, size_t len,
			            int proto_mask, SMTPD_HAPROXY *hp,
			            size_t *header_len, VSTRING *why)
{
    const unsigned char *nl = memchr(buf, '\n', len);
    VSTRING *line;
    char   *cp;
    char   *proto;
    char   *field;
    int     v6;
    int     (*addr_text) (const char *, char *, size_t);
    int     status = -1;

    if (nl == 0)
	return (smtpd_haproxy_fail(why, "missing protocol header terminator"));
    *header_len = (size_t) (nl - buf) + 1;
    line = vstring_alloc(SMTPD_HAPROXY_MAX);
    vstring_memcpy(line, buf, (size_t) (nl - buf));
    VSTRING_TERMINATE(line);
    if (VSTRING_LEN(line) > 0 && vstring_str(line)[VSTRING_LEN(line) - 1] == '\r')
	vstring_truncate(line, VSTRING_LEN(line) - 1);
    /* A NUL inside the line ends the text that is looked at. */
    cp = vstring_str(line);
    (void) mystrtok(&cp, " \t");		/* "PROXY" */
    proto = mystrtok(&cp, " \t");
    if (proto != 0 && strcmp(proto, "TCP4") == 0
	&& (proto_mask & INET_PROTO_MASK_IPV4)) {
	v6 = 0;
    } else if (proto != 0 && strcmp(proto, "TCP6") == 0
	       && (proto_mask & INET_PROTO_MASK_IPV6)) {
	v6 = 1;
    } else {
	smtpd_haproxy_fail(why, "bad or missing protocol type");
	goto done;
    }
    addr_text = v6 ? smtpd_haproxy_v6_text : smtpd_haproxy_v4_text;
    if ((field = mystrtok(&cp, " \t")) == 0
	|| addr_text(field, hp->client_addr, sizeof(hp->client_addr)) < 0) {
	smtpd_haproxy_fail(why, "bad or missing client address");
	goto done;
    }
    if ((field = mystrtok(&cp, " \t")) == 0
	|| addr_text(field, hp->server_addr, sizeof(hp->server_addr)) < 0) {
	smtpd_haproxy_fail(why, "bad or missing server address");
	goto done;
    }
    if (smtpd_haproxy_port_text(mystrtok(&cp, " \t"), hp->client_port,
				sizeof(hp->client_port)) < 0) {
	smtpd_haproxy_fail(why, "bad or missing client port");
	goto done;
    }
    if (smtpd_haproxy_port_text(mystrtok(&cp, " \t"), hp->server_port,
				sizeof(hp->server_port)) < 0) {
	smtpd_haproxy_fail(why, "bad or missing server port");
	goto done;
    }
    status = 0;

done:
    vstring_free(line);
    return (status);
}

/* smtpd_haproxy_v2 - parse a binary header */

static int smtpd_haproxy_v2(const unsigned char *buf, size_t len,
			            int proto_mask, SMTPD_HAPROXY *hp,
			            size_t *header_len, VSTRING *why)
{
    size_t  body_len = (size_t) buf[14] << 8 | buf[15];
    const unsigned char *body = buf + SMTPD_HAPROXY_V2_LEN;
    int     command = buf[12] & 0x0f;
    int     family = buf[13];
    size_t  addr_len;

    if ((buf[12] >> 4) != 2)
	return (smtpd_haproxy_fail(why, "unrecognized protocol version"));
    if (command != 0 && command != 1)
	return (smtpd_haproxy_fail(why, "bad command in proxy header"));
    if (SMTPD_HAPROXY_V2_LEN + body_len > len)
	return (smtpd_haproxy_fail(why, "short version 2 protocol header"));
    *header_len = SMTPD_HAPROXY_V2_LEN + body_len;
    if (command == 0) {
	hp->local = 1;
	return (0);
    }
    if (family == 0x11 && (proto_mask & INET_PROTO_MASK_IPV4)) {
	addr_len = 12;
	if (body_len < addr_len)
	    return (smtpd_haproxy_fail(why, "short address field"));
	if (inet_ntop(AF_INET, body, hp->client_addr,
		      sizeof(hp->client_addr)) == 0
	    || inet_ntop(AF_INET, body + 4, hp->server_addr,
			 sizeof(hp->server_addr)) == 0)
	    return (smtpd_haproxy_fail(why, "bad or missing client address"));
    } else if (family == 0x21 && (proto_mask & INET_PROTO_MASK_IPV6)) {
	addr_len = 36;
	if (body_len < addr_len)
	    return (smtpd_haproxy_fail(why, "short address field"));
	if (smtpd_haproxy_v6_bytes(body, hp->client_addr,
				   sizeof(hp->client_addr)) < 0
	    || smtpd_haproxy_v6_bytes(body + 16, hp->server_addr,
				      sizeof(hp->server_addr)) < 0)
	    return (smtpd_haproxy_fail(why, "bad or missing client address"));
    } else {
	return (smtpd_haproxy_fail(why, "unsupported network protocol"));
    }
    snprintf(hp->client_port, sizeof(hp->client_port), "%u",
	     (unsigned) body[addr_len - 4] << 8 | body[addr_len - 3]);
    snprintf(hp->server_port, sizeof(hp->server_port), "%u",
	     (unsigned) body[addr_len - 2] << 8 | body[addr_len - 1]);
    return (0);
}

/* smtpd_haproxy_parse - parse the header at the start of buf */

int     smtpd_haproxy_parse(const unsigned char *buf, size_t len,
			            int proto_mask, SMTPD_HAPROXY *hp,
			            size_t *header_len, VSTRING *why)
{
    memset(hp, 0, sizeof(*hp));
    *header_len = 0;
    if (len > SMTPD_HAPROXY_MAX)
	len = SMTPD_HAPROXY_MAX;
    if (len >= SMTPD_HAPROXY_V2_LEN
	&& memcmp(buf, smtpd_haproxy_v2_sig, sizeof(smtpd_haproxy_v2_sig)) == 0)
	return (smtpd_haproxy_v2(buf, len, proto_mask, hp, header_len, why));
    if (len >= 6 && memcmp(buf, "PROXY ", 6) == 0)
	return (smtpd_haproxy_v1(buf, len, proto_mask, hp, header_len, why));
    if (len < SMTPD_HAPROXY_V1_MIN)
	return (smtpd_haproxy_fail(why, "short protocol header"));
    return (smtpd_haproxy_fail(why, "unrecognized protocol header"));
}
