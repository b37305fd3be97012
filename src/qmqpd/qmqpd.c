/*
 * qmqpd - the QMQP server
 *
 * SYNOPSIS
 *	qmqpd [generic daemon options]
 *
 * DESCRIPTION
 *	qmqpd(8) is a single_server(3) daemon that receives one message
 *	per connection with the QMQP protocol (http://cr.yp.to/proto/
 *	qmqp.html) and hands it to cleanup(8), as Postfix's qmqpd does:
 *
 *	-  It logs "connect from name[addr]". A client that does not match
 *	   $qmqpd_authorized_clients gets, after $qmqpd_error_delay, the
 *	   reply "DError: name[addr] is not authorized to use this service".
 *	-  Otherwise it opens a cleanup(8) connection at once and logs
 *	   "<queue id>: client=name[addr]"; then it reads the request
 *	   (qmqpd_packet.c): the message (at most $message_size_limit
 *	   bytes), the sender and the recipients (at most
 *	   $line_length_limit bytes each), each read with a time limit of
 *	   $qmqpd_timeout. The envelope goes to cleanup as it arrives; the
 *	   message is kept in memory until the recipients are known,
 *	   because its Received: header names the recipient when there is
 *	   only one.
 *	-  A malformed request is logged ("<id>: name[addr]: netstring
 *	   format error while receiving sender address") and answered,
 *	   after $qmqpd_error_delay, with "D" and the same text; a lost
 *	   connection or a timeout is only logged. Either way cleanup
 *	   discards the partial message.
 *	-  After cleanup's answer the reply is "KOk: queued as <id>", or
 *	   "Z" (temporary: a write error, a deferral, or any error with
 *	   $soft_bounce) or "D" (permanent) with "Error: <reason>", after
 *	   $qmqpd_error_delay and a warning.
 *	-  It logs "disconnect from name[addr]".
 *
 *	Replies are netstrings. The content goes through cleanup's
 *	checks as $receive_override_options allows; with SMTPUTF8
 *	autodetection for the class "qmqpd".
 *
 * DIAGNOSTICS
 *	As above; warnings for cleanup that cannot be reached and for
 *	rejected messages.
 *
 *	A sender in ezmlm's VERP form ("list-@example.org-@[]",
 *	qmqpd_verp.c) is queued as "list@example.org" with a V record
 *	(delimiters "-="). When its first delimiter is not allowed by
 *	$verp_delimiter_filter, the request is read to its end and
 *	refused as Postfix refuses it: warning "<id>: name[addr]: Error:
 *	Invalid VERP delimiters: \"x=\". Need two characters from
 *	\"<filter>\"" and, after $qmqpd_error_delay, "D" with the same
 *	text ("Z" with $soft_bounce); nothing is queued.
 */
#include "sys_defs.h"
#include <string.h>
#include <strings.h>
#include <sys/time.h>
#include <unistd.h>

#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "vstream.h"
#include "vstring.h"
#include "mail_params.h"
#include "mail_date.h"
#include "record.h"
#include "rec_type.h"
#include "cleanup_client.h"
#include "receive_override.h"
#include "host_addr_list.h"
#include "netstring.h"
#include "single_server.h"
#include "qmqpd.h"

#define QMQPD_PROTOCOL		"QMQP"
#define QMQPD_ORCPT_LIMIT	490	/* as pickup: longer ones get none */

static HOST_ADDR_LIST *qmqpd_clients;	/* $qmqpd_authorized_clients */

 /*
  * One request in progress.
  */
typedef struct QMQPD_STATE {
    VSTREAM *client;
    QMQPD_PEER peer;
    struct timeval arrival;
    CLEANUP_CLIENT *cleanup;
    VSTREAM *dst;			/* cleanup's stream */
    char   *queue_id;
    VSTRING *content;
    VSTRING *sender;
    VSTRING *rcpt;
    VSTRING *first_rcpt;		/* for the Received: header */
    size_t  rcpt_count;
    VSTRING *refusal;			/* bad VERP request, or NULL */
} QMQPD_STATE;

/* qmqpd_reply - send one reply netstring: code and text */
static void PRINTFLIKE(3, 4) qmqpd_reply(QMQPD_STATE *state, int code,
					         const char *fmt,...)
{
    VSTRING *text = vstring_alloc(100);
    va_list ap;

    VSTRING_ADDCH(text, code);
    va_start(ap, fmt);
    vstring_vsprintf_append(text, fmt, ap);
    va_end(ap);
    netstring_put(state->client, vstring_str(text), VSTRING_LEN(text));
    if (vstream_fflush(state->client) != 0)
	msg_warn("%s: cannot send reply: %s", state->peer.namaddr,
		 vstream_ftimeout(state->client) ? "timeout" : "write error");
    vstring_free(text);
}

/* qmqpd_delay - the pause before a negative reply */
static void qmqpd_delay(void)
{
    int     delay = VAR_TIME(qmqpd_error_delay);

    if (delay > 0)
	sleep((unsigned) delay);
}

/* qmqpd_cleanup_flags - the cleanup request flags */
static int qmqpd_cleanup_flags(void)
{
    int     flags;

    flags = receive_override_flags(VAR_STR(receive_override_options),
				   CLEANUP_FLAG_MASK_EXTERNAL);
    if (VAR_BOOL(smtputf8_enable)
	&& receive_override_utf8_detect(VAR_STR(smtputf8_autodetect_classes),
					"qmqpd"))
	flags |= CLEANUP_FLAG_UTF8_DETECT;
    return flags;
}

/* qmqpd_cstring - data up to its first null byte, as a C string */
static const char *qmqpd_cstring(VSTRING *buf)
{
    VSTRING_TERMINATE(buf);
    return vstring_str(buf);
}

/* qmqpd_printable - a copy safe for a header line */
static char *qmqpd_printable(const char *text)
{
    return printable(mystrdup(text), '?');
}

/* qmqpd_envelope_start - time and client attributes */
static void qmqpd_envelope_start(QMQPD_STATE *state)
{
    VSTREAM *dst = state->dst;

    record_fprintf(dst, REC_TYPE_TIME, "%ld.%06ld",
		   (long) state->arrival.tv_sec, (long) state->arrival.tv_usec);
    record_fprintf(dst, REC_TYPE_ATTR, "client_name=%s", state->peer.name);
    record_fprintf(dst, REC_TYPE_ATTR, "reverse_client_name=%s",
		   state->peer.reverse_name);
    record_fprintf(dst, REC_TYPE_ATTR, "client_address=%s", state->peer.addr);
    record_fprintf(dst, REC_TYPE_ATTR, "client_port=%s", state->peer.port);
    record_fprintf(dst, REC_TYPE_ATTR, "protocol=%s", QMQPD_PROTOCOL);
}

/* qmqpd_sender - the F record, with a V record for a VERP request */
static void qmqpd_sender(QMQPD_STATE *state)
{
    char    delims[3];

    vstring_truncate(state->sender, strlen(qmqpd_cstring(state->sender)));
    switch (qmqpd_verp(state->sender, delims)) {
    case QMQPD_VERP_OK:
	record_puts(state->dst, REC_TYPE_FROM, qmqpd_cstring(state->sender));
	record_puts(state->dst, REC_TYPE_VERP, delims);
	return;
    case QMQPD_VERP_BAD:
	if (state->refusal == 0)
	    state->refusal = vstring_alloc(100);
	vstring_sprintf(state->refusal, "Invalid VERP delimiters: \"%s\"."
			" Need two characters from \"%s\"", delims,
			VAR_STR(verp_delimiter_filter));
	break;
    }
    record_puts(state->dst, REC_TYPE_FROM, qmqpd_cstring(state->sender));
}

/* qmqpd_recipient - one recipient to cleanup */
static void qmqpd_recipient(QMQPD_STATE *state, const char *rcpt)
{
    size_t  len = strlen(rcpt);

    if (len <= QMQPD_ORCPT_LIMIT)
	record_fprintf(state->dst, REC_TYPE_DSN_ORCPT, "%s;%s",
		       allascii(rcpt) ? "rfc822" : "utf-8", rcpt);
    record_put(state->dst, REC_TYPE_RCPT, rcpt, len);
    if (state->rcpt_count++ == 0)
	vstring_strcpy(state->first_rcpt, rcpt);
}

/* qmqpd_received - the Received: header, as Postfix's qmqpd writes it */
static void qmqpd_received(QMQPD_STATE *state)
{
    VSTRING *line = vstring_alloc(200);
    VSTRING *date = vstring_alloc(40);
    char   *rcpt;

    mail_date(date, state->arrival.tv_sec);
    vstring_sprintf(line, "Received: from %s (%s [%s])", state->peer.name,
		    state->peer.reverse_name, state->peer.addr);
    record_puts(state->dst, REC_TYPE_LINE, vstring_str(line));
    if (state->rcpt_count == 1) {
	vstring_sprintf(line, "\tby %s (%s) with %s id %s", VAR_STR(myhostname),
			VAR_STR(mail_name), QMQPD_PROTOCOL, state->queue_id);
	record_puts(state->dst, REC_TYPE_LINE, vstring_str(line));
	rcpt = qmqpd_printable(vstring_str(state->first_rcpt));
	vstring_sprintf(line, "\tfor <%s>; %s", rcpt, vstring_str(date));
	myfree(rcpt);
    } else {
	vstring_sprintf(line, "\tby %s (%s) with %s", VAR_STR(myhostname),
			VAR_STR(mail_name), QMQPD_PROTOCOL);
	record_puts(state->dst, REC_TYPE_LINE, vstring_str(line));
	vstring_sprintf(line, "\tid %s; %s", state->queue_id, vstring_str(date));
    }
    record_puts(state->dst, REC_TYPE_LINE, vstring_str(line));
    vstring_free(line);
    vstring_free(date);
}

/* qmqpd_abort - make cleanup discard the partial message, silently */
static void qmqpd_abort(QMQPD_STATE *state)
{
    cleanup_client_abort(state->cleanup);
    state->cleanup = NULL;
}

/* qmqpd_protocol_error - log, and answer a malformed request */
static void qmqpd_protocol_error(QMQPD_STATE *state, int status,
				         const char *where)
{
    msg_info("%s: %s: %s while receiving %s", state->queue_id,
	     state->peer.namaddr, netstring_strerror(status), where);
    qmqpd_abort(state);
    if (status == NETSTRING_ERR_FORMAT || status == NETSTRING_ERR_SIZE) {
	qmqpd_delay();
	qmqpd_reply(state, 'D', "%s while receiving %s",
		    netstring_strerror(status), where);
    }
}

/* qmqpd_strip_code - a reason without its enhanced status code */
static const char *qmqpd_strip_code(const char *reason)
{
    const char *cp = reason;

    if (*cp >= '2' && *cp <= '5' && cp[1] == '.') {
	cp += strspn(cp, "0123456789.");
	if (*cp == ' ')
	    return cp + 1;
    }
    return reason;
}

/* qmqpd_refuse - refuse a complete request that cleanup must not queue */
static void qmqpd_refuse(QMQPD_STATE *state, const char *text)
{
    qmqpd_abort(state);
    msg_warn("%s: %s: Error: %s", state->queue_id, state->peer.namaddr, text);
    qmqpd_delay();
    qmqpd_reply(state, VAR_BOOL(soft_bounce) ? 'Z' : 'D', "Error: %s", text);
}

/* qmqpd_finish - end the message, give cleanup's answer */
static void qmqpd_finish(QMQPD_STATE *state)
{
    VSTRING *reason;
    const char *text;
    int     status;
    size_t  line_limit = (size_t) VAR_INT(line_length_limit);

    if (state->refusal) {
	qmqpd_refuse(state, vstring_str(state->refusal));
	return;
    }
    reason = vstring_alloc(100);
    record_put(state->dst, REC_TYPE_MESSAGE, "", 0);
    qmqpd_received(state);
    (void) qmqpd_packet_content(state->dst, vstring_str(state->content),
				VSTRING_LEN(state->content), line_limit);
    record_put(state->dst, REC_TYPE_EXTRACT, "", 0);
    record_put(state->dst, REC_TYPE_END, "", 0);
    status = cleanup_client_close(state->cleanup, reason);
    state->cleanup = NULL;
    if (status == CLEANUP_STAT_OK) {
	qmqpd_reply(state, 'K', "Ok: queued as %s", state->queue_id);
    } else {
	text = qmqpd_strip_code(vstring_str(reason));
	msg_warn("%s: %s: Error: %s", state->queue_id, state->peer.namaddr,
		 text);
	qmqpd_delay();
	qmqpd_reply(state, VAR_BOOL(soft_bounce)
		    || (status & (CLEANUP_STAT_WRITE | CLEANUP_STAT_DEFER)) ?
		    'Z' : 'D', "Error: %s", text);
    }
    vstring_free(reason);
}

/* qmqpd_receive - one request of an authorized client */
static void qmqpd_receive(QMQPD_STATE *state)
{
    VSTRING *why = vstring_alloc(100);
    char   *endpoint = concatenate("public/", VAR_STR(cleanup_service_name),
				   (char *) 0);
    size_t  addr_limit = (size_t) VAR_INT(line_length_limit);
    long    size_limit = VAR_INT(message_size_limit);
    const char *where;
    bool    done = false;
    int     status;

    state->cleanup = cleanup_client_open(endpoint, qmqpd_cleanup_flags(), why);
    myfree(endpoint);
    if (state->cleanup == NULL) {
	msg_warn("%s: %s", state->peer.namaddr, vstring_str(why));
	qmqpd_delay();
	qmqpd_reply(state, 'Z', "Error: queue file write error");
	vstring_free(why);
	return;
    }
    vstring_free(why);
    state->dst = cleanup_client_stream(state->cleanup);
    state->queue_id = mystrdup(cleanup_client_queue_id(state->cleanup));
    msg_info("%s: client=%s", state->queue_id, state->peer.namaddr);
    qmqpd_envelope_start(state);
    status = qmqpd_packet_head(state->client, state->content, state->sender,
			       size_limit > 0 ? (size_t) size_limit : 0,
			       addr_limit, &where);
    while (status == NETSTRING_OK && !done) {
	status = qmqpd_packet_rcpt(state->client, state->rcpt, addr_limit,
				   &done);
	if (status == NETSTRING_OK && !done) {
	    if (state->rcpt_count == 0)
		qmqpd_sender(state);
	    qmqpd_recipient(state, qmqpd_cstring(state->rcpt));
	}
	where = QMQPD_WHERE_RCPT;
    }
    if (status != NETSTRING_OK) {
	qmqpd_protocol_error(state, status, where);
	return;
    }
    /* The F record goes before the recipients; with none, it is here. */
    if (state->rcpt_count == 0)
	qmqpd_sender(state);
    qmqpd_finish(state);
}

/* qmqpd_service - one client connection */
static void qmqpd_service(VSTREAM *client, const char *service, char **argv)
{
    QMQPD_STATE state;
    int     match;

    (void) service;
    (void) argv;
    memset(&state, 0, sizeof(state));
    state.client = client;
    gettimeofday(&state.arrival, NULL);
    vstream_set_timeout(client, VAR_TIME(qmqpd_timeout));
    qmqpd_peer_lookup(client, &state.peer);
    msg_info("connect from %s", state.peer.namaddr);
    match = host_addr_list_match(qmqpd_clients, state.peer.name,
				 state.peer.addr);
    if (match == 0) {
	qmqpd_delay();
	qmqpd_reply(&state, 'D', "Error: %s is not authorized to use this service",
		    state.peer.namaddr);
    } else if (match < 0) {
	msg_warn("%s: qmqpd_authorized_clients: table lookup problem",
		 state.peer.namaddr);
	qmqpd_delay();
	qmqpd_reply(&state, 'Z', "Error: server configuration error");
    } else {
	state.content = vstring_alloc(1000);
	state.sender = vstring_alloc(100);
	state.rcpt = vstring_alloc(100);
	state.first_rcpt = vstring_alloc(100);
	qmqpd_receive(&state);
	vstring_free(state.content);
	vstring_free(state.sender);
	vstring_free(state.rcpt);
	vstring_free(state.first_rcpt);
	if (state.refusal)
	    vstring_free(state.refusal);
	if (state.queue_id)
	    myfree(state.queue_id);
    }
    msg_info("disconnect from %s", state.peer.namaddr);
    qmqpd_peer_free(&state.peer);
}

/* qmqpd_pre_init - the list of authorized clients, before any chroot */
static void qmqpd_pre_init(const char *service, char **argv)
{
    (void) service;
    (void) argv;
    qmqpd_clients = host_addr_list_create("qmqpd_authorized_clients",
					  VAR_STR(qmqpd_authorized_clients),
					  HOST_ADDR_LIST_FLAG_FATAL);
}

/* main - hand over to the skeleton */
int     main(int argc, char **argv)
{
    static const MAIL_SERVER_OPTS opts = {
	.pre_init = qmqpd_pre_init,
    };

    single_server_main(argc, argv, qmqpd_service, &opts);
}
