/*
 * smtp_reply - read and parse one SMTP/LMTP server reply
 *
 * SYNOPSIS
 *	#include "smtp_session.h"
 *
 *	void	smtp_resp_init(SMTP_RESP *resp);
 *	void	smtp_resp_free(SMTP_RESP *resp);
 *	int	smtp_reply_read(SMTP_SESSION *session, SMTP_RESP *resp);
 *	int	smtp_reply_parse(SMTP_RESP *resp, const char *lines[],
 *				int count);
 *	void	smtp_reply_filter_reset(void);
 *
 * DESCRIPTION
 *	smtp_reply_parse() turns the lines of one reply (without their
 *	CRLF) into resp: code, enhanced status code, and the text.
 *	-  The code is the three digits of the last line, which must be
 *	   a final reply line (three digits, 2-5 first, then " " or the
 *	   end of the line). Without one the reply is not SMTP: code 450
 *	   and status 4.5.0 (a protocol error; the session is not to be
 *	   trusted further). Earlier lines may be anything: as with
 *	   Postfix, a line that is not "NNN-" continues the reply.
 *	-  The enhanced status code is the one that follows the code on
 *	   the last line when its class equals the class of the code,
 *	   else "C.0.0" for reply code Cxx (Postfix: "550 4.1.1 x" is
 *	   5.0.0, "550-5.1.1 a" "551 5.1.2 b" is 5.1.2).
 *	-  The text is every line as received, joined with one space,
 *	   which is how Postfix's client logs a multi-line reply
 *	   ("550-5.1.1 a 550 5.1.1 b").
 *	resp->lines keeps the lines of the last reply read (the
 *	EHLO features come from there).
 *	It returns 0 for an SMTP reply, -1 for a non-SMTP one (resp is
 *	filled in either case).
 *
 *	smtp_reply_read() reads one reply from the session stream: every
 *	line up to the first final reply line ("NNN text"). A line that
 *	is neither a continuation nor final is logged ("QUEUEID:
 *	non-ESMTP response from host[addr]:port: line", and with
 *	PIPELINING the advice "to prevent loss of mail, turn off command
 *	pipelining for ADDR with the smtp_discard_ehlo_keyword_address_maps
 *	parameter", as Postfix) and kept as part of the text. Each line is bounded by $line_length_limit (the
 *	rest of a longer line is read and dropped); the joined text is
 *	cut at the same length (Postfix keeps about 2048 bytes of a long
 *	reply). At most SMTP_REPLY_MAX_LINES lines are kept (the first
 *	ones and the last); a reply of more than 100000 lines counts as
 *	not SMTP and marks the session broken. Each line goes through
 *	$smtp_reply_filter (lmtp_reply_filter) before parsing. With
 *	session->debug, every line is logged; every line goes to the
 *	notify_classes transcript (smtp_notify_record()). The stage deadline is the
 *	caller's (the stream timeout set by smtp_proto). It returns 0,
 *	SMTP_ERR_EOF (connection lost) or SMTP_ERR_TIME (timeout).
 *
 *	smtp_reply_filter_reset() forgets the opened filter table
 *	(tests).
 *
 * DIAGNOSTICS
 *	Warnings: a non-SMTP reply line, a reply line longer than the
 *	limit (truncated), a
 *	reply with too many lines, a filter result that is not an SMTP
 *	reply line (the original line is used), a filter lookup error.
 */
#include "sys_defs.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "msg.h"
#include "mymalloc.h"
#include "argv.h"
#include "vstring.h"
#include "vstream.h"
#include "vstring_vstream.h"
#include "dsn.h"
#include "maps.h"
#include "mail_params.h"
#include "smtp_session.h"
#include "smtp_proto.h"
#include "smtp_notify.h"

/* Lines read for one reply before it counts as endless. */
#define SMTP_REPLY_READ_LIMIT	100000

static SMTP_MAPS reply_filter_maps;	/* smtp_reply_filter */

/* smtp_resp_init - make an empty reply */

void    smtp_resp_init(SMTP_RESP *resp)
{
    resp->code = 0;
    resp->dsn[0] = 0;
    resp->str = vstring_alloc(100);
    resp->dsn_buf = vstring_alloc(16);
    resp->lines = argv_alloc(4);
}

/* smtp_resp_free - release a reply's storage */

void    smtp_resp_free(SMTP_RESP *resp)
{
    if (resp->str)
	resp->str = vstring_free(resp->str);
    if (resp->dsn_buf)
	resp->dsn_buf = vstring_free(resp->dsn_buf);
    if (resp->lines)
	resp->lines = argv_free(resp->lines);
}

/* reply_line_code - the code of an SMTP reply line, or -1 */

static int reply_line_code(const char *line, int *more)
{
    if (!isdigit((unsigned char) line[0]) || !isdigit((unsigned char) line[1])
	|| !isdigit((unsigned char) line[2]))
	return (-1);
    if (line[3] != 0 && line[3] != ' ' && line[3] != '-')
	return (-1);
    if (line[0] < '2' || line[0] > '5')
	return (-1);
    *more = (line[3] == '-');
    return ((line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0'));
}

/* reply_text_dsn - copy the enhanced status code at text into dsn */

static int reply_text_dsn(const char *text, int want_class, char *dsn,
			          size_t dsn_size)
{
    size_t  len = strcspn(text, " \t");
    char    buf[16];

    if (len == 0 || len >= sizeof(buf) || len >= dsn_size)
	return (0);
    memcpy(buf, text, len);
    buf[len] = 0;
    if (!dsn_valid_status(buf) || buf[0] != want_class)
	return (0);
    memcpy(dsn, buf, len + 1);
    return (1);
}

/* reply_text_limit - the longest line or joined reply text kept */

static size_t reply_text_limit(void)
{
    long    limit = VAR_INT(line_length_limit);

    return ((size_t) (limit < 512 ? 512 : limit));
}

/* smtp_reply_parse - code, status code and joined text of one reply */

int     smtp_reply_parse(SMTP_RESP *resp, const char *lines[], int count)
{
    const char *last;
    int     more = 0;
    int     code;
    int     i;

    size_t  limit = reply_text_limit();

    VSTRING_RESET(resp->str);
    for (i = 0; i < count && VSTRING_LEN(resp->str) < limit; i++) {
	if (i > 0)
	    VSTRING_ADDCH(resp->str, ' ');
	vstring_strncat(resp->str, lines[i], limit - VSTRING_LEN(resp->str));
    }
    if (VSTRING_LEN(resp->str) > limit)
	vstring_truncate(resp->str, limit);
    VSTRING_TERMINATE(resp->str);
    if (count <= 0 || (code = reply_line_code(lines[count - 1], &more)) < 0
	|| more) {
	resp->code = 450;
	strcpy(resp->dsn, "4.5.0");
	vstring_strcpy(resp->dsn_buf, resp->dsn);
	return (-1);
    }
    last = lines[count - 1];
    resp->code = code;
    if (!(strlen(last) > 4 && reply_text_dsn(last + 4, last[0],
					     resp->dsn, sizeof(resp->dsn))))
	snprintf(resp->dsn, sizeof(resp->dsn), "%c.0.0", last[0]);
    vstring_strcpy(resp->dsn_buf, resp->dsn);
    return (0);
}

/* smtp_reply_filter_reset - forget the filter table */

void    smtp_reply_filter_reset(void)
{
    smtp_maps_reset(&reply_filter_maps);
}

/* reply_filter_line - apply smtp_reply_filter to one line */

static void reply_filter_line(VSTRING *line)
{
    MAPS   *reply_filter = smtp_maps_get(&reply_filter_maps,
					     STR_PARAM_smtp_reply_filter,
					     STR_PARAM_lmtp_reply_filter);
    const char *result;
    int     more;

    if (reply_filter == 0 || VSTRING_LEN(line) == 0)
	return;
    result = maps_find(reply_filter, vstring_str(line), 0);
    if (result == 0) {
	if (reply_filter->error)
	    msg_warn("%s: lookup error for \"%s\"; using the original reply",
		     reply_filter->title, vstring_str(line));
	return;
    }
    if (reply_line_code(result, &more) < 0) {
	msg_warn("%s result is not an SMTP reply line: \"%s\"; "
		 "using the original reply", reply_filter->title, result);
	return;
    }
    vstring_strcpy(line, result);
}

/* reply_read_line - one bounded line without CRLF; returns 0 or SMTP_ERR_* */

static int reply_read_line(SMTP_SESSION *session, VSTRING *line)
{
    size_t  limit = reply_text_limit();
    int     last;
    int     ch;

    last = vstring_get_nonl_bound(line, session->stream, limit);
    if (last == VSTREAM_EOF)
	return (vstream_ftimeout(session->stream) ? SMTP_ERR_TIME : SMTP_ERR_EOF);
    if (VSTRING_LEN(line) == limit && last != '\n') {
	msg_warn("%s: reply line longer than %lu bytes; truncated",
		 session->namaddrport, (unsigned long) limit);
	while ((ch = VSTREAM_GETC(session->stream)) != VSTREAM_EOF && ch != '\n')
	     /* skip */ ;
	if (ch == VSTREAM_EOF)
	    return (vstream_ftimeout(session->stream) ?
		    SMTP_ERR_TIME : SMTP_ERR_EOF);
    }
    if (VSTRING_LEN(line) > 0 && vstring_end(line)[-1] == '\r')
	vstring_truncate(line, VSTRING_LEN(line) - 1);
    VSTRING_TERMINATE(line);
    return (0);
}

/* reply_non_smtp - warn about a line that is not an SMTP reply line */

static void reply_non_smtp(SMTP_SESSION *session, const char *line)
{
    const char *id = session->log_id ? session->log_id : 0;

    msg_warn("%s%snon-ESMTP response from %s: %s", id ? id : "",
	     id ? ": " : "", session->namaddrport, line);
    if (session->features & SMTP_FEATURE_PIPELINING)
	msg_warn("to prevent loss of mail, turn off command pipelining "
		 "for %s with the %s parameter",
		 *session->addr ? session->addr : session->host,
		 smtp_mode ? PARAM_NAME(smtp_discard_ehlo_keyword_address_maps) :
		 PARAM_NAME(lmtp_discard_lhlo_keyword_address_maps));
}

/* smtp_reply_read - read and parse one whole reply */

int     smtp_reply_read(SMTP_SESSION *session, SMTP_RESP *resp)
{
    ARGV   *lines = argv_alloc(4);
    VSTRING *line = session->buffer;
    int     status = 0;
    int     count = 0;
    int     more;
    int     code;

    for (;;) {
	if ((status = reply_read_line(session, line)) != 0)
	    break;
	reply_filter_line(line);
	if (session->debug)
	    msg_info("< %s: %s", session->namaddrport, vstring_str(line));
	smtp_notify_record(SMTP_NOTIFY_IN, vstring_str(line),
			   VSTRING_LEN(line));
	/* Keep the first lines and, in the last slot, the latest one. */
	if (lines->argc < SMTP_REPLY_MAX_LINES)
	    argv_add(lines, vstring_str(line), (char *) 0);
	else
	    argv_replace_one(lines, lines->argc - 1, vstring_str(line));
	if ((code = reply_line_code(vstring_str(line), &more)) < 0)
	    reply_non_smtp(session, vstring_str(line));
	else if (!more)
	    break;
	if (++count >= SMTP_REPLY_READ_LIMIT) {
	    msg_warn("%s: reply has more than %d lines",
		     session->namaddrport, SMTP_REPLY_READ_LIMIT);
	    session->broken = 1;
	    argv_add(lines, "(reply too long)", (char *) 0);
	    break;
	}
    }
    if (status == 0) {
	if (smtp_reply_parse(resp, (const char **) lines->argv,
			     (int) lines->argc) < 0)
	    session->broken = 1;
    }
    if (resp->lines) {
	argv_free(resp->lines);
	resp->lines = lines;
    } else {
	argv_free(lines);
    }
    return (status);
}
