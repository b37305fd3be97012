/*
 * cleanup_message - the message content from the cleanup client
 *
 * SYNOPSIS
 *	#include "cleanup.h"
 *
 *	void	cleanup_message(CLEANUP_STATE *state, int type,
 *				const char *data, size_t len);
 *	void	cleanup_message_end(CLEANUP_STATE *state);
 *	void	cleanup_message_log_context(CLEANUP_STATE *state,
 *				CLEANUP_LOG_CONTEXT *ctx);
 *	bool	cleanup_message_action(CLEANUP_STATE *state,
 *				CLEANUP_CHECK_RESULT *result, int class,
 *				VSTRING *line);
 *
 * DESCRIPTION
 *	cleanup_message() takes one content record (L or P) of the client.
 *	Each record is first cleaned: bytes in message_strip_characters
 *	are removed, a byte in message_reject_characters rejects the
 *	message ("5.7.1 disallowed character", logged as "reject: content
 *	..."), and with cleanup_replace_stray_cr_lf each CR or LF inside
 *	the line becomes a space. The record then goes to the MIME parser
 *	(mime_state(3); limits header_size_limit, mime_nesting_limit,
 *	mime_boundary_length_limit; options disable_mime_input_processing
 *	and the strict_* checks), whose callbacks do the rest:
 *
 *	Primary headers go to cleanup_headers_one(); the end of the
 *	primary header block to cleanup_headers_end(). Headers of
 *	multipart body parts and of attached messages get
 *	mime_header_checks (MIME headers, and every header of a multipart
 *	part) or nested_header_checks (the other headers of an attached
 *	message), and are written. Body records are passed through as
 *	they came (P stays P), after body_checks, which see at most
 *	body_checks_size_limit bytes of each body segment (the text after
 *	a header block or a boundary). The parser supplies the empty line
 *	after a header block that ended without one, so that added headers
 *	never run into the body.
 *
 *	MIME structure errors (nesting deeper than mime_nesting_limit, and
 *	with the strict_* settings 8-bit text where it does not belong or
 *	a bad encoding domain) reject the message with "5.6.0 <error>",
 *	logged as "reject: mime-error <error>: <text> from <client>;
 *	from=<sender> to=<recipient>" (no reply text, as Postfix logs it).
 *	A header is cut at header_size_limit and at its first null byte,
 *	as Postfix does; neither is an error.
 *
 *	cleanup_message_end() is called at the client's X record: it
 *	finishes the parser, terminates a last partial line, notes 8-bit
 *	content for the S record, and writes the X record, followed by
 *	the attribute encoding=8bit (as Postfix) when the client declared
 *	8-bit content (encoding=8bit or 8bitmime) or a Content-Transfer-
 *	Encoding: 8bit or binary header was seen (detect_8bit_encoding_
 *	header).
 *
 *	cleanup_message_log_context() fills in the context of a content
 *	check log line. cleanup_message_action() carries out the action
 *	of a header or body check on line (class CLEANUP_CHECK_*): it
 *	returns false when the line is to be deleted; REPLACE changes
 *	line; PREPEND writes the text before it.
 *
 * DIAGNOSTICS
 *	Info: "<id>: reject: content <line> from <client>; from=<sender>
 *	to=<recipient>: 5.7.1 disallowed character", "<id>: reject:
 *	mime-error ...". Warnings: a record other than L, P or X in the
 *	content.
 */
#include "sys_defs.h"

#include <string.h>
#include <strings.h>

#include "excerpt.h"
#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "mail_params.h"
#include "rec_type.h"
#include "cleanup.h"
#include "cleanup_header_fn.h"
#include "mime_state.h"

/* cleanup_message_param_chars - an unescaped character set parameter */
static VSTRING *cleanup_message_param_chars(VSTRING **cache,
					            const char *value)
{
    if (*cache == 0) {
	*cache = vstring_alloc(10);
	unescape(*cache, value);
    }
    return *cache;
}

/* cleanup_message_log_context - the context of a content log line */
void    cleanup_message_log_context(CLEANUP_STATE *state,
				            CLEANUP_LOG_CONTEXT *ctx)
{
    const char *value;
    size_t  i;

    memset(ctx, 0, sizeof(*ctx));
    ctx->queue_id = state->queue_id;
    ctx->client_name = state->client_name;
    ctx->client_addr = state->client_addr ? state->client_addr : "unknown";
    if (ctx->client_name == 0 && state->client_addr != 0)
	ctx->client_name = "unknown";
    ctx->sender = state->sender ? state->sender : "";
    ctx->recipient = state->last_rcpt;
    ctx->redirected = (state->redirect != 0);
    for (i = 0; i < state->attrs->argc; i++) {
	value = state->attrs->argv[i];
	if (strncmp(value, "protocol=", 9) == 0 && value[9])
	    ctx->protocol = value + 9;
	else if (strncmp(value, "helo_name=", 10) == 0 && value[10])
	    ctx->helo = value + 10;
    }
}

/* cleanup_message_log_reject - "reject: <what> from <client>; ..." */
static void cleanup_message_log_reject(CLEANUP_STATE *state, const char *what,
				               const char *reason)
{
    CLEANUP_LOG_CONTEXT ctx;
    VSTRING *buf = vstring_alloc(100);

    cleanup_message_log_context(state, &ctx);
    vstring_sprintf(buf, "%s: reject: %s from ", state->queue_id, what);
    if (ctx.client_name)
	vstring_sprintf_append(buf, "%s[%s]", ctx.client_name,
			       ctx.client_addr);
    else
	vstring_strcat(buf, "local");
    vstring_sprintf_append(buf, "; from=<%s>", ctx.sender);
    if (ctx.recipient)
	vstring_sprintf_append(buf, " to=<%s>", ctx.recipient);
    if (ctx.protocol)
	vstring_sprintf_append(buf, " proto=%s", ctx.protocol);
    if (ctx.helo)
	vstring_sprintf_append(buf, " helo=<%s>", ctx.helo);
    if (reason)
	vstring_sprintf_append(buf, ": %s", reason);
    msg_info("%s", vstring_str(buf));
    vstring_free(buf);
}

/* cleanup_message_reject_chars - log and reject a disallowed character */
static void cleanup_message_reject_chars(CLEANUP_STATE *state,
					         const char *text, size_t len)
{
    VSTRING *what = vstring_alloc(100);

    vstring_strcpy(what, "content ");
    vstring_memcat(what, text, len);
    VSTRING_TERMINATE(what);
    printable(vstring_str(what), '?');
    cleanup_message_log_reject(state, vstring_str(what),
			       "5.7.1 disallowed character");
    cleanup_state_error(state, CLEANUP_STAT_CONT,
			"5.7.1 disallowed character");
    vstring_free(what);
}

/* cleanup_message_clean - strip, reject, replace stray CR/LF; 8-bit */
static void cleanup_message_clean(CLEANUP_STATE *state, VSTRING *piece)
{
    static VSTRING *strip;
    static VSTRING *reject;
    VSTRING *chars;

    chars = cleanup_message_param_chars(&strip,
					VAR_STR(message_strip_characters));
    (void) cleanup_chars_strip(piece, vstring_str(chars), VSTRING_LEN(chars));
    chars = cleanup_message_param_chars(&reject,
					VAR_STR(message_reject_characters));
    if (cleanup_chars_find(vstring_str(piece), VSTRING_LEN(piece),
			   vstring_str(chars), VSTRING_LEN(chars)))
	cleanup_message_reject_chars(state, vstring_str(piece),
				     VSTRING_LEN(piece));
    if (VAR_BOOL(cleanup_replace_stray_cr_lf))
	(void) cleanup_chars_stray_cr_lf(piece);
}

/* cleanup_message_action - carry out a header or body check action */
bool    cleanup_message_action(CLEANUP_STATE *state,
			               CLEANUP_CHECK_RESULT *result, int class,
			               VSTRING *line)
{
    const char *text = vstring_str(result->text);

    switch (result->action) {
    case CLEANUP_ACT_REJECT:
	cleanup_state_error(state, CLEANUP_STAT_CONT, "%s", text);
	state->checks_off = true;
	return true;
    case CLEANUP_ACT_DEFER:
	cleanup_state_error(state, CLEANUP_STAT_DEFER, "%s", text);
	state->checks_off = true;
	return true;
    case CLEANUP_ACT_RETRY:
	cleanup_state_error(state, CLEANUP_STAT_WRITE, "%s", text);
	state->checks_off = true;
	return true;
    case CLEANUP_ACT_DISCARD:
	state->discard = true;
	state->checks_off = true;
	return true;
    case CLEANUP_ACT_PASS:
	state->checks_off = true;
	return true;
    case CLEANUP_ACT_HOLD:
	state->hold = true;
	return true;
    case CLEANUP_ACT_REDIRECT:
	myfree(state->redirect);
	state->redirect = mystrdup(text);
	return true;
    case CLEANUP_ACT_FILTER:
	/* After a REDIRECT, Postfix 3.7 no longer records a FILTER. */
	if (state->redirect == 0) {
	    myfree(state->filter);
	    state->filter = mystrdup(text);
	}
	return true;
    case CLEANUP_ACT_BCC:
	argv_add(state->bcc, text, (char *) 0);
	return true;
    case CLEANUP_ACT_PREPEND:
	if (class == CLEANUP_CHECK_BODY)
	    cleanup_out_line(state, text, VSTRING_LEN(result->text));
	else
	    cleanup_out_header(state, text, VSTRING_LEN(result->text));
	return true;
    case CLEANUP_ACT_REPLACE:
	vstring_memcpy(line, text, VSTRING_LEN(result->text));
	VSTRING_TERMINATE(line);
	return true;
    case CLEANUP_ACT_IGNORE:
    case CLEANUP_ACT_STRIP:
	return false;
    default:
	return true;
    }
}

/* cleanup_message_body_checks - body_checks on one body record */
static bool cleanup_message_body_checks(CLEANUP_STATE *state, VSTRING *piece)
{
    CLEANUP_LOG_CONTEXT ctx;

    if ((state->flags & CLEANUP_FLAG_FILTER) == 0 || cleanup_maps == 0
	|| state->checks_off
	|| state->body_checked >= cleanup_maps->body_checks_size_limit)
	return true;
    state->body_checked += (long) VSTRING_LEN(piece) + 1;
    cleanup_message_log_context(state, &ctx);
    if (cleanup_checks_body(cleanup_maps, vstring_str(piece),
			    VSTRING_LEN(piece), &ctx, state->check)
	== CLEANUP_ACT_NONE)
	return true;
    return cleanup_message_action(state, state->check, CLEANUP_CHECK_BODY,
				  piece);
}

/* cleanup_message_body - MIME callback: one body record */
static void cleanup_message_body(void *context, const MIME_BODY *body)
{
    CLEANUP_STATE *state = (CLEANUP_STATE *) context;
    VSTRING *piece = state->temp2;

    if (!cleanup_out_ok(state))
	return;
    /* Postfix keeps body parts as received: no separator added there. */
    if (body->line_class == MIME_LINE_SEPARATOR && body->inserted
	&& body->depth > 0)
	return;
    vstring_memcpy(piece, body->text, body->len);
    VSTRING_TERMINATE(piece);
    if (body->line_class == MIME_LINE_BOUNDARY)
	state->body_checked = 0;		/* a new body segment */
    if (body->line_class != MIME_LINE_SEPARATOR
	&& !cleanup_message_body_checks(state, piece))
	return;
    if (body->rec_type == MIME_REC_PART) {
	state->content_size += (long) VSTRING_LEN(piece);
	cleanup_out(state, REC_TYPE_PART, vstring_str(piece),
		    VSTRING_LEN(piece));
    } else {
	cleanup_out_line(state, vstring_str(piece), VSTRING_LEN(piece));
    }
    state->body_partial = (body->rec_type == MIME_REC_PART);
}

/* cleanup_message_other_header - checks of a multipart or nested header */
static void cleanup_message_other_header(CLEANUP_STATE *state,
					         const MIME_HEADER *header,
					         VSTRING *text)
{
    CLEANUP_LOG_CONTEXT ctx;
    int     class;

    if ((state->flags & CLEANUP_FLAG_FILTER) && cleanup_maps != 0
	&& !state->checks_off) {
	class = (header->mime || header->header_class == MIME_HDR_MULTIPART) ?
	    CLEANUP_CHECK_MIME_HEADER : CLEANUP_CHECK_NESTED_HEADER;
	cleanup_message_log_context(state, &ctx);
	if (cleanup_checks_header(cleanup_maps, class, vstring_str(text),
				  VSTRING_LEN(text), &ctx, state->check)
	    != CLEANUP_ACT_NONE
	    && !cleanup_message_action(state, state->check, class, text))
	    return;
    }
    cleanup_out_header(state, vstring_str(text), VSTRING_LEN(text));
}

/* cleanup_message_header - MIME callback: one logical header */
static void cleanup_message_header(void *context, const MIME_HEADER *header)
{
    CLEANUP_STATE *state = (CLEANUP_STATE *) context;
    size_t  limit = (size_t) VAR_INT(header_size_limit);
    const char *nul;

    if (!cleanup_out_ok(state))
	return;
    /* Postfix cuts a header at the limit, also inside its last line, */
    if (header->len < limit)
	limit = header->len;
    /* and at its first null byte. */
    if ((nul = memchr(header->text, 0, limit)) != 0)
	limit = (size_t) (nul - header->text);
    vstring_memcpy(state->header, header->text, limit);
    VSTRING_TERMINATE(state->header);
    if (header->header_class == MIME_HDR_PRIMARY)
	cleanup_headers_one(state, state->header);
    else
	cleanup_message_other_header(state, header, state->header);
}

/* cleanup_message_header_end - MIME callback: end of a header block */
static void cleanup_message_header_end(void *context, int header_class,
				               int depth)
{
    CLEANUP_STATE *state = (CLEANUP_STATE *) context;

    (void) depth;
    state->body_checked = 0;			/* a new body segment */
    if (header_class == MIME_HDR_PRIMARY) {
	state->cont_state = CLEANUP_CONT_BODY;
	cleanup_headers_end(state);
    }
}

#define CLEANUP_MIME_DETAIL_MAX	100	/* bytes of a mime-error detail */

/* cleanup_message_error - MIME callback: a structure error */
static void cleanup_message_error(void *context, int error,
				          const char *detail, size_t len)
{
    CLEANUP_STATE *state = (CLEANUP_STATE *) context;
    const char *text = mime_state_error_text(error);
    VSTRING *what;

    /* Long headers are cut, not rejected (as Postfix does). */
    if (error == MIME_ERR_TRUNC_HEADER || !cleanup_out_ok(state))
	return;
    what = vstring_alloc(100);
    /* Postfix quotes the first 100 bytes of the detail, no "...". */
    vstring_sprintf(what, "mime-error %s: ", text);
    cleanup_checks_quote(what, detail, len, CLEANUP_MIME_DETAIL_MAX);
    /* Postfix logs no reply text here. */
    cleanup_message_log_reject(state, vstring_str(what), (char *) 0);
    cleanup_state_error(state, CLEANUP_STAT_CONT, "5.6.0 %s", text);
    vstring_free(what);
}

/* cleanup_message_mime - the MIME parser of this message */
static MIME_STATE *cleanup_message_mime(CLEANUP_STATE *state)
{
    static const MIME_STATE_CALLBACKS callbacks = {
	.header = cleanup_message_header,
	.header_end = cleanup_message_header_end,
	.body = cleanup_message_body,
	.error = cleanup_message_error,
    };
    MIME_STATE_LIMITS limits;
    int     options = MIME_OPT_NONE;

    if (state->mime == 0) {
	limits.header_size = (size_t) VAR_INT(header_size_limit);
	limits.nesting = (int) VAR_INT(mime_nesting_limit);
	limits.boundary_length = (size_t) VAR_INT(mime_boundary_length_limit);
	if (VAR_BOOL(disable_mime_input_processing))
	    options |= MIME_OPT_DISABLE_MIME;
	if (VAR_BOOL(strict_7bit_headers) || VAR_BOOL(strict_8bitmime))
	    options |= MIME_OPT_REPORT_8BIT_IN_HEADER;
	if (VAR_BOOL(strict_8bitmime_body) || VAR_BOOL(strict_8bitmime))
	    options |= MIME_OPT_REPORT_8BIT_IN_7BIT_BODY;
	if (VAR_BOOL(strict_mime_encoding_domain))
	    options |= MIME_OPT_REPORT_ENCODING_DOMAIN;
	state->mime = mime_state_create(&limits, options, &callbacks,
					(void *) state);
    }
    return state->mime;
}

/* cleanup_message - one content record */
void    cleanup_message(CLEANUP_STATE *state, int type, const char *data,
			        size_t len)
{
    VSTRING *piece = state->temp1;

    if (type != REC_TYPE_LINE && type != REC_TYPE_PART) {
	msg_warn("%s: unexpected %s record in message content from client",
		 state->queue_id, rec_type_name(type));
	cleanup_state_error(state, CLEANUP_STAT_BAD,
			    "5.3.0 bad message format");
	return;
    }
    if (!cleanup_out_ok(state))
	return;
    vstring_memcpy(piece, data, len);
    VSTRING_TERMINATE(piece);
    cleanup_message_clean(state, piece);
    (void) mime_state_update(cleanup_message_mime(state), type,
			     vstring_str(piece), VSTRING_LEN(piece));
}

/* cleanup_message_declared_8bit - did the client say encoding=8bit */
static bool cleanup_message_declared_8bit(CLEANUP_STATE *state)
{
    size_t  i;

    for (i = 0; i < state->attrs->argc; i++)
	if (strcasecmp(state->attrs->argv[i], "encoding=8bit") == 0
	    || strcasecmp(state->attrs->argv[i], "encoding=8bitmime") == 0)
	    return true;
    return false;
}

/* cleanup_message_end - the X record: finish the content */
void    cleanup_message_end(CLEANUP_STATE *state)
{
    int     seen;

    (void) mime_state_finish(cleanup_message_mime(state));
    if (state->cont_state == CLEANUP_CONT_HEADERS) {
	/* An empty message: the parser reports no header block end. */
	state->cont_state = CLEANUP_CONT_BODY;
	cleanup_headers_end(state);
    }
    if (state->body_partial) {
	cleanup_out(state, REC_TYPE_LINE, "", 0);
	state->content_size += 1;
    }
    seen = mime_state_seen(state->mime);
    if (seen & MIME_SEEN_8BIT_HEADER)
	state->needs_utf8 = true;
    if ((seen & MIME_SEEN_8BIT_BODY)
	|| (VAR_BOOL(detect_8bit_encoding_header)
	    && (seen & (MIME_SEEN_8BIT_CTE | MIME_SEEN_BINARY_CTE))))
	state->eight_bit = true;
    if (state->dst != 0 && cleanup_out_ok(state))
	state->extract_offset = vstream_ftell(state->dst);
    cleanup_out(state, REC_TYPE_EXTRACT, "", 0);
    /* As Postfix: 8-bit declared by the client or by the content. */
    if (cleanup_message_declared_8bit(state)
	|| (VAR_BOOL(detect_8bit_encoding_header)
	    && (seen & (MIME_SEEN_8BIT_CTE | MIME_SEEN_BINARY_CTE))))
	cleanup_out_str(state, REC_TYPE_ATTR, "encoding=8bit");
}
