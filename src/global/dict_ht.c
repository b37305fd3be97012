/*
 * dict_ht - in-memory lookup table ("internal" type)
 *
 * DESCRIPTION
 *	See dict_ht.h. The table is an HTABLE of mystrdup()ed values. A
 *	sequence remembers the key it returned last (not a pointer into the
 *	table), so deleting entries during a walk cannot leave a dangling
 *	cursor; a walk whose last key was deleted simply ends.
 */
#include "sys_defs.h"

#include "msg.h"
#include "mymalloc.h"
#include "htable.h"
#include "dict.h"
#include "dict_ht.h"

typedef struct DICT_HT {
    DICT    dict;			/* generic members */
    HTABLE *table;			/* key -> value */
    char   *seq_key;			/* last key returned by sequence */
} DICT_HT;

/* dict_ht_lookup - find the value of a key */
static const char *dict_ht_lookup(DICT *dict, const char *key)
{
    DICT_HT *dict_ht = (DICT_HT *) dict;

    return htable_find(dict_ht->table, key);
}

/* dict_ht_insert - store a key without folding */
bool    dict_ht_insert(DICT *dict, const char *key, const char *value,
		               bool replace)
{
    DICT_HT *dict_ht = (DICT_HT *) dict;
    HTABLE_INFO *ht;

    if ((ht = htable_locate(dict_ht->table, key)) != NULL) {
	if (replace) {
	    myfree(ht->value);
	    ht->value = mystrdup(value);
	}
	return false;
    }
    htable_enter(dict_ht->table, key, mystrdup(value));
    return true;
}

/* dict_ht_count - number of entries */
size_t  dict_ht_count(DICT *dict)
{
    return htable_used(((DICT_HT *) dict)->table);
}

/* dict_ht_update - add or replace a key */
static int dict_ht_update(DICT *dict, const char *key, const char *value)
{
    bool    replace = (dict->flags & DICT_FLAG_DUP_IGNORE) == 0;

    if (!dict_ht_insert(dict, key, value, replace) && !replace)
	return DICT_STAT_FAIL;
    return DICT_STAT_SUCCESS;
}

/* dict_ht_delete - remove a key */
static int dict_ht_delete(DICT *dict, const char *key)
{
    DICT_HT *dict_ht = (DICT_HT *) dict;

    return htable_delete(dict_ht->table, key, myfree) ?
	DICT_STAT_SUCCESS : DICT_STAT_FAIL;
}

/* dict_ht_sequence - walk the table in insertion order */
static int dict_ht_sequence(DICT *dict, int function, const char **key,
			            const char **value)
{
    DICT_HT *dict_ht = (DICT_HT *) dict;
    HTABLE_INFO *ht;

    if (function == DICT_SEQ_FUN_FIRST) {
	ht = dict_ht->table->seq_head;
    } else if (dict_ht->seq_key == NULL) {
	ht = NULL;
    } else {
	ht = htable_locate(dict_ht->table, dict_ht->seq_key);
	ht = ht ? ht->seq_next : NULL;
    }
    myfree(dict_ht->seq_key);
    dict_ht->seq_key = NULL;
    if (ht == NULL)
	return DICT_STAT_FAIL;
    dict_ht->seq_key = mystrdup(ht->key);
    *key = ht->key;
    *value = ht->value;
    return DICT_STAT_SUCCESS;
}

/* dict_ht_close - destroy the table */
static void dict_ht_close(DICT *dict)
{
    DICT_HT *dict_ht = (DICT_HT *) dict;

    htable_free(dict_ht->table, myfree);
    myfree(dict_ht->seq_key);
    dict_free(dict);
}

/* dict_ht_create - an empty in-memory table under any type name */
DICT   *dict_ht_create(const char *type, const char *name, int open_flags,
		               int dict_flags, bool writable)
{
    DICT_HT *dict_ht;

    dict_ht = (DICT_HT *) dict_alloc(type, name, sizeof(*dict_ht));
    dict_ht->dict.open_flags = open_flags;
    dict_ht->dict.flags = dict_flags | DICT_FLAG_FIXED;
    dict_ht->dict.lookup = dict_ht_lookup;
    if (writable) {
	dict_ht->dict.update = dict_ht_update;
	dict_ht->dict.delete = dict_ht_delete;
    }
    dict_ht->dict.sequence = dict_ht_sequence;
    dict_ht->dict.close = dict_ht_close;
    dict_ht->table = htable_create(13);
    dict_ht->seq_key = NULL;
    return &dict_ht->dict;
}

/* dict_ht_open - open an empty "internal" table */
DICT   *dict_ht_open(const char *name, int open_flags, int dict_flags)
{
    return dict_ht_create(DICT_TYPE_HT, name, open_flags, dict_flags, true);
}
