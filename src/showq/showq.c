/*
 * showq - report the contents of the mail queue
 *
 * SYNOPSIS
 *	showq [generic daemon options]
 *
 * DESCRIPTION
 *	The daemon of docs/man/man8/showq.8, behind public/showq. For
 *	each client it walks the maildrop, incoming, active, deferred and
 *	hold queues (queue_scan(3): every hash level, also files left in
 *	the wrong place) and sends one entry per readable message file in
 *	the protocol of showq_proto.h (docs/internals/delivery.md,
 *	section "showq"); postqueue(1) formats the listing. The client
 *	sends nothing.
 *
 *	A message entry holds the queue name, queue ID, arrival time (the
 *	T record), size (the S record's content size; for a maildrop
 *	file, which has none, the file size, as Postfix reports it), the
 *	forced-expiration flag (QUEUE_FILE_FLAG_EXPIRE of the S record),
 *	the sender, and the recipients (addresses in external form:
 *	the local part quoted when it is not a dot-atom, the empty
 *	address as $empty_address_recipient, as Postfix lists them): first every entry of the message's defer log
 *	(defer/<hash>/<id>, read with bounce(8)'s bounce_log_parse()) in
 *	log order, with its reason, then the
 *	queue file's pending (R) recipients that the log did not name,
 *	without a reason. Duplicates are suppressed with a filter of at
 *	most $duplicate_filter_limit addresses, as in Postfix.
 *
 *	Files are read without locks and never changed: a file that is
 *	damaged, incomplete or vanishes while it is read is left out
 *	(with a warning for damage). Temporary files (not queue IDs) are
 *	ignored, and so are files in incoming/ that are not ready (no
 *	owner execute bit: cleanup has not committed them;
 *	docs/internals/queue-file.md section 8).
 *
 *	In stand-alone mode (-S, as postqueue(1) runs it for the
 *	super-user when the mail system is down) the listing goes to
 *	standard output in the same protocol.
 *
 * DIAGNOSTICS
 *	Warnings: "<queue>/<id>: <damage>: skipped"; bad defer log
 *	entries are reported (and skipped) by bounce_log_parse(3), the
 *	reader that bounce(8) uses for the same files.
 */
#include "sys_defs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "msg.h"
#include "mymalloc.h"
#include "htable.h"
#include "myflock.h"
#include "stringops.h"
#include "vstream.h"
#include "vstring.h"
#include "attr_list.h"
#include "mail_params.h"
#include "mail_queue.h"
#include "queue_id.h"
#include "queue_scan.h"
#include "queue_file_read.h"
#include "rec_type.h"
#include "showq_proto.h"
#include "single_server.h"
#include "bounce.h"
#include "quote_822_local.h"

 /* One recipient as listed. */
typedef struct SHOWQ_RCPT {
    char   *address;
    char   *reason;			/* NULL: none */
} SHOWQ_RCPT;

 /* One message being read. */
typedef struct SHOWQ_MSG {
    long    arrival;			/* seconds */
    bool    have_arrival;
    char   *sender;
    SHOWQ_RCPT *rcpts;			/* queue file recipients */
    size_t  rcpt_count;
    size_t  rcpt_alloc;
} SHOWQ_MSG;

 /* The state of one listing. */
typedef struct SHOWQ_STATE {
    VSTREAM *client;
    int     count;			/* messages sent */
    bool    broken;			/* client went away */
} SHOWQ_STATE;

/* showq_bounded - a value cut to the protocol limit */
static const char *showq_bounded(VSTRING *buf, const char *value, size_t len)
{
    if (len > SHOWQ_VALUE_MAX)
	len = SHOWQ_VALUE_MAX;
    vstring_strncpy(buf, value, len);
    return (vstring_str(buf));
}

/* showq_msg_add - remember a queue file recipient */
static void showq_msg_add(SHOWQ_MSG *msg, const char *data, size_t len)
{
    VSTRING *buf = vstring_alloc(64);

    if (msg->rcpt_count == msg->rcpt_alloc) {
	msg->rcpt_alloc = msg->rcpt_alloc ? 2 * msg->rcpt_alloc : 8;
	msg->rcpts = myrealloc(msg->rcpts,
			       msg->rcpt_alloc * sizeof(*msg->rcpts));
    }
    msg->rcpts[msg->rcpt_count].address =
	mystrdup(showq_bounded(buf, data, len));
    msg->rcpts[msg->rcpt_count].reason = 0;
    msg->rcpt_count++;
    vstring_free(buf);
}

/* showq_msg_free - release a message's memory */
static void showq_msg_free(SHOWQ_MSG *msg)
{
    for (size_t i = 0; i < msg->rcpt_count; i++) {
	myfree(msg->rcpts[i].address);
	if (msg->rcpts[i].reason)
	    myfree(msg->rcpts[i].reason);
    }
    if (msg->rcpts)
	myfree(msg->rcpts);
    if (msg->sender)
	myfree(msg->sender);
}

/* showq_record - collect what the listing needs from one record */
static bool showq_record(int type, const char *data, size_t len,
			         off_t offset, void *context)
{
    SHOWQ_MSG *msg = context;
    VSTRING *buf;

    (void) offset;
    switch (type) {
    case REC_TYPE_TIME:
	msg->arrival = strtol(data, (char **) 0, 10);
	msg->have_arrival = true;
	break;
    case REC_TYPE_FROM:
	buf = vstring_alloc(64);
	msg->sender = mystrdup(showq_bounded(buf, data, len));
	vstring_free(buf);
	break;
    case REC_TYPE_RCPT:
	showq_msg_add(msg, data, len);
	break;
    }
    return (true);
}

/* showq_log_read - the defer log entries of a message, in log order */
static void showq_log_read(const char *id, SHOWQ_MSG *log)
{
    static const char *const defer_queue[] = {MAIL_QUEUE_DEFER, 0};
    VSTRING *path = vstring_alloc(64);
    BOUNCE_LOG entries;
    VSTREAM *fp;

    if (mail_queue_find(path, id, defer_queue) == 0
	|| (fp = vstream_fopen(vstring_str(path), O_RDONLY, 0)) == 0) {
	vstring_free(path);
	return;
    }

    /*
     * bounce(8) appends under an exclusive lock. Do not wait for it: a
     * block that is being written is incomplete, and the parser skips it.
     */
    (void) myflock(vstream_fileno(fp), MYFLOCK_STYLE_FLOCK,
		   MYFLOCK_OP_SHARED | MYFLOCK_OP_NOWAIT);
    bounce_log_init(&entries);
    (void) bounce_log_parse(fp, &entries, vstring_str(path));
    for (int i = 0; i < entries.len; i++) {
	const BOUNCE_ENTRY *entry = entries.entries + i;

	showq_msg_add(log, entry->address, strlen(entry->address));
	log->rcpts[log->rcpt_count - 1].reason =
	    mystrdup(entry->reason ? entry->reason : "");
    }
    bounce_log_free(&entries);
    (void) vstream_fclose(fp);
    vstring_free(path);
}

/*
 * showq_external - an address as listed: the local part quoted when it is
 * not a dot-atom ("a."@example.org), the empty address as
 * $empty_address_recipient (Postfix does this for the sender and for
 * recipients alike).
 */
static const char *showq_external(VSTRING *buf, const char *address)
{
    if (*address == 0)
	return (VAR_STR(empty_address_recipient));
    return (vstring_str(quote_822_local(buf, address)));
}

/* showq_send_rcpts - send recipients in batches, dropping duplicates */
static bool showq_send_rcpts(VSTREAM *client, const SHOWQ_MSG *msg,
			             HTABLE *seen, ATTR_LIST *list)
{
    long    limit = VAR_INT(duplicate_filter_limit);
    size_t  batch = 0;
    VSTRING *quoted = vstring_alloc(64);
    bool    ok = true;

    for (size_t i = 0; i < msg->rcpt_count; i++) {
	const SHOWQ_RCPT *rcpt = msg->rcpts + i;
	ATTR_LIST *item;

	/* Queue file recipients that the log named are listed already. */
	if (rcpt->reason == 0 && htable_locate(seen, rcpt->address))
	    continue;
	if (htable_locate(seen, rcpt->address) == 0
	    && (limit <= 0 || (long) htable_used(seen) < limit))
	    htable_enter(seen, rcpt->address, (void *) 0);
	if (batch == 0) {
	    attr_list_clear(list);
	    attr_list_add_str(list, SHOWQ_ATTR_RECORD, SHOWQ_RECORD_RECIPIENTS);
	}
	item = attr_list_add_list(list, SHOWQ_ATTR_RCPT);
	attr_list_add_str(item, SHOWQ_ATTR_ADDRESS,
			  showq_external(quoted, rcpt->address));
	if (rcpt->reason)
	    attr_list_add_str(item, SHOWQ_ATTR_REASON, rcpt->reason);
	if (++batch == SHOWQ_RCPT_BATCH) {
	    if (!(ok = attr_list_write(client, list)))
		break;
	    batch = 0;
	}
    }
    if (ok && batch > 0)
	ok = attr_list_write(client, list);
    vstring_free(quoted);
    return (ok);
}

/* showq_report - list one message file */
static void showq_report(const char *queue, const char *path,
			         const char *name, int depth, void *context)
{
    SHOWQ_STATE *state = context;
    SHOWQ_MSG msg;
    SHOWQ_MSG log;
    QUEUE_FILE_INFO info;
    ATTR_LIST *list;
    HTABLE *seen;
    VSTREAM *fp;
    struct stat st;
    bool    maildrop = strcmp(queue, MAIL_QUEUE_MAILDROP) == 0;
    VSTRING *quoted;

    (void) depth;
    if (state->broken || !queue_id_valid(name))
	return;
    if ((fp = vstream_fopen(path, O_RDONLY, 0)) == 0) {
	if (errno != ENOENT)
	    msg_warn("open %s: %m", path);
	return;
    }
    if (fstat(vstream_fileno(fp), &st) < 0 || !S_ISREG(st.st_mode)
	|| !mail_queue_ready(queue, &st)) {
	(void) vstream_fclose(fp);
	return;
    }
    memset(&msg, 0, sizeof(msg));
    queue_file_info_init(&info);
    if (!queue_file_read(fp, maildrop ? QUEUE_FILE_KIND_MAILDROP :
			 QUEUE_FILE_KIND_QUEUE, QUEUE_FILE_LIMIT,
			 showq_record, &msg, &info)) {
	if (info.error != QUEUE_FILE_ERR_READ)
	    msg_warn("%s/%s: %s: skipped", queue, name,
		     vstring_str(info.why));
	queue_file_info_free(&info);
	showq_msg_free(&msg);
	(void) vstream_fclose(fp);
	return;
    }
    (void) vstream_fclose(fp);

    list = attr_list_create();
    attr_list_add_str(list, SHOWQ_ATTR_RECORD, SHOWQ_RECORD_MESSAGE);
    attr_list_add_str(list, SHOWQ_ATTR_QUEUE_NAME, queue);
    attr_list_add_str(list, SHOWQ_ATTR_QUEUE_ID, name);
    attr_list_add_long(list, SHOWQ_ATTR_ARRIVAL,
		       msg.have_arrival ? msg.arrival : (long) st.st_mtime);
    attr_list_add_long(list, SHOWQ_ATTR_SIZE, maildrop || !info.have_size ?
		       (long) st.st_size : (long) info.size.content_size);
    attr_list_add_int(list, SHOWQ_ATTR_EXPIRE, info.have_size
		      && (info.size.qflags & QUEUE_FILE_FLAG_EXPIRE) != 0);
    quoted = vstring_alloc(64);
    attr_list_add_str(list, SHOWQ_ATTR_SENDER,
		      showq_external(quoted, msg.sender ? msg.sender : ""));
    vstring_free(quoted);
    queue_file_info_free(&info);

    memset(&log, 0, sizeof(log));
    if (!maildrop)
	showq_log_read(name, &log);
    seen = htable_create(log.rcpt_count + msg.rcpt_count + 1);
    if (!attr_list_write(state->client, list)
	|| !showq_send_rcpts(state->client, &log, seen, list)
	|| !showq_send_rcpts(state->client, &msg, seen, list)) {
	state->broken = true;
    } else {
	state->count++;
    }
    htable_free(seen, (void (*) (void *)) 0);
    attr_list_free(list);
    showq_msg_free(&log);
    showq_msg_free(&msg);
}

/* showq_service - send the whole listing to one client */
static void showq_service(VSTREAM *client, const char *service, char **argv)
{
    static const char *const queues[] = {
	MAIL_QUEUE_MAILDROP, MAIL_QUEUE_INCOMING, MAIL_QUEUE_ACTIVE,
	MAIL_QUEUE_DEFERRED, MAIL_QUEUE_HOLD, 0,
    };
    SHOWQ_STATE state = {.client = client};
    ATTR_LIST *end;

    (void) service;
    (void) argv;
    if (!attr_proto_greet(client, SHOWQ_PROTOCOL, (ATTR_LIST *) 0)) {
	msg_warn("send greeting: %m");
	return;
    }
    for (int i = 0; queues[i] && !state.broken; i++)
	(void) queue_scan(queues[i], showq_report, 0, &state);
    if (state.broken) {
	msg_warn("client went away: listing not finished");
	return;
    }
    end = attr_list_create();
    attr_list_add_str(end, SHOWQ_ATTR_RECORD, SHOWQ_RECORD_END);
    attr_list_add_int(end, SHOWQ_ATTR_COUNT, state.count);
    if (!attr_list_write(client, end) || vstream_fflush(client) != 0)
	msg_warn("send end of listing: %m");
    attr_list_free(end);
}

/* main - hand over to the skeleton */
int     main(int argc, char **argv)
{
    single_server_main(argc, argv, showq_service, (MAIL_SERVER_OPTS *) 0);
}
