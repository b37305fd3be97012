/*
 * dict_static - lookup table that always returns the same value
 *
 * DESCRIPTION
 *	See dict_static.h.
 */
#include "sys_defs.h"

#include "mymalloc.h"
#include "stringops.h"
#include "dict.h"
#include "dict_static.h"

typedef struct DICT_STATIC {
    DICT    dict;			/* generic members */
    char   *value;			/* the one result */
} DICT_STATIC;

/* dict_static_lookup - every key has the same value */
static const char *dict_static_lookup(DICT *dict, const char *key)
{
    (void) key;
    return ((DICT_STATIC *) dict)->value;
}

/* dict_static_close - destroy the table */
static void dict_static_close(DICT *dict)
{
    myfree(((DICT_STATIC *) dict)->value);
    dict_free(dict);
}

/* dict_static_open - "open" a static table */
DICT   *dict_static_open(const char *name, int open_flags, int dict_flags)
{
    DICT_STATIC *dict_static;
    char   *saved = mystrdup(name);
    char   *cp = saved;
    const char *err;

    if (*cp == CHARS_BRACE[0]
	&& (err = extpar(&cp, CHARS_BRACE, EXTPAR_FLAG_STRIP)) != NULL) {
	DICT   *dict = dict_surrogate(DICT_TYPE_STATIC, name, open_flags,
				      dict_flags, "bad %s:name syntax: %s",
				      DICT_TYPE_STATIC, err);

	myfree(saved);
	return dict;
    }
    dict_static = (DICT_STATIC *) dict_alloc(DICT_TYPE_STATIC, name,
					     sizeof(*dict_static));
    dict_static->dict.open_flags = open_flags;
    dict_static->dict.flags = dict_flags | DICT_FLAG_FIXED;
    dict_static->dict.lookup = dict_static_lookup;
    dict_static->dict.close = dict_static_close;
    dict_static->value = mystrdup(cp);
    myfree(saved);
    return &dict_static->dict;
}
