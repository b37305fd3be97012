/*
 * bounce_service - who gets which notification, and when a log goes
 *
 * SYNOPSIS
 *	#include "bounce.h"
 *
 *	extern BOUNCE_TEMPLATES *bounce_templates;
 *
 *	int	bounce_notify_service(const char *service, int request,
 *				const BOUNCE_REQUEST *req);
 *
 * DESCRIPTION
 *	bounce_notify_service() carries out a FLUSH, WARN or TRACE
 *	request (docs/internals/delivery.md, section 3) that arrived on
 *	service (a log directory: bounce, defer or trace, or the
 *	services named by $bounce_service_name, $defer_service_name and
 *	$trace_service_name). It returns 0 when done, 1 when the
 *	notification could not be queued (the log stays, qmgr retries),
 *	and -1 for a request that this service does not serve.
 *
 *	FLUSH on bounce (and on defer: an expired message, whose
 *	deferred recipients are now failures) sends the non-delivery
 *	notification and removes the log:
 *
 *	- to the sender, listing the recipients whose NOTIFY does not
 *	  exclude FAILURE, with the original as RET says (headers for
 *	  RET=HDRS, else the whole message within $bounce_size_limit);
 *	  logged "<id>: sender non-delivery notification: <new id>";
 *	- with "bounce" in $notify_classes, a postmaster copy with the
 *	  headers to $bounce_notice_recipient ("postmaster non-delivery
 *	  notification");
 *	- when the sender is <> (a bounce that bounced), with "2bounce"
 *	  or "bounce" in $notify_classes, the whole message to
 *	  $2bounce_notice_recipient ("postmaster non-delivery
 *	  notification"); otherwise it is dropped;
 *	- when the sender is $double_bounce_sender (a postmaster notice
 *	  that bounced): nothing, with the warning "<id>: undeliverable
 *	  postmaster notification discarded", as Postfix.
 *
 *	WARN on defer sends the delay warning and keeps the log: to the
 *	sender for the recipients whose NOTIFY does not exclude DELAY
 *	("sender delay notification"), with "delay" in $notify_classes a
 *	copy to $delay_notice_recipient ("postmaster delay
 *	notification"). Will-Retry-Until is the arrival time plus
 *	$maximal_queue_lifetime ($bounce_queue_lifetime for <>).
 *
 *	TRACE on trace sends the delivery report and removes the log: a
 *	"Successful Mail Delivery Report" for the recipients that asked
 *	for NOTIFY=SUCCESS, or, for DEL_REQ_FLAG_RECORD or
 *	DEL_REQ_FLAG_VERIFY requests (sendmail -v, -bv), the verify
 *	template's report of every recipient ("sender delivery status
 *	notification"). No report goes to <> or to the double-bounce
 *	sender.
 *
 *	A missing log means there is nothing to report: 0. An unreadable
 *	log: 1. A log without one usable entry: a warning, the log is
 *	dropped, 0. An unreadable original: the notification goes out
 *	without it.
 *
 * DIAGNOSTICS
 *	Warnings: "<id>: undeliverable postmaster notification
 *	discarded", "<id>: cannot send <what> notification: <reason>",
 *	"<id>: no usable entry in the <service> log",
 *	"<id>: remove <service> log: <error>".
 */
#include "sys_defs.h"

#include <errno.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "word_list.h"
#include "vstring.h"
#include "mail_params.h"
#include "rec_type.h"
#include "deliver_request.h"
#include "bounce_proto.h"
#include "bounce.h"

BOUNCE_TEMPLATES *bounce_templates;

#define ROLE_NONE	0
#define ROLE_BOUNCE	1
#define ROLE_DEFER	2
#define ROLE_TRACE	3

/* bounce_service_role - which log a service keeps */
static int bounce_service_role(const char *service)
{
    if (strcmp(service, VAR_STR(bounce_service_name)) == 0
	|| strcmp(service, BOUNCE_SERVICE_BOUNCE) == 0)
	return (ROLE_BOUNCE);
    if (strcmp(service, VAR_STR(defer_service_name)) == 0
	|| strcmp(service, BOUNCE_SERVICE_DEFER) == 0)
	return (ROLE_DEFER);
    if (strcmp(service, VAR_STR(trace_service_name)) == 0
	|| strcmp(service, BOUNCE_SERVICE_TRACE) == 0)
	return (ROLE_TRACE);
    return (ROLE_NONE);
}

/* bounce_service_class - is a class named in $notify_classes? */
static bool bounce_service_class(const char *class)
{
    return (word_list_has(VAR_STR(notify_classes), class));
}

/* bounce_service_double_bounce - is this the double-bounce sender? */
static bool bounce_service_double_bounce(const char *sender)
{
    const char *dbs = VAR_STR(double_bounce_sender);
    size_t  len = strlen(dbs);

    return (*sender != 0 && strncasecmp(sender, dbs, len) == 0
	    && (sender[len] == 0 || sender[len] == '@'));
}

/* bounce_service_any - does some recipient want this kind of notice? */
static bool bounce_service_any(int kind, const BOUNCE_LOG *log, int flags)
{
    for (int i = 0; i < log->len; i++)
	if (bounce_notify_wanted(kind, log->entries + i, flags))
	    return (true);
    return (false);
}

/* bounce_service_notice - a notice with main.cf values filled in */
static void bounce_service_notice(BOUNCE_NOTICE *notice, int kind,
				          bool postmaster, int ret,
				          const char *recipient, int flags)
{
    static const int template_class[] = {
	[BOUNCE_KIND_FAILURE] = BOUNCE_TMPL_FAILURE,
	[BOUNCE_KIND_DELAY] = BOUNCE_TMPL_DELAY,
	[BOUNCE_KIND_SUCCESS] = BOUNCE_TMPL_SUCCESS,
	[BOUNCE_KIND_VERIFY] = BOUNCE_TMPL_VERIFY,
    };

    memset(notice, 0, sizeof(*notice));
    notice->kind = kind;
    notice->postmaster = postmaster;
    notice->ret = ret;
    notice->template = bounce_templates_get(bounce_templates,
					    template_class[kind]);
    notice->recipient = recipient;
    notice->now = time((time_t *) 0);
    notice->myhostname = VAR_STR(myhostname);
    notice->myorigin = VAR_STR(myorigin);
    notice->mail_name = VAR_STR(mail_name);
    notice->header_from_format = VAR_STR(header_from_format);
    notice->threaded = VAR_BOOL(enable_threaded_bounces);
    notice->request_flags = flags;
    notice->smtputf8_enable = VAR_BOOL(smtputf8_enable);
}

/* bounce_service_send - queue one notice and log it; false on failure */
static bool bounce_service_send(BOUNCE_NOTICE *notice,
				        const BOUNCE_ORIGINAL *orig,
				        const BOUNCE_LOG *log, const char *what)
{
    VSTRING *new_id = vstring_alloc(20);
    VSTRING *why = vstring_alloc(100);
    int     status;

    status = bounce_submit(notice, orig, log, new_id, why);
    if (status == 0)
	msg_info("%s: %s %s notification: %s", orig->queue_id,
		 notice->postmaster ? "postmaster" : "sender", what,
		 vstring_str(new_id));
    else
	msg_warn("%s: cannot send %s %s notification: %s", orig->queue_id,
		 notice->postmaster ? "postmaster" : "sender", what,
		 VSTRING_LEN(why) ? vstring_str(why) : "cleanup failure");
    vstring_free(new_id);
    vstring_free(why);
    return (status == 0);
}

/* bounce_service_failure - non-delivery notices; false: retry later */
static bool bounce_service_failure(const BOUNCE_REQUEST *req,
				           const BOUNCE_ORIGINAL *orig,
				           const BOUNCE_LOG *log)
{
    BOUNCE_NOTICE notice;

    if (bounce_service_double_bounce(req->sender)) {
	msg_warn("%s: undeliverable postmaster notification discarded",
		 req->queue_id);
	return (true);
    }
    if (*req->sender == 0) {
	if (bounce_service_class("2bounce") || bounce_service_class("bounce")) {
	    bounce_service_notice(&notice, BOUNCE_KIND_FAILURE, true,
				  BOUNCE_RETURN_FULL,
				  VAR_STR(2bounce_notice_recipient),
				  req->flags);
	    return (bounce_service_send(&notice, orig, log, "non-delivery"));
	}
	return (true);
    }
    if (bounce_service_any(BOUNCE_KIND_FAILURE, log, req->flags)) {
	bounce_service_notice(&notice, BOUNCE_KIND_FAILURE, false,
			      req->dsn_ret == REC_DSN_RET_HDRS ?
			      BOUNCE_RETURN_HEADERS : BOUNCE_RETURN_FULL,
			      req->sender, req->flags);
	if (!bounce_service_send(&notice, orig, log, "non-delivery"))
	    return (false);
    }
    if (bounce_service_class("bounce")) {
	/* A lost copy is not worth a second notice to the sender. */
	bounce_service_notice(&notice, BOUNCE_KIND_FAILURE, true,
			      BOUNCE_RETURN_HEADERS,
			      VAR_STR(bounce_notice_recipient), req->flags);
	(void) bounce_service_send(&notice, orig, log, "non-delivery");
    }
    return (true);
}

/* bounce_service_delay - delay warnings; false: retry later */
static bool bounce_service_delay(const BOUNCE_REQUEST *req,
				         const BOUNCE_ORIGINAL *orig,
				         const BOUNCE_LOG *log)
{
    BOUNCE_NOTICE notice;
    time_t  arrival = orig->arrival > 0 ? orig->arrival : time((time_t *) 0);
    time_t  until = arrival + (*req->sender ? VAR_TIME(maximal_queue_lifetime)
				 : VAR_TIME(bounce_queue_lifetime));

    if (bounce_service_double_bounce(req->sender)) {
	msg_warn("%s: undeliverable postmaster notification discarded",
		 req->queue_id);
	return (true);
    }
    if (*req->sender != 0
	&& bounce_service_any(BOUNCE_KIND_DELAY, log, req->flags)) {
	bounce_service_notice(&notice, BOUNCE_KIND_DELAY, false,
			      BOUNCE_RETURN_HEADERS, req->sender, req->flags);
	notice.retry_until = until;
	if (!bounce_service_send(&notice, orig, log, "delay"))
	    return (false);
    }
    if (bounce_service_class("delay")) {
	bounce_service_notice(&notice, BOUNCE_KIND_DELAY, true,
			      BOUNCE_RETURN_HEADERS,
			      VAR_STR(delay_notice_recipient), req->flags);
	notice.retry_until = until;
	(void) bounce_service_send(&notice, orig, log, "delay");
    }
    return (true);
}

/* bounce_service_trace - delivery reports; false: retry later */
static bool bounce_service_trace(const BOUNCE_REQUEST *req,
				         const BOUNCE_ORIGINAL *orig,
				         const BOUNCE_LOG *log)
{
    BOUNCE_NOTICE notice;
    int     kind = (req->flags & (DEL_REQ_FLAG_RECORD | DEL_REQ_FLAG_VERIFY)) ?
    BOUNCE_KIND_VERIFY : BOUNCE_KIND_SUCCESS;

    if (*req->sender == 0 || bounce_service_double_bounce(req->sender))
	return (true);
    if (!bounce_service_any(kind, log, req->flags))
	return (true);
    bounce_service_notice(&notice, kind, false, BOUNCE_RETURN_HEADERS,
			  req->sender, req->flags);
    return (bounce_service_send(&notice, orig, log, "delivery status"));
}

/* bounce_notify_service - carry out FLUSH, WARN or TRACE */
int     bounce_notify_service(const char *service, int request,
			              const BOUNCE_REQUEST *req)
{
    int     role = bounce_service_role(service);
    BOUNCE_LOG log;
    BOUNCE_ORIGINAL orig;
    bool    done;
    int     found;

    if (!((request == BOUNCE_REQ_FLUSH
	   && (role == ROLE_BOUNCE || role == ROLE_DEFER))
	  || (request == BOUNCE_REQ_WARN && role == ROLE_DEFER)
	  || (request == BOUNCE_REQ_TRACE && role == ROLE_TRACE)))
	return (-1);

    bounce_log_init(&log);
    if ((found = bounce_log_read(service, req->queue_id, &log)) <= 0) {
	bounce_log_free(&log);
	return (found < 0 ? 1 : 0);
    }
    if (log.len == 0) {
	/* Every entry was damaged (and reported): nothing to tell. */
	msg_warn("%s: no usable entry in the %s log", req->queue_id, service);
	if (request != BOUNCE_REQ_WARN
	    && bounce_log_remove(service, req->queue_id) < 0 && errno != ENOENT)
	    msg_warn("%s: remove %s log: %m", req->queue_id, service);
	bounce_log_free(&log);
	return (0);
    }
    bounce_original_init(&orig);
    orig.queue_id = req->queue_id;
    orig.sender = req->sender;
    orig.dsn_envid = req->dsn_envid;
    orig.dsn_ret = req->dsn_ret;
    orig.smtputf8 = req->smtputf8;
    orig.encoding = req->encoding;
    (void) bounce_original_read(&orig, req->queue_name, req->queue_id,
				VAR_INT(bounce_size_limit) > 0 ?
				VAR_INT(bounce_size_limit) : 0);

    switch (request) {
    case BOUNCE_REQ_FLUSH:
	done = bounce_service_failure(req, &orig, &log);
	break;
    case BOUNCE_REQ_WARN:
	done = bounce_service_delay(req, &orig, &log);
	break;
    default:
	done = bounce_service_trace(req, &orig, &log);
	break;
    }
    if (done && request != BOUNCE_REQ_WARN
	&& bounce_log_remove(service, req->queue_id) < 0 && errno != ENOENT)
	msg_warn("%s: remove %s log: %m", req->queue_id, service);
    bounce_original_free(&orig);
    bounce_log_free(&log);
    return (done ? 0 : 1);
}
