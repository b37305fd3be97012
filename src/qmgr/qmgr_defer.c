/*
 * qmgr_defer - recipients that qmgr defers itself
 *
 * SYNOPSIS
 *	#include "qmgr.h"
 *
 *	void	qmgr_defer_recipient(QMGR_MESSAGE *message,
 *				const RECIPIENT *rcpt, const char *relay,
 *				const char *reason);
 *	void	qmgr_defer_route(QMGR_MESSAGE *message,
 *				const RECIPIENT *rcpt, const char *reason);
 *	void	qmgr_defer_entry(QMGR_ENTRY *entry, const char *reason);
 *
 * DESCRIPTION
 *	Some recipients never reach a delivery agent: their transport is
 *	in $defer_transports or unreachable, their destination is dead,
 *	the address resolver failed, or the agent went away without a
 *	reply. qmgr_defer_recipient() records such a recipient in the
 *	message's defer log through the defer service (defer_append(),
 *	which also logs the status=deferred line) and notes that the
 *	message must stay queued. reason is "<dsn status> <text>", as
 *	"4.3.0 mail transport unavailable".
 *
 *	qmgr_defer_route() defers a recipient as Postfix does it: it
 *	hands the recipient to the "retry" transport (error(8) under the
 *	master.cf name retry), with the reason as the next hop, so that
 *	the retry agent records and logs it. When that transport is
 *	unavailable, or the reason is longer than a next hop may be, it
 *	falls back to qmgr_defer_recipient().
 *
 *	qmgr_defer_entry() defers every recipient of an entry: through
 *	qmgr_defer_route(), or directly when the entry belongs to the
 *	retry transport itself.
 *
 *	When the defer service cannot record the recipient it stays
 *	undelivered (R) in the queue file all the same, so nothing is
 *	lost; it is only missing from a later delay warning.
 *
 * DIAGNOSTICS
 *	Warnings come from bounce_client(3).
 */
#include "sys_defs.h"

#include <string.h>
#include <sys/time.h>

#include "msg.h"
#include "mymalloc.h"
#include "dsn.h"
#include "bounce_client.h"
#include "qmgr.h"

/* qmgr_defer_recipient - defer one recipient with a reason */
void    qmgr_defer_recipient(QMGR_MESSAGE *message, const RECIPIENT *rcpt,
			             const char *relay, const char *reason)
{
    DELIVER_REQUEST *req = qmgr_message_request(message);
    DSN     dsn;
    char   *status;
    const char *text = strchr(reason, ' ');

    if (text != 0 && text - reason < 12) {
	status = mystrndup(reason, (size_t) (text - reason));
	text++;
    } else {
	status = mystrdup("4.3.0");
	text = reason;
    }
    if (!dsn_valid_status(status) || status[0] != '4') {
	myfree(status);
	status = mystrdup("4.3.0");
    }
    /* The request holds the recipient, so that its outcome is recorded. */
    recipient_list_add(&req->rcpt_list, rcpt->offset, rcpt->dsn_orcpt,
		       rcpt->dsn_notify, rcpt->orig_addr, rcpt->address);
    gettimeofday(&req->stats.agent_handoff, (struct timezone *) 0);
    (void) defer_append(req, req->rcpt_list.info, relay,
			dsn_simple(&dsn, status, text));
    message->deferred = true;
    myfree(status);
    deliver_request_free(req);
}

/* qmgr_defer_route - defer through the retry agent when it is there */
void    qmgr_defer_route(QMGR_MESSAGE *message, const RECIPIENT *rcpt,
			         const char *reason)
{
    QMGR_TRANSPORT *retry = qmgr_transport_find(QMGR_RETRY_TRANSPORT);
    QMGR_QUEUE *queue;

    if (strlen(reason) > QMGR_RETRY_REASON_MAX
	|| !qmgr_transport_available(retry)) {
	qmgr_defer_recipient(message, rcpt, "none", reason);
	return;
    }
    queue = qmgr_queue_find(retry, reason, reason);
    if (queue->dead)
	qmgr_defer_recipient(message, rcpt, "none", reason);
    else
	qmgr_entry_add(message, queue, rcpt);
}

/* qmgr_defer_entry - defer every recipient of an entry */
void    qmgr_defer_entry(QMGR_ENTRY *entry, const char *reason)
{
    bool    route = !qmgr_transport_is_retry(entry->queue->transport);
    int     i;

    for (i = 0; i < entry->rcpt_list.len; i++) {
	if (route)
	    qmgr_defer_route(entry->message, entry->rcpt_list.info + i,
			     reason);
	else
	    qmgr_defer_recipient(entry->message, entry->rcpt_list.info + i,
				 "none", reason);
    }
}
