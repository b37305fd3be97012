/*
 * test_mime_state - unit tests for mime_state(3)
 *
 * Each case feeds a message, split into records, and compares a
 * transcript of the callbacks:
 *
 *	H<class>.<depth>[T][M] <text>	header (T truncated, M MIME header;
 *					folding newlines shown as "~")
 *	E<class>.<depth>		end of a header block
 *	B<S|B|P|C>.<depth>[p][i] <type> <encoding>:<text>
 *					body record (Separator, Boundary,
 *					Preamble/epilogue, Content; p partial
 *					record, i inserted separator)
 *	X<error> <detail>		error (detail cut at 40 bytes)
 *	M				end of message
 */
#include "sys_defs.h"

#include <stdio.h>
#include <string.h>

#include "mymalloc.h"
#include "vstring.h"
#include "mime_state.h"
#include "test_support.h"

/* Transcript of one run. */
static VSTRING *transcript;

static const char *encoding_names[] = {
    "7bit", "8bit", "binary", "qp", "base64", "other",
};

/* record_text - append text with newlines shown as "~" */
static void record_text(const char *text, size_t len)
{
    size_t  n;

    for (n = 0; n < len; n++)
	VSTRING_ADDCH(transcript, text[n] == '\n' ? '~' : text[n]);
    VSTRING_TERMINATE(transcript);
}

/* record_header - header callback */
static void record_header(void *context, const MIME_HEADER *header)
{
    (void) context;
    assert_int_equal(header->text[header->len], 0);
    vstring_sprintf_append(transcript, "H%d.%d%s%s ", header->header_class,
			   header->depth, header->truncated ? "T" : "",
			   header->mime ? "M" : "");
    record_text(header->text, header->len);
    VSTRING_ADDCH(transcript, '\n');
    VSTRING_TERMINATE(transcript);
}

/* record_header_end - header_end callback */
static void record_header_end(void *context, int header_class, int depth)
{
    (void) context;
    vstring_sprintf_append(transcript, "E%d.%d\n", header_class, depth);
}

/* record_body - body callback */
static void record_body(void *context, const MIME_BODY *body)
{
    static const char classes[] = "?SBPC";

    (void) context;
    assert_true(body->line_class >= 1 && body->line_class <= 4);
    assert_true(body->encoding >= 0 && body->encoding <= 5);
    vstring_sprintf_append(transcript, "B%c.%d%s%s %s %s:",
			   classes[body->line_class], body->depth,
			   body->rec_type == MIME_REC_PART ? "p" : "",
			   body->inserted ? "i" : "", body->content_type,
			   encoding_names[body->encoding]);
    record_text(body->text, body->len);
    VSTRING_ADDCH(transcript, '\n');
    VSTRING_TERMINATE(transcript);
}

/* record_end - message_end callback */
static void record_end(void *context)
{
    (void) context;
    vstring_strcat(transcript, "M\n");
}

/* record_error - error callback */
static void record_error(void *context, int error, const char *detail,
			         size_t len)
{
    (void) context;
    vstring_sprintf_append(transcript, "X%d ", error);
    record_text(detail, len > 40 ? 40 : len);
    VSTRING_ADDCH(transcript, '\n');
    VSTRING_TERMINATE(transcript);
}

static const MIME_STATE_CALLBACKS callbacks = {
    record_header, record_header_end, record_body, record_end, record_error,
};

/* run - feed a message as lines cut into records of chunk bytes */
static int run(const char *message, int options,
	               const MIME_STATE_LIMITS *limits, size_t chunk, int *seen)
{
    MIME_STATE *mp = mime_state_create(limits, options, &callbacks, 0);
    const char *line = message;
    const char *end;
    size_t  len;
    size_t  piece;
    int     errors;

    VSTRING_RESET(transcript);
    while (*line) {
	end = strchr(line, '\n');
	len = end ? (size_t) (end - line) : strlen(line);
	do {
	    piece = (chunk > 0 && len > chunk) ? chunk : len;
	    mime_state_update(mp, piece < len ? MIME_REC_PART : MIME_REC_LINE,
			      line, piece);
	    line += piece;
	    len -= piece;
	} while (len > 0);
	if (*line == '\n')
	    line++;
    }
    errors = mime_state_finish(mp);
    assert_int_equal(errors, mime_state_errors(mp));
    if (seen)
	*seen = mime_state_seen(mp);
    mime_state_free(mp);
    return errors;
}

typedef struct CASE {
    const char *name;
    const char *message;
    int     options;
    MIME_STATE_LIMITS limits;
    size_t  chunk;
    int     errors;
    int     seen;			/* -1: not checked */
    const char *expect;
} CASE;

static const CASE cases[] = {
    {"plain message",
	"From: a@b\nSubject: hi\n\nbody line\n", 0, {0}, 0, 0, 0,
	"H1.0 From: a@b\n"
	"H1.0 Subject: hi\n"
	"E1.0\n"
	"BS.0 text/plain 7bit:\n"
	"BC.0 text/plain 7bit:body line\n"
	"M\n"},
    {"no headers at all",
	"just body\nmore\n", 0, {0}, 0, 0, 0,
	"E1.0\n"
	"BS.0i text/plain 7bit:\n"
	"BC.0 text/plain 7bit:just body\n"
	"BC.0 text/plain 7bit:more\n"
	"M\n"},
    {"empty message",
	"", 0, {0}, 0, 0, 0,
	"E1.0\n"
	"M\n"},
    {"headers only",
	"Subject: x\nTo: y\n", 0, {0}, 0, 0, 0,
	"H1.0 Subject: x\n"
	"H1.0 To: y\n"
	"E1.0\n"
	"M\n"},
    {"header ended by a non-header line",
	"Subject: x\nnot a header\n", 0, {0}, 0, 0, 0,
	"H1.0 Subject: x\n"
	"E1.0\n"
	"BS.0i text/plain 7bit:\n"
	"BC.0 text/plain 7bit:not a header\n"
	"M\n"},
    {"header folding and obsolete form",
	"Subject: a\n b\n\tc\nTo : x\n\nB\n", 0, {0}, 0, 0, 0,
	"H1.0 Subject: a~ b~\tc\n"
	"H1.0 To: x\n"
	"E1.0\n"
	"BS.0 text/plain 7bit:\n"
	"BC.0 text/plain 7bit:B\n"
	"M\n"},
    {"leading white space is body",
	" folded?\nSubject: x\n", 0, {0}, 0, 0, 0,
	"E1.0\n"
	"BS.0i text/plain 7bit:\n"
	"BC.0 text/plain 7bit: folded?\n"
	"BC.0 text/plain 7bit:Subject: x\n"
	"M\n"},
    {"multipart nested",
	"MIME-Version: 1.0\n"
	"Content-Type: multipart/mixed; boundary=\"b1\"\n"
	"\n"
	"preamble\n"
	"--b1\n"
	"Content-Type: text/plain\n"
	"\n"
	"part one\n"
	"--b1\n"
	"Content-Type: multipart/alternative;\n"
	"\tboundary=b2 (comment)\n"
	"\n"
	"--b2\n"
	"\n"
	"inner\n"
	"--b2--\n"
	"after inner\n"
	"--b1--\n"
	"epilogue\n", 0, {0}, 0, 0, MIME_SEEN_MIME,
	"H1.0M MIME-Version: 1.0\n"
	"H1.0M Content-Type: multipart/mixed; boundary=\"b1\"\n"
	"E1.0\n"
	"BS.0 multipart/mixed 7bit:\n"
	"BP.0 multipart/mixed 7bit:preamble\n"
	"BB.0 multipart/mixed 7bit:--b1\n"
	"H2.1M Content-Type: text/plain\n"
	"E2.1\n"
	"BS.1 text/plain 7bit:\n"
	"BC.1 text/plain 7bit:part one\n"
	"BB.0 multipart/mixed 7bit:--b1\n"
	"H2.1M Content-Type: multipart/alternative;~\tboundary=b2 (comment)\n"
	"E2.1\n"
	"BS.1 multipart/alternative 7bit:\n"
	"BB.1 multipart/alternative 7bit:--b2\n"
	"E2.2\n"
	"BS.2 text/plain 7bit:\n"
	"BC.2 text/plain 7bit:inner\n"
	"BB.1 multipart/alternative 7bit:--b2--\n"
	"BP.1 multipart/alternative 7bit:after inner\n"
	"BB.0 multipart/mixed 7bit:--b1--\n"
	"BP.0 multipart/mixed 7bit:epilogue\n"
	"M\n"},
    {"outer delimiter closes inner parts",
	"Content-Type: multipart/mixed; boundary=out\n"
	"\n"
	"--out\n"
	"Content-Type: multipart/mixed; boundary=in\n"
	"\n"
	"--in\n"
	"\n"
	"text\n"
	"--out\n"
	"\n"
	"--in\n"
	"--out--\n", 0, {0}, 0, 0, -1,
	"H1.0M Content-Type: multipart/mixed; boundary=out\n"
	"E1.0\n"
	"BS.0 multipart/mixed 7bit:\n"
	"BB.0 multipart/mixed 7bit:--out\n"
	"H2.1M Content-Type: multipart/mixed; boundary=in\n"
	"E2.1\n"
	"BS.1 multipart/mixed 7bit:\n"
	"BB.1 multipart/mixed 7bit:--in\n"
	"E2.2\n"
	"BS.2 text/plain 7bit:\n"
	"BC.2 text/plain 7bit:text\n"
	"BB.0 multipart/mixed 7bit:--out\n"
	"E2.1\n"
	"BS.1 text/plain 7bit:\n"
	"BC.1 text/plain 7bit:--in\n"
	"BB.0 multipart/mixed 7bit:--out--\n"
	"M\n"},
    {"part headers ended by a delimiter",
	"Content-Type: multipart/mixed; boundary=b\n"
	"\n"
	"--b\n"
	"--b--\n", 0, {0}, 0, 0, -1,
	"H1.0M Content-Type: multipart/mixed; boundary=b\n"
	"E1.0\n"
	"BS.0 multipart/mixed 7bit:\n"
	"BB.0 multipart/mixed 7bit:--b\n"
	"E2.1\n"
	"BS.1i text/plain 7bit:\n"
	"BB.0 multipart/mixed 7bit:--b--\n"
	"M\n"},
    {"delimiter that looks like a header",
	"Content-Type: multipart/mixed; boundary=\"b:c\"\n"
	"\n"
	"--b:c\n"
	"--b:c\n"
	"X: y\n", 0, {0}, 0, 0, -1,
	"H1.0M Content-Type: multipart/mixed; boundary=\"b:c\"\n"
	"E1.0\n"
	"BS.0 multipart/mixed 7bit:\n"
	"BB.0 multipart/mixed 7bit:--b:c\n"
	"H2.1 --b:c\n"
	"H2.1 X: y\n"
	"E2.1\n"
	"M\n"},
    {"message/rfc822 nested",
	"Content-Type: message/rfc822\n"
	"\n"
	"Subject: inner\n"
	"Content-Type: text/plain\n"
	"\n"
	"inner body\n", 0, {0}, 0, 0, -1,
	"H1.0M Content-Type: message/rfc822\n"
	"E1.0\n"
	"BS.0 message/rfc822 7bit:\n"
	"H3.1 Subject: inner\n"
	"H3.1M Content-Type: text/plain\n"
	"E3.1\n"
	"BS.1 text/plain 7bit:\n"
	"BC.1 text/plain 7bit:inner body\n"
	"M\n"},
    {"message/rfc822 part without separator",
	"Content-Type: multipart/mixed; boundary=b\n"
	"\n"
	"--b\n"
	"Content-Type: message/rfc822\n"
	"hello\n"
	"--b--\n", 0, {0}, 0, 0, -1,
	"H1.0M Content-Type: multipart/mixed; boundary=b\n"
	"E1.0\n"
	"BS.0 multipart/mixed 7bit:\n"
	"BB.0 multipart/mixed 7bit:--b\n"
	"H2.1M Content-Type: message/rfc822\n"
	"E2.1\n"
	"BS.1i message/rfc822 7bit:\n"
	"E3.2\n"
	"BS.2i text/plain 7bit:\n"
	"BC.2 text/plain 7bit:hello\n"
	"BB.0 multipart/mixed 7bit:--b--\n"
	"M\n"},
    {"multipart/digest parts are messages",
	"Content-Type: multipart/digest; boundary=d\n"
	"\n"
	"--d\n"
	"\n"
	"Subject: m1\n"
	"\n"
	"text1\n"
	"--d--\n", 0, {0}, 0, 0, -1,
	"H1.0M Content-Type: multipart/digest; boundary=d\n"
	"E1.0\n"
	"BS.0 multipart/digest 7bit:\n"
	"BB.0 multipart/digest 7bit:--d\n"
	"E2.1\n"
	"BS.1 message/rfc822 7bit:\n"
	"H3.2 Subject: m1\n"
	"E3.2\n"
	"BS.2 text/plain 7bit:\n"
	"BC.2 text/plain 7bit:text1\n"
	"BB.0 multipart/digest 7bit:--d--\n"
	"M\n"},
    {"nesting over the limit",
	"Content-Type: multipart/mixed; boundary=a\n"
	"\n"
	"--a\n"
	"Content-Type: multipart/mixed; boundary=b\n"
	"\n"
	"--b\n"
	"Content-Type: multipart/mixed; boundary=c\n"
	"\n"
	"--c\n"
	"Content-Type: multipart/mixed; boundary=d\n"
	"\n"
	"--d\n"
	"x\n", 0, {0, 1, 0}, 0, MIME_ERR_NESTING, -1,
	"H1.0M Content-Type: multipart/mixed; boundary=a\n"
	"E1.0\n"
	"BS.0 multipart/mixed 7bit:\n"
	"BB.0 multipart/mixed 7bit:--a\n"
	"H2.1M Content-Type: multipart/mixed; boundary=b\n"
	"E2.1\n"
	"BS.1 multipart/mixed 7bit:\n"
	"BB.1 multipart/mixed 7bit:--b\n"
	"H2.2M Content-Type: multipart/mixed; boundary=c\n"
	"E2.2\n"
	"BS.2 multipart/mixed 7bit:\n"
	"BB.2 multipart/mixed 7bit:--c\n"
	"X1 Content-Type: multipart/mixed; boundary=\n"
	"H2.3M Content-Type: multipart/mixed; boundary=d\n"
	"E2.3\n"
	"BS.3 multipart/mixed 7bit:\n"
	"BC.3 multipart/mixed 7bit:--d\n"
	"BC.3 multipart/mixed 7bit:x\n"
	"M\n"},
    {"no boundary, no nesting error",
	"Content-Type: multipart/mixed; boundary=a\n"
	"\n"
	"--a\n"
	"Content-Type: multipart/mixed; boundary=b\n"
	"\n"
	"--b\n"
	"Content-Type: multipart/mixed; boundary=c\n"
	"\n"
	"--c\n"
	"Content-Type: multipart/mixed\n"
	"\n"
	"x\n", 0, {0, 1, 0}, 0, 0, -1, 0},
    {"nesting at the limit",
	"Content-Type: multipart/mixed; boundary=a\n"
	"\n"
	"--a\n"
	"Content-Type: multipart/mixed; boundary=b\n"
	"\n"
	"--b\n"
	"Content-Type: multipart/mixed; boundary=c\n"
	"\n"
	"--c\n"
	"x\n", 0, {0, 1, 0}, 0, 0, -1, 0},
    {"message/rfc822 nesting does not count",
	"Content-Type: message/rfc822\n"
	"\n"
	"Content-Type: message/rfc822\n"
	"\n"
	"Subject: deep\n", 0, {0, 1, 0}, 0, 0, -1,
	"H1.0M Content-Type: message/rfc822\n"
	"E1.0\n"
	"BS.0 message/rfc822 7bit:\n"
	"H3.1M Content-Type: message/rfc822\n"
	"E3.1\n"
	"BS.1 message/rfc822 7bit:\n"
	"H3.2 Subject: deep\n"
	"E3.2\n"
	"M\n"},
    {"boundary over the length limit is cut",
	"Content-Type: multipart/mixed; boundary=abcdefgh\n"
	"\n"
	"--abcdZZZ\n"
	"\n"
	"x\n"
	"--abcd--\n", 0, {0, 0, 4}, 0, 0, -1,
	"H1.0M Content-Type: multipart/mixed; boundary=abcdefgh\n"
	"E1.0\n"
	"BS.0 multipart/mixed 7bit:\n"
	"BB.0 multipart/mixed 7bit:--abcdZZZ\n"
	"E2.1\n"
	"BS.1 text/plain 7bit:\n"
	"BC.1 text/plain 7bit:x\n"
	"BB.0 multipart/mixed 7bit:--abcd--\n"
	"M\n"},
    {"multipart without boundary is opaque",
	"Content-Type: multipart/mixed\n"
	"\n"
	"--x\n", 0, {0}, 0, 0, -1,
	"H1.0M Content-Type: multipart/mixed\n"
	"E1.0\n"
	"BS.0 multipart/mixed 7bit:\n"
	"BC.0 multipart/mixed 7bit:--x\n"
	"M\n"},
    {"long type names are cut",
	"Content-Type: multipart/"
	"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	"; boundary=b\n\n--b--\n", 0, {0}, 0, 0, -1,
	"H1.0M Content-Type: multipart/"
	"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	"; boundary=b\n"
	"E1.0\n"
	"BS.0 multipart/"
	"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	" 7bit:\n"
	"BB.0 multipart/"
	"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	" 7bit:--b--\n"
	"M\n"},
    {"invalid Content-Type keeps the default",
	"Content-Type: garbage\n"
	"Content-Transfer-Encoding: x-uuencode\n"
	"\n"
	"x\n", 0, {0}, 0, 0, -1,
	"H1.0M Content-Type: garbage\n"
	"H1.0M Content-Transfer-Encoding: x-uuencode\n"
	"E1.0\n"
	"BS.0 text/plain other:\n"
	"BC.0 text/plain other:x\n"
	"M\n"},
    {"8-bit header, no check",
	"Subject: \xc3\xa4\n\nx\n", 0, {0}, 0, 0,
	MIME_SEEN_8BIT_HEADER | MIME_SEEN_UTF8_HEADER,
	"H1.0 Subject: \xc3\xa4\n"
	"E1.0\n"
	"BS.0 text/plain 7bit:\n"
	"BC.0 text/plain 7bit:x\n"
	"M\n"},
    {"8-bit header, strict_7bit_headers",
	"Subject: \xc3\xa4\n\nx\n", MIME_OPT_REPORT_8BIT_IN_HEADER, {0}, 0,
	MIME_ERR_8BIT_IN_HEADER, MIME_SEEN_8BIT_HEADER | MIME_SEEN_UTF8_HEADER,
	"X4 Subject: \xc3\xa4\n"
	"H1.0 Subject: \xc3\xa4\n"
	"E1.0\n"
	"BS.0 text/plain 7bit:\n"
	"BC.0 text/plain 7bit:x\n"
	"M\n"},
    {"UTF-8 header with SMTPUTF8",
	"Subject: \xc3\xa4\n\nx\n",
	MIME_OPT_REPORT_8BIT_IN_HEADER | MIME_OPT_UTF8_HEADERS, {0}, 0, 0,
	MIME_SEEN_8BIT_HEADER | MIME_SEEN_UTF8_HEADER, 0},
    {"malformed 8-bit header with SMTPUTF8",
	"Subject: \xff\n\nx\n",
	MIME_OPT_REPORT_8BIT_IN_HEADER | MIME_OPT_UTF8_HEADERS, {0}, 0,
	MIME_ERR_8BIT_IN_HEADER, MIME_SEEN_8BIT_HEADER, 0},
    {"message/global nested with UTF-8",
	"Content-Type: message/global\n\nSubject: \xe2\x82\xac\n\nx\n",
	MIME_OPT_REPORT_8BIT_IN_HEADER | MIME_OPT_UTF8_HEADERS, {0}, 0, 0,
	MIME_SEEN_MIME | MIME_SEEN_8BIT_HEADER | MIME_SEEN_UTF8_HEADER,
	"H1.0M Content-Type: message/global\n"
	"E1.0\n"
	"BS.0 message/global 7bit:\n"
	"H3.1 Subject: \xe2\x82\xac\n"
	"E3.1\n"
	"BS.1 text/plain 7bit:\n"
	"BC.1 text/plain 7bit:x\n"
	"M\n"},
    {"8-bit body, no check",
	"Subject: x\n\n\xe4\n", 0, {0}, 0, 0, MIME_SEEN_8BIT_BODY, 0},
    {"8-bit body, strict_8bitmime_body",
	"Subject: x\n\nok\n\xe4t\n\xe4\n", MIME_OPT_REPORT_8BIT_IN_7BIT_BODY,
	{0}, 0, MIME_ERR_8BIT_IN_7BIT_BODY, MIME_SEEN_8BIT_BODY,
	"H1.0 Subject: x\n"
	"E1.0\n"
	"BS.0 text/plain 7bit:\n"
	"BC.0 text/plain 7bit:ok\n"
	"X8 \xe4t\n"
	"BC.0 text/plain 7bit:\xe4t\n"
	"BC.0 text/plain 7bit:\xe4\n"
	"M\n"},
    {"8-bit body declared 8bit",
	"Content-Transfer-Encoding: 8BIT\n\n\xe4\n",
	MIME_OPT_REPORT_8BIT_IN_7BIT_BODY, {0}, 0, 0,
	MIME_SEEN_8BIT_BODY | MIME_SEEN_8BIT_CTE,
	"H1.0M Content-Transfer-Encoding: 8BIT\n"
	"E1.0\n"
	"BS.0 text/plain 8bit:\n"
	"BC.0 text/plain 8bit:\xe4\n"
	"M\n"},
    {"8-bit in a 7bit part of an 8bit message",
	"Content-Type: multipart/mixed; boundary=b\n"
	"Content-Transfer-Encoding: 8bit\n"
	"\n"
	"--b\n"
	"Content-Transfer-Encoding: binary\n"
	"\n"
	"\xe4\n"
	"--b\n"
	"\n"
	"\xe4\n", MIME_OPT_REPORT_8BIT_IN_7BIT_BODY, {0}, 0,
	MIME_ERR_8BIT_IN_7BIT_BODY,
	MIME_SEEN_8BIT_BODY | MIME_SEEN_8BIT_CTE | MIME_SEEN_BINARY_CTE
	| MIME_SEEN_MIME, 0},
    {"8-bit preamble of an 8bit multipart",
	"Content-Type: multipart/mixed; boundary=b\n"
	"Content-Transfer-Encoding: 8bit\n"
	"\n"
	"\xe4\n"
	"--b\n", MIME_OPT_REPORT_8BIT_IN_7BIT_BODY, {0}, 0,
	MIME_ERR_8BIT_IN_7BIT_BODY, -1, 0},
    {"8-bit epilogue of an 8bit multipart",
	"Content-Type: multipart/mixed; boundary=b\n"
	"Content-Transfer-Encoding: 8bit\n"
	"\n"
	"--b\n"
	"Content-Transfer-Encoding: 8bit\n"
	"\n"
	"--b--\n"
	"\xe4\n", MIME_OPT_REPORT_8BIT_IN_7BIT_BODY, {0}, 0,
	MIME_ERR_8BIT_IN_7BIT_BODY, -1, 0},
    {"8-bit delimiter after a preamble",
	"Content-Type: multipart/mixed; boundary=b\n"
	"Content-Transfer-Encoding: 8bit\n"
	"\n"
	"--b \xe4\n", MIME_OPT_REPORT_8BIT_IN_7BIT_BODY, {0}, 0,
	MIME_ERR_8BIT_IN_7BIT_BODY, -1, 0},
    {"8-bit close delimiter after an 8bit part",
	"Content-Type: multipart/mixed; boundary=b\n"
	"Content-Transfer-Encoding: 8bit\n"
	"\n"
	"--b\n"
	"Content-Transfer-Encoding: 8bit\n"
	"\n"
	"\xe4\n"
	"--b-- \xe4\n", MIME_OPT_REPORT_8BIT_IN_7BIT_BODY, {0}, 0, 0, -1,
	0},
    {"encoding domain violation reported",
	"Content-Type: multipart/mixed; boundary=b\n"
	"Content-Transfer-Encoding: base64\n"
	"\n"
	"--b\n", MIME_OPT_REPORT_ENCODING_DOMAIN, {0}, 0,
	MIME_ERR_ENCODING_DOMAIN, -1,
	"H1.0M Content-Type: multipart/mixed; boundary=b\n"
	"H1.0M Content-Transfer-Encoding: base64\n"
	"E1.0\n"
	"X16 base64\n"
	"BS.0 multipart/mixed base64:\n"
	"BB.0 multipart/mixed base64:--b\n"
	"E2.1\n"
	"M\n"},
    {"encoding domain violation not reported",
	"Content-Type: message/rfc822\n"
	"Content-Transfer-Encoding: quoted-printable\n"
	"\n"
	"Subject: x\n", 0, {0}, 0, 0, -1,
	"H1.0M Content-Type: message/rfc822\n"
	"H1.0M Content-Transfer-Encoding: quoted-printable\n"
	"E1.0\n"
	"BS.0 message/rfc822 qp:\n"
	"H3.1 Subject: x\n"
	"E3.1\n"
	"M\n"},
    {"unknown encoding counts as 7bit",
	"Content-Type: multipart/mixed; boundary=b\n"
	"Content-Transfer-Encoding: x-foo\n"
	"\n"
	"--b\n", MIME_OPT_REPORT_ENCODING_DOMAIN, {0}, 0, 0, -1, 0},
    {"first Content-Type and encoding count",
	"Content-Type: multipart/mixed; boundary=b1\n"
	"Content-Type: multipart/mixed; boundary=b2\n"
	"Content-Transfer-Encoding: 7bit\n"
	"Content-Transfer-Encoding: base64\n"
	"\n"
	"--b2\n"
	"--b1\n", MIME_OPT_REPORT_ENCODING_DOMAIN, {0}, 0, 0, -1,
	"H1.0M Content-Type: multipart/mixed; boundary=b1\n"
	"H1.0M Content-Type: multipart/mixed; boundary=b2\n"
	"H1.0M Content-Transfer-Encoding: 7bit\n"
	"H1.0M Content-Transfer-Encoding: base64\n"
	"E1.0\n"
	"BS.0 multipart/mixed 7bit:\n"
	"BP.0 multipart/mixed 7bit:--b2\n"
	"BB.0 multipart/mixed 7bit:--b1\n"
	"E2.1\n"
	"M\n"},
    {"8-bit body in unknown, qp, base64 encodings",
	"Content-Type: multipart/mixed; boundary=b\n"
	"\n"
	"--b\n"
	"Content-Transfer-Encoding: quoted-printable\n"
	"\n"
	"\xe4\n"
	"--b\n"
	"Content-Transfer-Encoding: base64\n"
	"\n"
	"\xe4\n"
	"--b\n"
	"Content-Transfer-Encoding: x-foo\n"
	"\n"
	"\xe4\n", MIME_OPT_REPORT_8BIT_IN_7BIT_BODY, {0}, 0,
	MIME_ERR_8BIT_IN_7BIT_BODY, -1, 0},
    {"message/global may be encoded",
	"Content-Type: message/global\n"
	"Content-Transfer-Encoding: base64\n"
	"\n"
	"U3ViamVjdDogeA==\n", MIME_OPT_REPORT_ENCODING_DOMAIN, {0}, 0, 0, -1,
	0},
    {"encoding domain: 8bit multipart is fine",
	"Content-Type: multipart/mixed; boundary=b\n"
	"Content-Transfer-Encoding: 8bit\n"
	"\n", MIME_OPT_REPORT_ENCODING_DOMAIN, {0}, 0, 0, -1, 0},
    {"over-long folded header is truncated",
	"Subject: 0123456789\n abcdefghij\n klm\nTo: x\n\nx\n",
	MIME_OPT_REPORT_TRUNC_HEADER, {20, 0, 0}, 0, MIME_ERR_TRUNC_HEADER,
	MIME_SEEN_TRUNC_HEADER,
	"X2 Subject: 0123456789~ abcdefghij\n"
	"H1.0T Subject: 0123456789~ abcdefghij\n"
	"H1.0 To: x\n"
	"E1.0\n"
	"BS.0 text/plain 7bit:\n"
	"BC.0 text/plain 7bit:x\n"
	"M\n"},
    {"over-long header line is cut at twice the limit",
	"Subject: 0123456789012345678901234\n\n",
	MIME_OPT_REPORT_TRUNC_HEADER, {10, 0, 0}, 0,
	MIME_ERR_TRUNC_HEADER, -1,
	"X2 Subject: 01234567890\n"
	"H1.0T Subject: 01234567890\n"
	"E1.0\n"
	"BS.0 text/plain 7bit:\n"
	"M\n"},
    {"a long name survives truncation",
	"Content-Transfer-Encoding:  x\n\n", 0, {8, 0, 0}, 0, 0,
	MIME_SEEN_TRUNC_HEADER,
	"H1.0TM Content-Transfer-Encoding:\n"
	"E1.0\n"
	"BS.0 text/plain 7bit:\n"
	"M\n"},
    {"partial records",
	"From: a@b\n fold\n\nbody line\n", 0, {0}, 4, 0, 0,
	"H1.0 From: a@b~ fold\n"
	"E1.0\n"
	"BS.0 text/plain 7bit:\n"
	"BC.0p text/plain 7bit:body\n"
	"BC.0p text/plain 7bit: lin\n"
	"BC.0 text/plain 7bit:e\n"
	"M\n"},
    {"partial records of a delimiter line",
	"Content-Type: multipart/mixed; boundary=b\n"
	"\n"
	"--b trailing\n"
	"Subject: 12345\n"
	"\n"
	"--b--\n", 0, {0}, 3, 0, -1,
	"H1.0M Content-Type: multipart/mixed; boundary=b\n"
	"E1.0\n"
	"BS.0 multipart/mixed 7bit:\n"
	"BB.0p multipart/mixed 7bit:--b tr\n"
	"BB.0p multipart/mixed 7bit:ail\n"
	"BB.0 multipart/mixed 7bit:ing\n"
	"H2.1 Subject: 12345\n"
	"E2.1\n"
	"BS.1 text/plain 7bit:\n"
	"BB.0 multipart/mixed 7bit:--b--\n"
	"M\n"},
    {"partial records beyond the header limit",
	"Subject: 0123456789abcdefghij\n\n", 0, {12, 0, 0}, 5,
	0, MIME_SEEN_TRUNC_HEADER,
	"H1.0T Subject: 012345\n"
	"E1.0\n"
	"BS.0 text/plain 7bit:\n"
	"M\n"},
    {"MIME processing disabled",
	"Content-Type: multipart/mixed; boundary=b\n"
	"Content-Transfer-Encoding: base64\n"
	"\n"
	"--b\n"
	"Content-Type: text/plain\n", MIME_OPT_DISABLE_MIME
	| MIME_OPT_REPORT_ENCODING_DOMAIN, {0}, 0, 0, -1,
	"H1.0M Content-Type: multipart/mixed; boundary=b\n"
	"H1.0M Content-Transfer-Encoding: base64\n"
	"E1.0\n"
	"BS.0 multipart/mixed base64:\n"
	"BC.0 multipart/mixed base64:--b\n"
	"BC.0 multipart/mixed base64:Content-Type: text/plain\n"
	"M\n"},
};

/* test_cases - the table above */
static void test_cases(void **state)
{
    const CASE *cp;
    int     errors;
    int     seen;

    (void) state;
    transcript = vstring_alloc(1000);
    for (cp = cases; cp < cases + ARRAY_LEN(cases); cp++) {
	errors = run(cp->message, cp->options, &cp->limits, cp->chunk, &seen);
	if (errors != cp->errors
	    || (cp->seen >= 0 && seen != cp->seen)
	    || (cp->expect && strcmp(vstring_str(transcript), cp->expect) != 0))
	    print_error("case \"%s\": errors %d seen %d transcript:\n%s\n",
			cp->name, errors, seen, vstring_str(transcript));
	assert_int_equal(errors, cp->errors);
	if (cp->seen >= 0)
	    assert_int_equal(seen, cp->seen);
	if (cp->expect)
	    assert_string_equal(vstring_str(transcript), cp->expect);
    }
    vstring_free(transcript);
}

/* test_null_callbacks - every callback may be absent */
static void test_null_callbacks(void **state)
{
    MIME_STATE *mp;
    MIME_STATE_CALLBACKS none = {0};

    (void) state;
    mp = mime_state_create((MIME_STATE_LIMITS *) 0,
			   MIME_OPT_REPORT_8BIT_IN_HEADER, &none, 0);
    mime_state_update(mp, MIME_REC_LINE, "Subject: \xff", 10);
    mime_state_update(mp, MIME_REC_LINE, "", 0);
    assert_int_equal(mime_state_finish(mp), MIME_ERR_8BIT_IN_HEADER);
    mime_state_free(mp);
    mp = mime_state_create((MIME_STATE_LIMITS *) 0, 0,
			   (MIME_STATE_CALLBACKS *) 0, 0);
    assert_int_equal(mime_state_update(mp, MIME_REC_LINE, "x", 1), 0);
    assert_int_equal(mime_state_finish(mp), 0);
    mime_state_free(mp);
}

/* test_deep_nesting - the default limit, far beyond it */
static void test_deep_nesting(void **state)
{
    MIME_STATE *mp = mime_state_create(0, 0, 0, 0);
    int     n;

    (void) state;
    for (n = 0; n < 5000; n++) {
	char    buf[100];
	int     len;

	len = snprintf(buf, sizeof(buf),
		       "Content-Type: multipart/mixed; boundary=b%d", n);
	mime_state_update(mp, MIME_REC_LINE, buf, len);
	mime_state_update(mp, MIME_REC_LINE, "", 0);
	len = snprintf(buf, sizeof(buf), "--b%d", n);
	mime_state_update(mp, MIME_REC_LINE, buf, len);
    }
    assert_int_equal(mime_state_finish(mp), MIME_ERR_NESTING);
    mime_state_free(mp);

    /* Attached messages do not count. */
    mp = mime_state_create(0, 0, 0, 0);
    for (n = 0; n < 5000; n++) {
	mime_state_update(mp, MIME_REC_LINE, "Content-Type: message/rfc822", 28);
	mime_state_update(mp, MIME_REC_LINE, "", 0);
    }
    assert_int_equal(mime_state_finish(mp), 0);
    mime_state_free(mp);
}

/* test_texts - error texts and class names */
static void test_texts(void **state)
{
    (void) state;
    assert_string_equal(mime_state_error_text(MIME_ERR_NESTING),
			"MIME nesting exceeds safety limit");
    assert_string_equal(mime_state_error_text(MIME_ERR_TRUNC_HEADER),
			"message header length exceeds safety limit");
    assert_string_equal(mime_state_error_text(MIME_ERR_8BIT_IN_HEADER),
			"improper use of 8-bit data in message header");
    assert_string_equal(mime_state_error_text(MIME_ERR_8BIT_IN_7BIT_BODY),
			"improper use of 8-bit data in message body");
    assert_string_equal(mime_state_error_text(MIME_ERR_ENCODING_DOMAIN),
			"invalid message/* or multipart/* encoding domain");
    assert_string_equal(mime_state_error_text(MIME_ERR_ENCODING_DOMAIN
					      | MIME_ERR_NESTING),
			"MIME nesting exceeds safety limit");
    assert_string_equal(mime_state_error_text(0), "unknown MIME error");
    assert_string_equal(mime_state_header_class_name(MIME_HDR_PRIMARY),
			"primary");
    assert_string_equal(mime_state_header_class_name(MIME_HDR_MULTIPART),
			"multipart");
    assert_string_equal(mime_state_header_class_name(MIME_HDR_NESTED),
			"nested");
    assert_string_equal(mime_state_header_class_name(0), "unknown");
}

/* main - run the tests */
int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_cases),
	cmocka_unit_test(test_null_callbacks),
	cmocka_unit_test(test_deep_nesting),
	cmocka_unit_test(test_texts),
    };

    return cmocka_run_group_tests(tests, 0, 0);
}
