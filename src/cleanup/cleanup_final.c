/*
 * cleanup_final - finish or abandon the queue file
 *
 * SYNOPSIS
 *	#include "cleanup.h"
 *
 *	void	cleanup_final(CLEANUP_STATE *state);
 *	void	cleanup_final_abort(CLEANUP_STATE *state);
 *	void	cleanup_final_size(CLEANUP_STATE *state);
 *
 * DESCRIPTION
 *	cleanup_final() runs after the client's last record. When the
 *	message has no error it rewrites the S record in place with the
 *	final sizes (docs/internals/queue-file.md section 4), and then
 *	mail_queue_commit() flushes the file, which is in incoming/ under
 *	its queue ID already (mail_queue_enter()), sets its owner execute
 *	bit ("ready") and fsync()s it; the directory is fsync()ed too on a
 *	file system not known to commit names in order (section 8). Only
 *	then is the message safe, and only then does the client get
 *	status 0. A HOLD
 *	action moves the committed file on to hold/ (the S record says
 *	"held" as well, so that a queue manager that sees it in incoming/
 *	first puts it on hold too); otherwise qmgr is woken up.
 *
 *	A message with an error, or one that a DISCARD action dropped, is
 *	removed instead (cleanup_final_abort()); a discarded message
 *	still gets status 0, as Postfix does.
 *
 *	cleanup_final_abort() removes the unfinished file, if any.
 *
 *	cleanup_final_size() rewrites the S record (cleanup_bounce(3)
 *	commits the file itself); an error is recorded in state.
 *
 * DIAGNOSTICS
 *	Warnings: write, fsync, chmod and rename errors, a file removed
 *	before its commit ("<id>: <reason>"); the message then fails with CLEANUP_STAT_WRITE "4.3.0 queue file
 *	write error".
 */
#include "sys_defs.h"

#include <signal.h>
#include <string.h>

#include "msg.h"
#include "mail_params.h"
#include "mail_queue.h"
#include "mail_trigger.h"
#include "queue_file_read.h"
#include "record.h"
#include "cleanup.h"

/* cleanup_final_abort - remove the unfinished file */
void    cleanup_final_abort(CLEANUP_STATE *state)
{
    if (state->qf != 0) {
	mail_queue_abort(state->qf);
	state->qf = 0;
	state->dst = 0;
    }
}

/* cleanup_final_body_type - the body type field of the S record */
static int cleanup_final_body_type(CLEANUP_STATE *state)
{
    size_t  i;

    for (i = 0; i < state->attrs->argc; i++)
	if (strcasecmp(state->attrs->argv[i], "encoding=8bitmime") == 0
	    || strcasecmp(state->attrs->argv[i], "encoding=8bit") == 0)
	    return QUEUE_FILE_BODY_8BITMIME;
    return state->eight_bit ? QUEUE_FILE_BODY_8BITMIME : QUEUE_FILE_BODY_7BIT;
}

/* cleanup_final_smtputf8 - the SMTPUTF8 field of the S record */
static int cleanup_final_smtputf8(CLEANUP_STATE *state)
{
    int     mask = 0;
    const char *cp;

    if (state->needs_utf8)
	mask |= QUEUE_FILE_UTF8_HEADER;
    for (cp = state->sender; cp && *cp; cp++) {
	if (*(const unsigned char *) cp >= 0x80) {
	    mask |= QUEUE_FILE_UTF8_SENDER;
	    break;
	}
    }
    if ((state->flags & CLEANUP_FLAG_SMTPUTF8)
	|| ((state->flags & CLEANUP_FLAG_UTF8_DETECT) && mask != 0))
	mask |= QUEUE_FILE_UTF8_REQUESTED;
    return mask;
}

/* cleanup_final_size - rewrite the S record with the final values */
void    cleanup_final_size(CLEANUP_STATE *state)
{
    QUEUE_FILE_SIZE size;
    VSTRING *data = vstring_alloc(100);

    size.content_size = state->content_size;
    size.content_offset = (long long) state->content_offset;
    size.rcpt_count = state->rcpt_count;
    size.qflags = state->hold ? QUEUE_FILE_FLAG_HOLD : 0;
    size.body_type = cleanup_final_body_type(state);
    size.smtputf8 = cleanup_final_smtputf8(state);
    queue_file_size_format(data, &size);
    if (vstream_fseek(state->dst, state->size_offset, SEEK_SET) < 0) {
	msg_warn("%s: seek queue file: %m", state->queue_id);
	cleanup_state_error(state, CLEANUP_STAT_WRITE,
			    "4.3.0 queue file write error");
    } else if (record_put(state->dst, REC_TYPE_SIZE, vstring_str(data),
			  VSTRING_LEN(data)) != REC_TYPE_SIZE) {
	msg_warn("%s: write queue file: %m", state->queue_id);
	cleanup_state_error(state, CLEANUP_STAT_WRITE,
			    "4.3.0 queue file write error");
    }
    vstring_free(data);
}

/* cleanup_final - commit the file, or remove it */
void    cleanup_final(CLEANUP_STATE *state)
{
    VSTRING *why;

    if (state->errs != 0 || state->discard || state->qf == 0) {
	cleanup_final_abort(state);
	return;
    }
    cleanup_final_size(state);
    if (state->errs != 0) {
	cleanup_final_abort(state);
	return;
    }
    why = vstring_alloc(100);
    state->dst = 0;
    if (!mail_queue_commit(state->qf, why)) {
	state->qf = 0;
	msg_warn("%s: %s", state->queue_id, vstring_str(why));
	cleanup_state_error(state, CLEANUP_STAT_WRITE,
			    "4.3.0 queue file write error");
	vstring_free(why);
	return;
    }
    state->qf = 0;
    if (state->hold) {
	if (!mail_queue_rename(state->queue_id, MAIL_QUEUE_INCOMING,
			       MAIL_QUEUE_HOLD, why))
	    msg_warn("%s: %s", state->queue_id, vstring_str(why));
    } else {
	(void) mail_trigger(MAIL_QUEUE_PUBLIC, VAR_STR(queue_service_name),
			    "W", 1);
    }
    vstring_free(why);
}

