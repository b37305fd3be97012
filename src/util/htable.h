/*
 * htable - hash table with string keys, remembering insertion order
 *
 * SYNOPSIS
 *	HTABLE	*htable_create(size_t size_hint);
 *	HTABLE_INFO *htable_enter(HTABLE *table, const char *key, void *value);
 *	HTABLE_INFO *htable_locate(HTABLE *table, const char *key);
 *	void	*htable_find(HTABLE *table, const char *key);
 *	bool	htable_delete(HTABLE *table, const char *key, void (*free_fn)(void *));
 *	void	htable_free(HTABLE *table, void (*free_fn)(void *));
 *	HTABLE_INFO **htable_list(HTABLE *table);
 *	size_t	htable_used(HTABLE *table);
 *
 * DESCRIPTION
 *	Keys are copied; values are opaque pointers. htable_enter() panics
 *	when the key exists (use htable_locate() first to update).
 *	htable_list() returns a NULL-terminated array of the entries in
 *	insertion order (free it with myfree).
 *	The hash function is seeded per process, so peers cannot choose
 *	keys that collide.
 */
#ifndef HTABLE_H
#define HTABLE_H

#include "sys_defs.h"

typedef struct HTABLE_INFO {
    char   *key;
    void   *value;
    struct HTABLE_INFO *next;		/* bucket chain */
    struct HTABLE_INFO *seq_next;	/* insertion order */
    struct HTABLE_INFO *seq_prev;
} HTABLE_INFO;

typedef struct HTABLE {
    size_t  size;			/* bucket count */
    size_t  used;			/* entry count */
    HTABLE_INFO **buckets;
    HTABLE_INFO *seq_head;
    HTABLE_INFO *seq_tail;
} HTABLE;

extern HTABLE *htable_create(size_t size_hint);
extern HTABLE_INFO *htable_enter(HTABLE *table, const char *key, void *value);
extern HTABLE_INFO *htable_locate(HTABLE *table, const char *key);
extern void *htable_find(HTABLE *table, const char *key);
extern bool htable_delete(HTABLE *table, const char *key, void (*free_fn) (void *));
extern void htable_free(HTABLE *table, void (*free_fn) (void *));
extern HTABLE_INFO **htable_list(HTABLE *table);

#define htable_used(table)	((table)->used)

#endif
