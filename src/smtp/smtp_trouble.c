/*
 * smtp_trouble - session-level failures of the SMTP/LMTP client
 *
 * SYNOPSIS
 *	#include "smtp.h"
 *
 *	int	smtp_sess_fail(SMTP_STATE *state, const SMTP_RESP *resp,
 *				const char *stage);
 *	int	smtp_stream_except(SMTP_STATE *state, int exception,
 *				const char *stage);
 *	int	smtp_site_fail(SMTP_STATE *state, DSN_BUF *why);
 *
 * DESCRIPTION
 *	These report a failure that ends a session (or the whole
 *	delivery) for every recipient that is still open or accepted in
 *	the current transaction, with Postfix's texts:
 *
 *	smtp_sess_fail(): a reply to the greeting (stage
 *	SMTP_STAGE_GREETING or NULL) or to HELO/EHLO/LHLO that ends the
 *	session: "host NAME[ADDR] refused to talk to me: TEXT", as
 *	Debian's Postfix logs both. A 5xx greeting counts as a temporary
 *	failure when smtp_skip_5xx_greeting (lmtp_) is on, as Postfix
 *	then skips the server and finally defers; with it off, the
 *	recipients bounce.
 *
 *	smtp_stream_except(): the connection broke (SMTP_ERR_EOF: "lost
 *	connection with NAME[ADDR] while STAGE") or a deadline passed
 *	(SMTP_ERR_TIME: "conversation with NAME[ADDR] timed out while
 *	STAGE"), both 4.4.2; SMTP_ERR_DATA is our own queue file error:
 *	"local data error while talking to NAME[ADDR]", 4.3.0, final at
 *	once (another server would meet the same file).
 *
 *	smtp_site_fail(): no server could be reached (DNS, connect): every
 *	open recipient gets why with relay=none.
 *
 *	A temporary failure on a server that is not the final one
 *	(SMTP_MISC_FLAG_FINAL_SERVER clear) leaves the recipients open
 *	for the next address or relay and keeps its reason in state->why;
 *	otherwise each recipient is deferred (class 4) or bounced (class
 *	5) through smtp_status(3), once. All three return -1, so that a
 *	protocol function can return their result.
 *
 * DIAGNOSTICS
 *	None of its own; the status lines.
 */
#include "sys_defs.h"

#include <string.h>

#include "msg.h"
#include "vstring.h"
#include "dsn.h"
#include "mail_params.h"
#include "smtp.h"
#include "smtp_session.h"
#include "smtp_deliver.h"
#include "smtp_notify.h"

/* smtp_trouble_all - one failure for every recipient not yet reported */
static int smtp_trouble_all(SMTP_STATE *state, DSN_BUF *why, int final)
{
    int     n;

    if (!final
	&& smtp_status_soft_keep(state, vstring_str(why->status)[0] != '5')) {
	for (n = 0; n < state->request->rcpt_list.len; n++)
	    if (state->rcpt_state[n] == SMTP_RCPT_ACCEPTED)
		state->rcpt_state[n] = SMTP_RCPT_KEEP;
	smtp_status_remember(state, why);
	return -1;
    }
    smtp_status_remember(state, why);
    for (n = 0; n < state->request->rcpt_list.len; n++)
	if (state->rcpt_state[n] != SMTP_RCPT_DONE)
	    smtp_status_report(state, n, smtp_status_relay(state), why);
    return -1;
}

/* smtp_sess_fail - a reply that ends the session */
int     smtp_sess_fail(SMTP_STATE *state, const SMTP_RESP *resp,
		               const char *stage)
{
    SMTP_SESSION *session = state->session;
    const char *namaddr = session ? session->namaddr : "(none)";
    DSN_BUF *why = dsb_create();
    char    class = resp->code / 100 == 5 ? '5' : '4';
    VSTRING *status = vstring_alloc(16);
    int     greeting = (stage == 0 || strcmp(stage, SMTP_STAGE_GREETING) == 0);
    int     ret;

    smtp_notify_reply(resp);
    if (greeting && class == '5'
	&& smtp_param_bool(BOOL_PARAM_smtp_skip_5xx_greeting,
			   BOOL_PARAM_lmtp_skip_5xx_greeting))
	class = '4';
    if (dsn_valid_status(resp->dsn)) {
	vstring_strcpy(status, resp->dsn);
	vstring_str(status)[0] = class;
    } else
	vstring_sprintf(status, "%c.0.0", class);
    /* Debian's text for the greeting and for HELO/EHLO/LHLO alike. */
    (void) dsb_update(why, vstring_str(status), "", "dns",
		      session ? session->host : "", "smtp",
		      vstring_str(resp->str),
		      "host %s refused to talk to me: %s", namaddr,
		      vstring_str(resp->str));
    ret = smtp_trouble_all(state, why, 0);
    vstring_free(status);
    dsb_free(why);
    return ret;
}

/* smtp_stream_except - a lost connection, a timeout, a local data error */
int     smtp_stream_except(SMTP_STATE *state, int exception, const char *stage)
{
    SMTP_SESSION *session = state->session;
    const char *namaddr = session ? session->namaddr : "(none)";
    const char *host = session ? session->host : "";
    DSN_BUF *why = dsb_create();
    int     ret;

    switch (exception) {
    case SMTP_ERR_EOF:
	(void) dsb_update(why, "4.4.2", "", "dns", host, "", "",
			  "lost connection with %s while %s", namaddr, stage);
	ret = smtp_trouble_all(state, why, 0);
	break;
    case SMTP_ERR_TIME:
	(void) dsb_update(why, "4.4.2", "", "dns", host, "", "",
			  "conversation with %s timed out while %s",
			  namaddr, stage);
	ret = smtp_trouble_all(state, why, 0);
	break;
    case SMTP_ERR_DATA:
	(void) dsb_update(why, "4.3.0", "", "dns", host, "", "",
			  "local data error while talking to %s", namaddr);
	ret = smtp_trouble_all(state, why, 1);
	break;
    default:
	msg_panic("%s: unknown exception %d", __func__, exception);
    }
    dsb_free(why);
    return ret;
}

/* smtp_site_fail - no server reachable: report every open recipient */
int     smtp_site_fail(SMTP_STATE *state, DSN_BUF *why)
{
    return smtp_trouble_all(state, why, 1);
}
