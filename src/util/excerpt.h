/*
 * excerpt - bounded, printable copies of input text for diagnostics
 *
 * SYNOPSIS
 *	#include "excerpt.h"
 *
 *	const char *excerpt(const char *text);
 *	const char *excerpt_limit(const char *text, size_t limit);
 *	const char *excerpt_len(const char *text, size_t len);
 *
 * DESCRIPTION
 *	A diagnostic that quotes a configuration line, a table entry, a
 *	command-line argument or a peer's request quotes it through
 *	excerpt(), so that one huge or binary input cannot produce a huge
 *	or garbled log line.
 *
 *	excerpt() returns the first EXCERPT_LIMIT (100) bytes of text,
 *	followed by "..." when the text is longer. A multi-byte UTF-8
 *	character is never cut in two. ASCII control characters, DEL, and
 *	bytes that are not part of a well-formed UTF-8 character are shown
 *	as '?', one per byte, as Postfix shows them. excerpt_limit() does
 *	the same with another limit (Postfix quotes some texts to 30 bytes).
 *	excerpt_len() quotes the len bytes at text (a word inside a longer
 *	string, say); a null byte among them is shown as '?'.
 *
 *	The result lives in one of EXCERPT_BUFFERS (4) static buffers that
 *	are reused in turn: it stays valid until that many more calls, so
 *	one message can quote several texts. Not for use by threads or
 *	signal handlers.
 *
 *	This module does not log anything itself and does not quote or
 *	escape other characters (a backslash stays a backslash).
 *
 * DIAGNOSTICS
 *	None.
 */
#ifndef EXCERPT_H
#define EXCERPT_H

#include "sys_defs.h"

#define EXCERPT_LIMIT	100		/* input bytes shown */
#define EXCERPT_BUFFERS	4		/* results valid at the same time */

extern const char *excerpt(const char *text);
extern const char *excerpt_limit(const char *text, size_t limit);
extern const char *excerpt_len(const char *text, size_t len);

#endif
