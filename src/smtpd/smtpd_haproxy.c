/*
 * smtpd_haproxy - the client identity from a PROXY protocol header
 *
 * SYNOPSIS
 *	#include "smtpd.h"
 *
 *	const char *smtpd_haproxy_read(SMTPD_STATE *state);
 *
 * DESCRIPTION
 *	With smtpd_upstream_proxy_protocol = haproxy, smtpd(8) sits behind
 *	a proxy that starts each connection with a PROXY header (v1 text
 *	or v2 binary, see smtpd_haproxy_parse.c) naming the real client.
 *
 *	smtpd_haproxy_read() waits at most $smtpd_upstream_proxy_timeout
 *	for the first bytes, looks at what arrived (at most 536 bytes,
 *	without taking them), parses the header and then takes exactly
 *	the header from the socket, so that SMTP commands sent right
 *	after it stay for the session (and count as pipelining, as in
 *	Postfix). The client and server addresses and ports of the header
 *	then become the session's identity and the client name lookups
 *	run on them (smtpd_peer_from_addr()). A v2 LOCAL header (the
 *	proxy's health check) keeps the socket's own identity.
 *
 *	On failure no identity is set and no name lookup is made: the
 *	result is the reason, which the caller logs as "warning: haproxy
 *	read: <reason>" (this function logs nothing); Postfix then gives
 *	the session the identity localhost[127.0.0.1], logs the
 *	connection and answers "421 4.3.0 $myhostname Server local error".
 *
 * DIAGNOSTICS
 *	Returns NULL on success, else the reason: "timeout error", "EOF"
 *	(the client closed before sending anything), "read error: <errno
 *	text>", "lost connection" (the header vanished between looking and
 *	taking it), or a parse reason
 *	followed by ": " and the bytes that were looked at, with C escapes
 *	for non-printable bytes (as Postfix shows them). The text is
 *	overwritten by the next call.
 */
#include "sys_defs.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "msg.h"
#include "vstring.h"
#include "vstream.h"
#include "iostuff.h"
#include "stringops.h"
#include "inet_proto.h"
#include "mail_params.h"
#include "smtpd.h"
#include "smtpd_haproxy.h"

/* smtpd_haproxy_read - read the PROXY header, set the client identity */

const char *smtpd_haproxy_read(SMTPD_STATE *state)
{
    static VSTRING *reason;
    static const INET_PROTO_INFO *proto;
    VSTRING *why = vstring_alloc(100);
    VSTRING *quoted = vstring_alloc(100);
    unsigned char buf[SMTPD_HAPROXY_MAX];
    SMTPD_HAPROXY hp;
    size_t  header_len;
    ssize_t got;
    int     fd = vstream_fileno(state->client);
    const char *result = 0;

    memset(&hp, 0, sizeof(hp));
    if (reason == 0)
	reason = vstring_alloc(100);
    /* inet_protocols decides which address families a header may use. */
    if (proto == 0)
	proto = inet_proto_init(PARAM_NAME(inet_protocols),
				VAR_STR(inet_protocols));
    if (read_wait(fd, VAR_TIME(smtpd_upstream_proxy_timeout)) < 0) {
	vstring_strcpy(reason, errno == ETIMEDOUT ? "timeout error" :
		       "read error");
	result = vstring_str(reason);
    } else if ((got = recv(fd, buf, sizeof(buf), MSG_PEEK)) <= 0) {
	if (got == 0)
	    vstring_strcpy(reason, "EOF");
	else
	    vstring_sprintf(reason, "read error: %m");
	result = vstring_str(reason);
    } else if (smtpd_haproxy_parse(buf, (size_t) got,
				   proto->mask, &hp,
				   &header_len, why) < 0) {
	escape(quoted, (const char *) buf, (size_t) got);
	vstring_sprintf(reason, "%s: %s", vstring_str(why),
			vstring_str(quoted));
	result = vstring_str(reason);
    } else if (recv(fd, buf, header_len, 0) != (ssize_t) header_len) {
	vstring_strcpy(reason, "lost connection");
	result = vstring_str(reason);
    }
    if (result != 0)
	 /* The caller sets the identity of a failed session. */ ;
    else if (hp.local)
	smtpd_peer_init(state);
    else
	smtpd_peer_from_addr(state, hp.client_addr, hp.client_port,
			     hp.server_addr, hp.server_port);
    vstring_free(why);
    vstring_free(quoted);
    return (result);
}
