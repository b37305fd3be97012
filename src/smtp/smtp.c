/*
 * smtp - the SMTP and LMTP mail delivery agent, smtp(8) and lmtp(8)
 *
 * SYNOPSIS
 *	smtp [generic daemon options]
 *	lmtp [generic daemon options]
 *
 * DESCRIPTION
 *	smtp(8) is a single_server(3) delivery agent, as Postfix's: it
 *	reads one delivery request from qmgr(8) per connection
 *	(docs/internals/delivery.md), delivers the message to the
 *	request's next hop over SMTP, and reports every recipient once
 *	(sent, deferred or bounced) before it answers qmgr. Installed
 *	(or linked) under the name "lmtp" the same program speaks LMTP
 *	and reads the lmtp_ twins of its parameters (smtp_params(3)).
 *
 *	Per request: the request is read and its queue file opened
 *	(deliver_request_read()); a missing queue file defers every
 *	recipient ("4.3.0 queue file is missing"); otherwise
 *	smtp_deliver(3) walks the next hops, addresses and sessions.
 *	The reply to qmgr carries each recipient's outcome, the dead
 *	flag of the next hop, and status DEL_STAT_DEFER when an outcome
 *	could not be recorded (bounce(8), defer or trace failed).
 *
 *	The module map is docs/internals/smtp-client.md; the
 *	user-visible behaviour is that of Postfix's smtp(8) and
 *	lmtp(8) (docs/man/man8/smtp.8, lmtp.8).
 *
 * DIAGNOSTICS
 *	Those of the modules; a panic when a recipient leaves the walk
 *	unreported (a broken invariant).
 */
#include "sys_defs.h"

#include <string.h>

#include "msg.h"
#include "mymalloc.h"
#include "vstream.h"
#include "vstring.h"
#include "deliver_request.h"
#include "dsn.h"
#include "mail_params.h"
#include "single_server.h"
#include "smtp.h"
#include "smtp_deliver.h"

/* smtp_state_alloc - the per-request state */
static SMTP_STATE *smtp_state_alloc(DELIVER_REQUEST *req, const char *service)
{
    SMTP_STATE *state = (SMTP_STATE *) mymalloc(sizeof(*state));

    memset(state, 0, sizeof(*state));
    state->request = req;
    state->service = service;
    state->src = req->fp;
    state->session = 0;
    state->rcpt_state = (unsigned char *)
	mymalloc(req->rcpt_list.len > 0 ? req->rcpt_list.len : 1);
    memset(state->rcpt_state, SMTP_RCPT_OPEN,
	   req->rcpt_list.len > 0 ? req->rcpt_list.len : 1);
    state->rcpt_left = req->rcpt_list.len;
    state->misc_flags = 0;
    state->dest_label = 0;
    state->nexthop_domain = 0;
    state->why = dsb_create();
    state->why_set = 0;
    state->scratch = vstring_alloc(100);
    state->scratch2 = vstring_alloc(100);
    state->status = DEL_STAT_OK;
    return state;
}

/* smtp_state_free - the per-request state goes */
static void smtp_state_free(SMTP_STATE *state)
{
    if (state->session != 0)
	msg_panic("smtp_state_free: session still open");
    myfree(state->rcpt_state);
    myfree(state->dest_label);
    myfree(state->nexthop_domain);
    dsb_free(state->why);
    vstring_free(state->scratch);
    vstring_free(state->scratch2);
    myfree(state);
}

/* smtp_service - one delivery request */
static void smtp_service(VSTREAM *client, const char *service, char **argv)
{
    DELIVER_REQUEST *req;
    SMTP_STATE *state;
    int     status;

    (void) argv;
    if (deliver_request_read(client, &req) < 0)
	return;
    state = smtp_state_alloc(req, service);
    if (req->fp == 0) {
	(void) dsb_simple(state->why, "4.3.0", "queue file is missing");
	state->why_set = 1;
	(void) smtp_site_fail(state, state->why);
    } else {
	smtp_deliver(state);
    }
    if (state->rcpt_left != 0)
	msg_panic("%s: %d recipients left unreported", req->queue_id,
		  state->rcpt_left);
    status = state->status;
    if (status != DEL_STAT_OK && (req->reason == 0 || *req->reason == 0)) {
	myfree(req->reason);
	req->reason = mystrdup("4.3.0 cannot record delivery status");
    }
    smtp_state_free(state);
    (void) deliver_request_done(client, req, status);
}

/* smtp_pre_init - tables and parameters, before any privilege change */
static void smtp_pre_init(const char *service, char **argv)
{
    (void) service;
    (void) argv;
    smtp_deliver_init();
}

/* main - SMTP or LMTP by name, then hand over to the skeleton */
int     main(int argc, char **argv)
{
    static const MAIL_SERVER_OPTS opts = {
	.pre_init = smtp_pre_init,
    };

    smtp_params_init((const char *) 0, argc > 0 ? argv[0] : (const char *) 0);
    single_server_main(argc, argv, smtp_service, &opts);
}
