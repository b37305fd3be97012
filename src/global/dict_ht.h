/*
 * dict_ht - in-memory lookup table ("internal" type)
 *
 * SYNOPSIS
 *	#include "dict_ht.h"
 *
 *	DICT	*dict_ht_open(const char *name, int open_flags, int dict_flags);
 *
 *	For drivers built on an in-memory table:
 *	DICT	*dict_ht_create(const char *type, const char *name,
 *				int open_flags, int dict_flags, bool writable);
 *	bool	dict_ht_insert(DICT *dict, const char *key, const char *value,
 *				bool replace);
 *	size_t	dict_ht_count(DICT *dict);
 *
 * DESCRIPTION
 *	dict_ht_open() opens an empty, private, in-memory table of type
 *	"internal". Its content is lost when the table is closed. It
 *	supports lookup, update, delete and sequence; sequence returns
 *	entries in insertion order (an updated key keeps its place).
 *
 *	dict_ht_create() makes such a table under another type name (the
 *	inline: and texthash: drivers load their content into one). When
 *	writable is false, the table refuses update and delete through
 *	dict_put() and dict_del(); the driver fills it with
 *	dict_ht_insert(), which stores key exactly as given (the caller
 *	folds it with dict_fold_key() first when it should) and returns
 *	false when key was already present (the value is then replaced only
 *	when replace is true). dict_ht_count() returns the number of
 *	entries.
 *
 *	Keys are folded like those of every fixed-string table: the table
 *	has DICT_FLAG_FIXED, so dict(3) folds with DICT_FLAG_FOLD_FIX.
 *	dict_put() replaces the value of an existing key unless the table
 *	was opened with DICT_FLAG_DUP_IGNORE (then the old value stays and
 *	the result is DICT_STAT_FAIL).
 *
 * DIAGNOSTICS
 *	None of its own; see dict(3).
 */
#ifndef DICT_HT_H
#define DICT_HT_H

#include "sys_defs.h"
#include "dict.h"

#define DICT_TYPE_HT	"internal"

extern DICT *dict_ht_open(const char *name, int open_flags, int dict_flags);
extern DICT *dict_ht_create(const char *type, const char *name,
			            int open_flags, int dict_flags, bool writable);
extern bool dict_ht_insert(DICT *dict, const char *key, const char *value,
			           bool replace);
extern size_t dict_ht_count(DICT *dict);

#endif
