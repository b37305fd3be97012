/*
 * dict_pcre - lookup table of Perl-compatible regular expressions
 *
 * SYNOPSIS
 *	#include "dict_pcre.h"
 *
 *	DICT	*dict_pcre_open(const char *name, int open_flags,
 *				int dict_flags);
 *
 * DESCRIPTION
 *	dict_pcre_open() opens a pcre_table(5) file, or inline rules
 *	"pcre:{ {rule}, ... }": "/pattern/flags result", "!/pattern/
 *	result", "if /pattern/" ... "endif" blocks, and $n substitution in
 *	results. Patterns are compiled with PCRE2 with PCRE2_CASELESS and
 *	PCRE2_DOTALL; the flag letters toggle options: i (CASELESS), m
 *	(MULTILINE), s (DOTALL), x (EXTENDED), A (ANCHORED), E
 *	(DOLLAR_ENDONLY), U (UNGREEDY); X (PCRE1's EXTRA) is accepted
 *	with a warning and ignored, as PCRE2 has no such option. Matching
 *	uses PCRE2's default match, depth and heap limits; a key that hits
 *	one makes that rule not apply. The rule syntax, lookup order and
 *	diagnostics are described in dict_pattern(3).
 *
 * DIAGNOSTICS
 *	Besides those of dict_pattern(3): "pcre map <name>, line <n>:
 *	error in regex at offset <n>: <PCRE2 message>" and "pcre map
 *	<name>, line <n>: <PCRE2 message>" (matching errors such as "match
 *	limit exceeded").
 */
#ifndef DICT_PCRE_H
#define DICT_PCRE_H

#include "dict.h"

#define DICT_TYPE_PCRE	"pcre"

extern DICT *dict_pcre_open(const char *name, int open_flags, int dict_flags);

#endif
