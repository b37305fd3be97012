/*
 * dict_fail - lookup table that always fails
 *
 * DESCRIPTION
 *	See dict_fail.h.
 */
#include "sys_defs.h"

#include "dict.h"
#include "dict_fail.h"

/* dict_fail_lookup - lookup fails */
static const char *dict_fail_lookup(DICT *dict, const char *key)
{
    (void) key;
    dict->error = DICT_ERR_RETRY;
    return NULL;
}

/* dict_fail_update - update fails */
static int dict_fail_update(DICT *dict, const char *key, const char *value)
{
    (void) key;
    (void) value;
    dict->error = DICT_ERR_RETRY;
    return DICT_STAT_ERROR;
}

/* dict_fail_delete - delete fails */
static int dict_fail_delete(DICT *dict, const char *key)
{
    (void) key;
    dict->error = DICT_ERR_RETRY;
    return DICT_STAT_ERROR;
}

/* dict_fail_sequence - sequence fails */
static int dict_fail_sequence(DICT *dict, int function, const char **key,
			              const char **value)
{
    (void) function;
    (void) key;
    (void) value;
    dict->error = DICT_ERR_RETRY;
    return DICT_STAT_ERROR;
}

/* dict_fail_open - "open" a failing table */
DICT   *dict_fail_open(const char *name, int open_flags, int dict_flags)
{
    DICT   *dict = dict_alloc(DICT_TYPE_FAIL, name, sizeof(DICT));

    dict->open_flags = open_flags;
    dict->flags = dict_flags | DICT_FLAG_PATTERN;
    dict->lookup = dict_fail_lookup;
    dict->update = dict_fail_update;
    dict->delete = dict_fail_delete;
    dict->sequence = dict_fail_sequence;
    return dict;
}
