/*
 * dict_lmdb_update - updates, deletes, the write journal and dict_lock()
 *
 * SYNOPSIS
 *	#include "dict_lmdb_private.h"
 *
 *	int	dict_lmdb_update(DICT *dict, const char *key,
 *				const char *value);
 *	int	dict_lmdb_delete(DICT *dict, const char *key);
 *	int	dict_lmdb_lock(DICT *dict, int op);
 *
 *	int	dict_lmdb_update_apply(DICT_LMDB *dl, MDB_txn **txn,
 *				bool is_put, const char *key,
 *				const char *value, int *status);
 *	int	dict_lmdb_update_commit(DICT_LMDB *dl, MDB_txn **txn);
 *	void	dict_lmdb_update_journal_add(DICT_LMDB *dl, bool is_put,
 *				const MDB_val *key, const MDB_val *value);
 *	void	dict_lmdb_update_journal_clear(DICT_LMDB *dl);
 *
 * DESCRIPTION
 *	dict_lmdb_update(), dict_lmdb_delete() and dict_lmdb_lock() are
 *	the dict_put(), dict_del() and dict_lock() methods of the lmdb
 *	driver (see dict_lmdb.h). In-place updates are done here, each as
 *	its own durable transaction under the writers' lock file, after
 *	checking that the table file was not replaced meanwhile; batches
 *	and rebuilds go to dict_lmdb_build.c.
 *
 *	Every write transaction keeps a journal of the LMDB records that
 *	it changed (dict_lmdb_update_journal_add(), cleared by
 *	dict_lmdb_update_journal_clear() after commit or abort), so that
 *	after MDB_MAP_FULL it can be applied again in a bigger map.
 *	dict_lmdb_update_apply() applies one update to *txn that way, and
 *	dict_lmdb_update_commit() commits *txn (holding the transaction lock
 *	exclusively while pages are written), growing the map as needed.
 *	Both return an LMDB status; *txn is NULL after a failure.
 *
 *	This module does not encode records (dict_lmdb_record.c).
 * DIAGNOSTICS
 *	Warnings: "<type>:<name>: duplicate entry: \"<key>\"" (with
 *	DICT_FLAG_DUP_WARN), a read-only table, the empty key, lock and
 *	reopen errors (DICT_ERR_RETRY), LMDB errors that name the file.
 */
#include "sys_defs.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "msg.h"
#include "mymalloc.h"
#include "vstring.h"
#include "excerpt.h"
#include "myflock.h"
#include "dict.h"
#include "dict_lmdb_private.h"

/* dict_lmdb_update_journal_add - remember a change of the open transaction */
void    dict_lmdb_update_journal_add(DICT_LMDB *dl, bool is_put,
				           const MDB_val *key,
				           const MDB_val *value)
{
    DICT_LMDB_OP *op;

    if (dl->journal_len == dl->journal_cap) {
	dl->journal_cap = dl->journal_cap ? dl->journal_cap * 2 : 64;
	dl->journal = myrealloc(dl->journal,
				dl->journal_cap * sizeof(*dl->journal));
    }
    op = dl->journal + dl->journal_len++;
    op->is_put = is_put;
    op->key = mymemdup(key->mv_data, key->mv_size);
    op->key_len = key->mv_size;
    op->value = is_put ? mymemdup(value->mv_data, value->mv_size) : NULL;
    op->value_len = is_put ? value->mv_size : 0;
    dl->journal_bytes += op->key_len + op->value_len + sizeof(*op);
}

/* dict_lmdb_update_journal_clear - forget the journal after commit or abort */
void    dict_lmdb_update_journal_clear(DICT_LMDB *dl)
{
    size_t  n;

    for (n = 0; n < dl->journal_len; n++) {
	myfree(dl->journal[n].key);
	myfree(dl->journal[n].value);
    }
    dl->journal_len = 0;
    dl->journal_bytes = 0;
}

/* dict_lmdb_journal_replay - apply the journal to a fresh transaction */
static int dict_lmdb_journal_replay(DICT_LMDB *dl, MDB_txn *txn)
{
    MDB_val key;
    MDB_val value;
    size_t  n;
    int     rc;

    for (n = 0; n < dl->journal_len; n++) {
	key.mv_data = dl->journal[n].key;
	key.mv_size = dl->journal[n].key_len;
	if (dl->journal[n].is_put) {
	    value.mv_data = dl->journal[n].value;
	    value.mv_size = dl->journal[n].value_len;
	    rc = mdb_put(txn, dl->dbi, &key, &value, 0);
	} else {
	    rc = mdb_del(txn, dl->dbi, &key, NULL);
	    if (rc == MDB_NOTFOUND)
		rc = 0;
	}
	if (rc != 0)
	    return rc;
    }
    return 0;
}

/*
 * dict_lmdb_restart - after MAP_FULL: grow the map and redo the journal in
 * a new write transaction. *txn must have been aborted or freed.
 */
static int dict_lmdb_restart(DICT_LMDB *dl, MDB_txn **txn)
{
    int     rc;
    int     tries;

    for (tries = 0; tries < DICT_LMDB_MAX_RETRY; tries++) {
	if ((rc = dict_lmdb_grow(dl)) != 0)
	    return rc;
	if ((rc = dict_lmdb_txn_begin(dl, 0, txn)) != 0)
	    return rc;
	if ((rc = dict_lmdb_journal_replay(dl, *txn)) == 0)
	    return 0;
	mdb_txn_abort(*txn);
	*txn = NULL;
	if (rc != MDB_MAP_FULL)
	    return rc;
    }
    return MDB_MAP_FULL;
}

/* dict_lmdb_update_commit - commit *txn; see above */
int     dict_lmdb_update_commit(DICT_LMDB *dl, MDB_txn **txn)
{
    int     rc;
    int     tries;

    for (tries = 0; tries < DICT_LMDB_MAX_RETRY; tries++) {
	if (dict_lmdb_txn_lock(dl, MYFLOCK_OP_EXCLUSIVE) < 0) {
	    rc = errno;
	    mdb_txn_abort(*txn);
	    *txn = NULL;
	    return rc ? rc : EIO;
	}
	rc = mdb_txn_commit(*txn);
	*txn = NULL;
	(void) dict_lmdb_txn_lock(dl, MYFLOCK_OP_NONE);
	if (rc != MDB_MAP_FULL)
	    break;
	if ((rc = dict_lmdb_restart(dl, txn)) != 0)
	    break;
    }
    dict_lmdb_update_journal_clear(dl);
    return rc;
}

/* dict_lmdb_update_apply - apply one update to *txn; see above */
int     dict_lmdb_update_apply(DICT_LMDB *dl, MDB_txn **txn, bool is_put,
			              const char *key, const char *value,
			              int *status)
{
    int     rc = MDB_MAP_FULL;
    int     tries;

    for (tries = 0; tries < DICT_LMDB_MAX_RETRY; tries++) {
	rc = is_put ? dict_lmdb_record_put(dl, *txn, key, value, status) :
	    dict_lmdb_record_del(dl, *txn, key, status);
	if (rc != MDB_MAP_FULL)
	    break;
	mdb_txn_abort(*txn);
	*txn = NULL;
	if ((rc = dict_lmdb_restart(dl, txn)) != 0)
	    break;
	rc = MDB_MAP_FULL;
    }
    if (rc != 0 && *txn != NULL) {
	mdb_txn_abort(*txn);
	*txn = NULL;
    }
    return rc;
}

/* dict_lmdb_same_file - is path still the file that the table has open? */
static bool dict_lmdb_same_file(DICT_LMDB *dl)
{
    struct stat st;

    return stat(dl->path, &st) == 0 && st.st_dev == dl->data_dev
	&& st.st_ino == dl->data_ino;
}

/*
 * dict_lmdb_writer_begin - take the writers' lock (unless held) and make
 * sure the open file is the current table. Returns 0, or -1 with
 * dict->error set and a warning logged.
 */
static int dict_lmdb_writer_begin(DICT_LMDB *dl, bool *locked_here)
{
    VSTRING *why;
    int     ok;

    *locked_here = false;
    if (!dl->lockfile_held) {
	if (dict_lmdb_lockfile(dl, MYFLOCK_OP_EXCLUSIVE) < 0) {
	    msg_warn("%s:%s: lock %s: %m", dl->dict.type, dl->dict.name,
		     dl->lock_path);
	    dl->dict.error = DICT_ERR_RETRY;
	    return -1;
	}
	*locked_here = true;
    }
    if (dl->env != NULL && dict_lmdb_same_file(dl))
	return 0;

    /* postmap replaced (or removed) the table since we opened it. */
    why = vstring_alloc(100);
    if (access(dl->path, F_OK) < 0 && errno == ENOENT) {
	if (dl->dict.open_flags & O_CREAT) {
	    ok = dict_lmdb_build_empty(dl, why) == 0;
	} else {
	    vstring_sprintf(why, "open database %s: %m", dl->path);
	    ok = false;
	}
    } else {
	ok = true;
    }
    if (ok && dict_lmdb_env_open(dl, dl->path, 0, why) == 0) {
	dict_watch_inode(&dl->dict, dl->path, dl->data_fd);
	vstring_free(why);
	return 0;
    }
    msg_warn("%s:%s: %s", dl->dict.type, dl->dict.name, vstring_str(why));
    vstring_free(why);
    if (*locked_here)
	(void) dict_lmdb_lockfile(dl, MYFLOCK_OP_NONE);
    *locked_here = false;
    dl->dict.error = DICT_ERR_RETRY;
    return -1;
}

/*
 * dict_lmdb_write_in_place - one update as its own durable transaction.
 * Returns an LMDB status, or 0 with the result in *status.
 */
static int dict_lmdb_write_in_place(DICT_LMDB *dl, bool is_put,
				            const char *key, const char *value,
				            int *status)
{
    bool    locked_here;
    int     rc;

    if (dict_lmdb_writer_begin(dl, &locked_here) < 0)
	return DICT_LMDB_REPORTED;
    if ((rc = dict_lmdb_txn_begin(dl, 0, &dl->txn)) == 0) {
	rc = dict_lmdb_update_apply(dl, &dl->txn, is_put, key, value, status);
	if (rc == 0 && *status == DICT_STAT_SUCCESS) {
	    rc = dict_lmdb_update_commit(dl, &dl->txn);
	} else if (dl->txn != NULL) {
	    mdb_txn_abort(dl->txn);
	    dl->txn = NULL;
	}
    }
    dict_lmdb_update_journal_clear(dl);
    if (locked_here)
	(void) dict_lmdb_lockfile(dl, MYFLOCK_OP_NONE);
    return rc;
}

/* dict_lmdb_write - one update or delete, in the table's mode */
static int dict_lmdb_write(DICT_LMDB *dl, bool is_put, const char *key,
			           const char *value)
{
    int     status = DICT_STAT_ERROR;
    int     rc;

    if (dl->mode == DICT_LMDB_MODE_READ) {
	msg_warn("%s:%s: table is open read-only; cannot %s", dl->dict.type,
		 dl->dict.name, is_put ? "update" : "delete");
	dl->dict.error = DICT_ERR_CONFIG;
	return DICT_STAT_ERROR;
    }
    if (*key == 0) {
	if (!is_put)
	    return DICT_STAT_FAIL;
	msg_warn("%s:%s: empty key is not allowed", dl->dict.type,
		 dl->dict.name);
	dl->dict.error = DICT_ERR_CONFIG;
	return DICT_STAT_ERROR;
    }
    dl->seq_started = false;
    if (dl->mode == DICT_LMDB_MODE_UPDATE)
	rc = dict_lmdb_write_in_place(dl, is_put, key, value, &status);
    else
	rc = dict_lmdb_build_write(dl, is_put, key, value, &status);
    if (rc == 0)
	return status;
    if (rc != DICT_LMDB_REPORTED)
	dict_lmdb_fail(dl, is_put ? "update" : "delete", rc);
    return DICT_STAT_ERROR;
}

/* dict_lmdb_update - add a key, with duplicate handling */
int     dict_lmdb_update(DICT *dict, const char *key, const char *value)
{
    DICT_LMDB *dl = (DICT_LMDB *) dict;
    int     status;

    status = dict_lmdb_write(dl, true, key, value);
    if (status == DICT_STAT_FAIL && (dict->flags & DICT_FLAG_DUP_WARN)
	&& !(dict->flags & DICT_FLAG_DUP_IGNORE))
	msg_warn("%s:%s: duplicate entry: \"%s\"", dict->type, dict->name,
		 excerpt(key));
    return status;
}

/* dict_lmdb_delete - remove a key */
int     dict_lmdb_delete(DICT *dict, const char *key)
{
    return dict_lmdb_write((DICT_LMDB *) dict, false, key, NULL);
}

/*
 * dict_lmdb_lock - dict_lock(): writers lock the lock file, readers the
 * data file (shared). Batches and rebuilds hold their lock anyway.
 */
int     dict_lmdb_lock(DICT *dict, int op)
{
    DICT_LMDB *dl = (DICT_LMDB *) dict;
    int     ret;

    switch (dl->mode) {
    case DICT_LMDB_MODE_BATCH:
    case DICT_LMDB_MODE_REBUILD:
	return 0;
    case DICT_LMDB_MODE_UPDATE:
	if ((ret = dict_lmdb_lockfile(dl, op)) == 0)
	    dl->lockfile_held = (op & (MYFLOCK_OP_SHARED | MYFLOCK_OP_EXCLUSIVE))
		!= 0;
	return ret;
    default:
	if (dl->data_fd < 0)
	    return -1;
	if ((ret = myflock(dl->data_fd, MYFLOCK_STYLE_FCNTL, op)) == 0)
	    dl->data_lock_held = (op & (MYFLOCK_OP_SHARED | MYFLOCK_OP_EXCLUSIVE))
		!= 0;
	return ret;
    }
}
