/*
 * dict_lmdb_record - how the lmdb driver stores a key and its value
 *
 * SYNOPSIS
 *	#include "dict_lmdb_private.h"
 *
 *	int	dict_lmdb_record_get(DICT_LMDB *dl, MDB_txn *txn,
 *				const char *key, const char **value);
 *	int	dict_lmdb_record_put(DICT_LMDB *dl, MDB_txn *txn,
 *				const char *key, const char *value,
 *				int *status);
 *	int	dict_lmdb_record_del(DICT_LMDB *dl, MDB_txn *txn,
 *				const char *key, int *status);
 *	int	dict_lmdb_record_entry(DICT_LMDB *dl, const MDB_val *raw_key,
 *				const MDB_val *raw_value, size_t index,
 *				const char **key, const char **value);
 *
 *	DICT_LMDB_DIGEST_FN dict_lmdb_long_digest;
 *
 * DESCRIPTION
 *	This module maps table keys to LMDB records (the format is in
 *	docs/internals/lookup-tables.md):
 * .IP "keys of 1 to DICT_LMDB_KEY_LIMIT (511) bytes"
 *	One record whose LMDB key is the key itself and whose data is
 *	the value. A table built by Postfix has a null byte after key and
 *	value; such a record counts as the same key. Lookups try first the
 *	form that answered the last lookup.
 * .IP "longer keys"
 *	LMDB cannot store them as keys. They go into a long-key record
 *	whose LMDB key is the two bytes 0x00 0x01 and the SHA-256 digest
 *	of the key; its data is a list of entries, each the key length
 *	and the value length (four bytes, most significant first) with
 *	the key and the value after each. A lookup compares the whole
 *	key, so keys whose digests collide are separate entries of one
 *	record and never answer for each other. No other key starts with
 *	a null byte (keys are C strings, and the empty key is refused),
 *	so long-key records cannot be taken for anything else.
 * .PP
 *	dict_lmdb_record_get() finds key in txn and copies its value to
 *	dl->value_buf (*value points there).
 *
 *	dict_lmdb_record_put() stores key and value in txn: *status is
 *	DICT_STAT_SUCCESS, DICT_STAT_FAIL for an existing key without
 *	DICT_FLAG_DUP_REPLACE in dl->dict.flags, or DICT_STAT_ERROR for an
 *	entry that is too large (with a warning and DICT_ERR_CONFIG).
 *	dict_lmdb_record_del() removes key: *status is DICT_STAT_SUCCESS,
 *	or DICT_STAT_FAIL when it was not there. Both add what they change
 *	to the journal of the transaction.
 *
 *	dict_lmdb_record_entry() copies entry number index of the record
 *	raw_key/raw_value (from a cursor) to dl->key_buf and dl->value_buf:
 *	a plain record has one entry, a long-key record one per key. It
 *	returns 1, 0 when the record has no such entry, or -1.
 *
 *	The first three return an LMDB status (dict_lmdb_private.h).
 *
 *	dict_lmdb_long_digest computes the digest of a long key (SHA-256
 *	with OpenSSL's EVP interface); tests may replace it.
 *
 *	This module does not start or end transactions.
 * DIAGNOSTICS
 *	A long-key record that does not parse, or data outside the file:
 *	"<type>:<name>: corrupted database <path>: ..." (DICT_ERR_CONFIG).
 *	An entry too large for a record: a warning. Fatal: the digest
 *	cannot be computed (OpenSSL failure).
 */
#include "sys_defs.h"

#include <stdint.h>
#include <string.h>
#include <openssl/evp.h>

#include "msg.h"
#include "vstring.h"
#include "dict.h"
#include "dict_lmdb_private.h"

/* One entry of a long-key record, as parsed. */
typedef struct DICT_LMDB_ENTRY {
    const char *key;
    size_t  key_len;
    const char *value;
    size_t  value_len;
    size_t  offset;			/* of the entry in the record */
    size_t  size;			/* of the whole entry */
} DICT_LMDB_ENTRY;

#define DICT_LMDB_LEN_SIZE	4	/* one length field */
#define DICT_LMDB_ENTRY_MAX	UINT32_MAX	/* an entry, a record */

static const unsigned char dict_lmdb_long_tag[DICT_LMDB_LONG_TAG_LEN] = {0, 1};

/* dict_lmdb_sha256 - the digest of a long key */
static void dict_lmdb_sha256(const char *key, size_t len,
			             unsigned char *digest)
{
    unsigned int digest_len;

    if (EVP_Digest(key, len, digest, &digest_len, EVP_sha256(),
		   (ENGINE *) 0) != 1 || digest_len != DICT_LMDB_DIGEST_LEN)
	msg_fatal("dict_lmdb: cannot compute a SHA-256 digest");
}

DICT_LMDB_DIGEST_FN dict_lmdb_long_digest = dict_lmdb_sha256;

/* dict_lmdb_long_key - the LMDB key of the record that holds key */
static void dict_lmdb_long_key(const char *key, size_t len,
			               unsigned char *buf, MDB_val *raw)
{
    memcpy(buf, dict_lmdb_long_tag, DICT_LMDB_LONG_TAG_LEN);
    dict_lmdb_long_digest(key, len, buf + DICT_LMDB_LONG_TAG_LEN);
    raw->mv_data = buf;
    raw->mv_size = DICT_LMDB_LONG_KEY_LEN;
}

/* dict_lmdb_is_long - is this the LMDB key of a long-key record? */
static bool dict_lmdb_is_long(const MDB_val *raw)
{
    return raw->mv_size == DICT_LMDB_LONG_KEY_LEN
	&& memcmp(raw->mv_data, dict_lmdb_long_tag,
		  DICT_LMDB_LONG_TAG_LEN) == 0;
}

/* dict_lmdb_get_len - decode a length field */
static size_t dict_lmdb_get_len(const unsigned char *p)
{
    return ((size_t) p[0] << 24) | ((size_t) p[1] << 16)
	| ((size_t) p[2] << 8) | (size_t) p[3];
}

/* dict_lmdb_put_len - append a length field */
static void dict_lmdb_put_len(VSTRING *buf, size_t len)
{
    VSTRING_ADDCH(buf, (len >> 24) & 0xff);
    VSTRING_ADDCH(buf, (len >> 16) & 0xff);
    VSTRING_ADDCH(buf, (len >> 8) & 0xff);
    VSTRING_ADDCH(buf, len & 0xff);
}

/*
 * dict_lmdb_entry_next - parse the entry at *pos of a long-key record.
 * Returns 1 (and advances *pos), 0 at the end, -1 when it does not parse.
 */
static int dict_lmdb_entry_next(const MDB_val *rec, size_t *pos,
				        DICT_LMDB_ENTRY *ent)
{
    const unsigned char *data = rec->mv_data;
    size_t  left = rec->mv_size - *pos;

    if (left == 0)
	return 0;
    if (left < 2 * DICT_LMDB_LEN_SIZE)
	return -1;
    ent->offset = *pos;
    ent->key_len = dict_lmdb_get_len(data + *pos);
    ent->value_len = dict_lmdb_get_len(data + *pos + DICT_LMDB_LEN_SIZE);
    left -= 2 * DICT_LMDB_LEN_SIZE;
    if (ent->key_len <= DICT_LMDB_KEY_LIMIT || ent->key_len > left
	|| ent->value_len > left - ent->key_len)
	return -1;
    ent->key = (const char *) data + *pos + 2 * DICT_LMDB_LEN_SIZE;
    ent->value = ent->key + ent->key_len;
    ent->size = 2 * DICT_LMDB_LEN_SIZE + ent->key_len + ent->value_len;
    *pos += ent->size;
    return 1;
}

/*
 * dict_lmdb_long_find - find key in a long-key record. Returns 1 (found,
 * in *ent), 0, or -1 for a record that does not parse (reported).
 */
static int dict_lmdb_long_find(DICT_LMDB *dl, const MDB_val *rec,
			               const char *key, size_t len,
			               DICT_LMDB_ENTRY *ent)
{
    size_t  pos = 0;
    int     ok;

    if (!dict_lmdb_check_val(dl, rec))
	return -1;
    while ((ok = dict_lmdb_entry_next(rec, &pos, ent)) > 0)
	if (ent->key_len == len && memcmp(ent->key, key, len) == 0)
	    return 1;
    if (ok < 0 || rec->mv_size == 0) {
	dict_lmdb_corrupt(dl, "malformed long-key record");
	return -1;
    }
    return 0;
}

/* dict_lmdb_copy - copy a record's key or value, without a null byte */
static const char *dict_lmdb_copy(VSTRING *buf, const char *data, size_t len,
				          bool strip_null)
{
    if (strip_null && len > 0 && data[len - 1] == 0)
	len--;
    vstring_memcpy(buf, data, len);
    VSTRING_TERMINATE(buf);
    return vstring_str(buf);
}

/*
 * dict_lmdb_short_get - find a short key as is or with a null byte, in
 * the form that answered last time first: a table built by Postfix has
 * null bytes, but keys added by us have none.
 */
static int dict_lmdb_short_get(DICT_LMDB *dl, MDB_txn *txn, const char *key,
			               size_t len, MDB_val *val)
{
    MDB_val k;
    bool    with_null;
    int     pass;
    int     rc;

    k.mv_data = (void *) key;
    for (pass = 0; pass < 2; pass++) {
	with_null = (pass == 0) == dl->null_first;
	if (with_null && len >= DICT_LMDB_KEY_LIMIT)
	    continue;
	k.mv_size = len + with_null;
	if ((rc = mdb_get(txn, dl->dbi, &k, val)) == 0) {
	    dl->null_first = with_null;
	    return 0;
	}
	if (rc != MDB_NOTFOUND)
	    return rc;
    }
    return MDB_NOTFOUND;
}

/* dict_lmdb_record_get - find a key; see above */
int     dict_lmdb_record_get(DICT_LMDB *dl, MDB_txn *txn, const char *key,
			             const char **value)
{
    unsigned char raw_buf[DICT_LMDB_LONG_KEY_LEN];
    DICT_LMDB_ENTRY ent;
    MDB_val raw;
    MDB_val val;
    size_t  len = strlen(key);
    int     rc;

    if (len == 0)
	return MDB_NOTFOUND;
    if (len <= DICT_LMDB_KEY_LIMIT) {
	if ((rc = dict_lmdb_short_get(dl, txn, key, len, &val)) != 0)
	    return rc;
	if (!dict_lmdb_check_val(dl, &val))
	    return DICT_LMDB_REPORTED;
	*value = dict_lmdb_copy(dl->value_buf, val.mv_data, val.mv_size, true);
	return 0;
    }
    dict_lmdb_long_key(key, len, raw_buf, &raw);
    if ((rc = mdb_get(txn, dl->dbi, &raw, &val)) != 0)
	return rc;
    switch (dict_lmdb_long_find(dl, &val, key, len, &ent)) {
    case 1:
	*value = dict_lmdb_copy(dl->value_buf, ent.value, ent.value_len, false);
	return 0;
    case 0:
	return MDB_NOTFOUND;
    default:
	return DICT_LMDB_REPORTED;
    }
}

/*
 * dict_lmdb_short_check - before LMDB replaces or removes a record of an
 * existing file, check that the record is plausible: LMDB moves the
 * record's bytes without checking them. Returns an LMDB status.
 */
static int dict_lmdb_short_check(DICT_LMDB *dl, MDB_txn *txn, MDB_val *k)
{
    MDB_val old;
    int     rc;

    if (dl->mode == DICT_LMDB_MODE_REBUILD)
	return 0;				/* our own new file */
    if ((rc = mdb_get(txn, dl->dbi, k, &old)) == MDB_NOTFOUND)
	return 0;
    if (rc == 0 && !dict_lmdb_check_val(dl, &old))
	return DICT_LMDB_REPORTED;
    return rc;
}

/* dict_lmdb_short_put - store a key of up to DICT_LMDB_KEY_LIMIT bytes */
static int dict_lmdb_short_put(DICT_LMDB *dl, MDB_txn *txn, const char *key,
			               size_t len, const char *value,
			               int *status)
{
    MDB_val k;
    MDB_val v;
    MDB_val nk;
    MDB_val nv;
    unsigned flags;
    int     rc;

    k.mv_data = (void *) key;
    k.mv_size = len;
    v.mv_data = (void *) value;
    v.mv_size = strlen(value);
    flags = (dl->dict.flags & DICT_FLAG_DUP_REPLACE) ? 0 : MDB_NOOVERWRITE;

    /* The same key in a table built by Postfix has a null byte. */
    if (len < DICT_LMDB_KEY_LIMIT) {
	nk.mv_data = (void *) key;
	nk.mv_size = len + 1;
	if (flags == 0) {
	    if ((rc = dict_lmdb_short_check(dl, txn, &nk)) != 0)
		return rc;
	    if ((rc = mdb_del(txn, dl->dbi, &nk, NULL)) == 0)
		dict_lmdb_update_journal_add(dl, false, &nk, NULL);
	    else if (rc != MDB_NOTFOUND)
		return rc;
	} else if ((rc = mdb_get(txn, dl->dbi, &nk, &nv)) == 0) {
	    *status = DICT_STAT_FAIL;
	    return 0;
	} else if (rc != MDB_NOTFOUND) {
	    return rc;
	}
    }
    if (flags == 0 && (rc = dict_lmdb_short_check(dl, txn, &k)) != 0)
	return rc;
    rc = mdb_put(txn, dl->dbi, &k, &v, flags);
    if (rc == MDB_KEYEXIST) {
	*status = DICT_STAT_FAIL;
	return 0;
    }
    if (rc == 0) {
	*status = DICT_STAT_SUCCESS;
	dict_lmdb_update_journal_add(dl, true, &k, &v);
    }
    return rc;
}

/* dict_lmdb_long_store - write (or remove, when empty) a long-key record */
static int dict_lmdb_long_store(DICT_LMDB *dl, MDB_txn *txn, MDB_val *raw)
{
    MDB_val rec;
    int     rc;

    if (VSTRING_LEN(dl->record_buf) == 0) {
	if ((rc = mdb_del(txn, dl->dbi, raw, NULL)) == 0)
	    dict_lmdb_update_journal_add(dl, false, raw, NULL);
	return rc;
    }
    rec.mv_data = vstring_str(dl->record_buf);
    rec.mv_size = VSTRING_LEN(dl->record_buf);
    if ((rc = mdb_put(txn, dl->dbi, raw, &rec, 0)) == 0)
	dict_lmdb_update_journal_add(dl, true, raw, &rec);
    return rc;
}

/* dict_lmdb_long_entry - append an entry to dl->record_buf */
static void dict_lmdb_long_entry(DICT_LMDB *dl, const char *key, size_t len,
				         const char *value, size_t value_len)
{
    dict_lmdb_put_len(dl->record_buf, len);
    dict_lmdb_put_len(dl->record_buf, value_len);
    vstring_memcat(dl->record_buf, key, len);
    vstring_memcat(dl->record_buf, value, value_len);
}

/*
 * dict_lmdb_long_rewrite - the long-key record raw, changed, in
 * dl->record_buf: the entry of key replaced with key and value in its
 * place, or appended when key was not there; with a null value, the
 * entry removed. Returns an LMDB status; *found tells whether the key
 * was there.
 */
static int dict_lmdb_long_rewrite(DICT_LMDB *dl, MDB_txn *txn, MDB_val *raw,
			             const char *key, size_t len,
			             const char *value, size_t value_len,
				          bool *found)
{
    DICT_LMDB_ENTRY ent;
    MDB_val old;
    size_t  keep;
    int     rc;

    VSTRING_RESET(dl->record_buf);
    *found = false;
    if ((rc = mdb_get(txn, dl->dbi, raw, &old)) == MDB_NOTFOUND) {
	old.mv_data = (void *) "";
	old.mv_size = 0;
    } else if (rc != 0) {
	return rc;
    } else if ((rc = dict_lmdb_long_find(dl, &old, key, len, &ent)) < 0) {
	return DICT_LMDB_REPORTED;
    } else {
	*found = rc > 0;
    }
    keep = *found ? ent.offset : old.mv_size;
    vstring_memcat(dl->record_buf, old.mv_data, keep);
    if (value != NULL)
	dict_lmdb_long_entry(dl, key, len, value, value_len);
    if (*found)
	vstring_memcat(dl->record_buf, (char *) old.mv_data + keep + ent.size,
		       old.mv_size - keep - ent.size);
    return 0;
}

/* dict_lmdb_long_put - store a long key in its long-key record */
static int dict_lmdb_long_put(DICT_LMDB *dl, MDB_txn *txn, const char *key,
			              size_t len, const char *value,
			              int *status)
{
    unsigned char raw_buf[DICT_LMDB_LONG_KEY_LEN];
    MDB_val raw;
    size_t  value_len = strlen(value);
    bool    found;
    int     rc;

    if (len > DICT_LMDB_ENTRY_MAX - 2 * DICT_LMDB_LEN_SIZE
	|| value_len > DICT_LMDB_ENTRY_MAX - 2 * DICT_LMDB_LEN_SIZE - len) {
	msg_warn("%s:%s: entry is too large: \"%.100s...\"",
		 dl->dict.type, dl->dict.name, key);
	dl->dict.error = DICT_ERR_CONFIG;
	*status = DICT_STAT_ERROR;
	return 0;
    }
    dict_lmdb_long_key(key, len, raw_buf, &raw);
    if ((rc = dict_lmdb_long_rewrite(dl, txn, &raw, key, len, value,
				     value_len, &found)) != 0)
	return rc;
    if (found && !(dl->dict.flags & DICT_FLAG_DUP_REPLACE)) {
	*status = DICT_STAT_FAIL;
	return 0;
    }
    if (VSTRING_LEN(dl->record_buf) > DICT_LMDB_ENTRY_MAX) {
	msg_warn("%s:%s: long-key record would exceed %zu bytes: \"%.100s...\"",
		 dl->dict.type, dl->dict.name, (size_t) DICT_LMDB_ENTRY_MAX, key);
	dl->dict.error = DICT_ERR_CONFIG;
	*status = DICT_STAT_ERROR;
	return 0;
    }
    if ((rc = dict_lmdb_long_store(dl, txn, &raw)) == 0)
	*status = DICT_STAT_SUCCESS;
    return rc;
}

/* dict_lmdb_record_put - store a key; see above */
int     dict_lmdb_record_put(DICT_LMDB *dl, MDB_txn *txn, const char *key,
			             const char *value, int *status)
{
    size_t  len = strlen(key);

    if (len <= DICT_LMDB_KEY_LIMIT)
	return dict_lmdb_short_put(dl, txn, key, len, value, status);
    return dict_lmdb_long_put(dl, txn, key, len, value, status);
}

/* dict_lmdb_record_del - remove a key; see above */
int     dict_lmdb_record_del(DICT_LMDB *dl, MDB_txn *txn, const char *key,
			             int *status)
{
    unsigned char raw_buf[DICT_LMDB_LONG_KEY_LEN];
    MDB_val k;
    size_t  len = strlen(key);
    bool    found;
    int     rc;

    *status = DICT_STAT_FAIL;
    if (len > DICT_LMDB_KEY_LIMIT) {
	dict_lmdb_long_key(key, len, raw_buf, &k);
	if ((rc = dict_lmdb_long_rewrite(dl, txn, &k, key, len, NULL, 0,
					 &found)) != 0 || !found)
	    return rc;
	if ((rc = dict_lmdb_long_store(dl, txn, &k)) == 0)
	    *status = DICT_STAT_SUCCESS;
	return rc;
    }
    k.mv_data = (void *) key;
    k.mv_size = len;
    if ((rc = dict_lmdb_short_check(dl, txn, &k)) == 0)
	rc = mdb_del(txn, dl->dbi, &k, NULL);
    if (rc == MDB_NOTFOUND && len < DICT_LMDB_KEY_LIMIT) {
	/* A table built by Postfix has null-terminated keys. */
	k.mv_size += 1;
	if ((rc = dict_lmdb_short_check(dl, txn, &k)) == 0)
	    rc = mdb_del(txn, dl->dbi, &k, NULL);
    }
    if (rc == MDB_NOTFOUND)
	return 0;
    if (rc == 0) {
	*status = DICT_STAT_SUCCESS;
	dict_lmdb_update_journal_add(dl, false, &k, NULL);
    }
    return rc;
}

/* dict_lmdb_record_entry - one entry of a record; see above */
int     dict_lmdb_record_entry(DICT_LMDB *dl, const MDB_val *raw_key,
			               const MDB_val *raw_value, size_t index,
			               const char **key, const char **value)
{
    DICT_LMDB_ENTRY ent;
    size_t  pos = 0;
    size_t  n;
    int     ok = 0;

    if (!dict_lmdb_check_val(dl, raw_key)
	|| !dict_lmdb_check_val(dl, raw_value))
	return -1;
    if (!dict_lmdb_is_long(raw_key)) {
	if (index > 0)
	    return 0;
	*key = dict_lmdb_copy(dl->key_buf, raw_key->mv_data,
			      raw_key->mv_size, true);
	*value = dict_lmdb_copy(dl->value_buf, raw_value->mv_data,
				raw_value->mv_size, true);
	return 1;
    }
    for (n = 0; n <= index; n++)
	if ((ok = dict_lmdb_entry_next(raw_value, &pos, &ent)) <= 0)
	    break;
    if (ok < 0 || raw_value->mv_size == 0) {
	dict_lmdb_corrupt(dl, "malformed long-key record");
	return -1;
    }
    if (ok == 0)
	return 0;
    *key = dict_lmdb_copy(dl->key_buf, ent.key, ent.key_len, false);
    *value = dict_lmdb_copy(dl->value_buf, ent.value, ent.value_len, false);
    return 1;
}
