/*
 * notice_transcript - session transcripts mailed to the postmaster
 *
 * SYNOPSIS
 *	#include "notice_transcript.h"
 *
 *	void	notice_transcript_add(ARGV *lines, const char *label,
 *				const char *text, size_t len, int max_lines);
 *	int	notice_transcript_post(const char *recipient,
 *				const char *subject, const char *intro,
 *				const ARGV *lines, const char *outro,
 *				VSTRING *why);
 *
 * DESCRIPTION
 *	The notify_classes notices of smtpd(8) and smtp(8) are a session
 *	transcript in a message to $error_notice_recipient.
 *
 *	notice_transcript_add() appends label ("In:  " or "Out: ") and
 *	the len bytes of text to lines, as Postfix shows them: "?" for
 *	control characters and for bytes that are not UTF-8 (with
 *	smtputf8_enable = no: for every non-ASCII byte). When lines
 *	holds max_lines already, the older half is dropped first.
 *
 *	notice_transcript_post() queues, through cleanup(8) (with
 *	rewrite_context=local, envelope sender
 *	$double_bounce_sender@$myhostname), a message with the headers
 *	Received:, Date:, "From: Mail Delivery System
 *	<MAILER-DAEMON@$myhostname>", "To: Postmaster <recipient>" and
 *	"Subject: subject", and the body: intro, the lines (each
 *	wrapped at white space to 78 columns, continuation lines
 *	indented by four, every line starting with a space), outro.
 *	It returns 0, or a cleanup status with why set.
 */
#ifndef NOTICE_TRANSCRIPT_H
#define NOTICE_TRANSCRIPT_H

#include "sys_defs.h"
#include "argv.h"
#include "vstring.h"

extern void notice_transcript_add(ARGV *lines, const char *label,
				          const char *text, size_t len,
				          int max_lines);
extern int notice_transcript_post(const char *recipient, const char *subject,
				          const char *intro, const ARGV *lines,
				          const char *outro, VSTRING *why);

#endif
