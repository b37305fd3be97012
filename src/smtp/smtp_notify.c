/*
 * smtp_notify - notify_classes transcripts of the SMTP/LMTP client
 *
 * SYNOPSIS
 *	See smtp_notify.h.
 *
 * DESCRIPTION
 *	Which replies count: observed with Debian's Postfix 3.7 and
 *	notify_classes = protocol, resource, software: a 500 or 503
 *	reply (to MAIL or RCPT) makes a notice; 550 5.1.1, 450, 553,
 *	552 and 451 to the end of data, 554 5.5.1 to DATA, a lost
 *	connection or a reply that is not SMTP make none. So the
 *	protocol class is a reply of the syntax category 50x. The
 *	other classes (resource, software, policy, data, bounce,
 *	2bounce, delay) make the client send nothing.
 *
 * DIAGNOSTICS
 *	Warning: "notify: cannot send the session transcript to
 *	<recipient>: <reason>".
 */
#include "sys_defs.h"

#include <string.h>

#include "msg.h"
#include "mymalloc.h"
#include "argv.h"
#include "name_mask.h"
#include "vstring.h"
#include "mail_params.h"
#include "notice_transcript.h"
#include "smtp.h"
#include "smtp_session.h"
#include "smtp_notify.h"

#define SMTP_NOTIFY_PROTOCOL	(1<<0)

/* notify_classes: only "protocol" makes the client send anything. */
static const NAME_MASK smtp_notify_table[] = {
    {"bounce", 0}, {"2bounce", 0}, {"data", 0}, {"delay", 0},
    {"policy", 0}, {"protocol", SMTP_NOTIFY_PROTOCOL}, {"resource", 0},
    {"software", 0},
    {0, 0},
};
static unsigned smtp_notify_mask;	/* enabled classes */
static unsigned smtp_notify_errors;	/* classes seen in this session */
static ARGV *smtp_notify_lines;		/* the transcript */
static char *smtp_notify_peer;		/* "name[addr]:port" */

/* smtp_notify_init - parse $notify_classes */
void    smtp_notify_init(void)
{
    (void) name_mask_opt(PARAM_NAME(notify_classes), smtp_notify_table,
			 VAR_STR(notify_classes),
			 NAME_MASK_WARN | NAME_MASK_ANY_CASE,
			 &smtp_notify_mask, (VSTRING *) 0);
}

/* smtp_notify_begin - a session starts: a new transcript */
void    smtp_notify_begin(const SMTP_SESSION *session)
{
    smtp_notify_errors = 0;
    myfree(smtp_notify_peer);
    smtp_notify_peer = 0;
    if (smtp_notify_mask == 0)
	return;
    if (smtp_notify_lines == 0)
	smtp_notify_lines = argv_alloc(32);
    argv_truncate(smtp_notify_lines, 0);
    smtp_notify_peer = mystrdup(session->namaddrport ? session->namaddrport :
				session->namaddr ? session->namaddr : "");
}

/* smtp_notify_record - one line of the conversation */
void    smtp_notify_record(const char *label, const char *text, size_t len)
{
    if (smtp_notify_mask == 0 || smtp_notify_peer == 0)
	return;
    notice_transcript_add(smtp_notify_lines, label, text, len,
			  SMTP_NOTIFY_MAX_LINES);
}

/* smtp_notify_reply - a refusal: which error class it is */
void    smtp_notify_reply(const SMTP_RESP *resp)
{
    if (resp->code >= 500 && resp->code <= 509)
	smtp_notify_errors |= SMTP_NOTIFY_PROTOCOL;
}

/* smtp_notify_end - the session is over: send the notice if it is due */
void    smtp_notify_end(void)
{
    const char *recipient = VAR_STR(error_notice_recipient);
    VSTRING *subject;
    VSTRING *intro;
    VSTRING *why;

    if ((smtp_notify_errors & smtp_notify_mask) != 0 && smtp_notify_peer) {
	subject = vstring_alloc(100);
	intro = vstring_alloc(100);
	why = vstring_alloc(100);
	vstring_sprintf(subject, "%s %s client: errors from %s",
			VAR_STR(mail_name), smtp_mode ? "SMTP" : "LMTP",
			smtp_notify_peer);
	vstring_sprintf(intro, "Unexpected response from %s.\n\n"
			"Transcript of session follows.\n\n",
			smtp_notify_peer);
	if (notice_transcript_post(recipient, vstring_str(subject),
				   vstring_str(intro), smtp_notify_lines,
				   "\nFor other details, see the local mail "
				   "logfile\n", why) != 0)
	    msg_warn("notify: cannot send the session transcript to %s: %s",
		     recipient, VSTRING_LEN(why) ? vstring_str(why) :
		     "cleanup error");
	vstring_free(subject);
	vstring_free(intro);
	vstring_free(why);
    }
    smtp_notify_errors = 0;
    myfree(smtp_notify_peer);
    smtp_notify_peer = 0;
    if (smtp_notify_lines)
	argv_truncate(smtp_notify_lines, 0);
}
