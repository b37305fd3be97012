/*
 * dict_compose - lookup tables made of other lookup tables
 *
 * DESCRIPTION
 *	See dict_compose.h. Every component name is checked before any
 *	table is opened, so a syntax error opens nothing.
 */
#include "sys_defs.h"

#include <string.h>

#include "mymalloc.h"
#include "argv.h"
#include "stringops.h"
#include "excerpt.h"
#include "vstring.h"
#include "dict.h"
#include "dict_compose.h"

/* dict_compose_close - close the components and the table */
static void dict_compose_close(DICT *dict)
{
    DICT_COMPOSE *dc = (DICT_COMPOSE *) dict;
    size_t  n;

    for (n = 0; n < dc->count; n++)
	dict_close(dc->maps[n]);
    myfree(dc->maps);
    vstring_free(dc->buf);
    dict_free(dict);
}

/* dict_compose_split - the component names, or NULL on bad syntax */
static ARGV *dict_compose_split(const char *name)
{
    ssize_t len;
    char   *inner;
    ARGV   *argv;
    size_t  n;

    if ((len = balpar(name, CHARS_BRACE)) == 0 || name[len] != 0)
	return NULL;
    inner = mystrndup(name + 1, len - 2);
    argv = argv_split_quoted(inner, CHARS_COMMA_SP, CHARS_BRACE);
    myfree(inner);
    for (n = 0; n < argv->argc; n++) {
	if (strchr(argv->argv[n], ':') == NULL) {
	    argv_free(argv);
	    return NULL;
	}
    }
    if (argv->argc == 0) {
	argv_free(argv);
	return NULL;
    }
    return argv;
}

/* dict_compose_open - open the component tables */
DICT   *dict_compose_open(const char *type, const char *name, int open_flags,
			          int dict_flags,
			          const char *(*lookup) (DICT *, const char *))
{
    static int depth;
    DICT_COMPOSE *dc;
    ARGV   *argv;
    size_t  n;

    if ((argv = dict_compose_split(name)) == NULL)
	return dict_surrogate(type, name, open_flags, dict_flags,
			      "bad syntax: \"%s:%s\"; need \"%s:{type:name...}\"",
			      type, excerpt(name), type);
    if (depth >= DICT_COMPOSE_MAX_DEPTH) {
	argv_free(argv);
	return dict_surrogate(type, name, open_flags, dict_flags,
			      "%s:%s: tables nested more than %d levels deep",
			      type, excerpt(name), DICT_COMPOSE_MAX_DEPTH);
    }
    dc = (DICT_COMPOSE *) dict_alloc(type, name, sizeof(*dc));
    dc->count = argv->argc;
    dc->maps = mymalloc(sizeof(*dc->maps) * dc->count);
    depth++;
    for (n = 0; n < dc->count; n++)
	dc->maps[n] = dict_open(argv->argv[n], open_flags, dict_flags);
    depth--;
    argv_free(argv);
    dc->dict.open_flags = open_flags;
    dc->dict.flags = dict_flags
	| (dc->maps[0]->flags & (DICT_FLAG_FIXED | DICT_FLAG_PATTERN));
    dc->dict.lookup = lookup;
    dc->dict.close = dict_compose_close;
    dc->buf = vstring_alloc(100);
    return &dc->dict;
}
