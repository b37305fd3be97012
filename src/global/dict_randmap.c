/*
 * dict_randmap - lookup table that returns a random choice
 *
 * DESCRIPTION
 *	See dict_randmap.h. The choice uses arc4random_uniform(3), which
 *	needs no seeding and has no modulo bias.
 */
#include "sys_defs.h"

#include <stdlib.h>

#include "mymalloc.h"
#include "argv.h"
#include "stringops.h"
#include "excerpt.h"
#include "dict.h"
#include "dict_randmap.h"

typedef struct DICT_RANDMAP {
    DICT    dict;			/* generic members */
    ARGV   *results;			/* the choices */
} DICT_RANDMAP;

/* dict_randmap_lookup - pick one result */
static const char *dict_randmap_lookup(DICT *dict, const char *key)
{
    DICT_RANDMAP *dict_randmap = (DICT_RANDMAP *) dict;
    ARGV   *results = dict_randmap->results;

    (void) key;
    return results->argv[arc4random_uniform((uint32_t) results->argc)];
}

/* dict_randmap_close - destroy the table */
static void dict_randmap_close(DICT *dict)
{
    argv_free(((DICT_RANDMAP *) dict)->results);
    dict_free(dict);
}

/* dict_randmap_open - parse "{result ...}" */
DICT   *dict_randmap_open(const char *name, int open_flags, int dict_flags)
{
    DICT_RANDMAP *dict_randmap;
    ssize_t len;
    char   *inner;
    ARGV   *results = NULL;

    if ((len = balpar(name, CHARS_BRACE)) > 0 && name[len] == 0) {
	inner = mystrndup(name + 1, len - 2);
	results = argv_split_quoted(inner, CHARS_COMMA_SP, CHARS_BRACE);
	myfree(inner);
	if (results->argc == 0 || results->argc > UINT32_MAX)
	    results = argv_free(results);
    }
    if (results == NULL)
	return dict_surrogate(DICT_TYPE_RANDMAP, name, open_flags, dict_flags,
			      "bad syntax: \"%s:%s\"; need \"%s:{value...}\"",
			      DICT_TYPE_RANDMAP, excerpt(name), DICT_TYPE_RANDMAP);
    dict_randmap = (DICT_RANDMAP *) dict_alloc(DICT_TYPE_RANDMAP, name,
					       sizeof(*dict_randmap));
    dict_randmap->dict.open_flags = open_flags;
    dict_randmap->dict.flags = dict_flags | DICT_FLAG_PATTERN;
    dict_randmap->dict.lookup = dict_randmap_lookup;
    dict_randmap->dict.close = dict_randmap_close;
    dict_randmap->results = results;
    return &dict_randmap->dict;
}
