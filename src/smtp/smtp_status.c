/*
 * smtp_status - per-recipient outcomes of the SMTP/LMTP client
 *
 * SYNOPSIS
 *	#include "smtp.h"
 *	#include "smtp_deliver.h"
 *
 *	void	smtp_rcpt_done(SMTP_STATE *state, int idx,
 *				const SMTP_RESP *resp);
 *	void	smtp_rcpt_fail(SMTP_STATE *state, int idx,
 *				const SMTP_RESP *resp, const char *stage);
 *	void	smtp_mesg_fail(SMTP_STATE *state, const SMTP_RESP *resp,
 *				const char *stage);
 *	void	smtp_rcpt_fail_dsn(SMTP_STATE *state, int idx,
 *				DSN_BUF *why);
 *	void	smtp_mesg_fail_dsn(SMTP_STATE *state, DSN_BUF *why);
 *
 *	void	smtp_status_init(void);
 *	void	smtp_status_report(SMTP_STATE *state, int idx,
 *				const char *relay, DSN_BUF *why);
 *	const char *smtp_status_relay(SMTP_STATE *state);
 *	bool	smtp_status_soft_keep(SMTP_STATE *state, int soft);
 *	void	smtp_status_remember(SMTP_STATE *state, DSN_BUF *why);
 *	void	smtp_status_reopen(SMTP_STATE *state);
 *
 * DESCRIPTION
 *	Every recipient outcome of the client goes through this module,
 *	so that each recipient is reported exactly once per request
 *	(state->rcpt_state[], state->rcpt_left) with the texts and
 *	fields of Postfix's smtp(8), as Debian's Postfix 3.7 logs them:
 *
 *	    to=<a@example.com>, relay=mx.example.com[192.0.2.1]:25,
 *	    [conn_use=N, ]delay=..., delays=..., dsn=2.0.0,
 *	    status=sent (250 2.0.0 Ok: queued as 4XyZ)
 *
 *	    ... dsn=5.1.1, status=bounced (host mx.example.com[192.0.2.1]
 *	    said: 550 5.1.1 <a@example.com>: Recipient address rejected
 *	    (in reply to RCPT TO command))
 *
 *	The reply text (resp->str) starts with the reply code, as
 *	smtp_reply(3) joins it. The DSN carries mtype "dns" with the
 *	server's name and dtype "smtp" with the reply, for the delivery
 *	status notifications of bounce(8). The status class follows the
 *	reply code (a 550 with "4.1.1" is reported as 5.1.1). conn_use
 *	is logged for a session taken from the connection cache
 *	(req->stats.reuse_count, status_log(3)). The relay of an LMTP
 *	session over a UNIX-domain socket is "host[/path]", without port.
 *
 *	A delivered recipient whose NOTIFY asks for SUCCESS gets the
 *	"relayed" action in its delivery status notification when the
 *	server does not announce DSN (with LMTP and lmtp_assume_final =
 *	yes: "delivered"); when the server announces DSN it received
 *	NOTIFY and reports itself, so no notification is made here.
 *
 *	A failure of class 4 on a server that is not the final one
 *	(SMTP_MISC_FLAG_FINAL_SERVER clear) keeps the recipient for the
 *	next server, as Postfix's client does (SMTP_RCPT_KEEP: a later
 *	refusal of the same transaction, e.g. to DATA, does not apply to
 *	it; smtp_status_reopen() makes it open again when the session is
 *	over); its reason is kept in state->why for the case that no
 *	server is left. smtp_mesg_fail() applies to the recipients that
 *	are open or accepted. Class 5 is final at once (with soft_bounce = yes bounce_append() defers
 *	it). Every outcome passes smtp_delivery_status_filter
 *	(lmtp_delivery_status_filter) first.
 *
 *	An outcome that bounce(8), defer or trace could not record
 *	sets state->status to DEL_STAT_DEFER: qmgr then defers that
 *	recipient itself. A recipient is marked done in the queue file
 *	(deliver_completed()) only when its outcome is final: that
 *	function leaves a recipient whose recorded outcome is a deferral
 *	(also one that bounce_append() deferred) alone.
 *
 * DIAGNOSTICS
 *	A warning for a second report of the same recipient (a broken
 *	caller; the second report is dropped).
 */
#include "sys_defs.h"

#include <string.h>

#include "msg.h"
#include "vstring.h"
#include "bounce_client.h"
#include "deliver_request.h"
#include "dsn.h"
#include "dsn_filter.h"
#include "mail_params.h"
#include "recipient_list.h"
#include "smtp.h"
#include "smtp_session.h"
#include "smtp_deliver.h"
#include "smtp_notify.h"

static DSN_FILTER *smtp_dsn_filter;	/* smtp_delivery_status_filter */

/* smtp_status_init - per-process set-up */
void    smtp_status_init(void)
{
    smtp_dsn_filter = dsn_filter_create(SMTP_PARAM_NAME(delivery_status_filter),
					SMTP_STR(delivery_status_filter));
}

/* smtp_status_relay - "host[addr]:port" ("host[path]") of the session, or "none" */
const char *smtp_status_relay(SMTP_STATE *state)
{
    SMTP_SESSION *session = state->session;

    if (session == 0 || session->namaddrport == 0)
	return "none";
    /* A UNIX-domain LMTP socket has no port: "host[/path]". */
    if (session->addr == 0 || *session->addr == 0 || session->port == 0)
	return session->namaddr ? session->namaddr : "none";
    return session->namaddrport;
}

/* smtp_status_soft_keep - does a failure leave the recipients open? */
bool    smtp_status_soft_keep(SMTP_STATE *state, int soft)
{
    return soft && (state->misc_flags & SMTP_MISC_FLAG_FINAL_SERVER) == 0;
}

/* smtp_status_remember - keep a reason for the final report */
void    smtp_status_remember(SMTP_STATE *state, DSN_BUF *why)
{
    DSN     dsn;

    if (why == state->why) {
	state->why_set = 1;
	return;
    }
    (void) dsb_dsn(why, &dsn);
    (void) dsb_update(state->why, dsn.status, dsn.action, dsn.mtype,
		      dsn.mname, dsn.dtype, dsn.dtext, "%s", dsn.reason);
    state->why_set = 1;
}

/* smtp_status_stats - the conn_use= count of the current session */
static void smtp_status_stats(SMTP_STATE *state)
{
    SMTP_SESSION *session = state->session;

    state->request->stats.reuse_count =
	(session != 0 && session->reused) ? session->reuse_count + 1 : 0;
}

/* smtp_status_report - one outcome: filter, report, mark done */
void    smtp_status_report(SMTP_STATE *state, int idx, const char *relay,
			           DSN_BUF *why)
{
    DELIVER_REQUEST *req = state->request;
    RECIPIENT *rcpt;
    const DSN *filtered;
    DSN     dsn;
    int     ret;

    if (idx < 0 || idx >= req->rcpt_list.len)
	msg_panic("%s: bad recipient index %d", __func__, idx);
    rcpt = req->rcpt_list.info + idx;
    if (state->rcpt_state[idx] == SMTP_RCPT_DONE) {
	msg_warn("%s: recipient %s reported twice; second report dropped",
		 req->queue_id, rcpt->address);
	return;
    }
    (void) dsb_dsn(why, &dsn);
    if (smtp_dsn_filter != 0
	&& (filtered = dsn_filter_lookup(smtp_dsn_filter, &dsn)) != 0)
	dsn = *filtered;
    smtp_status_stats(state);
    switch (dsn.status ? dsn.status[0] : '4') {
    case '2':
	ret = sent(req, rcpt, relay, &dsn);
	break;
    case '5':
	ret = bounce_append(req, rcpt, relay, &dsn);
	break;
    default:
	ret = defer_append(req, rcpt, relay, &dsn);
	break;
    }
    if (ret != 0)
	state->status = DEL_STAT_DEFER;
    /* deliver_completed() leaves a deferred one (soft_bounce) alone. */
    else if (req->fp != 0)
	deliver_completed(req, rcpt);
    state->rcpt_state[idx] = SMTP_RCPT_DONE;
    state->rcpt_left--;
}

/* smtp_status_class - a status code whose class is that of the reply */
static const char *smtp_status_class(VSTRING *buf, const char *status,
				             int code)
{
    char    class = (char) ('0' + code / 100);

    if (status == 0 || !dsn_valid_status(status))
	vstring_sprintf(buf, "%c.0.0", class);
    else {
	vstring_strcpy(buf, status);
	vstring_str(buf)[0] = class;
    }
    return vstring_str(buf);
}

/* smtp_rcpt_done - a recipient accepted for delivery */
void    smtp_rcpt_done(SMTP_STATE *state, int idx, const SMTP_RESP *resp)
{
    SMTP_SESSION *session = state->session;
    RECIPIENT *rcpt = state->request->rcpt_list.info + idx;
    DSN_BUF *why = dsb_create();
    VSTRING *status = vstring_alloc(16);
    int     saved_notify = rcpt->dsn_notify;
    int     server_dsn = session != 0
	&& (session->features & SMTP_FEATURE_DSN) != 0;
    const char *action;

    if (!smtp_mode && !server_dsn && VAR_BOOL(lmtp_assume_final))
	action = "delivered";
    else
	action = "relayed";
    (void) dsb_update(why, smtp_status_class(status, resp->dsn, 200), action,
		      "dns", session ? session->host : "", "smtp",
		      vstring_str(resp->str), "%s", vstring_str(resp->str));
    /* The server got NOTIFY and will report success itself. */
    if (server_dsn)
	rcpt->dsn_notify &= ~DSN_NOTIFY_SUCCESS;
    smtp_status_report(state, idx, smtp_status_relay(state), why);
    rcpt->dsn_notify = saved_notify;
    vstring_free(status);
    dsb_free(why);
}

/* smtp_rcpt_fail - a recipient refused (4xx or 5xx) */
void    smtp_rcpt_fail(SMTP_STATE *state, int idx, const SMTP_RESP *resp,
		               const char *stage)
{
    SMTP_SESSION *session = state->session;
    DSN_BUF *why = dsb_create();
    VSTRING *status = vstring_alloc(16);
    int     code = (resp->code >= 500 && resp->code < 600) ? resp->code : 400;

    smtp_notify_reply(resp);
    (void) dsb_update(why, smtp_status_class(status, resp->dsn, code), "",
		      "dns", session ? session->host : "", "smtp",
		      vstring_str(resp->str),
		      "host %s said: %s (in reply to %s)",
		      session ? session->namaddr : "(none)",
		      vstring_str(resp->str), stage);
    smtp_rcpt_fail_dsn(state, idx, why);
    vstring_free(status);
    dsb_free(why);
}

/* smtp_mesg_fail - a refusal for every recipient of the transaction */
void    smtp_mesg_fail(SMTP_STATE *state, const SMTP_RESP *resp,
		               const char *stage)
{
    int     n;

    for (n = 0; n < state->request->rcpt_list.len; n++)
	if (state->rcpt_state[n] == SMTP_RCPT_OPEN
	    || state->rcpt_state[n] == SMTP_RCPT_ACCEPTED)
	    smtp_rcpt_fail(state, n, resp, stage);
}

/* smtp_rcpt_fail_dsn - a recipient failure with the client's own text */
void    smtp_rcpt_fail_dsn(SMTP_STATE *state, int idx, DSN_BUF *why)
{
    const char *status = vstring_str(why->status);

    /* (A second report of a done recipient is dropped with a warning.) */
    if (state->rcpt_state[idx] != SMTP_RCPT_DONE
	&& smtp_status_soft_keep(state, status[0] != '5')) {
	state->rcpt_state[idx] = SMTP_RCPT_KEEP;
	smtp_status_remember(state, why);
	return;
    }
    smtp_status_report(state, idx, smtp_status_relay(state), why);
}

/* smtp_mesg_fail_dsn - the client's own failure for every open recipient */
void    smtp_mesg_fail_dsn(SMTP_STATE *state, DSN_BUF *why)
{
    int     n;

    for (n = 0; n < state->request->rcpt_list.len; n++)
	if (state->rcpt_state[n] == SMTP_RCPT_OPEN
	    || state->rcpt_state[n] == SMTP_RCPT_ACCEPTED)
	    smtp_rcpt_fail_dsn(state, n, why);
}

/* smtp_status_reopen - the session is over: kept recipients are open again */
void    smtp_status_reopen(SMTP_STATE *state)
{
    int     n;

    for (n = 0; n < state->request->rcpt_list.len; n++)
	if (state->rcpt_state[n] == SMTP_RCPT_KEEP
	    || state->rcpt_state[n] == SMTP_RCPT_ACCEPTED)
	    state->rcpt_state[n] = SMTP_RCPT_OPEN;
}
