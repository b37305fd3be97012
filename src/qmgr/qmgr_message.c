/*
 * qmgr_message - messages in the active queue: envelope and recipients
 *
 * SYNOPSIS
 *	#include "qmgr.h"
 *
 *	QMGR_MESSAGE *qmgr_message_alloc(const char *queue, const char *id,
 *					bool flush);
 *	bool	qmgr_message_realloc(QMGR_MESSAGE *message);
 *	void	qmgr_message_free(QMGR_MESSAGE *message);
 *	DELIVER_REQUEST *qmgr_message_request(const QMGR_MESSAGE *message);
 *	void	qmgr_message_refill(QMGR_MESSAGE *message);
 *
 * DESCRIPTION
 *	qmgr_message_alloc() moves the file id from queue (incoming or
 *	deferred) into active/, checks and reads it (queue_file_read(3)),
 *	logs "<id>: from=<sender>, size=<size>, nrcpt=<count> (queue
 *	active)" (size as Postfix counts it: the content with CRLF line
 *	ends, i.e. the S record's content size plus one per line), hands
 *	one flow-control token to the mail receiving servers, removes
 *	the message's defer log (each attempt starts a new one, as with
 *	Postfix, so that a delay warning or an expiry lists each
 *	recipient once, with its latest reason; not for a force-expired
 *	message, whose log is what it returns), and reads a first batch
 *	of recipients, each
 *	resolved with trivial-rewrite into a transport and next hop and
 *	given to its queue (qmgr_entry_add()). It returns the message,
 *	or NULL when there is none to schedule: the file was gone,
 *	damaged (moved to corrupt/), unreadable (moved back to queue), or
 *	had nothing left to deliver (then it has already been finished
 *	with qmgr_active_done()).
 *
 *	A flushed message is delivered even to a transport in
 *	$defer_transports, as with Postfix: one taken by a scan that
 *	follows an "F" trigger (flush is true), or one whose queue file
 *	has the group-read permission, the mark that flush(8) puts on a
 *	file that "postqueue -i" (flush(8)'s send_file) takes from
 *	deferred/ (docs/internals/protocols.md, "flush"). qmgr clears the
 *	mark when it takes the file, so that it counts for one attempt.
 *
 *	Recipients are read in batches (SCHEDULER_README, "Dealing with
 *	memory resource limits"). The first read checks the whole file
 *	and takes as many recipients as $qmgr_message_recipient_limit
 *	leaves room for among all messages in memory, and at least
 *	$qmgr_message_recipient_minimum. The message remembers the offset
 *	of the first recipient group (O, o, n, R records) it did not
 *	take; later reads start there and take as many as the recipient
 *	slots of the message's jobs allow (qmgr_job_refill_budget()), so
 *	that a message with 100,000 recipients never sits in memory
 *	whole. qmgr_message_refill() reads such a batch while the
 *	message still has entries (its jobs ask for it: refill limit and
 *	delay); qmgr_message_realloc() reads the next batch of a message
 *	whose entries have all finished; false when the message has no
 *	more recipients to schedule (the caller then finishes it).
 *
 *	A V record (VERP delimiters) makes each recipient a delivery of
 *	its own; qmgr_deliver(3) puts the VERP sender in the request.
 *
 *	Which recipients are sent where: the I record (content filter
 *	"transport:nexthop") overrides the resolved transport (and next
 *	hop, when it names one); the J record (redirect) replaces every
 *	recipient; otherwise trivial-rewrite's answer counts, with its
 *	rewritten address. Recipients whose transport is in
 *	$defer_transports ("deferred transport"; not for a flushed
 *	message) or unreachable are
 *	deferred through the retry agent (qmgr_defer_route()); those
 *	whose address the resolver could not resolve ("address resolver
 *	failure") at once by qmgr.
 *
 *	A message whose S record has QUEUE_FILE_FLAG_EXPIRE (postsuper -e
 *	or -f) gets no delivery attempt: its recipients are left to the
 *	defer log (each gets an entry "message is administratively
 *	expired" when the message has no defer log yet) and
 *	qmgr_active_done() returns it to the sender.
 *
 *	qmgr_message_request() makes a delivery request that describes
 *	the message (no recipients), for delivery and for the bounce
 *	client's flush functions.
 *
 * DIAGNOSTICS
 *	Warnings: "<id>: <why>: move to the corrupt queue" (through
 *	queue_file_corrupt()), "<id>: read error: <why>", "<id>: bad
 *	<name> attribute ...", "<id>: <record error> at offset <n>:
 *	recipients after it are not read" (a file damaged after its
 *	first read: it stays queued, and the next attempt moves it to
 *	the corrupt queue), move failures, "<id>: clear the flush mark:
 *	<error>".
 */
#include "sys_defs.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/time.h>

#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "events.h"
#include "mail_params.h"
#include "mail_queue.h"
#include "queue_file_read.h"
#include "rec_type.h"
#include "rewrite_client.h"
#include "record.h"
#include "verp_delims.h"
#include "mail_flow.h"
#include "qmgr.h"

int     qmgr_message_count;
int     qmgr_recipient_count;

/* State of one read of a queue file. */
typedef struct QMGR_READ {
    QMGR_MESSAGE *message;
    bool    envelope;			/* take the envelope records */
    bool    extracted;			/* after X */
    RECIPIENT_LIST rcpts;		/* this batch */
    long    budget;			/* recipients to take */
    long    next;			/* first group not taken, 0: none */
    long    unread;			/* R records not taken */
    long    group;			/* offset of the pending group */
    char   *orig;			/* pending group records */
    char   *orcpt;
    int     notify;
} QMGR_READ;

/* qmgr_read_group_reset - forget the pending O/o/n records */
static void qmgr_read_group_reset(QMGR_READ *state)
{
    if (state->orig)
	myfree(state->orig);
    if (state->orcpt)
	myfree(state->orcpt);
    state->orig = state->orcpt = 0;
    state->notify = 0;
    state->group = 0;
}

/* qmgr_message_set - replace a string field */
static void qmgr_message_set(char **field, const char *value)
{
    if (*field)
	myfree(*field);
    *field = mystrdup(value);
}

/* qmgr_message_attr - an A record of the envelope */
static void qmgr_message_attr(QMGR_MESSAGE *message, const char *data)
{
    static const struct {
	const char *name;
	size_t  offset;
    }       attrs[] = {
	{"client_name", offsetof(QMGR_MESSAGE, client_name)},
	{"client_address", offsetof(QMGR_MESSAGE, client_addr)},
	{"client_port", offsetof(QMGR_MESSAGE, client_port)},
	{"protocol", offsetof(QMGR_MESSAGE, client_proto)},
	{"helo_name", offsetof(QMGR_MESSAGE, client_helo)},
	{"sasl_method", offsetof(QMGR_MESSAGE, sasl_method)},
	{"sasl_username", offsetof(QMGR_MESSAGE, sasl_username)},
	{"sasl_sender", offsetof(QMGR_MESSAGE, sasl_sender)},
	{"log_ident", offsetof(QMGR_MESSAGE, log_ident)},
	{"rewrite_context", offsetof(QMGR_MESSAGE, rewrite_context)},
	{"encoding", offsetof(QMGR_MESSAGE, encoding)},
    };
    const char *eq = strchr(data, '=');
    size_t  len;
    size_t  i;

    if (eq == 0)
	return;
    len = (size_t) (eq - data);
    for (i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++) {
	if (strlen(attrs[i].name) == len
	    && strncmp(attrs[i].name, data, len) == 0) {
	    qmgr_message_set((char **) ((char *) message + attrs[i].offset),
			     eq + 1);
	    return;
	}
    }
    if (len == 11 && strncmp(data, "trace_flags", len) == 0) {
	long    flags = strtol(eq + 1, (char **) 0, 10);

	if (flags & 256)			/* verify(8) probe */
	    message->tflags |= DEL_REQ_FLAG_VERIFY | DEL_REQ_FLAG_MTA_VERIFY;
	if (flags & 512)			/* sendmail -bv */
	    message->tflags |= DEL_REQ_FLAG_VERIFY | DEL_REQ_FLAG_RECORD;
	if (flags & 1024)			/* sendmail -v */
	    message->tflags |= DEL_REQ_FLAG_RECORD;
    }
}

/* qmgr_message_time - parse "seconds.microseconds" */
static void qmgr_message_time(struct timeval *tv, const char *data)
{
    char   *end;

    tv->tv_sec = strtol(data, &end, 10);
    tv->tv_usec = (*end == '.') ? strtol(end + 1, (char **) 0, 10) : 0;
    if (tv->tv_usec < 0 || tv->tv_usec > 999999)
	tv->tv_usec = 0;
}

/* qmgr_message_record - one checked record of the queue file */
static bool qmgr_message_record(int type, const char *data, size_t len,
				        off_t offset, void *context)
{
    QMGR_READ *state = context;
    QMGR_MESSAGE *message = state->message;

    switch (type) {
    case REC_TYPE_ORCP:
    case REC_TYPE_DSN_ORCPT:
    case REC_TYPE_DSN_NOTIFY:
	if (state->group == 0)
	    state->group = (long) offset;
	if (type == REC_TYPE_ORCP)
	    qmgr_message_set(&state->orig, data);
	else if (type == REC_TYPE_DSN_ORCPT)
	    qmgr_message_set(&state->orcpt, data);
	else
	    state->notify = atoi(data);
	return true;
    case REC_TYPE_DONE:
	qmgr_read_group_reset(state);
	return true;
    case REC_TYPE_RCPT:
	if ((long) offset >= message->rcpt_next) {
	    if (state->next == 0 && state->rcpts.len < state->budget) {
		if (len > DELIVER_MAX_ADDR) {
		    msg_warn("%s: recipient at offset %ld is longer than"
			     " %d bytes: skipped", message->queue_id,
			     (long) offset, DELIVER_MAX_ADDR);
		    message->deferred = true;
		} else {
		    recipient_list_add(&state->rcpts, (long) offset,
				       state->orcpt, state->notify,
				       state->orig, data);
		    if (state->notify & DSN_NOTIFY_SUCCESS)
			message->tflags |= DEL_REQ_FLAG_SUCCESS;
		}
	    } else {
		if (state->next == 0)
		    state->next = state->group ? state->group : (long) offset;
		state->unread++;
	    }
	}
	qmgr_read_group_reset(state);
	return true;
    case REC_TYPE_EXTRACT:
	state->extracted = true;
	return true;
    default:
	break;
    }
    if (!state->envelope)
	return true;
    switch (type) {
    case REC_TYPE_TIME:
	qmgr_message_time(&message->arrival, data);
	break;
    case REC_TYPE_FROM:
	qmgr_message_set(&message->sender, data);
	break;
    case REC_TYPE_ATTR:
	qmgr_message_attr(message, data);
	break;
    case REC_TYPE_DSN_ENVID:
	qmgr_message_set(&message->dsn_envid, data);
	break;
    case REC_TYPE_DSN_RET:
	message->dsn_ret = atoi(data);
	break;
    case REC_TYPE_WARN:
	message->warn_time = atol(data);
	message->warn_offset = (long) offset;
	break;
    case REC_TYPE_FILTER:
	qmgr_message_set(&message->filter, data);
	break;
    case REC_TYPE_REDIRECT:
	qmgr_message_set(&message->redirect, data);
	break;
    case REC_TYPE_VERP:
	/* cleanup checked it; an odd one from elsewhere is ignored. */
	if (verp_delims_check(data, len) == 0)
	    qmgr_message_set(&message->verp_delims, data);
	else
	    msg_warn("%s: ignoring bad VERP request: \"%s\"",
		     message->queue_id, data);
	break;
    case REC_TYPE_LINE:
	message->line_count++;
	break;
    default:
	break;
    }
    return true;
}

/* qmgr_message_move_back - return a file we could not read */
static void qmgr_message_move_back(QMGR_MESSAGE *message, const char *queue)
{
    VSTRING *why = vstring_alloc(100);

    if (!mail_queue_rename(message->queue_id, MAIL_QUEUE_ACTIVE, queue, why))
	msg_warn("%s: %s", message->queue_id, vstring_str(why));
    vstring_free(why);
}

/* qmgr_message_first_budget - recipients the first read may take */
static long qmgr_message_first_budget(void)
{
    long    budget = VAR_INT(qmgr_message_recipient_limit)
    - qmgr_recipient_count;

    if (budget < VAR_INT(qmgr_message_recipient_minimum))
	budget = VAR_INT(qmgr_message_recipient_minimum);
    return budget;
}

/* qmgr_message_read - check the whole file; take a first batch */
static bool qmgr_message_read(QMGR_MESSAGE *message, RECIPIENT_LIST *rcpts)
{
    QMGR_READ state;
    QUEUE_FILE_INFO info;
    VSTREAM *fp;
    bool    ok;

    if ((fp = mail_queue_open(MAIL_QUEUE_ACTIVE, message->queue_id,
			      O_RDONLY, 0)) == 0) {
	if (errno != ENOENT) {
	    msg_warn("%s: open active queue file: %m", message->queue_id);
	    qmgr_message_move_back(message, message->queue_name);
	}
	return false;
    }
    memset(&state, 0, sizeof(state));
    state.message = message;
    state.envelope = true;
    state.budget = qmgr_message_first_budget();
    recipient_list_init(&state.rcpts);
    queue_file_info_init(&info);
    ok = queue_file_read(fp, QUEUE_FILE_KIND_QUEUE, QUEUE_FILE_LIMIT,
			 qmgr_message_record, &state, &info);
    (void) vstream_fclose(fp);
    qmgr_read_group_reset(&state);
    if (!ok) {
	recipient_list_free(&state.rcpts);
	if (info.error == QUEUE_FILE_ERR_READ) {
	    msg_warn("%s: read error: %s", message->queue_id,
		     vstring_str(info.why));
	    qmgr_message_move_back(message, message->queue_name);
	} else {
	    (void) queue_file_corrupt(MAIL_QUEUE_ACTIVE, message->queue_id,
				      vstring_str(info.why));
	}
	queue_file_info_free(&info);
	return false;
    }
    if (info.have_size) {
	message->data_offset = (long) info.size.content_offset;
	message->data_size = (long) info.size.content_size;
	message->rcpt_total = info.size.rcpt_count;
	message->smtputf8 = info.size.smtputf8;
	message->force_expire = (info.size.qflags & QUEUE_FILE_FLAG_EXPIRE) != 0;
    }
    queue_file_info_free(&info);
    message->rcpt_next = state.next;
    message->rcpt_unread = state.next ? state.unread : 0;
    message->refill_time = events_time();
    recipient_list_swap(rcpts, &state.rcpts);
    recipient_list_free(&state.rcpts);
    return true;
}

/* qmgr_message_read_more - take the next batch, from where we stopped */
static bool qmgr_message_read_more(QMGR_MESSAGE *message, long budget,
				           RECIPIENT_LIST *rcpts)
{
    QMGR_READ state;
    VSTREAM *fp;
    VSTRING *buf;
    off_t   offset = (off_t) message->rcpt_next;
    int     type;

    if ((fp = mail_queue_open(MAIL_QUEUE_ACTIVE, message->queue_id,
			      O_RDONLY, 0)) == 0) {
	if (errno != ENOENT)
	    msg_warn("%s: open active queue file: %m", message->queue_id);
	return false;
    }
    if (vstream_fseek(fp, offset, SEEK_SET) < 0) {
	msg_warn("%s: seek active queue file: %m", message->queue_id);
	(void) vstream_fclose(fp);
	return false;
    }
    memset(&state, 0, sizeof(state));
    state.message = message;
    state.budget = budget;
    recipient_list_init(&state.rcpts);
    buf = vstring_alloc(100);
    for (;;) {
	type = record_get(fp, buf, QUEUE_FILE_LIMIT);
	if (type < 0) {
	    /* Checked at the first read: damaged since. Keep the file. */
	    msg_warn("%s: %s at offset %ld: recipients after it are not read",
		     message->queue_id, type == RECORD_EOF ?
		     "missing end record" : record_error(type), (long) offset);
	    message->deferred = true;
	    state.next = 0;
	    break;
	}
	if (type == REC_TYPE_END)
	    break;
	(void) qmgr_message_record(type, vstring_str(buf), VSTRING_LEN(buf),
				   offset, &state);
	if (state.next)
	    break;
	offset = vstream_ftell(fp);
    }
    vstring_free(buf);
    (void) vstream_fclose(fp);
    qmgr_read_group_reset(&state);
    message->rcpt_next = state.next;
    message->rcpt_unread -= state.rcpts.len;
    if (message->rcpt_unread < 1 || state.next == 0)
	message->rcpt_unread = state.next ? 1 : 0;
    message->refill_time = events_time();
    recipient_list_swap(rcpts, &state.rcpts);
    recipient_list_free(&state.rcpts);
    return true;
}

/* qmgr_message_split_filter - "transport:nexthop" of an I record */
static bool qmgr_message_split_filter(const char *filter, VSTRING *transport,
				              VSTRING *nexthop)
{
    const char *colon = strchr(filter, ':');

    if (colon == 0 || colon == filter)
	return false;
    vstring_strncpy(transport, filter, (size_t) (colon - filter));
    vstring_strcpy(nexthop, colon + 1);
    return true;
}

/* qmgr_message_resolve - send one recipient to its queue */
static void qmgr_message_resolve(QMGR_MESSAGE *message, RESOLVE_REPLY *reply,
				         RECIPIENT *rcpt)
{
    const char *request = (message->tflags & DEL_REQ_FLAG_VERIFY) ?
    REWRITE_REQ_RESOLVE_VERIFY : REWRITE_REQ_RESOLVE;
    VSTRING *transport_name = vstring_alloc(20);
    VSTRING *nexthop = vstring_alloc(50);
    QMGR_TRANSPORT *transport;
    QMGR_QUEUE *queue;
    const char *address = message->redirect ? message->redirect :
    rcpt->address;
    RECIPIENT copy = *rcpt;

    if (!rewrite_client_resolve(request, message->sender, address, reply)
	|| (reply->flags & RESOLVE_FLAG_FAIL)) {
	qmgr_defer_recipient(message, rcpt, "none",
			     "4.3.0 address resolver failure");
	goto done;
    }
    vstring_strcpy(transport_name, vstring_str(reply->transport));
    vstring_strcpy(nexthop, vstring_str(reply->nexthop));
    if (message->filter) {
	VSTRING *filter_nexthop = vstring_alloc(50);

	if (qmgr_message_split_filter(message->filter, transport_name,
				      filter_nexthop)) {
	    if (VSTRING_LEN(filter_nexthop) > 0)
		vstring_strcpy(nexthop, vstring_str(filter_nexthop));
	} else {
	    msg_warn("%s: bad content filter: %s: ignored",
		     message->queue_id, message->filter);
	}
	vstring_free(filter_nexthop);
    }
    if (VSTRING_LEN(reply->recipient) > 0)
	copy.address = vstring_str(reply->recipient);
    if (VSTRING_LEN(transport_name) == 0
	|| strchr(vstring_str(transport_name), '/') != 0) {
	if (VSTRING_LEN(transport_name) > 0)
	    msg_warn("%s: bad transport name \"%s\" for %s",
		     message->queue_id, vstring_str(transport_name),
		     rcpt->address);
	qmgr_defer_recipient(message, rcpt, "none",
			     "4.3.0 address resolver failure");
	goto done;
    }
    if (!message->flush_override
	&& qmgr_transport_deferred(vstring_str(transport_name))) {
	qmgr_defer_route(message, &copy, "4.3.2 deferred transport");
	goto done;
    }
    transport = qmgr_transport_find(vstring_str(transport_name));
    if (!qmgr_transport_available(transport)) {
	if (qmgr_transport_is_retry(transport))
	    qmgr_defer_recipient(message, rcpt, "none", transport->dead_reason);
	else
	    qmgr_defer_route(message, &copy, transport->dead_reason);
	goto done;
    }
    queue = qmgr_queue_find(transport, transport->recipient_limit == 1 ?
			    copy.address : vstring_str(nexthop),
			    vstring_str(nexthop));
    qmgr_entry_add(message, queue, &copy);

done:
    vstring_free(transport_name);
    vstring_free(nexthop);
}

/* qmgr_message_expire_rcpt - a recipient of a force-expired message */
static void qmgr_message_expire_rcpt(QMGR_MESSAGE *message,
				             const RECIPIENT *rcpt)
{
    /*
     * No delivery attempt. A recipient that already has its defer log
     * entry is returned with that reason; one that has none (the message
     * never had a try) gets one, so that the notification lists it.
     */
    if (!message->defer_log_checked) {
	message->defer_log_exists =
	    qmgr_active_log_exists(MAIL_QUEUE_DEFER, message->queue_id);
	message->defer_log_checked = true;
    }
    if (message->defer_log_exists)
	message->deferred = true;
    else
	qmgr_defer_recipient(message, rcpt, "none",
			     "4.7.0 message is administratively expired");
}

/* qmgr_message_rcpt_compare - order recipients by domain, then address */
static int qmgr_message_rcpt_compare(const void *a, const void *b)
{
    const char *addr_a = ((const RECIPIENT *) a)->address;
    const char *addr_b = ((const RECIPIENT *) b)->address;
    const char *dom_a = strrchr(addr_a, '@');
    const char *dom_b = strrchr(addr_b, '@');
    int     diff;

    if ((diff = strcasecmp(dom_a ? dom_a + 1 : "", dom_b ? dom_b + 1 : "")) != 0)
	return (diff);
    return (strcmp(addr_a, addr_b));
}

/*
 * qmgr_message_schedule - resolve a batch of recipients, sorted first as
 * Postfix sorts them (a request lists its recipients in that order)
 */
static void qmgr_message_schedule(QMGR_MESSAGE *message, RECIPIENT_LIST *rcpts)
{
    RESOLVE_REPLY reply;
    int     i;

    if (rcpts->len > 1)
	qsort(rcpts->info, (size_t) rcpts->len, sizeof(*rcpts->info),
	      qmgr_message_rcpt_compare);
    resolve_reply_init(&reply);
    /* Hold a reference so that no entry ends the message meanwhile. */
    message->refcount++;
    for (i = 0; i < rcpts->len; i++) {
	if (message->force_expire)
	    qmgr_message_expire_rcpt(message, rcpts->info + i);
	else
	    qmgr_message_resolve(message, &reply, rcpts->info + i);
    }
    message->refcount--;
    resolve_reply_free(&reply);
    if (message->rcpt_next == 0)
	qmgr_job_message_read(message);
}

/* qmgr_message_batch - read and schedule one batch of a message */
static bool qmgr_message_batch(QMGR_MESSAGE *message, long budget)
{
    RECIPIENT_LIST rcpts;

    recipient_list_init(&rcpts);
    if (!qmgr_message_read_more(message, budget, &rcpts)) {
	recipient_list_free(&rcpts);
	return false;
    }
    qmgr_message_schedule(message, &rcpts);
    recipient_list_free(&rcpts);
    return true;
}

/* qmgr_message_next_budget - recipients the next batch may take */
static long qmgr_message_next_budget(const QMGR_MESSAGE *message)
{
    /* Without a job (all deferred so far) the global pool decides. */
    if (message->job_list == 0)
	return qmgr_message_first_budget();
    return qmgr_job_refill_budget(message);
}

/* qmgr_message_fill - read and schedule batches until one sticks */
static bool qmgr_message_fill(QMGR_MESSAGE *message, bool envelope)
{
    RECIPIENT_LIST rcpts;

    if (envelope) {
	recipient_list_init(&rcpts);
	if (!qmgr_message_read(message, &rcpts)) {
	    recipient_list_free(&rcpts);
	    return false;
	}
	/* A new attempt starts a new defer log (latest reasons only). */
	if (!message->force_expire
	    && mail_queue_remove(MAIL_QUEUE_DEFER, message->queue_id) < 0
	    && errno != ENOENT)
	    msg_warn("%s: remove defer log: %m", message->queue_id);
	/* Postfix counts each line with CRLF, as SMTP SIZE does. */
	msg_info("%s: from=<%s>, size=%ld, nrcpt=%ld (queue active)",
		 message->queue_id, message->sender ? message->sender : "",
		 message->data_size + message->line_count,
		 message->rcpt_total);
	qmgr_message_schedule(message, &rcpts);
	recipient_list_free(&rcpts);
    }
    while (message->refcount == 0 && message->rcpt_next > 0)
	if (!qmgr_message_batch(message, qmgr_message_next_budget(message)))
	    return false;
    return true;
}

/* qmgr_message_refill - read more recipients while deliveries go on */
void    qmgr_message_refill(QMGR_MESSAGE *message)
{
    long    budget;

    if (message->rcpt_next == 0 || message->refcount == 0)
	return;
    if ((budget = qmgr_message_next_budget(message)) <= 0)
	return;
    if (!qmgr_message_batch(message, budget)) {
	/* The file went away: let the entries in memory finish. */
	message->rcpt_next = 0;
	message->rcpt_unread = 0;
	qmgr_job_message_read(message);
    }
}

/* qmgr_message_free - forget a message */
void    qmgr_message_free(QMGR_MESSAGE *message)
{
    char  **strings[] = {
	&message->queue_id, &message->queue_name, &message->encoding,
	&message->sender, &message->dsn_envid, &message->filter,
	&message->redirect, &message->client_name, &message->client_addr,
	&message->client_port, &message->client_proto,
	&message->client_helo, &message->sasl_method,
	&message->sasl_username, &message->sasl_sender,
	&message->log_ident, &message->rewrite_context,
	&message->verp_delims,
    };
    size_t  i;

    if (message->refcount != 0)
	msg_panic("qmgr_message_free: %s still has %d entries",
		  message->queue_id, message->refcount);
    qmgr_job_free_all(message);
    for (i = 0; i < sizeof(strings) / sizeof(strings[0]); i++)
	if (*strings[i])
	    myfree(*strings[i]);
    myfree(message);
    qmgr_message_count--;
}

/* qmgr_message_flush_mark - flushed by flush(8)? clear the mark */
static bool qmgr_message_flush_mark(const char *id)
{
    VSTRING *path = vstring_alloc(100);
    struct stat st;
    bool    marked;

    mail_queue_path(path, MAIL_QUEUE_ACTIVE, id);
    marked = stat(vstring_str(path), &st) == 0 && S_ISREG(st.st_mode)
	&& (st.st_mode & S_IRGRP) != 0;
    if (marked && chmod(vstring_str(path), st.st_mode & ~S_IRGRP & 07777) < 0)
	msg_warn("%s: clear the flush mark: %m", id);
    vstring_free(path);
    return marked;
}

/* qmgr_message_alloc - take a file into the active queue */
QMGR_MESSAGE *qmgr_message_alloc(const char *queue, const char *id,
				         bool flush)
{
    QMGR_MESSAGE *message;
    VSTRING *why;

    if (strcmp(queue, MAIL_QUEUE_ACTIVE) != 0) {
	why = vstring_alloc(100);
	if (!mail_queue_rename(id, queue, MAIL_QUEUE_ACTIVE, why)) {
	    if (errno != ENOENT)
		msg_warn("%s: %s", id, vstring_str(why));
	    vstring_free(why);
	    return 0;
	}
	vstring_free(why);
    }
    message = mycalloc(1, sizeof(*message));
    qmgr_message_count++;
    message->queue_id = mystrdup(id);
    message->queue_name = mystrdup(queue);
    message->rcpt_next = 1;			/* read from the start */
    message->flush_override = qmgr_message_flush_mark(id) || flush;
    gettimeofday(&message->active, (struct timezone *) 0);
    (void) mail_flow_put(1);
    if (!qmgr_message_fill(message, true)) {
	qmgr_message_free(message);
	return 0;
    }
    if (message->refcount == 0) {
	qmgr_active_done(message);
	return 0;
    }
    return message;
}

/* qmgr_message_realloc - the next batch of recipients */
bool    qmgr_message_realloc(QMGR_MESSAGE *message)
{
    if (!qmgr_message_fill(message, false)) {
	/* The file went away or broke: nothing more to do with it. */
	message->rcpt_next = 0;
	message->deferred = false;
	qmgr_message_free(message);
	return true;
    }
    return message->refcount > 0;
}

/* qmgr_message_dup - a string for a request field */
static char *qmgr_message_dup(const char *value)
{
    return mystrdup(value ? value : "");
}

/* qmgr_message_request - a request describing the message */
DELIVER_REQUEST *qmgr_message_request(const QMGR_MESSAGE *message)
{
    DELIVER_REQUEST *req = deliver_request_alloc();

    req->flags = message->tflags;
    req->queue_name = mystrdup(MAIL_QUEUE_ACTIVE);
    req->queue_id = mystrdup(message->queue_id);
    req->data_offset = message->data_offset;
    /* Postfix's message size, as logged: line ends count as one byte. */
    req->data_size = message->data_size + message->line_count;
    req->nexthop = mystrdup("");
    req->encoding = qmgr_message_dup(message->encoding);
    req->smtputf8 = message->smtputf8;
    req->sender = qmgr_message_dup(message->sender);
    req->dsn_envid = qmgr_message_dup(message->dsn_envid);
    req->dsn_ret = message->dsn_ret;
    req->stats.incoming_arrival = message->arrival;
    req->stats.active_arrival = message->active;
    req->client_name = qmgr_message_dup(message->client_name);
    req->client_addr = qmgr_message_dup(message->client_addr);
    req->client_port = qmgr_message_dup(message->client_port);
    req->client_proto = qmgr_message_dup(message->client_proto);
    req->client_helo = qmgr_message_dup(message->client_helo);
    req->sasl_method = qmgr_message_dup(message->sasl_method);
    req->sasl_username = qmgr_message_dup(message->sasl_username);
    req->sasl_sender = qmgr_message_dup(message->sasl_sender);
    req->log_ident = qmgr_message_dup(message->log_ident);
    req->rewrite_context = qmgr_message_dup(message->rewrite_context);
    return req;
}
