/*
 * maps - search a list of lookup tables
 *
 * SYNOPSIS
 *	#include "maps.h"
 *
 *	typedef struct MAPS {
 *	    char   *title;		for messages, e.g. "virtual_alias_maps"
 *	    DICT  **dicts;		the tables, in search order
 *	    size_t  count;
 *	    int	    error;		DICT_ERR_* of the last maps_find()
 *	} MAPS;
 *
 *	MAPS	*maps_create(const char *title, const char *map_names,
 *			     int dict_flags);
 *	const char *maps_find(MAPS *maps, const char *key, int flags);
 *	MAPS	*maps_free(MAPS *maps);
 *
 * DESCRIPTION
 *	A MAPS is the value of a parameter such as "hash:/etc/postfix/a,
 *	regexp:/etc/postfix/b": table names separated by comma or
 *	whitespace, where "{...}" groups are kept whole
 *	("inline:{a=b, c=d}").
 *
 *	maps_create() opens each table read-only with dict_shared_open()
 *	and dict_flags, so a table named by several parameters is opened
 *	once per process. A table that cannot be opened becomes a
 *	surrogate (dict(3)) whose lookups fail with DICT_ERR_CONFIG.
 *
 *	maps_find() queries the tables in order and returns the first
 *	result (valid until the next operation on that table), or NULL.
 *	flags 0 queries every table; otherwise only tables whose flags
 *	have one of these bits, for example DICT_FLAG_FIXED for the
 *	partial keys of a table search order (table_search(3)). An empty
 *	key finds nothing without any query. maps->error is DICT_ERR_NONE
 *	after a result or "not found"; when a table fails, the search
 *	stops there, maps_find() returns NULL, maps->error is that
 *	table's error, and a warning names the table and the key. An
 *	empty result counts as a configuration error, as in Postfix.
 *
 *	maps_free() closes the tables (dict_shared_close()) and returns
 *	NULL.
 *
 * DIAGNOSTICS
 *	Warnings: "<type>:<name> lookup error for \"<key>\"",
 *	"<title> lookup of <key> returns an empty string result",
 *	"<title> should return NO RESULT in case of NOT FOUND".
 */
#ifndef MAPS_H
#define MAPS_H

#include "sys_defs.h"
#include "dict.h"

typedef struct MAPS {
    char   *title;			/* for messages */
    DICT  **dicts;			/* tables in search order */
    size_t  count;
    int     error;			/* DICT_ERR_* of last maps_find() */
} MAPS;

extern MAPS *maps_create(const char *title, const char *map_names,
			         int dict_flags);
extern const char *maps_find(MAPS *maps, const char *key, int flags);
extern MAPS *maps_free(MAPS *maps);

#endif
