/*
 * bounce_client - record recipient outcomes; ask for notifications
 *
 * SYNOPSIS
 *	#include "bounce_client.h"
 *
 *	Delivery agents (after each recipient):
 *	int	sent(DELIVER_REQUEST *req, RECIPIENT *rcpt,
 *				const char *relay, DSN *dsn);
 *	int	defer_append(DELIVER_REQUEST *req, RECIPIENT *rcpt,
 *				const char *relay, DSN *dsn);
 *	int	bounce_append(DELIVER_REQUEST *req, RECIPIENT *rcpt,
 *				const char *relay, DSN *dsn);
 *	int	trace_append(DELIVER_REQUEST *req, RECIPIENT *rcpt,
 *				const char *relay, DSN *dsn);
 *	void	deliver_completed(DELIVER_REQUEST *req, RECIPIENT *rcpt);
 *
 *	qmgr (once per message, when every recipient had its try):
 *	int	bounce_flush(DELIVER_REQUEST *msg);
 *	int	defer_flush(DELIVER_REQUEST *msg);
 *	int	defer_warn(DELIVER_REQUEST *msg);
 *	int	trace_flush(DELIVER_REQUEST *msg);
 *
 * DESCRIPTION
 *	docs/internals/delivery.md, section 3. The request gives the
 *	queue ID, flags, sender and times; the status functions set
 *	req->stats.deliver_done to now, log the status line
 *	(status_log()), record the outcome for the agent's reply
 *	(deliver_request_result()), and return 0 when the outcome is
 *	recorded, -1 when it is not (the caller then answers
 *	DEL_STAT_DEFER for the request).
 *
 *	sent() logs status=sent; with DEL_REQ_FLAG_RECORD, or when the
 *	recipient's NOTIFY has SUCCESS, it also appends to the trace
 *	log (action "delivered", or dsn->action when set, e.g.
 *	"relayed"). Then the caller marks the recipient done.
 *
 *	bounce_append() appends to the bounce log through the bounce
 *	service (which fsyncs before it answers) and logs status=bounced;
 *	with soft_bounce=yes it is defer_append() with the status class
 *	made 4. When the bounce service fails, the recipient is deferred
 *	instead (defer_append() with "4.3.0 bounce or trace service
 *	failure"). NOTIFY=NEVER recipients are logged but not appended.
 *	Then the caller marks the recipient done.
 *
 *	defer_append() appends to the defer log and logs
 *	status=deferred; the recipient stays R.
 *
 *	Address probes (DEL_REQ_FLAG_VERIFY) are logged as
 *	status=deliverable or status=undeliverable and reported to
 *	verify(8) (DEL_REQ_FLAG_MTA_VERIFY) or to the trace log (sendmail
 *	-bv) instead; a deferred probe recipient is marked done (see
 *	bounce_client.c).
 *
 *	trace_append() appends to the trace log only (sendmail -bv/-v,
 *	verify probes); it logs nothing.
 *
 *	deliver_completed() marks rcpt done in req->fp's file (R to D at
 *	rcpt->offset: one pwrite, no fsync); a failure is a warning.
 *
 *	bounce_flush(), defer_flush() (message expired: the defer log's
 *	recipients become bounces), defer_warn() (delay warning) and
 *	trace_flush() (delivery report) ask the bounce, defer, defer and
 *	trace services for the notification of msg (queue_name,
 *	queue_id, encoding, smtputf8, sender, dsn_envid, dsn_ret) and
 *	return 0, or -1 when it could not be sent (qmgr retries on a
 *	later run).
 */
#ifndef BOUNCE_CLIENT_H
#define BOUNCE_CLIENT_H

#include "sys_defs.h"
#include "deliver_request.h"
#include "dsn.h"

extern int sent(DELIVER_REQUEST *req, RECIPIENT *rcpt, const char *relay,
		        DSN *dsn);
extern int defer_append(DELIVER_REQUEST *req, RECIPIENT *rcpt,
			        const char *relay, DSN *dsn);
extern int bounce_append(DELIVER_REQUEST *req, RECIPIENT *rcpt,
			         const char *relay, DSN *dsn);
extern int trace_append(DELIVER_REQUEST *req, RECIPIENT *rcpt,
			        const char *relay, DSN *dsn);
extern void deliver_completed(DELIVER_REQUEST *req, RECIPIENT *rcpt);

extern int bounce_flush(DELIVER_REQUEST *msg);
extern int defer_flush(DELIVER_REQUEST *msg);
extern int defer_warn(DELIVER_REQUEST *msg);
extern int trace_flush(DELIVER_REQUEST *msg);

#endif
