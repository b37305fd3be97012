/*
 * qmgr_transport - delivery transports and their parameters
 *
 * SYNOPSIS
 *	#include "qmgr.h"
 *
 *	QMGR_TRANSPORT *qmgr_transport_find(const char *name);
 *	bool	qmgr_transport_deferred(const char *name);
 *	void	qmgr_transport_throttle(QMGR_TRANSPORT *transport,
 *				const char *reason);
 *	bool	qmgr_transport_available(QMGR_TRANSPORT *transport);
 *	bool	qmgr_transport_is_retry(const QMGR_TRANSPORT *transport);
 *
 * DESCRIPTION
 *	qmgr_transport_find() returns the transport of that master.cf
 *	name, creating it on first use with its parameters: each is
 *	<name>_<parameter> when main.cf (or the parameter table) has it,
 *	else the default_<parameter> (or global) setting:
 *	destination_concurrency_limit, initial_destination_concurrency,
 *	destination_recipient_limit (0 and values above 1000 mean 1000,
 *	the most one request carries), destination_rate_delay,
 *	destination_concurrency_positive_feedback and _negative_feedback,
 *	destination_concurrency_failed_cohort_limit, the preemptive
 *	scheduler's delivery_slot_cost, delivery_slot_loan,
 *	delivery_slot_discount and minimum_delivery_slots (qmgr_job(3)),
 *	the in-memory recipient limits recipient_limit and
 *	extra_recipient_limit, recipient_refill_limit and
 *	recipient_refill_delay (counts are taken as 0..100000000, the slot
 *	cost as at most 1000), and time_limit
 *	(default $command_time_limit; qmgr waits that long, plus
 *	$qmgr_ipc_timeout, for an agent's reply).
 *
 *	The feedback settings accept Postfix's forms ("1/concurrency",
 *	"1/sqrt_concurrency", "1"); they are read as text, because the
 *	parameter table holds them as integers (Postfix 3.7's default,
 *	"1", fits that; "1/concurrency" in main.cf must not be fatal).
 *
 *	qmgr_transport_deferred() tells whether $defer_transports names
 *	the transport.
 *
 *	qmgr_transport_throttle() marks a transport whose agent cannot be
 *	reached as unavailable for $transport_retry_time; its recipients
 *	are deferred with reason meanwhile. qmgr_transport_available()
 *	tells whether it may be used (ending an expired throttle).
 *	qmgr_transport_is_retry() tells whether a transport is the one
 *	that qmgr defers recipients through (qmgr_defer(3)).
 *
 * DIAGNOSTICS
 *	Warnings: "<name>: bad concurrency feedback value: <text>" (the
 *	default is used).
 *	Fatal: bad numerical settings (mail_conf(3)).
 */
#include "sys_defs.h"

#include <stdio.h>
#include <string.h>

#include "msg.h"
#include "mymalloc.h"
#include "argv.h"
#include "stringops.h"
#include "events.h"
#include "mail_conf.h"
#include "mail_params.h"
#include "qmgr.h"

QMGR_TRANSPORT *qmgr_transport_list;
static HTABLE *qmgr_transport_table;

/* Recipient slot counts stay far from INT_MAX in the arithmetic. */
#define QMGR_TRANSPORT_LIMIT	100000000
#define QMGR_TRANSPORT_SLOT_MAX	1000	/* delivery_slot_cost */

/* qmgr_transport_param_name - "<transport>_<suffix>" */
static char *qmgr_transport_param_name(const char *transport,
				               const char *suffix)
{
    return concatenate(transport, "_", suffix, (char *) 0);
}

/* qmgr_transport_int - a per-transport integer parameter */
static long qmgr_transport_int(const char *transport, const char *suffix,
			               long defval)
{
    char   *name = qmgr_transport_param_name(transport, suffix);
    const MAIL_PARAM *param = mail_param_find(name);
    char    buf[32];
    long    value;

    if (param != 0 && param->type == MAIL_PARAM_INT) {
	value = mail_param_int((int) (param - mail_param_table));
    } else {
	snprintf(buf, sizeof(buf), "%ld", defval);
	value = mail_conf_get_int(name, buf, 0, 0);
    }
    myfree(name);
    return value;
}

/* qmgr_transport_time - a per-transport time parameter */
static int qmgr_transport_time(const char *transport, const char *suffix,
			               int defval)
{
    char   *name = qmgr_transport_param_name(transport, suffix);
    const MAIL_PARAM *param = mail_param_find(name);
    char    buf[32];
    int     value;

    if (param != 0 && param->type == MAIL_PARAM_TIME) {
	value = mail_param_time((int) (param - mail_param_table));
    } else {
	snprintf(buf, sizeof(buf), "%ds", defval);
	value = mail_conf_get_time(name, buf, 's', 0, 0);
    }
    myfree(name);
    return value;
}

/* qmgr_transport_limit - a per-transport count, 0..QMGR_TRANSPORT_LIMIT */
static int qmgr_transport_limit(const char *transport, const char *suffix,
				        long defval)
{
    long    value = qmgr_transport_int(transport, suffix, defval);

    if (value < 0)
	value = 0;
    return value > QMGR_TRANSPORT_LIMIT ? QMGR_TRANSPORT_LIMIT : (int) value;
}

/* qmgr_transport_feedback - a per-transport feedback setting */
static void qmgr_transport_feedback(const char *transport, const char *which,
				            QMGR_FEEDBACK *fb)
{
    char   *suffix = concatenate("destination_concurrency_", which,
				 "_feedback", (char *) 0);
    char   *name = qmgr_transport_param_name(transport, suffix);
    char   *defname = concatenate("default_", suffix, (char *) 0);
    const char *text = mail_conf_lookup(name);
    const MAIL_PARAM *param;
    char   *expanded;

    if (text == 0)
	text = mail_conf_lookup(defname);
    if (text == 0 && (param = mail_param_find(defname)) != 0)
	text = mail_param_default_text(param);
    if (text == 0)
	text = "1";
    expanded = mail_conf_expand(text);
    if (!qmgr_feedback_parse(expanded, fb)) {
	msg_warn("%s: bad concurrency feedback value: %s", name, expanded);
	fb->numerator = 1;
	fb->divide = QMGR_FEEDBACK_CONST;
    }
    myfree(expanded);
    myfree(name);
    myfree(defname);
    myfree(suffix);
}

/* qmgr_transport_create - a transport with its parameters */
static QMGR_TRANSPORT *qmgr_transport_create(const char *name)
{
    QMGR_TRANSPORT *transport = mycalloc(1, sizeof(*transport));
    long    limit;

    transport->name = mystrdup(name);
    transport->dest_concurrency_limit = (int)
	qmgr_transport_int(name, "destination_concurrency_limit",
			   VAR_INT(default_destination_concurrency_limit));
    transport->init_concurrency = (int)
	qmgr_transport_int(name, "initial_destination_concurrency",
			   VAR_INT(initial_destination_concurrency));
    if (transport->init_concurrency < 1)
	transport->init_concurrency = 1;
    if (transport->dest_concurrency_limit > 0
	&& transport->init_concurrency > transport->dest_concurrency_limit)
	transport->init_concurrency = transport->dest_concurrency_limit;
    limit = qmgr_transport_int(name, "destination_recipient_limit",
			       VAR_INT(default_destination_recipient_limit));
    if (limit <= 0 || limit > DELIVER_MAX_RCPT)
	limit = DELIVER_MAX_RCPT;
    transport->recipient_limit = (int) limit;
    transport->rate_delay =
	qmgr_transport_time(name, "destination_rate_delay",
			    VAR_TIME(default_destination_rate_delay));
    transport->time_limit =
	qmgr_transport_time(name, "time_limit", VAR_TIME(command_time_limit));
    qmgr_transport_feedback(name, "positive", &transport->pos_feedback);
    qmgr_transport_feedback(name, "negative", &transport->neg_feedback);
    transport->failed_cohort_limit = (int)
	qmgr_transport_int(name, "destination_concurrency_failed_cohort_limit",
	      VAR_INT(default_destination_concurrency_failed_cohort_limit));
    /* Bounded so that entries x cost stays far from INT_MAX. */
    transport->slot_cost = qmgr_transport_limit(name, "delivery_slot_cost",
				   VAR_INT(default_delivery_slot_cost));
    if (transport->slot_cost > QMGR_TRANSPORT_SLOT_MAX)
	transport->slot_cost = QMGR_TRANSPORT_SLOT_MAX;
    transport->slot_loan = qmgr_transport_limit(name, "delivery_slot_loan",
				   VAR_INT(default_delivery_slot_loan));
    transport->slot_discount = qmgr_transport_limit(name,
	     "delivery_slot_discount", VAR_INT(default_delivery_slot_discount));
    transport->min_slots = qmgr_transport_limit(name,
	     "minimum_delivery_slots", VAR_INT(default_minimum_delivery_slots));
    transport->rcpt_pool_limit = qmgr_transport_limit(name,
			  "recipient_limit", VAR_INT(default_recipient_limit));
    transport->rcpt_extra_limit = qmgr_transport_limit(name,
	       "extra_recipient_limit", VAR_INT(default_extra_recipient_limit));
    transport->refill_limit = qmgr_transport_limit(name,
	     "recipient_refill_limit", VAR_INT(default_recipient_refill_limit));
    transport->refill_delay =
	qmgr_transport_time(name, "recipient_refill_delay",
			    VAR_TIME(default_recipient_refill_delay));
    transport->rcpt_pool = transport->rcpt_pool_limit;
    transport->rcpt_extra_pool = transport->rcpt_extra_limit;
    transport->queues = htable_create(0);
    transport->next = qmgr_transport_list;
    qmgr_transport_list = transport;
    if (msg_verbose)
	msg_info("transport %s: concurrency limit %d initial %d"
		 " recipient limit %d rate delay %ds",
		 name, transport->dest_concurrency_limit,
		 transport->init_concurrency, transport->recipient_limit,
		 transport->rate_delay);
    return transport;
}

/* qmgr_transport_find - look up or create a transport */
QMGR_TRANSPORT *qmgr_transport_find(const char *name)
{
    QMGR_TRANSPORT *transport;

    if (qmgr_transport_table == 0)
	qmgr_transport_table = htable_create(0);
    if ((transport = htable_find(qmgr_transport_table, name)) == 0) {
	transport = qmgr_transport_create(name);
	htable_enter(qmgr_transport_table, name, transport);
    }
    return transport;
}

/* qmgr_transport_deferred - is the transport in $defer_transports? */
bool    qmgr_transport_deferred(const char *name)
{
    const char *list = VAR_STR(defer_transports);
    ARGV   *argv;
    bool    found = false;
    size_t  i;

    if (*list == 0)
	return false;
    argv = argv_split(list, ", \t\r\n");
    for (i = 0; i < argv->argc; i++) {
	if (strcmp(argv->argv[i], name) == 0) {
	    found = true;
	    break;
	}
    }
    argv_free(argv);
    return found;
}

/* qmgr_transport_throttle - the agent cannot be reached for now */
void    qmgr_transport_throttle(QMGR_TRANSPORT *transport, const char *reason)
{
    transport->dead_until = events_time() + VAR_TIME(transport_retry_time);
    if (transport->dead_reason)
	myfree(transport->dead_reason);
    transport->dead_reason = mystrdup(reason);
}

/* qmgr_transport_is_retry - the transport that defers for qmgr? */
bool    qmgr_transport_is_retry(const QMGR_TRANSPORT *transport)
{
    return strcmp(transport->name, QMGR_RETRY_TRANSPORT) == 0;
}

/* qmgr_transport_available - usable now? */
bool    qmgr_transport_available(QMGR_TRANSPORT *transport)
{
    if (transport->dead_until == 0)
	return true;
    if (events_time() < transport->dead_until)
	return false;
    transport->dead_until = 0;
    return true;
}
