/*
 * readlline - read one logical line from a configuration or table file
 *
 * DESCRIPTION
 *	See readlline.h. Input is read one byte at a time through the
 *	stream buffer, so no physical line is ever held in memory beyond
 *	the logical line bound. Whether a logical line continues is decided
 *	by the first byte of the next physical line, which is pushed back
 *	with vstream_ungetc() when it starts a new logical line.
 */
#include "sys_defs.h"

#include <ctype.h>

#include "msg.h"
#include "excerpt.h"
#include "vstring.h"
#include "vstream.h"
#include "readlline.h"

#define READLLINE_SNIPPET	30	/* text shown in warnings */

/* readlline_space - whitespace within a line (not the newline) */
static bool readlline_space(int ch)
{
    return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\v' || ch == '\f';
}

/* readlline_skip_rest - discard the rest of a physical line */
static void readlline_skip_rest(VSTREAM *fp)
{
    int     ch;

    while ((ch = VSTREAM_GETC(fp)) != VSTREAM_EOF && ch != '\n')
	 /* void */ ;
}

/*
 * readlline_piece - append the rest of a physical line to buf, within
 * bound. The bytes already read from this line (leading whitespace) are
 * in lead/lead_len. *ok becomes false when the bound is exceeded.
 */
static void readlline_piece(VSTRING *buf, VSTREAM *fp, const char *lead,
			            size_t lead_len, size_t bound, bool *ok)
{
    int     ch;
    size_t  n;

    for (n = 0; n < lead_len; n++) {
	if (VSTRING_LEN(buf) >= bound)
	    *ok = false;
	if (*ok)
	    VSTRING_ADDCH(buf, lead[n]);
    }
    while ((ch = VSTREAM_GETC(fp)) != VSTREAM_EOF && ch != '\n') {
	if (VSTRING_LEN(buf) >= bound)
	    *ok = false;
	if (*ok)
	    VSTRING_ADDCH(buf, ch);
    }
}

/*
 * readlline_next_kind - classify the next physical line. Leading
 * whitespace is consumed and kept (up to a small limit; the rest is
 * counted) so that a continuation line can be stored as is.
 */
typedef enum {
    READLLINE_LINE_EOF,			/* no more input */
    READLLINE_LINE_IGNORED,		/* blank or comment, consumed */
    READLLINE_LINE_START,		/* non-white first byte, pushed back */
    READLLINE_LINE_CONTINUE,		/* white first byte, text follows */
} READLLINE_LINE;

/* readlline_classify - consume the start of the next physical line */
static READLLINE_LINE readlline_classify(VSTREAM *fp, VSTRING *lead)
{
    int     ch;

    VSTRING_RESET(lead);
    if ((ch = VSTREAM_GETC(fp)) == VSTREAM_EOF)
	return READLLINE_LINE_EOF;
    if (ch == '\n')
	return READLLINE_LINE_IGNORED;
    if (ch == '#') {
	readlline_skip_rest(fp);
	return READLLINE_LINE_IGNORED;
    }
    if (!readlline_space(ch)) {
	vstream_ungetc(fp, ch);
	return READLLINE_LINE_START;
    }
    do {
	VSTRING_ADDCH(lead, ch);
    } while ((ch = VSTREAM_GETC(fp)) != VSTREAM_EOF && readlline_space(ch));
    VSTRING_TERMINATE(lead);
    if (ch == VSTREAM_EOF || ch == '\n')
	return READLLINE_LINE_IGNORED;
    if (ch == '#') {
	readlline_skip_rest(fp);
	return READLLINE_LINE_IGNORED;
    }
    vstream_ungetc(fp, ch);
    return READLLINE_LINE_CONTINUE;
}

/* readlline - read one logical line */
int     readlline(VSTRING *buf, VSTREAM *fp, int *lineno,
		          int *first_line, int *last_line, size_t bound)
{
    VSTRING *lead;
    READLLINE_LINE kind;
    int     first = 0;
    int     last = 0;
    bool    ok;
    bool    leading_white;
    int     status;

    if (bound == 0)
	msg_panic("readlline: zero length bound");

    /*
     * The leading whitespace of a line is held apart until we know that
     * text follows. Its length is bounded too: beyond the logical line
     * bound it cannot be stored anyway.
     */
    lead = vstring_alloc(16);
    vstring_set_maxlen(lead, bound + 1);

    for (;;) {
	VSTRING_RESET(buf);

	/* Find the first physical line of a logical line. */
	do {
	    kind = readlline_classify(fp, lead);
	    if (kind != READLLINE_LINE_EOF)
		*lineno += 1;
	} while (kind == READLLINE_LINE_IGNORED);
	if (kind == READLLINE_LINE_EOF) {
	    /* The EOF "line" was not a line. */
	    status = READLLINE_EOF;
	    break;
	}
	first = last = *lineno;
	ok = !vstring_overflowed(lead);
	leading_white = (kind == READLLINE_LINE_CONTINUE);
	readlline_piece(buf, fp, vstring_str(lead), VSTRING_LEN(lead),
			bound, &ok);

	/* Append continuation lines, skipping comments and blank lines. */
	for (;;) {
	    kind = readlline_classify(fp, lead);
	    if (kind == READLLINE_LINE_EOF || kind == READLLINE_LINE_START)
		break;
	    *lineno += 1;
	    if (kind == READLLINE_LINE_CONTINUE) {
		last = *lineno;
		if (vstring_overflowed(lead))
		    ok = false;
		readlline_piece(buf, fp, vstring_str(lead), VSTRING_LEN(lead),
				bound, &ok);
	    }
	}
	VSTRING_TERMINATE(buf);

	if (!ok) {
	    if (first == last)
		msg_warn("%s, line %d: logical line is longer than %zu bytes;"
			 " skipped", vstream_path(fp), first, bound);
	    else
		msg_warn("%s, line %d-%d: logical line is longer than %zu bytes;"
			 " skipped", vstream_path(fp), first, last, bound);
	    VSTRING_RESET(buf);
	    status = READLLINE_TOOLONG;
	    break;
	}
	if (leading_white) {
	    msg_warn("%s, line %d: logical line must not start with whitespace:"
		     " \"%s\"", vstream_path(fp), first,
		     excerpt_limit(vstring_str(buf), READLLINE_SNIPPET));
	    continue;
	}
	status = READLLINE_OK;
	break;
    }
    vstring_free(lead);
    if (first_line)
	*first_line = first;
    if (last_line)
	*last_line = last;
    return status;
}
