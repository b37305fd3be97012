/*
 * mime_state - streaming MIME structure parser for message content
 *
 * DESCRIPTION
 *	See mime_state.h and docs/internals/mime.md.
 *
 *	The parser is either in a header block or in a body. An entity
 *	(the message, a multipart body part, an attached message) is a
 *	header block and a body; the header block sets the entity's
 *	content type, encoding and boundary, and its end decides what
 *	the body is: a multipart body (push a frame with the boundary),
 *	an attached message (start a nested header block) or opaque
 *	content. Frames are popped by a delimiter of their own or of an
 *	enclosing multipart. Nested messages need no frame: they end
 *	where the enclosing part ends.
 *
 *	A line may come in several records. They are joined in line_buf
 *	while the line cannot be classified yet (in a header block, up to
 *	header_size bytes; in a multipart body, while it may still be a
 *	delimiter). What the line's start decided (header or body, and
 *	the body context) is kept in the "line" fields for the records
 *	that continue it.
 */
#include "sys_defs.h"

#include <string.h>
#include <strings.h>

#include "msg.h"
#include "mymalloc.h"
#include "utf8_text.h"
#include "vstring.h"
#include "is_header.h"
#include "header_opts.h"
#include "mime_state.h"

/* The longest type or subtype name kept, and "type/subtype" (RFC 6838). */
#define MIME_NAME_LIMIT		127
#define MIME_TYPE_LIMIT		(2 * MIME_NAME_LIMIT + 1)

#define MIME_STATE_HEADER	1	/* in a header block */
#define MIME_STATE_BODY		2	/* in a body */

#define MIME_CONT_NONE		0	/* at the start of a line */
#define MIME_CONT_HEADER	1	/* continuing a header line */
#define MIME_CONT_BODY		2	/* continuing a body line */
#define MIME_CONT_PENDING	3	/* joining records to classify a line */

/* One open multipart entity. */
typedef struct MIME_FRAME {
    VSTRING *boundary;			/* boundary, maybe truncated */
    VSTRING *type;			/* "multipart/subtype" */
    int     encoding;			/* its MIME_ENC_* */
    int     depth;			/* its nesting level */
    bool    digest;			/* parts default to message/rfc822 */
} MIME_FRAME;

struct MIME_STATE {
    MIME_STATE_LIMITS limits;
    int     options;
    MIME_STATE_CALLBACKS callbacks;
    void   *context;
    int     errors;			/* MIME_ERR_* found */
    int     seen;			/* MIME_SEEN_* */
    bool    finished;			/* mime_state_finish() was called */
    int     state;			/* MIME_STATE_HEADER or _BODY */
    int     cont;			/* MIME_CONT_* */
    /* The current header block and the entity that it describes. */
    int     header_class;		/* MIME_HDR_* */
    int     header_depth;		/* nesting level of the entity */
    VSTRING *header;			/* pending logical header */
    bool    header_pending;		/* header holds a header */
    bool    header_truncated;		/* excess was discarded */
    bool    header_8bit_lost;		/* discarded bytes were 8-bit */
    VSTRING *entity_type;		/* "type/subtype" */
    int     entity_encoding;		/* MIME_ENC_* */
    VSTRING *entity_boundary;		/* empty: none */
    VSTRING *entity_cte;		/* Content-Transfer-Encoding token */
    bool    entity_have_type;		/* the first Content-Type counts */
    bool    entity_have_cte;		/* the first C-T-E counts */
    bool    entity_too_deep;		/* multipart beyond the limit */
    /* The current body. */
    VSTRING *body_type;
    int     body_encoding;
    int     body_depth;
    int     body_class;			/* MIME_LINE_CONTENT or _PREAMBLE */
    /* The context of the line that the next record continues. */
    VSTRING *line_type;
    int     line_encoding;
    int     line_depth;
    int     line_class;
    int     line_check_encoding;	/* for the 8-bit body check */
    VSTRING *line_buf;			/* MIME_CONT_PENDING records */
    /* Open multipart entities, innermost last. */
    MIME_FRAME *frames;
    int     frame_count;
    int     frame_size;
};

/* mime_state_report - record an error, tell the caller the first time */
static void mime_state_report(MIME_STATE *state, int error,
			              const char *detail, size_t len)
{
    if (state->errors & error)
	return;
    state->errors |= error;
    if (state->callbacks.error)
	state->callbacks.error(state->context, error, detail, len);
}

/* mime_state_has_8bit - whether any byte has the high bit set */
static bool mime_state_has_8bit(const char *text, size_t len)
{
    size_t  n;

    for (n = 0; n < len; n++)
	if ((unsigned char) text[n] & 0x80)
	    return true;
    return false;
}

/* mime_state_is_tspecial - RFC 2045 tspecials, space and controls */
static bool mime_state_is_token_char(unsigned char ch)
{
    if (ch <= 32 || ch >= 127)
	return false;
    return strchr("()<>@,;:\\\"/[]?=", ch) == 0;
}

/* mime_state_skip_cfws - skip white space, folding and comments */
static size_t mime_state_skip_cfws(const char *text, size_t len, size_t pos)
{
    int     level;

    while (pos < len) {
	if (text[pos] == ' ' || text[pos] == '\t' || text[pos] == '\n'
	    || text[pos] == '\r') {
	    pos++;
	} else if (text[pos] == '(') {
	    for (level = 0; pos < len; pos++) {
		if (text[pos] == '\\' && pos + 1 < len)
		    pos++;
		else if (text[pos] == '(')
		    level++;
		else if (text[pos] == ')' && --level == 0) {
		    pos++;
		    break;
		}
	    }
	} else {
	    break;
	}
    }
    return pos;
}

/* mime_state_token - length of the token at pos */
static size_t mime_state_token(const char *text, size_t len, size_t pos)
{
    size_t  end = pos;

    while (end < len && mime_state_is_token_char((unsigned char) text[end]))
	end++;
    return end - pos;
}

/* mime_state_lower_copy - store the lower-case form of len bytes */
static void mime_state_lower_copy(VSTRING *dst, const char *src, size_t len)
{
    size_t  n;

    for (n = 0; n < len; n++)
	VSTRING_ADDCH(dst, (src[n] >= 'A' && src[n] <= 'Z') ?
		      src[n] - 'A' + 'a' : src[n]);
    VSTRING_TERMINATE(dst);
}

/* mime_state_param_value - parse a token or quoted-string value */
static size_t mime_state_param_value(const char *text, size_t len,
				             size_t pos, VSTRING *value)
{
    size_t  tok;

    VSTRING_RESET(value);
    if (pos < len && text[pos] == '"') {
	for (pos++; pos < len && text[pos] != '"'; pos++) {
	    if (text[pos] == '\\' && pos + 1 < len)
		pos++;
	    if (text[pos] == '\n' || text[pos] == '\r')
		continue;			/* unfold */
	    VSTRING_ADDCH(value, text[pos]);
	}
	if (pos < len)
	    pos++;
    } else {
	tok = mime_state_token(text, len, pos);
	vstring_memcat(value, text + pos, tok);
	pos += tok;
    }
    VSTRING_TERMINATE(value);
    return pos;
}

/* mime_state_content_type - parse a Content-Type value into the entity */
static void mime_state_content_type(MIME_STATE *state, const char *text,
				            size_t len)
{
    size_t  pos;
    size_t  type_len;
    size_t  sub_len;
    size_t  params;
    size_t  sub_pos;
    size_t  name_len;
    size_t  name_pos;
    VSTRING *value;

    if (state->entity_have_type)
	return;					/* as Postfix: the first counts */
    state->entity_have_type = true;
    pos = mime_state_skip_cfws(text, len, 0);
    type_len = mime_state_token(text, len, pos);
    sub_pos = mime_state_skip_cfws(text, len, pos + type_len);
    if (type_len == 0 || sub_pos >= len || text[sub_pos] != '/')
	return;					/* RFC 2045: keep the default */
    sub_pos = mime_state_skip_cfws(text, len, sub_pos + 1);
    sub_len = mime_state_token(text, len, sub_pos);
    if (sub_len == 0)
	return;
    params = sub_pos + sub_len;
    /* RFC 6838: at most 127 bytes each; longer names are cut. */
    if (type_len > MIME_NAME_LIMIT)
	type_len = MIME_NAME_LIMIT;
    if (sub_len > MIME_NAME_LIMIT)
	sub_len = MIME_NAME_LIMIT;
    VSTRING_RESET(state->entity_type);
    mime_state_lower_copy(state->entity_type, text + pos, type_len);
    VSTRING_ADDCH(state->entity_type, '/');
    mime_state_lower_copy(state->entity_type, text + sub_pos, sub_len);
    VSTRING_RESET(state->entity_boundary);

    /* Parameters: only the boundary matters here. */
    value = vstring_alloc(100);
    vstring_set_maxlen(value, state->limits.boundary_length);
    pos = params;
    for (;;) {
	pos = mime_state_skip_cfws(text, len, pos);
	if (pos >= len || text[pos] != ';')
	    break;
	name_pos = mime_state_skip_cfws(text, len, pos + 1);
	name_len = mime_state_token(text, len, name_pos);
	pos = mime_state_skip_cfws(text, len, name_pos + name_len);
	if (name_len == 0 || pos >= len || text[pos] != '=')
	    break;
	pos = mime_state_skip_cfws(text, len, pos + 1);
	pos = mime_state_param_value(text, len, pos, value);
	if (name_len == 8 && strncasecmp(text + name_pos, "boundary", 8) == 0)
	    vstring_memcpy(state->entity_boundary, vstring_str(value),
			   VSTRING_LEN(value));
    }
    VSTRING_TERMINATE(state->entity_boundary);
    vstring_free(value);
}

/* mime_state_encoding - parse a Content-Transfer-Encoding value */
static void mime_state_encoding(MIME_STATE *state, const char *text,
				        size_t len)
{
    static const struct {
	const char *name;
	int     encoding;
    }       codes[] = {
	{"7bit", MIME_ENC_7BIT},
	{"8bit", MIME_ENC_8BIT},
	{"binary", MIME_ENC_BINARY},
	{"quoted-printable", MIME_ENC_QP},
	{"base64", MIME_ENC_BASE64},
    };
    size_t  pos = mime_state_skip_cfws(text, len, 0);
    size_t  tok = mime_state_token(text, len, pos);
    size_t  n;

    if (state->entity_have_cte)
	return;					/* as Postfix: the first counts */
    state->entity_have_cte = true;
    if (tok == 0)
	return;					/* keep the default */
    vstring_memcpy(state->entity_cte, text + pos, tok);
    VSTRING_TERMINATE(state->entity_cte);
    state->entity_encoding = MIME_ENC_OTHER;
    for (n = 0; n < ARRAY_LEN(codes); n++) {
	if (strlen(codes[n].name) == tok
	    && strncasecmp(text + pos, codes[n].name, tok) == 0) {
	    state->entity_encoding = codes[n].encoding;
	    break;
	}
    }
    if (state->entity_encoding == MIME_ENC_8BIT)
	state->seen |= MIME_SEEN_8BIT_CTE;
    else if (state->entity_encoding == MIME_ENC_BINARY)
	state->seen |= MIME_SEEN_BINARY_CTE;
}

/* mime_state_flush_header - report the pending logical header */
static void mime_state_flush_header(MIME_STATE *state)
{
    MIME_HEADER header;
    const char *text = vstring_str(state->header);
    size_t  len = VSTRING_LEN(state->header);
    size_t  value;
    bool    eight_bit;
    bool    utf8_ok;

    if (!state->header_pending)
	return;
    state->header_pending = false;

    header.header_class = state->header_class;
    header.depth = state->header_depth;
    header.text = text;
    header.len = len;
    header.name_len = is_header_buf(text, len);
    header.opts = header_opts_find(text, header.name_len);
    header.mime = header_opts_is_mime(text, header.name_len);
    header.truncated = state->header_truncated;

    /* 8-bit text; RFC 6532 allows it as UTF-8. */
    eight_bit = state->header_8bit_lost || mime_state_has_8bit(text, len);
    if (eight_bit) {
	state->seen |= MIME_SEEN_8BIT_HEADER;
	utf8_ok = !state->header_8bit_lost && utf8_text_valid(text, len);
	if (utf8_ok)
	    state->seen |= MIME_SEEN_UTF8_HEADER;
	if ((state->options & MIME_OPT_REPORT_8BIT_IN_HEADER)
	    && !(utf8_ok && (state->options & MIME_OPT_UTF8_HEADERS)))
	    mime_state_report(state, MIME_ERR_8BIT_IN_HEADER, text, len);
    }
    if (state->header_truncated) {
	state->seen |= MIME_SEEN_TRUNC_HEADER;
	if (state->options & MIME_OPT_REPORT_TRUNC_HEADER)
	    mime_state_report(state, MIME_ERR_TRUNC_HEADER, text, len);
    }

    /* The headers that shape the entity. */
    if (header.opts != 0) {
	value = is_header_value(text, len);
	if (header.opts->id == HDR_CONTENT_TYPE
	    && !state->entity_have_type) {
	    mime_state_content_type(state, text + value, len - value);
	    /* As Postfix: only open multipart entities count. */
	    if ((state->options & MIME_OPT_DISABLE_MIME) == 0
		&& strncmp(vstring_str(state->entity_type), "multipart/",
			   10) == 0
		&& VSTRING_LEN(state->entity_boundary) > 0
		&& state->frame_count - 1 > state->limits.nesting) {
		state->entity_too_deep = true;
		mime_state_report(state, MIME_ERR_NESTING, text, len);
	    }
	}
	else if (header.opts->id == HDR_CONTENT_TRANSFER_ENCODING)
	    mime_state_encoding(state, text + value, len - value);
	if (state->header_class == MIME_HDR_PRIMARY
	    && (header.opts->id == HDR_CONTENT_TYPE
		|| header.opts->id == HDR_MIME_VERSION))
	    state->seen |= MIME_SEEN_MIME;
    }
    if (state->callbacks.header)
	state->callbacks.header(state->context, &header);
}

/* mime_state_header_add - append to the pending header, within the limit */
static void mime_state_header_add(MIME_STATE *state, bool newline,
				          const char *text, size_t len)
{
    size_t  have = VSTRING_LEN(state->header);
    size_t  room;

    /*
     * As in Postfix, the record that crosses the limit is kept whole and
     * later records are dropped; twice the limit is the hard bound.
     */
    if (have >= state->limits.header_size) {
	room = 0;
    } else {
	room = 2 * state->limits.header_size - have;
	if (newline) {
	    VSTRING_ADDCH(state->header, '\n');
	    room -= 1;
	}
    }
    if (len > room) {
	state->header_truncated = true;
	if (mime_state_has_8bit(text + room, len - room))
	    state->header_8bit_lost = true;
	len = room;
    }
    vstring_memcat(state->header, text, len);
    VSTRING_TERMINATE(state->header);
}

/* mime_state_start_headers - begin the header block of an entity */
static void mime_state_start_headers(MIME_STATE *state, int header_class,
				             int depth, bool digest)
{
    state->state = MIME_STATE_HEADER;
    state->header_class = header_class;
    state->header_depth = depth;
    state->header_pending = false;
    vstring_strcpy(state->entity_type, digest ? "message/rfc822" : "text/plain");
    state->entity_encoding = MIME_ENC_7BIT;
    VSTRING_RESET(state->entity_boundary);
    VSTRING_RESET(state->entity_cte);
    state->entity_have_type = false;
    state->entity_have_cte = false;
    state->entity_too_deep = false;
}

/* mime_state_set_body - enter a body with the given context */
static void mime_state_set_body(MIME_STATE *state, const char *type,
			             int encoding, int depth, int line_class)
{
    state->state = MIME_STATE_BODY;
    if (type != vstring_str(state->body_type))
	vstring_strcpy(state->body_type, type);
    state->body_encoding = encoding;
    state->body_depth = depth;
    state->body_class = line_class;
}

/* mime_state_push - open a multipart entity */
static void mime_state_push(MIME_STATE *state)
{
    MIME_FRAME *frame;

    if (state->frame_count >= state->frame_size) {
	state->frame_size = state->frame_size ? 2 * state->frame_size : 8;
	state->frames = myrealloc(state->frames,
				  state->frame_size * sizeof(*state->frames));
    }
    frame = state->frames + state->frame_count++;
    frame->boundary = vstring_alloc(VSTRING_LEN(state->entity_boundary) + 1);
    vstring_memcpy(frame->boundary, vstring_str(state->entity_boundary),
		   VSTRING_LEN(state->entity_boundary));
    VSTRING_TERMINATE(frame->boundary);
    frame->type = vstring_alloc(VSTRING_LEN(state->entity_type) + 1);
    vstring_strcpy(frame->type, vstring_str(state->entity_type));
    frame->encoding = state->entity_encoding;
    frame->depth = state->header_depth;
    frame->digest = strcmp(vstring_str(state->entity_type),
			   "multipart/digest") == 0;
}

/* mime_state_pop - close the innermost multipart entity */
static void mime_state_pop(MIME_STATE *state)
{
    MIME_FRAME *frame;

    if (state->frame_count <= 0)
	msg_panic("mime_state_pop: no open multipart entity");
    frame = state->frames + --state->frame_count;
    vstring_free(frame->boundary);
    vstring_free(frame->type);
}

/* mime_state_end_headers - end the header block, enter the body */
static void mime_state_end_headers(MIME_STATE *state)
{
    const char *type;
    int     encoding = state->entity_encoding;
    int     depth = state->header_depth;
    bool    composite;

    mime_state_flush_header(state);
    if (state->callbacks.header_end)
	state->callbacks.header_end(state->context, state->header_class,
				    depth);
    type = vstring_str(state->entity_type);
    mime_state_set_body(state, type, encoding, depth, MIME_LINE_CONTENT);
    if (state->options & MIME_OPT_DISABLE_MIME)
	return;

    /*
     * As Postfix: an unknown encoding counts as 7bit, and the structure
     * is followed whatever the encoding.
     */
    composite = (strncmp(type, "multipart/", 10) == 0
		 || (strncmp(type, "message/", 8) == 0
		     && strcmp(type, "message/global") != 0));
    if (composite && (encoding == MIME_ENC_QP || encoding == MIME_ENC_BASE64)
	&& (state->options & MIME_OPT_REPORT_ENCODING_DOMAIN))
	mime_state_report(state, MIME_ERR_ENCODING_DOMAIN,
			  vstring_str(state->entity_cte),
			  VSTRING_LEN(state->entity_cte));
    if (strncmp(type, "multipart/", 10) == 0
	&& VSTRING_LEN(state->entity_boundary) > 0
	&& !state->entity_too_deep) {
	mime_state_push(state);
	state->body_class = MIME_LINE_PREAMBLE;
    } else if (strcmp(type, "message/rfc822") == 0
	       || strcmp(type, "message/global") == 0) {
	mime_state_start_headers(state, MIME_HDR_NESTED, depth + 1, false);
    }
}

/* mime_state_body_out - report one body record in the line context */
static void mime_state_body_out(MIME_STATE *state, int rec_type,
			             const char *text, size_t len, bool inserted)
{
    MIME_BODY body;
    int     enc = state->line_check_encoding;

    if (mime_state_has_8bit(text, len)) {
	state->seen |= MIME_SEEN_8BIT_BODY;
	if ((state->options & MIME_OPT_REPORT_8BIT_IN_7BIT_BODY)
	    && (enc == MIME_ENC_7BIT || enc == MIME_ENC_OTHER))
	    mime_state_report(state, MIME_ERR_8BIT_IN_7BIT_BODY, text, len);
    }
    if (state->callbacks.body == 0)
	return;
    body.rec_type = rec_type;
    body.line_class = state->line_class;
    body.depth = state->line_depth;
    body.text = text;
    body.len = len;
    body.content_type = vstring_str(state->line_type);
    body.encoding = state->line_encoding;
    body.inserted = inserted;
    state->callbacks.body(state->context, &body);
}

/* mime_state_line_context - set the context of a new body line */
static void mime_state_line_context(MIME_STATE *state, const char *type,
			             int encoding, int depth, int line_class)
{
    vstring_strcpy(state->line_type, type);
    state->line_encoding = encoding;
    state->line_depth = depth;
    state->line_class = line_class;
    /* As Postfix: preamble and epilogue count as 7bit. */
    state->line_check_encoding =
	(line_class == MIME_LINE_PREAMBLE ? MIME_ENC_7BIT : encoding);
}

/* mime_state_find_boundary - the frame whose delimiter starts a line */
static int mime_state_find_boundary(MIME_STATE *state, const char *text,
				            size_t len, bool *close)
{
    MIME_FRAME *frame;
    size_t  blen;
    int     n;

    if (state->frame_count == 0 || len < 3 || text[0] != '-' || text[1] != '-')
	return -1;
    for (n = state->frame_count - 1; n >= 0; n--) {
	frame = state->frames + n;
	blen = VSTRING_LEN(frame->boundary);
	if (len >= 2 + blen
	    && memcmp(text + 2, vstring_str(frame->boundary), blen) == 0) {
	    *close = (len >= 4 + blen && text[2 + blen] == '-'
		      && text[3 + blen] == '-');
	    return n;
	}
    }
    return -1;
}

/* mime_state_boundary - handle a delimiter line of frame index */
static void mime_state_boundary(MIME_STATE *state, int index, bool close,
				        int rec_type, const char *text,
				        size_t len)
{
    MIME_FRAME *frame;
    int     depth;
    bool    digest;
    int     check_encoding;

    /* As Postfix: a delimiter is checked as part of what it ends. */
    check_encoding = (state->state == MIME_STATE_BODY
		      && state->body_class == MIME_LINE_CONTENT) ?
	state->body_encoding : MIME_ENC_7BIT;
    while (state->frame_count > index + 1)
	mime_state_pop(state);
    frame = state->frames + index;
    depth = frame->depth;
    digest = frame->digest;
    mime_state_line_context(state, vstring_str(frame->type), frame->encoding,
			    depth, MIME_LINE_BOUNDARY);
    state->line_check_encoding = check_encoding;
    if (close) {
	mime_state_set_body(state, vstring_str(frame->type), frame->encoding,
			    depth, MIME_LINE_PREAMBLE);
	mime_state_pop(state);
    } else {
	mime_state_start_headers(state, MIME_HDR_MULTIPART, depth + 1, digest);
    }
    mime_state_body_out(state, rec_type, text, len, false);
}

/* mime_state_body_line - a new line in a body */
static void mime_state_body_line(MIME_STATE *state, int rec_type,
				         const char *text, size_t len)
{
    mime_state_line_context(state, vstring_str(state->body_type),
			    state->body_encoding, state->body_depth,
			    state->body_class);
    mime_state_body_out(state, rec_type, text, len, false);
}

/* mime_state_line_start - the first record of a line */
static void mime_state_line_start(MIME_STATE *state, int rec_type,
				          const char *text, size_t len)
{
    bool    close = false;
    int     index;
    size_t  value;
    size_t  name_len;

    if (state->state == MIME_STATE_HEADER) {
	if (len > 0 && (text[0] == ' ' || text[0] == '\t')
	    && state->header_pending) {
	    mime_state_header_add(state, true, text, len);
	    state->cont = MIME_CONT_HEADER;
	    return;
	}
	if (len > 0 && (value = is_header_value(text, len)) > 0) {
	    name_len = is_header_buf(text, len);
	    mime_state_flush_header(state);
	    VSTRING_RESET(state->header);
	    state->header_pending = true;
	    state->header_truncated = false;
	    state->header_8bit_lost = false;
	    /* As Postfix: "Name :" becomes "Name:". */
	    mime_state_header_add(state, false, text, name_len);
	    mime_state_header_add(state, false, text + value - 1,
				  len - value + 1);
	    /* Never cut the name or its colon. */
	    if (VSTRING_LEN(state->header) < name_len + 1) {
		vstring_memcpy(state->header, text, name_len);
		VSTRING_ADDCH(state->header, ':');
		VSTRING_TERMINATE(state->header);
	    }
	    state->cont = MIME_CONT_HEADER;
	    return;
	}

	/*
	 * The separator belongs to the entity whose headers it ends. When
	 * the block ends with something else, an empty separator line is
	 * inserted, as Postfix does, and that line is a body line.
	 */
	mime_state_flush_header(state);
	mime_state_line_context(state, vstring_str(state->entity_type),
				state->entity_encoding,
				state->header_depth, MIME_LINE_SEPARATOR);
	mime_state_end_headers(state);
	if (len == 0 && rec_type == MIME_REC_LINE) {
	    mime_state_body_out(state, rec_type, text, len, false);
	    state->cont = MIME_CONT_BODY;
	    return;
	}
	mime_state_body_out(state, MIME_REC_LINE, "", 0, true);
	if (state->state == MIME_STATE_HEADER) {	/* a nested message */
	    mime_state_line_start(state, rec_type, text, len);
	    return;
	}
    }
    /* A delimiter ends whatever it interrupts. */
    if ((index = mime_state_find_boundary(state, text, len, &close)) >= 0) {
	mime_state_boundary(state, index, close, rec_type, text, len);
	state->cont = MIME_CONT_BODY;
	return;
    }
    mime_state_body_line(state, rec_type, text, len);
    state->cont = MIME_CONT_BODY;
}

/* mime_state_need_more - whether a partial line is still ambiguous */
static bool mime_state_need_more(MIME_STATE *state, const char *text,
				         size_t len)
{
    size_t  longest = 0;
    int     n;

    /* A header block: the name, the colon, or the whole header. */
    if (state->state == MIME_STATE_HEADER)
	return len < state->limits.header_size;
    /* A body: what may be a delimiter. */
    if (state->frame_count == 0)
	return false;
    if (len < 2)
	return len == 0 || text[0] == '-';
    if (text[0] != '-' || text[1] != '-')
	return false;
    for (n = 0; n < state->frame_count; n++)
	if (VSTRING_LEN(state->frames[n].boundary) > longest)
	    longest = VSTRING_LEN(state->frames[n].boundary);
    return len < longest + 4;
}

/* mime_state_update - feed one record */
int     mime_state_update(MIME_STATE *state, int rec_type,
			          const char *text, size_t len)
{
    if (state->finished)
	msg_panic("mime_state_update: message already finished");
    if (rec_type != MIME_REC_LINE && rec_type != MIME_REC_PART)
	msg_panic("mime_state_update: bad record type %d", rec_type);

    switch (state->cont) {
    case MIME_CONT_HEADER:
	mime_state_header_add(state, false, text, len);
	break;
    case MIME_CONT_BODY:
	mime_state_body_out(state, rec_type, text, len, false);
	break;
    case MIME_CONT_PENDING:
	vstring_memcat(state->line_buf, text, len);
	VSTRING_TERMINATE(state->line_buf);
	if (rec_type == MIME_REC_PART
	    && mime_state_need_more(state, vstring_str(state->line_buf),
				    VSTRING_LEN(state->line_buf)))
	    return state->errors;
	state->cont = MIME_CONT_NONE;
	mime_state_line_start(state, rec_type, vstring_str(state->line_buf),
			      VSTRING_LEN(state->line_buf));
	break;
    default:
	/* Join the records of a line until it can be classified. */
	if (rec_type == MIME_REC_PART
	    && mime_state_need_more(state, text, len)) {
	    vstring_memcpy(state->line_buf, text, len);
	    VSTRING_TERMINATE(state->line_buf);
	    state->cont = MIME_CONT_PENDING;
	    return state->errors;
	}
	mime_state_line_start(state, rec_type, text, len);
	break;
    }
    state->cont = (rec_type == MIME_REC_PART ? state->cont : MIME_CONT_NONE);
    return state->errors;
}

/* mime_state_finish - end of the message */
int     mime_state_finish(MIME_STATE *state)
{
    if (state->finished)
	msg_panic("mime_state_finish: message already finished");
    if (state->cont == MIME_CONT_PENDING) {	/* an unfinished line */
	state->cont = MIME_CONT_NONE;
	mime_state_line_start(state, MIME_REC_PART,
			      vstring_str(state->line_buf),
			      VSTRING_LEN(state->line_buf));
    }
    if (state->state == MIME_STATE_HEADER) {
	mime_state_flush_header(state);
	if (state->callbacks.header_end)
	    state->callbacks.header_end(state->context, state->header_class,
					state->header_depth);
    }
    state->finished = true;
    if (state->callbacks.message_end)
	state->callbacks.message_end(state->context);
    return state->errors;
}

/* mime_state_errors - the error bits so far */
int     mime_state_errors(const MIME_STATE *state)
{
    return state->errors;
}

/* mime_state_seen - what the content showed so far */
int     mime_state_seen(const MIME_STATE *state)
{
    return state->seen;
}

/* mime_state_error_text - the text of the lowest error bit */
const char *mime_state_error_text(int errors)
{
    if (errors & MIME_ERR_NESTING)
	return "MIME nesting exceeds safety limit";
    if (errors & MIME_ERR_TRUNC_HEADER)
	return "message header length exceeds safety limit";
    if (errors & MIME_ERR_8BIT_IN_HEADER)
	return "improper use of 8-bit data in message header";
    if (errors & MIME_ERR_8BIT_IN_7BIT_BODY)
	return "improper use of 8-bit data in message body";
    if (errors & MIME_ERR_ENCODING_DOMAIN)
	return "invalid message/* or multipart/* encoding domain";
    return "unknown MIME error";
}

/* mime_state_header_class_name - a header class for logging */
const char *mime_state_header_class_name(int header_class)
{
    switch (header_class) {
    case MIME_HDR_PRIMARY:
	return "primary";
    case MIME_HDR_MULTIPART:
	return "multipart";
    case MIME_HDR_NESTED:
	return "nested";
    default:
	return "unknown";
    }
}

/* mime_state_create - a parser for one message */
MIME_STATE *mime_state_create(const MIME_STATE_LIMITS *limits, int options,
			              const MIME_STATE_CALLBACKS *callbacks,
			              void *context)
{
    MIME_STATE *state = mycalloc(1, sizeof(*state));

    if (limits)
	state->limits = *limits;
    if (state->limits.header_size == 0)
	state->limits.header_size = MIME_DEF_HEADER_SIZE;
    if (state->limits.header_size > SSIZE_MAX / 4)	/* twice it must fit */
	state->limits.header_size = SSIZE_MAX / 4;
    if (state->limits.nesting <= 0)
	state->limits.nesting = MIME_DEF_NESTING;
    if (state->limits.boundary_length == 0)
	state->limits.boundary_length = MIME_DEF_BOUNDARY_LENGTH;
    state->options = options;
    if (callbacks)
	state->callbacks = *callbacks;
    state->context = context;
    state->header = vstring_alloc(100);
    state->entity_type = vstring_alloc(32);
    vstring_set_maxlen(state->entity_type, MIME_TYPE_LIMIT);
    state->entity_boundary = vstring_alloc(32);
    state->entity_cte = vstring_alloc(32);
    vstring_set_maxlen(state->entity_cte, MIME_TYPE_LIMIT);
    vstring_set_maxlen(state->entity_boundary, state->limits.boundary_length);
    state->body_type = vstring_alloc(32);
    state->line_type = vstring_alloc(32);
    state->line_buf = vstring_alloc(100);
    mime_state_start_headers(state, MIME_HDR_PRIMARY, 0, false);
    mime_state_set_body(state, "text/plain", MIME_ENC_7BIT, 0,
			MIME_LINE_CONTENT);
    state->state = MIME_STATE_HEADER;
    mime_state_line_context(state, "text/plain", MIME_ENC_7BIT, 0,
			    MIME_LINE_CONTENT);
    return state;
}

/* mime_state_free - destroy a parser */
void    mime_state_free(MIME_STATE *state)
{
    while (state->frame_count > 0)
	mime_state_pop(state);
    myfree(state->frames);
    vstring_free(state->header);
    vstring_free(state->entity_type);
    vstring_free(state->entity_boundary);
    vstring_free(state->entity_cte);
    vstring_free(state->body_type);
    vstring_free(state->line_type);
    vstring_free(state->line_buf);
    myfree(state);
}
