/*
 * dict_lmdb_lookup - lookup and sequence of lmdb: tables
 *
 * SYNOPSIS
 *	#include "dict_lmdb_private.h"
 *
 *	const char *dict_lmdb_lookup(DICT *dict, const char *key);
 *	int	dict_lmdb_sequence(DICT *dict, int function,
 *				const char **key, const char **value);
 *
 * DESCRIPTION
 *	dict_lmdb_lookup() and dict_lmdb_sequence() are the dict_get() and
 *	dict_seq() methods of the lmdb driver (see dict_lmdb.h). Each call
 *	is one short read transaction under a shared lock on byte 0 of the
 *	data file, or, in a batch or rebuild, part of the open write
 *	transaction (so that it sees the updates made so far).
 *
 *	A sequence step continues after the LMDB key of the previous step
 *	(and, in a long-key record, after the entry that it returned), so
 *	no lock or transaction is held between calls.
 *
 *	This module does not decode records (dict_lmdb_record.c).
 * DIAGNOSTICS
 *	LMDB errors and damage: warnings that name the file, with
 *	dict->error set (DICT_ERR_CONFIG for damage, else DICT_ERR_RETRY).
 *	A sequence that finds keys out of order stops with an error.
 */
#include "sys_defs.h"

#include <errno.h>

#include "msg.h"
#include "vstring.h"
#include "myflock.h"
#include "dict.h"
#include "dict_lmdb_private.h"

/* dict_lmdb_read_begin - a transaction for reading (shared lock held) */
static int dict_lmdb_read_begin(DICT_LMDB *dl, MDB_txn **txn)
{
    int     rc;

    if (dl->txn != NULL) {
	*txn = dl->txn;				/* see our own updates */
	return 0;
    }
    if (dl->env == NULL)
	return EBADF;
    if (dict_lmdb_txn_lock(dl, MYFLOCK_OP_SHARED) < 0)
	return errno ? errno : EIO;
    if ((rc = dict_lmdb_txn_begin(dl, MDB_RDONLY, txn)) != 0)
	(void) dict_lmdb_txn_lock(dl, MYFLOCK_OP_NONE);
    return rc;
}

/* dict_lmdb_read_end - end a transaction from dict_lmdb_read_begin() */
static void dict_lmdb_read_end(DICT_LMDB *dl, MDB_txn *txn)
{
    if (txn != dl->txn) {
	mdb_txn_abort(txn);
	(void) dict_lmdb_txn_lock(dl, MYFLOCK_OP_NONE);
    }
}

/* dict_lmdb_lookup - find a key */
const char *dict_lmdb_lookup(DICT *dict, const char *key)
{
    DICT_LMDB *dl = (DICT_LMDB *) dict;
    const char *value = NULL;
    MDB_txn *txn;
    int     rc;

    if ((rc = dict_lmdb_read_begin(dl, &txn)) != 0) {
	dict_lmdb_fail(dl, "begin read transaction", rc);
	return NULL;
    }
    rc = dict_lmdb_record_get(dl, txn, key, &value);
    dict_lmdb_read_end(dl, txn);
    if (rc != 0 && rc != MDB_NOTFOUND && rc != DICT_LMDB_REPORTED)
	dict_lmdb_fail(dl, "lookup", rc);
    return rc == 0 ? value : NULL;
}

/*
 * dict_lmdb_sequence_step - find the next entry with an open cursor.
 * Returns an LMDB status; on success the entry is in *key and *value,
 * and its position in dl->seq_key and dl->seq_entry.
 */
static int dict_lmdb_sequence_step(DICT_LMDB *dl, MDB_txn *txn,
				           MDB_cursor *cursor, int function,
				           const char **key, const char **value)
{
    MDB_val k;
    MDB_val v;
    MDB_val prev;
    size_t  entry = 0;
    int     rc;
    int     got;

    if (function == DICT_SEQ_FUN_FIRST) {
	rc = mdb_cursor_get(cursor, &k, &v, MDB_FIRST);
    } else {
	prev.mv_data = k.mv_data = vstring_str(dl->seq_key);
	prev.mv_size = k.mv_size = VSTRING_LEN(dl->seq_key);
	rc = mdb_cursor_get(cursor, &k, &v, MDB_SET_RANGE);
	if (rc == 0 && mdb_cmp(txn, dl->dbi, &k, &prev) == 0) {
	    /* The next entry of the same long-key record, if any. */
	    entry = dl->seq_entry + 1;
	    got = dict_lmdb_record_entry(dl, &k, &v, entry, key, value);
	    if (got < 0)
		return DICT_LMDB_REPORTED;
	    if (got == 0) {
		entry = 0;
		rc = mdb_cursor_get(cursor, &k, &v, MDB_NEXT);
	    }
	}
	/* A damaged file must not send the walk in circles. */
	if (rc == 0 && entry == 0 && mdb_cmp(txn, dl->dbi, &k, &prev) <= 0) {
	    dict_lmdb_corrupt(dl, "keys out of order");
	    return DICT_LMDB_REPORTED;
	}
    }
    if (rc != 0)
	return rc;
    if (entry == 0
	&& dict_lmdb_record_entry(dl, &k, &v, 0, key, value) <= 0)
	return DICT_LMDB_REPORTED;
    vstring_memcpy(dl->seq_key, k.mv_data, k.mv_size);
    dl->seq_entry = entry;
    return 0;
}

/*
 * dict_lmdb_sequence - walk the table. Each step is its own short read
 * transaction that continues after the previous position.
 */
int     dict_lmdb_sequence(DICT *dict, int function, const char **key,
			           const char **value)
{
    DICT_LMDB *dl = (DICT_LMDB *) dict;
    MDB_txn *txn;
    MDB_cursor *cursor;
    int     rc;

    if (function == DICT_SEQ_FUN_NEXT && !dl->seq_started)
	return DICT_STAT_FAIL;
    dl->seq_started = false;
    if ((rc = dict_lmdb_read_begin(dl, &txn)) != 0) {
	dict_lmdb_fail(dl, "begin read transaction", rc);
	return DICT_STAT_ERROR;
    }
    if ((rc = mdb_cursor_open(txn, dl->dbi, &cursor)) == 0) {
	rc = dict_lmdb_sequence_step(dl, txn, cursor, function, key, value);
	mdb_cursor_close(cursor);
    }
    dict_lmdb_read_end(dl, txn);
    if (rc == 0) {
	dl->seq_started = true;
	return DICT_STAT_SUCCESS;
    }
    if (rc == MDB_NOTFOUND)
	return DICT_STAT_FAIL;
    if (rc != DICT_LMDB_REPORTED)
	dict_lmdb_fail(dl, "sequence", rc);
    return DICT_STAT_ERROR;
}
