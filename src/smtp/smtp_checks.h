/*
 * smtp_checks - smtp_header_checks and smtp_body_checks of the client
 *
 * SYNOPSIS
 *	#include "smtp_checks.h"
 *
 *	SMTP_CHECKS *smtp_checks_create(void);
 *	bool	smtp_checks_any(const SMTP_CHECKS *checks);
 *	int	smtp_checks_run(SMTP_CHECKS *checks, int class,
 *				const char *queue_id, const char *input,
 *				size_t len, VSTRING *text);
 *	void	smtp_checks_free(SMTP_CHECKS *checks);
 *
 * DESCRIPTION
 *	The restricted header_checks(5) and body_checks(5) of smtp(8)
 *	and lmtp(8): smtp_header_checks (class SMTP_CHECK_HEADER: the
 *	primary headers that are not MIME headers),
 *	smtp_mime_header_checks (SMTP_CHECK_MIME_HEADER),
 *	smtp_nested_header_checks (SMTP_CHECK_NESTED_HEADER) and
 *	smtp_body_checks (SMTP_CHECK_BODY), or their lmtp_ twins.
 *
 *	smtp_checks_create() opens the tables that are not empty (a
 *	class without a table never matches); smtp_checks_any() tells
 *	whether there is at least one.
 *
 *	smtp_checks_run() looks up one logical header or body line (len
 *	bytes; a null byte ends the lookup key) and returns what the
 *	content writer does with it:
 *	SMTP_CHECK_KEEP		no match, DUNNO, OK, WARN, INFO, or an
 *				unsupported or malformed action: send it
 *	SMTP_CHECK_DELETE	IGNORE or STRIP: leave it out
 *	SMTP_CHECK_REPLACE	REPLACE: send text instead
 *	SMTP_CHECK_PREPEND	PREPEND: send text, then the input
 *	SMTP_CHECK_RETRY	the table lookup failed: defer the message
 *
 *	As Debian's Postfix 3.7 smtp(8) does (observed), the actions
 *	that would change the delivery (REJECT, HOLD, DISCARD, FILTER,
 *	REDIRECT, BCC, PASS) and unknown ones are logged as unsupported
 *	and ignored, and
 *	the actions that log do so without the client and envelope
 *	fields of cleanup(8):
 *
 *	<qid>: warning: header <input>: <text>
 *	<qid>: info: body <input>: <text>
 *	<qid>: replace: header <input>: <new text>
 *	<qid>: prepend: body <input>: <new line>
 *	<qid>: strip: header <input>: <text>
 *
 *	(": <text>" only with a text; <input> as cleanup(8) quotes it,
 *	cleanup_checks_quote(), at most 200 bytes).
 *
 * DIAGNOSTICS
 *	Warnings: "unsupported command in <title> map: <value>",
 *	"<ACTION> action without text in <title> map", "bad <ACTION>
 *	header text "<text>" in <title> map -- need "headername:
 *	headervalue"", "<qid>: smtp header checks lookup error" (and
 *	"body"; Postfix's words).
 */
#ifndef SMTP_CHECKS_H
#define SMTP_CHECKS_H

#include "sys_defs.h"
#include "vstring.h"

typedef struct SMTP_CHECKS SMTP_CHECKS;

#define SMTP_CHECK_HEADER		1
#define SMTP_CHECK_MIME_HEADER		2
#define SMTP_CHECK_NESTED_HEADER	3
#define SMTP_CHECK_BODY			4

#define SMTP_CHECK_KEEP		0
#define SMTP_CHECK_DELETE	1
#define SMTP_CHECK_REPLACE	2
#define SMTP_CHECK_PREPEND	3
#define SMTP_CHECK_RETRY	4

extern SMTP_CHECKS *smtp_checks_create(void);
extern bool smtp_checks_any(const SMTP_CHECKS *checks);
extern int smtp_checks_run(SMTP_CHECKS *checks, int class,
			           const char *queue_id, const char *input,
			           size_t len, VSTRING *text);
extern void smtp_checks_free(SMTP_CHECKS *checks);

#endif
