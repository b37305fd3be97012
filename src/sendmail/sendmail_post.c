/*
 * sendmail_post - turn a message on standard input into maildrop records
 *
 * SYNOPSIS
 *	See sendmail.h.
 *
 * DESCRIPTION
 *	This is the part of sendmail(1) that touches message content. It
 *	reads the message byte by byte through a VSTREAM (so a line of
 *	any length costs at most line_limit bytes of memory), writes the
 *	envelope, then one record per line: an L record for a line (or
 *	the last piece of a long one), P records for the pieces of a
 *	line longer than line_limit. A CR that ends a line is removed as
 *	sendmail_fix_line_endings says. Null bytes are content like any
 *	other; cleanup(8) decides about them.
 *
 *	With extract (-t) it also follows the message headers, up to the
 *	first empty line or the first line that is not a header, keeps
 *	the text of each To:, Cc: and Bcc: header (and Resent-*) up to
 *	header_limit bytes, and writes the addresses after the X record.
 *
 *	What it does not do: the checks on the envelope (the caller's),
 *	MIME, header rewriting or the From: header (cleanup's business).
 *
 * DIAGNOSTICS
 *	None; see the result codes in sendmail.h.
 */
#include "sys_defs.h"

#include <string.h>

#include "msg.h"
#include "mymalloc.h"
#include "vstream.h"
#include "vstring.h"
#include "argv.h"
#include "record.h"
#include "rec_type.h"
#include "maildrop_check.h"
#include "quote_822_local.h"
#include "sendmail.h"

typedef struct SENDMAIL_READ {
    const SENDMAIL_POST *post;
    VSTREAM *out;
    VSTRING *line;			/* the piece being read */
    long    size;			/* content bytes so far */
    bool    first_line;			/* for SENDMAIL_FIX_STRICT */
    bool    strip_cr;			/* strict mode decided */
    bool    in_headers;			/* -t: still in the header block */
    bool    continued;			/* this line continues a P record */
    VSTRING *header;			/* -t: header being collected */
    VSTRING *phys;			/* -t: the pieces of one line */
    size_t  phys_len;			/* -t: its length, uncapped */
    size_t  header_len;			/* -t: this header's length */
    bool    header_too_long;		/* -t: over header_limit */
    bool    header_pending;		/* header holds a recipient header */
    int     header_kind;		/* SENDMAIL_HDR_* */
    ARGV   *plain;			/* To/Cc/Bcc addresses */
    ARGV   *resent;			/* Resent-* addresses */
} SENDMAIL_READ;

/* sendmail_post_envelope - write the envelope records up to M */
static bool sendmail_post_envelope(VSTREAM *out, const SENDMAIL_POST *post)
{
    record_puts(out, REC_TYPE_FORMAT, REC_FORMAT_TEXT);
    record_fprintf(out, REC_TYPE_TIME, "%ld.%06ld", (long) post->arrival.tv_sec,
		   (long) post->arrival.tv_usec);
    record_puts(out, REC_TYPE_FROM, post->sender);
    if (post->rewrite_context)
	record_fprintf(out, REC_TYPE_ATTR, "%s=%s",
		       MAILDROP_ATTR_REWRITE_CONTEXT, post->rewrite_context);
    if (post->full_name)
	record_fprintf(out, REC_TYPE_ATTR, "%s=%s",
		       MAILDROP_ATTR_FULL_NAME, post->full_name);
    if (post->encoding)
	record_fprintf(out, REC_TYPE_ATTR, "%s=%s",
		       MAILDROP_ATTR_ENCODING, post->encoding);
    if (post->dsn_ret)
	record_fprintf(out, REC_TYPE_ATTR, "%s=%d",
		       MAILDROP_ATTR_DSN_RET, post->dsn_ret);
    if (post->dsn_envid)
	record_fprintf(out, REC_TYPE_ATTR, "%s=%s",
		       MAILDROP_ATTR_DSN_ENVID, post->dsn_envid);
    if (post->dsn_notify)
	record_fprintf(out, REC_TYPE_ATTR, "%s=%d",
		       MAILDROP_ATTR_DSN_NOTIFY, post->dsn_notify);
    if (post->trace_flags)
	record_fprintf(out, REC_TYPE_ATTR, "%s=%d",
		       MAILDROP_ATTR_TRACE_FLAGS, post->trace_flags);
    if (post->verp_delims)
	record_puts(out, REC_TYPE_VERP, post->verp_delims);
    if (post->rcpts)
	for (size_t i = 0; i < post->rcpts->argc; i++)
	    record_puts(out, REC_TYPE_RCPT, post->rcpts->argv[i]);
    return record_put(out, REC_TYPE_MESSAGE, "", 0) == REC_TYPE_MESSAGE
	&& !vstream_ferror(out);
}

/* sendmail_post_header_done - a header is complete: extract from it */
static void sendmail_post_header_done(SENDMAIL_READ *rd)
{
    if (rd->header_pending) {
	const char *value;
	int     kind;

	VSTRING_TERMINATE(rd->header);
	if (sendmail_extract_header(vstring_str(rd->header), &kind, &value))
	    sendmail_extract(kind == SENDMAIL_HDR_RESENT ?
			     rd->resent : rd->plain, value);
    }
    rd->header_pending = false;
    VSTRING_RESET(rd->header);
}

/* sendmail_post_header_add - collect header text, up to the limit */
static void sendmail_post_header_add(SENDMAIL_READ *rd, const char *data,
				             size_t len)
{
    size_t  room = rd->post->header_limit - VSTRING_LEN(rd->header);

    if (VSTRING_LEN(rd->header) >= rd->post->header_limit)
	return;
    vstring_memcat(rd->header, data, len < room ? len : room);
}

/* sendmail_post_headers - follow the header block for -t */
static void sendmail_post_headers(SENDMAIL_READ *rd, const char *data,
				          size_t len, bool complete)
{
    const char *line;
    size_t  line_len;
    size_t  room;

    /* Put the pieces of a long line together, up to the header limit. */
    room = rd->post->header_limit - VSTRING_LEN(rd->phys);
    if (VSTRING_LEN(rd->phys) < rd->post->header_limit)
	vstring_memcat(rd->phys, data, len < room ? len : room);
    rd->phys_len += len;
    if (!complete)
	return;
    VSTRING_TERMINATE(rd->phys);
    line = vstring_str(rd->phys);
    line_len = VSTRING_LEN(rd->phys);

    /* Any header longer than the limit is fatal, as with Postfix. */
    if (line_len > 0 && (line[0] == ' ' || line[0] == '\t'))
	rd->header_len += 1 + rd->phys_len;
    else
	rd->header_len = rd->phys_len;
    rd->phys_len = 0;
    if (rd->header_len > rd->post->header_limit && line_len > 0)
	rd->header_too_long = true;

    if (line_len > 0 && (line[0] == ' ' || line[0] == '\t')) {
	if (rd->header_pending) {
	    sendmail_post_header_add(rd, "\n", 1);
	    sendmail_post_header_add(rd, line, line_len);
	}
	VSTRING_RESET(rd->phys);
	return;
    }
    sendmail_post_header_done(rd);
    if (line_len == 0) {
	rd->in_headers = false;
	return;
    }
    /* A header: a name of printable characters other than ':', then ':'. */
    {
	size_t  n = 0;

	while (n < line_len && line[n] > ' ' && line[n] <= '~' && line[n] != ':')
	    n++;
	while (n < line_len && (line[n] == ' ' || line[n] == '\t'))
	    n++;
	if (n == 0 || n >= line_len || line[n] != ':') {
	    rd->in_headers = false;
	    VSTRING_RESET(rd->phys);
	    return;
	}
    }
    sendmail_post_header_add(rd, line, line_len);
    VSTRING_RESET(rd->phys);
    {
	const char *value;
	int     kind;

	VSTRING_TERMINATE(rd->header);
	rd->header_pending = sendmail_extract_header(vstring_str(rd->header),
						     &kind, &value);
	if (!rd->header_pending)
	    VSTRING_RESET(rd->header);
    }
}

/* sendmail_post_put - write one content record and count it */
static int sendmail_post_put(SENDMAIL_READ *rd, int type, VSTRING *why)
{
    const char *data = vstring_str(rd->line);
    size_t  len = VSTRING_LEN(rd->line);

    if (rd->post->extract && rd->in_headers) {
	sendmail_post_headers(rd, data, len, type == REC_TYPE_LINE);
	if (rd->header_too_long) {
	    vstring_strcpy(why, "unable to extract recipients: "
			   "message header length exceeds safety limit");
	    return SENDMAIL_POST_HEADER;
	}
    }
    rd->continued = (type == REC_TYPE_PART);
    rd->size += (long) len + (type == REC_TYPE_LINE);
    if (rd->post->size_limit > 0 && rd->size > rd->post->size_limit) {
	vstring_strcpy(why, "message file too big");
	return SENDMAIL_POST_TOO_BIG;
    }
    if (record_put(rd->out, type, data, len) != type) {
	vstring_strcpy(why, "write error");
	return SENDMAIL_POST_WRITE;
    }
    VSTRING_RESET(rd->line);
    return SENDMAIL_POST_OK;
}

/* sendmail_post_line - a complete line: fix its ending, check for "." */
static int sendmail_post_line(SENDMAIL_READ *rd, bool *done, VSTRING *why)
{
    size_t  len = VSTRING_LEN(rd->line);
    bool    cr = (len > 0 && vstring_str(rd->line)[len - 1] == '\r');

    if (rd->first_line && !rd->continued) {
	rd->strip_cr = cr;
	rd->first_line = false;
    }
    if (cr && (rd->post->fix_line_endings == SENDMAIL_FIX_ALWAYS
	       || (rd->post->fix_line_endings == SENDMAIL_FIX_STRICT
		   && rd->strip_cr)))
	vstring_truncate(rd->line, len - 1);
    VSTRING_TERMINATE(rd->line);
    if (!rd->post->ignore_dots && !rd->continued
	&& strcmp(vstring_str(rd->line), ".") == 0) {
	*done = true;
	return SENDMAIL_POST_OK;
    }
    return sendmail_post_put(rd, REC_TYPE_LINE, why);
}

/* sendmail_post_content - copy the content, line by line */
static int sendmail_post_content(SENDMAIL_READ *rd, VSTREAM *in, VSTRING *why)
{
    size_t  limit = rd->post->line_limit;
    bool    done = false;
    int     status = SENDMAIL_POST_OK;
    int     ch;

    while (!done && status == SENDMAIL_POST_OK) {
	if ((ch = VSTREAM_GETC(in)) == VSTREAM_EOF) {
	    if (vstream_ferror(in)) {
		vstring_strcpy(why, "error reading the message");
		return SENDMAIL_POST_READ;
	    }
	    if (VSTRING_LEN(rd->line) > 0)	/* last line without newline */
		status = sendmail_post_line(rd, &done, why);
	    break;
	}
	if (ch == '\n') {
	    status = sendmail_post_line(rd, &done, why);
	    continue;
	}
	VSTRING_ADDCH(rd->line, ch);
	if (VSTRING_LEN(rd->line) >= limit) {
	    /* A CR at the end of the piece may end the line: look ahead. */
	    bool    cr = (vstring_str(rd->line)[limit - 1] == '\r');

	    if (cr) {
		if ((ch = VSTREAM_GETC(in)) == '\n') {
		    status = sendmail_post_line(rd, &done, why);
		    continue;
		}
		if (ch != VSTREAM_EOF)
		    vstream_ungetc(in, ch);
		vstring_truncate(rd->line, limit - 1);
	    }
	    if (rd->first_line)
		rd->first_line = false;		/* a long line is not CRLF */
	    status = sendmail_post_put(rd, REC_TYPE_PART, why);
	    if (cr)
		VSTRING_ADDCH(rd->line, '\r');
	}
    }
    return status;
}

/* sendmail_post_probe - the content of a -bv message, as Postfix's */
static int sendmail_post_probe(SENDMAIL_READ *rd, VSTRING *why)
{
    const SENDMAIL_POST *post = rd->post;
    VSTRING *addr = vstring_alloc(100);
    int     status = SENDMAIL_POST_OK;

    if (*post->sender) {
	quote_822_local(addr, post->sender);
	vstring_sprintf(rd->line, "From: %s", vstring_str(addr));
	status = sendmail_post_put(rd, REC_TYPE_LINE, why);
    }
    if (status == SENDMAIL_POST_OK) {
	vstring_strcpy(rd->line, "Subject: probe");
	status = sendmail_post_put(rd, REC_TYPE_LINE, why);
    }
    for (size_t i = 0; status == SENDMAIL_POST_OK && post->rcpts
	 && i < post->rcpts->argc; i++) {
	quote_822_local(addr, post->rcpts->argv[i]);
	vstring_sprintf(rd->line, "%s\t%s%s", i == 0 ? "To:" : "",
			vstring_str(addr), i + 1 < post->rcpts->argc ? "," : "");
	status = sendmail_post_put(rd, REC_TYPE_LINE, why);
    }
    vstring_free(addr);
    return status;
}

/* sendmail_post - write the whole maildrop record stream */
int     sendmail_post(VSTREAM *in, VSTREAM *out, const SENDMAIL_POST *post,
		              VSTRING *why)
{
    SENDMAIL_READ rd;
    int     status = SENDMAIL_POST_OK;
    const ARGV *extracted;

    if (post->line_limit < 2)
	msg_panic("sendmail_post: bad line limit %zu", post->line_limit);
    if (!sendmail_post_envelope(out, post)) {
	vstring_strcpy(why, "write error");
	return SENDMAIL_POST_WRITE;
    }
    memset(&rd, 0, sizeof(rd));
    rd.post = post;
    rd.out = out;
    rd.line = vstring_alloc(100);
    rd.header = vstring_alloc(100);
    rd.phys = vstring_alloc(100);
    rd.first_line = true;
    rd.in_headers = true;
    rd.plain = argv_alloc(1);
    rd.resent = argv_alloc(1);
    if (post->probe)
	status = sendmail_post_probe(&rd, why);
    else if (post->read_content)
	status = sendmail_post_content(&rd, in, why);
    if (status == SENDMAIL_POST_OK) {
	if (post->extract && rd.in_headers)
	    sendmail_post_header_done(&rd);
	extracted = (rd.resent->argc > 0 ? rd.resent : rd.plain);
	if (post->extract && extracted->argc == 0
	    && (post->rcpts == 0 || post->rcpts->argc == 0)) {
	    vstring_strcpy(why, "No recipient addresses found in message header");
	    status = SENDMAIL_POST_NO_RCPT;
	} else {
	    record_put(out, REC_TYPE_EXTRACT, "", 0);
	    if (post->extract)
		for (size_t i = 0; i < extracted->argc; i++)
		    record_puts(out, REC_TYPE_RCPT, extracted->argv[i]);
	    if (record_put(out, REC_TYPE_END, "", 0) != REC_TYPE_END
		|| vstream_fflush(out) == VSTREAM_EOF) {
		vstring_strcpy(why, "write error");
		status = SENDMAIL_POST_WRITE;
	    }
	}
    }
    vstring_free(rd.line);
    vstring_free(rd.header);
    vstring_free(rd.phys);
    argv_free(rd.plain);
    argv_free(rd.resent);
    return status;
}
