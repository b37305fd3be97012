/*
 * dict_regsub - result templates with $number substitution
 *
 * SYNOPSIS
 *	#include "dict_regsub.h"
 *
 *	DICT_REGSUB *dict_regsub_parse(const char *text, int flags,
 *				       const char *type, const char *mapname,
 *				       int lineno, size_t *max_index);
 *	DICT_REGSUB *dict_regsub_literal(const char *text);
 *	const char *dict_regsub_expand(const DICT_REGSUB *regsub,
 *				       VSTRING *buf, const char *subject,
 *				       const size_t *ovector, size_t pairs);
 *	void	dict_regsub_free(DICT_REGSUB *regsub);
 *
 * DESCRIPTION
 *	This module holds the result text of a regexp: or pcre: rule. It
 *	is parsed once, when the table is opened, so that lookups need no
 *	parsing and cannot fail.
 *
 *	dict_regsub_parse() accepts literal text with $n, ${n} and $(n)
 *	references to matched substrings (n >= 1, decimal; "$1x" is the
 *	invalid name "1x", write "${1}x") and $$ for a literal "$".
 *	*max_index receives the largest n (0 when there is none). On a
 *	syntax error it logs the reasons and returns NULL; the caller then
 *	logs "bad replacement syntax". With DICT_REGSUB_FLAG_HYPHEN the
 *	message for $0 says "out-of-range" (regexp:) instead of "out of
 *	range" (pcre:).
 *
 *	dict_regsub_literal() makes a template whose result is text as is
 *	(no $ processing), for tables without substitution.
 *
 *	dict_regsub_expand() returns the result: the template's own text
 *	when it has no references, otherwise the expansion in buf. ovector
 *	holds pairs (start, end) of byte offsets into subject for the
 *	whole match (pair 0) and each group; a group that did not take
 *	part in the match has start DICT_REGSUB_UNSET, and groups beyond
 *	pairs count as unset. Unset and empty groups expand to nothing.
 *
 * DIAGNOSTICS
 *	Warnings (compatible with Postfix):
 *	truncated macro reference: "<text>"
 *	empty macro name: "<text>"
 *	<type> map <mapname>, line <n>: non-numeric replacement index "<name>"
 *	<type> map <mapname>, line <n>: out of range replacement index "<name>"
 */
#ifndef DICT_REGSUB_H
#define DICT_REGSUB_H

#include "sys_defs.h"
#include "vstring.h"

typedef struct DICT_REGSUB DICT_REGSUB;

#define DICT_REGSUB_FLAG_NONE	0
#define DICT_REGSUB_FLAG_HYPHEN	(1<<0)	/* say "out-of-range" for $0 */

#define DICT_REGSUB_UNSET	SIZE_MAX

extern DICT_REGSUB *dict_regsub_parse(const char *text, int flags,
				              const char *type, const char *mapname,
				              int lineno, size_t *max_index);
extern DICT_REGSUB *dict_regsub_literal(const char *text);
extern const char *dict_regsub_expand(const DICT_REGSUB *regsub, VSTRING *buf,
				              const char *subject,
				              const size_t *ovector, size_t pairs);
extern void dict_regsub_free(DICT_REGSUB *regsub);

#endif
