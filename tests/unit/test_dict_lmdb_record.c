/*
 * test_dict_lmdb_record - unit tests for dict_lmdb_record(3): keys of
 * any length in lmdb: tables
 *
 *	Keys of 511 bytes are stored as they are; longer keys go into
 *	long-key records under a digest. Each length is tried in every
 *	mode (rebuild, batch, in-place update, delete, lookup, sequence,
 *	tables built by Postfix), then the record format itself, forced
 *	digest collisions and damaged long-key records.
 */
#include "sys_defs.h"

#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <lmdb.h>
#include <openssl/evp.h>

#include "msg.h"
#include "mymalloc.h"
#include "argv.h"
#include "vstring.h"
#include "stringops.h"
#include "excerpt.h"
#include "dict.h"
#include "dict_lmdb.h"
#include "dict_lmdb_private.h"
#include "test_support.h"
#include "test_dict_support.h"

static const size_t key_lengths[] = {511, 512, 4000, 100000};

/* make_key - len bytes of c (caller frees) */
static char *make_key(size_t len, int c)
{
    char   *key = mymalloc(len + 1);

    memset(key, c, len);
    key[len] = 0;
    return key;
}

/* sorted_listing - the table's "key=value" lines in byte order */
static char *sorted_listing(DICT *dict)
{
    char   *text = test_dict_listing(dict);
    ARGV   *lines = argv_split(text, "\n");
    char   *result;

    argv_sort(lines);
    result = argv_join(lines, "\n");
    argv_free(lines);
    myfree(text);
    return result;
}

/* expected_listing - sorted "key=value" lines of pairs (NULL-terminated) */
static char *expected_listing(const char **pairs)
{
    ARGV   *lines = argv_alloc(10);
    VSTRING *line = vstring_alloc(100);
    char   *result;

    for (; pairs[0] != NULL; pairs += 2) {
	vstring_sprintf(line, "%s=%s", pairs[0], pairs[1]);
	argv_add(lines, vstring_str(line), (char *) 0);
    }
    argv_sort(lines);
    result = argv_join(lines, "\n");
    argv_free(lines);
    vstring_free(line);
    return result;
}

/* check_value - a lookup result (NULL: not found, without error) */
static void check_value(DICT *dict, const char *key, const char *value)
{
    const char *found = dict_get(dict, key);

    assert_int_equal(dict->error, DICT_ERR_NONE);
    if (value == NULL) {
	assert_null(found);
    } else {
	assert_non_null(found);
	assert_string_equal(found, value);
    }
}

/* check_listing - the table holds exactly these pairs */
static void check_listing(DICT *dict, const char **pairs)
{
    char   *want = expected_listing(pairs);
    char   *got = sorted_listing(dict);

    assert_int_equal(strlen(got), strlen(want));
    assert_string_equal(got, want);
    myfree(want);
    myfree(got);
}

/* check_table - a fresh reader finds the pairs, and only those */
static void check_table(const char *name, const char **pairs,
			         const char *absent)
{
    DICT   *dict = dict_open3("lmdb", name, O_RDONLY, DICT_FLAG_NONE);
    const char **p;

    for (p = pairs; p[0] != NULL; p += 2)
	check_value(dict, p[0], p[1]);
    check_value(dict, absent, NULL);
    check_listing(dict, pairs);
    dict_close(dict);
}

/* test_every_mode - keys of each length in every mode */
static void test_every_mode(void **state)
{
    size_t  n;

    (void) state;
    for (n = 0; n < ARRAY_LEN(key_lengths); n++) {
	char   *name = test_dict_table_name("modes");
	char   *key1 = make_key(key_lengths[n], 'a');
	char   *key2 = make_key(key_lengths[n], 'b');
	char   *absent = make_key(key_lengths[n], 'a');
	const char *pairs[7];
	DICT   *dict;
	DICT   *reader;
	VSTRING *expect = vstring_alloc(100);

	absent[key_lengths[n] - 1] = 'z';

	/* Rebuild, with duplicates. */
	dict = dict_open3("lmdb", name, O_RDWR | O_CREAT | O_TRUNC,
			  DICT_FLAG_BULK_UPDATE | DICT_FLAG_DUP_WARN);
	assert_int_equal(dict_put(dict, key1, "one"), DICT_STAT_SUCCESS);
	assert_int_equal(dict_put(dict, "short", "s"), DICT_STAT_SUCCESS);
	test_capture_start();
	assert_int_equal(dict_put(dict, key1, "dup"), DICT_STAT_FAIL);
	/* The message quotes the key through excerpt(3). */
	vstring_sprintf(expect, "warning: lmdb:%s: duplicate entry: \"%.*s...\"\n",
			name, EXCERPT_LIMIT, key1);
	assert_int_equal(strncmp(test_capture_text(), vstring_str(expect),
				 VSTRING_LEN(expect)), 0);
	assert_int_equal(strchr(test_capture_text(), '\n')
			 - test_capture_text() + 1, strlen(test_capture_text()));
	test_capture_stop();
	check_value(dict, key1, "one");	/* our own transaction */
	dict_close(dict);
	pairs[0] = key1, pairs[1] = "one", pairs[2] = "short", pairs[3] = "s";
	pairs[4] = NULL;
	check_table(name, pairs, absent);

	/* Batch: add, replace, delete. */
	dict = dict_open3("lmdb", name, O_RDWR, DICT_FLAG_BULK_UPDATE
			  | DICT_FLAG_DUP_REPLACE);
	assert_int_equal(dict_put(dict, key2, "two"), DICT_STAT_SUCCESS);
	assert_int_equal(dict_put(dict, key1, "ONE"), DICT_STAT_SUCCESS);
	assert_int_equal(dict_del(dict, "short"), DICT_STAT_SUCCESS);
	assert_int_equal(dict_del(dict, absent), DICT_STAT_FAIL);
	check_value(dict, key2, "two");
	dict_close(dict);
	pairs[0] = key1, pairs[1] = "ONE", pairs[2] = key2, pairs[3] = "two";
	pairs[4] = NULL;
	check_table(name, pairs, absent);

	/* In place, seen by an open reader at once. */
	reader = dict_open3("lmdb", name, O_RDONLY, DICT_FLAG_NONE);
	dict = dict_open3("lmdb", name, O_RDWR, DICT_FLAG_DUP_IGNORE);
	assert_int_equal(dict_put(dict, key1, "ignored"), DICT_STAT_FAIL);
	assert_int_equal(dict_del(dict, key2), DICT_STAT_SUCCESS);
	assert_int_equal(dict_del(dict, key2), DICT_STAT_FAIL);
	assert_int_equal(dict_put(dict, key2, "again"), DICT_STAT_SUCCESS);
	assert_int_equal(dict_put(dict, "x", "y"), DICT_STAT_SUCCESS);
	assert_int_equal(dict->error, DICT_ERR_NONE);
	check_value(reader, key2, "again");
	check_value(reader, key1, "ONE");
	dict_close(dict);
	dict_close(reader);
	pairs[0] = key1, pairs[1] = "ONE", pairs[2] = key2, pairs[3] = "again";
	pairs[4] = "x", pairs[5] = "y", pairs[6] = NULL;
	check_table(name, pairs, absent);

	/* hash: is the same file. */
	dict = dict_open3("hash", name, O_RDONLY, DICT_FLAG_NONE);
	check_value(dict, key2, "again");
	dict_close(dict);

	vstring_free(expect);
	myfree(key1);
	myfree(key2);
	myfree(absent);
	myfree(name);
    }
}

/* postfix_table - a table as Postfix writes it: "foo\0" = "bar\0" */
static void postfix_table(const char *path)
{
    MDB_env *env;
    MDB_txn *txn;
    MDB_dbi dbi;
    MDB_val k = {4, (void *) "foo"};
    MDB_val v = {4, (void *) "bar"};

    assert_int_equal(mdb_env_create(&env), 0);
    assert_int_equal(mdb_env_open(env, path, MDB_NOSUBDIR | MDB_NOLOCK,
				  0644), 0);
    assert_int_equal(mdb_txn_begin(env, NULL, 0, &txn), 0);
    assert_int_equal(mdb_dbi_open(txn, NULL, 0, &dbi), 0);
    assert_int_equal(mdb_put(txn, dbi, &k, &v, 0), 0);
    assert_int_equal(mdb_txn_commit(txn), 0);
    mdb_env_close(env);
}

/* test_postfix_tables - long keys in a table built by Postfix */
static void test_postfix_tables(void **state)
{
    size_t  n;

    (void) state;
    for (n = 0; n < ARRAY_LEN(key_lengths); n++) {
	char   *name = test_dict_table_name("pfx");
	char   *path = concatenate(name, ".lmdb", (char *) 0);
	char   *key = make_key(key_lengths[n], 'k');
	const char *pairs[7] = {"foo", "bar", key, "long", "new", "plain", NULL};
	DICT   *dict;

	postfix_table(path);
	dict = dict_open3("lmdb", name, O_RDWR, DICT_FLAG_BULK_UPDATE);
	assert_int_equal(dict_put(dict, key, "long"), DICT_STAT_SUCCESS);
	assert_int_equal(dict_put(dict, "new", "plain"), DICT_STAT_SUCCESS);
	dict_close(dict);

	/* After a key with a null byte, keys without one are still found. */
	dict = dict_open3("lmdb", name, O_RDONLY, DICT_FLAG_NONE);
	check_value(dict, "foo", "bar");
	check_value(dict, key, "long");
	check_value(dict, "foo", "bar");
	check_value(dict, "new", "plain");
	check_value(dict, "foo", "bar");
	check_value(dict, "none", NULL);
	check_listing(dict, pairs);
	dict_close(dict);

	dict = dict_open3("lmdb", name, O_RDWR, DICT_FLAG_DUP_REPLACE);
	assert_int_equal(dict_put(dict, key, "replaced"), DICT_STAT_SUCCESS);
	check_value(dict, key, "replaced");
	assert_int_equal(dict_del(dict, key), DICT_STAT_SUCCESS);
	assert_int_equal(dict_del(dict, "foo"), DICT_STAT_SUCCESS);
	pairs[0] = "new", pairs[1] = "plain", pairs[2] = NULL;
	check_listing(dict, pairs);
	dict_close(dict);
	myfree(key);
	myfree(path);
	myfree(name);
    }
}

/* raw_get - a record of the file, by its LMDB key; false if absent */
static bool raw_get(const char *path, const void *key, size_t key_len,
		            VSTRING *value, size_t *records)
{
    MDB_env *env;
    MDB_txn *txn;
    MDB_dbi dbi;
    MDB_stat st;
    MDB_val k = {key_len, (void *) key};
    MDB_val v;
    int     rc;

    assert_int_equal(mdb_env_create(&env), 0);
    assert_int_equal(mdb_env_open(env, path, MDB_NOSUBDIR | MDB_RDONLY
				  | MDB_NOLOCK, 0644), 0);
    assert_int_equal(mdb_txn_begin(env, NULL, MDB_RDONLY, &txn), 0);
    assert_int_equal(mdb_dbi_open(txn, NULL, 0, &dbi), 0);
    if ((rc = mdb_get(txn, dbi, &k, &v)) == 0)
	vstring_memcpy(value, v.mv_data, v.mv_size);
    else
	assert_int_equal(rc, MDB_NOTFOUND);
    assert_int_equal(mdb_stat(txn, dbi, &st), 0);
    *records = st.ms_entries;
    mdb_txn_abort(txn);
    mdb_env_close(env);
    return rc == 0;
}

/* long_record_key - 0x00 0x01 and the SHA-256 of key */
static void long_record_key(const char *key, unsigned char *buf)
{
    unsigned int len;

    buf[0] = 0;
    buf[1] = 1;
    assert_int_equal(EVP_Digest(key, strlen(key), buf + 2, &len, EVP_sha256(),
				NULL), 1);
    assert_int_equal(len, 32);
}

/* append_entry - the bytes of one long-key record entry */
static void append_entry(VSTRING *buf, const char *key, const char *value)
{
    size_t  lens[2] = {strlen(key), strlen(value)};
    int     n;

    for (n = 0; n < 2; n++) {
	VSTRING_ADDCH(buf, (lens[n] >> 24) & 0xff);
	VSTRING_ADDCH(buf, (lens[n] >> 16) & 0xff);
	VSTRING_ADDCH(buf, (lens[n] >> 8) & 0xff);
	VSTRING_ADDCH(buf, lens[n] & 0xff);
    }
    vstring_strcat(buf, key);
    vstring_strcat(buf, value);
}

/* test_record_format - what the file holds for each key length */
static void test_record_format(void **state)
{
    size_t  n;

    (void) state;
    for (n = 0; n < ARRAY_LEN(key_lengths); n++) {
	char   *name = test_dict_table_name("fmt");
	char   *path = concatenate(name, ".lmdb", (char *) 0);
	char   *key = make_key(key_lengths[n], 'q');
	unsigned char raw[34];
	VSTRING *got = vstring_alloc(100);
	VSTRING *want = vstring_alloc(100);
	size_t  records;
	DICT   *dict;

	dict = dict_open3("lmdb", name, O_RDWR | O_CREAT | O_TRUNC,
			  DICT_FLAG_BULK_UPDATE);
	assert_int_equal(dict_put(dict, key, "value"), DICT_STAT_SUCCESS);
	dict_close(dict);
	long_record_key(key, raw);
	if (key_lengths[n] <= 511) {
	    assert_true(raw_get(path, key, strlen(key), got, &records));
	    assert_int_equal(VSTRING_LEN(got), 5);
	    assert_memory_equal(vstring_str(got), "value", 5);
	    assert_false(raw_get(path, raw, sizeof(raw), got, &records));
	} else {
	    assert_true(raw_get(path, raw, sizeof(raw), got, &records));
	    append_entry(want, key, "value");
	    assert_int_equal(VSTRING_LEN(got), VSTRING_LEN(want));
	    assert_memory_equal(vstring_str(got), vstring_str(want),
				VSTRING_LEN(want));
	}
	assert_int_equal(records, 1);
	vstring_free(got);
	vstring_free(want);
	myfree(key);
	myfree(path);
	myfree(name);
    }
}

/* same_digest - a digest that makes every long key collide */
static void same_digest(const char *key, size_t len, unsigned char *digest)
{
    (void) key;
    (void) len;
    memset(digest, 0x5a, DICT_LMDB_DIGEST_LEN);
}

/* test_collisions - keys with one digest never answer for each other */
static void test_collisions(void **state)
{
    char   *name = test_dict_table_name("coll");
    char   *path = concatenate(name, ".lmdb", (char *) 0);
    char   *a = make_key(600, 'a');
    char   *b = make_key(600, 'b');
    char   *c = make_key(5000, 'c');
    char   *d = make_key(512, 'd');
    char   *e = make_key(100000, 'e');
    char   *absent = make_key(601, 'a');
    unsigned char raw[DICT_LMDB_LONG_KEY_LEN];
    const char *pairs[11];
    VSTRING *got = vstring_alloc(100);
    VSTRING *want = vstring_alloc(100);
    size_t  records;
    DICT   *dict;
    DICT_LMDB_DIGEST_FN saved = dict_lmdb_long_digest;

    (void) state;
    dict_lmdb_long_digest = same_digest;
    raw[0] = 0;
    raw[1] = 1;
    same_digest("", 0, raw + 2);

    /* Rebuild: four keys in one record, in the order added. */
    dict = dict_open3("lmdb", name, O_RDWR | O_CREAT | O_TRUNC,
		      DICT_FLAG_BULK_UPDATE);
    assert_int_equal(dict_put(dict, a, "A"), DICT_STAT_SUCCESS);
    assert_int_equal(dict_put(dict, "m", "short"), DICT_STAT_SUCCESS);
    assert_int_equal(dict_put(dict, b, "B"), DICT_STAT_SUCCESS);
    assert_int_equal(dict_put(dict, c, "C"), DICT_STAT_SUCCESS);
    assert_int_equal(dict_put(dict, d, "D"), DICT_STAT_SUCCESS);
    assert_int_equal(dict_put(dict, b, "dup"), DICT_STAT_FAIL);
    dict_close(dict);
    assert_true(raw_get(path, raw, sizeof(raw), got, &records));
    assert_int_equal(records, 2);
    append_entry(want, a, "A");
    append_entry(want, b, "B");
    append_entry(want, c, "C");
    append_entry(want, d, "D");
    assert_int_equal(VSTRING_LEN(got), VSTRING_LEN(want));
    assert_memory_equal(vstring_str(got), vstring_str(want), VSTRING_LEN(want));
    pairs[0] = a, pairs[1] = "A", pairs[2] = b, pairs[3] = "B";
    pairs[4] = c, pairs[5] = "C", pairs[6] = d, pairs[7] = "D";
    pairs[8] = "m", pairs[9] = "short", pairs[10] = NULL;
    check_table(name, pairs, absent);

    /* Batch and in place: replace, delete in the middle, add. */
    dict = dict_open3("lmdb", name, O_RDWR, DICT_FLAG_BULK_UPDATE
		      | DICT_FLAG_DUP_REPLACE);
    assert_int_equal(dict_put(dict, b, "B2"), DICT_STAT_SUCCESS);
    assert_int_equal(dict_put(dict, e, "E"), DICT_STAT_SUCCESS);
    dict_close(dict);
    dict = dict_open3("lmdb", name, O_RDWR, DICT_FLAG_NONE);
    assert_int_equal(dict_del(dict, c), DICT_STAT_SUCCESS);
    assert_int_equal(dict_del(dict, c), DICT_STAT_FAIL);
    assert_int_equal(dict_del(dict, absent), DICT_STAT_FAIL);
    assert_int_equal(dict_put(dict, a, "no"), DICT_STAT_FAIL);
    dict_close(dict);
    pairs[0] = a, pairs[1] = "A", pairs[2] = b, pairs[3] = "B2";
    pairs[4] = d, pairs[5] = "D", pairs[6] = e, pairs[7] = "E";
    check_table(name, pairs, absent);
    VSTRING_RESET(want);
    append_entry(want, a, "A");
    append_entry(want, b, "B2");
    append_entry(want, d, "D");
    append_entry(want, e, "E");
    assert_true(raw_get(path, raw, sizeof(raw), got, &records));
    assert_int_equal(VSTRING_LEN(got), VSTRING_LEN(want));
    assert_memory_equal(vstring_str(got), vstring_str(want), VSTRING_LEN(want));

    /* The last entry removed takes the record with it. */
    dict = dict_open3("lmdb", name, O_RDWR, DICT_FLAG_NONE);
    assert_int_equal(dict_del(dict, e), DICT_STAT_SUCCESS);
    assert_int_equal(dict_del(dict, a), DICT_STAT_SUCCESS);
    assert_int_equal(dict_del(dict, d), DICT_STAT_SUCCESS);
    assert_int_equal(dict_del(dict, b), DICT_STAT_SUCCESS);
    dict_close(dict);
    assert_false(raw_get(path, raw, sizeof(raw), got, &records));
    assert_int_equal(records, 1);

    dict_lmdb_long_digest = saved;
    vstring_free(got);
    vstring_free(want);
    myfree(a);
    myfree(b);
    myfree(c);
    myfree(d);
    myfree(e);
    myfree(absent);
    myfree(path);
    myfree(name);
}

/* test_damaged_record - a long-key record that does not parse */
static void test_damaged_record(void **state)
{
    char   *name = test_dict_table_name("dmg");
    char   *path = concatenate(name, ".lmdb", (char *) 0);
    char   *key = make_key(600, 'x');
    VSTRING *expect = vstring_alloc(100);
    DICT   *dict;
    const char *k;
    const char *v;
    unsigned char raw[DICT_LMDB_LONG_KEY_LEN];
    MDB_env *env;
    MDB_txn *txn;
    MDB_dbi dbi;
    MDB_val rk = {sizeof(raw), raw};
    /* An entry that claims a key of 600 bytes and holds one byte. */
    MDB_val rv = {9, (void *) "\0\0\2\x58\0\0\0\1x"};
    int     op;

    (void) state;
    long_record_key(key, raw);
    assert_int_equal(mdb_env_create(&env), 0);
    assert_int_equal(mdb_env_open(env, path, MDB_NOSUBDIR | MDB_NOLOCK,
				  0644), 0);
    assert_int_equal(mdb_txn_begin(env, NULL, 0, &txn), 0);
    assert_int_equal(mdb_dbi_open(txn, NULL, 0, &dbi), 0);
    assert_int_equal(mdb_put(txn, dbi, &rk, &rv, 0), 0);
    assert_int_equal(mdb_txn_commit(txn), 0);
    mdb_env_close(env);

    vstring_sprintf(expect, "warning: lmdb:%s: corrupted database %s: "
		    "malformed long-key record\n", name, path);
    for (op = 0; op < 4; op++) {
	dict = dict_open3("lmdb", name, op < 2 ? O_RDONLY : O_RDWR,
			  DICT_FLAG_DUP_REPLACE);
	test_capture_start();
	if (op == 0)
	    assert_null(dict_get(dict, key));
	else if (op == 1)
	    assert_int_equal(dict_seq(dict, DICT_SEQ_FUN_FIRST, &k, &v),
			     DICT_STAT_ERROR);
	else if (op == 2)
	    assert_int_equal(dict_put(dict, key, "new"), DICT_STAT_ERROR);
	else
	    assert_int_equal(dict_del(dict, key), DICT_STAT_ERROR);
	assert_int_equal(dict->error, DICT_ERR_CONFIG);
	assert_string_equal(test_capture_text(), vstring_str(expect));
	test_capture_stop();
	dict_close(dict);
    }
    vstring_free(expect);
    myfree(key);
    myfree(path);
    myfree(name);
}

/* main - run the tests */
int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_every_mode),
	cmocka_unit_test(test_postfix_tables),
	cmocka_unit_test(test_record_format),
	cmocka_unit_test(test_collisions),
	cmocka_unit_test(test_damaged_record),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
