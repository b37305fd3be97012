/*
 * smtp_deliver - the SMTP/LMTP client's delivery walk (private to src/smtp)
 *
 * SYNOPSIS
 *	#include "smtp_deliver.h"
 *
 *	void	smtp_deliver_init(void);
 *	void	smtp_deliver(SMTP_STATE *state);
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
 *	smtp_deliver() (smtp_deliver.c) delivers the open recipients of
 *	state->request: the next hop of the request, then the fallback
 *	relays, their addresses, cached or new sessions, one mail
 *	transaction per session (or more, as the recipient limits
 *	require). On return every recipient has been reported exactly
 *	once. smtp_deliver_init() reads the parameters once per process.
 *
 *	smtp_status_init() (smtp_status.c) opens the
 *	smtp_delivery_status_filter (lmtp_ twin). smtp_status_report()
 *	reports recipient idx with the DSN in why (class 2 sent, 5
 *	bounced, else deferred; after the status filter), marks it done
 *	when the outcome is final, and counts it off state->rcpt_left.
 *	smtp_status_relay() is the relay= text of the current session
 *	("host[addr]:port"), or "none" without one.
 *	smtp_status_soft_keep() tells whether a failure (soft: class 4)
 *	leaves the recipients open for the next server: a soft failure
 *	that is not on the final server. smtp_status_remember() keeps why
 *	in state->why, the reason used when no server is left.
 *	smtp_status_reopen() ends a session for the recipient states:
 *	kept (SMTP_RCPT_KEEP) and accepted ones are open again.
 */
#ifndef SMTP_DELIVER_H
#define SMTP_DELIVER_H

#include "sys_defs.h"
#include "dsn.h"
#include "smtp.h"

extern void smtp_deliver_init(void);
extern void smtp_deliver(SMTP_STATE *state);

extern void smtp_status_init(void);
extern void smtp_status_report(SMTP_STATE *state, int idx, const char *relay,
			               DSN_BUF *why);
extern const char *smtp_status_relay(SMTP_STATE *state);
extern bool smtp_status_soft_keep(SMTP_STATE *state, int soft);
extern void smtp_status_remember(SMTP_STATE *state, DSN_BUF *why);
extern void smtp_status_reopen(SMTP_STATE *state);

#endif
