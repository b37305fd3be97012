/*
 * smtp_content - the message content and addresses as the client sends them
 *
 * SYNOPSIS
 *	See smtp_content.h.
 *
 * DESCRIPTION
 *	The content is read record by record from the queue file
 *	(queue_content(3)) and goes through up to three stages:
 *
 *	1. mime_state(3), only when something looks at the content:
 *	   smtp_header_checks and friends (smtp_checks(3): they see each
 *	   header as queued, before the generic mapping, as in Postfix;
 *	   smtp_body_checks see every whole body line, without
 *	   body_checks_size_limit, as in Postfix), the
 *	   smtp_generic_maps of the primary address headers
 *	   (smtp_generic(3)), or the 8-bit downgrade. Without any of
 *	   them the records go straight to stage 3.
 *	2. The 8-bit downgrade (SMTP_CONTENT_DOWNGRADE), as Debian's
 *	   Postfix 3.7.11 does it (observed with a recording server that
 *	   does not announce 8BITMIME): in each header block whose
 *	   Content-Transfer-Encoding is 8bit or binary, that header is
 *	   taken out and "Content-Transfer-Encoding: 7bit" (multipart/<any>
 *	   and message/<any> entities) or "Content-Transfer-Encoding:
 *	   quoted-printable" (all others; their body goes through
 *	   qp_encode(3)) is added at the end of the block. Entities
 *	   without such a header are sent as they are, 8-bit bytes and
 *	   all, as Postfix does.
 *	3. The line writer: lines longer than smtp_line_length_limit are
 *	   broken with CRLF SPACE (the first piece has limit bytes, each
 *	   continuation a space and limit - 1 bytes; the count runs over
 *	   the P records of one line), "<qid>: breaking line > N bytes
 *	   with <CR><LF>SPACE" is logged once per message, a leading "."
 *	   is doubled with SMTP_CONTENT_DOT (after the break, so a first
 *	   piece may be limit + 1 bytes long, as in Postfix), every line
 *	   ends in CRLF, and out() gets pieces of at most
 *	   SMTP_CONTENT_CHUNK bytes.
 *
 *	What the client does not send: the empty line that mime_state(3)
 *	reports as "inserted" (the queue file has the primary one
 *	already).
 *
 *	smtp_map_envelope() and smtp_quote_envelope() live in
 *	smtp_generic.c.
 *
 * DIAGNOSTICS
 *	"<qid>: error reading message: <what>" (warning) for a damaged
 *	or unreadable queue file, "<qid>: smtp header checks lookup
 *	error" (smtp_checks(3)) for a failing check table: the result is
 *	SMTP_ERR_DATA, which the caller reports as Postfix does ("local
 *	data error while talking to NAME[ADDR]", 4.3.0, observed with a
 *	failing smtp_header_checks table).
 *	While converting, too deep MIME nesting ends the transfer: the
 *	message bounces with "5.6.0 MIME nesting exceeds safety limit",
 *	as with Postfix 3.7 (observed; nothing is logged but the bounce).
 *	Other MIME oddities do not matter here.
 */
#include "sys_defs.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "msg.h"
#include "mymalloc.h"
#include "vstream.h"
#include "vstring.h"
#include "mail_params.h"
#include "record.h"
#include "rec_type.h"
#include "queue_file_read.h"
#include "queue_content.h"
#include "mime_state.h"
#include "qp_encode.h"
#include "header_opts.h"
#include "is_header.h"
#include "smtp.h"
#include "smtp_session.h"
#include "smtp_checks.h"
#include "smtp_generic.h"
#include "smtp_content.h"

#define SMTP_CONTENT_CHUNK	4096	/* bytes per out() call */

typedef struct SMTP_CONTENT {
    SMTP_STATE *state;
    const char *queue_id;
    int     flags;			/* SMTP_CONTENT_* */
    SMTP_CONTENT_OUT out;
    void   *context;
    int     out_error;			/* first non-zero out() result */
    VSTRING *obuf;			/* not yet handed to out() */
    /* line writer */
    size_t  line_limit;			/* 0: no limit */
    size_t  column;			/* bytes of the current line */
    bool    line_start;			/* next byte starts a line */
    bool    broke;			/* the break was logged */
    /* content stages */
    MIME_STATE *mime;			/* or NULL: pass records through */
    QP_ENCODE *qp;			/* or NULL */
    SMTP_CHECKS *checks;		/* or NULL */
    bool    generic;			/* smtp_generic_maps apply */
    int     retry;			/* a table lookup failed */
    int     mime_error;			/* MIME_ERR_NESTING: give up */
    /* the header block being parsed (downgrade) */
    bool    block_seen_cte;		/* first CTE header seen */
    bool    block_seen_type;		/* first Content-Type seen */
    bool    block_8bit;			/* its CTE was 8bit or binary */
    bool    block_composite;		/* multipart/<any> or message/<any> */
    /* body checks */
    bool    body_line_start;		/* the last body record was L */
    VSTRING *text;			/* check action text */
    VSTRING *scratch;
} SMTP_CONTENT;

static SMTP_CHECKS *smtp_content_checks;	/* opened on first use */
static bool smtp_content_checks_opened;

/* smtp_content_flush - hand the pending bytes to out() */
static void smtp_content_flush(SMTP_CONTENT *sc)
{
    int     status;

    if (sc->out_error == 0 && VSTRING_LEN(sc->obuf) > 0) {
	status = sc->out(sc->context, vstring_str(sc->obuf),
			 (ssize_t) VSTRING_LEN(sc->obuf));
	if (status != 0)
	    sc->out_error = status;
    }
    VSTRING_RESET(sc->obuf);
}

/* smtp_content_emit - append bytes, in pieces of at most a chunk */
static void smtp_content_emit(SMTP_CONTENT *sc, const char *data, size_t len)
{
    size_t  room;

    while (len > 0 && sc->out_error == 0) {
	room = SMTP_CONTENT_CHUNK - VSTRING_LEN(sc->obuf);
	if (room > len)
	    room = len;
	vstring_memcat(sc->obuf, data, room);
	data += room;
	len -= room;
	if (VSTRING_LEN(sc->obuf) >= SMTP_CONTENT_CHUNK)
	    smtp_content_flush(sc);
    }
}

/* smtp_content_put - one record: break, dot-stuff, end lines in CRLF */
static void smtp_content_put(SMTP_CONTENT *sc, int rec_type,
			             const char *text, size_t len)
{
    size_t  piece;

    if (sc->line_start && len > 0 && text[0] == '.'
	&& (sc->flags & SMTP_CONTENT_DOT))
	smtp_content_emit(sc, ".", 1);
    while (sc->line_limit > 0 && sc->column + len > sc->line_limit) {
	if (!sc->broke) {
	    msg_info("%s: breaking line > %lu bytes with <CR><LF>SPACE",
		     sc->queue_id, (unsigned long) sc->line_limit);
	    sc->broke = true;
	}
	piece = sc->line_limit - sc->column;
	smtp_content_emit(sc, text, piece);
	smtp_content_emit(sc, "\r\n ", 3);
	text += piece;
	len -= piece;
	sc->column = 1;
    }
    smtp_content_emit(sc, text, len);
    sc->column += len;
    if (rec_type == REC_TYPE_LINE) {
	smtp_content_emit(sc, "\r\n", 2);
	sc->column = 0;
	sc->line_start = true;
    } else if (len > 0) {
	sc->line_start = false;
    }
}

/* smtp_content_put_lines - text with "\n" between lines, as L records */
static void smtp_content_put_lines(SMTP_CONTENT *sc, const char *text,
				           size_t len)
{
    const char *nl;

    while ((nl = memchr(text, '\n', len)) != 0) {
	smtp_content_put(sc, REC_TYPE_LINE, text, (size_t) (nl - text));
	len -= (size_t) (nl - text) + 1;
	text = nl + 1;
    }
    smtp_content_put(sc, REC_TYPE_LINE, text, len);
}

/* smtp_content_qp_line - one quoted-printable output line */
static void smtp_content_qp_line(void *context, const char *text, size_t len)
{
    smtp_content_put((SMTP_CONTENT *) context, REC_TYPE_LINE, text, len);
}

/* smtp_content_token - the first token of a MIME header value, lower case */
static void smtp_content_token(const char *value, size_t len, VSTRING *buf)
{
    const char *end = value + len;
    const char *cp = value;
    int     depth;

    VSTRING_RESET(buf);
    for (;;) {
	while (cp < end && (*cp == ' ' || *cp == '\t' || *cp == '\n'
			    || *cp == '\r'))
	    cp++;
	if (cp >= end || *cp != '(')
	    break;
	for (depth = 0; cp < end; cp++) {	/* a comment, maybe nested */
	    if (*cp == '\\' && cp + 1 < end)
		cp++;
	    else if (*cp == '(')
		depth++;
	    else if (*cp == ')' && --depth == 0) {
		cp++;
		break;
	    }
	}
    }
    while (cp < end && strchr(" \t\r\n;(", *cp) == 0)
	VSTRING_ADDCH(buf, tolower((unsigned char) *cp++));
    VSTRING_TERMINATE(buf);
}

/* smtp_content_downgrade_header - CTE and Content-Type of a block */
static bool smtp_content_downgrade_header(SMTP_CONTENT *sc,
					          const MIME_HEADER *hdr)
{
    size_t  off;
    const char *token;

    if (hdr->opts == 0 || (off = is_header_value(hdr->text, hdr->len)) == 0)
	return true;
    if (hdr->opts->id == HDR_CONTENT_TYPE && !sc->block_seen_type) {
	sc->block_seen_type = true;
	smtp_content_token(hdr->text + off, hdr->len - off, sc->scratch);
	token = vstring_str(sc->scratch);
	sc->block_composite = (strncmp(token, "multipart/", 10) == 0
			       || strncmp(token, "message/", 8) == 0);
    } else if (hdr->opts->id == HDR_CONTENT_TRANSFER_ENCODING
	       && !sc->block_seen_cte) {
	sc->block_seen_cte = true;
	smtp_content_token(hdr->text + off, hdr->len - off, sc->scratch);
	token = vstring_str(sc->scratch);
	if (strcmp(token, "8bit") == 0 || strcmp(token, "binary") == 0) {
	    sc->block_8bit = true;
	    return false;			/* replaced at the block end */
	}
    }
    return true;
}

/* smtp_content_header_class - which check table applies to a header */
static int smtp_content_header_class(const MIME_HEADER *hdr)
{
    if (hdr->header_class == MIME_HDR_MULTIPART || hdr->mime)
	return (SMTP_CHECK_MIME_HEADER);
    if (hdr->header_class == MIME_HDR_NESTED)
	return (SMTP_CHECK_NESTED_HEADER);
    return (SMTP_CHECK_HEADER);
}

/* smtp_content_header - one logical header (mime_state callback) */
static void smtp_content_header(void *context, const MIME_HEADER *hdr)
{
    SMTP_CONTENT *sc = context;
    int     action = SMTP_CHECK_KEEP;

    if (sc->checks != 0 && sc->retry == 0) {
	action = smtp_checks_run(sc->checks, smtp_content_header_class(hdr),
				 sc->queue_id, hdr->text, hdr->len, sc->text);
	switch (action) {
	case SMTP_CHECK_RETRY:
	    sc->retry = 1;
	    action = SMTP_CHECK_KEEP;
	    break;
	case SMTP_CHECK_DELETE:
	    return;
	case SMTP_CHECK_REPLACE:
	    smtp_content_put_lines(sc, vstring_str(sc->text),
				   VSTRING_LEN(sc->text));
	    return;
	case SMTP_CHECK_PREPEND:
	    smtp_content_put_lines(sc, vstring_str(sc->text),
				   VSTRING_LEN(sc->text));
	    break;
	}
    }
    if ((sc->flags & SMTP_CONTENT_DOWNGRADE)
	&& !smtp_content_downgrade_header(sc, hdr))
	return;
    if (sc->generic && hdr->header_class == MIME_HDR_PRIMARY
	&& smtp_generic_header(sc->queue_id, hdr->opts, hdr->text,
			       hdr->len, sc->scratch) > 0) {
	smtp_content_put_lines(sc, vstring_str(sc->scratch),
			       VSTRING_LEN(sc->scratch));
	return;
    }
    smtp_content_put_lines(sc, hdr->text, hdr->len);
}

/* smtp_content_header_end - the end of a header block (callback) */
static void smtp_content_header_end(void *context, int header_class,
				            int depth)
{
    SMTP_CONTENT *sc = context;

    (void) header_class;
    (void) depth;
    if (sc->block_8bit) {
	const char *cte = sc->block_composite ? "7bit" : "quoted-printable";

	vstring_sprintf(sc->scratch, "Content-Transfer-Encoding: %s", cte);
	smtp_content_put(sc, REC_TYPE_LINE, vstring_str(sc->scratch),
			 VSTRING_LEN(sc->scratch));
    }
    sc->block_seen_cte = sc->block_seen_type = false;
    sc->block_8bit = sc->block_composite = false;
    sc->body_line_start = true;
}

/* smtp_content_encode - this body record goes out quoted-printable */
static bool smtp_content_encode(SMTP_CONTENT *sc, const MIME_BODY *line)
{
    /*
     * Whatever the content type: Postfix 3.7 (observed) also encodes the
     * opaque body of a message/partial entity declared 8bit, under the
     * "Content-Transfer-Encoding: 7bit" that it gives message/<any>.
     */
    return ((sc->flags & SMTP_CONTENT_DOWNGRADE)
	    && line->line_class == MIME_LINE_CONTENT
	    && (line->encoding == MIME_ENC_8BIT
		|| line->encoding == MIME_ENC_BINARY));
}

/* smtp_content_body_check - smtp_body_checks; false: drop the record */
static bool smtp_content_body_check(SMTP_CONTENT *sc, const MIME_BODY *line)
{
    bool    whole = sc->body_line_start && line->rec_type == MIME_REC_LINE;

    /*
     * Every whole line, also past body_checks_size_limit: Postfix 3.7's
     * client has no such limit (observed). A line longer than a record
     * (P records) is not inspected.
     */
    sc->body_line_start = (line->rec_type == MIME_REC_LINE);
    if (sc->checks == 0 || sc->retry || !whole
	|| line->line_class == MIME_LINE_SEPARATOR)
	return true;
    switch (smtp_checks_run(sc->checks, SMTP_CHECK_BODY, sc->queue_id,
			    line->text, line->len, sc->text)) {
    case SMTP_CHECK_RETRY:
	sc->retry = 1;
	return true;
    case SMTP_CHECK_DELETE:
	return false;
    case SMTP_CHECK_REPLACE:
	smtp_content_put(sc, REC_TYPE_LINE, vstring_str(sc->text),
			 VSTRING_LEN(sc->text));
	return false;
    case SMTP_CHECK_PREPEND:
	smtp_content_put(sc, REC_TYPE_LINE, vstring_str(sc->text),
			 VSTRING_LEN(sc->text));
	return true;
    default:
	return true;
    }
}

/* smtp_content_body - one body record (mime_state callback) */
static void smtp_content_body(void *context, const MIME_BODY *line)
{
    SMTP_CONTENT *sc = context;

    if (line->inserted)
	return;
    if (!smtp_content_body_check(sc, line))
	return;
    if (smtp_content_encode(sc, line)) {
	if (sc->qp == 0)
	    sc->qp = qp_encode_create(smtp_content_qp_line, sc);
	qp_encode_update(sc->qp, line->rec_type, line->text, line->len);
	return;
    }
    smtp_content_put(sc, line->rec_type, line->text, line->len);
}

/* smtp_content_mime_error - a MIME problem (callback) */
static void smtp_content_mime_error(void *context, int error,
				            const char *detail, size_t len)
{
    SMTP_CONTENT *sc = context;

    (void) detail;
    (void) len;
    /* Postfix bounces such mail when it would convert it (observed). */
    if ((error & MIME_ERR_NESTING) && (sc->flags & SMTP_CONTENT_DOWNGRADE))
	sc->mime_error = MIME_ERR_NESTING;
}

/* smtp_content_mime_create - the parser, when the content is inspected */
static MIME_STATE *smtp_content_mime_create(SMTP_CONTENT *sc)
{
    static const MIME_STATE_CALLBACKS callbacks = {
	smtp_content_header,
	smtp_content_header_end,
	smtp_content_body,
	0,
	smtp_content_mime_error,
    };
    MIME_STATE_LIMITS limits;
    int     options = MIME_OPT_NONE;

    limits.header_size = (size_t) VAR_INT(header_size_limit);
    limits.nesting = (int) VAR_INT(mime_nesting_limit);
    limits.boundary_length = (size_t) VAR_INT(mime_boundary_length_limit);
    if ((sc->flags & SMTP_CONTENT_DOWNGRADE) == 0
	&& VAR_BOOL(disable_mime_input_processing))
	options |= MIME_OPT_DISABLE_MIME;
    return (mime_state_create(&limits, options, &callbacks, sc));
}

/* smtp_content_get_checks - the check tables, opened on first use */
static SMTP_CHECKS *smtp_content_get_checks(void)
{
    if (!smtp_content_checks_opened) {
	smtp_content_checks = smtp_checks_create();
	if (!smtp_checks_any(smtp_content_checks)) {
	    smtp_checks_free(smtp_content_checks);
	    smtp_content_checks = 0;
	}
	smtp_content_checks_opened = true;
    }
    return (smtp_content_checks);
}

/* smtp_content_init - open the tables now, before privileges change */
void    smtp_content_init(void)
{
    (void) smtp_content_get_checks();
    (void) smtp_generic_active();
}

/* smtp_content_reset - close the tables; the next use reopens them */
void    smtp_content_reset(void)
{
    if (smtp_content_checks != 0)
	smtp_checks_free(smtp_content_checks);
    smtp_content_checks = 0;
    smtp_content_checks_opened = false;
    smtp_generic_reset();
}

/* smtp_content_copy - read the records and feed the stages */
static bool smtp_content_copy(SMTP_CONTENT *sc, VSTREAM *src,
			              VSTRING *problem)
{
    VSTRING *buf = vstring_alloc(1000);
    int     type;
    int     last = REC_TYPE_LINE;
    bool    ok = false;

    if (!queue_content_start(src, sc->state->request->data_offset, buf,
			     problem)) {
	vstring_free(buf);
	return (false);
    }
    while (sc->out_error == 0 && sc->mime_error == 0 && sc->retry == 0) {
	if ((type = queue_content_get(src, buf, problem)) < 0)
	    break;
	if (type == 0) {
	    if (last == REC_TYPE_PART)
		vstring_strcpy(problem, "partial line at end of message content");
	    else
		ok = true;
	    break;
	}
	last = type;
	if (sc->mime)
	    (void) mime_state_update(sc->mime, type, vstring_str(buf),
				     VSTRING_LEN(buf));
	else
	    smtp_content_put(sc, type, vstring_str(buf), VSTRING_LEN(buf));
    }
    vstring_free(buf);
    return (ok || sc->out_error != 0 || sc->mime_error != 0 || sc->retry);
}

/* smtp_content_send - the message content to out() */
int     smtp_content_send(SMTP_STATE *state, int flags, SMTP_CONTENT_OUT out,
			          void *context, DSN_BUF *why)
{
    SMTP_CONTENT sc;
    VSTRING *problem = vstring_alloc(100);
    bool    read_ok;
    int     result;

    memset(&sc, 0, sizeof(sc));
    sc.state = state;
    sc.queue_id = state->request->queue_id ? state->request->queue_id :
	"NOQUEUE";
    sc.flags = flags;
    sc.out = out;
    sc.context = context;
    sc.obuf = vstring_alloc(SMTP_CONTENT_CHUNK);
    sc.line_limit = SMTP_INT(line_length_limit) > 0 ?
	(size_t) SMTP_INT(line_length_limit) : 0;
    /* After "CRLF SPACE" a piece must hold at least one more byte. */
    if (sc.line_limit == 1)
	sc.line_limit = 2;
    sc.line_start = true;
    sc.checks = smtp_content_get_checks();
    sc.generic = smtp_generic_active();
    sc.body_line_start = true;
    sc.text = vstring_alloc(100);
    sc.scratch = vstring_alloc(100);
    if (sc.checks != 0 || sc.generic || (flags & SMTP_CONTENT_DOWNGRADE))
	sc.mime = smtp_content_mime_create(&sc);

    if (state->src == 0) {
	vstring_strcpy(problem, "queue file is not open");
	read_ok = false;
    } else {
	read_ok = smtp_content_copy(&sc, state->src, problem);
    }
    if (sc.mime) {
	if (read_ok && sc.out_error == 0 && sc.mime_error == 0 && !sc.retry)
	    (void) mime_state_finish(sc.mime);
	mime_state_free(sc.mime);
    }
    if (sc.qp)
	qp_encode_free(sc.qp);
    if (!read_ok) {
	msg_warn("%s: error reading message: %s", sc.queue_id,
		 vstring_str(problem));
	dsb_simple(why, "4.3.0", "error reading message: %s",
		   vstring_str(problem));
	result = SMTP_ERR_DATA;
    } else if (sc.mime_error) {
	dsb_simple(why, "5.6.0", "%s", mime_state_error_text(sc.mime_error));
	result = -1;
    } else if (sc.retry) {
	dsb_simple(why, "4.3.0", "content check table lookup error");
	result = SMTP_ERR_DATA;
    } else {
	smtp_content_flush(&sc);
	result = sc.out_error;
    }
    vstring_free(sc.obuf);
    vstring_free(sc.text);
    vstring_free(sc.scratch);
    vstring_free(problem);
    return (result);
}

/* smtp_content_8bit - the message may be 8-bit */
static bool smtp_content_8bit(SMTP_STATE *state)
{
    DELIVER_REQUEST *request = state->request;
    VSTRING *buf;
    QUEUE_FILE_SIZE size;
    bool    eight = false;

    /*
     * As Postfix 3.7 (observed: it leaves out SIZE for a server without
     * 8BITMIME unless the client declared BODY=7BIT), content of unknown
     * encoding may be 8-bit.
     */
    if (request->encoding == 0 || strcasecmp(request->encoding, "7bit") != 0)
	return (true);
    /* cleanup(8) records detected 8-bit content in the S record. */
    if (state->src == 0 || vstream_fseek(state->src, (off_t) 0, SEEK_SET) < 0)
	return (false);
    buf = vstring_alloc(100);
    if (record_get(state->src, buf, QUEUE_FILE_LIMIT) == REC_TYPE_FORMAT
	&& record_get(state->src, buf, QUEUE_FILE_LIMIT) == REC_TYPE_SIZE
	&& queue_file_size_parse(vstring_str(buf), VSTRING_LEN(buf), &size))
	eight = (size.body_type != QUEUE_FILE_BODY_7BIT);
    vstring_free(buf);
    return (eight);
}

/* smtp_content_needs_downgrade - 8-bit content for a 7-bit server */
int     smtp_content_needs_downgrade(SMTP_STATE *state)
{
    /*
     * A server that offers SMTPUTF8 but not 8BITMIME gets 8-bit mail as
     * it is: Postfix 3.7 does so (observed; smtp_proto logs "offers
     * SMTPUTF8 support, but not 8BITMIME").
     */
    if (state->session == 0
	|| (state->session->features
	    & (SMTP_FEATURE_8BITMIME | SMTP_FEATURE_SMTPUTF8)) != 0
	|| VAR_BOOL(disable_mime_output_conversion))
	return (0);
    return (smtp_content_8bit(state) ? 1 : 0);
}
