/*
 * qmgr_queue - per-destination queues: windows, rate delay, dead sites
 *
 * SYNOPSIS
 *	#include "qmgr.h"
 *
 *	QMGR_QUEUE *qmgr_queue_find(QMGR_TRANSPORT *transport,
 *				const char *name, const char *nexthop);
 *	bool	qmgr_queue_ready(QMGR_QUEUE *queue, time_t now);
 *	void	qmgr_queue_success(QMGR_QUEUE *queue);
 *	void	qmgr_queue_failure(QMGR_QUEUE *queue, const char *reason);
 *	void	qmgr_queue_done_delivery(QMGR_QUEUE *queue);
 *	void	qmgr_queue_free_if_idle(QMGR_QUEUE *queue);
 *
 * DESCRIPTION
 *	A queue is one destination of one transport: the next hop, or
 *	the recipient when the transport's recipient limit is 1
 *	(postconf(5): the concurrency limit and rate delay then apply
 *	per recipient). The name is compared case-insensitively.
 *
 *	qmgr_queue_find() returns the queue, creating it with the
 *	transport's initial window. A dead queue whose time is up is
 *	revived here and in qmgr_queue_ready().
 *
 *	qmgr_queue_ready() tells whether a new delivery may start: the
 *	queue has entries, is not dead, its deliveries in progress are
 *	below its window (1 with a rate delay) and the rate delay since
 *	the last delivery has passed.
 *
 *	qmgr_queue_success() and qmgr_queue_failure() apply positive and
 *	negative concurrency feedback (qmgr_feedback(3)); when the failed
 *	cohort limit is reached the queue is dead for
 *	$minimal_backoff_time, and the entries it holds, and the
 *	recipients that resolve to it meanwhile, are deferred with
 *	"delivery temporarily suspended: <reason>".
 *
 *	qmgr_queue_done_delivery() counts a finished delivery and starts
 *	the rate delay. qmgr_queue_free_if_idle() forgets a queue that
 *	holds nothing and is neither busy nor dead.
 *
 * DIAGNOSTICS
 *	Info: with destination_concurrency_feedback_debug, the window
 *	after each feedback.
 */
#include "sys_defs.h"

#include <string.h>

#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "events.h"
#include "mail_params.h"
#include "qmgr.h"

/* qmgr_queue_key - the case-folded queue name */
static char *qmgr_queue_key(const char *name)
{
    return lowercase(mystrdup(name));
}

/* qmgr_queue_revive - a dead queue whose time is up comes back */
static void qmgr_queue_revive(QMGR_QUEUE *queue, time_t now)
{
    if (queue->dead && now >= queue->dead_until) {
	queue->dead = false;
	queue->dead_until = 0;
	qmgr_window_init(&queue->window, queue->transport->init_concurrency);
    }
}

/* qmgr_queue_find - look up or create a queue */
QMGR_QUEUE *qmgr_queue_find(QMGR_TRANSPORT *transport, const char *name,
			            const char *nexthop)
{
    char   *key = qmgr_queue_key(name);
    QMGR_QUEUE *queue;

    if ((queue = htable_find(transport->queues, key)) == 0) {
	queue = mycalloc(1, sizeof(*queue));
	queue->name = key;
	queue->nexthop = mystrdup(nexthop);
	queue->transport = transport;
	qmgr_window_init(&queue->window, transport->init_concurrency);
	htable_enter(transport->queues, key, queue);
	queue->prev = transport->queue_tail;
	if (transport->queue_tail)
	    transport->queue_tail->next = queue;
	else
	    transport->queue_head = queue;
	transport->queue_tail = queue;
    } else {
	myfree(key);
	qmgr_queue_revive(queue, events_time());
    }
    return queue;
}

/* qmgr_queue_ready - may a delivery start now? */
bool    qmgr_queue_ready(QMGR_QUEUE *queue, time_t now)
{
    int     window;

    qmgr_queue_revive(queue, now);
    if (queue->dead || queue->todo_head == 0)
	return false;
    window = queue->window.concurrency;
    if (queue->transport->rate_delay > 0) {
	window = 1;
	if (now < queue->blocked_until)
	    return false;
    }
    return queue->busy < window;
}

/* qmgr_queue_debug - log the window after feedback, when asked */
static void qmgr_queue_debug(QMGR_QUEUE *queue, const char *what)
{
    if (VAR_BOOL(destination_concurrency_feedback_debug))
	msg_info("%s: %s feedback: concurrency %d busy %d"
		 " success %.3f failure %.3f fail_cohorts %.3f",
		 queue->name, what, queue->window.concurrency, queue->busy,
		 queue->window.success, queue->window.failure,
		 queue->window.fail_cohorts);
}

/* qmgr_queue_success - positive feedback */
void    qmgr_queue_success(QMGR_QUEUE *queue)
{
    QMGR_TRANSPORT *transport = queue->transport;

    if (queue->dead)
	return;
    qmgr_window_success(&queue->window, &transport->pos_feedback,
			transport->dest_concurrency_limit, queue->busy,
			transport->init_concurrency);
    qmgr_queue_debug(queue, "positive");
}

/* qmgr_queue_suspend_reason - "4.x.y delivery temporarily suspended: ..." */
static char *qmgr_queue_suspend_reason(const char *reason)
{
    const char *text = strchr(reason, ' ');
    size_t  len = text ? (size_t) (text - reason) : 0;
    char   *status = len > 0 && len < 12 && reason[0] == '4' ?
    mystrndup(reason, len) : mystrdup("4.4.1");
    char   *result;

    result = concatenate(status, " delivery temporarily suspended: ",
			 text ? text + 1 : reason, (char *) 0);
    myfree(status);
    return result;
}

/* qmgr_queue_failure - negative feedback, perhaps a dead destination */
void    qmgr_queue_failure(QMGR_QUEUE *queue, const char *reason)
{
    QMGR_TRANSPORT *transport = queue->transport;

    if (queue->dead)
	return;
    if (qmgr_window_failure(&queue->window, &transport->neg_feedback,
			    transport->failed_cohort_limit)) {
	queue->dead = true;
	queue->dead_until = events_time() + VAR_TIME(minimal_backoff_time);
	if (queue->dead_reason)
	    myfree(queue->dead_reason);
	queue->dead_reason = qmgr_queue_suspend_reason(reason);
	qmgr_entry_defer_queue(queue, queue->dead_reason);
    }
    qmgr_queue_debug(queue, "negative");
}

/* qmgr_queue_done_delivery - one delivery finished */
void    qmgr_queue_done_delivery(QMGR_QUEUE *queue)
{
    if (queue->busy <= 0)
	msg_panic("qmgr_queue_done_delivery: queue %s not busy", queue->name);
    queue->busy--;
    if (queue->transport->rate_delay > 0) {
	queue->blocked_until = events_time() + queue->transport->rate_delay;
	events_request_timer(qmgr_schedule_event, 0,
			     queue->transport->rate_delay);
    }
}

/* qmgr_queue_free_if_idle - forget an empty, idle, living queue */
void    qmgr_queue_free_if_idle(QMGR_QUEUE *queue)
{
    QMGR_TRANSPORT *transport = queue->transport;

    if (queue->busy > 0 || queue->todo_head != 0 || queue->dead
	|| events_time() < queue->blocked_until)
	return;
    if (transport->rr_next == queue)
	transport->rr_next = queue->next;
    if (queue->prev)
	queue->prev->next = queue->next;
    else
	transport->queue_head = queue->next;
    if (queue->next)
	queue->next->prev = queue->prev;
    else
	transport->queue_tail = queue->prev;
    htable_delete(transport->queues, queue->name, (void (*) (void *)) 0);
    myfree(queue->name);
    myfree(queue->nexthop);
    if (queue->dead_reason)
	myfree(queue->dead_reason);
    myfree(queue);
}
