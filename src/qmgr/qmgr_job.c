/*
 * qmgr_job - jobs, peers and the preemptive scheduler
 *
 * SYNOPSIS
 *	#include "qmgr.h"
 *
 *	QMGR_PEER *qmgr_job_peer(QMGR_MESSAGE *message, QMGR_QUEUE *queue);
 *	QMGR_ENTRY *qmgr_job_entry_select(QMGR_TRANSPORT *transport);
 *	void	qmgr_job_entry_added(QMGR_PEER *peer);
 *	void	qmgr_job_entry_gone(QMGR_PEER *peer);
 *	void	qmgr_job_entry_done(QMGR_PEER *peer, int rcpt_count);
 *	void	qmgr_job_message_read(QMGR_MESSAGE *message);
 *	long	qmgr_job_refill_budget(const QMGR_MESSAGE *message);
 *	void	qmgr_job_free_all(QMGR_MESSAGE *message);
 *
 * DESCRIPTION
 *	The scheduler of SCHEDULER_README ("Preemptive scheduling"), in
 *	our own structures. A job is one message within one transport;
 *	a peer is one job's entries for one queue (destination).
 *
 *	qmgr_job_peer() returns the peer of message for queue, creating
 *	the job (placed on the transport's lists by the time the message
 *	entered the active queue) and the peer when needed. A new job
 *	takes the transport's unused recipient slots (when it comes
 *	before the first job whose message still has unread recipients,
 *	that job gives its unused slots back first).
 *
 *	qmgr_job_entry_added() counts an entry that was added to a peer
 *	(and puts its job back on the scheduler's list when it was off);
 *	qmgr_job_entry_gone() counts one that left a peer's waiting list
 *	without being selected (a dead destination); and
 *	qmgr_job_entry_done() one that finished, with its recipients:
 *	it frees an empty peer, passes recipient slots on (below) and
 *	reads more recipients of the message when they are due.
 *
 *	qmgr_job_entry_select() chooses the next entry to deliver for a
 *	transport and takes it off its lists. First, when the job whose
 *	entry was selected last (the current job) could accumulate at
 *	least $<transport>_minimum_delivery_slots delivery slots, the
 *	best candidate among the jobs after it is chosen: one that is not
 *	blocked and needs fewer slots (entries, counting unread
 *	recipients as one entry each) than the current job may still
 *	accumulate, with the highest time in the active queue per needed
 *	slot (cached for a second). When the current job has accumulated
 *	enough slots (qmgr_slots_may_preempt(): with
 *	$<transport>_delivery_slot_loan and _discount) the candidate is
 *	moved in front of it on the scheduler's list and the slots are
 *	charged to the current job; a candidate with unread recipients
 *	also gets half of the transport's unused and extra recipient
 *	slots. Then the first job on the list that is not blocked gives
 *	an entry of its next ready destination, in round-robin order
 *	among its peers. A job is blocked when none of its destinations
 *	may start a delivery (qmgr_queue_ready()); blocked jobs are
 *	skipped and are no candidates. $<transport>_delivery_slot_cost
 *	below 2 turns preemption off (strict order of arrival).
 *
 *	Recipient slots: each transport has $<transport>_recipient_limit
 *	slots for recipients in memory, plus
 *	$<transport>_extra_recipient_limit for preemption. The slots go
 *	along the jobs in order of arrival: a job whose message has been
 *	read completely keeps no more slots than it has recipients in
 *	memory and passes the rest (qmgr_job_message_read(), and each
 *	finished entry) to the first job with unread recipients, or back
 *	to the transport. qmgr_job_refill_budget() is how many recipients
 *	a message may read next (qmgr_refill_budget() over its jobs);
 *	after an entry was selected or finished, the message reads more
 *	when qmgr_refill_due() says so ($<transport>_recipient_refill_limit
 *	and _refill_delay).
 *
 *	qmgr_job_free_all() frees the jobs of a message that is done
 *	(they have no entries), returning their slots.
 *
 * DIAGNOSTICS
 *	Panic: broken counts. With -v: preemptions.
 */
#include "sys_defs.h"

#include <sys/time.h>

#include "msg.h"
#include "mymalloc.h"
#include "htable.h"
#include "events.h"
#include "mail_params.h"
#include "qmgr.h"

#define QMGR_JOB_DEBT_MAX	1000000000	/* slot counter floor */

/* qmgr_job_unread - does the message still have unread recipients? */
static bool qmgr_job_unread(const QMGR_JOB *job)
{
    return job->message->rcpt_next > 0;
}

/* qmgr_job_first_unread - the first job with unread recipients but skip */
static QMGR_JOB *qmgr_job_first_unread(QMGR_TRANSPORT *transport,
				               const QMGR_JOB *skip)
{
    QMGR_JOB *job;

    for (job = transport->job_time_head; job; job = job->time_next)
	if (job != skip && job->message != skip->message
	    && qmgr_job_unread(job))
	    return job;
    return 0;
}

/* qmgr_job_give_slots - pass unused recipient slots on */
static void qmgr_job_give_slots(QMGR_JOB *job, int count)
{
    QMGR_TRANSPORT *transport = job->transport;
    QMGR_JOB *next;
    int     extra;

    if (count <= 0)
	return;
    extra = count < job->rcpt_extra ? count : job->rcpt_extra;
    job->rcpt_extra -= extra;
    job->rcpt_limit -= extra;
    transport->rcpt_extra_pool += extra;
    count -= extra;
    if (count <= 0)
	return;
    job->rcpt_limit -= count;
    if ((next = qmgr_job_first_unread(transport, job)) != 0)
	next->rcpt_limit += count;
    else
	transport->rcpt_pool += count;
}

/* qmgr_job_pass_slots - a read job keeps only what it uses */
static void qmgr_job_pass_slots(QMGR_JOB *job)
{
    if (!qmgr_job_unread(job))
	qmgr_job_give_slots(job, job->rcpt_limit - job->rcpt_count);
}

/* qmgr_job_sched_link - put a job on the scheduler's list by time */
static void qmgr_job_sched_link(QMGR_JOB *job)
{
    QMGR_TRANSPORT *transport = job->transport;
    QMGR_JOB *after = transport->job_tail;

    if (job->listed)
	return;
    while (after && timercmp(&after->message->active,
			     &job->message->active, >))
	after = after->prev;
    job->prev = after;
    job->next = after ? after->next : transport->job_head;
    if (job->next)
	job->next->prev = job;
    else
	transport->job_tail = job;
    if (after)
	after->next = job;
    else
	transport->job_head = job;
    job->listed = true;
}

/* qmgr_job_sched_unlink - take a job off the scheduler's list */
static void qmgr_job_sched_unlink(QMGR_JOB *job)
{
    QMGR_TRANSPORT *transport = job->transport;

    if (!job->listed)
	return;
    if (job->prev)
	job->prev->next = job->next;
    else
	transport->job_head = job->next;
    if (job->next)
	job->next->prev = job->prev;
    else
	transport->job_tail = job->prev;
    job->prev = job->next = 0;
    job->listed = false;
    if (transport->job_current == job)
	transport->job_current = 0;
    if (transport->candidate == job)
	transport->candidate = 0;
}

/* qmgr_job_time_link - put a new job on the list in order of arrival */
static void qmgr_job_time_link(QMGR_JOB *job)
{
    QMGR_TRANSPORT *transport = job->transport;
    QMGR_JOB *after = transport->job_time_tail;

    while (after && timercmp(&after->message->active,
			     &job->message->active, >))
	after = after->time_prev;
    job->time_prev = after;
    job->time_next = after ? after->time_next : transport->job_time_head;
    if (job->time_next)
	job->time_next->time_prev = job;
    else
	transport->job_time_tail = job;
    if (after)
	after->time_next = job;
    else
	transport->job_time_head = job;
}

/* qmgr_job_create - a message's job within a transport */
static QMGR_JOB *qmgr_job_create(QMGR_MESSAGE *message,
				         QMGR_TRANSPORT *transport)
{
    QMGR_JOB *job = mycalloc(1, sizeof(*job));
    QMGR_JOB *later;

    job->message = message;
    job->transport = transport;
    job->peer_table = htable_create(0);
    job->message_next = message->job_list;
    message->job_list = job;
    qmgr_job_time_link(job);
    /* A job placed before the first unread one takes its unused slots. */
    for (later = job->time_next; later; later = later->time_next) {
	if (qmgr_job_unread(later)) {
	    qmgr_job_give_slots(later, later->rcpt_limit - later->rcpt_count);
	    break;
	}
    }
    job->rcpt_limit = transport->rcpt_pool;
    transport->rcpt_pool = 0;
    return job;
}

/* qmgr_job_find - a message's job within a transport, or NULL */
static QMGR_JOB *qmgr_job_find(QMGR_MESSAGE *message,
			               const QMGR_TRANSPORT *transport)
{
    QMGR_JOB *job;

    for (job = message->job_list; job; job = job->message_next)
	if (job->transport == transport)
	    return job;
    return 0;
}

/* qmgr_job_peer - the peer of a message for a queue */
QMGR_PEER *qmgr_job_peer(QMGR_MESSAGE *message, QMGR_QUEUE *queue)
{
    QMGR_JOB *job = qmgr_job_find(message, queue->transport);
    QMGR_PEER *peer;

    if (job == 0)
	job = qmgr_job_create(message, queue->transport);
    if ((peer = htable_find(job->peer_table, queue->name)) == 0) {
	peer = mycalloc(1, sizeof(*peer));
	peer->job = job;
	peer->queue = queue;
	peer->prev = job->peer_tail;
	if (job->peer_tail)
	    job->peer_tail->next = peer;
	else
	    job->peer_head = peer;
	job->peer_tail = peer;
	htable_enter(job->peer_table, queue->name, peer);
    }
    return peer;
}

/* qmgr_job_peer_free - forget a peer without entries */
static void qmgr_job_peer_free(QMGR_PEER *peer)
{
    QMGR_JOB *job = peer->job;

    if (peer->refcount != 0 || peer->entry_head != 0)
	msg_panic("qmgr_job_peer_free: peer %s still has entries",
		  peer->queue->name);
    if (job->peer_next == peer)
	job->peer_next = peer->next;
    if (peer->prev)
	peer->prev->next = peer->next;
    else
	job->peer_head = peer->next;
    if (peer->next)
	peer->next->prev = peer->prev;
    else
	job->peer_tail = peer->prev;
    htable_delete(job->peer_table, peer->queue->name, (void (*) (void *)) 0);
    myfree(peer);
}

/* qmgr_job_entry_added - an entry joined a peer */
void    qmgr_job_entry_added(QMGR_PEER *peer)
{
    QMGR_JOB *job = peer->job;

    peer->refcount++;
    job->refcount++;
    job->todo_entries++;
    qmgr_job_sched_link(job);
}

/* qmgr_job_entry_gone - an entry left without delivery (dead site) */
void    qmgr_job_entry_gone(QMGR_PEER *peer)
{
    QMGR_JOB *job = peer->job;

    if (job->todo_entries <= 0)
	msg_panic("qmgr_job_entry_gone: job of %s has no entries",
		  job->message->queue_id);
    job->todo_entries--;
    if (job->todo_entries == 0)
	qmgr_job_sched_unlink(job);
}

/* qmgr_job_refill_budget - recipients a message may read next */
long    qmgr_job_refill_budget(const QMGR_MESSAGE *message)
{
    const QMGR_JOB *job;
    long    slots = 0;

    for (job = message->job_list; job; job = job->message_next)
	slots += job->rcpt_limit;
    return qmgr_refill_budget(slots, message->rcpt_in_core,
			      VAR_INT(qmgr_message_recipient_minimum));
}

/* qmgr_job_refill_maybe - read more recipients when due */
static void qmgr_job_refill_maybe(QMGR_JOB *job)
{
    QMGR_MESSAGE *message = job->message;
    QMGR_TRANSPORT *transport = job->transport;

    if (!qmgr_job_unread(job) || message->refcount == 0)
	return;
    if (qmgr_refill_due(job->rcpt_limit - job->rcpt_count,
			transport->refill_limit,
			(long) (events_time() - message->refill_time),
			transport->refill_delay, job->todo_entries == 0))
	qmgr_message_refill(message);
}

/* qmgr_job_entry_done - an entry of the peer finished */
void    qmgr_job_entry_done(QMGR_PEER *peer, int rcpt_count)
{
    QMGR_JOB *job = peer->job;

    if (peer->refcount <= 0 || job->refcount <= 0)
	msg_panic("qmgr_job_entry_done: job of %s has no entries",
		  job->message->queue_id);
    peer->refcount--;
    job->refcount--;
    job->rcpt_count -= rcpt_count;
    if (peer->refcount == 0)
	qmgr_job_peer_free(peer);
    qmgr_job_pass_slots(job);
    qmgr_job_refill_maybe(job);
}

/* qmgr_job_message_read - the message's recipients were all read */
void    qmgr_job_message_read(QMGR_MESSAGE *message)
{
    QMGR_JOB *job;

    for (job = message->job_list; job; job = job->message_next)
	qmgr_job_pass_slots(job);
}

/* qmgr_job_blocked - can none of the job's destinations start now? */
static bool qmgr_job_blocked(QMGR_JOB *job, time_t now)
{
    QMGR_PEER *peer;

    if (job->checked_tag == job->transport->select_tag)
	return job->blocker_tag == job->transport->select_tag;
    job->checked_tag = job->transport->select_tag;
    for (peer = job->peer_head; peer; peer = peer->next)
	if (peer->entry_head && qmgr_queue_ready(peer->queue, now))
	    return false;
    job->blocker_tag = job->transport->select_tag;
    return true;
}

/* qmgr_job_needed - the slots a job needs to be delivered completely */
static int qmgr_job_needed(const QMGR_JOB *job)
{
    long    needed = job->todo_entries;

    if (qmgr_job_unread(job))
	needed += job->message->rcpt_unread;
    return needed > 1000000 ? 1000000 : (int) needed;
}

/* qmgr_job_potential - the most slots the current job may accumulate */
static int qmgr_job_potential(const QMGR_JOB *job)
{
    long    remaining = job->todo_entries;
    int     limit = job->transport->recipient_limit;

    if (qmgr_job_unread(job))
	remaining += (job->message->rcpt_unread + limit - 1) / limit;
    if (remaining > 1000000)
	remaining = 1000000;
    return qmgr_slots_potential(job->slots_counter, (int) remaining,
				job->transport->slot_cost);
}

/* qmgr_job_candidate - the best job to preempt current, or NULL */
static QMGR_JOB *qmgr_job_candidate(QMGR_JOB *current, int potential,
				            time_t now)
{
    QMGR_TRANSPORT *transport = current->transport;
    QMGR_JOB *job;
    QMGR_JOB *best = 0;
    double  best_score = -1;
    double  score;
    double  age;
    struct timeval tv;
    int     needed;

    if ((job = transport->candidate) != 0 && transport->candidate_time == now
	&& job->listed && job->todo_entries > 0 && !qmgr_job_blocked(job, now)
	&& qmgr_job_needed(job) < potential)
	return job;
    gettimeofday(&tv, (struct timezone *) 0);
    for (job = current->next; job; job = job->next) {
	if (job->todo_entries == 0 || qmgr_job_blocked(job, now))
	    continue;
	needed = qmgr_job_needed(job);
	if (needed <= 0 || needed >= potential)
	    continue;
	age = (tv.tv_sec - job->message->active.tv_sec)
	    + (tv.tv_usec - job->message->active.tv_usec) / 1e6;
	score = (age > 0 ? age : 0) / needed;
	if (score > best_score) {
	    best = job;
	    best_score = score;
	}
    }
    transport->candidate = best;
    transport->candidate_time = now;
    return best;
}

/* qmgr_job_preempt - let a candidate go before the current job */
static void qmgr_job_preempt(QMGR_TRANSPORT *transport, time_t now)
{
    QMGR_JOB *current = transport->job_current;
    QMGR_JOB *candidate;
    int     potential;
    int     needed;
    int     half;
    long    debt;

    if (transport->slot_cost < 2 || current == 0 || !current->listed
	|| qmgr_job_blocked(current, now))
	return;
    potential = qmgr_job_potential(current);
    if (potential < transport->min_slots)
	return;
    if ((candidate = qmgr_job_candidate(current, potential, now)) == 0)
	return;
    needed = qmgr_job_needed(candidate);
    if (!qmgr_slots_may_preempt(qmgr_slots_accumulated(current->slots_counter,
						       transport->slot_cost),
				needed, transport->slot_loan,
				transport->slot_discount))
	return;
    if (msg_verbose)
	msg_info("%s: %s preempts %s (%d slots)", transport->name,
		 candidate->message->queue_id, current->message->queue_id,
		 needed);
    /* A loan without end (discount 100) must not wrap the counter. */
    debt = (long) current->slots_counter - (long) needed * transport->slot_cost;
    current->slots_counter = debt < -QMGR_JOB_DEBT_MAX ?
	-QMGR_JOB_DEBT_MAX : (int) debt;
    /* Move the candidate right in front of the current job. */
    qmgr_job_sched_unlink(candidate);
    candidate->prev = current->prev;
    candidate->next = current;
    if (current->prev)
	current->prev->next = candidate;
    else
	transport->job_head = candidate;
    current->prev = candidate;
    candidate->listed = true;
    transport->job_current = candidate;
    transport->candidate = 0;
    /* An unread job needs recipient slots to be worth preempting for. */
    if (qmgr_job_unread(candidate)) {
	half = (transport->rcpt_pool + 1) / 2;
	transport->rcpt_pool -= half;
	candidate->rcpt_limit += half;
	half = (transport->rcpt_extra_pool + 1) / 2;
	transport->rcpt_extra_pool -= half;
	candidate->rcpt_limit += half;
	candidate->rcpt_extra += half;
    }
}

/* qmgr_job_ready_peer - the job's next destination that may start */
static QMGR_PEER *qmgr_job_ready_peer(QMGR_JOB *job, time_t now)
{
    QMGR_PEER *start = job->peer_next ? job->peer_next : job->peer_head;
    QMGR_PEER *peer = start;

    if (start == 0)
	return 0;
    do {
	if (peer->entry_head && qmgr_queue_ready(peer->queue, now)) {
	    job->peer_next = peer->next;
	    return peer;
	}
	peer = peer->next ? peer->next : job->peer_head;
    } while (peer != start);
    return 0;
}

/* qmgr_job_entry_select - the next entry of a transport to deliver */
QMGR_ENTRY *qmgr_job_entry_select(QMGR_TRANSPORT *transport)
{
    time_t  now = events_time();
    QMGR_JOB *job;
    QMGR_PEER *peer;
    QMGR_ENTRY *entry;

    transport->select_tag++;
    qmgr_job_preempt(transport, now);
    for (job = transport->job_head; job; job = job->next) {
	if (job->todo_entries == 0 || qmgr_job_blocked(job, now))
	    continue;
	if ((peer = qmgr_job_ready_peer(job, now)) == 0)
	    continue;
	entry = peer->entry_head;
	qmgr_entry_unlink(entry);
	job->todo_entries--;
	job->slots_counter++;
	if (transport->job_current != job)
	    transport->candidate = 0;		/* chosen for another job */
	transport->job_current = job;
	if (job->todo_entries == 0)
	    qmgr_job_sched_unlink(job);
	qmgr_job_refill_maybe(job);
	return entry;
    }
    return 0;
}

/* qmgr_job_free_all - forget the jobs of a finished message */
void    qmgr_job_free_all(QMGR_MESSAGE *message)
{
    QMGR_JOB *job;
    QMGR_TRANSPORT *transport;

    while ((job = message->job_list) != 0) {
	transport = job->transport;
	if (job->refcount != 0 || job->peer_head != 0)
	    msg_panic("qmgr_job_free_all: job of %s still has entries",
		      message->queue_id);
	message->job_list = job->message_next;
	qmgr_job_sched_unlink(job);
	if (transport->candidate == job)
	    transport->candidate = 0;
	if (transport->job_current == job)
	    transport->job_current = 0;
	job->rcpt_count = 0;
	qmgr_job_give_slots(job, job->rcpt_limit);
	if (job->time_prev)
	    job->time_prev->time_next = job->time_next;
	else
	    transport->job_time_head = job->time_next;
	if (job->time_next)
	    job->time_next->time_prev = job->time_prev;
	else
	    transport->job_time_tail = job->time_prev;
	htable_free(job->peer_table, (void (*) (void *)) 0);
	myfree(job);
    }
}
