/*
 * cleanup_bounce - turn a rejected message into a non-delivery notice
 *
 * SYNOPSIS
 *	#include "cleanup.h"
 *
 *	bool	cleanup_bounce_wanted(const CLEANUP_STATE *state);
 *	void	cleanup_bounce(CLEANUP_STATE *state);
 *
 * DESCRIPTION
 *	A client that sets CLEANUP_FLAG_BOUNCE (pickup(8): a local
 *	submission has nobody waiting for a reply) wants a content
 *	rejection sent back to the sender as a non-delivery notification,
 *	and the answer "done" when that worked, as Postfix's cleanup does.
 *
 *	cleanup_bounce_wanted() tells whether the message's errors are of
 *	that kind: the flag is set, soft_bounce is off, no DISCARD was
 *	asked for, and every error bit is CLEANUP_STAT_CONT (a REJECT of
 *	header_checks or body_checks) or CLEANUP_STAT_HOPS
 *	(hopcount_limit). While it is
 *	true the file is still written (cleanup_out_ok()), so that the
 *	notification can return the message's headers, with the headers
 *	that cleanup adds, as Postfix's does.
 *
 *	cleanup_bounce() runs after the client's last record instead of
 *	cleanup_final()'s removal:
 *
 *	1. the file is committed straight into hold/ by the rename
 *	   protocol (fsync, rename from its not-ready name incoming/<id>,
 *	   which no queue manager takes, fsync of the hold directory; it
 *	   is never ready in incoming/; the S record says "held" too);
 *	   bounce(8) reads it there;
 *	2. its recipients are read back, and each is appended to the
 *	   bounce log (bounce_append(): the status line "<id>: to=<rcpt>,
 *	   relay=none, delay=<d>, delays=<d>/0/0/0, dsn=<x.y.z>,
 *	   status=bounced (<reason>)"), with the rejection's status and
 *	   text;
 *	3. bounce_flush() asks for the notification: after a REJECT of
 *	   header or body checks with the headers only (RET=HDRS: the body
 *	   may be what was rejected), after a hopcount rejection with what
 *	   the message's RET asks (the whole message by default), as
 *	   Postfix 3.7 does;
 *	4. the held file is removed, and the client gets status 0.
 *
 *	When any step fails (the bounce service is down, say), the logs
 *	and the held file are removed and the client gets
 *	CLEANUP_STAT_WRITE "4.3.0 bounce message failure": pickup keeps the
 *	maildrop file and tries again later, so the message is neither
 *	lost nor notified twice (unless the bounce service sent the
 *	notification and then failed to answer).
 *
 * DIAGNOSTICS
 *	Warning: "<id>: bounce message failure" (Postfix's words), and the
 *	cause before it.
 */
#include "sys_defs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include "msg.h"
#include "mymalloc.h"
#include "mail_params.h"
#include "mail_queue.h"
#include "queue_file_read.h"
#include "rec_type.h"
#include "deliver_request.h"
#include "bounce_client.h"
#include "dsn.h"
#include "cleanup.h"

/* Error bits that a bounce may answer. */
#define CLEANUP_BOUNCE_STAT	(CLEANUP_STAT_CONT | CLEANUP_STAT_HOPS)

/* Recipient records being read back. */
typedef struct CLEANUP_BOUNCE_READ {
    RECIPIENT_LIST *list;
    char   *orig;			/* pending O */
    char   *dsn_orcpt;			/* pending o */
    int     notify;			/* pending n */
} CLEANUP_BOUNCE_READ;

/* cleanup_bounce_wanted - a rejection that becomes a bounce */
bool    cleanup_bounce_wanted(const CLEANUP_STATE *state)
{
    return (state->flags & CLEANUP_FLAG_BOUNCE) != 0
	&& !VAR_BOOL(soft_bounce)
	&& !state->discard
	&& state->errs != 0
	&& (state->errs & ~CLEANUP_BOUNCE_STAT) == 0;
}

/* cleanup_bounce_pending - replace a pending recipient attribute */
static void cleanup_bounce_pending(char **slot, const char *data)
{
    if (*slot)
	myfree(*slot);
    *slot = mystrdup(data);
}

/* cleanup_bounce_record - collect the recipients of the held file */
static bool cleanup_bounce_record(int type, const char *data, size_t len,
				          off_t offset, void *context)
{
    CLEANUP_BOUNCE_READ *rd = (CLEANUP_BOUNCE_READ *) context;

    (void) len;
    switch (type) {
    case REC_TYPE_ORCP:
	cleanup_bounce_pending(&rd->orig, data);
	break;
    case REC_TYPE_DSN_ORCPT:
	cleanup_bounce_pending(&rd->dsn_orcpt, data);
	break;
    case REC_TYPE_DSN_NOTIFY:
	rd->notify = atoi(data);
	break;
    case REC_TYPE_RCPT:
	recipient_list_add(rd->list, (long) offset, rd->dsn_orcpt,
			   rd->notify, rd->orig ? rd->orig : data, data);
	/* FALLTHROUGH */
    case REC_TYPE_DONE:
	if (rd->orig)
	    myfree(rd->orig);
	if (rd->dsn_orcpt)
	    myfree(rd->dsn_orcpt);
	rd->orig = rd->dsn_orcpt = 0;
	rd->notify = 0;
	break;
    default:
	break;
    }
    return true;
}

/* cleanup_bounce_read - the held file's recipients and S record */
static bool cleanup_bounce_read(CLEANUP_STATE *state, RECIPIENT_LIST *list,
				        int *smtputf8)
{
    CLEANUP_BOUNCE_READ rd = {list, 0, 0, 0};
    QUEUE_FILE_INFO info;
    VSTREAM *fp;
    bool    ok;

    if ((fp = mail_queue_open(MAIL_QUEUE_HOLD, state->queue_id,
			      O_RDONLY, 0)) == 0) {
	msg_warn("%s: open %s/%s: %m", state->queue_id, MAIL_QUEUE_HOLD,
		 state->queue_id);
	return false;
    }
    queue_file_info_init(&info);
    ok = queue_file_read(fp, QUEUE_FILE_KIND_QUEUE, QUEUE_FILE_LIMIT,
			 cleanup_bounce_record, &rd, &info);
    if (!ok)
	msg_warn("%s: read %s/%s: %s", state->queue_id, MAIL_QUEUE_HOLD,
		 state->queue_id, vstring_str(info.why));
    *smtputf8 = info.have_size ? info.size.smtputf8 : 0;
    if (rd.orig)
	myfree(rd.orig);
    if (rd.dsn_orcpt)
	myfree(rd.dsn_orcpt);
    queue_file_info_free(&info);
    (void) vstream_fclose(fp);
    return ok;
}

/* cleanup_bounce_encoding - the encoding=... attribute, or NULL */
static char *cleanup_bounce_encoding(CLEANUP_STATE *state)
{
    size_t  i;

    for (i = 0; i < state->attrs->argc; i++)
	if (strncmp(state->attrs->argv[i], "encoding=", 9) == 0)
	    return mystrdup(state->attrs->argv[i] + 9);
    return 0;
}

/* cleanup_bounce_request - describe the held message */
static DELIVER_REQUEST *cleanup_bounce_request(CLEANUP_STATE *state)
{
    DELIVER_REQUEST *req = deliver_request_alloc();
    struct timeval now;

    (void) gettimeofday(&now, (struct timezone *) 0);
    req->queue_name = mystrdup(MAIL_QUEUE_HOLD);
    req->queue_id = mystrdup(state->queue_id);
    req->sender = mystrdup(state->sender ? state->sender : "");
    req->dsn_envid = state->dsn_envid ? mystrdup(state->dsn_envid) : 0;
    /* Content that checks rejected is not sent back; the rest is. */
    req->dsn_ret = (state->errs & CLEANUP_STAT_CONT) ?
	REC_DSN_RET_HDRS : state->dsn_ret;
    req->encoding = cleanup_bounce_encoding(state);
    req->stats.incoming_arrival = state->arrival;
    req->stats.active_arrival = now;
    req->stats.agent_handoff = now;
    return req;
}

/* cleanup_bounce_send - append every recipient, then flush */
static bool cleanup_bounce_send(CLEANUP_STATE *state)
{
    DELIVER_REQUEST *req = cleanup_bounce_request(state);
    VSTRING *status = vstring_alloc(10);
    const char *text = vstring_str(state->reason);
    const char *reason = text;
    DSN     dsn;
    int     i;
    bool    ok;

    /* The reason is "x.y.z text"; the status goes into its own field. */
    vstring_strncpy(status, text, strcspn(text, " "));
    if (dsn_valid_status(vstring_str(status))) {
	reason = text + VSTRING_LEN(status);
	reason += strspn(reason, " ");
	vstring_str(status)[0] = '5';		/* it is a bounce */
    } else {
	vstring_strcpy(status, "5.0.0");
    }
    ok = cleanup_bounce_read(state, &req->rcpt_list, &req->smtputf8);
    if (ok && req->rcpt_list.len == 0) {
	msg_warn("%s: no recipients to bounce", state->queue_id);
	ok = false;
    }
    for (i = 0; ok && i < req->rcpt_list.len; i++) {
	dsn_simple(&dsn, vstring_str(status), reason);
	(void) bounce_append(req, req->rcpt_list.info + i, "none", &dsn);
	/* A failed append was deferred instead: no bounced result. */
	if (req->result_count != i + 1
	    || req->results[i].outcome != DELIVER_OUTCOME_BOUNCED)
	    ok = false;
    }
    if (ok && bounce_flush(req) != 0)
	ok = false;
    deliver_request_free(req);
    vstring_free(status);
    return ok;
}

/* cleanup_bounce_forget - remove what a failed bounce left behind */
static void cleanup_bounce_forget(const char *queue_id)
{
    static const char *const logs[] = {MAIL_QUEUE_BOUNCE, MAIL_QUEUE_DEFER};
    size_t  i;

    for (i = 0; i < sizeof(logs) / sizeof(logs[0]); i++)
	if (mail_queue_remove(logs[i], queue_id) < 0 && errno != ENOENT)
	    msg_warn("%s: remove %s/%s: %m", queue_id, logs[i], queue_id);
}

/* cleanup_bounce_commit - commit the file straight into hold/ */
static bool cleanup_bounce_commit(CLEANUP_STATE *state)
{
    VSTRING *why;
    bool    ok;

    state->hold = true;
    cleanup_final_size(state);
    if (state->errs != 0 || state->qf == 0) {
	cleanup_final_abort(state);
	return false;
    }
    /* Never ready in incoming/, where a queue manager would take it. */
    myfree(state->qf->queue);
    state->qf->queue = mystrdup(MAIL_QUEUE_HOLD);
    why = vstring_alloc(100);
    state->dst = 0;
    ok = mail_queue_commit(state->qf, why);
    state->qf = 0;
    if (!ok) {
	msg_warn("%s: %s", state->queue_id, vstring_str(why));
	/* It may be in place without its directory entry on disk. */
	(void) mail_queue_remove(MAIL_QUEUE_HOLD, state->queue_id);
    }
    vstring_free(why);
    return ok;
}

/* cleanup_bounce - hold the file, bounce it, remove it */
void    cleanup_bounce(CLEANUP_STATE *state)
{
    int     errs = state->errs;
    bool    ok;

    state->errs = 0;
    if (!cleanup_bounce_commit(state)) {
	/* A warning said why; no file is left. */
	state->errs = CLEANUP_STAT_WRITE;
	vstring_strcpy(state->reason, "4.3.0 queue file write error");
	return;
    }
    state->errs = errs;
    ok = cleanup_bounce_send(state);
    if (!ok) {
	msg_warn("%s: bounce message failure", state->queue_id);
	cleanup_bounce_forget(state->queue_id);
    }
    if (mail_queue_remove(MAIL_QUEUE_HOLD, state->queue_id) < 0
	&& errno != ENOENT)
	msg_warn("%s: remove %s/%s: %m", state->queue_id, MAIL_QUEUE_HOLD,
		 state->queue_id);
    if (ok) {
	state->errs = 0;
	VSTRING_RESET(state->reason);
	VSTRING_TERMINATE(state->reason);
    } else {
	state->errs = CLEANUP_STAT_WRITE;
	vstring_strcpy(state->reason, "4.3.0 bounce message failure");
    }
}
