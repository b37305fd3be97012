/*
 * bounce_notify - the text of a delivery status notification
 *
 * SYNOPSIS
 *	#include "bounce.h"
 *
 *	void	bounce_notify_build(VSTRING *out, const BOUNCE_NOTICE *notice,
 *				const BOUNCE_ORIGINAL *orig,
 *				const BOUNCE_LOG *log);
 *	void	bounce_notify_wrap(VSTRING *out, const char *text,
 *				int width, int indent);
 *	bool	bounce_notify_wanted(int kind, const BOUNCE_ENTRY *entry,
 *				int flags);
 *
 * DESCRIPTION
 *	bounce_notify_build() writes into out the whole message content
 *	of a notification, as lines ended by "\n": the headers, then an
 *	RFC 3464 multipart/report with three parts, laid out as Postfix
 *	3.7 lays them out:
 *
 *	1. "Notification", text/plain in the template's charset: the
 *	template text (sender notices only; postmaster copies have none),
 *	then for each recipient an empty line and "<address> (expanded
 *	from <original>): <reason>", wrapped at 79 columns with a
 *	four-space indent. In delivery reports the reason reads
 *	"delivery via <relay>: <reason>" when there was a relay.
 *
 *	2. "Delivery report", message/delivery-status (RFC 6533
 *	message/global-delivery-status when the original asked for
 *	SMTPUTF8): Reporting-MTA, Original-Envelope-Id, X-Postfix-Queue-ID,
 *	X-Postfix-Sender, Arrival-Date;
 *	per recipient Final-Recipient, Original-Recipient (the DSN
 *	ORCPT, else the original recipient), Action, Status, Remote-MTA,
 *	Diagnostic-Code (the remote reply, else "X-Postfix; <reason>"),
 *	and for delay warnings Will-Retry-Until.
 *
 *	3. The original (when it could be read): the whole message
 *	(message/rfc822 or message/global) or its headers
 *	(text/rfc822-headers or message/global-headers) as notice->ret
 *	says, after a Return-Path: header. The sender in these two
 *	is quoted as Postfix quotes it: a local part that is not an
 *	ASCII dot-atom goes in double quotes, where '"', '\' and
 *	8-bit bytes get a backslash. When the body did not fit
 *	$bounce_size_limit
 *	(orig->body_ok false) only the headers are returned.
 *
 *	The headers are Received: (by $myhostname, with the new queue
 *	ID), Date:, From: (the template's, in $header_from_format),
 *	Subject: (the template's, or its postmaster subject), To:,
 *	References:/In-Reply-To: (threaded bounces, when the original
 *	has a Message-ID), Auto-Submitted: (auto-replied, or
 *	auto-generated for postmaster copies), MIME-Version:,
 *	Content-Type: with the boundary "<queue ID>.<time>/<myhostname>",
 *	Content-Transfer-Encoding:. cleanup(8) adds Message-Id:.
 *
 *	With notice->smtputf8_enable, a us-ascii template is sent as
 *	utf-8 (8bit), as Postfix 3.7 does.
 *
 *	A recipient is listed when the notice is a postmaster copy or
 *	when bounce_notify_wanted() says its DSN NOTIFY asks for this
 *	kind of notice: failures and delays unless NOTIFY excludes them,
 *	successes only with NOTIFY=SUCCESS or a DEL_REQ_FLAG_RECORD
 *	request, everything in a verify report.
 *
 *	bounce_notify_wrap() appends text to out, broken at spaces into
 *	lines of at most width columns (a longer word stays whole), each
 *	continuation line starting with indent spaces; every line ends
 *	with "\n".
 *
 * DIAGNOSTICS
 *	None: the caller checked the input.
 */
#include "sys_defs.h"

#include <string.h>
#include <strings.h>

#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "vstring.h"
#include "mail_date.h"
#include "quote_822_local.h"
#include "deliver_request.h"
#include "recipient_list.h"
#include "queue_file_read.h"
#include "bounce.h"

#define BOUNCE_WRAP_WIDTH	79
#define BOUNCE_WRAP_INDENT	4

/* bounce_notify_wrap - append text as wrapped lines */
void    bounce_notify_wrap(VSTRING *out, const char *text, int width,
			           int indent)
{
    const char *word = text;
    size_t  column = 0;
    bool    line_has_word = false;

    for (;;) {
	const char *end = strchr(word, ' ');
	size_t  len = end ? (size_t) (end - word) : strlen(word);

	if (line_has_word && column + 1 + len > (size_t) width) {
	    VSTRING_ADDCH(out, '\n');
	    for (int i = 0; i < indent; i++)
		VSTRING_ADDCH(out, ' ');
	    column = indent;
	} else if (line_has_word) {
	    VSTRING_ADDCH(out, ' ');
	    column++;
	}
	vstring_memcat(out, word, len);
	column += len;
	line_has_word = true;
	if (end == 0)
	    break;
	word = end + 1;
    }
    VSTRING_ADDCH(out, '\n');
    VSTRING_TERMINATE(out);
}

/* bounce_notify_wanted - does this recipient get this kind of notice? */
bool    bounce_notify_wanted(int kind, const BOUNCE_ENTRY *entry, int flags)
{
    int     notify = entry->dsn_notify;

    switch (kind) {
    case BOUNCE_KIND_FAILURE:
	return (notify == 0 || (notify & DSN_NOTIFY_FAILURE) != 0);
    case BOUNCE_KIND_DELAY:
	return (notify == 0 || (notify & DSN_NOTIFY_DELAY) != 0);
    case BOUNCE_KIND_SUCCESS:
	return ((flags & DEL_REQ_FLAG_RECORD) != 0
		|| (notify & DSN_NOTIFY_SUCCESS) != 0);
    default:
	return (true);
    }
}

/* bounce_notify_quote - an address in external form, as Postfix quotes it */
static const char *bounce_notify_quote(VSTRING *buf, const char *addr)
{
    const char *at = strrchr(addr, '@');
    size_t  len = at ? (size_t) (at - addr) : strlen(addr);

    VSTRING_RESET(buf);
    if (len > 0 && !quote_822_local_needed(addr, len, QUOTE_FLAG_NONE)) {
	vstring_strcpy(buf, addr);
	return (vstring_str(buf));
    }
    /* Quote the local part; 8-bit bytes get a backslash, as in Postfix. */
    VSTRING_ADDCH(buf, '"');
    for (size_t i = 0; i < len; i++) {
	unsigned char ch = addr[i];

	if (ch == '"' || ch == '\\' || ch == '\r' || ch == '\n' || ch >= 0x80)
	    VSTRING_ADDCH(buf, '\\');
	VSTRING_ADDCH(buf, ch);
    }
    VSTRING_ADDCH(buf, '"');
    VSTRING_TERMINATE(buf);
    if (at)
	vstring_strcat(buf, at);
    return (vstring_str(buf));
}

/* line - append one line */
static void line(VSTRING *out, const char *text)
{
    vstring_strcat(out, text);
    VSTRING_ADDCH(out, '\n');
    VSTRING_TERMINATE(out);
}

/* bounce_notify_utf8 - does the original ask for SMTPUTF8 treatment? */
static bool bounce_notify_utf8(const BOUNCE_ORIGINAL *orig)
{
    return ((orig->smtputf8 & QUEUE_FILE_UTF8_REQUESTED) != 0);
}

/* bounce_notify_from - the From: value */
static void bounce_notify_from(VSTRING *out, const BOUNCE_NOTICE *notice)
{
    const char *from = bounce_template_from(notice->template);
    const char *lt = strchr(from, '<');
    const char *gt = lt ? strchr(lt, '>') : 0;
    const char *paren = strchr(from, '(');
    char   *addr;
    char   *phrase;
    char   *tp;
    VSTRING *qualified = vstring_alloc(100);

    /* "phrase <address>", "address (comment)" or just "address". */
    if (lt != 0 && gt != 0) {
	phrase = mystrndup(from, lt - from);
	addr = mystrndup(lt + 1, gt - lt - 1);
    } else if (paren != 0) {
	const char *close = strrchr(paren, ')');

	addr = mystrndup(from, paren - from);
	phrase = mystrndup(paren + 1, (close ? close : paren + strlen(paren))
			   - paren - 1);
    } else {
	addr = mystrdup(from);
	phrase = mystrdup("");
    }
    vstring_strcpy(qualified, trim_whitespace(addr));
    if (strchr(vstring_str(qualified), '@') == 0 && *notice->myorigin != 0)
	vstring_sprintf_append(qualified, "@%s", notice->myorigin);
    if (*(tp = trim_whitespace(phrase)) == 0)
	vstring_sprintf_append(out, "From: %s\n", vstring_str(qualified));
    else if (strcmp(notice->header_from_format, "obsolete") == 0)
	vstring_sprintf_append(out, "From: %s (%s)\n", vstring_str(qualified),
			       tp);
    else
	vstring_sprintf_append(out, "From: %s <%s>\n", tp,
			       vstring_str(qualified));
    myfree(addr);
    myfree(phrase);
    vstring_free(qualified);
}

/* bounce_notify_charset - the charset of the text part */
static const char *bounce_notify_charset(const BOUNCE_NOTICE *notice)
{
    const char *charset = bounce_template_charset(notice->template);

    /* Reasons may hold UTF-8 once SMTPUTF8 is on: Postfix says utf-8. */
    if (notice->smtputf8_enable && strcasecmp(charset, "us-ascii") == 0)
	return ("utf-8");
    return (charset);
}

/* bounce_notify_message_id - the original's Message-ID value, or NULL */
static char *bounce_notify_message_id(const BOUNCE_ORIGINAL *orig)
{
    const char *cp = vstring_str(orig->headers);

    while (*cp) {
	const char *end = strchr(cp, '\n');
	size_t  len = end ? (size_t) (end - cp) : strlen(cp);

	if (len > 11 && strncasecmp(cp, "Message-ID:", 11) == 0) {
	    char   *value = mystrndup(cp + 11, len - 11);

	    trim_whitespace(value);
	    if (*value == '<' && value[strlen(value) - 1] == '>'
		&& strchr(value, ' ') == 0)
		return (value);
	    myfree(value);
	    return (0);
	}
	if (end == 0)
	    break;
	cp = end + 1;
    }
    return (0);
}

/* bounce_notify_headers - the message headers */
static void bounce_notify_headers(VSTRING *out, const BOUNCE_NOTICE *notice,
				          const BOUNCE_ORIGINAL *orig,
				          const char *boundary, bool eight_bit)
{
    VSTRING *date = vstring_alloc(40);
    const char *subject;
    char   *msgid;

    mail_date(date, notice->now);
    vstring_sprintf_append(out, "Received: by %s (%s)\n\tid %s; %s\n",
			   notice->myhostname, notice->mail_name,
			   notice->new_id, vstring_str(date));
    vstring_sprintf_append(out, "Date: %s\n", vstring_str(date));
    bounce_notify_from(out, notice);
    subject = notice->postmaster ?
	bounce_template_postmaster_subject(notice->template) : 0;
    if (subject == 0)
	subject = bounce_template_subject(notice->template);
    vstring_sprintf_append(out, "Subject: %s\n", subject);
    vstring_sprintf_append(out, "To: %s\n", notice->recipient);
    if (notice->threaded && (msgid = bounce_notify_message_id(orig)) != 0) {
	vstring_sprintf_append(out, "References: %s\n", msgid);
	vstring_sprintf_append(out, "In-Reply-To: %s\n", msgid);
	myfree(msgid);
    }
    vstring_sprintf_append(out, "Auto-Submitted: %s\n", notice->postmaster ?
			   "auto-generated" : "auto-replied");
    line(out, "MIME-Version: 1.0");
    vstring_sprintf_append(out, "Content-Type: multipart/report; "
			   "report-type=delivery-status;\n"
			   "\tboundary=\"%s\"\n", boundary);
    vstring_sprintf_append(out, "Content-Transfer-Encoding: %s\n",
			   eight_bit ? "8bit" : "7bit");
    line(out, "");
    line(out, "This is a MIME-encapsulated message.");
    line(out, "");
    vstring_free(date);
}

/* bounce_notify_template_line - one expanded template line */
static void bounce_notify_template_line(const char *text, void *context)
{
    line((VSTRING *) context, text);
}

/* bounce_notify_reason - the reason text of one recipient */
static const char *bounce_notify_reason(VSTRING *buf, const BOUNCE_NOTICE *notice,
					        const BOUNCE_ENTRY *e)
{
    /* Delivery reports name the relay, as Postfix's trace entries do. */
    if ((notice->kind == BOUNCE_KIND_SUCCESS
	 || notice->kind == BOUNCE_KIND_VERIFY)
	&& *e->relay && strcmp(e->relay, "none") != 0)
	vstring_sprintf(buf, "delivery via %s: %s", e->relay, e->reason);
    else
	vstring_strcpy(buf, e->reason);
    return (vstring_str(buf));
}

/* bounce_notify_text - the human-readable part */
static void bounce_notify_text(VSTRING *out, const BOUNCE_NOTICE *notice,
			               const BOUNCE_LOG *log, bool eight_bit)
{
    VSTRING *buf = vstring_alloc(200);
    VSTRING *reason = vstring_alloc(200);

    line(out, "Content-Description: Notification");
    vstring_sprintf_append(out, "Content-Type: text/plain; charset=%s\n",
			   bounce_notify_charset(notice));
    vstring_sprintf_append(out, "Content-Transfer-Encoding: %s\n",
			   eight_bit ? "8bit" : "7bit");
    line(out, "");
    if (!notice->postmaster)
	bounce_template_expand(notice->template, bounce_notify_template_line,
			       out);
    for (int i = 0; i < log->len; i++) {
	const BOUNCE_ENTRY *e = log->entries + i;

	if (!notice->postmaster
	    && !bounce_notify_wanted(notice->kind, e, notice->request_flags))
	    continue;
	vstring_sprintf(buf, "<%s>", e->address);
	if (*e->orig_rcpt && strcasecmp(e->orig_rcpt, e->address) != 0)
	    vstring_sprintf_append(buf, " (expanded from <%s>)", e->orig_rcpt);
	vstring_sprintf_append(buf, ": %s",
			       bounce_notify_reason(reason, notice, e));
	line(out, "");
	bounce_notify_wrap(out, vstring_str(buf), BOUNCE_WRAP_WIDTH,
			   BOUNCE_WRAP_INDENT);
    }
    line(out, "");
    vstring_free(buf);
    vstring_free(reason);
}

/* bounce_notify_field - one wrapped "Name: value" line */
static void bounce_notify_field(VSTRING *out, VSTRING *buf, const char *name,
				        const char *value)
{
    vstring_sprintf(buf, "%s: %s", name, value);
    bounce_notify_wrap(out, vstring_str(buf), BOUNCE_WRAP_WIDTH,
		       BOUNCE_WRAP_INDENT);
}

/* bounce_notify_action - the Action: of one recipient */
static const char *bounce_notify_action(int kind, const BOUNCE_ENTRY *e)
{
    switch (kind) {
    case BOUNCE_KIND_FAILURE:
	return ("failed");
    case BOUNCE_KIND_DELAY:
	return ("delayed");
    default:
	if (*e->action)
	    return (e->action);
	return (*e->status == '2' ? "delivered" :
		*e->status == '4' ? "delayed" : "failed");
    }
}

/* bounce_notify_status - the machine-readable part */
static void bounce_notify_status(VSTRING *out, const BOUNCE_NOTICE *notice,
				         const BOUNCE_ORIGINAL *orig,
				         const BOUNCE_LOG *log)
{
    VSTRING *buf = vstring_alloc(200);
    VSTRING *value = vstring_alloc(200);
    VSTRING *date = vstring_alloc(40);
    VSTRING *reason = vstring_alloc(200);
    bool    utf8 = bounce_notify_utf8(orig);

    line(out, "Content-Description: Delivery report");
    if (utf8) {
	line(out, "Content-Type: message/global-delivery-status");
	line(out, "Content-Transfer-Encoding: 8bit");
    } else {
	line(out, "Content-Type: message/delivery-status");
    }
    line(out, "");
    vstring_sprintf(value, "dns; %s", notice->myhostname);
    bounce_notify_field(out, buf, "Reporting-MTA", vstring_str(value));
    if (*orig->dsn_envid)
	bounce_notify_field(out, buf, "Original-Envelope-Id", orig->dsn_envid);
    bounce_notify_field(out, buf, "X-Postfix-Queue-ID", orig->queue_id);
    if (*orig->sender == 0) {
	vstring_sprintf(value, "rfc822; MAILER-DAEMON@%s", notice->myorigin);
	bounce_notify_field(out, buf, "X-Postfix-Sender", vstring_str(value));
    } else {
	vstring_sprintf(value, "rfc822; %s",
			bounce_notify_quote(reason, orig->sender));
	bounce_notify_field(out, buf, "X-Postfix-Sender", vstring_str(value));
    }
    if (orig->arrival > 0) {
	mail_date(date, orig->arrival);
	bounce_notify_field(out, buf, "Arrival-Date", vstring_str(date));
    }
    for (int i = 0; i < log->len; i++) {
	const BOUNCE_ENTRY *e = log->entries + i;

	if (!notice->postmaster
	    && !bounce_notify_wanted(notice->kind, e, notice->request_flags))
	    continue;
	line(out, "");
	vstring_sprintf(value, "%s; %s", allascii(e->address) ? "rfc822" :
			"utf-8", e->address);
	bounce_notify_field(out, buf, "Final-Recipient", vstring_str(value));
	if (*e->dsn_orcpt) {
	    bounce_notify_field(out, buf, "Original-Recipient", e->dsn_orcpt);
	} else if (*e->orig_rcpt) {
	    vstring_sprintf(value, "%s; %s", allascii(e->orig_rcpt) ?
			    "rfc822" : "utf-8", e->orig_rcpt);
	    bounce_notify_field(out, buf, "Original-Recipient",
				vstring_str(value));
	}
	bounce_notify_field(out, buf, "Action",
			    bounce_notify_action(notice->kind, e));
	bounce_notify_field(out, buf, "Status", e->status);
	if (*e->mtype && *e->mname) {
	    vstring_sprintf(value, "%s; %s", e->mtype, e->mname);
	    bounce_notify_field(out, buf, "Remote-MTA", vstring_str(value));
	}
	if (*e->dtype && *e->dtext)
	    vstring_sprintf(value, "%s; %s", e->dtype, e->dtext);
	else
	    vstring_sprintf(value, "X-Postfix; %s",
			    bounce_notify_reason(reason, notice, e));
	bounce_notify_field(out, buf, "Diagnostic-Code", vstring_str(value));
	if (notice->kind == BOUNCE_KIND_DELAY && notice->retry_until > 0) {
	    mail_date(date, notice->retry_until);
	    bounce_notify_field(out, buf, "Will-Retry-Until",
				vstring_str(date));
	}
    }
    line(out, "");
    vstring_free(buf);
    vstring_free(value);
    vstring_free(date);
    vstring_free(reason);
}

/* bounce_notify_original - the returned message or its headers */
static void bounce_notify_original(VSTRING *out, const BOUNCE_NOTICE *notice,
				           const BOUNCE_ORIGINAL *orig,
				           bool eight_bit)
{
    bool    full = (notice->ret == BOUNCE_RETURN_FULL && orig->body_ok);
    bool    utf8 = bounce_notify_utf8(orig);
    bool    undelivered = (notice->kind == BOUNCE_KIND_FAILURE
			   || notice->kind == BOUNCE_KIND_DELAY);

    vstring_sprintf_append(out, "Content-Description: %s%s\n",
			   undelivered ? "Undelivered Message" :
			   full ? "Delivered Message" : "Message",
			   full ? "" : " Headers");
    vstring_sprintf_append(out, "Content-Type: %s\n",
			   full ? (utf8 ? "message/global" : "message/rfc822")
			   : (utf8 ? "message/global-headers" :
			      "text/rfc822-headers"));
    vstring_sprintf_append(out, "Content-Transfer-Encoding: %s\n",
			   eight_bit ? "8bit" : "7bit");
    line(out, "");
    if (*orig->sender == 0)
	vstring_sprintf_append(out, "Return-Path: <MAILER-DAEMON@%s>\n",
			       notice->myorigin);
    else {
	VSTRING *quoted = vstring_alloc(100);

	vstring_sprintf_append(out, "Return-Path: <%s>\n",
			       bounce_notify_quote(quoted, orig->sender));
	vstring_free(quoted);
    }
    vstring_strcat(out, vstring_str(orig->headers));
    if (full) {
	line(out, "");
	vstring_memcat(out, vstring_str(orig->body), VSTRING_LEN(orig->body));
	VSTRING_TERMINATE(out);
    }
    line(out, "");
}

/* bounce_notify_build - the whole notification */
void    bounce_notify_build(VSTRING *out, const BOUNCE_NOTICE *notice,
			            const BOUNCE_ORIGINAL *orig,
			            const BOUNCE_LOG *log)
{
    VSTRING *boundary = vstring_alloc(100);
    const char *charset = bounce_notify_charset(notice);
    bool    text_8bit = (strcasecmp(charset, "us-ascii") != 0);
    bool    eight_bit = text_8bit || bounce_notify_utf8(orig)
    || (*orig->encoding && strcasecmp(orig->encoding, "7bit") != 0);

    VSTRING_RESET(out);
    VSTRING_TERMINATE(out);
    vstring_sprintf(boundary, "%s.%ld/%s", orig->queue_id,
		    (long) notice->now, notice->myhostname);
    bounce_notify_headers(out, notice, orig, vstring_str(boundary), eight_bit);
    vstring_sprintf_append(out, "--%s\n", vstring_str(boundary));
    bounce_notify_text(out, notice, log, text_8bit);
    vstring_sprintf_append(out, "--%s\n", vstring_str(boundary));
    bounce_notify_status(out, notice, orig, log);
    if (orig->readable) {
	vstring_sprintf_append(out, "--%s\n", vstring_str(boundary));
	bounce_notify_original(out, notice, orig, eight_bit);
    }
    vstring_sprintf_append(out, "--%s--\n", vstring_str(boundary));
    vstring_free(boundary);
}
