/*
 * deliver_request - the delivery request protocol, both sides
 *
 * SYNOPSIS
 *	See deliver_request.h.
 *
 * DESCRIPTION
 *	docs/internals/delivery.md, section 2; the attribute names are in
 *	deliver_proto.h. The request is one attribute list that starts
 *	with "protocol=delivery"; each recipient is a nested list "rcpt",
 *	each result of the reply a nested list "result".
 *
 *	Limits: string values of at most DELIVER_VALUE_LIMIT bytes,
 *	addresses (recipient, original recipient, ORCPT) of at most
 *	DELIVER_MAX_ADDR bytes, at most DELIVER_MAX_RCPT recipients, and
 *	an attribute count that fits them (the default count limit of
 *	attr_list_read() would allow about 200).
 *
 *	Time limits: the agent sends its greeting and reads the request
 *	within one deadline of $ipc_timeout, and sends its reply within a
 *	new one. qmgr reads the greeting and writes the request within
 *	one deadline of $qmgr_ipc_timeout; deliver_request_reply() reads
 *	the reply within a new deadline of $qmgr_ipc_timeout, so qmgr
 *	calls it when the agent's socket is readable (the agent's own
 *	$<transport>_time_limit bounds a delivery).
 *
 *	The checks, on both sides (a request qmgr is about to send is
 *	checked as the agent will check it, so that a bad one never
 *	leaves): every message attribute of the table present and of its
 *	type (the client_*, sasl_*, log_ident and rewrite_context strings
 *	may be missing); flags within DEL_REQ_FLAG_MASK; a valid queue name
 *	and queue ID; data_offset > 0, data_size >= 0; smtputf8 0-7;
 *	dsn_ret 0-2; times >= 0; 1 to DELIVER_MAX_RCPT recipients, each
 *	with an address, an offset > 0 that no other recipient of the
 *	request has, and a dsn_notify mask of the DSN_NOTIFY_* bits
 *	(NEVER alone). A reply has status 0 or 1, and per result an
 *	offset of a recipient of the request (once), an outcome 0-2 and a
 *	valid DSN status.
 *
 *	On the agent side, req->results collects one entry per recipient
 *	(deliver_request_result()); when an agent reports a recipient more
 *	than once (local(8): an alias with several destinations), the
 *	worst outcome counts: deferred, then bounced, then sent. The reply
 *	lists the results in request order. A reply with status 0 in which
 *	some recipient has no outcome is sent as DEL_STAT_DEFER ("4.3.0
 *	delivery agent reported no outcome for some recipients"), so that
 *	qmgr defers what is not marked done.
 *
 *	The queue file is opened with mail_queue_open(): relative to the
 *	current directory ($queue_directory), read-write, with a shared
 *	flock() lock taken without waiting (postsuper locks exclusively
 *	while it changes a file).
 *
 *	What it does not do: read the queue file's records (mail_copy(3)
 *	does), log status lines (status_log(3)), or connect to the agent
 *	(qmgr does).
 *
 * DIAGNOSTICS
 *	Warnings (agent side): "<stream>: cannot send greeting: <error>",
 *	"<stream>: bad delivery request: <reason>", "<id>: cannot open
 *	queue file <queue>/<id>: <error>", "<id>: cannot lock queue file:
 *	<error>", "<id>: cannot seek to offset N: <error>", "<stream>:
 *	cannot send delivery reply: <error>", "deliver_request_result:
 *	<id>: no recipient at offset N", "deliver_request_result: <id>:
 *	bad DSN status <x>", "<id>: delivery agent reported no outcome
 *	for some recipients".
 *	Warnings (qmgr side): "<stream>: bad delivery request for <id>:
 *	<reason>", "<stream>: delivery agent greeting: <reason>",
 *	"<stream>: cannot send delivery request: <error>", "<stream>: bad
 *	delivery reply for <id>: <reason>".
 *	Panic: an outcome outside DELIVER_OUTCOME_*, a status other than
 *	DEL_STAT_OK and DEL_STAT_DEFER.
 */
#include "sys_defs.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>

#include "msg.h"
#include "mymalloc.h"
#include "excerpt.h"
#include "myflock.h"
#include "vstream.h"
#include "vstring.h"
#include "mail_params.h"
#include "mail_queue.h"
#include "queue_id.h"
#include "attr_list.h"
#include "dsn.h"
#include "deliver_proto.h"
#include "deliver_request.h"

#define DELIVER_VALUE_LIMIT	8192	/* bytes in a string value */
#define DELIVER_DSN_NOTIFY_ALL	(DSN_NOTIFY_NEVER | DSN_NOTIFY_SUCCESS \
				 | DSN_NOTIFY_FAILURE | DSN_NOTIFY_DELAY)
#define DELIVER_SMTPUTF8_MAX	7
#define DELIVER_DSN_RET_MAX	2

 /*
  * A request: about 25 message attributes and 6 per recipient; a reply:
  * 4 per recipient. Nested lists one deep.
  */
static const ATTR_LIMITS deliver_request_limits = {
    .value_limit = DELIVER_VALUE_LIMIT,
    .count_limit = 64 + 8 * DELIVER_MAX_RCPT,
    .depth_limit = 1,
};

/* deliver_request_str - "" for NULL */
static const char *deliver_request_str(const char *value)
{
    return value ? value : "";
}

/* deliver_request_alloc - an empty request */
DELIVER_REQUEST *deliver_request_alloc(void)
{
    DELIVER_REQUEST *req = mycalloc(1, sizeof(*req));

    msg_stats_init(&req->stats);
    recipient_list_init(&req->rcpt_list);
    req->fp = NULL;
    req->results = NULL;
    req->result_count = 0;
    return req;
}

/* deliver_request_free - free a request and its strings, close fp */
void    deliver_request_free(DELIVER_REQUEST *req)
{
    char  **strings[] = {
	&req->queue_name, &req->queue_id, &req->nexthop, &req->encoding,
	&req->sender, &req->dsn_envid, &req->client_name, &req->client_addr,
	&req->client_port, &req->client_proto, &req->client_helo,
	&req->sasl_method, &req->sasl_username, &req->sasl_sender,
	&req->log_ident, &req->rewrite_context, &req->reason,
    };
    size_t  n;

    for (n = 0; n < ARRAY_LEN(strings); n++)
	myfree(*strings[n]);
    recipient_list_free(&req->rcpt_list);
    myfree(req->results);
    if (req->fp != NULL)
	(void) vstream_fclose(req->fp);
    myfree(req);
}

/* deliver_request_notify_ok - a DSN_NOTIFY_* mask, NEVER alone */
static bool deliver_request_notify_ok(int notify)
{
    if (notify & ~DELIVER_DSN_NOTIFY_ALL)
	return false;
    if ((notify & DSN_NOTIFY_NEVER) && notify != DSN_NOTIFY_NEVER)
	return false;
    return true;
}

/* deliver_request_check_rcpt - one recipient; false: reason in why */
static bool deliver_request_check_rcpt(const RECIPIENT_LIST *list, int index,
				               VSTRING *why)
{
    const RECIPIENT *rcpt = list->info + index;
    int     n;

    if (strlen(rcpt->address) > DELIVER_MAX_ADDR
	|| strlen(rcpt->orig_addr) > DELIVER_MAX_ADDR
	|| strlen(rcpt->dsn_orcpt) > DELIVER_MAX_ADDR) {
	vstring_sprintf(why, "recipient %d: address longer than %d bytes",
			index + 1, DELIVER_MAX_ADDR);
	return false;
    }
    if (rcpt->offset <= 0) {
	vstring_sprintf(why, "recipient %d: bad offset %ld",
			index + 1, rcpt->offset);
	return false;
    }
    if (!deliver_request_notify_ok(rcpt->dsn_notify)) {
	vstring_sprintf(why, "recipient %d: bad dsn_notify %d",
			index + 1, rcpt->dsn_notify);
	return false;
    }
    for (n = 0; n < index; n++) {
	if (list->info[n].offset == rcpt->offset) {
	    vstring_sprintf(why, "recipients %d and %d: same offset %ld",
			    n + 1, index + 1, rcpt->offset);
	    return false;
	}
    }
    return true;
}

/* deliver_request_check - the checks of a whole request; false: why */
static bool deliver_request_check(const DELIVER_REQUEST *req, VSTRING *why)
{
    const char *queue_name = deliver_request_str(req->queue_name);
    const char *queue_id = deliver_request_str(req->queue_id);
    int     n;

    if (req->flags & ~DEL_REQ_FLAG_MASK) {
	vstring_sprintf(why, "bad flags 0x%x", (unsigned) req->flags);
	return false;
    }
    if (!mail_queue_name_ok(queue_name)) {
	vstring_sprintf(why, "bad queue name \"%s\"", excerpt(queue_name));
	return false;
    }
    if (!queue_id_valid(queue_id)) {
	vstring_sprintf(why, "bad queue ID \"%s\"", excerpt(queue_id));
	return false;
    }
    if (req->data_offset <= 0 || req->data_size < 0) {
	vstring_sprintf(why, "bad data offset %ld or size %ld",
			req->data_offset, req->data_size);
	return false;
    }
    if (req->smtputf8 < 0 || req->smtputf8 > DELIVER_SMTPUTF8_MAX) {
	vstring_sprintf(why, "bad smtputf8 %d", req->smtputf8);
	return false;
    }
    if (req->dsn_ret < 0 || req->dsn_ret > DELIVER_DSN_RET_MAX) {
	vstring_sprintf(why, "bad dsn_ret %d", req->dsn_ret);
	return false;
    }
    if (msg_stats_usec(&req->stats.incoming_arrival) < 0
	|| msg_stats_usec(&req->stats.active_arrival) < 0
	|| msg_stats_usec(&req->stats.agent_handoff) < 0) {
	vstring_strcpy(why, "negative time stamp");
	return false;
    }
    if (req->rcpt_list.len < 1 || req->rcpt_list.len > DELIVER_MAX_RCPT) {
	vstring_sprintf(why, "%d recipients (1 to %d allowed)",
			req->rcpt_list.len, DELIVER_MAX_RCPT);
	return false;
    }
    for (n = 0; n < req->rcpt_list.len; n++)
	if (!deliver_request_check_rcpt(&req->rcpt_list, n, why))
	    return false;
    return true;
}

/* deliver_request_add_rcpt - one "rcpt" nested list into the request */
static bool deliver_request_add_rcpt(DELIVER_REQUEST *req,
				             const ATTR_LIST *list, VSTRING *why)
{
    const char *address = NULL;
    const char *orig_rcpt = "";
    const char *dsn_orcpt = "";
    int     dsn_notify = 0;
    long    offset = 0;
    ATTR_WANT want[] = {
	{DELIVER_ATTR_ADDRESS, ATTR_TYPE_STR, ATTR_REQUIRED, &address},
	{DELIVER_ATTR_ORIG_RCPT, ATTR_TYPE_STR, ATTR_OPTIONAL, &orig_rcpt},
	{DELIVER_ATTR_DSN_ORCPT, ATTR_TYPE_STR, ATTR_OPTIONAL, &dsn_orcpt},
	{DELIVER_ATTR_DSN_NOTIFY, ATTR_TYPE_INT, ATTR_OPTIONAL, &dsn_notify},
	{DELIVER_ATTR_OFFSET, ATTR_TYPE_LONG, ATTR_REQUIRED, &offset},
    };

    if (req->rcpt_list.len >= DELIVER_MAX_RCPT) {
	vstring_sprintf(why, "more than %d recipients", DELIVER_MAX_RCPT);
	return false;
    }
    if (!attr_list_take(list, want, ARRAY_LEN(want), why)) {
	vstring_sprintf_prepend(why, "recipient %d: ", req->rcpt_list.len + 1);
	return false;
    }
    recipient_list_add(&req->rcpt_list, offset, dsn_orcpt, dsn_notify,
		       orig_rcpt, address);
    return deliver_request_check_rcpt(&req->rcpt_list,
				      req->rcpt_list.len - 1, why);
}

/* deliver_request_parse - a request from its attribute list; NULL: why */
static DELIVER_REQUEST *deliver_request_parse(const ATTR_LIST *list,
					              VSTRING *why)
{
    DELIVER_REQUEST *req = deliver_request_alloc();
    const char *queue_name = NULL, *queue_id = NULL, *nexthop = NULL;
    const char *encoding = NULL, *sender = NULL, *dsn_envid = NULL;
    const char *client_name = "", *client_addr = "", *client_port = "";
    const char *client_proto = "", *client_helo = "", *sasl_method = "";
    const char *sasl_username = "", *sasl_sender = "", *log_ident = "";
    const char *rewrite_context = "";
    long    time_arrival = 0, time_active = 0, time_handoff = 0;
    ATTR_WANT want[] = {
	{DELIVER_ATTR_FLAGS, ATTR_TYPE_INT, ATTR_REQUIRED, &req->flags},
	{DELIVER_ATTR_QUEUE_NAME, ATTR_TYPE_STR, ATTR_REQUIRED, &queue_name},
	{DELIVER_ATTR_QUEUE_ID, ATTR_TYPE_STR, ATTR_REQUIRED, &queue_id},
	{DELIVER_ATTR_DATA_OFFSET, ATTR_TYPE_LONG, ATTR_REQUIRED,
	&req->data_offset},
	{DELIVER_ATTR_DATA_SIZE, ATTR_TYPE_LONG, ATTR_REQUIRED,
	&req->data_size},
	{DELIVER_ATTR_NEXTHOP, ATTR_TYPE_STR, ATTR_REQUIRED, &nexthop},
	{DELIVER_ATTR_ENCODING, ATTR_TYPE_STR, ATTR_REQUIRED, &encoding},
	{DELIVER_ATTR_SMTPUTF8, ATTR_TYPE_INT, ATTR_REQUIRED, &req->smtputf8},
	{DELIVER_ATTR_SENDER, ATTR_TYPE_STR, ATTR_REQUIRED, &sender},
	{DELIVER_ATTR_DSN_ENVID, ATTR_TYPE_STR, ATTR_REQUIRED, &dsn_envid},
	{DELIVER_ATTR_DSN_RET, ATTR_TYPE_INT, ATTR_REQUIRED, &req->dsn_ret},
	{DELIVER_ATTR_TIME_ARRIVAL, ATTR_TYPE_LONG, ATTR_REQUIRED,
	&time_arrival},
	{DELIVER_ATTR_TIME_ACTIVE, ATTR_TYPE_LONG, ATTR_REQUIRED, &time_active},
	{DELIVER_ATTR_TIME_HANDOFF, ATTR_TYPE_LONG, ATTR_REQUIRED,
	&time_handoff},
	{DELIVER_ATTR_CLIENT_NAME, ATTR_TYPE_STR, ATTR_OPTIONAL, &client_name},
	{DELIVER_ATTR_CLIENT_ADDR, ATTR_TYPE_STR, ATTR_OPTIONAL, &client_addr},
	{DELIVER_ATTR_CLIENT_PORT, ATTR_TYPE_STR, ATTR_OPTIONAL, &client_port},
	{DELIVER_ATTR_CLIENT_PROTO, ATTR_TYPE_STR, ATTR_OPTIONAL,
	&client_proto},
	{DELIVER_ATTR_CLIENT_HELO, ATTR_TYPE_STR, ATTR_OPTIONAL, &client_helo},
	{DELIVER_ATTR_SASL_METHOD, ATTR_TYPE_STR, ATTR_OPTIONAL, &sasl_method},
	{DELIVER_ATTR_SASL_USERNAME, ATTR_TYPE_STR, ATTR_OPTIONAL,
	&sasl_username},
	{DELIVER_ATTR_SASL_SENDER, ATTR_TYPE_STR, ATTR_OPTIONAL, &sasl_sender},
	{DELIVER_ATTR_LOG_IDENT, ATTR_TYPE_STR, ATTR_OPTIONAL, &log_ident},
	{DELIVER_ATTR_REWRITE_CONTEXT, ATTR_TYPE_STR, ATTR_OPTIONAL,
	&rewrite_context},
    };
    const ATTR_LIST *rcpt;
    size_t  n;

    if (!attr_list_take(list, want, ARRAY_LEN(want), why)) {
	deliver_request_free(req);
	return NULL;
    }
    req->queue_name = mystrdup(queue_name);
    req->queue_id = mystrdup(queue_id);
    req->nexthop = mystrdup(nexthop);
    req->encoding = mystrdup(encoding);
    req->sender = mystrdup(sender);
    req->dsn_envid = mystrdup(dsn_envid);
    req->client_name = mystrdup(client_name);
    req->client_addr = mystrdup(client_addr);
    req->client_port = mystrdup(client_port);
    req->client_proto = mystrdup(client_proto);
    req->client_helo = mystrdup(client_helo);
    req->sasl_method = mystrdup(sasl_method);
    req->sasl_username = mystrdup(sasl_username);
    req->sasl_sender = mystrdup(sasl_sender);
    req->log_ident = mystrdup(log_ident);
    req->rewrite_context = mystrdup(rewrite_context);
    req->stats.incoming_arrival = msg_stats_tv(time_arrival);
    req->stats.active_arrival = msg_stats_tv(time_active);
    req->stats.agent_handoff = msg_stats_tv(time_handoff);
    if (time_arrival < 0 || time_active < 0 || time_handoff < 0) {
	vstring_strcpy(why, "negative time stamp");
	deliver_request_free(req);
	return NULL;
    }
    for (n = 0; n < attr_list_count(list); n++) {
	if (strcmp(attr_list_name(list, n), DELIVER_ATTR_RCPT) != 0)
	    continue;
	if ((rcpt = attr_list_list_at(list, n)) == NULL) {
	    vstring_sprintf(why, "attribute %s: expected list",
			    DELIVER_ATTR_RCPT);
	    deliver_request_free(req);
	    return NULL;
	}
	if (!deliver_request_add_rcpt(req, rcpt, why)) {
	    deliver_request_free(req);
	    return NULL;
	}
    }
    if (!deliver_request_check(req, why)) {
	deliver_request_free(req);
	return NULL;
    }
    return req;
}

/* deliver_request_open - the queue file, locked and positioned, or NULL */
static VSTREAM *deliver_request_open(const DELIVER_REQUEST *req)
{
    VSTREAM *fp;

    if ((fp = mail_queue_open(req->queue_name, req->queue_id, O_RDWR, 0)) == NULL) {
	msg_warn("%s: cannot open queue file %s/%s: %m",
		 req->queue_id, req->queue_name, req->queue_id);
	return NULL;
    }
    if (myflock(vstream_fileno(fp), MYFLOCK_STYLE_FLOCK,
		MYFLOCK_OP_SHARED | MYFLOCK_OP_NOWAIT) != MYFLOCK_OK) {
	msg_warn("%s: cannot lock queue file: %m", req->queue_id);
	(void) vstream_fclose(fp);
	return NULL;
    }
    if (vstream_fseek(fp, (off_t) req->data_offset, SEEK_SET) < 0) {
	msg_warn("%s: cannot seek to offset %ld: %m",
		 req->queue_id, req->data_offset);
	(void) vstream_fclose(fp);
	return NULL;
    }
    return fp;
}

/* deliver_request_read - greet, read and check a request, open the file */
int     deliver_request_read(VSTREAM *client, DELIVER_REQUEST **reqp)
{
    ATTR_LIST *list;
    VSTRING *why;
    DELIVER_REQUEST *req;

    *reqp = NULL;
    vstream_set_timeout(client, VAR_TIME(ipc_timeout));
    vstream_start_deadline(client);
    if (!attr_proto_greet(client, DELIVER_PROTOCOL, NULL)) {
	msg_warn("%s: cannot send greeting: %s", vstream_path(client),
		 vstream_ftimeout(client) ? "timeout" : strerror(errno));
	return -1;
    }
    list = attr_list_create();
    why = vstring_alloc(100);
    if (!attr_list_read(client, list, &deliver_request_limits, why)
	|| !attr_proto_check(list, DELIVER_PROTOCOL, why)
	|| (req = deliver_request_parse(list, why)) == NULL) {
	msg_warn("%s: bad delivery request: %s", vstream_path(client),
		 vstring_str(why));
	attr_list_free(list);
	vstring_free(why);
	return -1;
    }
    attr_list_free(list);
    vstring_free(why);
    req->fp = deliver_request_open(req);
    *reqp = req;
    return 0;
}

/* deliver_request_rank - how much an outcome weighs: deferred first */
static int deliver_request_rank(int outcome)
{
    switch (outcome) {
    case DELIVER_OUTCOME_SENT:
	return 0;
    case DELIVER_OUTCOME_BOUNCED:
	return 1;
    case DELIVER_OUTCOME_DEFERRED:
	return 2;
    default:
	msg_panic("deliver_request: bad outcome %d", outcome);
    }
}

/* deliver_request_default_status - a DSN status for an outcome */
static const char *deliver_request_default_status(int outcome)
{
    switch (outcome) {
    case DELIVER_OUTCOME_SENT:
	return "2.0.0";
    case DELIVER_OUTCOME_BOUNCED:
	return "5.0.0";
    default:
	return "4.0.0";
    }
}

/* deliver_request_find_rcpt - the index of the recipient at offset, or -1 */
static int deliver_request_find_rcpt(const DELIVER_REQUEST *req, long offset)
{
    int     n;

    for (n = 0; n < req->rcpt_list.len; n++)
	if (req->rcpt_list.info[n].offset == offset)
	    return n;
    return -1;
}

/* deliver_request_find_result - the result for offset, or NULL */
static DELIVER_RESULT *deliver_request_find_result(const DELIVER_REQUEST *req,
						           long offset)
{
    int     n;

    for (n = 0; n < req->result_count; n++)
	if (req->results[n].offset == offset)
	    return req->results + n;
    return NULL;
}

/* deliver_request_set_status - copy a checked DSN status into a result */
static void deliver_request_set_status(DELIVER_RESULT *result,
				               const char *dsn_status)
{
    size_t  len = strlen(dsn_status);

    if (len >= sizeof(result->dsn_status))
	msg_panic("deliver_request: DSN status too long");
    memcpy(result->dsn_status, dsn_status, len + 1);
}

/* deliver_request_result - record one recipient's outcome for the reply */
void    deliver_request_result(DELIVER_REQUEST *req, const RECIPIENT *rcpt,
			               int outcome, const char *dsn_status)
{
    DELIVER_RESULT *result;
    int     rank = deliver_request_rank(outcome);

    if (deliver_request_find_rcpt(req, rcpt->offset) < 0) {
	msg_warn("deliver_request_result: %s: no recipient at offset %ld",
		 deliver_request_str(req->queue_id), rcpt->offset);
	return;
    }
    if (dsn_status == NULL || !dsn_valid_status(dsn_status)) {
	msg_warn("deliver_request_result: %s: bad DSN status %s",
		 deliver_request_str(req->queue_id),
		 dsn_status ? excerpt(dsn_status) : "(none)");
	dsn_status = deliver_request_default_status(outcome);
    }
    if ((result = deliver_request_find_result(req, rcpt->offset)) == NULL) {
	req->results = myrealloc(req->results, (req->result_count + 1)
				 * sizeof(*req->results));
	result = req->results + req->result_count++;
	result->offset = rcpt->offset;
    } else if (deliver_request_rank(result->outcome) > rank) {
	return;
    }
    result->outcome = outcome;
    deliver_request_set_status(result, dsn_status);
}

/* deliver_request_done - send the reply, free the request */
int     deliver_request_done(VSTREAM *client, DELIVER_REQUEST *req, int status)
{
    ATTR_LIST *reply = attr_list_create();
    const DELIVER_RESULT *result;
    ATTR_LIST *item;
    const char *reason = deliver_request_str(req->reason);
    int     missing = 0;
    int     ret = 0;
    int     n;

    if (status != DEL_STAT_OK && status != DEL_STAT_DEFER)
	msg_panic("deliver_request_done: bad status %d", status);
    for (n = 0; n < req->rcpt_list.len; n++)
	if (deliver_request_find_result(req, req->rcpt_list.info[n].offset)
	    == NULL)
	    missing++;
    if (status == DEL_STAT_OK && missing > 0) {
	msg_warn("%s: delivery agent reported no outcome for some recipients",
		 deliver_request_str(req->queue_id));
	status = DEL_STAT_DEFER;
	reason = "4.3.0 delivery agent reported no outcome for some recipients";
    } else if (status == DEL_STAT_DEFER && *reason == 0) {
	reason = "4.3.0 delivery agent error";
    }
    attr_list_add_int(reply, DELIVER_ATTR_STATUS, status);
    /* With a dead next hop qmgr defers the rest with this reason. */
    if (status == DEL_STAT_DEFER || (req->dead && *reason != 0))
	attr_list_add_str(reply, DELIVER_ATTR_REASON, reason);
    for (n = 0; n < req->rcpt_list.len; n++) {
	result = deliver_request_find_result(req,
					     req->rcpt_list.info[n].offset);
	if (result == NULL)
	    continue;
	item = attr_list_add_list(reply, DELIVER_ATTR_RESULT);
	attr_list_add_long(item, DELIVER_ATTR_OFFSET, result->offset);
	attr_list_add_int(item, DELIVER_ATTR_OUTCOME, result->outcome);
	attr_list_add_str(item, DELIVER_ATTR_DSN_STATUS, result->dsn_status);
    }
    attr_list_add_int(reply, DELIVER_ATTR_DEAD, req->dead ? 1 : 0);
    vstream_set_timeout(client, VAR_TIME(ipc_timeout));
    vstream_start_deadline(client);
    if (!attr_list_write(client, reply) || vstream_fflush(client) != 0) {
	msg_warn("%s: cannot send delivery reply: %s", vstream_path(client),
		 vstream_ftimeout(client) ? "timeout" : strerror(errno));
	ret = -1;
    }
    attr_list_free(reply);
    deliver_request_free(req);
    return ret;
}

/* deliver_request_build - the request as an attribute list */
static ATTR_LIST *deliver_request_build(const DELIVER_REQUEST *req)
{
    ATTR_LIST *list = attr_proto_request(DELIVER_PROTOCOL, NULL);
    const RECIPIENT *rcpt;
    ATTR_LIST *item;
    int     n;

    attr_list_add_int(list, DELIVER_ATTR_FLAGS, req->flags);
    attr_list_add_str(list, DELIVER_ATTR_QUEUE_NAME,
		      deliver_request_str(req->queue_name));
    attr_list_add_str(list, DELIVER_ATTR_QUEUE_ID,
		      deliver_request_str(req->queue_id));
    attr_list_add_long(list, DELIVER_ATTR_DATA_OFFSET, req->data_offset);
    attr_list_add_long(list, DELIVER_ATTR_DATA_SIZE, req->data_size);
    attr_list_add_str(list, DELIVER_ATTR_NEXTHOP,
		      deliver_request_str(req->nexthop));
    attr_list_add_str(list, DELIVER_ATTR_ENCODING,
		      deliver_request_str(req->encoding));
    attr_list_add_int(list, DELIVER_ATTR_SMTPUTF8, req->smtputf8);
    attr_list_add_str(list, DELIVER_ATTR_SENDER,
		      deliver_request_str(req->sender));
    attr_list_add_str(list, DELIVER_ATTR_DSN_ENVID,
		      deliver_request_str(req->dsn_envid));
    attr_list_add_int(list, DELIVER_ATTR_DSN_RET, req->dsn_ret);
    attr_list_add_long(list, DELIVER_ATTR_TIME_ARRIVAL,
		       msg_stats_usec(&req->stats.incoming_arrival));
    attr_list_add_long(list, DELIVER_ATTR_TIME_ACTIVE,
		       msg_stats_usec(&req->stats.active_arrival));
    attr_list_add_long(list, DELIVER_ATTR_TIME_HANDOFF,
		       msg_stats_usec(&req->stats.agent_handoff));
    attr_list_add_str(list, DELIVER_ATTR_CLIENT_NAME,
		      deliver_request_str(req->client_name));
    attr_list_add_str(list, DELIVER_ATTR_CLIENT_ADDR,
		      deliver_request_str(req->client_addr));
    attr_list_add_str(list, DELIVER_ATTR_CLIENT_PORT,
		      deliver_request_str(req->client_port));
    attr_list_add_str(list, DELIVER_ATTR_CLIENT_PROTO,
		      deliver_request_str(req->client_proto));
    attr_list_add_str(list, DELIVER_ATTR_CLIENT_HELO,
		      deliver_request_str(req->client_helo));
    attr_list_add_str(list, DELIVER_ATTR_SASL_METHOD,
		      deliver_request_str(req->sasl_method));
    attr_list_add_str(list, DELIVER_ATTR_SASL_USERNAME,
		      deliver_request_str(req->sasl_username));
    attr_list_add_str(list, DELIVER_ATTR_SASL_SENDER,
		      deliver_request_str(req->sasl_sender));
    attr_list_add_str(list, DELIVER_ATTR_LOG_IDENT,
		      deliver_request_str(req->log_ident));
    attr_list_add_str(list, DELIVER_ATTR_REWRITE_CONTEXT,
		      deliver_request_str(req->rewrite_context));
    for (n = 0; n < req->rcpt_list.len; n++) {
	rcpt = req->rcpt_list.info + n;
	item = attr_list_add_list(list, DELIVER_ATTR_RCPT);
	attr_list_add_str(item, DELIVER_ATTR_ADDRESS, rcpt->address);
	attr_list_add_str(item, DELIVER_ATTR_ORIG_RCPT, rcpt->orig_addr);
	attr_list_add_str(item, DELIVER_ATTR_DSN_ORCPT, rcpt->dsn_orcpt);
	attr_list_add_int(item, DELIVER_ATTR_DSN_NOTIFY, rcpt->dsn_notify);
	attr_list_add_long(item, DELIVER_ATTR_OFFSET, rcpt->offset);
    }
    return list;
}

/* deliver_request_send - check the greeting, send the request */
int     deliver_request_send(VSTREAM *agent, DELIVER_REQUEST *req)
{
    VSTRING *why = vstring_alloc(100);
    ATTR_LIST *list;
    int     ret = -1;

    if (!deliver_request_check(req, why)) {
	msg_warn("%s: bad delivery request for %s: %s", vstream_path(agent),
		 excerpt(deliver_request_str(req->queue_id)),
		 vstring_str(why));
	vstring_free(why);
	return -1;
    }
    vstream_set_timeout(agent, VAR_TIME(qmgr_ipc_timeout));
    vstream_start_deadline(agent);
    list = attr_list_create();
    if (!attr_proto_expect(agent, DELIVER_PROTOCOL, list, why)) {
	msg_warn("%s: delivery agent greeting: %s", vstream_path(agent),
		 vstring_str(why));
    } else {
	attr_list_free(list);
	list = deliver_request_build(req);
	if (!attr_list_write(agent, list) || vstream_fflush(agent) != 0)
	    msg_warn("%s: cannot send delivery request: %s",
		     vstream_path(agent),
		     vstream_ftimeout(agent) ? "timeout" : strerror(errno));
	else
	    ret = 0;
    }
    attr_list_free(list);
    vstring_free(why);
    return ret;
}

/* deliver_request_add_result - one "result" nested list; false: why */
static bool deliver_request_add_result(DELIVER_REQUEST *req,
				               const ATTR_LIST *list,
				               VSTRING *why)
{
    long    offset = 0;
    int     outcome = 0;
    const char *dsn_status = NULL;
    DELIVER_RESULT *result;
    ATTR_WANT want[] = {
	{DELIVER_ATTR_OFFSET, ATTR_TYPE_LONG, ATTR_REQUIRED, &offset},
	{DELIVER_ATTR_OUTCOME, ATTR_TYPE_INT, ATTR_REQUIRED, &outcome},
	{DELIVER_ATTR_DSN_STATUS, ATTR_TYPE_STR, ATTR_REQUIRED, &dsn_status},
    };

    if (!attr_list_take(list, want, ARRAY_LEN(want), why))
	return false;
    if (deliver_request_find_rcpt(req, offset) < 0) {
	vstring_sprintf(why, "result for unknown offset %ld", offset);
	return false;
    }
    if (deliver_request_find_result(req, offset) != NULL) {
	vstring_sprintf(why, "second result for offset %ld", offset);
	return false;
    }
    if (outcome != DELIVER_OUTCOME_SENT && outcome != DELIVER_OUTCOME_DEFERRED
	&& outcome != DELIVER_OUTCOME_BOUNCED) {
	vstring_sprintf(why, "bad outcome %d for offset %ld", outcome, offset);
	return false;
    }
    if (!dsn_valid_status(dsn_status)) {
	vstring_sprintf(why, "bad DSN status \"%s\" for offset %ld",
			excerpt(dsn_status), offset);
	return false;
    }
    req->results = myrealloc(req->results, (req->result_count + 1)
			     * sizeof(*req->results));
    result = req->results + req->result_count++;
    result->offset = offset;
    result->outcome = outcome;
    deliver_request_set_status(result, dsn_status);
    return true;
}

/* deliver_request_parse_reply - the reply into req; false: why */
static bool deliver_request_parse_reply(DELIVER_REQUEST *req,
				              const ATTR_LIST *list, VSTRING *why)
{
    int     status = -1;
    int     dead = 0;
    const char *reason = "";
    const ATTR_LIST *item;
    ATTR_WANT want[] = {
	{DELIVER_ATTR_STATUS, ATTR_TYPE_INT, ATTR_REQUIRED, &status},
	{DELIVER_ATTR_REASON, ATTR_TYPE_STR, ATTR_OPTIONAL, &reason},
	{DELIVER_ATTR_DEAD, ATTR_TYPE_INT, ATTR_OPTIONAL, &dead},
    };
    size_t  n;

    if (!attr_list_take(list, want, ARRAY_LEN(want), why))
	return false;
    if (status != DEL_STAT_OK && status != DEL_STAT_DEFER) {
	vstring_sprintf(why, "bad status %d", status);
	return false;
    }
    if (dead != 0 && dead != 1) {
	vstring_sprintf(why, "bad dead flag %d", dead);
	return false;
    }
    for (n = 0; n < attr_list_count(list); n++) {
	if (strcmp(attr_list_name(list, n), DELIVER_ATTR_RESULT) != 0)
	    continue;
	if ((item = attr_list_list_at(list, n)) == NULL) {
	    vstring_sprintf(why, "attribute %s: expected list",
			    DELIVER_ATTR_RESULT);
	    return false;
	}
	if (!deliver_request_add_result(req, item, why))
	    return false;
    }
    req->status = status;
    req->dead = dead;
    myfree(req->reason);
    req->reason = mystrdup(status == DEL_STAT_DEFER && *reason == 0 ?
			   "4.3.0 delivery agent error" : reason);
    return true;
}

/* deliver_request_reply - read the agent's reply into req */
int     deliver_request_reply(VSTREAM *agent, DELIVER_REQUEST *req)
{
    ATTR_LIST *list = attr_list_create();
    VSTRING *why = vstring_alloc(100);
    int     ret = 0;

    myfree(req->results);
    req->results = NULL;
    req->result_count = 0;
    vstream_set_timeout(agent, VAR_TIME(qmgr_ipc_timeout));
    vstream_start_deadline(agent);
    if (!attr_list_read(agent, list, &deliver_request_limits, why)
	|| !deliver_request_parse_reply(req, list, why)) {
	msg_warn("%s: bad delivery reply for %s: %s", vstream_path(agent),
		 excerpt(deliver_request_str(req->queue_id)),
		 vstring_str(why));
	myfree(req->results);
	req->results = NULL;
	req->result_count = 0;
	ret = -1;
    }
    attr_list_free(list);
    vstring_free(why);
    return ret;
}
