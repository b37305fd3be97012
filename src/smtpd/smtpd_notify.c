/*
 * smtpd_notify - the notify_classes transcript of an SMTP session
 *
 * SYNOPSIS
 *	#include "smtpd.h"
 *
 *	void	smtpd_notify_init(void);
 *	void	smtpd_notify_record(SMTPD_STATE *state, const char *label,
 *				const char *text, size_t len);
 *	void	smtpd_notify_trim(SMTPD_STATE *state);
 *	void	smtpd_notify_clear_errors(SMTPD_STATE *state);
 *	void	smtpd_notify_content_reject(SMTPD_STATE *state);
 *	void	smtpd_notify_session(SMTPD_STATE *state);
 *	void	smtpd_notify_free(SMTPD_STATE *state);
 *
 * DESCRIPTION
 *	When a session had an error of a class in $notify_classes
 *	(policy, protocol, resource, software, data: the restriction classes
 *	from smtpd_check_error_mask() and the classes of smtpd's own
 *	replies in state->error_mask), smtpd(8) mails a transcript of it
 *	to $error_notice_recipient, as Postfix 3.7 does (the bounce,
 *	2bounce and delay classes make smtpd send nothing, as with
 *	Debian's Postfix). The notice, learned from Debian's Postfix on
 *	the same sessions:
 *
 *	    Received: by $myhostname ($mail_name)
 *	    	id QUEUEID; <date>
 *	    Date: <date>
 *	    From: Mail Delivery System <MAILER-DAEMON@$myhostname>
 *	    To: Postmaster <$error_notice_recipient>
 *	    Subject: $mail_name SMTP server: errors from name[addr]
 *
 *	    Transcript of session follows.
 *
 *	     Out: 220 ...
 *	     In:  EHLO ...
 *	     ...
 *
 *	    Session aborted, reason: lost connection
 *
 *	    For other details, see the local mail logfile
 *
 *	(the "Session aborted" paragraph only when the session ended with
 *	a lost connection, a timeout or too many errors). The envelope
 *	sender is $double_bounce_sender@$myhostname; cleanup(8) gets the
 *	message with rewrite_context=local, so that it qualifies the
 *	recipient and adds Message-Id:. Each transcript line is wrapped
 *	at white space to 78 columns, continuation lines indented by
 *	four, control characters and bytes that are not UTF-8 (with
 *	smtputf8_enable = no: all non-ASCII bytes) shown as "?", and
 *	every line starts with a space (notice_transcript(3) formats and
 *	queues it; the SMTP client's notices use it too).
 *
 *	smtpd_notify_init() parses $notify_classes once per process
 *	(before any chroot). Nothing is recorded when no class that
 *	smtpd reports is on.
 *
 *	smtpd_notify_record() appends one line to the transcript: label
 *	"In:  " for a command (smtpd_chat_query()) or "Out: " for a
 *	reply line as sent (smtpd_chat_reply()). Message content is
 *	never recorded.
 *
 *	smtpd_notify_trim() forgets the transcript when it holds more than
 *	100 lines, as Postfix does at HELO, EHLO, RSET and after a
 *	message is queued. As a bound that Postfix lacks (a NOOP loop
 *	grows its transcript without end), at most 2000 lines
 *	(SMTPD_NOTIFY_MAX_LINES) are kept: beyond that the oldest 1000
 *	are dropped.
 *
 *	smtpd_notify_clear_errors() forgets the error classes after a
 *	queued message (Postfix sends no notice for errors that a
 *	successful transaction followed).
 *
 *	smtpd_notify_content_reject() is called when DATA or BDAT
 *	failed: a reply X.7.Y (cleanup(8) rejected the content, e.g.
 *	header_checks REJECT) counts as a policy error, as with Postfix.
 *
 *	smtpd_notify_session() sends the notice at the end of a session
 *	when its error classes meet $notify_classes; state->abort_reason
 *	is the "Session aborted" reason or NULL.
 *
 *	smtpd_notify_free() frees the transcript.
 *
 * DIAGNOSTICS
 *	Warning: "<id>: notify: cannot send the session transcript to
 *	<recipient>: <reason>" when cleanup(8) cannot be reached or does
 *	not accept the notice.
 */
#include "sys_defs.h"

#include <string.h>

#include "msg.h"
#include "argv.h"
#include "vstring.h"
#include "name_mask.h"
#include "mail_params.h"
#include "notice_transcript.h"
#include "smtpd.h"
#include "smtpd_check.h"

#define SMTPD_NOTIFY_TRIM_LINES	100	/* forget beyond this (Postfix) */
#define SMTPD_NOTIFY_MAX_LINES	2000	/* hard bound (ours) */

/* notify_classes: the classes that smtpd(8) reports. */
static const NAME_MASK smtpd_notify_table[] = {
    {"bounce", 0}, {"2bounce", 0}, {"data", SMTPD_CHECK_ERR_DATA},
    {"delay", 0},
    {MAIL_ERROR_POLICY, SMTPD_CHECK_ERR_POLICY},
    {MAIL_ERROR_PROTOCOL, SMTPD_CHECK_ERR_PROTOCOL},
    {MAIL_ERROR_RESOURCE, SMTPD_CHECK_ERR_RESOURCE},
    {MAIL_ERROR_SOFTWARE, SMTPD_CHECK_ERR_SOFTWARE},
    {0, 0},
};
static unsigned smtpd_notify_mask;

/* smtpd_notify_init - parse $notify_classes */
void    smtpd_notify_init(void)
{
    (void) name_mask_opt(PARAM_NAME(notify_classes), smtpd_notify_table,
			 VAR_STR(notify_classes), NAME_MASK_WARN
			 | NAME_MASK_ANY_CASE, &smtpd_notify_mask,
			 (VSTRING *) 0);
}

/* smtpd_notify_record - append one "In:" or "Out:" line */
void    smtpd_notify_record(SMTPD_STATE *state, const char *label,
			            const char *text, size_t len)
{
    if (smtpd_notify_mask == 0)
	return;
    if (state->transcript == 0)
	state->transcript = argv_alloc(32);
    notice_transcript_add(state->transcript, label, text, len,
			  SMTPD_NOTIFY_MAX_LINES);
}

/* smtpd_notify_trim - forget a transcript of more than 100 lines */
void    smtpd_notify_trim(SMTPD_STATE *state)
{
    if (state->transcript
	&& state->transcript->argc > SMTPD_NOTIFY_TRIM_LINES)
	argv_truncate(state->transcript, 0);
}

/* smtpd_notify_clear_errors - a message was queued: no errors to report */
void    smtpd_notify_clear_errors(SMTPD_STATE *state)
{
    state->error_mask = 0;
    smtpd_check_error_reset(state);
}

/*
 * smtpd_notify_content_reject - DATA or BDAT failed: an X.7.Y reply (what
 * cleanup's content checks answer) is a policy error, as Postfix counts it
 */
void    smtpd_notify_content_reject(SMTPD_STATE *state)
{
    const char *reply = vstring_str(state->reply);

    if ((reply[0] == '4' || reply[0] == '5') && strlen(reply) > 7
	&& reply[3] == ' ' && reply[5] == '.' && reply[6] == '7'
	&& reply[7] == '.')
	state->error_mask |= SMTPD_CHECK_ERR_POLICY;
}

/* smtpd_notify_free - free the transcript */
void    smtpd_notify_free(SMTPD_STATE *state)
{
    if (state->transcript) {
	argv_free(state->transcript);
	state->transcript = 0;
    }
}

/* smtpd_notify_session - mail the transcript when the errors call for it */
void    smtpd_notify_session(SMTPD_STATE *state)
{
    unsigned mask;
    const char *recipient = VAR_STR(error_notice_recipient);
    VSTRING *why;
    VSTRING *subject;
    VSTRING *outro;

    mask = (unsigned) (smtpd_check_error_mask(state) | state->error_mask)
	& smtpd_notify_mask;
    if (mask == 0)
	return;
    why = vstring_alloc(100);
    subject = vstring_alloc(100);
    outro = vstring_alloc(100);
    vstring_sprintf(subject, "%s SMTP server: errors from %s",
		    VAR_STR(mail_name), state->namaddr);
    vstring_strcpy(outro, "\n");
    if (state->abort_reason)
	vstring_sprintf_append(outro, "Session aborted, reason: %s\n",
			       state->abort_reason);
    vstring_strcat(outro, "\nFor other details, see the local mail logfile\n");
    if (notice_transcript_post(recipient, vstring_str(subject),
			       "Transcript of session follows.\n\n",
			       state->transcript, vstring_str(outro), why) != 0)
	msg_warn("%s: notify: cannot send the session transcript to %s: %s",
		 state->queue_id ? state->queue_id : "NOQUEUE", recipient,
		 VSTRING_LEN(why) ? vstring_str(why) : "cleanup error");
    vstring_free(why);
    vstring_free(subject);
    vstring_free(outro);
}
