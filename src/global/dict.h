/*
 * dict - the lookup table interface
 *
 * SYNOPSIS
 *	#include "dict.h"
 *
 *	DICT	*dict_open(const char *type_name, int open_flags, int dict_flags);
 *	DICT	*dict_open3(const char *type, const char *name, int open_flags,
 *			    int dict_flags);
 *	const char *dict_get(DICT *dict, const char *key);
 *	int	dict_put(DICT *dict, const char *key, const char *value);
 *	int	dict_del(DICT *dict, const char *key);
 *	int	dict_seq(DICT *dict, int function, const char **key,
 *			 const char **value);
 *	int	dict_lock(DICT *dict, int op);
 *	void	dict_close(DICT *dict);
 *
 *	DICT	*dict_shared_open(const char *type_name, int open_flags,
 *				  int dict_flags);
 *	void	dict_shared_close(DICT *dict);
 *	const char *dict_changed_name(void);
 *
 *	void	dict_open_register(const char *type, DICT_OPEN_FN open_fn,
 *				   int type_flags);
 *	ARGV	*dict_mapnames(void);
 *	int	dict_type_flags(const char *type);
 *
 *	For drivers:
 *	DICT	*dict_alloc(const char *type, const char *name, size_t size);
 *	void	dict_free(DICT *dict);
 *	DICT	*dict_surrogate(const char *type, const char *name,
 *				int open_flags, int dict_flags,
 *				const char *fmt, ...);
 *	const char *dict_fold_key(DICT *dict, const char *key);
 *	void	dict_watch_file(DICT *dict, const char *path, int fd);
 *	void	dict_watch_inode(DICT *dict, const char *path, int fd);
 *	void	dict_watch_chroot(const char *root_dir);
 *
 * DESCRIPTION
 *	A DICT is an open lookup table of some type ("lmdb", "regexp",
 *	...). Tables are named "type:name" everywhere in the configuration.
 *
 *	dict_open() splits "type:name" and calls the driver registered for
 *	the type (hash: and btree: are served by the lmdb driver). When the
 *	type is unknown or the driver cannot open the table, the result is
 *	a surrogate table whose operations fail with DICT_ERR_CONFIG after
 *	logging why, so that a daemon keeps running and reports the
 *	problem instead of dying; the open error itself is logged as a
 *	warning (or is fatal with DICT_FLAG_OPEN_FATAL).
 *
 *	dict_get() returns the value of key or NULL; after NULL,
 *	dict->error tells "not found" (DICT_ERR_NONE) from a temporary
 *	(DICT_ERR_RETRY) or configuration (DICT_ERR_CONFIG) error. Keys are
 *	folded to lower case first when the table was opened with
 *	DICT_FLAG_FOLD_FIX (fixed-string tables) or DICT_FLAG_FOLD_MUL
 *	(pattern tables). With DICT_FLAG_UTF8_REQUEST (smtputf8_enable),
 *	non-ASCII keys are folded as UTF-8 (see utf8_text(3)), and keys and
 *	values must be valid UTF-8: dict_get() of a malformed key logs a
 *	warning and finds nothing, a malformed result is a warning and
 *	DICT_ERR_CONFIG, and dict_put()/dict_del() refuse malformed keys or
 *	values with a warning and DICT_STAT_FAIL. dict_put() and dict_del() return DICT_STAT_SUCCESS,
 *	DICT_STAT_FAIL (key absent for delete; duplicate key refused for
 *	put) or DICT_STAT_ERROR. dict_seq() walks the table:
 *	DICT_SEQ_FUN_FIRST then DICT_SEQ_FUN_NEXT, returning
 *	DICT_STAT_SUCCESS with key and value, DICT_STAT_FAIL at the end, or
 *	DICT_STAT_ERROR. Drivers that cannot do an operation fail it with
 *	DICT_ERR_CONFIG and a warning "<type>:<name> does not support
 *	<operation>". dict_lock() applies a MYFLOCK_OP_* lock to tables that
 *	have a lock file. Values returned by lookups stay valid until the
 *	next operation on the same table.
 *
 *	dict_shared_open() returns a reference-counted table from a
 *	per-process cache, so each process opens a given table (same name
 *	and flags) once; dict_shared_close() drops a reference.
 *	dict_changed_name() returns "type:name" of a cached table whose file
 *	has changed since it was opened (daemons exit after the current
 *	request when this is not NULL), or NULL.
 *
 *	dict_open_register() adds a driver. type_flags (DICT_TYPE_FLAG_*)
 *	describe it for postconf -m and postmap. dict_mapnames() lists the
 *	registered types, sorted.
 *
 *	Drivers allocate their table with dict_alloc() (size is the size of
 *	the driver's structure, which starts with a DICT) and install their
 *	methods; missing methods fail as described above. dict_fold_key()
 *	returns the folded key (in a buffer owned by the table) when the
 *	table's flags ask for folding, else key. dict_watch_file() records
 *	the identity (device, inode, mtime of the open descriptor) and path
 *	of a table's file for dict_changed_name(). dict_watch_inode() is
 *	the same for tables whose file is updated in place while readers
 *	see the updates at once (lmdb): only a replaced file (a different
 *	device or inode) counts as a change, not a new modification time.
 *	dict_watch_chroot() is called by a daemon right after chroot(2) to
 *	root_dir: watched paths below root_dir are made relative to the new
 *	root, and files outside it (which the daemon can no longer stat,
 *	and which would otherwise look removed) are no longer watched.
 *
 * DIAGNOSTICS
 *	Warnings for open errors ("<type>:<name> is unavailable. <reason>"),
 *	fatal errors with DICT_FLAG_OPEN_FATAL, panics for misuse.
 */
#ifndef DICT_H
#define DICT_H

#include "sys_defs.h"
#include <sys/stat.h>
#include "argv.h"
#include "vstring.h"

typedef struct DICT DICT;

struct DICT {
    char   *type;			/* "lmdb", "regexp", ... */
    char   *name;			/* table name */
    int     open_flags;			/* O_RDONLY etc. */
    int     flags;			/* DICT_FLAG_* */
    int     error;			/* DICT_ERR_* of last operation */
    const char *(*lookup) (DICT *dict, const char *key);
    int     (*update) (DICT *dict, const char *key, const char *value);
    int     (*delete) (DICT *dict, const char *key);
    int     (*sequence) (DICT *dict, int function, const char **key,
			             const char **value);
    int     (*lock) (DICT *dict, int op);
    void    (*close) (DICT *dict);
    int     lock_fd;			/* for dict_lock(), -1 = none */
    dev_t   watch_dev;			/* for dict_changed_name() */
    ino_t   watch_ino;
    time_t  watch_mtime;
    char   *watch_path;			/* NULL: nothing to watch */
    bool    watch_inode_only;		/* ignore watch_mtime */
    VSTRING *fold_buf;			/* folded keys */
    int     refcount;			/* dict_shared_open() */
};

typedef DICT *(*DICT_OPEN_FN) (const char *name, int open_flags, int dict_flags);

/* Table behaviour flags (dict_flags). */
#define DICT_FLAG_NONE		0
#define DICT_FLAG_DUP_WARN	(1<<0)	/* warn about duplicate keys */
#define DICT_FLAG_DUP_IGNORE	(1<<1)	/* ignore duplicate keys */
#define DICT_FLAG_DUP_REPLACE	(1<<2)	/* replace duplicate keys */
#define DICT_FLAG_FIXED		(1<<3)	/* driver: fixed-string keys */
#define DICT_FLAG_PATTERN	(1<<4)	/* driver: keys are patterns */
#define DICT_FLAG_LOCK		(1<<5)	/* lock around each access */
#define DICT_FLAG_SYNC_UPDATE	(1<<6)	/* commit each update */
#define DICT_FLAG_DEBUG		(1<<7)	/* log every operation */
#define DICT_FLAG_NO_REGSUB	(1<<8)	/* refuse $number substitution */
#define DICT_FLAG_NO_PROXY	(1<<9)	/* refuse proxy: */
#define DICT_FLAG_FOLD_FIX	(1<<10)	/* fold keys of fixed tables */
#define DICT_FLAG_FOLD_MUL	(1<<11)	/* fold keys of pattern tables */
#define DICT_FLAG_BULK_UPDATE	(1<<12)	/* create: build then replace */
#define DICT_FLAG_OPEN_FATAL	(1<<13)	/* open errors are fatal */
#define DICT_FLAG_UTF8_REQUEST	(1<<14)	/* keys may be UTF-8 */
#define DICT_FLAG_SRC_RHS_IS_FILE (1<<15) /* postmap -F: values name files */

#define DICT_FLAG_FOLD_ANY	(DICT_FLAG_FOLD_FIX | DICT_FLAG_FOLD_MUL)
#define DICT_FLAG_DUP_MASK \
	(DICT_FLAG_DUP_WARN | DICT_FLAG_DUP_IGNORE | DICT_FLAG_DUP_REPLACE)

/* Driver properties (dict_open_register). */
#define DICT_TYPE_FLAG_NONE	0
#define DICT_TYPE_FLAG_READONLY	(1<<0)	/* no updates at all */
#define DICT_TYPE_FLAG_FILE	(1<<1)	/* name is a file that postmap builds */
#define DICT_TYPE_FLAG_PATTERN	(1<<2)	/* keys are patterns */
#define DICT_TYPE_FLAG_INLINE	(1<<3)	/* name is "{...}" text */

/* dict->error values. */
#define DICT_ERR_NONE		0	/* no error */
#define DICT_ERR_RETRY		(-1)	/* temporary error */
#define DICT_ERR_CONFIG		(-2)	/* configuration error */

/* Results of dict_put(), dict_del(), dict_seq(). */
#define DICT_STAT_SUCCESS	0
#define DICT_STAT_FAIL		1
#define DICT_STAT_ERROR		(-1)

#define DICT_SEQ_FUN_FIRST	0
#define DICT_SEQ_FUN_NEXT	1

extern DICT *dict_open(const char *type_name, int open_flags, int dict_flags);
extern DICT *dict_open3(const char *type, const char *name, int open_flags,
			        int dict_flags);
extern const char *dict_get(DICT *dict, const char *key);
extern int dict_put(DICT *dict, const char *key, const char *value);
extern int dict_del(DICT *dict, const char *key);
extern int dict_seq(DICT *dict, int function, const char **key,
		            const char **value);
extern int dict_lock(DICT *dict, int op);
extern void dict_close(DICT *dict);
extern DICT *dict_shared_open(const char *type_name, int open_flags,
			              int dict_flags);
extern void dict_shared_close(DICT *dict);
extern const char *dict_changed_name(void);
extern void dict_open_register(const char *type, DICT_OPEN_FN open_fn,
			               int type_flags);
extern ARGV *dict_mapnames(void);
extern int dict_type_flags(const char *type);
extern DICT *dict_alloc(const char *type, const char *name, size_t size);
extern void dict_free(DICT *dict);
extern DICT *PRINTFLIKE(5, 6) dict_surrogate(const char *type, const char *name,
				             int open_flags, int dict_flags,
					             const char *fmt,...);
extern const char *dict_fold_key(DICT *dict, const char *key);
extern void dict_watch_file(DICT *dict, const char *path, int fd);
extern void dict_watch_inode(DICT *dict, const char *path, int fd);
extern void dict_watch_chroot(const char *root_dir);

#endif
