/*
 * bounce_original - what a notification needs from the original message
 *
 * SYNOPSIS
 *	#include "bounce.h"
 *
 *	void	bounce_original_init(BOUNCE_ORIGINAL *orig);
 *	void	bounce_original_free(BOUNCE_ORIGINAL *orig);
 *	bool	bounce_original_read(BOUNCE_ORIGINAL *orig,
 *				const char *queue_name, const char *queue_id,
 *				long limit);
 *	void	bounce_original_line(BOUNCE_ORIGINAL *orig, const char *text,
 *				size_t len, long limit);
 *
 * DESCRIPTION
 *	bounce_original_init() makes an empty BOUNCE_ORIGINAL (the
 *	caller sets queue_id, sender, dsn_envid, dsn_ret, smtputf8 and
 *	encoding from its request); bounce_original_free() releases what
 *	the module allocated.
 *
 *	bounce_original_read() opens the queue file queue_name/queue_id
 *	read-only, checks it with queue_file_read(), and takes the
 *	arrival time (T record), the content size (S record), and the
 *	content lines through bounce_original_line(). It stops reading as
 *	soon as nothing more will be kept, so a big message costs no more
 *	than its headers. The result is false (orig->readable false,
 *	after a warning) when the file cannot be opened or is damaged
 *	before the end of its headers; a notification then goes out
 *	without the original, as Postfix's does.
 *
 *	bounce_original_line() takes one content line: header lines up
 *	to the first empty line go to orig->headers, the rest to
 *	orig->body, each with a newline. Postfix returns only the headers
 *	of a message bigger than $bounce_size_limit, and so does this:
 *	once the content (as the S record gives its size, or as the lines
 *	add up) exceeds limit bytes, body_ok becomes false and the body is
 *	dropped; the headers end before the first one that does not fit.
 *
 * DIAGNOSTICS
 *	Warnings: "<queue>/<id>: cannot open the original message:
 *	<error>", "<queue>/<id>: <damage> -- returning no original".
 */
#include "sys_defs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

#include "msg.h"
#include "mymalloc.h"
#include "vstream.h"
#include "vstring.h"
#include "mail_queue.h"
#include "rec_type.h"
#include "queue_file_read.h"
#include "bounce.h"

/* bounce_original_init - an empty original */
void    bounce_original_init(BOUNCE_ORIGINAL *orig)
{
    memset(orig, 0, sizeof(*orig));
    orig->queue_id = "";
    orig->sender = "";
    orig->dsn_envid = "";
    orig->encoding = "";
    orig->content_size = -1;
    orig->body_ok = true;
    orig->headers = vstring_alloc(1000);
    orig->body = vstring_alloc(1000);
    orig->partial = vstring_alloc(100);
}

/* bounce_original_free - release the buffers */
void    bounce_original_free(BOUNCE_ORIGINAL *orig)
{
    vstring_free(orig->headers);
    vstring_free(orig->body);
    vstring_free(orig->partial);
    orig->headers = orig->body = orig->partial = 0;
}

/* bounce_original_line - take one content line */
void    bounce_original_line(BOUNCE_ORIGINAL *orig, const char *text,
			             size_t len, long limit)
{
    size_t  used = VSTRING_LEN(orig->headers) + VSTRING_LEN(orig->body);

    if (!orig->in_body) {
	if (len == 0) {
	    orig->in_body = true;
	} else if (!orig->headers_cut && used + len + 1 <= (size_t) limit) {
	    vstring_memcat(orig->headers, text, len);
	    VSTRING_ADDCH(orig->headers, '\n');
	    VSTRING_TERMINATE(orig->headers);
	} else {
	    /* Headers alone exceed the limit: keep those before. */
	    orig->headers_cut = true;
	    orig->body_ok = false;
	}
	return;
    }
    if (!orig->body_ok)
	return;
    /* The empty line between headers and body counts too. */
    if (used + 1 + len + 1 > (size_t) limit) {
	orig->body_ok = false;
	VSTRING_RESET(orig->body);
	VSTRING_TERMINATE(orig->body);
	return;
    }
    vstring_memcat(orig->body, text, len);
    VSTRING_ADDCH(orig->body, '\n');
    VSTRING_TERMINATE(orig->body);
}

typedef struct BOUNCE_READ_STATE {
    BOUNCE_ORIGINAL *orig;
    long    limit;
    bool    headers_done;		/* saw the empty line or the end */
} BOUNCE_READ_STATE;

/* bounce_original_record - one queue-file record; false: enough */
static bool bounce_original_record(int type, const char *data, size_t len,
				           off_t offset, void *context)
{
    BOUNCE_READ_STATE *state = context;
    BOUNCE_ORIGINAL *orig = state->orig;
    QUEUE_FILE_SIZE size;

    switch (type) {
    case REC_TYPE_SIZE:
	if (queue_file_size_parse(data, len, &size)) {
	    orig->content_size = (long) size.content_size;
	    if (size.content_size > state->limit)
		orig->body_ok = false;
	}
	break;
    case REC_TYPE_TIME:
	orig->arrival = (time_t) strtol(data, (char **) 0, 10);
	break;
    case REC_TYPE_PART:
	if (VSTRING_LEN(orig->partial) + len <= (size_t) state->limit)
	    vstring_memcat(orig->partial, data, len);
	break;
    case REC_TYPE_LINE:
	if (VSTRING_LEN(orig->partial) > 0) {
	    if (VSTRING_LEN(orig->partial) + len <= (size_t) state->limit)
		vstring_memcat(orig->partial, data, len);
	    bounce_original_line(orig, vstring_str(orig->partial),
				 VSTRING_LEN(orig->partial), state->limit);
	    VSTRING_RESET(orig->partial);
	} else {
	    bounce_original_line(orig, data, len, state->limit);
	}
	if (orig->in_body)
	    state->headers_done = true;
	/* Nothing more will be kept: stop reading. */
	if (orig->in_body && !orig->body_ok)
	    return (false);
	break;
    case REC_TYPE_EXTRACT:
	state->headers_done = true;
	return (false);
    default:
	break;
    }
    return (true);
}

/* bounce_original_read - read arrival time and content of the original */
bool    bounce_original_read(BOUNCE_ORIGINAL *orig, const char *queue_name,
			             const char *queue_id, long limit)
{
    BOUNCE_READ_STATE state;
    QUEUE_FILE_INFO info;
    VSTREAM *fp;
    bool    ok;

    if ((fp = mail_queue_open(queue_name, queue_id, O_RDONLY, 0)) == 0) {
	msg_warn("%s/%s: cannot open the original message: %m",
		 queue_name, queue_id);
	orig->readable = false;
	return (false);
    }
    state.orig = orig;
    state.limit = limit;
    state.headers_done = false;
    queue_file_info_init(&info);
    ok = queue_file_read(fp, QUEUE_FILE_KIND_QUEUE, QUEUE_FILE_LIMIT,
			 bounce_original_record, &state, &info);
    if (!ok && info.error != QUEUE_FILE_ERR_CALLER) {
	msg_warn("%s/%s: %s%s", queue_name, queue_id,
		 vstring_str(info.why),
		 state.headers_done ? "" : " -- returning no original");
	ok = state.headers_done;
	/* Return no body that the damage may have cut short. */
	orig->body_ok = false;
	VSTRING_RESET(orig->body);
	VSTRING_TERMINATE(orig->body);
    } else {
	ok = true;
    }
    if (!ok) {
	VSTRING_RESET(orig->headers);
	VSTRING_TERMINATE(orig->headers);
	VSTRING_RESET(orig->body);
	VSTRING_TERMINATE(orig->body);
    }
    orig->readable = ok;
    queue_file_info_free(&info);
    (void) vstream_fclose(fp);
    return (ok);
}
