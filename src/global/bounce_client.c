/*
 * bounce_client - record recipient outcomes; ask for notifications
 *
 * SYNOPSIS
 *	See bounce_client.h.
 *
 * DESCRIPTION
 *	docs/internals/delivery.md, section 3. Each request to the
 *	bounce, defer or trace service ($bounce_service_name,
 *	$defer_service_name, $trace_service_name under private/) is one
 *	connection: connect, read the greeting "protocol=bounce", send
 *	"protocol=bounce" and "i request" with the request's attributes,
 *	read "i status" (0 done) and an optional reason, close. Connect,
 *	greeting, request and reply share one deadline of $ipc_timeout.
 *
 *	APPEND carries the recipient as one nested list "rcpt" with the
 *	names of the delivery request (deliver_proto.h), and time_log in
 *	seconds since the epoch.
 *
 *	Status codes, as Postfix (observed with Debian's Postfix 3.7):
 *	bounce_append() of a status whose class is not 5 logs "warning:
 *	bounce_append: ignoring dsn code "4.2.0"" and uses "5.0.0";
 *	defer_append() does the same for a class other than 4 ("4.0.0").
 *	soft_bounce = yes turns a bounce into a defer with the class made
 *	4, logged as status=SOFTBOUNCE (as Debian's Postfix 3.7 logs
 *	it). A bounce log entry always has the action "failed", a defer
 *	log entry "delayed" (RFC 3464), whatever the DSN said.
 *
 *	defer_append() also gives the recipient's domain and the queue
 *	ID to flush(8) (flush_add(), only for $fast_flush_domains), as
 *	Postfix does, so that ETRN and postqueue -s find the message; a
 *	flush(8) failure is a warning "<id>: flush service failure".
 *
 *	Address verification probes (DEL_REQ_FLAG_VERIFY): sent() logs
 *	status=deliverable, bounce_append() and defer_append()
 *	status=undeliverable (as Debian's error(8) logs a deferred probe:
 *	"dsn=4.4.1, status=undeliverable"), without a bounce or defer log
 *	entry. The outcome goes to verify(8) for its probes
 *	(DEL_REQ_FLAG_MTA_VERIFY: verify_clnt_update() of the original
 *	recipient, else the address, with status 0/1/2 and the text
 *	"<dsn> <reason>"; a failure there is a warning only), or to the
 *	trace log with the action "deliverable" or "undeliverable" for a
 *	user's probe (sendmail -bv: the report is made from it; a trace
 *	failure returns -1, so the recipient is tried again). A probe is
 *	never deferred: a deferred outcome marks the recipient done
 *	(deliver_completed()) and is reported to qmgr as bounced, so that
 *	the probe message goes away as Postfix's do.
 *
 *	With DEL_REQ_FLAG_RECORD (sendmail -v) every outcome is also
 *	appended to the trace log; a trace failure then, or for a
 *	NOTIFY=SUCCESS recipient of sent(), is a warning only: the outcome
 *	itself is recorded, and the recipient is not delivered again for
 *	the sake of a report.
 *
 *	What it does not do: write any log file itself (bounce(8) does),
 *	or mark recipients done (deliver_completed(3)).
 *
 * DIAGNOSTICS
 *	Warnings: "<service> service: <reason>" when a request fails
 *	(connect, greeting, timeout, a malformed reply, a refusal: the
 *	service's reason); "<id>: cannot record outcome of <addr>: ...";
 *	"bounce_append: ignoring dsn code "<x>"", "defer_append: ignoring
 *	dsn code "<x>"".
 */
#include "sys_defs.h"

#include <fcntl.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "excerpt.h"
#include "connect.h"
#include "iostuff.h"
#include "vstream.h"
#include "vstring.h"
#include "mail_params.h"
#include "mail_endpoint.h"
#include "attr_list.h"
#include "attr_call.h"
#include "dsn.h"
#include "deliver_proto.h"
#include "deliver_request.h"
#include "status_log.h"
#include "bounce_proto.h"
#include "bounce_client.h"
#include "verify_clnt.h"
#include "flush_clnt.h"

#define BOUNCE_CLIENT_FAIL_STATUS	"4.3.0"
#define BOUNCE_CLIENT_FAIL_REASON	"bounce or trace service failure"

/* bounce_client_call - one request on a new connection; 0 or -1 */
static int bounce_client_call(const char *service, const ATTR_LIST *request)
{
    char   *endpoint = concatenate("private/", service, (char *) 0);
    char   *path = mail_endpoint_path(endpoint);
    VSTRING *why = vstring_alloc(100);
    ATTR_LIST *reply = attr_list_create();
    const char *reason = "";
    int     status = -1;
    ATTR_WANT want[] = {
	{BOUNCE_ATTR_STATUS, ATTR_TYPE_INT, ATTR_REQUIRED, &status},
	{ATTR_REASON, ATTR_TYPE_STR, ATTR_OPTIONAL, &reason},
    };

    if (!attr_call(path, path, BOUNCE_PROTOCOL, request, reply, why)
	|| !attr_list_take(reply, want, ARRAY_LEN(want), why)) {
	msg_warn("%s service: %s", service, vstring_str(why));
	status = -1;
    } else if (status != 0) {
	msg_warn("%s service: request failed%s%s", service,
		 *reason ? ": " : "", excerpt(reason));
	status = -1;
    }
    attr_list_free(reply);
    vstring_free(why);
    myfree(path);
    myfree(endpoint);
    return status;
}

/* bounce_client_str - "" for NULL */
static const char *bounce_client_str(const char *value)
{
    return value ? value : "";
}

/* bounce_client_append - APPEND one recipient to a service's log */
static int bounce_client_append(const char *service, DELIVER_REQUEST *req,
				        RECIPIENT *rcpt, const char *relay,
				        DSN *dsn)
{
    ATTR_LIST *request = attr_proto_request(BOUNCE_PROTOCOL, NULL);
    ATTR_LIST *item;
    int     status;

    attr_list_add_int(request, BOUNCE_ATTR_REQUEST, BOUNCE_REQ_APPEND);
    attr_list_add_int(request, DELIVER_ATTR_FLAGS, req->flags);
    attr_list_add_str(request, DELIVER_ATTR_QUEUE_ID,
		      bounce_client_str(req->queue_id));
    item = attr_list_add_list(request, DELIVER_ATTR_RCPT);
    attr_list_add_str(item, DELIVER_ATTR_ADDRESS,
		      bounce_client_str(rcpt->address));
    attr_list_add_str(item, DELIVER_ATTR_ORIG_RCPT,
		      bounce_client_str(rcpt->orig_addr));
    attr_list_add_str(item, DELIVER_ATTR_DSN_ORCPT,
		      bounce_client_str(rcpt->dsn_orcpt));
    attr_list_add_int(item, DELIVER_ATTR_DSN_NOTIFY, rcpt->dsn_notify);
    attr_list_add_long(item, DELIVER_ATTR_OFFSET, rcpt->offset);
    attr_list_add_str(request, BOUNCE_ATTR_STATUS,
		      bounce_client_str(dsn->status));
    attr_list_add_str(request, BOUNCE_ATTR_ACTION,
		      bounce_client_str(dsn->action));
    attr_list_add_str(request, BOUNCE_ATTR_REASON,
		      bounce_client_str(dsn->reason));
    attr_list_add_str(request, BOUNCE_ATTR_DTYPE,
		      bounce_client_str(dsn->dtype));
    attr_list_add_str(request, BOUNCE_ATTR_DTEXT,
		      bounce_client_str(dsn->dtext));
    attr_list_add_str(request, BOUNCE_ATTR_MTYPE,
		      bounce_client_str(dsn->mtype));
    attr_list_add_str(request, BOUNCE_ATTR_MNAME,
		      bounce_client_str(dsn->mname));
    attr_list_add_str(request, BOUNCE_ATTR_RELAY,
		      relay ? relay : "none");
    attr_list_add_long(request, BOUNCE_ATTR_TIME_LOG, (long) time((time_t *) 0));
    status = bounce_client_call(service, request);
    attr_list_free(request);
    return status;
}

/* bounce_client_done_now - the delivery's end time stamp */
static void bounce_client_done_now(DELIVER_REQUEST *req)
{
    (void) gettimeofday(&req->stats.deliver_done, (struct timezone *) 0);
}

/* bounce_client_trace - trace copy when asked for; a failure is a warning */
static void bounce_client_trace(DELIVER_REQUEST *req, RECIPIENT *rcpt,
				        const char *relay, DSN *dsn)
{
    if (bounce_client_append(VAR_STR(trace_service_name), req, rcpt,
			     relay, dsn) != 0)
	msg_warn("%s: cannot record delivery report for %s",
		 bounce_client_str(req->queue_id), excerpt(rcpt->address));
}

/* bounce_client_class - dsn with the status class forced, or as it is */
static DSN *bounce_client_class(DSN *copy, VSTRING *status, const DSN *dsn,
				        int class, const char *caller)
{
    *copy = *dsn;
    if (dsn->status && dsn->status[0] == class && dsn_valid_status(dsn->status))
	return copy;
    msg_warn("%s: ignoring dsn code \"%s\"", caller,
	     excerpt(bounce_client_str(dsn->status)));
    vstring_sprintf(status, "%c.0.0", class);
    copy->status = vstring_str(status);
    return copy;
}

/* bounce_client_verify - a probe's outcome: to verify(8) or to trace */
static int bounce_client_verify(DELIVER_REQUEST *req, RECIPIENT *rcpt,
				        const char *relay, DSN *dsn,
				        int outcome)
{
    const char *result = outcome == DELIVER_OUTCOME_SENT ?
    "deliverable" : "undeliverable";
    const char *address = (rcpt->orig_addr && *rcpt->orig_addr) ?
    rcpt->orig_addr : bounce_client_str(rcpt->address);
    VSTRING *text;
    DSN     report = *dsn;
    int     addr_status;

    if (req->flags & DEL_REQ_FLAG_MTA_VERIFY) {
	addr_status = outcome == DELIVER_OUTCOME_SENT ? VERIFY_ADDR_OK :
	    outcome == DELIVER_OUTCOME_DEFERRED ? VERIFY_ADDR_DEFER :
	    VERIFY_ADDR_BOUNCE;
	text = vstring_alloc(100);
	vstring_sprintf(text, "%s %s", bounce_client_str(dsn->status),
			bounce_client_str(dsn->reason));
	if (verify_clnt_update(address, addr_status, vstring_str(text))
	    != VERIFY_STAT_OK)
	    msg_warn("%s: cannot update the verification status of %s",
		     bounce_client_str(req->queue_id), excerpt(address));
	vstring_free(text);
    } else {
	report.action = result;
	if (trace_append(req, rcpt, relay, &report) != 0) {
	    msg_warn("%s: cannot record delivery report for %s",
		     bounce_client_str(req->queue_id), excerpt(rcpt->address));
	    return (-1);
	}
    }
    status_log(req, rcpt, relay, dsn, result);
    if (outcome == DELIVER_OUTCOME_DEFERRED && req->fp != NULL) {
	deliver_completed(req, rcpt);
	outcome = DELIVER_OUTCOME_BOUNCED;
    }
    deliver_request_result(req, rcpt, outcome, dsn->status);
    return (0);
}

/* sent - log and record a delivery; trace copy when asked for */
int     sent(DELIVER_REQUEST *req, RECIPIENT *rcpt, const char *relay,
	             DSN *dsn)
{
    DSN     trace_dsn;

    bounce_client_done_now(req);
    if (req->flags & DEL_REQ_FLAG_VERIFY)
	return (bounce_client_verify(req, rcpt, relay, dsn,
				     DELIVER_OUTCOME_SENT));
    if ((req->flags & DEL_REQ_FLAG_RECORD)
	|| (rcpt->dsn_notify & DSN_NOTIFY_SUCCESS)) {
	trace_dsn = *dsn;
	if (trace_dsn.action == NULL || *trace_dsn.action == 0)
	    trace_dsn.action = "delivered";
	bounce_client_trace(req, rcpt, relay, &trace_dsn);
    }
    status_log(req, rcpt, relay, dsn, "sent");
    deliver_request_result(req, rcpt, DELIVER_OUTCOME_SENT, dsn->status);
    return 0;
}

/* bounce_client_flush_add - fast flush log entry for a deferred recipient */
static void bounce_client_flush_add(DELIVER_REQUEST *req, RECIPIENT *rcpt)
{
    const char *domain = strrchr(rcpt->address, '@');

    /* As Postfix: flush(8) keeps logs of eligible domains (flush_clnt(3)). */
    if (domain != 0 && domain[1] != 0 && req->queue_id != 0
	&& flush_add(domain + 1, req->queue_id) == FLUSH_STAT_FAIL)
	msg_warn("%s: flush service failure", req->queue_id);
}

/* bounce_client_defer - append to the defer log, log status=<word> */
static int bounce_client_defer(DELIVER_REQUEST *req, RECIPIENT *rcpt,
			               const char *relay, DSN *dsn,
			               const char *word)
{
    VSTRING *status = vstring_alloc(10);
    DSN     copy;
    DSN    *use = bounce_client_class(&copy, status, dsn, '4', "defer_append");
    int     ret;

    bounce_client_done_now(req);
    use->action = "delayed";
    if (req->flags & DEL_REQ_FLAG_VERIFY) {
	/* As Postfix: a probe that would be deferred is undeliverable. */
	ret = bounce_client_verify(req, rcpt, relay, use,
				   DELIVER_OUTCOME_DEFERRED);
    } else if (bounce_client_append(VAR_STR(defer_service_name), req, rcpt,
				    relay, use) != 0) {
	msg_warn("%s: cannot record outcome of %s: defer service failure",
		 bounce_client_str(req->queue_id), excerpt(rcpt->address));
	ret = -1;
    } else {
	if (req->flags & DEL_REQ_FLAG_RECORD)
	    bounce_client_trace(req, rcpt, relay, use);
	status_log(req, rcpt, relay, use, word);
	bounce_client_flush_add(req, rcpt);
	deliver_request_result(req, rcpt, DELIVER_OUTCOME_DEFERRED,
			       use->status);
	ret = 0;
    }
    vstring_free(status);
    return ret;
}

/* defer_append - append to the defer log, log status=deferred */
int     defer_append(DELIVER_REQUEST *req, RECIPIENT *rcpt,
		             const char *relay, DSN *dsn)
{
    return bounce_client_defer(req, rcpt, relay, dsn, "deferred");
}

/* bounce_append - append to the bounce log, log status=bounced */
int     bounce_append(DELIVER_REQUEST *req, RECIPIENT *rcpt,
		              const char *relay, DSN *dsn)
{
    VSTRING *status = vstring_alloc(10);
    DSN     copy;
    DSN     soft;
    DSN    *use;
    int     ret = 0;

    bounce_client_done_now(req);
    if (VAR_BOOL(soft_bounce)) {
	soft = *dsn;
	if (dsn->status && dsn->status[0] == '5') {
	    vstring_strcpy(status, dsn->status);
	    vstring_str(status)[0] = '4';
	    soft.status = vstring_str(status);
	}
	soft.action = "delayed";
	/* As Postfix 3.x: logged as status=SOFTBOUNCE. */
	ret = bounce_client_defer(req, rcpt, relay, &soft, "SOFTBOUNCE");
	vstring_free(status);
	return ret;
    }
    use = bounce_client_class(&copy, status, dsn, '5', "bounce_append");
    use->action = "failed";
    if (req->flags & DEL_REQ_FLAG_VERIFY) {
	ret = bounce_client_verify(req, rcpt, relay, use,
				   DELIVER_OUTCOME_BOUNCED);
    } else if ((rcpt->dsn_notify & DSN_NOTIFY_NEVER) == 0
	       && bounce_client_append(VAR_STR(bounce_service_name), req,
				       rcpt, relay, use) != 0) {
	msg_warn("%s: cannot record outcome of %s: bounce service failure",
		 bounce_client_str(req->queue_id), excerpt(rcpt->address));
	dsn_simple(&soft, BOUNCE_CLIENT_FAIL_STATUS, BOUNCE_CLIENT_FAIL_REASON);
	ret = defer_append(req, rcpt, relay, &soft);
    } else {
	if (req->flags & DEL_REQ_FLAG_RECORD)
	    bounce_client_trace(req, rcpt, relay, use);
	status_log(req, rcpt, relay, use, "bounced");
	deliver_request_result(req, rcpt, DELIVER_OUTCOME_BOUNCED, use->status);
    }
    vstring_free(status);
    return ret;
}

/* trace_append - append to the trace log only */
int     trace_append(DELIVER_REQUEST *req, RECIPIENT *rcpt,
		             const char *relay, DSN *dsn)
{
    return bounce_client_append(VAR_STR(trace_service_name), req, rcpt,
				relay, dsn);
}

/* bounce_client_notify - FLUSH, WARN or TRACE of one message */
static int bounce_client_notify(const char *service, int code,
				        DELIVER_REQUEST *msg)
{
    ATTR_LIST *request = attr_proto_request(BOUNCE_PROTOCOL, NULL);
    int     status;

    attr_list_add_int(request, BOUNCE_ATTR_REQUEST, code);
    attr_list_add_int(request, DELIVER_ATTR_FLAGS, msg->flags);
    attr_list_add_str(request, DELIVER_ATTR_QUEUE_NAME,
		      bounce_client_str(msg->queue_name));
    attr_list_add_str(request, DELIVER_ATTR_QUEUE_ID,
		      bounce_client_str(msg->queue_id));
    attr_list_add_str(request, DELIVER_ATTR_ENCODING,
		      bounce_client_str(msg->encoding));
    attr_list_add_int(request, DELIVER_ATTR_SMTPUTF8, msg->smtputf8);
    attr_list_add_str(request, DELIVER_ATTR_SENDER,
		      bounce_client_str(msg->sender));
    attr_list_add_str(request, DELIVER_ATTR_DSN_ENVID,
		      bounce_client_str(msg->dsn_envid));
    attr_list_add_int(request, DELIVER_ATTR_DSN_RET, msg->dsn_ret);
    status = bounce_client_call(service, request);
    attr_list_free(request);
    return status;
}

/* bounce_flush - send the non-delivery notification */
int     bounce_flush(DELIVER_REQUEST *msg)
{
    return bounce_client_notify(VAR_STR(bounce_service_name),
				BOUNCE_REQ_FLUSH, msg);
}

/* defer_flush - the message expired: bounce the defer log's recipients */
int     defer_flush(DELIVER_REQUEST *msg)
{
    return bounce_client_notify(VAR_STR(defer_service_name),
				BOUNCE_REQ_FLUSH, msg);
}

/* defer_warn - send the delay warning */
int     defer_warn(DELIVER_REQUEST *msg)
{
    return bounce_client_notify(VAR_STR(defer_service_name),
				BOUNCE_REQ_WARN, msg);
}

/* trace_flush - send the delivery status report */
int     trace_flush(DELIVER_REQUEST *msg)
{
    return bounce_client_notify(VAR_STR(trace_service_name),
				BOUNCE_REQ_TRACE, msg);
}
