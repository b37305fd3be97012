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
 *
 * DESCRIPTION
 *	qmgr_entry_add() gives a recipient of message to queue: it joins
 *	the message's last entry there while that has fewer recipients
 *	than the transport's recipient limit, else starts a new entry at
 *	the end of the queue. A recipient for a dead queue is deferred at
 *	once with the queue's reason (qmgr_defer_route()).
 *
 *	qmgr_entry_select() takes an entry of the next queue of the
 *	transport, in round-robin order, that may start a delivery
 *	(qmgr_queue_ready()), counts the delivery as busy, and returns
 *	it; NULL when no queue may. Within the queue it takes the first
 *	entry whose message has the fewest deliveries in progress (among
 *	the first QMGR_ENTRY_LOOK waiting), except that after
 *	$<transport>_delivery_slot_cost deliveries in a row of one message
 *	the first entry of another message gets its turn (a cost of 0 or
 *	1: strict order). So a message with many recipients does not hold
 *	up the small messages queued behind it for the same destination.
 *	This stands in for Postfix's preemptive scheduler (delivery slot
 *	loans and discounts, minimum slots, refill limits), which is not
 *	implemented. qmgr_entry_waiting() counts the
 *	deliveries that could start now, up to max.
 *
 *	qmgr_entry_done() ends an entry whose delivery has finished (its
 *	recipients' outcomes are dealt with): the queue and transport
 *	are no longer busy with it, and when it was the message's last
 *	entry the message reads its next batch of recipients or, when
 *	all were read, ends (qmgr_active_done()).
 *
 *	qmgr_entry_defer_queue() defers every entry waiting in queue with
 *	reason (a dead destination) and ends them.
 *
 * DIAGNOSTICS
 *	Panic: an entry ended twice (broken counts).
 */
#include "sys_defs.h"

#include "msg.h"
#include "mymalloc.h"
#include "events.h"
#include "qmgr.h"

#define QMGR_ENTRY_LOOK	64		/* entries compared per selection */

/* qmgr_entry_release - an entry leaves its message */
static void qmgr_entry_release(QMGR_ENTRY *entry)
{
    QMGR_MESSAGE *message = entry->message;
    QMGR_QUEUE *queue = entry->queue;
    int     count = entry->rcpt_list.len;

    recipient_list_free(&entry->rcpt_list);
    myfree(entry);
    message->rcpt_in_core -= count;
    qmgr_recipient_count -= count;
    if (message->refcount <= 0)
	msg_panic("qmgr_entry_release: message %s has no entries",
		  message->queue_id);
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

/* qmgr_entry_add - a recipient joins a queue */
void    qmgr_entry_add(QMGR_MESSAGE *message, QMGR_QUEUE *queue,
		               const RECIPIENT *rcpt)
{
    QMGR_ENTRY *entry = queue->todo_tail;

    if (queue->dead) {
	if (qmgr_transport_is_retry(queue->transport))
	    qmgr_defer_recipient(message, rcpt, "none", queue->dead_reason);
	else
	    qmgr_defer_route(message, rcpt, queue->dead_reason);
	return;
    }
    if (entry == 0 || entry->message != message
	|| entry->rcpt_list.len >= queue->transport->recipient_limit) {
	entry = mycalloc(1, sizeof(*entry));
	entry->message = message;
	entry->queue = queue;
	recipient_list_init(&entry->rcpt_list);
	entry->prev = queue->todo_tail;
	if (queue->todo_tail)
	    queue->todo_tail->next = entry;
	else
	    queue->todo_head = entry;
	queue->todo_tail = entry;
	queue->todo_count++;
	message->refcount++;
    }
    recipient_list_add(&entry->rcpt_list, rcpt->offset, rcpt->dsn_orcpt,
		       rcpt->dsn_notify, rcpt->orig_addr, rcpt->address);
    message->rcpt_in_core++;
    qmgr_recipient_count++;
}

/* qmgr_entry_unlink_one - take one entry off a queue */
static QMGR_ENTRY *qmgr_entry_unlink_one(QMGR_QUEUE *queue, QMGR_ENTRY *entry)
{
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
    return entry;
}

/* qmgr_entry_unlink - take the first entry off a queue */
static QMGR_ENTRY *qmgr_entry_unlink(QMGR_QUEUE *queue)
{
    if (queue->todo_head == 0)
	return 0;
    return qmgr_entry_unlink_one(queue, queue->todo_head);
}

/* qmgr_entry_pick - the entry to deliver next from a queue */
static QMGR_ENTRY *qmgr_entry_pick(QMGR_QUEUE *queue)
{
    QMGR_ENTRY *entry;
    QMGR_ENTRY *best = queue->todo_head;
    QMGR_ENTRY *other = 0;
    int     cost = queue->transport->slot_cost;
    int     looked = 0;

    if (best == 0)
	return 0;
    for (entry = queue->todo_head; entry != 0 && looked < QMGR_ENTRY_LOOK;
	 entry = entry->next, looked++) {
	if (entry->message->busy < best->message->busy)
	    best = entry;
	if (other == 0 && entry->message != queue->last_message)
	    other = entry;
    }
    /* After slot_cost deliveries in a row of one message, another's turn. */
    if (cost > 1 && best->message == queue->last_message
	&& queue->run >= cost && other != 0)
	best = other;
    if (best->message == queue->last_message) {
	queue->run++;
    } else {
	queue->last_message = best->message;
	queue->run = 1;
    }
    return best;
}

/* qmgr_entry_find_queue - the next ready queue in round-robin order */
static QMGR_QUEUE *qmgr_entry_find_queue(QMGR_TRANSPORT *transport)
{
    QMGR_QUEUE *start = transport->rr_next ? transport->rr_next :
    transport->queue_head;
    QMGR_QUEUE *queue = start;
    time_t  now = events_time();

    if (start == 0)
	return 0;
    do {
	if (qmgr_queue_ready(queue, now))
	    return queue;
	queue = queue->next ? queue->next : transport->queue_head;
    } while (queue != start);
    return 0;
}

/* qmgr_entry_select - the next entry to deliver */
QMGR_ENTRY *qmgr_entry_select(QMGR_TRANSPORT *transport)
{
    QMGR_QUEUE *queue = qmgr_entry_find_queue(transport);
    QMGR_ENTRY *entry;

    if (queue == 0)
	return 0;
    if ((entry = qmgr_entry_pick(queue)) == 0)
	msg_panic("qmgr_entry_select: ready queue %s is empty", queue->name);
    (void) qmgr_entry_unlink_one(queue, entry);
    entry->message->busy++;
    queue->busy++;
    transport->busy++;
    transport->rr_next = queue->next;
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
    while ((entry = qmgr_entry_unlink(queue)) != 0) {
	qmgr_defer_entry(entry, why);
	qmgr_entry_release(entry);
    }
    queue->busy--;
    myfree(why);
    qmgr_queue_free_if_idle(queue);
}
