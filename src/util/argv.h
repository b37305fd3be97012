/*
 * argv - null-terminated, growable string arrays
 *
 * SYNOPSIS
 *	ARGV	*argv_alloc(size_t initial);
 *	ARGV	*argv_free(ARGV *argvp);
 *	void	argv_add(ARGV *argvp, const char *str, ... (char *) 0);
 *	void	argv_addn(ARGV *argvp, const char *str, size_t len);
 *	void	argv_insert_one(ARGV *argvp, size_t where, const char *str);
 *	void	argv_replace_one(ARGV *argvp, size_t where, const char *str);
 *	void	argv_delete(ARGV *argvp, size_t first, size_t count);
 *	void	argv_truncate(ARGV *argvp, size_t len);
 *	ARGV	*argv_split(const char *str, const char *delim);
 *	ARGV	*argv_split_append(ARGV *argvp, const char *str, const char *delim);
 *	ARGV	*argv_split_quoted(const char *str, const char *delim, const char *parens);
 *	char	*argv_join(const ARGV *argvp, const char *sep);
 *	void	argv_sort(ARGV *argvp);
 *	void	argv_uniq(ARGV *argvp);
 *
 * DESCRIPTION
 *	An ARGV owns copies of its strings and keeps argv[argc] == NULL, so
 *	it can be passed to execv(). argv_split() breaks a string on any of
 *	the delimiter bytes, skipping empty fields. argv_split_quoted() also
 *	keeps "{ ... }" groups (given by parens, e.g. "{}") as single
 *	elements, without the outer braces' content being split.
 *	argv_join() returns a new string (free with myfree).
 *	argv_uniq() removes adjacent duplicates (use after argv_sort()).
 */
#ifndef ARGV_H
#define ARGV_H

#include "sys_defs.h"

typedef struct ARGV {
    size_t  len;			/* allocated slots */
    size_t  argc;			/* used slots */
    char  **argv;			/* string array, NULL terminated */
} ARGV;

extern ARGV *argv_alloc(size_t initial);
extern ARGV *argv_free(ARGV *argvp);
extern void argv_add(ARGV *argvp,...);
extern void argv_addn(ARGV *argvp, const char *str, size_t len);
extern void argv_insert_one(ARGV *argvp, size_t where, const char *str);
extern void argv_replace_one(ARGV *argvp, size_t where, const char *str);
extern void argv_delete(ARGV *argvp, size_t first, size_t count);
extern void argv_truncate(ARGV *argvp, size_t len);
extern ARGV *argv_split(const char *str, const char *delim);
extern ARGV *argv_split_append(ARGV *argvp, const char *str, const char *delim);
extern ARGV *argv_split_quoted(const char *str, const char *delim, const char *parens);
extern char *argv_join(const ARGV *argvp, const char *sep);
extern void argv_sort(ARGV *argvp);
extern void argv_uniq(ARGV *argvp);

#define ARGV_END	((char *) 0)

#endif
