/*
 * dict_environ - the process environment as a lookup table
 *
 * DESCRIPTION
 *	See dict_environ.h.
 */
#include "sys_defs.h"

#include <stdlib.h>
#include <string.h>

#include "msg.h"
#include "excerpt.h"
#include "dict.h"
#include "dict_environ.h"

/* dict_environ_lookup - find an environment variable */
static const char *dict_environ_lookup(DICT *dict, const char *key)
{
    (void) dict;
    return getenv(key);
}

/* dict_environ_update - set an environment variable */
static int dict_environ_update(DICT *dict, const char *key, const char *value)
{
    if (*key == 0 || strchr(key, '=') != NULL || setenv(key, value, 1) != 0) {
	msg_warn("%s:%s: cannot set environment variable \"%s\"",
		 dict->type, dict->name, excerpt(key));
	dict->error = DICT_ERR_CONFIG;
	return DICT_STAT_ERROR;
    }
    return DICT_STAT_SUCCESS;
}

/* dict_environ_open - "open" the environment */
DICT   *dict_environ_open(const char *name, int open_flags, int dict_flags)
{
    DICT   *dict = dict_alloc(DICT_TYPE_ENVIRON, name, sizeof(DICT));

    dict->open_flags = open_flags;
    dict->flags = dict_flags | DICT_FLAG_FIXED;
    dict->lookup = dict_environ_lookup;
    dict->update = dict_environ_update;
    return dict;
}
