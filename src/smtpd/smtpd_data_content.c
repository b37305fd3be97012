/*
 * smtpd_data_content - the DATA/BDAT content state machine of smtpd(8)
 *
 * SYNOPSIS
 *	See smtpd_data_content.h.
 *
 * DESCRIPTION
 *	The line assembler behind DATA and BDAT: input arrives in pieces
 *	of any size (what the stream had buffered, or a BDAT chunk), a
 *	line may span pieces, and memory stays bounded by $line_length_limit
 *	whatever the client sends (a line without an end goes out as
 *	partial records as soon as it is that long).
 *
 *	What it does not do: read from the client, talk to cleanup(8),
 *	count headers or apply message_size_limit (smtpd_data.c does).
 *
 * DIAGNOSTICS
 *	None: the caller reports bare <LF> and sizes.
 */
#include "sys_defs.h"

#include <string.h>
#include <strings.h>

#include "mymalloc.h"
#include "vstring.h"
#include "rec_type.h"
#include "smtpd_data_content.h"

#define LINE_END_CRLF	1
#define LINE_END_LF	2
#define LINE_END_NONE	3		/* BDAT LAST without a line end */

struct SMTPD_CONTENT {
    int     mode;			/* SMTPD_BARE_LF_* */
    bool    dot_protocol;		/* DATA: dots; BDAT: none */
    size_t  line_limit;			/* $line_length_limit, at least 1 */
    SMTPD_CONTENT_FN put;
    void   *context;
    VSTRING *line;			/* current line, no line end */
    bool    partial;			/* part of this line went out */
    bool    prev_crlf;			/* last line ended in <CR><LF> */
    bool    done;			/* DATA: end-of-data seen */
    bool    bare_lf;			/* a bare <LF> was seen */
    long    size;			/* Postfix's message size count */
};

/* smtpd_content_mode - parse a smtpd_forbid_bare_newline value */
int     smtpd_content_mode(const char *value)
{
    if (strcasecmp(value, "no") == 0)
	return (SMTPD_BARE_LF_NO);
    if (strcasecmp(value, "normalize") == 0 || strcasecmp(value, "yes") == 0)
	return (SMTPD_BARE_LF_NORMALIZE);
    if (strcasecmp(value, "reject") == 0)
	return (SMTPD_BARE_LF_REJECT);
    return (-1);
}

/* smtpd_content_create - start one message */
SMTPD_CONTENT *smtpd_content_create(int mode, bool dot_protocol,
				            size_t line_limit,
				            SMTPD_CONTENT_FN put, void *context)
{
    SMTPD_CONTENT *content = mymalloc(sizeof(*content));

    content->mode = mode;
    content->dot_protocol = dot_protocol;
    content->line_limit = line_limit > 0 ? line_limit : 1;
    content->put = put;
    content->context = context;
    content->line = vstring_alloc(100);
    content->partial = false;
    content->prev_crlf = true;			/* the DATA command's */
    content->done = false;
    content->bare_lf = false;
    content->size = 0;
    return (content);
}

/* smtpd_content_free - release a message's state */
void    smtpd_content_free(SMTPD_CONTENT *content)
{
    vstring_free(content->line);
    myfree(content);
}

/* smtpd_content_out - write a record after the <CR> rule */
static void smtpd_content_out(SMTPD_CONTENT *content, int type, char *data,
			              size_t len)
{
    char   *cp;
    char   *end = data + len;

    /* As Postfix: a <CR> that does not end a line is a space. */
    for (cp = data; (cp = memchr(cp, '\r', (size_t) (end - cp))) != 0; cp++)
	*cp = ' ';
    content->put(content->context, type, data, len);
}

/* smtpd_content_unstuff - a leading dot at the start of a line goes */
static size_t smtpd_content_unstuff(SMTPD_CONTENT *content, const char *data,
				            size_t len)
{
    if (content->dot_protocol && !content->partial && len > 0
	&& data[0] == '.')
	return (1);
    return (0);
}

/* smtpd_content_part - send the first line_limit bytes as a P record */
static void smtpd_content_part(SMTPD_CONTENT *content)
{
    char   *data = vstring_str(content->line);
    size_t  skip = smtpd_content_unstuff(content, data, content->line_limit);
    size_t  rest;

    smtpd_content_out(content, REC_TYPE_PART, data + skip,
		      content->line_limit - skip);
    content->size += (long) (content->line_limit - skip);
    content->partial = true;
    rest = VSTRING_LEN(content->line) - content->line_limit;
    memmove(data, data + content->line_limit, rest);
    vstring_truncate(content->line, rest);
    VSTRING_TERMINATE(content->line);
}

/* smtpd_content_line - one complete line */
static void smtpd_content_line(SMTPD_CONTENT *content, int line_end)
{
    char   *data = vstring_str(content->line);
    size_t  len = VSTRING_LEN(content->line);
    size_t  skip;

    if (line_end == LINE_END_CRLF)
	len -= 1;				/* the <CR> */
    if (content->dot_protocol && !content->partial && len == 1
	&& data[0] == '.') {
	if (content->mode == SMTPD_BARE_LF_NO
	    || (line_end == LINE_END_CRLF && content->prev_crlf)) {
	    content->done = true;
	} else {
	    /* A "." next to a bare <LF> is not an end, and not content. */
	    content->bare_lf = true;
	    content->prev_crlf = (line_end == LINE_END_CRLF);
	}
	VSTRING_RESET(content->line);
	return;
    }
    if (line_end == LINE_END_LF)
	content->bare_lf = true;
    skip = smtpd_content_unstuff(content, data, len);
    smtpd_content_out(content, REC_TYPE_LINE, data + skip, len - skip);
    content->size += (long) (len - skip) + 2;
    content->partial = false;
    content->prev_crlf = (line_end == LINE_END_CRLF);
    VSTRING_RESET(content->line);
    VSTRING_TERMINATE(content->line);
}

/* smtpd_content_line_end - how the line before a <LF> ended */
static int smtpd_content_line_end(SMTPD_CONTENT *content)
{
    size_t  len = VSTRING_LEN(content->line);
    const char *data = vstring_str(content->line);

    if (len == 0 || data[len - 1] != '\r')
	return (LINE_END_LF);
    /* Mode "no" keeps the old rule: all <CR>s before the <LF> go. */
    if (content->mode == SMTPD_BARE_LF_NO) {
	while (len > 1 && data[len - 2] == '\r')
	    len -= 1;
	vstring_truncate(content->line, len);
	VSTRING_TERMINATE(content->line);
    }
    return (LINE_END_CRLF);
}

/* smtpd_content_feed - consume input up to the end of the data */
size_t  smtpd_content_feed(SMTPD_CONTENT *content, const char *data,
			           size_t len)
{
    const char *cp = data;
    const char *end = data + len;
    const char *lf;
    size_t  piece;
    size_t  room;

    while (cp < end && !content->done) {
	lf = memchr(cp, '\n', (size_t) (end - cp));
	piece = (size_t) ((lf ? lf : end) - cp);
	/* Append in bounded steps: memory stays near line_limit. */
	while (piece > 0) {
	    room = content->line_limit + 1 - VSTRING_LEN(content->line);
	    if (room > piece)
		room = piece;
	    vstring_memcat(content->line, cp, room);
	    cp += room;
	    piece -= room;
	    /* Keep one byte back: a <CR> there may pair with a <LF>. */
	    if (VSTRING_LEN(content->line) > content->line_limit)
		smtpd_content_part(content);
	}
	if (lf) {
	    cp = lf + 1;
	    smtpd_content_line(content, smtpd_content_line_end(content));
	}
    }
    return ((size_t) (cp - data));
}

/* smtpd_content_finish - BDAT LAST: a last line without a line end */
void    smtpd_content_finish(SMTPD_CONTENT *content)
{
    if (VSTRING_LEN(content->line) > 0 || content->partial)
	smtpd_content_line(content, LINE_END_NONE);
}

/* smtpd_content_chunk_end - BDAT chunk end: the line so far goes out */
void    smtpd_content_chunk_end(SMTPD_CONTENT *content)
{
    size_t  len = VSTRING_LEN(content->line);
    char   *data = vstring_str(content->line);

    /* As Postfix, count it now; a last <CR> may pair with the next <LF>. */
    if (len > 0 && data[len - 1] == '\r')
	len -= 1;
    if (len == 0)
	return;
    smtpd_content_out(content, REC_TYPE_PART, data, len);
    content->size += (long) len;
    content->partial = true;
    memmove(data, data + len, VSTRING_LEN(content->line) - len);
    vstring_truncate(content->line, VSTRING_LEN(content->line) - len);
    VSTRING_TERMINATE(content->line);
}

/* smtpd_content_done - was the end-of-data line seen */
bool    smtpd_content_done(const SMTPD_CONTENT *content)
{
    return (content->done);
}

/* smtpd_content_bare_lf - was a bare <LF> seen */
bool    smtpd_content_bare_lf(const SMTPD_CONTENT *content)
{
    return (content->bare_lf);
}

/* smtpd_content_size - bytes received, as Postfix counts them */
long    smtpd_content_size(const SMTPD_CONTENT *content)
{
    return (content->size);
}
