/*
 * dict_nbdb - hash: and btree: tables, served by a non-Berkeley-DB type
 *
 * SYNOPSIS
 *	#include "dict_nbdb.h"
 *
 *	DICT	*dict_nbdb_hash_open(const char *name, int open_flags,
 *				int dict_flags);
 *	DICT	*dict_nbdb_btree_open(const char *name, int open_flags,
 *				int dict_flags);
 *	void	dict_nbdb_client(int mode);
 *
 * DESCRIPTION
 *	These are the drivers of the hash: and btree: types (see
 *	dict_builtin.c). They open the table with the driver of the type
 *	that nbdb_redirect(3) picks (lmdb or cdb), under the same name, and
 *	the table keeps its requested type name in diagnostics. With
 *	non_bdb_migration_level = disable every open fails.
 *
 *	When a table is opened without O_CREAT, its indexed file is missing
 *	and the legacy Berkeley DB file name.db exists, the file is rebuilt
 *	first at level enable-reindex, by whom depends on the client mode
 *	that dict_nbdb_client() sets:
 * .IP NBDB_CLIENT_COMMAND
 *	(the default) a command: when run by root, or by the owner of the
 *	.db file (real and effective user ids equal), it rebuilds the file
 *	itself with nbdb_reindex(3); otherwise it does not.
 * .IP NBDB_CLIENT_DAEMON
 *	a daemon started by master(8) (set by the daemon skeletons): it
 *	asks the nbdb_reindexd service (private/nbdb_reindexd, relative to
 *	the queue directory that daemons run in) and waits at most
 *	$ipc_timeout.
 * .IP NBDB_CLIENT_SERVICE
 *	nbdb_reindexd(8) itself: never.
 * .PP
 *	When the file is still missing, the open fails with the reason and
 *	the advice of nbdb_redirect_hint().
 *
 * DIAGNOSTICS
 *	Open errors, as surrogate tables (see dict(3)): "Berkeley DB
 *	support for '<type>:<name>' is not available for this build; see
 *	https://www.postfix.org/NON_BERKELEYDB_README.html for
 *	alternatives", the reasons of nbdb_redirect(3), and "open database
 *	<file>: No such file or directory; <reindex failure>; <advice>".
 */
#ifndef DICT_NBDB_H
#define DICT_NBDB_H

#include "dict.h"

#define DICT_TYPE_HASH	"hash"
#define DICT_TYPE_BTREE	"btree"

#define NBDB_CLIENT_COMMAND	0
#define NBDB_CLIENT_DAEMON	1
#define NBDB_CLIENT_SERVICE	2

extern DICT *dict_nbdb_hash_open(const char *name, int open_flags,
				         int dict_flags);
extern DICT *dict_nbdb_btree_open(const char *name, int open_flags,
				          int dict_flags);
extern void dict_nbdb_client(int mode);

#endif
