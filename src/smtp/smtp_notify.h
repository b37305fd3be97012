/*
 * smtp_notify - notify_classes transcripts of the SMTP/LMTP client
 *
 * SYNOPSIS
 *	#include "smtp_notify.h"
 *
 *	void	smtp_notify_init(void);
 *	void	smtp_notify_begin(const SMTP_SESSION *session);
 *	void	smtp_notify_record(const char *label, const char *text,
 *				size_t len);
 *	void	smtp_notify_reply(const SMTP_RESP *resp);
 *	void	smtp_notify_end(void);
 *
 *	SMTP_NOTIFY_IN, SMTP_NOTIFY_OUT		the labels
 *
 * DESCRIPTION
 *	With "protocol" in $notify_classes the client mails the
 *	transcript of a session in which the server answered with a
 *	syntax or sequence error (a 50x reply: 500 ... 504) to
 *	$error_notice_recipient, as Debian's Postfix 3.7 smtp(8) does:
 *	"Subject: Postfix SMTP client: errors from NAME[ADDR]:PORT",
 *	"Unexpected response from NAME[ADDR]:PORT.", the transcript
 *	("In:  " server lines, "Out: " client lines) through the end of
 *	the session, "For other details, see the local mail logfile".
 *
 *	smtp_notify_init() parses $notify_classes once per process.
 *	smtp_notify_begin() starts the transcript of a new or cached
 *	session. smtp_notify_record() appends one line (the chat layer
 *	calls it for each command sent and each reply line read; a
 *	no-op unless the protocol class is on). smtp_notify_reply()
 *	notes a refusal (smtp_status/smtp_trouble call it).
 *	smtp_notify_end() sends the notice when an error of an enabled
 *	class happened, and forgets the transcript. One session is open
 *	at a time per process, so the transcript is per process. At
 *	most SMTP_NOTIFY_MAX_LINES lines are kept (older ones dropped).
 *
 * DIAGNOSTICS
 *	A warning when the notice cannot be queued.
 */
#ifndef SMTP_NOTIFY_H
#define SMTP_NOTIFY_H

#include "sys_defs.h"
#include "smtp_session.h"

#define SMTP_NOTIFY_IN		"In:  "
#define SMTP_NOTIFY_OUT		"Out: "
#define SMTP_NOTIFY_MAX_LINES	2000

extern void smtp_notify_init(void);
extern void smtp_notify_begin(const SMTP_SESSION *session);
extern void smtp_notify_record(const char *label, const char *text,
			               size_t len);
extern void smtp_notify_reply(const SMTP_RESP *resp);
extern void smtp_notify_end(void);

#endif
