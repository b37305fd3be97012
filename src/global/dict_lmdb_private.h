/*
 * dict_lmdb_private - what the files of the lmdb driver share
 *
 * SYNOPSIS
 *	#include "dict_lmdb_private.h"
 *
 * DESCRIPTION
 *	The lmdb driver (public interface: dict_lmdb.h) is split by
 *	concern; the files share the table structure DICT_LMDB and the
 *	functions below. Nothing outside dict_lmdb*.c includes this file,
 *	except the driver's unit test.
 * .IP dict_lmdb.c
 *	Open and close, checks of the file and of what LMDB returns, map
 *	size, the transaction lock and the writers' lock file, error
 *	reports.
 * .IP dict_lmdb_lookup.c
 *	dict_get() and dict_seq(): short read transactions.
 * .IP dict_lmdb_update.c
 *	dict_put() and dict_del(): in-place updates (one durable
 *	transaction each), the journal of the open write transaction
 *	and its MDB_MAP_FULL retry, commit, dict_lock().
 * .IP dict_lmdb_build.c
 *	Batch (postmap -i) and rebuild (postmap) transactions, new files
 *	(the rebuild's temporary file, an empty table for O_CREAT), and
 *	the commit and rename at close.
 * .IP dict_lmdb_record.c
 *	How a key is stored: as is (up to DICT_LMDB_KEY_LIMIT bytes),
 *	with a null byte (tables built by Postfix), or in a long-key
 *	record under a digest (docs/internals/lookup-tables.md).
 * .PP
 *	The DICT methods are named after the methods (dict_lmdb_lookup(),
 *	dict_lmdb_sequence(), dict_lmdb_update(), dict_lmdb_delete(),
 *	dict_lmdb_lock()); other functions carry their file's name.
 *
 *	Functions that return an "LMDB status" return 0, an MDB_* or
 *	errno code, or DICT_LMDB_REPORTED for a problem that they have
 *	already logged (and recorded in dict->error).
 *
 *	dict_lmdb_long_digest is the digest of long keys (SHA-256); a test
 *	may point it at a function of its own to force collisions.
 */
#ifndef DICT_LMDB_PRIVATE_H
#define DICT_LMDB_PRIVATE_H

#include <sys/types.h>
#include <lmdb.h>

#include "vstring.h"
#include "dict.h"

typedef enum DICT_LMDB_MODE {
    DICT_LMDB_MODE_READ,		/* O_RDONLY */
    DICT_LMDB_MODE_UPDATE,		/* in place, one transaction per update */
    DICT_LMDB_MODE_BATCH,		/* in place, grouped transactions */
    DICT_LMDB_MODE_REBUILD,		/* new file renamed into place */
} DICT_LMDB_MODE;

/* One journal entry: a change that the open write transaction made. */
typedef struct DICT_LMDB_OP {
    bool    is_put;
    char   *key;
    size_t  key_len;
    char   *value;
    size_t  value_len;
} DICT_LMDB_OP;

typedef struct DICT_LMDB {
    DICT    dict;
    DICT_LMDB_MODE mode;
    char   *path;			/* name.lmdb */
    char   *tmp_path;			/* name.lmdb.tmp */
    char   *lock_path;			/* name.lmdb.lock */
    MDB_env *env;
    MDB_dbi dbi;
    int     data_fd;			/* LMDB's descriptor of the data file */
    dev_t   data_dev;			/* identity of the open data file */
    ino_t   data_ino;
    dev_t   tmp_dev;			/* identity of the new file we made */
    ino_t   tmp_ino;
    off_t   data_size;			/* file size seen at open or since */
    int     lockfile_fd;		/* writers: -1 until needed */
    bool    lockfile_held;		/* for the table's lifetime or dict_lock */
    bool    failed;			/* batch/rebuild: a transaction failed */
    bool    data_lock_held;		/* readers: dict_lock() holds byte 0+ */
    MDB_txn *txn;			/* the open write transaction */
    DICT_LMDB_OP *journal;
    size_t  journal_len;
    size_t  journal_cap;
    size_t  journal_bytes;
    bool    null_first;			/* the last key found had a null byte */
    VSTRING *value_buf;			/* lookup and sequence results */
    VSTRING *key_buf;
    VSTRING *record_buf;		/* a long-key record being rewritten */
    VSTRING *seq_key;			/* raw key of the last sequence step */
    size_t  seq_entry;			/* entry of that record (long keys) */
    bool    seq_started;
} DICT_LMDB;

/* Result of a step whose problem was already logged. */
#define DICT_LMDB_REPORTED	(-1)

/* Longer keys go into long-key records; LMDB's own limit is 511. */
#define DICT_LMDB_KEY_LIMIT	511

/* Long-key records: the LMDB key is a tag and the digest of the key. */
#define DICT_LMDB_DIGEST_LEN	32	/* SHA-256 */
#define DICT_LMDB_LONG_TAG_LEN	2	/* 0x00 0x01 */
#define DICT_LMDB_LONG_KEY_LEN	(DICT_LMDB_LONG_TAG_LEN + DICT_LMDB_DIGEST_LEN)

/* Batch and rebuild transactions are committed at these sizes. */
#define DICT_LMDB_CHUNK_OPS	20000
#define DICT_LMDB_CHUNK_BYTES	(64 * 1024 * 1024)

#define DICT_LMDB_MAX_RETRY	64	/* MAP_FULL/MAP_RESIZED rounds */
#define DICT_LMDB_FILE_MODE	0644

 /*
  * dict_lmdb.c
  */
extern int dict_lmdb_env_open(DICT_LMDB *dl, const char *path,
			              unsigned env_flags, VSTRING *why);
extern void dict_lmdb_env_close(DICT_LMDB *dl);
extern int dict_lmdb_txn_lock(DICT_LMDB *dl, int op);
extern int dict_lmdb_lockfile(DICT_LMDB *dl, int op);
extern int dict_lmdb_txn_begin(DICT_LMDB *dl, unsigned flags, MDB_txn **txn);
extern int dict_lmdb_grow(DICT_LMDB *dl);
extern int dict_lmdb_fsync_dir(const char *path);
extern bool dict_lmdb_check_val(DICT_LMDB *dl, const MDB_val *val);
extern void PRINTFLIKE(2, 3) dict_lmdb_corrupt(DICT_LMDB *dl,
					               const char *fmt,...);
extern void dict_lmdb_fail(DICT_LMDB *dl, const char *what, int rc);

 /*
  * dict_lmdb_lookup.c
  */
extern const char *dict_lmdb_lookup(DICT *dict, const char *key);
extern int dict_lmdb_sequence(DICT *dict, int function, const char **key,
			              const char **value);

 /*
  * dict_lmdb_update.c
  */
extern int dict_lmdb_update(DICT *dict, const char *key, const char *value);
extern int dict_lmdb_delete(DICT *dict, const char *key);
extern int dict_lmdb_lock(DICT *dict, int op);
extern int dict_lmdb_update_apply(DICT_LMDB *dl, MDB_txn **txn, bool is_put,
				         const char *key, const char *value,
				         int *status);
extern int dict_lmdb_update_commit(DICT_LMDB *dl, MDB_txn **txn);
extern void dict_lmdb_update_journal_add(DICT_LMDB *dl, bool is_put,
				          const MDB_val *key, const MDB_val *value);
extern void dict_lmdb_update_journal_clear(DICT_LMDB *dl);

 /*
  * dict_lmdb_build.c
  */
extern int dict_lmdb_build_write(DICT_LMDB *dl, bool is_put, const char *key,
				         const char *value, int *status);
extern int dict_lmdb_build_tmp(DICT_LMDB *dl, VSTRING *why);
extern int dict_lmdb_build_empty(DICT_LMDB *dl, VSTRING *why);
extern void dict_lmdb_build_finish(DICT_LMDB *dl);

 /*
  * dict_lmdb_record.c
  */
typedef void (*DICT_LMDB_DIGEST_FN) (const char *key, size_t len,
				             unsigned char *digest);
extern DICT_LMDB_DIGEST_FN dict_lmdb_long_digest;
extern int dict_lmdb_record_get(DICT_LMDB *dl, MDB_txn *txn, const char *key,
				        const char **value);
extern int dict_lmdb_record_put(DICT_LMDB *dl, MDB_txn *txn, const char *key,
				        const char *value, int *status);
extern int dict_lmdb_record_del(DICT_LMDB *dl, MDB_txn *txn, const char *key,
				        int *status);
extern int dict_lmdb_record_entry(DICT_LMDB *dl, const MDB_val *raw_key,
				          const MDB_val *raw_value, size_t index,
				          const char **key, const char **value);

#endif
