/*
 * smtp_proto_xfer - one mail transaction: XFORWARD, MAIL, RCPT, DATA/BDAT
 *
 * SYNOPSIS
 *	#include "smtp_session.h"
 *
 *	int	smtp_xfer(SMTP_STATE *state);
 *
 * DESCRIPTION
 *	smtp_xfer() sends the request's message to the open recipients
 *	(rcpt_state[i] == SMTP_RCPT_OPEN) over state->session, and
 *	reports every recipient it tried through smtp_status.c.
 *
 *	Before anything is sent:
 *	-  A message that needs SMTPUTF8 (requested, and UTF-8 in the
 *	   sender, a header or a recipient) to a server without it is
 *	   returned: 5.6.7 "SMTPUTF8 is required, but was not offered
 *	   by host NAME[ADDR]".
 *	-  A message larger than the server's SIZE limit is returned:
 *	   5.3.4 "message size N exceeds size limit M of server
 *	   NAME[ADDR]", and the connection is closed without QUIT (as
 *	   Debian's smtp(8) does).
 *
 *	The commands:
 *	-  XFORWARD (smtp_send_xforward_command, when the server offers
 *	   XFORWARD): NAME, ADDR, PORT in one command, PROTO, HELO,
 *	   IDENT (the queue ID), SOURCE (LOCAL or REMOTE) in a second
 *	   one, as Debian's smtp(8) groups them; only the attributes the
 *	   server named and the request knows (a message from pickup
 *	   gives just "XFORWARD SOURCE=LOCAL"), values xtext-encoded,
 *	   ADDR with "IPV6:" in front of an IPv6 address.
 *	-  MAIL FROM:<sender> (smtp_generic_maps, then RFC 821 quoting
 *	   through smtp_content.h) with SIZE=data_size (when offered and
 *	   no 8-bit to 7-bit conversion will happen), BODY=8BITMIME
 *	   (8-bit message, offered; BODY=BINARYMIME with BDAT when
 *	   offered), SMTPUTF8, and with DSN offered ENVID= and RET=.
 *	-  RCPT TO:<address> with, when DSN is offered, ORCPT= (the
 *	   recipient's DSN original recipient, type "utf-8" sent as
 *	   "rfc822", else "rfc822;" and its original address, xtext)
 *	   and NOTIFY=, in that order as Debian's smtp(8).
 *	-  DATA, then the content (smtp_content_send(), dot-stuffed),
 *	   then ".". With BDAT (smtp_use_bdat / lmtp_use_bdat = yes and
 *	   CHUNKING offered): "BDAT n" chunks of the raw content, the
 *	   last one "BDAT n LAST", and no DATA and no dot.
 *	With PIPELINING, XFORWARD, MAIL, every RCPT and DATA go out in
 *	one write and the replies are read in order; without, each
 *	command waits for its reply and the transaction stops at the
 *	first failure that ends it. A transaction that ends before the
 *	end of data (MAIL, every RCPT or DATA refused) is followed by
 *	RSET. When the session will not be kept (state->misc_flags
 *	lacks SMTP_MISC_FLAG_CONN_STORE), smtp_xfer() ends it with QUIT,
 *	which goes out in the same write as the end of data or the RSET
 *	when the server pipelines (the QUIT reply is read unless
 *	smtp_skip_quit_response), as Debian's smtp(8) does. After a 421
 *	reply nothing more is sent: every recipient still open gets that
 *	reply.
 *	The PIX delay_dotcrlf workaround sends the final "." alone,
 *	smtp_pix_workaround_delay_time after the content, for a message
 *	queued longer than smtp_pix_workaround_threshold_time.
 *
 *	An address probe (DEL_REQ_FLAG_VERIFY) stops after the RCPT
 *	replies: a 2xx RCPT reply is the recipient's "deliverable"
 *	answer (smtp_rcpt_done() with that reply); with PIPELINING the
 *	RSET (and QUIT) go out in the same write as MAIL and RCPT, as
 *	Debian's smtp(8) does. With smtp_address_verify_target = data
 *	the probe sends DATA instead, takes the 354 reply as the answer
 *	for the accepted recipients and hangs up (no QUIT), as Debian's.
 *
 *	Outcomes: a refused XFORWARD is a warning ("host
 *	NAME[ADDR]:PORT said: TEXT (in reply to XFORWARD name/address
 *	command)", or "helo/protocol" for the second one) and the
 *	transaction goes on, as with Debian's smtp(8); a non-2xx MAIL
 *	reply fails every open recipient ("MAIL FROM command"); a non-2xx
 *	RCPT reply fails that recipient ("RCPT TO command"); a DATA reply
 *	that is not 3xx fails the accepted ones ("DATA command"); the
 *	end-of-data reply delivers or fails them ("end of DATA
 *	command"), LMTP one reply per accepted recipient in order. A
 *	lost connection or timeout goes to smtp_stream_except() with
 *	the stage: "sending XFORWARD name/address" (or helo/protocol),
 *	"sending MAIL FROM",
 *	"sending RCPT TO", "sending DATA command", "sending message
 *	body", "sending end of data -- message may be sent more than
 *	once". A queue file that cannot be read defers the message and
 *	abandons the connection (a truncated message must not be
 *	ended with a dot).
 *
 *	A 3xx reply to MAIL or RCPT (a pipeline out of step, e.g. a
 *	non-SMTP line that took the next reply with it) fails that
 *	command with 5.5.0 and ends the session as a lost connection at
 *	the next reply, as Debian's smtp(8) reports it.
 *
 *	Each reply is waited for within its stage's timeout
 *	(smtp_xforward_timeout, _mail_, _rcpt_, _data_init_,
 *	_data_xfer_, _data_done_, _quit_). It returns 0 when the session
 *	may carry another transaction (after smtp_rset()), -1 when it
 *	must be closed (QUIT was sent, or the connection is broken).
 */
#include "sys_defs.h"

#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "argv.h"
#include "vstream.h"
#include "vstring.h"
#include "dsn.h"
#include "rec_type.h"
#include "queue_file_read.h"
#include "mail_params.h"
#include "smtp.h"
#include "smtp_session.h"
#include "smtp_content.h"
#include "smtp_proto.h"

/* BDAT chunk size. */
#define SMTP_BDAT_CHUNK		(64 * 1024)

/* Longest XFORWARD command we build (RFC 5321 command limit). */
#define SMTP_XFORWARD_MAX	512

/* Per-transaction context. */
typedef struct XFER {
    SMTP_STATE *state;
    SMTP_SESSION *session;
    SMTP_RESP resp;
    VSTRING *addr_buf;			/* mapped address */
    VSTRING *quote_buf;			/* quoted address */
    VSTRING *xtext_buf;
    int    *rcpt_sent;			/* recipients in this transaction */
    int     rcpt_count;
    int     accepted;			/* recipients with 2xx */
    int     bdat;			/* BDAT instead of DATA */
    int     pipelining;
    int     keep;			/* the session may be cached */
    int     verify;			/* address probe */
    int     verify_data;		/* ... with address_verify_target data */
    int     desync;			/* a reply came out of sequence */
    /* BDAT */
    VSTRING *chunk;			/* content not yet sent */
    int     chunk_failed;		/* a BDAT reply ended the transaction */
} XFER;

/* Return values of the steps below. */
#define XFER_CONT	0		/* go on */
#define XFER_STOP	1		/* transaction over, session usable */
#define XFER_CLOSE	(-1)		/* session must be closed */
#define XFER_DONE	2		/* over, RSET done already */

/* xfer_8bit - is the message declared 8-bit (encoding 8bit, 8bitmime)? */

static int xfer_8bit(const DELIVER_REQUEST *request)
{
    return (request->encoding != 0
	    && (strcasecmp(request->encoding, "8bit") == 0
		|| strcasecmp(request->encoding, "8bitmime") == 0));
}

/* xfer_envelope - an envelope address as the client sends it */

static const char *xfer_envelope(XFER *xfer, const char *addr)
{
    const char *mapped = smtp_map_envelope(xfer->state, addr, xfer->addr_buf);

    return (smtp_quote_envelope(mapped, xfer->quote_buf));
}

/* xfer_rcpt_utf8 - does a recipient of this transaction need SMTPUTF8? */

static int xfer_rcpt_utf8(XFER *xfer)
{
    SMTP_STATE *state = xfer->state;
    int     i;

    for (i = 0; i < state->request->rcpt_list.len; i++)
	if (state->rcpt_state[i] == SMTP_RCPT_OPEN
	    && !allascii(state->request->rcpt_list.info[i].address))
	    return (1);
    return (0);
}

/* xfer_precheck - SMTPUTF8 and SIZE; XFER_STOP after a report */

static int xfer_precheck(XFER *xfer)
{
    SMTP_STATE *state = xfer->state;
    SMTP_SESSION *session = xfer->session;
    DELIVER_REQUEST *request = state->request;
    DSN_BUF *why;

    if ((request->smtputf8 & QUEUE_FILE_UTF8_REQUESTED)
	&& !(session->features & SMTP_FEATURE_SMTPUTF8)
	&& ((request->smtputf8 & (QUEUE_FILE_UTF8_HEADER
				  | QUEUE_FILE_UTF8_SENDER))
	    || !allascii(request->sender) || xfer_rcpt_utf8(xfer))) {
	why = dsb_create();
	dsb_simple(why, "5.6.7", "SMTPUTF8 is required, "
		   "but was not offered by host %s", session->namaddr);
	smtp_mesg_fail_dsn(state, why);
	dsb_free(why);
	return (XFER_STOP);
    }
    if ((session->features & SMTP_FEATURE_SIZE) && session->size_limit > 0
	&& request->data_size > session->size_limit) {
	why = dsb_create();
	dsb_simple(why, "5.3.4", "message size %ld exceeds size limit %.0f "
		   "of server %s", request->data_size,
		   (double) session->size_limit, session->namaddr);
	smtp_mesg_fail_dsn(state, why);
	dsb_free(why);
	/* Debian's smtp(8) closes this session without QUIT. */
	session->broken = 1;
	return (XFER_STOP);
    }
    return (XFER_CONT);
}

/* xforward_value - one attribute value, xtext-encoded */

static const char *xforward_value(XFER *xfer, const char *value, int is_addr)
{
    if (is_addr && strchr(value, ':') != 0
	&& strncasecmp(value, "IPv6:", 5) != 0) {
	vstring_sprintf(xfer->quote_buf, "IPV6:%s", value);
	value = vstring_str(xfer->quote_buf);
    }
    return (smtp_xtext(xfer->xtext_buf, value));
}

/* xforward_add - append one attribute when the server takes it */

static void xforward_add(XFER *xfer, VSTRING *cmd, int feature,
			         const char *name, const char *value, int is_addr)
{
    if (!(xfer->session->features & feature) || value == 0 || *value == 0)
	return;
    value = xforward_value(xfer, value, is_addr);
    if (VSTRING_LEN(cmd) + strlen(name) + strlen(value) + 2
	> SMTP_XFORWARD_MAX)
	return;
    vstring_sprintf_append(cmd, " %s=%s", name, value);
}

/* xforward_source - LOCAL or REMOTE, as the rewrite context says */

static const char *xforward_source(const DELIVER_REQUEST *request)
{
    if (request->rewrite_context == 0 || *request->rewrite_context == 0)
	return (0);
    return (strcmp(request->rewrite_context, "local") == 0 ?
	    "LOCAL" : "REMOTE");
}

/* xforward_ident - the IDENT value: log_ident, or the queue ID of mail
   that came from the network (Postfix's smtpd records it as log_ident) */

static const char *xforward_ident(const DELIVER_REQUEST *request)
{
    if (request->log_ident && *request->log_ident)
	return (request->log_ident);
    if (request->client_addr && *request->client_addr)
	return (request->queue_id);
    return (0);
}

/* xforward_build - the XFORWARD commands for this request, each followed
   by the name of its attribute group for warnings (Debian's names) */

static ARGV *xforward_build(XFER *xfer)
{
    DELIVER_REQUEST *request = xfer->state->request;
    VSTRING *cmd = vstring_alloc(SMTP_XFORWARD_MAX);
    ARGV   *cmds = argv_alloc(2);

    if (!SMTP_BOOL(send_xforward_command))
	return (cmds);
    vstring_strcpy(cmd, "XFORWARD");
    xforward_add(xfer, cmd, SMTP_FEATURE_XFORWARD_NAME, "NAME",
		 request->client_name, 0);
    xforward_add(xfer, cmd, SMTP_FEATURE_XFORWARD_ADDR, "ADDR",
		 request->client_addr, 1);
    xforward_add(xfer, cmd, SMTP_FEATURE_XFORWARD_PORT, "PORT",
		 request->client_port, 0);
    if (VSTRING_LEN(cmd) > strlen("XFORWARD"))
	argv_add(cmds, vstring_str(cmd), "name/address", (char *) 0);
    vstring_strcpy(cmd, "XFORWARD");
    xforward_add(xfer, cmd, SMTP_FEATURE_XFORWARD_PROTO, "PROTO",
		 request->client_proto, 0);
    xforward_add(xfer, cmd, SMTP_FEATURE_XFORWARD_HELO, "HELO",
		 request->client_helo, 0);
    xforward_add(xfer, cmd, SMTP_FEATURE_XFORWARD_IDENT, "IDENT",
		 xforward_ident(request), 0);
    xforward_add(xfer, cmd, SMTP_FEATURE_XFORWARD_DOMAIN, "SOURCE",
		 xforward_source(request), 0);
    if (VSTRING_LEN(cmd) > strlen("XFORWARD"))
	argv_add(cmds, vstring_str(cmd), "helo/protocol", (char *) 0);
    vstring_free(cmd);
    return (cmds);
}

/* xfer_mail_send - queue MAIL FROM with its parameters */

static void xfer_mail_send(XFER *xfer)
{
    SMTP_STATE *state = xfer->state;
    SMTP_SESSION *session = xfer->session;
    DELIVER_REQUEST *request = state->request;
    VSTRING *cmd = vstring_alloc(100);

    vstring_sprintf(cmd, "MAIL FROM:<%s>",
		    *request->sender ? xfer_envelope(xfer, request->sender) : "");
    if ((session->features & SMTP_FEATURE_SIZE)
	&& !smtp_content_needs_downgrade(state))
	vstring_sprintf_append(cmd, " SIZE=%ld", request->data_size);
    if (xfer_8bit(request)) {
	if (xfer->bdat && (session->features & SMTP_FEATURE_BINARYMIME))
	    vstring_strcat(cmd, " BODY=BINARYMIME");
	else if (session->features & SMTP_FEATURE_8BITMIME)
	    vstring_strcat(cmd, " BODY=8BITMIME");
    }
    if ((request->smtputf8 & QUEUE_FILE_UTF8_REQUESTED)
	&& (session->features & SMTP_FEATURE_SMTPUTF8))
	vstring_strcat(cmd, " SMTPUTF8");
    if (session->features & SMTP_FEATURE_DSN) {
	if (request->dsn_envid && *request->dsn_envid)
	    vstring_sprintf_append(cmd, " ENVID=%s",
				 smtp_xtext(xfer->xtext_buf, request->dsn_envid));
	if (request->dsn_ret)
	    vstring_sprintf_append(cmd, " RET=%s",
			  request->dsn_ret == REC_DSN_RET_HDRS ? "HDRS" : "FULL");
    }
    smtp_chat_cmd(session, "%s", vstring_str(cmd));
    vstring_free(cmd);
}

/* xfer_notify - the NOTIFY= value of a DSN mask */

static void xfer_notify(VSTRING *cmd, int mask)
{
    if (mask & REC_DSN_NOTIFY_NEVER) {
	vstring_strcat(cmd, " NOTIFY=NEVER");
	return;
    }
    vstring_strcat(cmd, " NOTIFY=");
    if (mask & REC_DSN_NOTIFY_SUCCESS)
	vstring_strcat(cmd, "SUCCESS,");
    if (mask & REC_DSN_NOTIFY_FAILURE)
	vstring_strcat(cmd, "FAILURE,");
    if (mask & REC_DSN_NOTIFY_DELAY)
	vstring_strcat(cmd, "DELAY,");
    vstring_truncate(cmd, VSTRING_LEN(cmd) - 1);
    VSTRING_TERMINATE(cmd);
}

/* xfer_rcpt_send - queue RCPT TO for recipient idx */

static void xfer_rcpt_send(XFER *xfer, int idx)
{
    SMTP_SESSION *session = xfer->session;
    const RECIPIENT *rcpt = xfer->state->request->rcpt_list.info + idx;
    VSTRING *cmd = vstring_alloc(100);
    const char *semi;

    vstring_sprintf(cmd, "RCPT TO:<%s>", xfer_envelope(xfer, rcpt->address));
    if (session->features & SMTP_FEATURE_DSN) {
	if (rcpt->dsn_orcpt && *rcpt->dsn_orcpt
	    && (semi = strchr(rcpt->dsn_orcpt, ';')) != 0) {
	    /* Debian's smtp(8) sends a "utf-8;" original as "rfc822;". */
	    if (semi - rcpt->dsn_orcpt == 5
		&& strncasecmp(rcpt->dsn_orcpt, "utf-8", 5) == 0)
		vstring_strcat(cmd, " ORCPT=rfc822;");
	    else
		vstring_sprintf_append(cmd, " ORCPT=%.*s;",
				       (int) (semi - rcpt->dsn_orcpt),
				       rcpt->dsn_orcpt);
	    vstring_strcat(cmd, smtp_xtext(xfer->xtext_buf, semi + 1));
	} else if (rcpt->orig_addr && *rcpt->orig_addr) {
	    /* Debian's smtp(8): the internal form, xtext-encoded. */
	    vstring_strcat(cmd, " ORCPT=rfc822;");
	    vstring_strcat(cmd, smtp_xtext(xfer->xtext_buf, rcpt->orig_addr));
	}
	if (rcpt->dsn_notify)
	    xfer_notify(cmd, rcpt->dsn_notify);
    }
    smtp_chat_cmd(session, "%s", vstring_str(cmd));
    vstring_free(cmd);
}

/* xfer_read - read one reply within timeout; SMTP_ERR_* or 0 */

static int xfer_read(XFER *xfer, int timeout)
{
    /* After an out-of-sequence reply the rest cannot be trusted. */
    if (xfer->desync)
	return (SMTP_ERR_EOF);
    smtp_session_deadline(xfer->session, timeout);
    return (smtp_reply_read(xfer->session, &xfer->resp));
}

/* xfer_unexpected - a 3xx reply where 2xx, 4xx or 5xx belongs */

static void xfer_unexpected(XFER *xfer)
{
    /*
     * Debian's smtp(8): the command fails as a protocol error (5.5.0, the
     * server's text kept) and the session ends as if lost; the next reply
     * of the pipeline was swallowed with this one.
     */
    xfer->resp.code = 550;
    strcpy(xfer->resp.dsn, "5.5.0");
    vstring_strcpy(xfer->resp.dsn_buf, xfer->resp.dsn);
    xfer->desync = 1;
    xfer->session->broken = 1;
}

/* xfer_421 - a 421 reply: the server is closing; fail what is left */

static int xfer_421(XFER *xfer, const char *stage)
{
    smtp_mesg_fail(xfer->state, &xfer->resp, stage);
    xfer->session->broken = 1;
    xfer->session->quit_sent = 1;		/* no QUIT after 421 */
    return (XFER_CLOSE);
}

/* xfer_except - report a broken connection */

static int xfer_except(XFER *xfer, int err, const char *stage)
{
    xfer->session->broken = 1;
    (void) smtp_stream_except(xfer->state, err, stage);
    return (XFER_CLOSE);
}

/* xfer_xforward_reply - the reply to one XFORWARD: a refusal is only
   a warning, as with Debian's smtp(8) */

static int xfer_xforward_reply(XFER *xfer, const char *group)
{
    int     err;

    if ((err = xfer_read(xfer, SMTP_TIME(xforward_timeout))) != 0) {
	vstring_sprintf(xfer->quote_buf, "sending XFORWARD %s", group);
	return (xfer_except(xfer, err, vstring_str(xfer->quote_buf)));
    }
    if (!smtp_resp_ok(&xfer->resp))
	msg_warn("host %s said: %s (in reply to XFORWARD %s command)",
		 xfer->session->namaddrport, vstring_str(xfer->resp.str),
		 group);
    return (XFER_CONT);
}

/* xfer_mail_reply - the reply to MAIL FROM */

static int xfer_mail_reply(XFER *xfer, int *mail_ok)
{
    int     err;

    if ((err = xfer_read(xfer, SMTP_TIME(mail_timeout))) != 0)
	return (xfer_except(xfer, err, "sending MAIL FROM"));
    if (xfer->resp.code / 100 == 3)
	xfer_unexpected(xfer);
    if (xfer->resp.code == 421)
	return (xfer_421(xfer, "MAIL FROM command"));
    if (*mail_ok && !smtp_resp_ok(&xfer->resp)) {
	smtp_mesg_fail(xfer->state, &xfer->resp, "MAIL FROM command");
	*mail_ok = 0;
    }
    return (XFER_CONT);
}

/* xfer_rcpt_reply - the reply to RCPT TO of recipient idx */

static int xfer_rcpt_reply(XFER *xfer, int idx, int mail_ok)
{
    int     err;

    if ((err = xfer_read(xfer, SMTP_TIME(rcpt_timeout))) != 0)
	return (xfer_except(xfer, err, "sending RCPT TO"));
    if (xfer->resp.code / 100 == 3)
	xfer_unexpected(xfer);
    if (xfer->resp.code == 421)
	return (xfer_421(xfer, "RCPT TO command"));
    if (!mail_ok)
	return (XFER_CONT);
    if (smtp_resp_ok(&xfer->resp) && xfer->verify && !xfer->verify_data) {
	/* An address probe: the RCPT reply is the answer. */
	smtp_rcpt_done(xfer->state, idx, &xfer->resp);
    } else if (smtp_resp_ok(&xfer->resp)) {
	xfer->state->rcpt_state[idx] = SMTP_RCPT_ACCEPTED;
	xfer->accepted++;
    } else {
	smtp_rcpt_fail(xfer->state, idx, &xfer->resp, "RCPT TO command");
    }
    return (XFER_CONT);
}

/* xfer_probe_data - a probe with address_verify_target = data: the
   reply to DATA is the answer, and the client hangs up (Debian's) */

static int xfer_probe_data(XFER *xfer)
{
    SMTP_STATE *state = xfer->state;
    int     i;

    for (i = 0; i < xfer->rcpt_count; i++)
	if (state->rcpt_state[xfer->rcpt_sent[i]] == SMTP_RCPT_ACCEPTED)
	    smtp_rcpt_done(state, xfer->rcpt_sent[i], &xfer->resp);
    xfer->session->broken = 1;			/* mid-DATA: no QUIT */
    return (XFER_CLOSE);
}

/* xfer_data_reply - the reply to DATA */

static int xfer_data_reply(XFER *xfer)
{
    int     err;

    if ((err = xfer_read(xfer, SMTP_TIME(data_init_timeout))) != 0)
	return (xfer_except(xfer, err, "sending DATA command"));
    if (xfer->resp.code == 421)
	return (xfer_421(xfer, "DATA command"));
    if (xfer->resp.code / 100 == 3) {
	if (xfer->accepted > 0 && xfer->verify_data)
	    return (xfer_probe_data(xfer));
	if (xfer->accepted > 0)
	    return (XFER_CONT);
	/* The server wants data that nobody is waiting for. */
	xfer->session->broken = 1;
	return (XFER_CLOSE);
    }
    if (xfer->accepted > 0)
	smtp_mesg_fail(xfer->state, &xfer->resp, "DATA command");
    return (XFER_STOP);
}

/* xfer_quit_reply - the reply to a QUIT sent with the end of data */

static void xfer_quit_reply(XFER *xfer)
{
    if (xfer->session->quit_sent && !SMTP_BOOL(skip_quit_response))
	(void) xfer_read(xfer, SMTP_TIME(quit_timeout));
    else if (xfer->session->quit_sent)
	(void) smtp_chat_flush(xfer->session);
}

/* xfer_reset_reply - the reply to RSET (and QUIT) */

static int xfer_reset_reply(XFER *xfer)
{
    if (xfer_read(xfer, SMTP_TIME(rset_timeout)) != 0
	|| !smtp_resp_ok(&xfer->resp)) {
	xfer->session->broken = 1;
	return (XFER_CLOSE);
    }
    xfer_quit_reply(xfer);
    return (XFER_DONE);
}

/* xfer_reset - RSET after a transaction that ended early (QUIT too) */

static int xfer_reset(XFER *xfer)
{
    SMTP_SESSION *session = xfer->session;

    smtp_chat_cmd(session, "RSET");
    if (!xfer->keep && xfer->pipelining) {
	smtp_chat_cmd(session, "QUIT");
	session->quit_sent = 1;
    }
    return (xfer_reset_reply(xfer));
}

/* xfer_envelope_pipelined - everything up to DATA in one write */

static int xfer_envelope_pipelined(XFER *xfer)
{
    ARGV   *xforwards = xforward_build(xfer);
    int     mail_ok = 1;
    int     ret = XFER_CONT;
    size_t  n;
    int     i;

    for (n = 0; n < xforwards->argc; n += 2)
	smtp_chat_cmd(xfer->session, "%s", xforwards->argv[n]);
    xfer_mail_send(xfer);
    for (i = 0; i < xfer->rcpt_count; i++)
	xfer_rcpt_send(xfer, xfer->rcpt_sent[i]);
    if (xfer->verify && !xfer->verify_data) {
	/* A probe: Debian's smtp(8) sends RSET (and QUIT) in this write. */
	smtp_chat_cmd(xfer->session, "RSET");
	if (!xfer->keep) {
	    smtp_chat_cmd(xfer->session, "QUIT");
	    xfer->session->quit_sent = 1;
	}
    } else if (!xfer->bdat) {
	smtp_chat_cmd(xfer->session, "DATA");
    }

    for (n = 0; ret == XFER_CONT && n < xforwards->argc; n += 2)
	ret = xfer_xforward_reply(xfer, xforwards->argv[n + 1]);
    if (ret == XFER_CONT)
	ret = xfer_mail_reply(xfer, &mail_ok);
    for (i = 0; ret == XFER_CONT && i < xfer->rcpt_count; i++)
	ret = xfer_rcpt_reply(xfer, xfer->rcpt_sent[i], mail_ok);
    argv_free(xforwards);
    if (ret != XFER_CONT)
	return (ret);
    if (xfer->verify && !xfer->verify_data)
	return (xfer_reset_reply(xfer));
    if (!xfer->bdat)
	return (xfer_data_reply(xfer));
    return (xfer->accepted > 0 ? XFER_CONT : XFER_STOP);
}

/* xfer_envelope_lockstep - one command, one reply */

static int xfer_envelope_lockstep(XFER *xfer)
{
    ARGV   *xforwards = xforward_build(xfer);
    int     mail_ok = 1;
    int     ret = XFER_CONT;
    size_t  n;
    int     i;

    for (n = 0; ret == XFER_CONT && n < xforwards->argc; n += 2) {
	smtp_chat_cmd(xfer->session, "%s", xforwards->argv[n]);
	ret = xfer_xforward_reply(xfer, xforwards->argv[n + 1]);
    }
    argv_free(xforwards);
    if (ret != XFER_CONT)
	return (ret);
    xfer_mail_send(xfer);
    if ((ret = xfer_mail_reply(xfer, &mail_ok)) != XFER_CONT || !mail_ok)
	return (ret != XFER_CONT ? ret : XFER_STOP);
    for (i = 0; ret == XFER_CONT && i < xfer->rcpt_count; i++) {
	xfer_rcpt_send(xfer, xfer->rcpt_sent[i]);
	ret = xfer_rcpt_reply(xfer, xfer->rcpt_sent[i], mail_ok);
    }
    if (ret != XFER_CONT)
	return (ret);
    if (xfer->accepted == 0 || (xfer->verify && !xfer->verify_data))
	return (XFER_STOP);
    if (xfer->bdat)
	return (XFER_CONT);
    smtp_chat_cmd(xfer->session, "DATA");
    return (xfer_data_reply(xfer));
}

/* xfer_data_out - content to the DATA stream */

static int xfer_data_out(void *context, const char *data, ssize_t len)
{
    XFER   *xfer = (XFER *) context;

    if (len > 0 && vstream_fwrite(xfer->session->stream, data, (size_t) len)
	!= (size_t) len)
	return (smtp_chat_error(xfer->session));
    return (0);
}

/* xfer_bdat_chunk - send len bytes of the buffer as one BDAT */

static int xfer_bdat_chunk(XFER *xfer, size_t len, int last)
{
    SMTP_SESSION *session = xfer->session;
    int     err;

    smtp_chat_cmd(session, "BDAT %lu%s", (unsigned long) len,
		  last ? " LAST" : "");
    if (len > 0 && vstream_fwrite(session->stream, vstring_str(xfer->chunk),
				  len) != len)
	return (smtp_chat_error(session));
    memmove(vstring_str(xfer->chunk), vstring_str(xfer->chunk) + len,
	    VSTRING_LEN(xfer->chunk) - len);
    vstring_truncate(xfer->chunk, VSTRING_LEN(xfer->chunk) - len);
    VSTRING_TERMINATE(xfer->chunk);
    if (last)
	return (0);
    if ((err = smtp_reply_read(session, &xfer->resp)) != 0)
	return (err);
    if (!smtp_resp_ok(&xfer->resp)) {
	smtp_mesg_fail(xfer->state, &xfer->resp, "BDAT command");
	xfer->chunk_failed = 1;
	return (SMTP_ERR_EOF);
    }
    return (0);
}

/* xfer_bdat_out - content into BDAT chunks */

static int xfer_bdat_out(void *context, const char *data, ssize_t len)
{
    XFER   *xfer = (XFER *) context;
    int     err;

    if (len > 0)
	vstring_memcat(xfer->chunk, data, (size_t) len);
    while (VSTRING_LEN(xfer->chunk) >= SMTP_BDAT_CHUNK)
	if ((err = xfer_bdat_chunk(xfer, SMTP_BDAT_CHUNK, 0)) != 0)
	    return (err);
    return (0);
}

/*
 * xfer_pix_delay - the PIX <CRLF>.<CRLF> workaround (set by smtp_helo),
 * for a message older than smtp_pix_workaround_threshold_time
 */
static void xfer_pix_delay(XFER *xfer)
{
    SMTP_SESSION *session = xfer->session;
    time_t  arrival = xfer->state->request->stats.incoming_arrival.tv_sec;

    if (!(session->pix_flags & SMTP_PIX_DELAY_DOTCRLF))
	return;
    if (time((time_t *) 0) - arrival
	< smtp_param_time(TIME_PARAM_smtp_pix_workaround_threshold_time,
			  TIME_PARAM_lmtp_pix_workaround_threshold_time))
	return;
    if (smtp_chat_flush(session) == 0)
	sleep((unsigned) smtp_param_time(
			      TIME_PARAM_smtp_pix_workaround_delay_time,
			      TIME_PARAM_lmtp_pix_workaround_delay_time));
}

/* xfer_content - the message content and the end of data */

static int xfer_content(XFER *xfer)
{
    SMTP_STATE *state = xfer->state;
    SMTP_SESSION *session = xfer->session;
    DSN_BUF *why = dsb_create();
    int     flags = xfer->bdat ? 0 : SMTP_CONTENT_DOT;
    int     err;

    if (smtp_content_needs_downgrade(state))
	flags |= SMTP_CONTENT_DOWNGRADE;
    smtp_session_deadline(session, SMTP_TIME(data_xfer_timeout));
    err = smtp_content_send(state, flags,
			    xfer->bdat ? xfer_bdat_out : xfer_data_out,
			    xfer, why);
    if (err == 0 && !xfer->bdat) {
	xfer_pix_delay(xfer);
	smtp_chat_cmd(session, ".");
    } else if (err == 0 && xfer->bdat) {
	err = xfer_bdat_chunk(xfer, VSTRING_LEN(xfer->chunk), 1);
    }
    if (err == 0 && !xfer->keep && xfer->pipelining) {
	smtp_chat_cmd(session, "QUIT");
	session->quit_sent = 1;
    }
    if (err == -1) {
	/* The queue file failed: never end a truncated message. */
	smtp_mesg_fail_dsn(state, why);
	session->broken = 1;
	dsb_free(why);
	return (XFER_CLOSE);
    }
    dsb_free(why);
    if (err != 0) {
	if (xfer->chunk_failed) {
	    session->broken = 1;
	    return (XFER_CLOSE);
	}
	return (xfer_except(xfer, err, "sending message body"));
    }
    return (XFER_CONT);
}

/* xfer_done_reply - the end-of-data reply (LMTP: one per recipient) */

static int xfer_done_reply(XFER *xfer)
{
    SMTP_STATE *state = xfer->state;
    const char *stage = xfer->bdat ? "BDAT LAST command" : "end of DATA command";
    int     err;
    int     i;
    int     idx;

    for (i = 0; i < xfer->rcpt_count; i++) {
	idx = xfer->rcpt_sent[i];
	if (state->rcpt_state[idx] != SMTP_RCPT_ACCEPTED)
	    continue;
	if ((err = xfer_read(xfer, SMTP_TIME(data_done_timeout))) != 0)
	    return (xfer_except(xfer, err, "sending end of data -- "
				"message may be sent more than once"));
	if (xfer->resp.code == 421) {
	    if (smtp_mode)
		return (xfer_421(xfer, stage));
	    xfer->session->broken = 1;
	}
	if (smtp_mode) {
	    if (smtp_resp_ok(&xfer->resp)) {
		for ( /* void */ ; i < xfer->rcpt_count; i++)
		    if (state->rcpt_state[xfer->rcpt_sent[i]]
			== SMTP_RCPT_ACCEPTED)
			smtp_rcpt_done(state, xfer->rcpt_sent[i], &xfer->resp);
	    } else {
		smtp_mesg_fail(state, &xfer->resp, stage);
	    }
	    break;
	}
	if (smtp_resp_ok(&xfer->resp))
	    smtp_rcpt_done(state, idx, &xfer->resp);
	else
	    smtp_rcpt_fail(state, idx, &xfer->resp, stage);
    }
    return (XFER_CONT);
}

/* smtp_xfer - one mail transaction */

int     smtp_xfer(SMTP_STATE *state)
{
    SMTP_SESSION *session = state->session;
    XFER    xfer;
    int     ret;
    int     i;

    memset(&xfer, 0, sizeof(xfer));
    xfer.state = state;
    xfer.session = session;
    if (session->broken || session->quit_sent)
	msg_panic("%s: transaction on a closed session", __func__);
    session->log_id = state->request->queue_id;
    xfer.rcpt_sent = (int *) mymalloc(sizeof(int)
				 * (state->request->rcpt_list.len + 1));
    for (i = 0; i < state->request->rcpt_list.len; i++)
	if (state->rcpt_state[i] == SMTP_RCPT_OPEN)
	    xfer.rcpt_sent[xfer.rcpt_count++] = i;
    if (xfer.rcpt_count == 0) {
	myfree(xfer.rcpt_sent);
	return (0);
    }
    smtp_resp_init(&xfer.resp);
    xfer.addr_buf = vstring_alloc(100);
    xfer.quote_buf = vstring_alloc(100);
    xfer.xtext_buf = vstring_alloc(100);
    xfer.chunk = vstring_alloc(SMTP_BDAT_CHUNK);
    xfer.pipelining = (session->features & SMTP_FEATURE_PIPELINING) != 0;
    xfer.bdat = (session->features & SMTP_FEATURE_CHUNKING)
	&& smtp_param_bool(BOOL_PARAM_smtp_use_bdat, BOOL_PARAM_lmtp_use_bdat);
    xfer.keep = (state->misc_flags & SMTP_MISC_FLAG_CONN_STORE) != 0;
    xfer.verify = (state->request->flags & DEL_REQ_FLAG_VERIFY) != 0;
    xfer.verify_data = xfer.verify
	&& strcasecmp(SMTP_STR(address_verify_target), "data") == 0;

    if ((ret = xfer_precheck(&xfer)) == XFER_CONT) {
	ret = xfer.pipelining ? xfer_envelope_pipelined(&xfer) :
	    xfer_envelope_lockstep(&xfer);
	if (ret == XFER_CONT)
	    ret = xfer_content(&xfer);
	if (ret == XFER_CONT)
	    ret = xfer_done_reply(&xfer);
	if (ret == XFER_CONT)
	    xfer_quit_reply(&xfer);
	if (ret == XFER_STOP)
	    ret = xfer_reset(&xfer);
	session->reuse_count++;
    }
    if (!xfer.keep && !session->quit_sent && !session->broken)
	(void) smtp_quit(state);
    smtp_resp_free(&xfer.resp);
    vstring_free(xfer.addr_buf);
    vstring_free(xfer.quote_buf);
    vstring_free(xfer.xtext_buf);
    vstring_free(xfer.chunk);
    myfree(xfer.rcpt_sent);
    if (ret == XFER_CLOSE || session->broken || session->quit_sent)
	return (-1);
    return (0);
}
