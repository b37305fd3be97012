/*
 * mac_expand - expand $name references, conditionals and comparisons
 *
 * SYNOPSIS
 *	typedef const char *(*MAC_EXP_LOOKUP_FN)(const char *name, int mode,
 *						 void *context);
 *
 *	int	mac_expand(VSTRING *result, const char *pattern, int flags,
 *			   const char *filter, MAC_EXP_LOOKUP_FN lookup,
 *			   void *context);
 *
 * DESCRIPTION
 *	mac_expand() copies pattern to result, replacing these forms:
 *
 *	$name, ${name}, $(name)
 *		The value of name, or nothing when lookup() returns NULL.
 *	${name?text}, ${name?{text}}
 *		text when name has a non-empty value, else nothing. As with
 *		Postfix, the value is tested as lookup() returns it, without
 *		expanding the $name references in it.
 *	${name:text}, ${name:{text}}
 *		text when name is undefined or empty, else nothing.
 *	${name?{text1}:{text2}}, ${name?{text1}:text2}
 *		text1 when name is non-empty, else text2.
 *	${{text1} op {text2}}, ${{text1} op {text2} ? {t} : {f}},
 *	${{text1} op {text2} ? t}, ${{text1} op {text2} : f}
 *		Compare text1 with text2 after expanding both. op is one of
 *		==, !=, <, <=, >=, >; the comparison is numeric when both are
 *		all digits, lexicographic otherwise. With a "level" suffix
 *		(<level, <=level, ==level, ...) both sides are compatibility
 *		levels ("major[.minor[.patch]]") compared field by field.
 *		Without ? or : the result is "true" or nothing.
 *	$$	A single $.
 *
 *	Names consist of letters, digits and underscore. Whitespace around
 *	"{...}" groups and after "${" is ignored; whitespace inside a group
 *	is kept. Conditional and comparison texts are themselves expanded.
 *
 *	Nesting is limited on every path: the text of a conditional or
 *	comparison, and (with MAC_EXP_FLAG_RECURSE) the value of a name,
 *	is one level deeper than the reference that contains it; text
 *	more than MAC_EXP_MAX_DEPTH (100) levels deep is an error
 *	('unreasonable macro call nesting: "text"'). Time is linear in the
 *	size of the pattern and of the values that it brings in.
 *
 *	Flags: MAC_EXP_FLAG_RECURSE expands lookup results again;
 *	MAC_EXP_FLAG_APPEND appends to result
 *	instead of replacing it; MAC_EXP_FLAG_SCAN produces no output but
 *	calls lookup() for every name in every branch (to find which names
 *	a value uses); MAC_EXP_FLAG_PRINTABLE replaces non-printable bytes
 *	in lookup results with '?'. When filter is not NULL, bytes of a
 *	lookup result that are not in filter are replaced with '_'.
 *
 *	lookup() receives MAC_EXP_MODE_TEST when only emptiness matters
 *	(the name of a conditional) and MAC_EXP_MODE_USE otherwise.
 *
 *	The result is a bit mask: MAC_PARSE_ERROR after a syntax error
 *	or too deep nesting (logged as a warning, e.g. 'truncated macro
 *	reference: "${x"'; echoed text is cut to 100 bytes),
 *	MAC_PARSE_UNDEF when some name had no value.
 */
#ifndef MAC_EXPAND_H
#define MAC_EXPAND_H

#include "sys_defs.h"
#include "vstring.h"

#define MAC_EXP_FLAG_NONE	0
#define MAC_EXP_FLAG_RECURSE	(1<<0)
#define MAC_EXP_FLAG_APPEND	(1<<1)
#define MAC_EXP_FLAG_SCAN	(1<<2)
#define MAC_EXP_FLAG_PRINTABLE	(1<<3)

#define MAC_EXP_MODE_TEST	0
#define MAC_EXP_MODE_USE	1

#define MAC_PARSE_OK		0
#define MAC_PARSE_ERROR		(1<<0)
#define MAC_PARSE_UNDEF		(1<<1)

#define MAC_EXP_MAX_DEPTH	100

typedef const char *(*MAC_EXP_LOOKUP_FN) (const char *name, int mode,
					          void *context);

extern int mac_expand(VSTRING *result, const char *pattern, int flags,
		              const char *filter, MAC_EXP_LOOKUP_FN lookup,
		              void *context);

#endif
