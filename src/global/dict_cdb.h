/*
 * dict_cdb - constant lookup tables in CDB files (tinycdb)
 *
 * SYNOPSIS
 *	#include "dict_cdb.h"
 *
 *	DICT	*dict_cdb_open(const char *name, int open_flags,
 *				int dict_flags);
 *
 * DESCRIPTION
 *	The table "cdb:name" is the file "name.cdb" in the format of D. J.
 *	Bernstein's cdb, read and written with tinycdb (libcdb). A cdb file
 *	is never changed after it is written; postmap builds a new one.
 *
 *	With O_RDONLY the file is mapped into memory for lookups and
 *	sequence. Keys are looked up as given and, failing that, with a
 *	trailing null byte (files that other software wrote); values lose
 *	a trailing null byte. A reader keeps the file that it opened when
 *	postmap replaces it; dict_changed_name(3) reports the new file.
 *	dict_seq() visits each key once, in file order, skipping records
 *	that a later duplicate replaced.
 *
 *	With O_CREAT|O_TRUNC (and O_WRONLY or O_RDWR) the table is built:
 *	dict_put() adds entries (keys without a trailing null byte) to the
 *	new file "name.cdb.tmp", and dict_close() writes the index, syncs
 *	the file to disk and renames it over "name.cdb". The lock file
 *	"name.cdb.lock" is held meanwhile (a flock() lock), so that
 *	concurrent builds run one after the other. Duplicate keys follow DICT_FLAG_DUP_REPLACE,
 *	_IGNORE and _WARN as for the lmdb driver (see dict_lmdb(3)).
 *	A builder cannot look up, delete or sequence.
 *
 *	Any other open mode fails: a cdb table cannot be changed in place.
 *
 * DIAGNOSTICS
 *	Open errors (a surrogate table, see dict(3)): "open database
 *	<path>: <reason>", e.g. "not a valid CDB file". Warnings:
 *	"cdb:<name>: duplicate entry: \"<key>\"", corrupted records found
 *	by lookups. Fatal (building only, in dict_close()): write, sync or
 *	rename errors; the new file is removed first.
 */
#ifndef DICT_CDB_H
#define DICT_CDB_H

#include "dict.h"

#define DICT_TYPE_CDB		"cdb"
#define DICT_CDB_SUFFIX		".cdb"
#define DICT_CDB_TMP_SUFFIX	".cdb.tmp"
#define DICT_CDB_LOCK_SUFFIX	".cdb.lock"

extern DICT *dict_cdb_open(const char *name, int open_flags, int dict_flags);

#endif
