/*
 * mime_state - streaming MIME structure parser for message content
 *
 * SYNOPSIS
 *	#include "mime_state.h"
 *
 *	MIME_STATE *mime_state_create(const MIME_STATE_LIMITS *limits,
 *				int options,
 *				const MIME_STATE_CALLBACKS *callbacks,
 *				void *context);
 *	int	mime_state_update(MIME_STATE *state, int rec_type,
 *				const char *text, size_t len);
 *	int	mime_state_finish(MIME_STATE *state);
 *	int	mime_state_errors(const MIME_STATE *state);
 *	int	mime_state_seen(const MIME_STATE *state);
 *	const char *mime_state_error_text(int errors);
 *	const char *mime_state_header_class_name(int header_class);
 *	void	mime_state_free(MIME_STATE *state);
 *
 * DESCRIPTION
 *	mime_state parses message content (RFC 5322 headers and body,
 *	RFC 2045/2046 MIME structure, RFC 6532 UTF-8 headers) as it
 *	arrives, one record at a time, and tells its caller about each
 *	logical header, the end of each header block, each body line
 *	and the end of the message through callbacks. cleanup(8) uses it
 *	for header_checks, mime_header_checks, nested_header_checks and
 *	body_checks and for the strict_* MIME checks; the SMTP client
 *	will use it to convert 8-bit content to quoted-printable.
 *
 *	mime_state_create() returns a parser. limits bounds the work
 *	(NULL or a zero member selects the Postfix default):
 *
 *	header_size	header_size_limit (102400): the bytes kept of
 *			one logical header, folding included. As in
 *			Postfix, the record that crosses the limit is
 *			kept whole and later records and continuation
 *			lines are discarded, but never more than twice
 *			the limit (or the name and colon, if longer) is
 *			kept. The header is still reported, with
 *			truncated set; MIME_SEEN_TRUNC_HEADER is set (and
 *			MIME_ERR_TRUNC_HEADER with
 *			MIME_OPT_REPORT_TRUNC_HEADER). Postfix 3.7 cuts
 *			silently, and its cleanup(8) writes such a header
 *			to the queue file cut at exactly header_size_limit
 *			bytes (header_checks see the longer text).
 *	nesting		mime_nesting_limit (100): bounds the multipart
 *			entities that may enclose each other. As Postfix
 *			3.7 does (observed): a Content-Type header that
 *			declares a multipart type with a boundary while
 *			more than nesting + 1 multipart entities are
 *			open sets MIME_ERR_NESTING (detail: that
 *			header), and that entity's body is opaque
 *			content. Attached messages (message/rfc822) do
 *			not count: they need no parser memory.
 *	boundary_length	mime_boundary_length_limit (2048): the bytes of
 *			a multipart boundary that are kept. Boundaries
 *			that agree in their first boundary_length bytes
 *			cannot be told apart; a longer boundary is no
 *			error.
 *
 *	options is a bit mask:
 *
 *	MIME_OPT_DISABLE_MIME	disable_mime_input_processing: only the
 *		primary header block is parsed; everything after it is
 *		opaque body content (Content-Type is not interpreted).
 *	MIME_OPT_REPORT_8BIT_IN_HEADER	strict_7bit_headers: 8-bit bytes
 *		in any header set MIME_ERR_8BIT_IN_HEADER.
 *	MIME_OPT_REPORT_8BIT_IN_7BIT_BODY  strict_8bitmime_body: 8-bit
 *		bytes in body content whose entity's
 *		Content-Transfer-Encoding is 7bit (explicitly or by
 *		default) or unknown set MIME_ERR_8BIT_IN_7BIT_BODY
 *		(detail: the record). As in Postfix 3.7 (observed):
 *		8bit, binary, quoted-printable and base64 content is not
 *		checked; multipart preamble and epilogue text always
 *		counts as 7bit; a delimiter line is checked with the
 *		encoding of the part that it ends (7bit after a
 *		preamble); the SMTP BODY= parameter plays no part.
 *	MIME_OPT_REPORT_ENCODING_DOMAIN	strict_mime_encoding_domain: a
 *		multipart or message entity encoded quoted-printable or
 *		base64 sets MIME_ERR_ENCODING_DOMAIN at the end of its
 *		header block (detail: the encoding as written, e.g.
 *		"base64"). message/global is exempt (RFC 6532 section
 *		3.5); an unknown encoding counts as 7bit, as in Postfix.
 *		Either way the parser follows the entity's structure.
 *	MIME_OPT_REPORT_TRUNC_HEADER	report MIME_ERR_TRUNC_HEADER for
 *		a header cut at header_size (Postfix does not).
 *	MIME_OPT_UTF8_HEADERS	an extension that Postfix 3.7 lacks (it
 *		rejects UTF-8 headers under strict_7bit_headers even with
 *		SMTPUTF8): 8-bit header text that is well-formed UTF-8
 *		does not count for MIME_OPT_REPORT_8BIT_IN_HEADER. A
 *		caller that wants Postfix behaviour leaves it off.
 *	MIME_OPT_DOWNGRADE	reserved for the SMTP client's 8-bit to
 *		7-bit conversion; the parser ignores it for now.
 *
 *	MIME_ERR_NESTING is always reported (Postfix rejects such
 *	mail: 550 5.6.0 and the error text).
 *
 *	callbacks holds five functions, each of which may be NULL; each
 *	gets the context pointer given to mime_state_create(). The
 *	pointers they receive are valid only during the call.
 *
 *	header(context, header)	one logical header: header->text holds
 *		its len bytes (null-terminated, but the text may hold
 *		null bytes) as received, continuation lines joined with
 *		"\n" and no final newline; only the obsolete form
 *		"Name :" is normalized to "Name:", as Postfix does (its
 *		header checks and queue file see "Name:"). name_len is the
 *		field name's length, opts its header_opts(3) entry or
 *		NULL, mime whether it is a MIME header (Content-*,
 *		MIME-Version), truncated whether header_size cut it,
 *		depth the nesting level (0 for the primary headers) and
 *		header_class one of:
 *		MIME_HDR_PRIMARY	the message's initial headers
 *		MIME_HDR_MULTIPART	headers of a multipart body part
 *		MIME_HDR_NESTED		initial headers of an attached
 *					message (message/rfc822, message/global)
 *		Postfix 3.7 (observed) applies mime_header_checks to
 *		every MULTIPART header and to the MIME headers of the
 *		other classes, header_checks to the other PRIMARY ones
 *		and nested_header_checks to the other NESTED ones.
 *		Only the first Content-Type and the first
 *		Content-Transfer-Encoding of a block count, as in
 *		Postfix.
 *	header_end(context, header_class, depth)	the end of a header
 *		block: an empty line, a line that is neither a header nor
 *		a continuation, a boundary, or the end of the message.
 *		Called once for every block, also an empty one (a
 *		message that starts with its body has an empty primary
 *		header block).
 *	body(context, line)	one body record: line->text holds len
 *		bytes, rec_type is MIME_REC_LINE for a record that ends
 *		a line and MIME_REC_PART for one that the next record
 *		continues (as the caller fed them), depth the nesting
 *		level, content_type the enclosing entity's lower-case
 *		"type/subtype" ("text/plain" by default, "message/rfc822"
 *		in a multipart/digest), encoding its
 *		Content-Transfer-Encoding (MIME_ENC_*), and line_class
 *		one of:
 *		MIME_LINE_SEPARATOR	the empty line that ends a header
 *					block (reported after header_end)
 *		MIME_LINE_BOUNDARY	a multipart delimiter or close
 *					delimiter line
 *		MIME_LINE_PREAMBLE	multipart preamble or epilogue text
 *		MIME_LINE_CONTENT	any other body text
 *		Continuation records of a line keep the line's class.
 *		When a header block ends with a line that is neither
 *		empty nor a header (a body line, a boundary), an empty
 *		MIME_LINE_SEPARATOR line with inserted set comes first
 *		(postmap -b shows such a line in Postfix). A writer of
 *		the message keeps the inserted separator of the primary
 *		header block only: Postfix 3.7's queue file has an empty
 *		line after the primary headers even when the input had
 *		none, but keeps a body part as received (observed). In
 *		a header block, a line that looks like a header is one,
 *		even a delimiter ("--b:c" with boundary "b:c"), as in
 *		Postfix.
 *	message_end(context)	after the last record, from
 *		mime_state_finish().
 *	error(context, error, detail, len)	an error bit (MIME_ERR_*)
 *		was found; detail holds len bytes of the offending header
 *		or body record (not null-terminated; may be long, the
 *		caller excerpts it). Each error bit is reported once per
 *		message, on its first occurrence: a header error before
 *		the header callback of that header, a body error before
 *		the body callback, an encoding domain error after
 *		header_end and before the separator line.
 *
 *	mime_state_update() feeds one record: rec_type MIME_REC_LINE
 *	(text is a complete line or the end of one, without its
 *	newline) or MIME_REC_PART (text is the start or middle of a
 *	line that the next record continues), so lines of any length
 *	work. These values equal REC_TYPE_LINE and REC_TYPE_PART of
 *	rec_type.h. It returns the error bits found so far.
 *
 *	mime_state_finish() ends the message: it completes a pending
 *	header, ends an open header block, calls message_end and returns
 *	the error bits. Later updates panic.
 *
 *	mime_state_errors() returns the error bits found so far.
 *	mime_state_seen() returns what the content showed (for the
 *	queue file's body type, detect_8bit_encoding_header and
 *	smtputf8_autodetect_classes):
 *	MIME_SEEN_8BIT_HEADER	8-bit bytes in some header
 *	MIME_SEEN_UTF8_HEADER	a header with 8-bit bytes that are all
 *				well-formed UTF-8
 *	MIME_SEEN_8BIT_BODY	8-bit bytes in the body
 *	MIME_SEEN_8BIT_CTE	a Content-Transfer-Encoding of 8bit
 *	MIME_SEEN_BINARY_CTE	a Content-Transfer-Encoding of binary
 *	MIME_SEEN_MIME		MIME-Version or Content-Type in the
 *				primary headers
 *	MIME_SEEN_TRUNC_HEADER	a header was cut at header_size
 *	The declared BODY=8BITMIME of the SMTP session is the caller's
 *	to combine with these.
 *
 *	mime_state_error_text() returns the text of the lowest error bit
 *	set in errors (see DIAGNOSTICS), or "unknown MIME error".
 *	mime_state_header_class_name() names a header class ("primary",
 *	"multipart", "nested") for logging. mime_state_free() destroys
 *	a parser.
 *
 *	Boundaries: a line is a delimiter when it starts with "--" and
 *	the (possibly truncated) boundary of an enclosing multipart
 *	entity, a close delimiter when "--" follows the boundary. A
 *	delimiter of an outer multipart ends the inner ones.
 *
 *	Records: in a header block, the records of a line are joined
 *	(up to header_size bytes) before the line is classified; in a
 *	multipart body, the records of a line that starts with "--" are
 *	joined until they can hold "--", the longest open boundary and
 *	"--". Such joined records reach the callbacks as one record;
 *	all other records pass through as they came.
 *
 *	This module does not decode base64 or quoted-printable content,
 *	does not decode RFC 2047 encoded words, does not parse addresses,
 *	and does not look inside message/partial or message/external-body
 *	content (opaque body text).
 *
 * DIAGNOSTICS
 *	Error texts (mime_state_error_text()):
 *	MIME_ERR_NESTING	"MIME nesting exceeds safety limit"
 *	MIME_ERR_TRUNC_HEADER	"message header length exceeds safety limit"
 *	MIME_ERR_8BIT_IN_HEADER	"improper use of 8-bit data in message header"
 *	MIME_ERR_8BIT_IN_7BIT_BODY "improper use of 8-bit data in message body"
 *	MIME_ERR_ENCODING_DOMAIN "invalid message/<any> or multipart/<any>
 *				encoding domain" (with "*" for "<any>")
 *	Panic: an invalid rec_type, an update after mime_state_finish().
 *	The parser itself never logs.
 */
#ifndef MIME_STATE_H
#define MIME_STATE_H

#include "sys_defs.h"
#include "header_opts.h"

typedef struct MIME_STATE MIME_STATE;

/* Record types of mime_state_update(); equal to rec_type.h's. */
#define MIME_REC_LINE		'L'
#define MIME_REC_PART		'P'

/* Limits; 0 selects the default. */
typedef struct MIME_STATE_LIMITS {
    size_t  header_size;		/* header_size_limit */
    int     nesting;			/* mime_nesting_limit */
    size_t  boundary_length;		/* mime_boundary_length_limit */
} MIME_STATE_LIMITS;

#define MIME_DEF_HEADER_SIZE		102400
#define MIME_DEF_NESTING		100
#define MIME_DEF_BOUNDARY_LENGTH	2048

/* Options. */
#define MIME_OPT_NONE			0
#define MIME_OPT_DISABLE_MIME		(1<<0)
#define MIME_OPT_REPORT_8BIT_IN_HEADER	(1<<1)
#define MIME_OPT_REPORT_8BIT_IN_7BIT_BODY (1<<2)
#define MIME_OPT_REPORT_ENCODING_DOMAIN	(1<<3)
#define MIME_OPT_UTF8_HEADERS		(1<<4)
#define MIME_OPT_DOWNGRADE		(1<<5)
#define MIME_OPT_REPORT_TRUNC_HEADER	(1<<6)

/* Error bits. */
#define MIME_ERR_NESTING		(1<<0)
#define MIME_ERR_TRUNC_HEADER		(1<<1)
#define MIME_ERR_8BIT_IN_HEADER		(1<<2)
#define MIME_ERR_8BIT_IN_7BIT_BODY	(1<<3)
#define MIME_ERR_ENCODING_DOMAIN	(1<<4)

/* What the content showed. */
#define MIME_SEEN_8BIT_HEADER		(1<<0)
#define MIME_SEEN_UTF8_HEADER		(1<<1)
#define MIME_SEEN_8BIT_BODY		(1<<2)
#define MIME_SEEN_8BIT_CTE		(1<<3)
#define MIME_SEEN_BINARY_CTE		(1<<4)
#define MIME_SEEN_MIME			(1<<5)
#define MIME_SEEN_TRUNC_HEADER		(1<<6)

/* Header classes. */
#define MIME_HDR_PRIMARY		1
#define MIME_HDR_MULTIPART		2
#define MIME_HDR_NESTED			3

/* Body line classes. */
#define MIME_LINE_SEPARATOR		1
#define MIME_LINE_BOUNDARY		2
#define MIME_LINE_PREAMBLE		3
#define MIME_LINE_CONTENT		4

/* Content-Transfer-Encoding values. */
#define MIME_ENC_7BIT			0
#define MIME_ENC_8BIT			1
#define MIME_ENC_BINARY			2
#define MIME_ENC_QP			3
#define MIME_ENC_BASE64			4
#define MIME_ENC_OTHER			5	/* x-token, unknown */

typedef struct MIME_HEADER {
    int     header_class;		/* MIME_HDR_* */
    int     depth;			/* nesting level, 0 = primary */
    const char *text;			/* logical header, folding kept */
    size_t  len;			/* bytes at text */
    size_t  name_len;			/* field name length */
    const HEADER_OPTS *opts;		/* known header, or NULL */
    bool    mime;			/* Content-*, MIME-Version */
    bool    truncated;			/* cut at header_size */
} MIME_HEADER;

typedef struct MIME_BODY {
    int     rec_type;			/* MIME_REC_LINE or MIME_REC_PART */
    int     line_class;			/* MIME_LINE_* */
    int     depth;			/* nesting level */
    const char *text;			/* record data */
    size_t  len;			/* bytes at text */
    const char *content_type;		/* "type/subtype", lower case */
    int     encoding;			/* MIME_ENC_* */
    bool    inserted;			/* separator not in the input */
} MIME_BODY;

typedef struct MIME_STATE_CALLBACKS {
    void    (*header) (void *context, const MIME_HEADER *header);
    void    (*header_end) (void *context, int header_class, int depth);
    void    (*body) (void *context, const MIME_BODY *line);
    void    (*message_end) (void *context);
    void    (*error) (void *context, int error, const char *detail,
		              size_t len);
} MIME_STATE_CALLBACKS;

extern MIME_STATE *mime_state_create(const MIME_STATE_LIMITS *limits,
				             int options,
				        const MIME_STATE_CALLBACKS *callbacks,
				             void *context);
extern int mime_state_update(MIME_STATE *state, int rec_type,
			             const char *text, size_t len);
extern int mime_state_finish(MIME_STATE *state);
extern int mime_state_errors(const MIME_STATE *state);
extern int mime_state_seen(const MIME_STATE *state);
extern const char *mime_state_error_text(int errors);
extern const char *mime_state_header_class_name(int header_class);
extern void mime_state_free(MIME_STATE *state);

#endif
