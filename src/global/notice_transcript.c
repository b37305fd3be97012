/*
 * notice_transcript - session transcripts mailed to the postmaster
 *
 * SYNOPSIS
 *	See notice_transcript.h.
 *
 * DESCRIPTION
 *	The text layout was learned from Debian's Postfix 3.7 notices
 *	("Postfix SMTP client: errors from ...", "Postfix SMTP server:
 *	errors from ..."): a transcript line longer than 78 columns is
 *	broken at the last space that keeps it within the width (never
 *	inside its "In:  "/"Out: " label), or at the first space after
 *	it when a word is longer; continuation lines are indented by
 *	four more columns. The message gets Message-Id: from cleanup(8).
 *
 * DIAGNOSTICS
 *	None; the caller reports a failure of notice_transcript_post().
 */
#include "sys_defs.h"

#include <string.h>
#include <sys/time.h>
#include <time.h>

#include "mymalloc.h"
#include "stringops.h"
#include "word_list.h"
#include "argv.h"
#include "utf8_text.h"
#include "vstream.h"
#include "vstring.h"
#include "mail_params.h"
#include "mail_date.h"
#include "record.h"
#include "rec_type.h"
#include "record_text.h"
#include "cleanup_client.h"
#include "notice_transcript.h"

#define NOTICE_WIDTH	78		/* wrap column (Postfix) */
#define NOTICE_INDENT	4		/* continuation indent (Postfix) */

/* notice_transcript_add - one sanitized "label text" line */
void    notice_transcript_add(ARGV *lines, const char *label, const char *text,
			              size_t len, int max_lines)
{
    VSTRING *line = vstring_alloc(strlen(label) + len + 1);
    const char *end = text + len;
    size_t  n;

    if (max_lines > 0 && (int) lines->argc >= max_lines)
	argv_delete(lines, 0, (size_t) max_lines / 2);
    vstring_strcpy(line, label);
    for (; text < end; text += n) {
	unsigned char ch = (unsigned char) *text;

	n = 1;
	if (ch < 0x20 || ch == 0x7f)
	    VSTRING_ADDCH(line, '?');
	else if (ch < 0x80)
	    VSTRING_ADDCH(line, (char) ch);
	else if (VAR_BOOL(smtputf8_enable)
		 && (n = utf8_text_char_len(text, (size_t) (end - text))) > 0)
	    vstring_strncat(line, text, n);
	else {
	    n = 1;
	    VSTRING_ADDCH(line, '?');
	}
    }
    VSTRING_TERMINATE(line);
    argv_add(lines, vstring_str(line), (char *) 0);
    vstring_free(line);
}

/* notice_transcript_break - where to break text that is wider than room */
static const char *notice_transcript_break(const char *text, size_t room,
					           const char *not_before)
{
    const char *cp;

    for (cp = text + room; cp > text; cp--)
	if (*cp == ' ' && cp >= not_before)
	    return cp;
    return strchr(text + room, ' ');
}

/* notice_transcript_wrap - one transcript line into the body */
static void notice_transcript_wrap(VSTRING *out, const char *line)
{
    size_t  label = strcspn(line, " ");
    const char *text = line;
    const char *brk;
    size_t  indent = 0;

    label += strspn(line + label, " ");
    while (strlen(text) > NOTICE_WIDTH - indent
	   && (brk = notice_transcript_break(text, NOTICE_WIDTH - indent,
					     indent ? text : line + label)) != 0) {
	vstring_sprintf_append(out, " %*s%.*s\n", (int) indent, "",
			       (int) (brk - text), text);
	text = brk + 1;
	indent = NOTICE_INDENT;
    }
    vstring_sprintf_append(out, " %*s%s\n", (int) indent, "", text);
}

/* notice_transcript_body - headers and body of the notice */
static void notice_transcript_body(VSTRING *out, const char *queue_id,
				           const char *recipient,
				           const char *subject,
				           const char *intro, const ARGV *lines,
				           const char *outro)
{
    VSTRING *date = vstring_alloc(40);
    size_t  n;

    mail_date(date, time((time_t *) 0));
    vstring_sprintf(out, "Received: by %s (%s)\n\tid %s; %s\n",
		    VAR_STR(myhostname), VAR_STR(mail_name), queue_id,
		    vstring_str(date));
    vstring_sprintf_append(out, "Date: %s\n", vstring_str(date));
    vstring_sprintf_append(out, "From: Mail Delivery System "
			   "<MAILER-DAEMON@%s>\n", VAR_STR(myhostname));
    vstring_sprintf_append(out, "To: Postmaster <%s>\n", recipient);
    vstring_sprintf_append(out, "Subject: %s\n\n", subject);
    vstring_strcat(out, intro);
    for (n = 0; lines != 0 && n < lines->argc; n++)
	notice_transcript_wrap(out, lines->argv[n]);
    vstring_strcat(out, outro);
    vstring_free(date);
}

/* notice_transcript_post - queue the notice through cleanup(8) */
int     notice_transcript_post(const char *recipient, const char *subject,
			               const char *intro, const ARGV *lines,
			               const char *outro, VSTRING *why)
{
    char   *endpoint = concatenate("public/", VAR_STR(cleanup_service_name),
				   (char *) 0);
    const char *sender = VAR_STR(double_bounce_sender);
    int     flags = CLEANUP_FLAG_MAP_OK;
    CLEANUP_CLIENT *client;
    VSTREAM *fp;
    VSTRING *text;
    struct timeval tv;

    if (word_list_has(VAR_STR(internal_mail_filter_classes), "notify"))
	flags |= CLEANUP_FLAG_FILTER;
    client = cleanup_client_open(endpoint, flags, why);
    myfree(endpoint);
    if (client == 0)
	return (CLEANUP_STAT_WRITE);
    fp = cleanup_client_stream(client);
    (void) gettimeofday(&tv, (struct timezone *) 0);
    record_fprintf(fp, REC_TYPE_TIME, "%ld.%06ld", (long) tv.tv_sec,
		   (long) tv.tv_usec);
    record_puts(fp, REC_TYPE_ATTR, "rewrite_context=local");
    if (*sender == 0 || strchr(sender, '@') != 0)
	record_puts(fp, REC_TYPE_FROM, sender);
    else
	record_fprintf(fp, REC_TYPE_FROM, "%s@%s", sender,
		       VAR_STR(myhostname));
    if (strchr(recipient, '@') != 0)
	record_fprintf(fp, REC_TYPE_DSN_ORCPT, "rfc822;%s", recipient);
    else
	record_fprintf(fp, REC_TYPE_DSN_ORCPT, "rfc822;%s@%s", recipient,
		       VAR_STR(myorigin));
    record_puts(fp, REC_TYPE_ORCP, recipient);
    record_puts(fp, REC_TYPE_RCPT, recipient);
    record_puts(fp, REC_TYPE_MESSAGE, "");
    text = vstring_alloc(2000);
    notice_transcript_body(text, cleanup_client_queue_id(client), recipient,
			   subject, intro, lines, outro);
    record_text_put(fp, vstring_str(text), VSTRING_LEN(text));
    vstring_free(text);
    record_puts(fp, REC_TYPE_EXTRACT, "");
    record_puts(fp, REC_TYPE_END, "");
    return (cleanup_client_close(client, why));
}
