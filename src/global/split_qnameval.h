/*
 * split_qnameval - split "key = value" and "key value" with quoted keys
 *
 * SYNOPSIS
 *	#include "split_qnameval.h"
 *
 *	const char *split_qnameval(char *buf, char **key, char **value);
 *	const char *split_qnameval_space(char *buf, char **key, char **value);
 *
 * DESCRIPTION
 *	These split one table entry in place. A key may contain whitespace
 *	(and, for split_qnameval(), '=') inside double quotes; a backslash
 *	protects the next character from this quote processing. The key is
 *	returned as written, quotes and backslashes included, because lookup
 *	tables store keys in that quoted form (an address with a quoted
 *	local-part is looked up as "\"a b\"@example.com").
 *
 *	split_qnameval() accepts "key = value" as used inside inline:{...}
 *	tables: whitespace around the '=' and at the end of the value is
 *	ignored. The key may be empty ("= value").
 *
 *	split_qnameval_space() accepts "key whitespace value", the format
 *	of postmap(1) source files and texthash: tables. Whitespace after
 *	the key and at the end of the value is ignored; neither may be
 *	empty.
 *
 *	Both return NULL on success, or an error text (static storage):
 *	"no key found; expected format: key = value" (empty buf),
 *	"unbalanced '\"'" (buf is then unchanged), "missing '=' after
 *	attribute name", "expected format: key whitespace value".
 *
 *	This module does not unquote keys and does not fold case.
 */
#ifndef SPLIT_QNAMEVAL_H
#define SPLIT_QNAMEVAL_H

extern const char *split_qnameval(char *buf, char **key, char **value);
extern const char *split_qnameval_space(char *buf, char **key, char **value);

#endif
