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
 *	Each piece is first cleaned: bytes in message_strip_characters are
 *	removed, a byte in message_reject_characters rejects the message
 *	("5.7.1 disallowed character", logged as "reject: content ..."),
 *	and with cleanup_replace_stray_cr_lf each CR or LF inside the
 *	line becomes a space.
 *
 *	In the primary header section, pieces are joined into lines and
 *	lines into logical headers (a line that starts with a blank
 *	continues the header before it), each at most header_size_limit
 *	bytes (the rest is dropped, as Postfix does). Each header goes to
 *	cleanup_headers_one(). The empty line, or the first line that is
 *	neither a header nor a continuation, ends the header section:
 *	cleanup_headers_end() adds what is missing, and an empty line is
 *	written (also when the client's message had none, so that the
 *	added headers do not run into the body).
 *
 *	In the body each record is passed through (P stays P, L stays L)
 *	after body_checks, which see at most body_checks_size_limit bytes.
 *
 *	cleanup_message_end() is called at the client's X record: it
 *	finishes a header section that was not ended by an empty line,
 *	terminates a last partial line, and writes the X record.
 *
 *	cleanup_message_log_context() fills in the context of a content
 *	check log line. cleanup_message_action() carries out the action
 *	of a header or body check on line (class CLEANUP_CHECK_*): it
 *	returns false when the line is to be deleted; REPLACE changes
 *	line; PREPEND writes the text before it.
 *
 * DIAGNOSTICS
 *	Info: "<id>: reject: content <line> from <client>; from=<sender>
 *	to=<recipient>: 5.7.1 disallowed character". Warnings: a record
 *	other than L, P or X in the content.
 */
#include "sys_defs.h"

#include <string.h>

#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "mail_params.h"
#include "rec_type.h"
#include "cleanup.h"
#include "cleanup_header_fn.h"

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
    ctx->recipient = state->first_rcpt;
    for (i = 0; i < state->attrs->argc; i++) {
	value = state->attrs->argv[i];
	if (strncmp(value, "protocol=", 9) == 0 && value[9])
	    ctx->protocol = value + 9;
	else if (strncmp(value, "helo_name=", 10) == 0 && value[10])
	    ctx->helo = value + 10;
    }
}

/* cleanup_message_reject_chars - log and reject a disallowed character */
static void cleanup_message_reject_chars(CLEANUP_STATE *state,
					         const char *text, size_t len)
{
    CLEANUP_LOG_CONTEXT ctx;
    VSTRING *buf = vstring_alloc(100);
    VSTRING *line = vstring_alloc(100);

    cleanup_message_log_context(state, &ctx);
    vstring_memcpy(line, text, len);
    VSTRING_TERMINATE(line);
    printable(vstring_str(line), '?');
    vstring_sprintf(buf, "%s: reject: content %s from ", state->queue_id,
		    vstring_str(line));
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
    msg_info("%s: 5.7.1 disallowed character", vstring_str(buf));
    cleanup_state_error(state, CLEANUP_STAT_CONT,
			"5.7.1 disallowed character");
    vstring_free(buf);
    vstring_free(line);
}

/* cleanup_message_clean - strip, reject, replace stray CR/LF; 8-bit */
static void cleanup_message_clean(CLEANUP_STATE *state, VSTRING *piece)
{
    static VSTRING *strip;
    static VSTRING *reject;
    VSTRING *chars;
    const char *cp;

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
    for (cp = vstring_str(piece); cp < vstring_end(piece); cp++) {
	if (*(const unsigned char *) cp > 127) {
	    state->eight_bit = true;
	    if (state->cont_state == CLEANUP_CONT_HEADERS)
		state->needs_utf8 = true;
	    break;
	}
    }
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
	myfree(state->filter);
	state->filter = mystrdup(text);
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

/* cleanup_message_body - one body record */
static void cleanup_message_body(CLEANUP_STATE *state, int type,
				         VSTRING *piece)
{
    CLEANUP_LOG_CONTEXT ctx;
    bool    keep = true;

    if ((state->flags & CLEANUP_FLAG_FILTER) && cleanup_maps != 0
	&& !state->checks_off
	&& state->body_checked < cleanup_maps->body_checks_size_limit) {
	state->body_checked += (long) VSTRING_LEN(piece) + 1;
	cleanup_message_log_context(state, &ctx);
	if (cleanup_checks_body(cleanup_maps, vstring_str(piece),
				VSTRING_LEN(piece), &ctx, state->check)
	    != CLEANUP_ACT_NONE)
	    keep = cleanup_message_action(state, state->check,
					  CLEANUP_CHECK_BODY, piece);
    }
    if (!keep)
	return;
    if (type == REC_TYPE_PART) {
	state->content_size += (long) VSTRING_LEN(piece);
	cleanup_out(state, REC_TYPE_PART, vstring_str(piece),
		    VSTRING_LEN(piece));
    } else {
	cleanup_out_line(state, vstring_str(piece), VSTRING_LEN(piece));
    }
    state->body_partial = (type == REC_TYPE_PART);
}

/* cleanup_message_flush_header - process the pending header, if any */
static void cleanup_message_flush_header(CLEANUP_STATE *state)
{
    if (VSTRING_LEN(state->header) > 0) {
	cleanup_headers_one(state, state->header);
	VSTRING_RESET(state->header);
	VSTRING_TERMINATE(state->header);
    }
    state->header_full = false;
}

/* cleanup_message_end_headers - end of the primary header section */
static void cleanup_message_end_headers(CLEANUP_STATE *state)
{
    cleanup_message_flush_header(state);
    cleanup_headers_end(state);
    cleanup_out_line(state, "", 0);
    state->cont_state = CLEANUP_CONT_BODY;
}

/* cleanup_message_header_append - add text to the pending header */
static void cleanup_message_header_append(CLEANUP_STATE *state,
					          const char *text, size_t len)
{
    size_t  limit = (size_t) VAR_INT(header_size_limit);
    size_t  room;

    if (state->header_full)
	return;
    room = limit > VSTRING_LEN(state->header) ?
	limit - VSTRING_LEN(state->header) : 0;
    if (len > room) {
	len = room;
	state->header_full = true;
    }
    vstring_memcat(state->header, text, len);
    VSTRING_TERMINATE(state->header);
}

/* cleanup_message_header_line - one complete line in the header section */
static void cleanup_message_header_line(CLEANUP_STATE *state, VSTRING *line)
{
    const char *text = vstring_str(line);
    size_t  len = VSTRING_LEN(line);

    if (len == 0) {
	cleanup_message_flush_header(state);
	cleanup_headers_end(state);
	cleanup_out_line(state, "", 0);
	state->cont_state = CLEANUP_CONT_BODY;
    } else if ((text[0] == ' ' || text[0] == '\t')
	       && VSTRING_LEN(state->header) > 0) {
	cleanup_message_header_append(state, "\n", 1);
	cleanup_message_header_append(state, text, len);
    } else if (cleanup_header_name_len(text, len) > 0) {
	cleanup_message_flush_header(state);
	cleanup_message_header_append(state, text, len);
    } else {
	cleanup_message_end_headers(state);
	cleanup_message_body(state, REC_TYPE_LINE, line);
    }
}

/* cleanup_message - one content record */
void    cleanup_message(CLEANUP_STATE *state, int type, const char *data,
			        size_t len)
{
    VSTRING *piece = state->temp1;
    size_t  limit = (size_t) VAR_INT(header_size_limit);

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
    if (state->cont_state == CLEANUP_CONT_BODY) {
	cleanup_message_body(state, type, piece);
	return;
    }
    if (VSTRING_LEN(state->line) < limit + 1)
	vstring_memcat(state->line, vstring_str(piece),
		       VSTRING_LEN(piece) < limit + 1 - VSTRING_LEN(state->line) ?
		       VSTRING_LEN(piece) : limit + 1 - VSTRING_LEN(state->line));
    VSTRING_TERMINATE(state->line);
    if (type == REC_TYPE_PART)
	return;
    cleanup_message_header_line(state, state->line);
    VSTRING_RESET(state->line);
    VSTRING_TERMINATE(state->line);
}

/* cleanup_message_end - the X record: finish the content */
void    cleanup_message_end(CLEANUP_STATE *state)
{
    if (state->cont_state == CLEANUP_CONT_HEADERS) {
	if (VSTRING_LEN(state->line) > 0) {
	    cleanup_message_header_line(state, state->line);
	    VSTRING_RESET(state->line);
	}
	if (state->cont_state == CLEANUP_CONT_HEADERS) {
	    cleanup_message_flush_header(state);
	    cleanup_headers_end(state);
	    state->cont_state = CLEANUP_CONT_BODY;
	}
    } else if (state->body_partial) {
	cleanup_out(state, REC_TYPE_LINE, "", 0);
	state->content_size += 1;
    }
    if (state->dst != 0 && cleanup_out_ok(state))
	state->extract_offset = vstream_ftell(state->dst);
    cleanup_out(state, REC_TYPE_EXTRACT, "", 0);
}
