/*
 * cleanup_checks - header_checks and body_checks for cleanup(8)
 *
 * SYNOPSIS
 *	#include "cleanup_maps.h"
 *
 *	typedef struct CLEANUP_LOG_CONTEXT {
 *	    const char *queue_id;	"4Bx..." (never NULL)
 *	    const char *client_name;	"localhost" or NULL: local submission
 *	    const char *client_addr;	"127.0.0.1"
 *	    const char *sender;		envelope sender, "" null sender
 *	    const char *recipient;	last envelope recipient or NULL
 *	    const char *protocol;	"ESMTP", "SMTP", "QMQP", or NULL
 *	    const char *helo;		HELO/EHLO argument or NULL
 *	    bool    redirected;		a REDIRECT action was taken
 *	} CLEANUP_LOG_CONTEXT;
 *
 *	typedef struct CLEANUP_CHECK_RESULT {
 *	    int	    action;		CLEANUP_ACT_*
 *	    VSTRING *text;		the action's argument or reply
 *	} CLEANUP_CHECK_RESULT;
 *
 *	CLEANUP_CHECK_RESULT *cleanup_check_result_create(void);
 *	CLEANUP_CHECK_RESULT *cleanup_check_result_free(
 *					CLEANUP_CHECK_RESULT *result);
 *
 *	int	cleanup_checks_header(CLEANUP_MAPS *cm, int class,
 *				      const char *header, size_t len,
 *				      const CLEANUP_LOG_CONTEXT *ctx,
 *				      CLEANUP_CHECK_RESULT *result);
 *	int	cleanup_checks_body(CLEANUP_MAPS *cm, const char *line,
 *				    size_t len, const CLEANUP_LOG_CONTEXT *ctx,
 *				    CLEANUP_CHECK_RESULT *result);
 *	int	cleanup_checks_action(const char *title, int class,
 *				      const char *value, const char *input,
 *				      const CLEANUP_LOG_CONTEXT *ctx,
 *				      CLEANUP_CHECK_RESULT *result);
 *	VSTRING	*cleanup_checks_log_format(VSTRING *buf, const char *action,
 *				      int class, const char *input,
 *				      const CLEANUP_LOG_CONTEXT *ctx,
 *				      const char *text);
 *	const char *cleanup_checks_class_name(int class);
 *	VSTRING	*cleanup_checks_quote(VSTRING *buf, const char *input,
 *				      size_t len, size_t limit);
 *
 * DESCRIPTION
 *	This module runs the built-in content checks of header_checks(5)
 *	on one logical message header or one body line, and turns the
 *	table's answer into an action for the daemon.
 *
 *	class says which table applies:
 * .IP CLEANUP_CHECK_HEADER
 *	header_checks: primary message headers that are not MIME headers.
 * .IP CLEANUP_CHECK_MIME_HEADER
 *	mime_header_checks (default $header_checks): MIME headers
 *	(Content-*, MIME-Version) anywhere in the message.
 * .IP CLEANUP_CHECK_NESTED_HEADER
 *	nested_header_checks (default $header_checks): headers of
 *	attached messages (message/rfc822 parts), except MIME headers.
 * .IP CLEANUP_CHECK_BODY
 *	body_checks: every other line, MIME boundaries included.
 * .PP
 *	cleanup_checks_header() takes one logical header ("Name: value",
 *	folded lines joined with their "\n<whitespace>", without the final
 *	newline; the daemon has already cut it to header_size_limit) of len
 *	bytes. cleanup_checks_body() takes one physical body line (at most
 *	line_length_limit bytes, without the newline). Empty input never
 *	matches. Input with a null byte is looked up up to that byte.
 *
 *	body_checks_size_limit is the caller's business: per body segment
 *	(the text after a MIME boundary or after the headers) the daemon
 *	stops calling cleanup_checks_body() once more than
 *	cm->body_checks_size_limit bytes of that segment have been
 *	inspected, and resumes at the next segment.
 *
 *	Both functions return result->action. When no table is configured
 *	for the class or nothing matches, the action is CLEANUP_ACT_NONE
 *	and nothing is logged. Otherwise the value is parsed by
 *	cleanup_checks_action(), which also logs the Postfix log line for
 *	the actions that log. The daemon then does what the action says:
 * .IP "CLEANUP_ACT_NONE"
 *	No match, DUNNO or OK: keep the line, inspect the next one.
 * .IP "CLEANUP_ACT_REJECT"
 *	Reject the message (CLEANUP_STAT_CONT); text is the reply
 *	"5.7.1 message content rejected" or the table's text with an
 *	enhanced status code in front ("5.7.1 " when the text had none; a
 *	leading 4.x.x or 5.x.x code is kept as Postfix 3.7 keeps it, 2.x.x
 *	becomes 4.x.x, and a code alone gives "<code> " with an empty
 *	text). Stop all
 *	header/body inspection of this message.
 * .IP "CLEANUP_ACT_DEFER"
 *	Reserved. Postfix 3.7 has no DEFER action in header/body checks
 *	(it logs "unknown command in header_checks map: DEFER" and goes
 *	on), and neither do we: this value is never returned.
 * .IP "CLEANUP_ACT_DISCARD"
 *	Accept and drop the message; stop inspection. text: optional text.
 * .IP "CLEANUP_ACT_HOLD"
 *	Put the message on hold; keep inspecting. text: optional text.
 * .IP "CLEANUP_ACT_REDIRECT"
 *	text is the address (internal form) that replaces all recipients
 *	(last REDIRECT wins; it overrides FILTER).
 * .IP "CLEANUP_ACT_BCC"
 *	text is an address to add as a recipient with NOTIFY=NONE.
 * .IP "CLEANUP_ACT_FILTER"
 *	text is "transport:destination", the message's content filter
 *	(last one wins). When ctx->redirected is true (the message
 *	already has a REDIRECT) the action is returned but not logged:
 *	Postfix 3.7 ignores such a FILTER without a log line.
 * .IP "CLEANUP_ACT_PREPEND"
 *	text is a line to output before the current one (not inspected).
 * .IP "CLEANUP_ACT_REPLACE"
 *	text replaces the current line (it stays part of the input).
 * .IP "CLEANUP_ACT_IGNORE"
 *	Delete the current line silently.
 * .IP "CLEANUP_ACT_STRIP"
 *	Delete the current line (logged).
 * .IP "CLEANUP_ACT_WARN"
 *	Keep the line (a "warning:" line was logged).
 * .IP "CLEANUP_ACT_INFO"
 *	Keep the line (an "info:" line was logged).
 * .IP "CLEANUP_ACT_PASS"
 *	Keep the line and stop header, body and Milter inspection.
 * .IP "CLEANUP_ACT_RETRY"
 *	The table lookup failed: defer the message (CLEANUP_STAT_WRITE, as
 *	Postfix does; text is the reply). Stop inspection.
 * .PP
 *	A value that is not a valid action (unknown name, a missing
 *	required argument, a header PREPEND/REPLACE text that is not a
 *	header) is logged as a warning naming the table and is treated as
 *	CLEANUP_ACT_NONE, so a broken rule never loses mail.
 *
 *	cleanup_checks_action() parses one table value for the given input
 *	and class (title is the table list's name, e.g. "header_checks",
 *	for warnings). It is used by the two functions above and by
 *	tests and fuzzers.
 *
 *	cleanup_checks_log_format() formats the common part of a content
 *	check log line, without the "postfix/cleanup[pid]: " prefix:
 *
 *	<queue id>: <action>: <class> <input> from <client>; from=<sender>
 *	to=<recipient> proto=<protocol> helo=<helo>[: <text>]
 *
 *	where <class> is "header" or "body" (also for MIME headers, nested
 *	headers and MIME boundaries),
 *	<client> is "name[addr]" or "local", the to=, proto= and helo=
 *	parts are left out when their context field is NULL, and ": text"
 *	only when text is not NULL. As Postfix 3.7 logs it, the recipient
 *	is the most recent envelope recipient received, after canonical
 *	mapping and before virtual alias expansion, NULL before the first
 *	(sendmail -t). The input is shown in printable form.
 *	cleanup_checks_class_name() returns the <class> word.
 *
 *	cleanup_checks_quote() appends at most limit bytes of the len
 *	bytes of input to buf as Postfix 3.7 quotes input in its log lines
 *	(the <input> of the lines above, with limit 200, and the detail of
 *	cleanup's "mime-error" lines, with limit 100): no ellipsis,
 *	control bytes, DEL, null bytes and malformed UTF-8 as '?', valid
 *	UTF-8 kept when smtputf8_enable is on. It returns buf.
 *
 * SEE ALSO
 *	docs/internals/cleanup-maps.md, the exact log lines and replies
 *	observed from Debian's Postfix 3.7.
 *
 * DIAGNOSTICS
 *	Warnings for table lookup errors and bad actions; the log lines
 *	above at info level (also for WARN, whose line says "warning:"
 *	after the queue ID, as Postfix's does).
 */
#ifndef CLEANUP_CHECKS_H
#define CLEANUP_CHECKS_H

/* Which table (the class argument). */
#define CLEANUP_CHECK_HEADER		1	/* header_checks */
#define CLEANUP_CHECK_MIME_HEADER	2	/* mime_header_checks */
#define CLEANUP_CHECK_NESTED_HEADER	3	/* nested_header_checks */
#define CLEANUP_CHECK_BODY		4	/* body_checks */

/* Actions. */
#define CLEANUP_ACT_NONE	0	/* no match, DUNNO, OK */
#define CLEANUP_ACT_REJECT	1
#define CLEANUP_ACT_DEFER	2
#define CLEANUP_ACT_DISCARD	3
#define CLEANUP_ACT_HOLD	4
#define CLEANUP_ACT_REDIRECT	5
#define CLEANUP_ACT_BCC		6
#define CLEANUP_ACT_FILTER	7
#define CLEANUP_ACT_PREPEND	8
#define CLEANUP_ACT_REPLACE	9
#define CLEANUP_ACT_IGNORE	10
#define CLEANUP_ACT_STRIP	11
#define CLEANUP_ACT_WARN	12
#define CLEANUP_ACT_INFO	13
#define CLEANUP_ACT_PASS	14
#define CLEANUP_ACT_RETRY	15	/* table lookup failed */

typedef struct CLEANUP_LOG_CONTEXT {
    const char *queue_id;		/* never NULL */
    const char *client_name;		/* NULL: local submission */
    const char *client_addr;
    const char *sender;			/* "" = null sender */
    const char *recipient;		/* last recipient so far, or NULL */
    const char *protocol;		/* or NULL */
    const char *helo;			/* or NULL */
    bool    redirected;			/* a REDIRECT was taken: FILTER silent */
} CLEANUP_LOG_CONTEXT;

typedef struct CLEANUP_CHECK_RESULT {
    int     action;			/* CLEANUP_ACT_* */
    VSTRING *text;			/* argument or reply */
} CLEANUP_CHECK_RESULT;

extern CLEANUP_CHECK_RESULT *cleanup_check_result_create(void);
extern CLEANUP_CHECK_RESULT *cleanup_check_result_free(CLEANUP_CHECK_RESULT *);
extern int cleanup_checks_header(CLEANUP_MAPS *cm, int class,
				         const char *header, size_t len,
				         const CLEANUP_LOG_CONTEXT *ctx,
				         CLEANUP_CHECK_RESULT *result);
extern int cleanup_checks_body(CLEANUP_MAPS *cm, const char *line, size_t len,
			               const CLEANUP_LOG_CONTEXT *ctx,
			               CLEANUP_CHECK_RESULT *result);
extern int cleanup_checks_action(const char *title, int class,
				         const char *value, const char *input,
				         const CLEANUP_LOG_CONTEXT *ctx,
				         CLEANUP_CHECK_RESULT *result);
extern VSTRING *cleanup_checks_log_format(VSTRING *buf, const char *action,
				             int class, const char *input,
				             const CLEANUP_LOG_CONTEXT *ctx,
					          const char *text);
extern const char *cleanup_checks_class_name(int class);
extern VSTRING *cleanup_checks_quote(VSTRING *buf, const char *input,
				             size_t len, size_t limit);

#endif
