/*
 * smtp - the SMTP/LMTP client's per-request state and shared interfaces
 *
 * SYNOPSIS
 *	#include "smtp.h"
 *
 *	typedef struct SMTP_STATE { ... } SMTP_STATE;	(below)
 *
 *	Parameters (smtp_params.c): the smtp_ or lmtp_ twin, by mode
 *	int	smtp_mode;			1 SMTP, 0 LMTP (set at start)
 *	void	smtp_params_init(const char *service, const char *argv0);
 *	const char *smtp_param_str(int smtp_idx, int lmtp_idx);
 *	long	smtp_param_int(int smtp_idx, int lmtp_idx);
 *	bool	smtp_param_bool(int smtp_idx, int lmtp_idx);
 *	int	smtp_param_time(int smtp_idx, int lmtp_idx);
 *	SMTP_STR(name), SMTP_INT(name), SMTP_BOOL(name), SMTP_TIME(name)
 *	SMTP_PARAM_NAME(name)		"smtp_name" or "lmtp_name"
 *
 *	Recipient outcomes (smtp_status.c):
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
 *	Session-level trouble (smtp_trouble.c):
 *	int	smtp_sess_fail(SMTP_STATE *state, const SMTP_RESP *resp,
 *				const char *stage);
 *	int	smtp_stream_except(SMTP_STATE *state, int exception,
 *				const char *stage);
 *	int	smtp_site_fail(SMTP_STATE *state, DSN_BUF *why);
 *
 * DESCRIPTION
 *	One SMTP_STATE lives for one delivery request (smtp.c makes it,
 *	walks the destinations and addresses, and frees it). Recipients
 *	are request->rcpt_list.info[i]; rcpt_state[i] says whether
 *	recipient i is still open (SMTP_RCPT_OPEN), was accepted by the
 *	server in the current transaction and waits for the end of data
 *	(SMTP_RCPT_ACCEPTED), or has been reported (SMTP_RCPT_DONE: sent,
 *	bounced or deferred with bounce_client.h, and marked done when
 *	it is final), or got a 4xx on a server that is not the last one
 *	(SMTP_RCPT_KEEP: out of this session; smtp_deliver.c opens it
 *	again for the next server). Every recipient is reported exactly
 *	once per request; state->rcpt_left counts those not DONE.
 *
 *	smtp_rcpt_done() reports a delivered recipient ("status=sent
 *	(250 ...)" with the reply text; for LMTP or when the server
 *	lacks DSN and the recipient asked for NOTIFY=SUCCESS, the
 *	"relayed" action as Postfix chooses it). smtp_rcpt_fail()
 *	reports a reply of class 4 (defer) or 5 (bounce; defer with
 *	soft_bounce) with Postfix's text "host NAME[ADDR] said: TEXT (in
 *	reply to STAGE)"; STAGE is e.g. "RCPT TO command", "end of DATA
 *	command". smtp_mesg_fail() does so for every open or accepted
 *	recipient. The _dsn forms report a text the client made itself
 *	(e.g. "5.6.7 SMTPUTF8 is required, but was not offered by host
 *	...").
 *
 *	smtp_sess_fail() handles a reply that ends the session before
 *	any recipient was tried (greeting, HELO/EHLO, a 421): when
 *	another address may be tried (state->misc_flags says whether
 *	this is the final server), the recipients stay open and the
 *	reason is kept in state->why for the final report; otherwise
 *	every open recipient is deferred or bounced. smtp_stream_except()
 *	does the same for a lost connection or a timeout ("lost
 *	connection with NAME[ADDR] while STAGE", "conversation with
 *	NAME[ADDR] timed out while STAGE"; exception is SMTP_ERR_EOF or
 *	SMTP_ERR_TIME). smtp_site_fail() reports a failure to reach any
 *	server (DNS, connect) for every open recipient. All three return
 *	-1 so that the caller can return their result.
 */
#ifndef SMTP_H
#define SMTP_H

#include "sys_defs.h"
#include "vstream.h"
#include "vstring.h"
#include "deliver_request.h"
#include "dsn.h"
#include "mail_params.h"

struct SMTP_SESSION;
struct SMTP_RESP;

/* Recipient states (rcpt_state[]). */
#define SMTP_RCPT_OPEN		0	/* not yet tried in this request */
#define SMTP_RCPT_ACCEPTED	1	/* RCPT got 2xx; waits for data */
#define SMTP_RCPT_DONE		2	/* reported */
#define SMTP_RCPT_KEEP		3	/* 4xx on a server that is not the
					 * last: out of this session, open
					 * again for the next server */

/* state->misc_flags */
#define SMTP_MISC_FLAG_FINAL_NEXTHOP	(1<<0)	/* no fallback relay after this */
#define SMTP_MISC_FLAG_FINAL_SERVER	(1<<1)	/* last address to try */
#define SMTP_MISC_FLAG_CONN_LOAD	(1<<2)	/* may take a cached session */
#define SMTP_MISC_FLAG_CONN_STORE	(1<<3)	/* may cache the session */
#define SMTP_MISC_FLAG_IN_STARTTLS	(1<<4)	/* next issue: TLS */

/* smtp_sess_fail() stage of a refused greeting (smtp_skip_5xx_greeting). */
#define SMTP_STAGE_GREETING	"initial server greeting"

/* Stream exceptions (smtp_stream_except()). */
#define SMTP_ERR_EOF		1	/* lost connection */
#define SMTP_ERR_TIME		2	/* timeout */
#define SMTP_ERR_DATA		3	/* local data (queue file) error */

typedef struct SMTP_STATE {
    DELIVER_REQUEST *request;		/* the delivery request */
    const char *service;		/* master.cf service name */
    VSTREAM *src;			/* request->fp (queue file) */
    struct SMTP_SESSION *session;	/* current session, or NULL */
    unsigned char *rcpt_state;		/* SMTP_RCPT_*, per recipient */
    int     rcpt_left;			/* recipients not DONE */
    int     misc_flags;			/* SMTP_MISC_FLAG_* */
    char   *dest_label;			/* logical destination (cache key) */
    char   *nexthop_domain;		/* domain part of the next hop */
    DSN_BUF *why;			/* last session failure, for the end */
    int     why_set;			/* why holds a reason */
    VSTRING *scratch;			/* anybody's */
    VSTRING *scratch2;			/* anybody's */
    int     status;			/* DEL_STAT_DEFER: an outcome not recorded */
} SMTP_STATE;

/* Parameters: the smtp_ or lmtp_ twin. */
extern int smtp_mode;			/* 1 SMTP, 0 LMTP */
extern void smtp_params_init(const char *service, const char *argv0);
extern const char *smtp_param_str(int smtp_idx, int lmtp_idx);
extern long smtp_param_int(int smtp_idx, int lmtp_idx);
extern bool smtp_param_bool(int smtp_idx, int lmtp_idx);
extern int smtp_param_time(int smtp_idx, int lmtp_idx);

#define SMTP_STR(n)	smtp_param_str(STR_PARAM_smtp_##n, STR_PARAM_lmtp_##n)
#define SMTP_INT(n)	smtp_param_int(INT_PARAM_smtp_##n, INT_PARAM_lmtp_##n)
#define SMTP_BOOL(n)	smtp_param_bool(BOOL_PARAM_smtp_##n, BOOL_PARAM_lmtp_##n)
#define SMTP_TIME(n)	smtp_param_time(TIME_PARAM_smtp_##n, TIME_PARAM_lmtp_##n)
#define SMTP_PARAM_NAME(n) (smtp_mode ? PARAM_NAME(smtp_##n) : PARAM_NAME(lmtp_##n))

/* Recipient outcomes (smtp_status.c). */
extern void smtp_rcpt_done(SMTP_STATE *state, int idx,
			           const struct SMTP_RESP *resp);
extern void smtp_rcpt_fail(SMTP_STATE *state, int idx,
		           const struct SMTP_RESP *resp, const char *stage);
extern void smtp_mesg_fail(SMTP_STATE *state, const struct SMTP_RESP *resp,
			           const char *stage);
extern void smtp_rcpt_fail_dsn(SMTP_STATE *state, int idx, DSN_BUF *why);
extern void smtp_mesg_fail_dsn(SMTP_STATE *state, DSN_BUF *why);

/* Session-level trouble (smtp_trouble.c). */
extern int smtp_sess_fail(SMTP_STATE *state, const struct SMTP_RESP *resp,
			          const char *stage);
extern int smtp_stream_except(SMTP_STATE *state, int exception,
			              const char *stage);
extern int smtp_site_fail(SMTP_STATE *state, DSN_BUF *why);

#endif
