/*
 * status_log - the status line of one recipient
 *
 * SYNOPSIS
 *	#include "status_log.h"
 *
 *	void	status_log(DELIVER_REQUEST *req, RECIPIENT *rcpt,
 *				const char *relay, DSN *dsn,
 *				const char *status);
 *
 * DESCRIPTION
 *	status_log() logs (msg_info) Postfix's line:
 *
 *	<id>: to=<rcpt>, orig_to=<orig>, relay=<relay>, delay=<d>,
 *	    delays=<a/b/c/d>, dsn=<x.y.z>, status=<status> (<reason>)
 *
 *	orig_to only when the original recipient is not empty and
 *	differs from the recipient other than in case; relay "none" when relay is NULL;
 *	delays from msg_stats_delays() with req->stats; status is
 *	"sent", "deferred", "bounced", "deliverable", "undeliverable"
 *	or "expired".
 */
#ifndef STATUS_LOG_H
#define STATUS_LOG_H

#include "sys_defs.h"
#include "deliver_request.h"
#include "dsn.h"

extern void status_log(DELIVER_REQUEST *req, RECIPIENT *rcpt,
		               const char *relay, DSN *dsn, const char *status);

#endif
