/*
 * postqueue_format - the text of "postqueue -p" (mailq) and "postqueue -j"
 *
 * SYNOPSIS
 *	#include "postqueue.h"
 *
 *	See postqueue.h.
 *
 * DESCRIPTION
 *	The mailq layout is Postfix's, learned from Debian's Postfix 3.7
 *	on the same queue contents:
 *
 *	- a header line before the first message; none when the queue is
 *	  empty, which prints "Mail queue is empty";
 *	- per message: the queue ID followed by a status character ("*"
 *	  active queue, "!" hold queue, "#" forced to expire), left-
 *	  aligned in 11 columns (18 with enable_long_queue_ids), the size
 *	  in 8, the arrival time ("Sat Dec  5 07:42:43") in 20 (19), and
 *	  the sender; then one recipient per line, indented to the sender
 *	  column; before a recipient whose delay reason differs from the
 *	  one shown last, the reason in parentheses, right-aligned to
 *	  column 78 ("(reason unavailable)" when the reason stops being
 *	  known); an empty line ends the message;
 *	- "-- N Kbytes in M Requests." at the end (N = total size / 1024,
 *	  rounded down; "Request" for one message).
 *
 *	The JSON layout is one object per line with Postfix's member
 *	names: queue_name, queue_id, arrival_time, message_size,
 *	forced_expire, sender, recipients [ {address, delay_reason} ]
 *	(delay_reason only when known). Strings are escaped as RFC 8259
 *	asks ('"', '\', control characters as \u00XX); bytes that are not
 *	valid UTF-8 become U+FFFD, so the output is always valid JSON.
 *
 *	Control characters in the mailq layout are printed as "?".
 *
 * DIAGNOSTICS
 *	None; output errors are the caller's (vstream_fflush()).
 */
#include "sys_defs.h"

#include <string.h>
#include <time.h>

#include "msg.h"
#include "vstream.h"
#include "vstring.h"
#include "utf8_text.h"
#include "attr_list.h"
#include "mail_queue.h"
#include "showq_proto.h"
#include "postqueue.h"

#define POSTQUEUE_REASON_COLUMN	78	/* right edge of a reason line */

/* postqueue_indent - where recipients start */
static int postqueue_indent(const POSTQUEUE_FORMAT *fmt)
{
    return (fmt->long_ids ? 47 : 41);
}

/* postqueue_text - a value for the mailq layout: no control characters */
static const char *postqueue_text(VSTRING *buf, const char *value)
{
    vstring_strcpy(buf, value);
    for (char *cp = vstring_str(buf); *cp; cp++)
	if ((unsigned char) *cp < 0x20 || *cp == 0x7f)
	    *cp = '?';
    return (vstring_str(buf));
}

/* postqueue_putc - write one byte */
static void postqueue_putc(int ch, VSTREAM *out)
{
    char    c = (char) ch;

    vstream_fwrite(out, &c, 1);
}

/* postqueue_json_string - append a JSON string literal */
static void postqueue_json_string(VSTREAM *out, const char *value)
{
    size_t  len = strlen(value);
    size_t  i = 0;

    postqueue_putc('"', out);
    while (i < len) {
	unsigned char ch = value[i];

	if (ch == '"' || ch == '\\') {
	    postqueue_putc('\\', out);
	    postqueue_putc(ch, out);
	    i++;
	} else if (ch < 0x20 || ch == 0x7f) {
	    vstream_fprintf(out, "\\u%04x", ch);
	    i++;
	} else if (ch < 0x80) {
	    postqueue_putc(ch, out);
	    i++;
	} else {
	    size_t  n = utf8_text_char_len(value + i, len - i);

	    if (n > 0 && utf8_text_valid(value + i, n)) {
		vstream_fwrite(out, value + i, n);
		i += n;
	    } else {
		vstream_fputs("\\ufffd", out);
		i++;
	    }
	}
    }
    postqueue_putc('"', out);
}

/* postqueue_format_begin - start a listing */
void    postqueue_format_begin(POSTQUEUE_FORMAT *fmt, VSTREAM *out,
			               int format, bool long_ids)
{
    memset(fmt, 0, sizeof(*fmt));
    fmt->out = out;
    fmt->format = format;
    fmt->long_ids = long_ids;
    fmt->prev_reason = vstring_alloc(100);
    fmt->buf = vstring_alloc(100);
}

/* postqueue_close_message - finish the open message, if any */
static void postqueue_close_message(POSTQUEUE_FORMAT *fmt)
{
    if (!fmt->in_message)
	return;
    if (fmt->format == POSTQUEUE_FORMAT_JSON)
	vstream_fputs("]}\n", fmt->out);
    else
	vstream_fputs("\n", fmt->out);
    fmt->in_message = false;
}

/* postqueue_format_message - start one message */
void    postqueue_format_message(POSTQUEUE_FORMAT *fmt,
				         const ATTR_LIST *message)
{
    const char *queue = attr_list_find_str(message, SHOWQ_ATTR_QUEUE_NAME);
    const char *id = attr_list_find_str(message, SHOWQ_ATTR_QUEUE_ID);
    const char *sender = attr_list_find_str(message, SHOWQ_ATTR_SENDER);
    long    arrival = 0;
    long    size = 0;
    int     expire = 0;

    (void) attr_list_find_long(message, SHOWQ_ATTR_ARRIVAL, &arrival);
    (void) attr_list_find_long(message, SHOWQ_ATTR_SIZE, &size);
    (void) attr_list_find_int(message, SHOWQ_ATTR_EXPIRE, &expire);
    if (queue == 0)
	queue = "";
    if (id == 0)
	id = "";
    if (sender == 0)
	sender = "";

    postqueue_close_message(fmt);
    fmt->messages++;
    fmt->bytes += size > 0 ? size : 0;
    fmt->in_message = true;
    fmt->rcpt_count = 0;
    fmt->have_prev_reason = false;

    if (fmt->format == POSTQUEUE_FORMAT_JSON) {
	vstream_fputs("{\"queue_name\": ", fmt->out);
	postqueue_json_string(fmt->out, queue);
	vstream_fputs(", \"queue_id\": ", fmt->out);
	postqueue_json_string(fmt->out, id);
	vstream_fprintf(fmt->out, ", \"arrival_time\": %ld, \"message_size\": "
			"%ld, \"forced_expire\": %s, \"sender\": ", arrival,
			size, expire ? "true" : "false");
	postqueue_json_string(fmt->out, sender);
	vstream_fputs(", \"recipients\": [", fmt->out);
    } else {
	char    date[64];
	time_t  when = arrival;
	struct tm *tm = localtime(&when);
	char    status = 0;

	if (fmt->messages == 1)
	    vstream_fputs(fmt->long_ids ?
			  "----Queue ID----- --Size-- ---Arrival Time---- "
			  "--Sender/Recipient------\n" :
			  "-Queue ID-  --Size-- ----Arrival Time---- "
			  "-Sender/Recipient-------\n", fmt->out);
	if (tm == 0 || strftime(date, sizeof(date), "%a %b %e %H:%M:%S",
				tm) == 0)
	    strcpy(date, "?");
	if (strcmp(queue, MAIL_QUEUE_ACTIVE) == 0)
	    status = '*';
	else if (strcmp(queue, MAIL_QUEUE_HOLD) == 0)
	    status = '!';
	else if (expire)
	    status = '#';
	postqueue_text(fmt->buf, id);
	if (status)
	    VSTRING_ADDCH(fmt->buf, status);
	VSTRING_TERMINATE(fmt->buf);
	vstream_fprintf(fmt->out, "%-*s%8ld %-*s ", fmt->long_ids ? 18 : 11,
			vstring_str(fmt->buf), size, fmt->long_ids ? 19 : 20,
			date);
	vstream_fprintf(fmt->out, "%s\n", postqueue_text(fmt->buf, sender));
    }
}

/* postqueue_format_rcpt - one recipient of the open message */
void    postqueue_format_rcpt(POSTQUEUE_FORMAT *fmt, const char *address,
			              const char *reason)
{
    if (!fmt->in_message)
	return;
    if (fmt->format == POSTQUEUE_FORMAT_JSON) {
	vstream_fputs(fmt->rcpt_count ? ", {\"address\": " : "{\"address\": ",
		      fmt->out);
	postqueue_json_string(fmt->out, address);
	if (reason) {
	    vstream_fputs(", \"delay_reason\": ", fmt->out);
	    postqueue_json_string(fmt->out, reason);
	}
	vstream_fputs("}", fmt->out);
    } else {
	bool    changed;

	/* A reason line whenever the reason differs from the last one. */
	if (reason)
	    changed = !fmt->have_prev_reason
		|| strcmp(reason, vstring_str(fmt->prev_reason)) != 0;
	else
	    changed = fmt->have_prev_reason;
	if (changed) {
	    const char *text = reason ? postqueue_text(fmt->buf, reason) :
	    "reason unavailable";
	    int     pad = POSTQUEUE_REASON_COLUMN - 2 - (int) strlen(text);

	    vstream_fprintf(fmt->out, "%*s(%s)\n", pad > 0 ? pad : 0, "",
			    text);
	    if (reason)
		vstring_strcpy(fmt->prev_reason, reason);
	    fmt->have_prev_reason = reason != 0;
	}
	vstream_fprintf(fmt->out, "%*s%s\n", postqueue_indent(fmt), "",
			postqueue_text(fmt->buf, address));
    }
    fmt->rcpt_count++;
}

/* postqueue_format_end - finish the listing */
void    postqueue_format_end(POSTQUEUE_FORMAT *fmt)
{
    postqueue_close_message(fmt);
    if (fmt->format != POSTQUEUE_FORMAT_JSON) {
	if (fmt->messages == 0)
	    vstream_fputs("Mail queue is empty\n", fmt->out);
	else
	    vstream_fprintf(fmt->out, "-- %lld Kbytes in %ld Request%s.\n",
			    fmt->bytes / 1024, fmt->messages,
			    fmt->messages == 1 ? "" : "s");
    }
    vstring_free(fmt->prev_reason);
    vstring_free(fmt->buf);
    fmt->prev_reason = fmt->buf = 0;
}
