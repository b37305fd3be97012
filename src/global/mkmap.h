/*
 * mkmap - build or update an indexed lookup table for postmap/postalias
 *
 * SYNOPSIS
 *	#include "mkmap.h"
 *
 *	MKMAP	*mkmap_open(const char *type, const char *name,
 *				int open_flags, int dict_flags);
 *	int	mkmap_append(MKMAP *mkmap, const char *key,
 *				const char *value);
 *	DICT	*mkmap_dict(MKMAP *mkmap);
 *	void	mkmap_close(MKMAP *mkmap);
 *
 * DESCRIPTION
 *	This is how postmap(1) and postalias(1) write tables.
 *
 *	mkmap_open() opens the table type:name for writing. With O_TRUNC in
 *	open_flags (build from scratch) the driver writes a new file under
 *	a temporary name while holding the table's lock file, and
 *	mkmap_close() syncs it to disk and renames it over the old table:
 *	readers never see a half-written table, and a crash (even kill -9)
 *	leaves the old table in place. Without O_TRUNC (postmap -i) the
 *	existing table is updated in place in large transactions, with the
 *	lock held from open to close. Either way, concurrent runs on the
 *	same table take turns. mkmap_open() adds DICT_FLAG_BULK_UPDATE and
 *	DICT_FLAG_OPEN_FATAL to dict_flags.
 *
 *	From mkmap_open() to mkmap_close() the signals SIGHUP, SIGINT,
 *	SIGQUIT and SIGTERM are blocked, so that an interrupted build does
 *	not leave its temporary file behind (a leftover from kill -9 is
 *	removed by the next build).
 *
 *	mkmap_append() stores one entry (duplicates as dict_flags say) and
 *	returns the dict_put() result. An entry that the driver refuses
 *	(e.g. an overlong key) is skipped after the driver's warning.
 *	mkmap_dict() gives the open table, to change its flags between
 *	entries (postalias does this for its trailer records).
 *
 *	Only file-based types (DICT_TYPE_FLAG_FILE) and "fail" can be
 *	created; proxy: tables cannot (the bulk-mode error, as Postfix
 *	says it).
 *
 * DIAGNOSTICS
 *	Fatal: "unsupported dictionary type: <type>", "unsupported
 *	dictionary type: <type> does not support bulk-mode creation.",
 *	open errors, "table
 *	<type>:<name>: write error", and the commit errors of the driver.
 */
#ifndef MKMAP_H
#define MKMAP_H

#include "dict.h"

typedef struct MKMAP MKMAP;

extern MKMAP *mkmap_open(const char *type, const char *name, int open_flags,
			         int dict_flags);
extern int mkmap_append(MKMAP *mkmap, const char *key, const char *value);
extern DICT *mkmap_dict(MKMAP *mkmap);
extern void mkmap_close(MKMAP *mkmap);

#endif
