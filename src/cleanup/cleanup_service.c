/*
 * cleanup_service - one cleanup(8) conversation
 *
 * SYNOPSIS
 *	#include "cleanup.h"
 *
 *	CLEANUP_MAPS *cleanup_maps;
 *
 *	void	cleanup_service(VSTREAM *src, const char *service,
 *				char **argv);
 *
 * DESCRIPTION
 *	cleanup_service() serves one client on src, one message
 *	(docs/internals/protocols.md, "cleanup"):
 *
 *	1. mail_queue_enter() makes incoming/<ID>, not ready (mode 0600:
 *	   no owner execute bit, so qmgr, showq and postsuper leave it
 *	   alone); the Q record and a placeholder S record are written.
 *	2. Greeting { protocol=cleanup, queue_id=<ID> }.
 *	3. Request { protocol=cleanup, flags=<CLEANUP_FLAG_*> }. A request
 *	   for another protocol gets status -1 and the connection is
 *	   closed.
 *	4. Records: envelope up to M (cleanup_envelope.c), content up to X
 *	   (cleanup_message.c), then recipients and Z
 *	   (cleanup_extracted.c). Envelope records may carry up to
 *	   QUEUE_FILE_LIMIT (64 KiB), content records up to
 *	   $line_length_limit bytes.
 *	5. cleanup_final.c commits the file (mode 0700 and one fsync;
 *	   docs/internals/queue-file.md section 8) or removes it.
 *	6. Reply { status=<CLEANUP_STAT_*>, reason=<text>, queue_id=<ID> }.
 *
 *	In any phase, an f record (decimal CLEANUP_FLAG_HOLD and/or
 *	CLEANUP_FLAG_DISCARD) adds those flags, for a HOLD or DISCARD that
 *	smtpd decided after the file was opened; a Z record with payload
 *	"abort" (cleanup_client_abort()) drops the message with no reply
 *	and nothing logged.
 *
 *	A rejected message is still read to its end so that the client
 *	gets the reply where it expects it; only input that breaks the
 *	record format ends the reading at once (CLEANUP_STAT_BAD).
 *	A client that goes away leaves no file behind.
 *
 *	When the client set CLEANUP_FLAG_BOUNCE (pickup(8)), a content
 *	rejection (header_checks or body_checks REJECT, hopcount_limit)
 *	becomes a non-delivery notification to the sender and the client
 *	gets status 0, or a temporary failure when the notification could
 *	not be made (cleanup_bounce(3)).
 *
 *	With soft_bounce = yes, a permanent rejection (a reason that
 *	starts with 5.x.x) is answered as a temporary one: the reason's
 *	class becomes 4 and CLEANUP_STAT_DEFER is added to the status.
 *
 *	cleanup_maps holds the tables of cleanup_maps(3); NULL means none
 *	(the fuzz target runs without).
 *
 *	The caller closes src.
 *
 * DIAGNOSTICS
 *	Warnings: malformed input from the client ("<id>: bad record from
 *	client: <what>", "<id>: ... record from client"), a lost client,
 *	queue file errors.
 */
#include "sys_defs.h"

#include <stdlib.h>
#include <string.h>

#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "mail_params.h"
#include "attr_list.h"
#include "mail_queue.h"
#include "record.h"
#include "cleanup.h"

CLEANUP_MAPS *cleanup_maps;

#define CLEANUP_PHASE_ENVELOPE	1
#define CLEANUP_PHASE_CONTENT	2
#define CLEANUP_PHASE_EXTRACTED	3

/* cleanup_reply - send the final status */
static void cleanup_reply(CLEANUP_STATE *state, int status,
			          const char *reason)
{
    ATTR_LIST *reply = attr_list_create();

    attr_list_add_int(reply, CLEANUP_ATTR_STATUS, status);
    attr_list_add_str(reply, CLEANUP_ATTR_REASON, reason);
    attr_list_add_str(reply, CLEANUP_ATTR_QUEUE_ID,
		      state->queue_id ? state->queue_id : "");
    if (!attr_list_write(state->src, reply) || vstream_fflush(state->src) != 0)
	msg_warn("%s: cannot send reply to client: %m",
		 state->queue_id ? state->queue_id : "cleanup");
    attr_list_free(reply);
}

/* cleanup_soft_bounce - make a permanent rejection temporary */
static int cleanup_soft_bounce(CLEANUP_STATE *state, VSTRING *reason)
{
    char   *text = vstring_str(reason);

    if (!VAR_BOOL(soft_bounce) || text[0] != '5' || text[1] != '.')
	return state->errs;
    text[0] = '4';
    return state->errs | CLEANUP_STAT_DEFER;
}

/* cleanup_request - read the request attributes; false: not cleanup */
static bool cleanup_request(CLEANUP_STATE *state)
{
    ATTR_LIST *request = attr_list_create();
    VSTRING *why = vstring_alloc(100);
    int     flags = 0;
    ATTR_WANT want[] = {
	{CLEANUP_ATTR_FLAGS, ATTR_TYPE_INT, ATTR_REQUIRED, &flags},
    };
    bool    ok = false;

    if (!attr_list_read(state->src, request, (ATTR_LIMITS *) 0, why))
	msg_warn("%s: bad request from client: %s", state->queue_id,
		 vstring_str(why));
    else if (!attr_proto_check(request, CLEANUP_PROTO_NAME, why)
	     || !attr_list_take(request, want, 1, why)) {
	msg_warn("%s: bad request from client: %s", state->queue_id,
		 vstring_str(why));
	vstring_sprintf_prepend(why, "5.3.0 ");
	cleanup_final_abort(state);		/* no file once the client knows */
	cleanup_reply(state, -1, vstring_str(why));
    } else {
	state->flags = flags;
	state->hold = (flags & CLEANUP_FLAG_HOLD) != 0;
	state->discard = (flags & CLEANUP_FLAG_DISCARD) != 0;
	ok = true;
    }
    attr_list_free(request);
    vstring_free(why);
    return ok;
}

/* cleanup_flags - an f record: HOLD or DISCARD decided late */
static void cleanup_flags(CLEANUP_STATE *state, const char *data)
{
    int     flags;

    if (!alldig(data) || strlen(data) > 5
	|| ((flags = atoi(data)) & ~(CLEANUP_FLAG_HOLD | CLEANUP_FLAG_DISCARD))
	|| flags == 0) {
	msg_warn("%s: bad %s record from client", state->queue_id,
		 rec_type_name(REC_TYPE_FLGS));
	cleanup_state_error(state, CLEANUP_STAT_BAD, "5.3.0 bad message format");
	return;
    }
    state->flags |= flags;
    if (flags & CLEANUP_FLAG_HOLD)
	state->hold = true;
    if (flags & CLEANUP_FLAG_DISCARD)
	state->discard = true;
}

/* cleanup_records - read the client's records up to Z */
static bool cleanup_records(CLEANUP_STATE *state)
{
    int     phase = CLEANUP_PHASE_ENVELOPE;
    int     type;
    size_t  limit;

    for (;;) {
	limit = phase == CLEANUP_PHASE_CONTENT ?
	    (size_t) VAR_INT(line_length_limit) : CLEANUP_ENVELOPE_LIMIT;
	type = record_get(state->src, state->buf, limit);
	if (type == RECORD_EOF || type == RECORD_ERR_READ
	    || type == RECORD_ERR_TRUNC) {
	    msg_warn("%s: %s from client before the end of the message",
		     state->queue_id,
		     vstream_ftimeout(state->src) ? "timeout" :
		     "lost connection");
	    return false;
	}
	if (type < 0) {
	    msg_warn("%s: bad record from client: %s", state->queue_id,
		     record_error(type));
	    cleanup_state_error(state, CLEANUP_STAT_BAD,
				"5.3.0 bad message format");
	    return true;
	}
	if (type == REC_TYPE_END
	    && strcmp(vstring_str(state->buf), CLEANUP_ABORT_PAYLOAD) == 0)
	    return false;			/* the client gave up: no log */
	if (type == REC_TYPE_FLGS) {
	    cleanup_flags(state, vstring_str(state->buf));
	    continue;
	}
	if (type == REC_TYPE_END) {
	    if (phase != CLEANUP_PHASE_EXTRACTED) {
		msg_warn("%s: premature end record from client",
			 state->queue_id);
		cleanup_state_error(state, CLEANUP_STAT_BAD,
				    "5.3.0 bad message format");
	    }
	    return true;
	}
	switch (phase) {
	case CLEANUP_PHASE_ENVELOPE:
	    cleanup_envelope(state, type, vstring_str(state->buf),
			     VSTRING_LEN(state->buf));
	    if (state->env_done)
		phase = CLEANUP_PHASE_CONTENT;
	    break;
	case CLEANUP_PHASE_CONTENT:
	    if (type == REC_TYPE_EXTRACT) {
		if (cleanup_out_ok(state))
		    cleanup_message_end(state);
		phase = CLEANUP_PHASE_EXTRACTED;
	    } else {
		cleanup_message(state, type, vstring_str(state->buf),
				VSTRING_LEN(state->buf));
	    }
	    break;
	default:
	    cleanup_extracted(state, type, vstring_str(state->buf),
			      VSTRING_LEN(state->buf));
	    break;
	}
	/* A protocol error makes the rest of the stream meaningless. */
	if (state->errs & CLEANUP_STAT_BAD)
	    return true;
    }
}

/* cleanup_service - one client, one message */
void    cleanup_service(VSTREAM *src, const char *service, char **argv)
{
    CLEANUP_STATE *state = cleanup_state_create(src);
    ATTR_LIST *greeting;
    VSTRING *why = vstring_alloc(100);
    int     status;

    (void) service;
    (void) argv;
    if ((state->qf = mail_queue_enter(MAIL_QUEUE_INCOMING, 0600, why)) == 0) {
	msg_warn("cannot create queue file: %s", vstring_str(why));
	vstring_free(why);
	cleanup_state_free(state);
	return;
    }
    state->dst = state->qf->fp;
    state->queue_id = mystrdup(state->qf->id);
    if (cleanup_maps != 0) {
	cleanup_maps->queue_id = state->queue_id;
	cleanup_maps->rewrite = cleanup_addr_map_rewrite;
	cleanup_maps->rewrite_context = (void *) state;
    }
    cleanup_out_str(state, REC_TYPE_FORMAT, REC_FORMAT_TEXT);
    state->size_offset = vstream_ftell(state->dst);
    cleanup_out_fmt(state, REC_TYPE_SIZE, "%15ld %15ld %10ld %10d %5d %5d",
		    0L, 0L, 0L, 0, 0, 0);
    greeting = attr_list_create();
    attr_list_add_str(greeting, CLEANUP_ATTR_QUEUE_ID, state->queue_id);
    if (!attr_proto_greet(src, CLEANUP_PROTO_NAME, greeting)) {
	msg_warn("%s: cannot greet client: %m", state->queue_id);
    } else if (cleanup_request(state)) {
	if (cleanup_records(state)) {
	    if (cleanup_out_ok(state))
		cleanup_extracted_end(state);
	    if (cleanup_bounce_wanted(state))
		cleanup_bounce(state);
	    else
		cleanup_final(state);
	    status = cleanup_soft_bounce(state, state->reason);
	    if (status != 0 && VSTRING_LEN(state->reason) == 0) {
		vstring_strcpy(state->reason, cleanup_state_reason(state));
		status = cleanup_soft_bounce(state, state->reason);
	    }
	    cleanup_reply(state, status, status ? vstring_str(state->reason) :
			  "");
	}
    }
    attr_list_free(greeting);
    cleanup_final_abort(state);
    vstring_free(why);
    if (cleanup_maps != 0) {
	cleanup_maps->queue_id = 0;
	cleanup_maps->rewrite = 0;
	cleanup_maps->rewrite_context = 0;
    }
    cleanup_state_free(state);
}
