/*
 * dict_regexp - lookup table of POSIX regular expressions
 *
 * SYNOPSIS
 *	#include "dict_regexp.h"
 *
 *	DICT	*dict_regexp_open(const char *name, int open_flags,
 *				  int dict_flags);
 *
 * DESCRIPTION
 *	dict_regexp_open() opens a regexp_table(5) file, or inline rules
 *	"regexp:{ {rule}, ... }": "/pattern/flags result", "!/pattern/
 *	result", the legacy "/pattern1/!/pattern2/ result" (pattern1
 *	matches and pattern2 does not), "if /pattern/" ... "endif" blocks,
 *	and $n substitution in results. Patterns use regcomp(3) with
 *	REG_EXTENDED and REG_ICASE; the flag letters toggle them: i
 *	(REG_ICASE), x (REG_EXTENDED) and m (REG_NEWLINE). The rule
 *	syntax, the lookup order and the diagnostics are described in
 *	dict_pattern(3).
 *
 *	Before regcomp() sees a pattern, its size after expanding bounded
 *	repetitions ("(x{100}){100}") and its group nesting are estimated;
 *	a pattern whose automaton would be unreasonably large is refused,
 *	because the C library builds it in memory without limit.
 *
 * DIAGNOSTICS
 *	Besides those of dict_pattern(3): "regexp map <name>, line <n>:
 *	<regerror text>" for patterns that regcomp() refuses or that fail
 *	to match with an error, and "regexp map <name>, line <n>: regular
 *	expression is too complex: skipping this rule".
 */
#ifndef DICT_REGEXP_H
#define DICT_REGEXP_H

#include "dict.h"

#define DICT_TYPE_REGEXP	"regexp"

#define DICT_REGEXP_MAX_COST	100000	/* expanded pattern size */
#define DICT_REGEXP_MAX_NESTING	250	/* group depth */

extern DICT *dict_regexp_open(const char *name, int open_flags, int dict_flags);

#endif
