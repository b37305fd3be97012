/*
 * htable - hash table with string keys, remembering insertion order
 *
 * DESCRIPTION
 *	See htable.h. Chained buckets; the table doubles when the load
 *	factor exceeds one. The hash is FNV-1a over the key, mixed with a
 *	per-process random seed.
 */
#include "sys_defs.h"

#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "msg.h"
#include "mymalloc.h"
#include "htable.h"

static uint64_t htable_seed;

/* htable_hash - seeded FNV-1a */
static size_t htable_hash(const char *key, size_t size)
{
    uint64_t h;

    if (htable_seed == 0) {
#ifdef POSTEL_FUZZING
	htable_seed = 1;
#else
	if (getrandom(&htable_seed, sizeof(htable_seed), GRND_NONBLOCK)
	    != (ssize_t) sizeof(htable_seed))
	    htable_seed = (uint64_t) time(NULL) ^ ((uint64_t) getpid() << 32);
	htable_seed |= 1;
#endif
    }
    h = 14695981039346656037ULL ^ htable_seed;
    while (*key) {
	h ^= (unsigned char) *key++;
	h *= 1099511628211ULL;
    }
    return (size_t) (h % size);
}

/* htable_create - create an empty table */
HTABLE *htable_create(size_t size_hint)
{
    HTABLE *table = mymalloc(sizeof(*table));

    table->size = size_hint < 13 ? 13 : size_hint | 1;
    table->used = 0;
    table->buckets = mycalloc(table->size, sizeof(HTABLE_INFO *));
    table->seq_head = table->seq_tail = NULL;
    return table;
}

/* htable_grow - double the bucket count */
static void htable_grow(HTABLE *table)
{
    HTABLE_INFO *ht;
    size_t  new_size = 2 * table->size + 1;
    size_t  h;

    myfree(table->buckets);
    table->size = new_size;
    table->buckets = mycalloc(new_size, sizeof(HTABLE_INFO *));
    for (ht = table->seq_head; ht != NULL; ht = ht->seq_next) {
	h = htable_hash(ht->key, new_size);
	ht->next = table->buckets[h];
	table->buckets[h] = ht;
    }
}

/* htable_locate - look up an entry */
HTABLE_INFO *htable_locate(HTABLE *table, const char *key)
{
    HTABLE_INFO *ht;

    for (ht = table->buckets[htable_hash(key, table->size)]; ht; ht = ht->next)
	if (strcmp(ht->key, key) == 0)
	    return ht;
    return NULL;
}

/* htable_find - look up a value */
void   *htable_find(HTABLE *table, const char *key)
{
    HTABLE_INFO *ht = htable_locate(table, key);

    return ht ? ht->value : NULL;
}

/* htable_enter - add a new entry */
HTABLE_INFO *htable_enter(HTABLE *table, const char *key, void *value)
{
    HTABLE_INFO *ht;
    size_t  h;

    if (htable_locate(table, key) != NULL)
	msg_panic("htable_enter: duplicate key \"%s\"", key);
    if (table->used >= table->size)
	htable_grow(table);
    ht = mymalloc(sizeof(*ht));
    ht->key = mystrdup(key);
    ht->value = value;
    h = htable_hash(key, table->size);
    ht->next = table->buckets[h];
    table->buckets[h] = ht;
    ht->seq_next = NULL;
    ht->seq_prev = table->seq_tail;
    if (table->seq_tail)
	table->seq_tail->seq_next = ht;
    else
	table->seq_head = ht;
    table->seq_tail = ht;
    table->used++;
    return ht;
}

/* htable_delete - remove an entry; false if absent */
bool    htable_delete(HTABLE *table, const char *key, void (*free_fn) (void *))
{
    HTABLE_INFO **pp;
    HTABLE_INFO *ht;

    for (pp = table->buckets + htable_hash(key, table->size); (ht = *pp) != NULL;
	 pp = &ht->next) {
	if (strcmp(ht->key, key) == 0) {
	    *pp = ht->next;
	    if (ht->seq_prev)
		ht->seq_prev->seq_next = ht->seq_next;
	    else
		table->seq_head = ht->seq_next;
	    if (ht->seq_next)
		ht->seq_next->seq_prev = ht->seq_prev;
	    else
		table->seq_tail = ht->seq_prev;
	    if (free_fn)
		free_fn(ht->value);
	    myfree(ht->key);
	    myfree(ht);
	    table->used--;
	    return true;
	}
    }
    return false;
}

/* htable_free - destroy the table, optionally the values */
void    htable_free(HTABLE *table, void (*free_fn) (void *))
{
    HTABLE_INFO *ht;
    HTABLE_INFO *next;

    if (table == NULL)
	return;
    for (ht = table->seq_head; ht != NULL; ht = next) {
	next = ht->seq_next;
	if (free_fn)
	    free_fn(ht->value);
	myfree(ht->key);
	myfree(ht);
    }
    myfree(table->buckets);
    myfree(table);
}

/* htable_list - NULL-terminated array of entries in insertion order */
HTABLE_INFO **htable_list(HTABLE *table)
{
    HTABLE_INFO **list = mymalloc((table->used + 1) * sizeof(*list));
    HTABLE_INFO *ht;
    size_t  n = 0;

    for (ht = table->seq_head; ht != NULL; ht = ht->seq_next)
	list[n++] = ht;
    list[n] = NULL;
    return list;
}
