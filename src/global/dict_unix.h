/*
 * dict_unix - the UNIX password and group databases as lookup tables
 *
 * SYNOPSIS
 *	#include "dict_unix.h"
 *
 *	DICT	*dict_unix_open(const char *name, int open_flags,
 *				int dict_flags);
 *
 * DESCRIPTION
 *	dict_unix_open() opens one of two read-only tables:
 *
 *	unix:passwd.byname
 *		The key is a login name; the result is the passwd(5) line
 *		"name:passwd:uid:gid:gecos:dir:shell".
 *	unix:group.byname
 *		The key is a group name; the result is the group(5) line
 *		"name:passwd:gid:member1,member2,...".
 *
 *	Lookups go through getpwnam_r(3) and getgrnam_r(3), so NSS sources
 *	apply. Keys are folded with DICT_FLAG_FOLD_FIX like those of every
 *	fixed-string table. There is no sequence operation.
 *
 * DIAGNOSTICS
 *	An unknown name gives a surrogate table with the reason "unknown
 *	table: unix:<name>". When the database cannot be read, a lookup
 *	fails with DICT_ERR_RETRY and a warning "cannot access UNIX
 *	password database: <error>" (or "group database").
 */
#ifndef DICT_UNIX_H
#define DICT_UNIX_H

#include "dict.h"

#define DICT_TYPE_UNIX	"unix"

extern DICT *dict_unix_open(const char *name, int open_flags, int dict_flags);

#endif
