/*
 * qmgr_deliver - delivery requests to the agents
 *
 * SYNOPSIS
 *	#include "qmgr.h"
 *
 *	void	qmgr_deliver_start(QMGR_TRANSPORT *transport);
 *	int	qmgr_deliver_count(void);
 *
 * DESCRIPTION
 *	qmgr_deliver_start() opens connections to private/<transport>
 *	(relative to the queue directory), at most
 *	QMGR_TRANSPORT_MAX_PEND at a time per transport, while some queue
 *	of the transport may start a delivery. Everything after the
 *	connect runs from the event loop, so that qmgr never waits for an
 *	agent:
 *
 *	- when the agent's greeting arrives (master(8) has given the
 *	  connection to a free agent process, which bounds the
 *	  transport's concurrency by its master.cf process limit), qmgr
 *	  takes the next entry in round-robin order and sends the
 *	  request (docs/internals/delivery.md, section 2) within
 *	  $qmgr_ipc_timeout; for a message with VERP delimiters (V
 *	  record) the request's sender is the VERP sender of its one
 *	  recipient (qmgr_verp_sender(): "owner+user=domain@origin");
 *	  notifications still go to the message's own sender; when no entry may start any more, the
 *	  connection is closed unused;
 *	- the reply must come within the transport's time limit plus
 *	  $qmgr_ipc_timeout. Recipients the agent delivered or bounced
 *	  are done; deferred ones keep the message queued; recipients
 *	  without an outcome (status 1, no reply, broken reply, or
 *	  missing from the reply) are
 *	  deferred by qmgr with the agent's reason or "4.3.0 unknown mail
 *	  transport error", except those that the queue file shows done
 *	  (D) already;
 *	- a reply without "dead" is positive concurrency feedback for the
 *	  destination; "dead", or no reply at all, negative feedback.
 *
 *	A transport whose socket cannot be connected to is unavailable
 *	for $transport_retry_time; the recipients waiting for it are
 *	deferred with "4.3.0 mail transport unavailable" (through the
 *	retry agent, qmgr_defer_route(); when the retry transport itself
 *	is unavailable, each of its recipients directly, with the reason
 *	it was to carry).
 *
 *	qmgr_deliver_count() is the number of deliveries in progress.
 *
 * DIAGNOSTICS
 *	Warnings: "connect to transport private/<name>: <error>",
 *	"<id>: timeout waiting for the reply of transport <name>",
 *	"<transport>: timeout waiting for the agent's greeting", and
 *	those of deliver_request(3).
 */
#include "sys_defs.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "iostuff.h"
#include "connect.h"
#include "events.h"
#include "mail_params.h"
#include "rec_type.h"
#include "mail_queue.h"
#include "qmgr.h"

typedef struct QMGR_DELIVERY {
    QMGR_TRANSPORT *transport;
    VSTREAM *stream;
    int     fd;
    QMGR_ENTRY *entry;			/* NULL until the greeting */
    DELIVER_REQUEST *req;
} QMGR_DELIVERY;

static int qmgr_deliveries;

#define QMGR_REASON_UNKNOWN	"4.3.0 unknown mail transport error"
#define QMGR_REASON_UNAVAILABLE	"4.3.0 mail transport unavailable"

/* qmgr_deliver_count - deliveries in progress */
int     qmgr_deliver_count(void)
{
    return qmgr_deliveries;
}

/* qmgr_deliver_close - end the connection and free the state */
static void qmgr_deliver_close(QMGR_DELIVERY *delivery,
			               EVENTS_NOTIFY_FN callback)
{
    events_disable_readwrite(delivery->fd);
    (void) events_cancel_timer(callback, delivery);
    (void) vstream_fclose(delivery->stream);
    if (delivery->req)
	deliver_request_free(delivery->req);
    myfree(delivery);
}

/* qmgr_deliver_is_done - is the recipient marked D in the file? */
static bool qmgr_deliver_is_done(const QMGR_MESSAGE *message, long offset)
{
    VSTREAM *fp;
    char    type = 0;
    bool    done = false;

    if ((fp = mail_queue_open(MAIL_QUEUE_ACTIVE, message->queue_id,
			      O_RDONLY, 0)) == 0)
	return false;
    if (pread(vstream_fileno(fp), &type, 1, (off_t) offset) == 1)
	done = (type == REC_TYPE_DONE);
    (void) vstream_fclose(fp);
    return done;
}

/* qmgr_deliver_result - the outcome the agent reported, or -1 */
static int qmgr_deliver_result(const DELIVER_REQUEST *req, long offset)
{
    int     i;

    for (i = 0; i < req->result_count; i++)
	if (req->results[i].offset == offset)
	    return req->results[i].outcome;
    return -1;
}

/* qmgr_deliver_finish - deal with the outcome of one request */
static void qmgr_deliver_finish(QMGR_DELIVERY *delivery, bool replied,
				        EVENTS_NOTIFY_FN callback)
{
    QMGR_ENTRY *entry = delivery->entry;
    QMGR_MESSAGE *message = entry->message;
    QMGR_QUEUE *queue = entry->queue;
    DELIVER_REQUEST *req = delivery->req;
    const char *reason;
    char   *reason_copy;
    char   *fail_reason;
    bool    dead;
    int     i;

    reason = (replied && req->status == DEL_STAT_DEFER && req->reason
	      && *req->reason) ? req->reason : QMGR_REASON_UNKNOWN;
    reason_copy = mystrdup(reason);
    dead = !replied || req->dead;
    /* The hop's failure, for its other recipients (req goes away). */
    fail_reason = mystrdup(!replied ? reason :
			   (req->reason && *req->reason) ? req->reason :
			   "4.4.1 destination unavailable");
    for (i = 0; i < entry->rcpt_list.len; i++) {
	RECIPIENT *rcpt = entry->rcpt_list.info + i;
	int     outcome = replied ? qmgr_deliver_result(req, rcpt->offset) : -1;

	if (outcome == DELIVER_OUTCOME_SENT
	    || outcome == DELIVER_OUTCOME_BOUNCED)
	    continue;
	if (outcome == DELIVER_OUTCOME_DEFERRED) {
	    message->deferred = true;
	    continue;
	}
	if (qmgr_deliver_is_done(message, rcpt->offset))
	    continue;
	/* No outcome (even with status 0): record one, lest it be lost. */
	qmgr_defer_recipient(message, rcpt, "none", reason_copy);
    }
    qmgr_deliveries--;
    qmgr_deliver_close(delivery, callback);
    if (dead)
	qmgr_queue_failure(queue, fail_reason);
    else
	qmgr_queue_success(queue);
    myfree(reason_copy);
    myfree(fail_reason);
    qmgr_entry_done(entry);
}

/* qmgr_deliver_reply - the agent's reply, or its time is up */
static void qmgr_deliver_reply(int event, void *context)
{
    QMGR_DELIVERY *delivery = context;
    bool    replied;

    events_disable_readwrite(delivery->fd);
    (void) events_cancel_timer(qmgr_deliver_reply, delivery);
    if (event == EVENT_TIME) {
	msg_warn("%s: timeout waiting for the reply of transport %s",
		 delivery->entry->message->queue_id, delivery->transport->name);
	replied = false;
    } else {
	replied = (deliver_request_reply(delivery->stream, delivery->req) == 0);
    }
    qmgr_deliver_finish(delivery, replied, qmgr_deliver_reply);
}

/* qmgr_deliver_request - fill in the request of an entry */
static DELIVER_REQUEST *qmgr_deliver_request(QMGR_ENTRY *entry)
{
    DELIVER_REQUEST *req = qmgr_message_request(entry->message);
    int     i;

    myfree(req->nexthop);
    req->nexthop = mystrdup(entry->queue->nexthop);
    /* A backlog for this destination: the agent may keep its connection. */
    if (entry->queue->todo_count > 0)
	req->flags |= DEL_REQ_FLAG_CONN_STORE;
    /* VERP: the sender names the recipient (one per request). */
    if (entry->message->verp_delims && *req->sender
	&& entry->rcpt_list.len == 1
	&& !qmgr_transport_is_retry(entry->queue->transport)) {
	VSTRING *buf = vstring_alloc(100);

	myfree(req->sender);
	req->sender = mystrdup(qmgr_verp_sender(buf, entry->message->sender,
						entry->message->verp_delims,
					   entry->rcpt_list.info[0].address));
	vstring_free(buf);
    }
    for (i = 0; i < entry->rcpt_list.len; i++) {
	RECIPIENT *rcpt = entry->rcpt_list.info + i;

	recipient_list_add(&req->rcpt_list, rcpt->offset, rcpt->dsn_orcpt,
			   rcpt->dsn_notify, rcpt->orig_addr, rcpt->address);
    }
    gettimeofday(&req->stats.agent_handoff, (struct timezone *) 0);
    return req;
}

/* qmgr_deliver_greeting - an agent is ready: send it an entry */
static void qmgr_deliver_greeting(int event, void *context)
{
    QMGR_DELIVERY *delivery = context;
    QMGR_TRANSPORT *transport = delivery->transport;
    int     limit;

    events_disable_readwrite(delivery->fd);
    (void) events_cancel_timer(qmgr_deliver_greeting, delivery);
    transport->pending--;
    if (event == EVENT_TIME) {
	msg_warn("%s: timeout waiting for the agent's greeting",
		 transport->name);
	qmgr_deliver_close(delivery, qmgr_deliver_greeting);
	qmgr_schedule_soon();
	return;
    }
    if ((delivery->entry = qmgr_entry_select(transport)) == 0) {
	qmgr_deliver_close(delivery, qmgr_deliver_greeting);
	qmgr_schedule_soon();
	return;
    }
    qmgr_deliveries++;
    delivery->req = qmgr_deliver_request(delivery->entry);
    if (deliver_request_send(delivery->stream, delivery->req) != 0) {
	qmgr_deliver_finish(delivery, false, qmgr_deliver_greeting);
	return;
    }
    limit = transport->time_limit + (int) VAR_TIME(qmgr_ipc_timeout);
    events_enable_read(delivery->fd, qmgr_deliver_reply, delivery);
    events_request_timer(qmgr_deliver_reply, delivery, limit);
    qmgr_schedule_soon();
}

/* qmgr_deliver_unavailable - defer everything waiting for a transport */
static void qmgr_deliver_unavailable(QMGR_TRANSPORT *transport)
{
    QMGR_QUEUE *queue;
    QMGR_QUEUE *next;

    qmgr_transport_throttle(transport, QMGR_REASON_UNAVAILABLE);
    for (queue = transport->queue_head; queue != 0; queue = next) {
	next = queue->next;
	/* The retry transport's queues are named by their reasons. */
	if (queue->todo_head)
	    qmgr_entry_defer_queue(queue, qmgr_transport_is_retry(transport) ?
				   queue->nexthop : QMGR_REASON_UNAVAILABLE);
    }
}

/* qmgr_deliver_start - open connections for waiting entries */
void    qmgr_deliver_start(QMGR_TRANSPORT *transport)
{
    QMGR_DELIVERY *delivery;
    char   *path;
    int     fd;

    while (transport->pending < QMGR_TRANSPORT_MAX_PEND
	   && qmgr_transport_available(transport)
	   && qmgr_entry_waiting(transport, QMGR_TRANSPORT_MAX_PEND)
	   > transport->pending) {
	path = concatenate(MAIL_QUEUE_PRIVATE, "/", transport->name, (char *) 0);
	fd = unix_connect(path, NON_BLOCKING, 0);
	if (fd < 0) {
	    if (errno == EAGAIN) {
		/* The listen queue is full: try again in a moment. */
		events_request_timer(qmgr_schedule_event, 0, 1);
	    } else {
		msg_warn("connect to transport %s: %m", path);
		myfree(path);
		qmgr_deliver_unavailable(transport);
		return;
	    }
	    myfree(path);
	    return;
	}
	(void) non_blocking(fd, BLOCKING);
	(void) close_on_exec(fd, 1);
	delivery = mycalloc(1, sizeof(*delivery));
	delivery->transport = transport;
	delivery->fd = fd;
	delivery->stream = vstream_fdopen(fd, O_RDWR);
	vstream_set_path(delivery->stream, path);
	myfree(path);
	vstream_set_timeout(delivery->stream, (int) VAR_TIME(qmgr_ipc_timeout));
	transport->pending++;
	events_enable_read(fd, qmgr_deliver_greeting, delivery);
	events_request_timer(qmgr_deliver_greeting, delivery,
			     transport->time_limit > 0 ?
			     transport->time_limit : 1000);
    }
}
