/*
 * qmgr - the queue manager
 *
 * SYNOPSIS
 *	qmgr [generic daemon options]
 *
 * DESCRIPTION
 *	The daemon of docs/man/man8/qmgr.8, on the trigger_server(3)
 *	skeleton (one process, resident: master.cf "qmgr unix n - n 300
 *	1 qmgr"). It moves mail from incoming/ and deferred/ into
 *	active/, hands the recipients to the delivery agents, and
 *	finishes each message (docs/internals/delivery.md).
 *
 *	Start-up: files left in active/ by an earlier qmgr go back to
 *	incoming/ (qmgr_recover_active()); then both queues are scanned.
 *
 *	Triggers (public/qmgr; any mix of bytes in one message, each
 *	kind acted on once, A and F before D and I, as qmgr(8) of Postfix
 *	documents): "I" and "W" scan incoming/; "D" scans deferred/; "A"
 *	makes the next deferred scan ignore the files' retry times; "F"
 *	forgets dead destinations and unavailable transports. So "AFD"
 *	forces a deferred queue run. Other bytes are ignored. Every
 *	$queue_run_delay both queues are scanned again.
 *
 *	qmgr_schedule_soon() asks for one run of the scheduler at the
 *	next event loop iteration: feed the active queue from the scans
 *	and open connections for every transport that has work.
 *	qmgr_schedule_event() is that run as an event callback.
 *
 * DIAGNOSTICS
 *	Problems are logged through msg(3); see the other modules.
 */
#include "sys_defs.h"

#include <string.h>

#include "msg.h"
#include "events.h"
#include "mail_params.h"
#include "mail_queue.h"
#include "mail_flow.h"
#include "trigger_server.h"
#include "qmgr.h"

#define QMGR_REQ_SCAN_INCOMING	'I'
#define QMGR_REQ_WAKEUP		'W'
#define QMGR_REQ_SCAN_DEFERRED	'D'
#define QMGR_REQ_SCAN_ALL	'A'
#define QMGR_REQ_FLUSH_DEAD	'F'

/* qmgr_schedule_event - feed the active queue, start deliveries */
void    qmgr_schedule_event(int event, void *context)
{
    QMGR_TRANSPORT *transport;

    (void) event;
    (void) context;
    (void) qmgr_scan_feed();
    for (transport = qmgr_transport_list; transport; transport = transport->next)
	qmgr_deliver_start(transport);
}

/* qmgr_schedule_soon - run the scheduler at the next loop iteration */
void    qmgr_schedule_soon(void)
{
    events_request_timer(qmgr_schedule_event, 0, 0);
}

/* qmgr_flush_dead - forget dead destinations and transports */
static void qmgr_flush_dead(void)
{
    QMGR_TRANSPORT *transport;
    QMGR_QUEUE *queue;

    for (transport = qmgr_transport_list; transport; transport = transport->next) {
	transport->dead_until = 0;
	for (queue = transport->queue_head; queue; queue = queue->next) {
	    if (queue->dead) {
		queue->dead = false;
		queue->dead_until = 0;
		qmgr_window_init(&queue->window, transport->init_concurrency);
	    }
	}
    }
}

/* qmgr_queue_run - the periodic scan */
static void qmgr_queue_run(int event, void *context)
{
    (void) event;
    qmgr_scan_request(MAIL_QUEUE_INCOMING);
    qmgr_scan_request(MAIL_QUEUE_DEFERRED);
    events_request_timer(qmgr_queue_run, context,
			 (int) VAR_TIME(queue_run_delay));
}

/* qmgr_service - a trigger arrived */
static void qmgr_service(char *buf, ssize_t len, const char *service,
			         char **argv)
{
    bool    incoming = false;
    bool    deferred = false;
    ssize_t i;

    (void) service;
    (void) argv;
    for (i = 0; i < len; i++) {
	switch (buf[i]) {
	case QMGR_REQ_SCAN_INCOMING:
	case QMGR_REQ_WAKEUP:
	    incoming = true;
	    break;
	case QMGR_REQ_SCAN_DEFERRED:
	    deferred = true;
	    break;
	case QMGR_REQ_SCAN_ALL:
	    qmgr_scan_ignore_time();
	    break;
	case QMGR_REQ_FLUSH_DEAD:
	    qmgr_flush_dead();
	    qmgr_scan_flush_next();
	    break;
	default:
	    if (msg_verbose)
		msg_info("ignoring trigger byte 0x%02x", buf[i] & 0xff);
	    break;
	}
    }
    if (incoming)
	qmgr_scan_request(MAIL_QUEUE_INCOMING);
    if (deferred)
	qmgr_scan_request(MAIL_QUEUE_DEFERRED);
    qmgr_schedule_soon();
}

/* qmgr_post_init - recover, then start the periodic scans */
static void qmgr_post_init(const char *service, char **argv)
{
    (void) service;
    (void) argv;
    if (VAR_TIME(bounce_queue_lifetime) > VAR_TIME(maximal_queue_lifetime))
	msg_warn("%s is larger than %s - adjusting %s",
		 PARAM_NAME(bounce_queue_lifetime),
		 PARAM_NAME(maximal_queue_lifetime),
		 PARAM_NAME(bounce_queue_lifetime));
    qmgr_recover_active();
    /* As Postfix's qmgr: a full set of flow tokens to start with. */
    (void) mail_flow_put(VAR_INT(default_process_limit));
    events_request_timer(qmgr_queue_run, 0, 0);
}

/* main - hand over to the skeleton */
int     main(int argc, char **argv)
{
    static const MAIL_SERVER_OPTS opts = {
	.flags = MAIL_SERVER_FLAG_SOLITARY | MAIL_SERVER_FLAG_NO_USE_LIMIT
	| MAIL_SERVER_FLAG_NO_IDLE_LIMIT,
	.post_init = qmgr_post_init,
	.watchdog_param = "qmgr_daemon_timeout",
    };

    trigger_server_main(argc, argv, qmgr_service, &opts);
}
