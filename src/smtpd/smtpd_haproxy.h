/*
 * smtpd_haproxy - parse a PROXY protocol header (v1 text, v2 binary)
 *
 * SYNOPSIS
 *	#include "smtpd_haproxy.h"
 *
 *	int	smtpd_haproxy_parse(const unsigned char *buf, size_t len,
 *				int proto_mask, SMTPD_HAPROXY *hp,
 *				size_t *header_len, VSTRING *why);
 *
 * DESCRIPTION
 *	smtpd_haproxy_parse() (smtpd_haproxy_parse.c) works on the bytes
 *	that a client sent first (at most SMTPD_HAPROXY_MAX of them); it
 *	does no I/O, so that the fuzz target can drive it. See that file.
 */
#ifndef SMTPD_HAPROXY_H
#define SMTPD_HAPROXY_H

#include "sys_defs.h"
#include <netinet/in.h>
#include "vstring.h"

/* The most bytes looked at, as Postfix: longer input is not a header. */
#define SMTPD_HAPROXY_MAX	536

typedef struct SMTPD_HAPROXY {
    int     local;			/* v2 LOCAL: keep the socket's ends */
    char    client_addr[INET6_ADDRSTRLEN];
    char    client_port[sizeof("65535")];
    char    server_addr[INET6_ADDRSTRLEN];
    char    server_port[sizeof("65535")];
} SMTPD_HAPROXY;

extern int smtpd_haproxy_parse(const unsigned char *buf, size_t len,
			               int proto_mask, SMTPD_HAPROXY *hp,
			               size_t *header_len, VSTRING *why);

#endif
