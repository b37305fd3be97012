/*
 * dict_lmdb - indexed lookup tables in LMDB files
 *
 * SYNOPSIS
 *	#include "dict_lmdb.h"
 *
 *	DICT	*dict_lmdb_open(const char *name, int open_flags,
 *				int dict_flags);
 *
 * DESCRIPTION
 *	This is the default indexed table type. The table "type:name" lives
 *	in the single file "name.lmdb" (an LMDB environment opened with
 *	MDB_NOSUBDIR). hash: and btree: tables reach this driver through
 *	the non-Berkeley-DB redirection (dict_nbdb(3)), which keeps their
 *	type name in diagnostics and in dict->type and explains a missing
 *	file next to a legacy Berkeley DB file. Keys and values are stored without a
 *	trailing null byte; lookups also find keys written with one (tables
 *	built by Postfix), and values read back lose such a null byte.
 *
 *	Keys may be of any length. A key longer than LMDB's limit of 511
 *	bytes is stored in a long-key record: its LMDB key is the bytes
 *	0x00 0x01 and the SHA-256 digest of the key, its data the whole
 *	key and the value (with their lengths), so that lookups compare
 *	the whole key; keys whose digests collide share the record as
 *	separate entries. A sequence returns the whole key. Files written
 *	before long keys existed read as before.
 *	docs/internals/lookup-tables.md describes the file format.
 *
 *	Open modes (open_flags):
 * .IP O_RDONLY
 *	Lookups and sequence. Each operation is one short read transaction
 *	under a shared fcntl() lock on byte 0 of the data file, so it
 *	never sees a half-written in-place update. A reader keeps the file
 *	it opened: when postmap replaces the table, the reader goes on
 *	reading the old file until it is closed; dict_changed_name(3)
 *	reports the new file (the driver watches the file identity, not
 *	its modification time, since in-place updates are visible at once).
 * .IP "O_RDWR (and O_CREAT)"
 *	In-place updates: each dict_put()/dict_del() is its own durable
 *	transaction. Writers serialize on the lock file "name.lmdb.lock"
 *	(a flock() lock; created when needed; readers never touch it),
 *	and hold an
 *	exclusive lock on byte 0 of the data file only while a commit
 *	writes. After taking the lock a writer checks that "name.lmdb" is
 *	still the file that it opened, and reopens it when postmap has
 *	replaced it meanwhile. A missing file is created (with O_CREAT) as
 *	an empty table that is renamed into place.
 * .IP "O_RDWR with DICT_FLAG_BULK_UPDATE"
 *	Batch updates (postmap -i): the lock file is held from open to
 *	close, and updates are grouped into transactions of several
 *	thousand entries, each committed durably.
 * .IP "O_TRUNC (with O_CREAT)"
 *	Rebuild: the lock file is held from open to close; entries go into
 *	the new file "name.lmdb.tmp" (a leftover from a crashed run is
 *	removed first, and the new file is created exclusively, never
 *	through a symbolic link); dict_close() commits, syncs the file to disk,
 *	renames it over "name.lmdb" and syncs the directory. Until then
 *	readers and the old table are not affected, and a crash leaves
 *	the old table in place.
 * .PP
 *	Duplicate keys in dict_put(): DICT_FLAG_DUP_REPLACE overwrites;
 *	DICT_FLAG_DUP_IGNORE keeps the old value silently;
 *	DICT_FLAG_DUP_WARN keeps it with a warning. In the last two cases
 *	and without any DUP flag the result is DICT_STAT_FAIL.
 *
 *	The map size starts at lmdb_map_size (or the size recorded in the
 *	file, if larger). When a transaction fills the map, the driver
 *	doubles the size and applies the transaction again; readers adopt
 *	a size that another process has grown.
 *
 *	Damaged files: what LMDB reports (not LMDB, another format version,
 *	MDB_CORRUPTED, MDB_PAGE_NOTFOUND) and what plain checks find (an
 *	empty file, a bad page size, a file shorter than its meta pages or
 *	its last page, records larger than the file, malformed long-key
 *	records, keys out of order) make the open fail with a reason, or
 *	an operation fail with DICT_ERR_CONFIG and a warning that names
 *	the file. LMDB does not check the inside of its pages, and this
 *	driver installs no signal handler: damage that makes LMDB read
 *	outside the file kills the process (SIGSEGV or SIGBUS), as any
 *	other memory fault does.
 *
 *	This driver does not use LMDB's own reader table and lock file
 *	(MDB_NOLOCK): those need a lock file that every reader can write.
 *
 * DIAGNOSTICS
 *	Open errors (a surrogate table, see dict(3)): "open database
 *	<path>: <reason>", e.g. "MDB_INVALID: File is not an LMDB file".
 *	Warnings: "<type>:<name>: duplicate entry: \"<key>\"",
 *	"<type>:<name>: corrupted database <path>: <what>" (DICT_ERR_CONFIG),
 *	"<type>:<name>: database <path>: <operation>: <error>", lock and
 *	sync errors. Fatal (batch and rebuild, in dict_close()): a batch
 *	whose transaction failed, errors while committing or renaming the
 *	new file (which is removed first). Panic: an LMDB assertion failure
 *	(the file is named, then the process aborts).
 */
#ifndef DICT_LMDB_H
#define DICT_LMDB_H

#include "dict.h"

#define DICT_TYPE_LMDB	"lmdb"

#define DICT_LMDB_SUFFIX	".lmdb"
#define DICT_LMDB_TMP_SUFFIX	".lmdb.tmp"
#define DICT_LMDB_LOCK_SUFFIX	".lmdb.lock"

extern DICT *dict_lmdb_open(const char *name, int open_flags, int dict_flags);

#endif
