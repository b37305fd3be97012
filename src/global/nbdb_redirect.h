/*
 * nbdb_redirect - which type serves a hash: or btree: table, and when
 *
 * SYNOPSIS
 *	#include "nbdb_redirect.h"
 *
 *	int	nbdb_level_code(const char *name);
 *	const char *nbdb_level_name(int level);
 *	int	nbdb_level(VSTRING *why);
 *
 *	bool	nbdb_redirect_choose(const char *type, const char *mapping,
 *				const char *database_type,
 *				const char *cache_type, VSTRING *target,
 *				VSTRING *why);
 *	bool	nbdb_redirect_target(const char *type, VSTRING *target,
 *				VSTRING *why);
 *	const char *nbdb_redirect_suffix(const char *target);
 *	bool	nbdb_redirect_missing(const char *target, const char *name);
 *	void	nbdb_redirect_hint(VSTRING *why, const char *target,
 *				const char *name);
 *
 * DESCRIPTION
 *	Berkeley DB is not supported. How hash: and btree: tables are
 *	served instead is the non-Berkeley-DB migration level
 *	(non_bdb_migration_level): NBDB_LEVEL_DISABLE ("disable": not at
 *	all), NBDB_LEVEL_REDIRECT ("enable-redirect": by another type) or
 *	NBDB_LEVEL_REINDEX ("enable-reindex": by another type, and a missing
 *	indexed file is rebuilt from its source). The levels are ordered.
 *	docs/internals/non-bdb.md has the whole design.
 *
 *	nbdb_level_code() converts a level name to its code, or -1.
 *	nbdb_level_name() does the opposite. nbdb_level() returns the level
 *	of this process's configuration, or -1 with the reason in why.
 *
 *	nbdb_redirect_choose() picks the type that serves a table of type
 *	type ("hash" or "btree"): the entry for type in mapping (the syntax
 *	of non_bdb_custom_mapping: "from=to" or "from:to" pairs separated
 *	by commas and/or whitespace), else database_type for hash and
 *	cache_type for btree. The target must be a file-based type that
 *	this module knows (lmdb, cdb) and not hash or btree itself. It
 *	returns false with the reason in why for a bad mapping or target.
 *	nbdb_redirect_target() does the same with the parameters
 *	non_bdb_custom_mapping, default_database_type and
 *	default_cache_db_type.
 *
 *	nbdb_redirect_suffix() returns the suffix of the indexed file of a
 *	target type (".lmdb", ".cdb"), or NULL for other types.
 *
 *	nbdb_redirect_missing() tells whether a table that target serves
 *	under name lacks its indexed file while the legacy Berkeley DB file
 *	name.db exists: the case that needs a rebuild.
 *
 *	nbdb_redirect_hint() appends to why the advice for that case: which
 *	command to run, as which user, and where the automatic alternative
 *	is described.
 *
 * DIAGNOSTICS
 *	Reasons in why, e.g. "unsupported non_bdb_migration_level value:
 *	\"x\"", "non_bdb_custom_mapping: malformed entry \"x\" (expected
 *	from=to, e.g. hash=cdb)", "default_database_type = hash cannot
 *	serve hash: tables (use lmdb or cdb)".
 */
#ifndef NBDB_REDIRECT_H
#define NBDB_REDIRECT_H

#include "sys_defs.h"
#include "vstring.h"

#define NBDB_LEVEL_DISABLE	0
#define NBDB_LEVEL_REDIRECT	1
#define NBDB_LEVEL_REINDEX	2

#define NBDB_LEVEL_NAME_DISABLE		"disable"
#define NBDB_LEVEL_NAME_REDIRECT	"enable-redirect"
#define NBDB_LEVEL_NAME_REINDEX		"enable-reindex"

extern int nbdb_level_code(const char *name);
extern const char *nbdb_level_name(int level);
extern int nbdb_level(VSTRING *why);
extern bool nbdb_redirect_choose(const char *type, const char *mapping,
				         const char *database_type,
				         const char *cache_type,
				         VSTRING *target, VSTRING *why);
extern bool nbdb_redirect_target(const char *type, VSTRING *target,
				         VSTRING *why);
extern const char *nbdb_redirect_suffix(const char *target);
extern bool nbdb_redirect_missing(const char *target, const char *name);
extern void nbdb_redirect_hint(VSTRING *why, const char *target,
			               const char *name);

#endif
