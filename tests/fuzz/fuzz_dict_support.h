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
 * DESCRIPTION
 *	fuzz_dict_file() splits the input at its first newline: the text
 *	before it is a lookup key, the rest is written to a temporary file
 *	that is opened as "<type>:<file>". fuzz_dict_name() uses the input
 *	(up to a null byte) as the table name: "<type>:<input>". Both then
 *	look up the key and a few fixed keys, check that every result is a
 *	string or NULL with a valid dict->error, and close the table.
 *	Diagnostics are discarded.
 *
 *	These helpers are static functions in this header: each fuzz
 *	target includes it once.
 */
#ifndef FUZZ_DICT_SUPPORT_H
#define FUZZ_DICT_SUPPORT_H

#include "sys_defs.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "vstring.h"
#include "dict.h"

/* fuzz_dict_quiet - discard diagnostics */
static void fuzz_dict_quiet(int level, const char *text, void *context)
{
    (void) level;
    (void) text;
    (void) context;
}

/* fuzz_dict_init - once per process */
static void fuzz_dict_init(void)
{
    static bool done;

    if (!done) {
	msg_output_add(fuzz_dict_quiet, NULL);
	done = true;
    }
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

/* fuzz_dict_file - input is "key\ntable text" */
static UNUSED void fuzz_dict_file(const char *type, const uint8_t *data,
				          size_t size)
{
    static char path[] = "/tmp/fuzz_dict_XXXXXX";
    static int fd = -1;
    const uint8_t *nl = memchr(data, '\n', size);
    size_t  key_len = nl ? (size_t) (nl - data) : 0;
    char   *key;
    char   *name;
    DICT   *dict;

    fuzz_dict_init();
    if (fd < 0 && (fd = mkstemp(path)) < 0)
	abort();
    if (ftruncate(fd, 0) < 0 || lseek(fd, 0, SEEK_SET) != 0)
	abort();
    key = mystrndup((const char *) data, key_len);
    if (nl) {
	data += key_len + 1;
	size -= key_len + 1;
    }
    if (size > 0 && write(fd, data, size) != (ssize_t) size)
	abort();
    name = concatenate(type, ":", path, (char *) 0);
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
