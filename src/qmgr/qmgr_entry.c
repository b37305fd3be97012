/*
 * qmgr_entry - delivery requests waiting in a queue
 *
 * SYNOPSIS
 *	#include "qmgr.h"
 *
 *	void	qmgr_entry_add(QMGR_MESSAGE *message, QMGR_QUEUE *queue,
 *				const RECIPIENT *rcpt);
 *	QMGR_ENTRY *qmgr_entry_select(QMGR_TRANSPORT *transport);
 *	int	qmgr_entry_waiting(QMGR_TRANSPORT *transport, int max);
 *	void	qmgr_entry_done(QMGR_ENTRY *entry);
 *	void	qmgr_entry_defer_queue(QMGR_QUEUE *queue, const char *reason);
 *	void	qmgr_entry_unlink(QMGR_ENTRY *entry);
 *
 * DESCRIPTION
 *	qmgr_entry_add() gives a recipient of message to queue: it joins
 *	the message's last waiting entry there (its peer's, qmgr_job(3))
 *	while that has fewer recipients than the transport's recipient
 *	limit (1 for a VERP message: each recipient gets its own sender),
 *	else starts a new entry at the end of the queue and of the peer.
 *	A recipient for a dead queue is deferred at once with the queue's
 *	reason (qmgr_defer_route()). When a new entry makes a queue hold
 *	(waiting or in delivery) a quarter of $qmgr_message_active_limit
 *	or more, qmgr warns, with $helpful_warnings, at most once per
 *	$qmgr_clog_warn_time (0: never), as Postfix 3.7 does (observed:
 *	the count against the messages in the active queue, then advice
 *	naming the transport).
 *
 *	qmgr_entry_select() takes the next entry of the transport that
 *	may start a delivery, as the preemptive scheduler chooses it
 *	(qmgr_job_entry_select()), and counts the delivery as busy; NULL
 *	when none may. qmgr_entry_waiting() counts the deliveries that
 *	could start now, up to max. qmgr_entry_unlink() takes a waiting
 *	entry off its queue's and its peer's lists.
 *
 *	qmgr_entry_done() ends an entry whose delivery has finished (its
 *	recipients' outcomes are dealt with): the queue and transport
 *	are no longer busy with it, its job may read more recipients,
 *	and when it was the message's last entry the message reads its
 *	next batch of recipients or, when all were read, ends
 *	(qmgr_active_done()).
 *
 *	qmgr_entry_defer_queue() defers every entry waiting in queue with
 *	reason (a dead destination) and ends them.
 *
 * DIAGNOSTICS
 *	Panic: an entry ended twice (broken counts). Warnings: "mail for
 *	<queue> is using up <n> of <messages> active queue entries" and
 *	the eight lines of advice that follow it.
 */
#include "sys_defs.h"

#include "msg.h"
#include "mymalloc.h"
#include "events.h"
#include "mail_params.h"
#include "qmgr.h"

/* qmgr_entry_release - an entry leaves its message */
static void qmgr_entry_release(QMGR_ENTRY *entry)
{
    QMGR_MESSAGE *message = entry->message;
    QMGR_QUEUE *queue = entry->queue;
    QMGR_PEER *peer = entry->peer;
    int     count = entry->rcpt_list.len;

    recipient_list_free(&entry->rcpt_list);
    myfree(entry);
    message->rcpt_in_core -= count;
    qmgr_recipient_count -= count;
    if (message->refcount <= 0)
	msg_panic("qmgr_entry_release: message %s has no entries",
		  message->queue_id);
    /* The job may read more recipients while the message is held. */
    qmgr_job_entry_done(peer, count);
    message->refcount--;
    if (message->refcount == 0) {
	if (message->rcpt_next > 0 && qmgr_message_realloc(message)) {
	     /* more recipients were read */ ;
	} else {
	    qmgr_active_done(message);
	}
    }
    qmgr_queue_free_if_idle(queue);
    qmgr_schedule_soon();
}

/* qmgr_entry_clog_warn - one destination fills the active queue */
static void qmgr_entry_clog_warn(const QMGR_QUEUE *queue)
{
    static time_t last_warning;
    const char *transport = queue->transport->name;
    time_t  now = events_time();

    if (!VAR_BOOL(helpful_warnings) || VAR_TIME(qmgr_clog_warn_time) == 0
	|| (long) (queue->todo_count + queue->busy) * 4
	< VAR_INT(qmgr_message_active_limit)
	|| (last_warning != 0
	    && now < last_warning + VAR_TIME(qmgr_clog_warn_time)))
	return;
    last_warning = now;
    msg_warn("mail for %s is using up %d of %d active queue entries",
	     queue->name, queue->todo_count + queue->busy, qmgr_message_count);
    msg_warn("you may need to reduce %s connect and helo timeouts",
	     transport);
    msg_warn("so that Postfix quickly skips unavailable hosts");
    msg_warn("you may need to increase the main.cf %s and %s",
	     PARAM_NAME(minimal_backoff_time),
	     PARAM_NAME(maximal_backoff_time));
    msg_warn("so that Postfix wastes less time on undeliverable mail");
    msg_warn("you may need to increase the master.cf %s process limit",
	     transport);
    msg_warn("please avoid flushing the whole queue when you have");
    msg_warn("lots of deferred mail, that is bad for performance");
    msg_warn("to turn off these warnings specify: %s = 0",
	     PARAM_NAME(qmgr_clog_warn_time));
}

/* qmgr_entry_add - a recipient joins a queue */
void    qmgr_entry_add(QMGR_MESSAGE *message, QMGR_QUEUE *queue,
		               const RECIPIENT *rcpt)
{
    QMGR_PEER *peer;
    QMGR_ENTRY *entry;
    int     limit = queue->transport->recipient_limit;

    if (queue->dead) {
	if (qmgr_transport_is_retry(queue->transport))
	    qmgr_defer_recipient(message, rcpt, "none", queue->dead_reason);
	else
	    qmgr_defer_route(message, rcpt, queue->dead_reason);
	return;
    }
    /* VERP: one recipient per delivery, each with its own sender. */
    if (message->verp_delims && message->sender && *message->sender
	&& !qmgr_transport_is_retry(queue->transport))
	limit = 1;
    peer = qmgr_job_peer(message, queue);
    entry = peer->entry_tail;
    if (entry == 0 || entry->rcpt_list.len >= limit) {
	entry = mycalloc(1, sizeof(*entry));
	entry->message = message;
	entry->queue = queue;
	entry->peer = peer;
	recipient_list_init(&entry->rcpt_list);
	entry->prev = queue->todo_tail;
	if (queue->todo_tail)
	    queue->todo_tail->next = entry;
	else
	    queue->todo_head = entry;
	queue->todo_tail = entry;
	queue->todo_count++;
	entry->peer_prev = peer->entry_tail;
	if (peer->entry_tail)
	    peer->entry_tail->peer_next = entry;
	else
	    peer->entry_head = entry;
	peer->entry_tail = entry;
	message->refcount++;
	qmgr_job_entry_added(peer);
	qmgr_entry_clog_warn(queue);
    }
    recipient_list_add(&entry->rcpt_list, rcpt->offset, rcpt->dsn_orcpt,
		       rcpt->dsn_notify, rcpt->orig_addr, rcpt->address);
    message->rcpt_in_core++;
    peer->job->rcpt_count++;
    qmgr_recipient_count++;
}

/* qmgr_entry_unlink - take a waiting entry off its queue and peer */
void    qmgr_entry_unlink(QMGR_ENTRY *entry)
{
    QMGR_QUEUE *queue = entry->queue;
    QMGR_PEER *peer = entry->peer;

    if (entry->prev)
	entry->prev->next = entry->next;
    else
	queue->todo_head = entry->next;
    if (entry->next)
	entry->next->prev = entry->prev;
    else
	queue->todo_tail = entry->prev;
    entry->next = entry->prev = 0;
    queue->todo_count--;
    if (entry->peer_prev)
	entry->peer_prev->peer_next = entry->peer_next;
    else
	peer->entry_head = entry->peer_next;
    if (entry->peer_next)
	entry->peer_next->peer_prev = entry->peer_prev;
    else
	peer->entry_tail = entry->peer_prev;
    entry->peer_next = entry->peer_prev = 0;
}

/* qmgr_entry_select - the next entry to deliver */
QMGR_ENTRY *qmgr_entry_select(QMGR_TRANSPORT *transport)
{
    QMGR_ENTRY *entry;

    if ((entry = qmgr_job_entry_select(transport)) == 0)
	return 0;
    entry->message->busy++;
    entry->queue->busy++;
    transport->busy++;
    return entry;
}

/* qmgr_entry_waiting - how many deliveries could start now (up to max) */
int     qmgr_entry_waiting(QMGR_TRANSPORT *transport, int max)
{
    QMGR_QUEUE *queue;
    time_t  now = events_time();
    int     count = 0;
    int     room;

    QMGR_QUEUE *next;

    for (queue = transport->queue_head; queue != 0 && count < max;
	 queue = next) {
	next = queue->next;
	if (!qmgr_queue_ready(queue, now)) {
	    /* A revived dead queue with nothing to do is forgotten here. */
	    qmgr_queue_free_if_idle(queue);
	    continue;
	}
	room = (transport->rate_delay > 0 ? 1 : queue->window.concurrency)
	    - queue->busy;
	count += room < queue->todo_count ? room : queue->todo_count;
    }
    return count < max ? count : max;
}

/* qmgr_entry_done - a delivery has finished */
void    qmgr_entry_done(QMGR_ENTRY *entry)
{
    QMGR_QUEUE *queue = entry->queue;

    qmgr_queue_done_delivery(queue);
    entry->message->busy--;
    if (queue->transport->busy <= 0)
	msg_panic("qmgr_entry_done: transport %s not busy",
		  queue->transport->name);
    queue->transport->busy--;
    qmgr_entry_release(entry);
}

/* qmgr_entry_defer_queue - defer everything waiting in a dead queue */
void    qmgr_entry_defer_queue(QMGR_QUEUE *queue, const char *reason)
{
    QMGR_ENTRY *entry;
    char   *why = mystrdup(reason);	/* reason may be the queue's own */

    /* Pin the queue: releasing its last entry must not free it here. */
    queue->busy++;
    while ((entry = queue->todo_head) != 0) {
	qmgr_entry_unlink(entry);
	qmgr_job_entry_gone(entry->peer);
	qmgr_defer_entry(entry, why);
	qmgr_entry_release(entry);
    }
    queue->busy--;
    myfree(why);
    qmgr_queue_free_if_idle(queue);
}
