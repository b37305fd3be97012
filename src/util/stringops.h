/*
 * stringops - small string utilities
 *
 * SYNOPSIS
 *	char	*mystrtok(char **bufp, const char *delim);
 *	char	*mystrtokq(char **bufp, const char *delim, const char *parens);
 *	ssize_t	balpar(const char *str, const char *parens);
 *	const char *extpar(char **bufp, const char *parens, int flags);
 *	char	*lowercase(char *str);
 *	char	*uppercase(char *str);
 *	char	*trim_whitespace(char *str);
 *	bool	alldig(const char *str);
 *	bool	allprint(const char *str);
 *	bool	allascii(const char *str);
 *	char	*printable(char *str, int replacement);
 *	const char *split_nameval(char *buf, char **name, char **value);
 *	char	*split_at(char *str, int delim);
 *	char	*split_at_right(char *str, int delim);
 *	char	*concatenate(const char *str, ... (char *) 0);
 *	VSTRING	*unescape(VSTRING *result, const char *input);
 *	VSTRING	*escape(VSTRING *result, const char *input, size_t len);
 *	const char *base_name(const char *path);
 *
 * DESCRIPTION
 *	mystrtok() returns the next field of *bufp separated by any of the
 *	delimiter bytes, or NULL at the end; it writes a null byte after the
 *	field and advances *bufp. mystrtokq() does the same, but delimiters
 *	inside a balanced group (parens[0]...parens[1], e.g. "{}") do not
 *	split. balpar() returns the length of the balanced group at the start
 *	of str (0 when str does not start with parens[0] or is unbalanced).
 *
 *	extpar() removes the outer parens from a "{ text }" value in place.
 *	With EXTPAR_FLAG_STRIP it also strips whitespace just inside the
 *	braces. It returns NULL on success or an error text (static storage)
 *	for a missing closing brace or text after it. A value that does not
 *	start with parens[0] is left alone.
 *
 *	split_nameval() parses "name = value" in place (whitespace around
 *	the '=' and at either end ignored); it returns NULL or an error text
 *	("missing '=' after attribute name", "missing attribute name").
 *
 *	split_at() terminates str at the first delim and returns the text
 *	after it (NULL when absent); split_at_right() uses the last delim.
 *
 *	unescape() interprets C escapes (\n \t \\ \ooo \xhh ...) and
 *	escape() produces them for non-printable bytes; both replace the
 *	result and return it.
 *
 *	printable() replaces non-printable ASCII in place. concatenate()
 *	returns a new string (myfree). base_name() returns the part after
 *	the last '/'.
 */
#ifndef STRINGOPS_H
#define STRINGOPS_H

#include "sys_defs.h"
#include "vstring.h"

#define EXTPAR_FLAG_NONE	0
#define EXTPAR_FLAG_STRIP	(1<<0)

#define CHARS_SPACE	" \t\r\n"
#define CHARS_COMMA_SP	", \t\r\n"
#define CHARS_BRACE	"{}"

extern char *mystrtok(char **bufp, const char *delim);
extern char *mystrtokq(char **bufp, const char *delim, const char *parens);
extern ssize_t balpar(const char *str, const char *parens);
extern const char *extpar(char **bufp, const char *parens, int flags);
extern char *lowercase(char *str);
extern char *uppercase(char *str);
extern char *trim_whitespace(char *str);
extern bool alldig(const char *str);
extern bool allprint(const char *str);
extern bool allascii(const char *str);
extern char *printable(char *str, int replacement);
extern const char *split_nameval(char *buf, char **name, char **value);
extern char *split_at(char *str, int delim);
extern char *split_at_right(char *str, int delim);
extern char *concatenate(const char *str,...);
extern VSTRING *unescape(VSTRING *result, const char *input);
extern VSTRING *escape(VSTRING *result, const char *input, size_t len);
extern const char *base_name(const char *path);

#endif
