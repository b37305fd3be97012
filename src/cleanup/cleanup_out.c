/*
 * cleanup_out - write records to the queue file
 *
 * SYNOPSIS
 *	#include "cleanup.h"
 *
 *	void	cleanup_out(CLEANUP_STATE *state, int type, const void *data,
 *				size_t len);
 *	void	cleanup_out_str(CLEANUP_STATE *state, int type,
 *				const char *text);
 *	void	cleanup_out_fmt(CLEANUP_STATE *state, int type,
 *				const char *fmt, ...);
 *	void	cleanup_out_line(CLEANUP_STATE *state, const char *text,
 *				size_t len);
 *	void	cleanup_out_header(CLEANUP_STATE *state, const char *text,
 *				size_t len);
 *	bool	cleanup_out_ok(const CLEANUP_STATE *state);
 *
 * DESCRIPTION
 *	cleanup_out() writes one record to the queue file, unless the
 *	message already has an error (then the file will be removed and
 *	writing is pointless). A write error records CLEANUP_STAT_WRITE;
 *	a file that grows past message_size_limit (when not 0) records
 *	CLEANUP_STAT_SIZE with "5.3.4 message file too big" and logs
 *	"warning: <id>: queue file size limit exceeded" as Postfix does.
 *	cleanup_out_str() and cleanup_out_fmt() write text.
 *
 *	cleanup_out_line() writes one content line as one L record, or
 *	as P records of at most line_length_limit bytes ending in an L
 *	record, and counts the line (plus one LF) in the content size.
 *	cleanup_out_header() writes a (possibly folded) header: one line
 *	per newline-separated part.
 *
 *	cleanup_out_ok() tells whether the file is still being written
 *	(no error so far, or only a rejection that cleanup_bounce(3) will
 *	turn into a non-delivery notification).
 *
 * DIAGNOSTICS
 *	Warnings: write errors, the size limit.
 */
#include "sys_defs.h"

#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include "msg.h"
#include "mail_params.h"
#include "record.h"
#include "cleanup.h"

/* cleanup_out_ok - is the file still being written? */
bool    cleanup_out_ok(const CLEANUP_STATE *state)
{
    return state->dst != 0
	&& (state->errs == 0 || cleanup_bounce_wanted(state));
}

/* cleanup_out - write one record */
void    cleanup_out(CLEANUP_STATE *state, int type, const void *data,
		            size_t len)
{
    long    limit = VAR_INT(message_size_limit);

    if (!cleanup_out_ok(state))
	return;
    if (record_put(state->dst, type, data, len) != type) {
	msg_warn("%s: write queue file: %m", state->queue_id);
	cleanup_state_error(state, CLEANUP_STAT_WRITE,
			    "4.3.0 queue file write error");
	return;
    }
    if (limit > 0 && vstream_ftell(state->dst) > (off_t) limit) {
	msg_warn("%s: queue file size limit exceeded", state->queue_id);
	cleanup_state_error(state, CLEANUP_STAT_SIZE,
			    "5.3.4 message file too big");
    }
}

/* cleanup_out_str - write a text record */
void    cleanup_out_str(CLEANUP_STATE *state, int type, const char *text)
{
    cleanup_out(state, type, text, strlen(text));
}

/* cleanup_out_fmt - write a formatted record */
void    cleanup_out_fmt(CLEANUP_STATE *state, int type, const char *fmt,...)
{
    VSTRING *buf = vstring_alloc(100);
    va_list ap;

    va_start(ap, fmt);
    vstring_vsprintf(buf, fmt, ap);
    va_end(ap);
    cleanup_out(state, type, vstring_str(buf), VSTRING_LEN(buf));
    vstring_free(buf);
}

/* cleanup_out_line - one content line as L, or P... L */
void    cleanup_out_line(CLEANUP_STATE *state, const char *text, size_t len)
{
    size_t  limit = (size_t) VAR_INT(line_length_limit);

    state->content_size += (long) len + 1;
    while (len > limit) {
	cleanup_out(state, REC_TYPE_PART, text, limit);
	text += limit;
	len -= limit;
    }
    cleanup_out(state, REC_TYPE_LINE, text, len);
}

/* cleanup_out_header - a header, one line per newline-separated part */
void    cleanup_out_header(CLEANUP_STATE *state, const char *text, size_t len)
{
    const char *end = text + len;
    const char *nl;

    for (;;) {
	nl = memchr(text, '\n', (size_t) (end - text));
	if (nl == 0) {
	    cleanup_out_line(state, text, (size_t) (end - text));
	    return;
	}
	cleanup_out_line(state, text, (size_t) (nl - text));
	text = nl + 1;
    }
}
