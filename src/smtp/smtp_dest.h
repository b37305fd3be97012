/*
 * smtp_dest - destination syntax of the SMTP/LMTP client
 *
 * SYNOPSIS
 *	#include "smtp_dest.h"
 *
 *	typedef struct SMTP_DEST { ... } SMTP_DEST;	(below)
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
 *	smtp_dest_parse() splits one next hop as transport(5), relayhost
 *	and smtp_fallback_relay write it: "domain", "domain:port",
 *	"[host]", "[host]:port", "[address]", "[ipv6:addr]:port", a
 *	service name in place of the port ("host:submission"); with lmtp
 *	set also "unix:/path", "inet:host:port" and "inet:[host]:port".
 *	def_service is used when the text names no port ("smtp" for
 *	SMTP, $lmtp_tcp_port for LMTP). It is pure parsing plus the
 *	service-to-port lookup; it does no DNS. It returns 0, or -1 with
 *	why set to the reason (Postfix's texts: "unknown service:
 *	NAME/tcp", "missing \"]\" in server description: TEXT", "bad
 *	network port: 0 for destination: TEXT"; see smtp_dest.c).
 *	smtp_dest_free() frees the strings in dest.
 *	smtp_dest_list() splits a relay list on white space and commas
 *	(relayhost takes the first usable one; smtp_fallback_relay all).
 *	smtp_dest_port() turns a port number or service name into a port
 *	(0, or -1 with why "unknown service: NAME/tcp").
 *	dest->service keeps the service as written (or def_service; ""
 *	for unix), for use_srv_lookup. Texts longer than
 *	SMTP_DEST_MAX_LEN are refused.
 */
#ifndef SMTP_DEST_H
#define SMTP_DEST_H

#include "sys_defs.h"
#include "vstring.h"
#include "argv.h"

typedef struct SMTP_DEST {
    char   *host;			/* domain, host, address or unix path */
    unsigned port;			/* host byte order; 0 for unix */
    int     no_mx;			/* [host]: no MX (or SRV) lookup */
    int     is_unix;			/* LMTP unix:/path */
    int     is_addr;			/* host is a numeric address */
    char   *service;			/* port or service name as written */
} SMTP_DEST;

#define SMTP_DEST_MAX_LEN	1024	/* longest next hop text */

extern int smtp_dest_parse(const char *text, int lmtp, const char *def_service,
			           SMTP_DEST *dest, VSTRING *why);
extern void smtp_dest_free(SMTP_DEST *dest);
extern ARGV *smtp_dest_list(const char *text);
extern int smtp_dest_port(const char *service, unsigned *port, VSTRING *why);

#endif
