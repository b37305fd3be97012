/*
 * dsn_split - an optional RFC 3463 status code in front of a text
 *
 * SYNOPSIS
 *	#include "dsn_split.h"
 *
 *	const char *dsn_split(const char *text, const char *def_status,
 *				VSTRING *status);
 *	const char *dsn_class_fix(const char *caller, VSTRING *status,
 *				int want_class);
 *
 * DESCRIPTION
 *	dsn_split() looks at the start of text (a discard(8) or error(8)
 *	next hop, the output of a pipe(8) command) for an enhanced status
 *	code "class.subject.detail" (dsn_valid_status()) followed by
 *	whitespace or the end of the text. When one is there, it is
 *	copied to status and the result points to the text after it and
 *	after the whitespace that follows; otherwise status becomes
 *	def_status and the result is text itself (so "5.1 bad" is all
 *	text).
 *
 *	dsn_class_fix() makes the class of status want_class ('2', '4'
 *	or '5'): when the class differs, it logs Postfix's warning
 *	"<caller>: ignoring dsn code \"<status>\"" and replaces status
 *	with "<want_class>.0.0". It returns the status text.
 *
 *	This module does not allocate: status is the caller's buffer.
 *
 * DIAGNOSTICS
 *	The warning above.
 */
#ifndef DSN_SPLIT_H
#define DSN_SPLIT_H

#include "sys_defs.h"
#include "vstring.h"

extern const char *dsn_split(const char *text, const char *def_status,
			             VSTRING *status);
extern const char *dsn_class_fix(const char *caller, VSTRING *status,
				         int want_class);

#endif
