/*
 * nbdb_reindex - rebuild the missing indexed file of a legacy hash: or btree: table
 *
 * SYNOPSIS
 *	#include "nbdb_reindex.h"
 *
 *	int	nbdb_reindex_table(const char *table, VSTRING *why);
 *	int	nbdb_reindex_list(const ARGV *tables);
 *
 * DESCRIPTION
 *	nbdb_reindex_table() rebuilds the indexed file of table
 *	("hash:/path" or "btree:/path") in this process, as
 *	docs/internals/non-bdb.md section 3 describes: it requires
 *	non_bdb_migration_level = enable-reindex, picks the target type
 *	with nbdb_redirect(3), answers NBDB_REINDEX_EXISTS when the indexed
 *	file is already there, applies the policy of nbdb_safe(3), reads
 *	the source as the owner of the legacy .db file to choose between
 *	postalias and postmap (nbdb_sniff(3)), and runs
 *	"$command_directory/postmap -c $config_directory <target>:<path>"
 *	(or postalias) as that owner, with a clean environment, standard
 *	input and output on /dev/null, and $command_time_limit. The result
 *	is NBDB_REINDEX_CREATED when the command succeeded and the indexed
 *	file exists, else NBDB_REINDEX_FAILED with the reason in why
 *	(which must not be NULL).
 *
 *	nbdb_reindex_list() is the pass that "postfix check" and
 *	"postfix start" make: for each table of tables (as nbdb_scan(3)
 *	lists them) whose indexed file is missing while its legacy .db
 *	file exists, it calls nbdb_reindex_table(). A table without a
 *	source file (a cache) is skipped silently; other failures are
 *	warnings. Nothing happens below enable-reindex. The result is the
 *	number of tables created.
 *
 * DIAGNOSTICS
 *	nbdb_reindex_table() logs what it runs and what it created (info):
 *	"<table>: running \"postmap lmdb:<path>\" as uid=<n> gid=<n>" and
 *	"<table>: created <file>". Refusals and failures are returned, not
 *	logged; nbdb_reindex_list() logs them as "<table>: not reindexed:
 *	<reason>".
 */
#ifndef NBDB_REINDEX_H
#define NBDB_REINDEX_H

#include "sys_defs.h"
#include "argv.h"
#include "vstring.h"

#define NBDB_REINDEX_CREATED	0	/* indexed file made now */
#define NBDB_REINDEX_EXISTS	1	/* it was there already */
#define NBDB_REINDEX_FAILED	(-1)	/* refused, or the command failed */

extern int nbdb_reindex_table(const char *table, VSTRING *why);
extern int nbdb_reindex_list(const ARGV *tables);

#endif
