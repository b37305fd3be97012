/*
 * fuzz_dict_support - helpers shared by the lookup table fuzz targets
 *
 * SYNOPSIS
 *	#include "fuzz_dict_support.h"
 *
 *	void	fuzz_dict_file(const char *type, const uint8_t *data,
 *			       size_t size);
 *	void	fuzz_dict_name(const char *type, const uint8_t *data,
 *			       size_t size);
 *
 *	bool	fuzz_dict_regex_bounded(const uint8_t *data, size_t size);
 *
 * DESCRIPTION
 *	fuzz_dict_file() splits the input at its first newline: the text
 *	before it is a lookup key, the rest is written to a temporary file
 *	that is opened as "<type>:/dev/fd/<n>" (the file is removed at once,
 *	and its name is the same in every run). fuzz_dict_name() uses the input
 *	(up to a null byte) as the table name: "<type>:<input>". Both then
 *	look up the key and a few fixed keys, check that every result is a
 *	string or NULL with a valid dict->error, and close the table.
 *	Diagnostics are discarded.
 *
 *	fuzz_dict_regex_bounded() tells whether an input is small enough
 *	to give to a regular expression compiler; the regexp: and pcre:
 *	targets skip the others. glibc's regcomp() copies the operand of a
 *	counted repetition "{m,n}" n times and then builds tables that grow
 *	with the square of the copies: one legal rule "/(a{0,32767})/"
 *	needs gigabytes (Postfix's postmap too), so without a bound the
 *	fuzzer finds inputs that run out of memory in the C library rather
 *	than bugs in our code. The test ignores regexp syntax and errs on
 *	the safe side: the product of every repetition count in the input
 *	({m}: m, {m,n} and {,n}: n, {m,}: m + 1) times the input length may not
 *	exceed FUZZ_REGEX_BUDGET, and parentheses (escaped or not) may not
 *	nest deeper than FUZZ_REGEX_MAX_NESTING. Stacked quantifiers count
 *	too: regcomp() copies the operand again for each "*", "+" or "?"
 *	that follows another quantifier, so "a++++" doubles three times
 *	(Postfix's postmap runs out of memory at about 24 of them); each one
 *	doubles the cost.
 *
 *	These helpers are static functions in this header: each fuzz
 *	target includes it once.
 */
#ifndef FUZZ_DICT_SUPPORT_H
#define FUZZ_DICT_SUPPORT_H

#include "sys_defs.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "vstring.h"
#include "dict.h"
#include "fuzz_support.h"

 /*
  * The cost of a pattern grows faster than its length: under the sanitizers,
  * a 4 KB alternation of starred atoms such as "(a*|a*|...)*" takes 16 s
  * and 500 MB, at 1 KB it takes 0.6 s. Repetition counts multiply the
  * length (see fuzz_dict_regex_bounded()).
  */
#define FUZZ_REGEX_BUDGET	1024
#define FUZZ_REGEX_MAX_NESTING	32

/* fuzz_dict_init - once per process */
static void fuzz_dict_init(void)
{
    fuzz_quiet_init();
}

/* fuzz_dict_lookups - query a table and check the answers */
static void fuzz_dict_lookups(DICT *dict, const char *key)
{
    static const char *fixed[] = {
	"", "a", "x", "user@example.com", "1.2.3.4", "2001:db8::1", "ab\nc",
    };
    const char *result;
    size_t  n;

    for (n = 0; n <= ARRAY_LEN(fixed); n++) {
	result = dict_get(dict, n < ARRAY_LEN(fixed) ? fixed[n] : key);
	if (result != NULL)
	    (void) strlen(result);
	if (dict->error != DICT_ERR_NONE && dict->error != DICT_ERR_RETRY
	    && dict->error != DICT_ERR_CONFIG)
	    abort();
	if (result != NULL && dict->error != DICT_ERR_NONE)
	    abort();
    }
}

/* fuzz_dict_count - parse the digits at *cp (saturating); advance cp */
static size_t fuzz_dict_count(const uint8_t **cp, const uint8_t *end)
{
    size_t  value = 0;

    while (*cp < end && **cp >= '0' && **cp <= '9') {
	if (value <= FUZZ_REGEX_BUDGET)
	    value = value * 10 + (**cp - '0');
	*cp += 1;
    }
    return value;
}

/* fuzz_dict_regex_bounded - is the input cheap for a regex compiler? */
static UNUSED bool fuzz_dict_regex_bounded(const uint8_t *data, size_t size)
{
    const uint8_t *end = data + size;
    const uint8_t *cp;
    const uint8_t *rp;
    size_t  cost = size ? size : 1;
    size_t  copies;
    int     depth = 0;

    for (cp = data; cp < end; cp++) {
	if (*cp == '(' && ++depth > FUZZ_REGEX_MAX_NESTING)
	    return false;
	if (*cp != 0 && strchr("*+?", *cp) != NULL && cp > data
	    && cp[-1] != 0 && strchr("*+?}", cp[-1]) != NULL
	    && (cost *= 2) > FUZZ_REGEX_BUDGET)
	    return false;
	if (*cp == ')' && depth > 0)
	    depth--;
	if (*cp != '{')
	    continue;
	rp = cp + 1;
	copies = fuzz_dict_count(&rp, end);
	if (rp < end && *rp == ',') {
	    rp += 1;
	    if (rp < end && *rp >= '0' && *rp <= '9')
		copies = fuzz_dict_count(&rp, end);
	    else
		copies += 1;
	}
	if (rp < end && *rp == '}' && copies > 1
	    && (cost *= copies) > FUZZ_REGEX_BUDGET)
	    return false;
    }
    return cost <= FUZZ_REGEX_BUDGET;
}

/* fuzz_dict_file - input is "key\ntable text" */
static UNUSED void fuzz_dict_file(const char *type, const uint8_t *data,
				          size_t size)
{
    static char name_path[32];
    static int fd = -1;
    const uint8_t *nl = memchr(data, '\n', size);
    size_t  key_len = nl ? (size_t) (nl - data) : 0;
    char   *key;
    char   *name;
    DICT   *dict;

    fuzz_dict_init();
    if (fd < 0) {
	char    path[] = "/tmp/fuzz_dict_XXXXXX";

	if ((fd = mkstemp(path)) < 0 || unlink(path) < 0)
	    abort();
	snprintf(name_path, sizeof(name_path), "/dev/fd/%d", fd);
    }
    if (ftruncate(fd, 0) < 0 || lseek(fd, 0, SEEK_SET) != 0)
	abort();
    key = mystrndup((const char *) data, key_len);
    if (nl) {
	data += key_len + 1;
	size -= key_len + 1;
    }
    if (size > 0 && write(fd, data, size) != (ssize_t) size)
	abort();
    name = concatenate(type, ":", name_path, (char *) 0);
    dict = dict_open(name, O_RDONLY, DICT_FLAG_FOLD_FIX | DICT_FLAG_DUP_WARN);
    fuzz_dict_lookups(dict, key);
    dict_close(dict);
    myfree(name);
    myfree(key);
}

/* fuzz_dict_name - input is the table name */
static UNUSED void fuzz_dict_name(const char *type, const uint8_t *data,
				          size_t size)
{
    char   *text = mystrndup((const char *) data, size);
    char   *name = concatenate(type, ":", text, (char *) 0);
    DICT   *dict;

    fuzz_dict_init();
    dict = dict_open(name, O_RDONLY, DICT_FLAG_FOLD_FIX);
    fuzz_dict_lookups(dict, text);
    dict_close(dict);
    myfree(name);
    myfree(text);
}

#endif
