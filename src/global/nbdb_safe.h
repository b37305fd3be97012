/*
 * nbdb_safe - the safety policy for rebuilding a legacy hash: or btree: table
 *
 * SYNOPSIS
 *	#include "nbdb_safe.h"
 *
 *	typedef struct NBDB_SAFE_OWNER {
 *	    uid_t   uid;
 *	    gid_t   gid;
 *	    dev_t   source_dev;
 *	    ino_t   source_ino;
 *	} NBDB_SAFE_OWNER;
 *
 *	bool	nbdb_safe_table(const char *table, VSTRING *type,
 *				VSTRING *name, VSTRING *why);
 *	bool	nbdb_safe_check(const char *name, const char *root_prefixes,
 *				const char *user_prefixes,
 *				NBDB_SAFE_OWNER *owner, VSTRING *why);
 *	bool	nbdb_safe_prefix_match(const char *path,
 *				const char *prefix_list);
 *
 *	typedef struct NBDB_SAFE_OPS {
 *	    int	    (*lstat_fn)(const char *path, struct stat *st);
 *	    int	    (*stat_fn)(const char *path, struct stat *st);
 *	    uid_t   (*geteuid_fn)(void);
 *	} NBDB_SAFE_OPS;
 *
 *	void	nbdb_safe_set_ops(const NBDB_SAFE_OPS *ops);
 *
 * DESCRIPTION
 *	This module decides whether a missing indexed file of a redirected
 *	table may be rebuilt from its source text, and as whom. It is the
 *	policy of docs/internals/non-bdb.md section 3.2; nbdb_reindex(3)
 *	applies it both in nbdb_reindexd(8) and in commands. It looks at
 *	files only; it does not run anything.
 *
 *	nbdb_safe_table() checks the syntax of a request: "hash:/path" or
 *	"btree:/path" where /path is an absolute pathname of at most
 *	NBDB_SAFE_NAME_LIMIT bytes, with no control characters, no empty,
 *	"." or ".." components, and no trailing "/". On success it stores
 *	the type and the pathname in type and name.
 *
 *	nbdb_safe_check() applies the file checks to the table whose
 *	source file is name (a pathname that nbdb_safe_table() accepted):
 *	name.db must exist as a regular file (not a symbolic link), and
 *	its owner is the account (owner->uid, owner->gid); the source file
 *	must be a regular file, not a symbolic link, owned by root or that
 *	uid, not group or other writable; the same for its parent
 *	directory (which may be reached through symbolic links); every
 *	directory on the way must be safe (a symbolic link must be owned by
 *	root; a directory that others can write must be sticky, and the
 *	next component must then belong to root or the uid); the source
 *	pathname must match
 *	root_prefixes (uid 0) or user_prefixes (other uids); and a process
 *	without root privileges accepts only its own uid, and no process
 *	runs commands as a non-root uid with group 0. On success owner
 *	also holds the device and inode of the source file, so that the
 *	caller can check that the file that it opens is the one that was
 *	inspected.
 *
 *	nbdb_safe_prefix_match() tells whether path equals an element of
 *	prefix_list (separated by commas and/or whitespace; trailing "/"
 *	of an element ignored) or lies below one (the element followed by
 *	"/"). An empty list matches nothing; "/" matches every absolute
 *	pathname.
 *
 *	nbdb_safe_set_ops() replaces lstat(2), stat(2) and geteuid(2) for
 *	the unit tests (NULL restores them).
 *
 * DIAGNOSTICS
 *	The functions return false with the reason in why (which must not be
 *	NULL), for example "legacy file /etc/x.db does not exist", "source
 *	file /etc/x is group or other writable", "source file /srv/x is
 *	not in non_bdb_migration_allow_user_prefixes". Nothing is logged.
 */
#ifndef NBDB_SAFE_H
#define NBDB_SAFE_H

#include "sys_defs.h"
#include <sys/stat.h>
#include "vstring.h"

#define NBDB_SAFE_NAME_LIMIT	1024	/* bytes in a table pathname */
#define NBDB_LEGACY_SUFFIX	".db"	/* Berkeley DB hash: and btree: */

typedef struct NBDB_SAFE_OWNER {
    uid_t   uid;			/* owner of the legacy .db file */
    gid_t   gid;
    dev_t   source_dev;			/* the source file that was checked */
    ino_t   source_ino;
} NBDB_SAFE_OWNER;

typedef struct NBDB_SAFE_OPS {
    int     (*lstat_fn) (const char *path, struct stat *st);
    int     (*stat_fn) (const char *path, struct stat *st);
    uid_t   (*geteuid_fn) (void);
} NBDB_SAFE_OPS;

extern bool nbdb_safe_table(const char *table, VSTRING *type, VSTRING *name,
			            VSTRING *why);
extern bool nbdb_safe_check(const char *name, const char *root_prefixes,
			            const char *user_prefixes,
			            NBDB_SAFE_OWNER *owner, VSTRING *why);
extern bool nbdb_safe_prefix_match(const char *path, const char *prefix_list);
extern void nbdb_safe_set_ops(const NBDB_SAFE_OPS *ops);

#endif
