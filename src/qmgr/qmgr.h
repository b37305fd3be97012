/*
 * qmgr - private interface of the qmgr(8) modules
 *
 * SYNOPSIS
 *	#include "qmgr.h"
 *
 * DESCRIPTION
 *	The queue manager's in-memory model (docs/internals/delivery.md,
 *	section 4, after SCHEDULER_README):
 *
 *	QMGR_MESSAGE: one file in active/: its envelope, the recipients
 *	read so far (in batches), and how many of them are still waiting
 *	for an outcome.
 *
 *	QMGR_TRANSPORT: one master.cf transport that some recipient
 *	resolved to, with its per-transport limits, its queues in round-
 *	robin order and its connection attempts.
 *
 *	QMGR_QUEUE: transport + next hop (or + recipient, when the
 *	transport's recipient limit is 1): the concurrency window with
 *	feedback, deliveries in progress, and the entries waiting.
 *
 *	QMGR_JOB: one message within one transport (SCHEDULER_README's
 *	"job"): its place in the transport's job list (the scheduler's
 *	order, changed by preemption, and the order of arrival, for the
 *	recipient slots), its delivery slot counter and its share of the
 *	transport's in-memory recipient slots.
 *
 *	QMGR_PEER: one job's entries for one queue.
 *
 *	QMGR_ENTRY: up to the recipient limit of recipients of one message
 *	for one queue: one delivery request. It is on its queue's list
 *	and on its peer's list while it waits.

 *	Module map: qmgr.c (main, triggers, timers), qmgr_scan.c
 *	(directory scans), qmgr_message.c (queue file reading, recipient
 *	resolution), qmgr_transport.c (transports and their parameters),
 *	qmgr_queue.c (queues, windows, dead destinations), qmgr_entry.c
 *	(entries), qmgr_job.c (jobs, peers, the preemptive scheduler,
 *	recipient slots), qmgr_deliver.c (delivery requests),
 *	qmgr_active.c (end of a message: bounce, defer, warn, remove),
 *	qmgr_defer.c (recipients qmgr defers itself), qmgr_feedback.c
 *	and qmgr_slots.c (the scheduler's arithmetic and VERP senders,
 *	unit tested).
 */
#ifndef QMGR_H
#define QMGR_H

#include "sys_defs.h"
#include <sys/time.h>
#include <time.h>

#include "argv.h"
#include "htable.h"
#include "vstream.h"
#include "vstring.h"
#include "recipient_list.h"
#include "deliver_request.h"

typedef struct QMGR_TRANSPORT QMGR_TRANSPORT;
typedef struct QMGR_QUEUE QMGR_QUEUE;
typedef struct QMGR_ENTRY QMGR_ENTRY;
typedef struct QMGR_MESSAGE QMGR_MESSAGE;
typedef struct QMGR_JOB QMGR_JOB;
typedef struct QMGR_PEER QMGR_PEER;

/* Concurrency feedback: "N", "N/concurrency" or "N/sqrt_concurrency". */
typedef struct QMGR_FEEDBACK {
    double  numerator;
    int     divide;			/* QMGR_FEEDBACK_* */
} QMGR_FEEDBACK;

#define QMGR_FEEDBACK_CONST	0
#define QMGR_FEEDBACK_WINDOW	1	/* divided by the window */
#define QMGR_FEEDBACK_SQRT	2	/* divided by its square root */

/* A destination's concurrency window (SCHEDULER_README, Postfix 2.5). */
typedef struct QMGR_WINDOW {
    int     concurrency;		/* 0: throttled (dead) */
    double  success;			/* positive feedback credit */
    double  failure;			/* negative feedback debit */
    double  fail_cohorts;		/* failed pseudo-cohorts */
} QMGR_WINDOW;

struct QMGR_TRANSPORT {
    char   *name;
    int     dest_concurrency_limit;	/* 0: no limit */
    int     init_concurrency;		/* initial window */
    int     recipient_limit;		/* per request, 1..DELIVER_MAX_RCPT */
    int     rate_delay;			/* seconds between deliveries */
    int     time_limit;			/* agent time limit, seconds */
    QMGR_FEEDBACK pos_feedback;
    QMGR_FEEDBACK neg_feedback;
    int     failed_cohort_limit;
    int     slot_cost;			/* delivery_slot_cost, < 2: off */
    int     slot_loan;			/* delivery_slot_loan */
    int     slot_discount;		/* delivery_slot_discount, percent */
    int     min_slots;			/* minimum_delivery_slots */
    int     rcpt_pool_limit;		/* recipient_limit (in memory) */
    int     rcpt_extra_limit;		/* extra_recipient_limit */
    int     refill_limit;		/* recipient_refill_limit */
    int     refill_delay;		/* recipient_refill_delay, seconds */
    int     rcpt_pool;			/* recipient slots nobody holds */
    int     rcpt_extra_pool;		/* extra slots nobody holds */
    QMGR_JOB *job_head;			/* the scheduler's job list */
    QMGR_JOB *job_tail;
    QMGR_JOB *job_time_head;		/* jobs in order of arrival */
    QMGR_JOB *job_time_tail;
    QMGR_JOB *job_current;		/* whose entry was selected last */
    QMGR_JOB *candidate;		/* cached preemption candidate */
    time_t  candidate_time;		/* when it was chosen */
    int     select_tag;			/* one per selection (blockers) */
    HTABLE *queues;			/* name -> QMGR_QUEUE */
    QMGR_QUEUE *queue_head;		/* round robin list */
    QMGR_QUEUE *queue_tail;
    QMGR_QUEUE *rr_next;		/* where the next selection starts */
    int     pending;			/* connections waiting for a greeting */
    int     busy;			/* deliveries in progress */
    time_t  dead_until;			/* agent unreachable until then */
    char   *dead_reason;
    QMGR_TRANSPORT *next;
};

#define QMGR_TRANSPORT_MAX_PEND	2	/* connection attempts at a time */

struct QMGR_QUEUE {
    char   *name;			/* next hop, or recipient */
    char   *nexthop;			/* what the request says */
    QMGR_TRANSPORT *transport;
    QMGR_WINDOW window;			/* concurrency window */
    int     busy;			/* deliveries in progress */
    int     todo_count;			/* entries waiting */
    QMGR_ENTRY *todo_head;
    QMGR_ENTRY *todo_tail;
    bool    dead;			/* throttled until dead_until */
    time_t  dead_until;
    char   *dead_reason;		/* "4.x.y text" */
    time_t  blocked_until;		/* rate delay */
    QMGR_QUEUE *prev;
    QMGR_QUEUE *next;
};

struct QMGR_ENTRY {
    QMGR_MESSAGE *message;
    QMGR_QUEUE *queue;
    QMGR_PEER *peer;
    RECIPIENT_LIST rcpt_list;
    QMGR_ENTRY *prev;			/* queue's waiting list */
    QMGR_ENTRY *next;
    QMGR_ENTRY *peer_prev;		/* peer's waiting list */
    QMGR_ENTRY *peer_next;
};

struct QMGR_PEER {
    QMGR_JOB *job;
    QMGR_QUEUE *queue;
    int     refcount;			/* entries waiting or in delivery */
    QMGR_ENTRY *entry_head;		/* entries waiting */
    QMGR_ENTRY *entry_tail;
    QMGR_PEER *prev;
    QMGR_PEER *next;
};

struct QMGR_JOB {
    QMGR_MESSAGE *message;
    QMGR_TRANSPORT *transport;
    QMGR_JOB *message_next;		/* the message's jobs */
    bool    listed;			/* on the scheduler's list */
    QMGR_JOB *prev;			/* scheduler's list */
    QMGR_JOB *next;
    QMGR_JOB *time_prev;		/* list in order of arrival */
    QMGR_JOB *time_next;
    HTABLE *peer_table;			/* queue name -> QMGR_PEER */
    QMGR_PEER *peer_head;
    QMGR_PEER *peer_tail;
    QMGR_PEER *peer_next;		/* round robin among destinations */
    int     todo_entries;		/* entries waiting */
    int     refcount;			/* entries waiting or in delivery */
    int     rcpt_count;			/* its recipients in memory */
    int     rcpt_limit;			/* recipient slots it holds */
    int     rcpt_extra;			/* of those, from the extra pool */
    int     slots_counter;		/* available delivery slots x cost */
    int     blocker_tag;		/* == transport's: blocked now */
    int     checked_tag;		/* == transport's: checked now */
};

struct QMGR_MESSAGE {
    char   *queue_id;
    char   *queue_name;			/* where the file is now */
    struct timeval arrival;		/* T record */
    struct timeval active;		/* moved into active/ */
    long    warn_time;			/* W record, 0: none due */
    long    warn_offset;		/* offset of W, 0: none */
    long    data_offset;		/* M record */
    long    data_size;			/* content size */
    long    line_count;			/* content lines (L records) */
    long    rcpt_total;			/* S record recipient count */
    int     smtputf8;
    char   *encoding;
    char   *sender;
    char   *dsn_envid;
    int     dsn_ret;
    int     tflags;			/* DEL_REQ_FLAG_* */
    char   *filter;			/* I record, or NULL */
    char   *redirect;			/* J record, or NULL */
    char   *client_name;
    char   *client_addr;
    char   *client_port;
    char   *client_proto;
    char   *client_helo;
    char   *sasl_method;
    char   *sasl_username;
    char   *sasl_sender;
    char   *log_ident;
    char   *rewrite_context;
    char   *verp_delims;		/* V record, or NULL */
    long    rcpt_next;			/* offset to read from; 0: all read */
    long    rcpt_unread;		/* R records not read yet (estimate) */
    time_t  refill_time;		/* last read of recipients */
    QMGR_JOB *job_list;			/* one per transport */
    int     rcpt_in_core;		/* recipients read, not finished */
    int     refcount;			/* entries waiting or in delivery */
    int     busy;			/* entries in delivery */
    bool    deferred;			/* some recipient deferred */
    bool    force_expire;		/* postsuper -e/-f: return it */
    bool    defer_log_checked;		/* defer_log_exists is valid */
    bool    defer_log_exists;
    bool    flush_override;		/* flushed: ignore $defer_transports */
    QMGR_MESSAGE *next;
};

/* Globals (qmgr.c). */
extern int qmgr_message_count;		/* messages in active/ */
extern int qmgr_recipient_count;	/* recipients in memory */
extern QMGR_TRANSPORT *qmgr_transport_list;

/* qmgr.c */
extern void qmgr_schedule_soon(void);
extern void qmgr_schedule_event(int event, void *context);

/* qmgr_scan.c */
extern ARGV *qmgr_scan_dir(const char *queue, time_t due_before);
extern void qmgr_scan_request(const char *queue);
extern void qmgr_scan_ignore_time(void);
extern void qmgr_scan_flush_next(void);
extern bool qmgr_scan_feed(void);
extern void qmgr_recover_active(void);

/* qmgr_message.c */
extern QMGR_MESSAGE *qmgr_message_alloc(const char *queue, const char *id,
				               bool flush);
extern bool qmgr_message_realloc(QMGR_MESSAGE *message);
extern void qmgr_message_free(QMGR_MESSAGE *message);
extern DELIVER_REQUEST *qmgr_message_request(const QMGR_MESSAGE *message);
extern void qmgr_message_refill(QMGR_MESSAGE *message);

/* qmgr_transport.c */
extern QMGR_TRANSPORT *qmgr_transport_find(const char *name);
extern bool qmgr_transport_deferred(const char *name);
extern void qmgr_transport_throttle(QMGR_TRANSPORT *transport,
				            const char *reason);
extern bool qmgr_transport_available(QMGR_TRANSPORT *transport);
extern bool qmgr_transport_is_retry(const QMGR_TRANSPORT *transport);

/* qmgr_queue.c */
extern QMGR_QUEUE *qmgr_queue_find(QMGR_TRANSPORT *transport,
				           const char *name, const char *nexthop);
extern bool qmgr_queue_ready(QMGR_QUEUE *queue, time_t now);
extern void qmgr_queue_success(QMGR_QUEUE *queue);
extern void qmgr_queue_failure(QMGR_QUEUE *queue, const char *reason);
extern void qmgr_queue_done_delivery(QMGR_QUEUE *queue);
extern void qmgr_queue_free_if_idle(QMGR_QUEUE *queue);

/* qmgr_entry.c */
extern void qmgr_entry_add(QMGR_MESSAGE *message, QMGR_QUEUE *queue,
			           const RECIPIENT *rcpt);
extern QMGR_ENTRY *qmgr_entry_select(QMGR_TRANSPORT *transport);
extern int qmgr_entry_waiting(QMGR_TRANSPORT *transport, int max);
extern void qmgr_entry_done(QMGR_ENTRY *entry);
extern void qmgr_entry_defer_queue(QMGR_QUEUE *queue, const char *reason);
extern void qmgr_entry_unlink(QMGR_ENTRY *entry);

/* qmgr_job.c */
extern QMGR_PEER *qmgr_job_peer(QMGR_MESSAGE *message, QMGR_QUEUE *queue);
extern QMGR_ENTRY *qmgr_job_entry_select(QMGR_TRANSPORT *transport);
extern void qmgr_job_entry_added(QMGR_PEER *peer);
extern void qmgr_job_entry_gone(QMGR_PEER *peer);
extern void qmgr_job_entry_done(QMGR_PEER *peer, int rcpt_count);
extern void qmgr_job_message_read(QMGR_MESSAGE *message);
extern long qmgr_job_refill_budget(const QMGR_MESSAGE *message);
extern void qmgr_job_free_all(QMGR_MESSAGE *message);

/* qmgr_deliver.c */
extern void qmgr_deliver_start(QMGR_TRANSPORT *transport);
extern int qmgr_deliver_count(void);

/* qmgr_defer.c */
extern void qmgr_defer_recipient(QMGR_MESSAGE *message, const RECIPIENT *rcpt,
				         const char *relay, const char *reason);
extern void qmgr_defer_route(QMGR_MESSAGE *message, const RECIPIENT *rcpt,
			             const char *reason);
extern void qmgr_defer_entry(QMGR_ENTRY *entry, const char *reason);

#define QMGR_RETRY_TRANSPORT	"retry"	/* error(8) that defers */
#define QMGR_RETRY_REASON_MAX	2000	/* a reason as next hop */

/* qmgr_active.c */
extern void qmgr_active_done(QMGR_MESSAGE *message);
extern bool qmgr_active_log_exists(const char *queue, const char *id);

/* qmgr_feedback.c */
extern bool qmgr_feedback_parse(const char *text, QMGR_FEEDBACK *fb);
extern double qmgr_feedback_value(const QMGR_FEEDBACK *fb, double window);
extern void qmgr_window_init(QMGR_WINDOW *window, int initial);
extern void qmgr_window_success(QMGR_WINDOW *window, const QMGR_FEEDBACK *fb,
				        int limit, int busy, int initial);
extern bool qmgr_window_failure(QMGR_WINDOW *window, const QMGR_FEEDBACK *fb,
				        int cohort_limit);
extern long qmgr_backoff_delay(long age, long minimal, long maximal);
extern bool qmgr_expired(long age, bool null_sender, long max_lifetime,
			         long bounce_lifetime);

/* qmgr_slots.c */
extern int qmgr_slots_accumulated(int counter, int cost);
extern int qmgr_slots_potential(int counter, int remaining, int cost);
extern bool qmgr_slots_may_preempt(int accumulated, int needed, int loan,
				           int discount);
extern bool qmgr_refill_due(long free_slots, long refill_limit,
			            long since_last, long refill_delay,
			            bool starved);
extern long qmgr_refill_budget(long slots, long in_core, long minimum);
extern const char *qmgr_verp_sender(VSTRING *buf, const char *sender,
				            const char *delims,
				            const char *recipient);

#endif
