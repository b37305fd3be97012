/*
 * argv - null-terminated, growable string arrays
 *
 * DESCRIPTION
 *	See argv.h.
 */
#include "sys_defs.h"

#include <stdlib.h>
#include <string.h>

#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "argv.h"

/* argv_alloc - create an empty array */
ARGV   *argv_alloc(size_t initial)
{
    ARGV   *argvp = mymalloc(sizeof(*argvp));

    argvp->len = initial < 2 ? 2 : initial;
    argvp->argv = mymalloc((argvp->len + 1) * sizeof(char *));
    argvp->argc = 0;
    argvp->argv[0] = NULL;
    return argvp;
}

/* argv_free - destroy an array and its strings; returns NULL */
ARGV   *argv_free(ARGV *argvp)
{
    size_t  n;

    if (argvp == NULL)
	return NULL;
    for (n = 0; n < argvp->argc; n++)
	myfree(argvp->argv[n]);
    myfree(argvp->argv);
    myfree(argvp);
    return NULL;
}

/* argv_grow - make room for one more element */
static void argv_grow(ARGV *argvp)
{
    if (argvp->argc + 1 >= argvp->len) {
	argvp->len *= 2;
	argvp->argv = myrealloc(argvp->argv, (argvp->len + 1) * sizeof(char *));
    }
}

/* argv_add - append strings, terminated by a null pointer */
void    argv_add(ARGV *argvp,...)
{
    const char *str;
    va_list ap;

    va_start(ap, argvp);
    while ((str = va_arg(ap, const char *)) != NULL) {
	argv_grow(argvp);
	argvp->argv[argvp->argc++] = mystrdup(str);
    }
    va_end(ap);
    argvp->argv[argvp->argc] = NULL;
}

/* argv_addn - append a counted string */
void    argv_addn(ARGV *argvp, const char *str, size_t len)
{
    argv_grow(argvp);
    argvp->argv[argvp->argc++] = mystrndup(str, len);
    argvp->argv[argvp->argc] = NULL;
}

/* argv_insert_one - insert a string before position where */
void    argv_insert_one(ARGV *argvp, size_t where, const char *str)
{
    if (where > argvp->argc)
	msg_panic("argv_insert_one: bad position %zu", where);
    argv_grow(argvp);
    memmove(argvp->argv + where + 1, argvp->argv + where,
	    (argvp->argc - where + 1) * sizeof(char *));
    argvp->argv[where] = mystrdup(str);
    argvp->argc++;
}

/* argv_replace_one - replace the string at position where */
void    argv_replace_one(ARGV *argvp, size_t where, const char *str)
{
    if (where >= argvp->argc)
	msg_panic("argv_replace_one: bad position %zu", where);
    myfree(argvp->argv[where]);
    argvp->argv[where] = mystrdup(str);
}

/* argv_delete - remove count strings starting at first */
void    argv_delete(ARGV *argvp, size_t first, size_t count)
{
    size_t  n;

    if (first > argvp->argc || count > argvp->argc - first)
	msg_panic("argv_delete: bad range %zu+%zu", first, count);
    for (n = first; n < first + count; n++)
	myfree(argvp->argv[n]);
    memmove(argvp->argv + first, argvp->argv + first + count,
	    (argvp->argc - first - count + 1) * sizeof(char *));
    argvp->argc -= count;
}

/* argv_truncate - keep only the first len strings */
void    argv_truncate(ARGV *argvp, size_t len)
{
    if (len < argvp->argc)
	argv_delete(argvp, len, argvp->argc - len);
}

/* argv_split_append - append the fields of a string */
ARGV   *argv_split_append(ARGV *argvp, const char *str, const char *delim)
{
    const char *cp = str;
    size_t  n;

    for (;;) {
	cp += strspn(cp, delim);
	if (*cp == 0)
	    break;
	n = strcspn(cp, delim);
	argv_addn(argvp, cp, n);
	cp += n;
    }
    return argvp;
}

/* argv_split - break a string into fields */
ARGV   *argv_split(const char *str, const char *delim)
{
    return argv_split_append(argv_alloc(1), str, delim);
}

/* argv_split_quoted - break a string into fields, keeping {} groups */
ARGV   *argv_split_quoted(const char *str, const char *delim, const char *parens)
{
    ARGV   *argvp = argv_alloc(1);
    char   *saved = mystrdup(str);
    char   *bp = saved;
    char   *field;

    while ((field = mystrtokq(&bp, delim, parens)) != NULL)
	argv_add(argvp, field, ARGV_END);
    myfree(saved);
    return argvp;
}

/* argv_join - concatenate with a separator */
char   *argv_join(const ARGV *argvp, const char *sep)
{
    size_t  len = 1;
    size_t  seplen = strlen(sep);
    size_t  n;
    char   *result;
    char   *cp;

    for (n = 0; n < argvp->argc; n++)
	len += strlen(argvp->argv[n]) + seplen;
    cp = result = mymalloc(len);
    for (n = 0; n < argvp->argc; n++) {
	if (n > 0) {
	    memcpy(cp, sep, seplen);
	    cp += seplen;
	}
	len = strlen(argvp->argv[n]);
	memcpy(cp, argvp->argv[n], len);
	cp += len;
    }
    *cp = 0;
    return result;
}

/* argv_compare - qsort helper */
static int argv_compare(const void *a, const void *b)
{
    return strcmp(*(char *const *) a, *(char *const *) b);
}

/* argv_sort - sort strings in byte order */
void    argv_sort(ARGV *argvp)
{
    qsort(argvp->argv, argvp->argc, sizeof(char *), argv_compare);
}

/* argv_uniq - drop adjacent duplicates */
void    argv_uniq(ARGV *argvp)
{
    size_t  n = 1;

    while (n < argvp->argc) {
	if (strcmp(argvp->argv[n], argvp->argv[n - 1]) == 0)
	    argv_delete(argvp, n, 1);
	else
	    n++;
    }
}
