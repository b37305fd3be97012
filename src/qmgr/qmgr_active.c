/*
 * qmgr_active - the end of a message's stay in the active queue
 *
 * SYNOPSIS
 *	#include "qmgr.h"
 *
 *	void	qmgr_active_done(QMGR_MESSAGE *message);
 *	bool	qmgr_active_log_exists(const char *queue, const char *id);
 *
 * DESCRIPTION
 *	qmgr_active_done() is called when every recipient of message has
 *	had its delivery attempt (docs/internals/delivery.md, section 1).
 *	It frees message. In order:
 *
 *	- a bounce log exists: ask the bounce service for the non-delivery
 *	  notification (bounce_flush()); when that fails the message
 *	  stays queued and it is tried again on the next run;
 *	- some recipient was deferred (or a notification failed):
 *	  - past $maximal_queue_lifetime ($bounce_queue_lifetime for the
 *	    null sender, never more than the former), or force-expired
 *	    by postsuper: log "<id>: from=<sender>, status=expired,
 *	    returned to sender" ("status=force-expired"), turn the defer
 *	    log into bounces (defer_flush()) and remove the message;
 *	  - else, when the W record's time has come, ask for a delay
 *	    warning (defer_warn()) and set W to 0 in the file;
 *	  - move the file to deferred/ with its modification time set to
 *	    the next retry time (qmgr_backoff_delay() of its age);
 *	- otherwise: the trace log, when there is one, becomes a delivery
 *	  report (trace_flush()); the file and its defer and trace logs
 *	  are removed, and "<id>: removed" logged.
 *
 *	qmgr_active_log_exists() tells whether the bounce, defer or trace
 *	log of a message exists.
 *
 * DIAGNOSTICS
 *	Warnings: failed moves, removals and time stamp updates, with
 *	the system's reason. A file that cannot be moved stays in
 *	active/ and is recovered when qmgr restarts.
 */
#include "sys_defs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "msg.h"
#include "mymalloc.h"
#include "vstring.h"
#include "events.h"
#include "mail_params.h"
#include "mail_queue.h"
#include "bounce_client.h"
#include "qmgr.h"

/* qmgr_active_log_exists - does <queue>/<id> exist? */
bool    qmgr_active_log_exists(const char *queue, const char *id)
{
    VSTRING *path = vstring_alloc(100);
    bool    found;

    found = (mail_queue_find(path, id, (const char *const[]) {queue, 0}) != 0);
    vstring_free(path);
    return found;
}

/* qmgr_active_unlink - remove <queue>/<id>, when there is one */
static void qmgr_active_unlink(const char *queue, const char *id)
{
    if (mail_queue_remove(queue, id) < 0 && errno != ENOENT)
	msg_warn("%s: remove %s file: %m", id, queue);
}

/* qmgr_active_remove - the message is done */
static void qmgr_active_remove(QMGR_MESSAGE *message)
{
    if (mail_queue_remove(MAIL_QUEUE_ACTIVE, message->queue_id) < 0) {
	if (errno != ENOENT)
	    msg_warn("%s: remove active queue file: %m", message->queue_id);
	return;
    }
    qmgr_active_unlink(MAIL_QUEUE_DEFER, message->queue_id);
    qmgr_active_unlink(MAIL_QUEUE_TRACE, message->queue_id);
    msg_info("%s: removed", message->queue_id);
}

/* qmgr_active_reset_warn - set the W record to 0 in place */
static void qmgr_active_reset_warn(QMGR_MESSAGE *message)
{
    VSTREAM *fp;
    char    head[32];
    ssize_t got;
    char   *space;
    long    len;
    char   *zeros;
    off_t   data_offset;

    if (message->warn_offset <= 0)
	return;
    if ((fp = mail_queue_open(MAIL_QUEUE_ACTIVE, message->queue_id,
			      O_RDWR, 0)) == 0) {
	msg_warn("%s: open active queue file: %m", message->queue_id);
	return;
    }
    got = pread(vstream_fileno(fp), head, sizeof(head) - 1,
		(off_t) message->warn_offset);
    if (got < 3 || head[0] != 'W') {
	msg_warn("%s: no warning time record at offset %ld",
		 message->queue_id, message->warn_offset);
	(void) vstream_fclose(fp);
	return;
    }
    head[got] = 0;
    len = strtol(head + 1, &space, 10);
    if (*space != ' ' || len <= 0 || len > 20) {
	msg_warn("%s: bad warning time record at offset %ld",
		 message->queue_id, message->warn_offset);
	(void) vstream_fclose(fp);
	return;
    }
    /* Same length, all zeros: "0" to any reader, and no record moves. */
    zeros = mymalloc((size_t) len);
    memset(zeros, '0', (size_t) len);
    data_offset = (off_t) message->warn_offset + (space - head) + 1;
    if (pwrite(vstream_fileno(fp), zeros, (size_t) len, data_offset) != len
	|| fsync(vstream_fileno(fp)) < 0)
	msg_warn("%s: update warning time record: %m", message->queue_id);
    else
	message->warn_time = 0;
    myfree(zeros);
    (void) vstream_fclose(fp);
}

/* qmgr_active_defer - move the file to deferred/ until its next try */
static void qmgr_active_defer(QMGR_MESSAGE *message, time_t now)
{
    VSTRING *why = vstring_alloc(100);
    VSTRING *path = vstring_alloc(100);
    struct timeval times[2];
    long    delay;

    delay = qmgr_backoff_delay((long) (now - message->arrival.tv_sec),
			       VAR_TIME(minimal_backoff_time),
			       VAR_TIME(maximal_backoff_time));
    if (!mail_queue_rename(message->queue_id, MAIL_QUEUE_ACTIVE,
			   MAIL_QUEUE_DEFERRED, why)) {
	/* ENOENT: postsuper moved (-h) or removed (-d) it meanwhile. */
	if (errno != ENOENT)
	    msg_warn("%s: %s", message->queue_id, vstring_str(why));
    } else {
	times[0].tv_sec = now;
	times[0].tv_usec = 0;
	times[1].tv_sec = now + delay;
	times[1].tv_usec = 0;
	mail_queue_path(path, MAIL_QUEUE_DEFERRED, message->queue_id);
	if (utimes(vstring_str(path), times) < 0)
	    msg_warn("%s: set the retry time of %s: %m",
		     message->queue_id, vstring_str(path));
    }
    vstring_free(why);
    vstring_free(path);
}

/* qmgr_active_done - every recipient had its try */
void    qmgr_active_done(QMGR_MESSAGE *message)
{
    DELIVER_REQUEST *req = qmgr_message_request(message);
    const char *id = message->queue_id;
    bool    keep = message->deferred;
    time_t  now = time((time_t *) 0);
    long    age = (long) (now - message->arrival.tv_sec);
    bool    null_sender = (message->sender == 0 || *message->sender == 0);
    long    max_lifetime = VAR_TIME(maximal_queue_lifetime);
    long    bounce_lifetime = VAR_TIME(bounce_queue_lifetime);

    if (bounce_lifetime > max_lifetime)
	bounce_lifetime = max_lifetime;	/* qmgr.c warned at start */
    if (qmgr_active_log_exists(MAIL_QUEUE_BOUNCE, id)
	&& bounce_flush(req) != 0)
	keep = true;
    if (keep) {
	if (message->force_expire
	    || qmgr_expired(age, null_sender, max_lifetime, bounce_lifetime)) {
	    msg_info("%s: from=<%s>, status=%s, returned to sender",
		     id, message->sender ? message->sender : "",
		     message->force_expire ? "force-expired" : "expired");
	    if (defer_flush(req) == 0) {
		if (qmgr_active_log_exists(MAIL_QUEUE_TRACE, id))
		    (void) trace_flush(req);
		qmgr_active_remove(message);
		goto done;
	    }
	} else if (message->warn_time > 0 && now >= message->warn_time) {
	    if (defer_warn(req) == 0)
		qmgr_active_reset_warn(message);
	}
	qmgr_active_defer(message, now);
    } else {
	if (qmgr_active_log_exists(MAIL_QUEUE_TRACE, id)
	    && trace_flush(req) != 0) {
	    qmgr_active_defer(message, now);
	    goto done;
	}
	qmgr_active_remove(message);
    }

done:
    deliver_request_free(req);
    qmgr_message_free(message);
}
