/*
 * test_dict_lmdb - unit tests for dict_lmdb(3)
 */
#include "sys_defs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <lmdb.h>

#include "msg.h"
#include "mymalloc.h"
#include "vstring.h"
#include "stringops.h"
#include "mail_conf.h"
#include "mail_params.h"
#include "dict.h"
#include "dict_lmdb.h"
#include "test_support.h"
#include "test_dict_support.h"
#include "test_child.h"

/* build - create a table with the given entries ("key", "value", ..., NULL) */
static void build(const char *type, const char *name, int dict_flags, ...)
{
    DICT   *dict;
    va_list ap;
    const char *key;
    const char *value;

    dict = dict_open3(type, name, O_RDWR | O_CREAT | O_TRUNC,
		      dict_flags | DICT_FLAG_BULK_UPDATE);
    assert_string_equal(dict->type, type);
    va_start(ap, dict_flags);
    while ((key = va_arg(ap, const char *)) != NULL) {
	value = va_arg(ap, const char *);
	(void) dict_put(dict, key, value);
    }
    va_end(ap);
    dict_close(dict);
}

/* lookup - one key from a fresh read-only open; NULL when absent */
static char *lookup(const char *type, const char *name, const char *key,
		            int dict_flags)
{
    DICT   *dict = dict_open3(type, name, O_RDONLY, dict_flags);
    const char *value = dict_get(dict, key);
    char   *result = value ? mystrdup(value) : NULL;

    assert_int_equal(dict->error, DICT_ERR_NONE);
    dict_close(dict);
    return result;
}

/* list_table - test_dict_listing() of a fresh read-only open */
static char *list_table(const char *name)
{
    DICT   *dict = dict_open3("lmdb", name, O_RDONLY, DICT_FLAG_NONE);
    char   *result = test_dict_listing(dict);

    dict_close(dict);
    return result;
}

/* path_of - name + suffix */
static char *path_of(const char *name, const char *suffix)
{
    return concatenate(name, suffix, (char *) 0);
}

/* test_build_lookup_sequence - the basics, with key folding */
static void test_build_lookup_sequence(void **state)
{
    char   *name = test_dict_table_name("basic");
    char   *path = path_of(name, ".lmdb");
    char   *tmp = path_of(name, ".lmdb.tmp");
    char   *text;
    char   *value;

    (void) state;
    build("lmdb", name, DICT_FLAG_DUP_WARN | DICT_FLAG_FOLD_FIX,
	  "Foo", "bar", "baz", "qux quux", "\"a b\"", "c", (char *) 0);
    assert_true(test_file_exists(path));
    assert_false(test_file_exists(tmp));

    value = lookup("lmdb", name, "FOO", DICT_FLAG_FOLD_FIX);
    assert_string_equal(value, "bar");
    myfree(value);
    assert_null(lookup("lmdb", name, "FOO", DICT_FLAG_NONE));
    value = lookup("lmdb", name, "\"a b\"", DICT_FLAG_FOLD_FIX);
    assert_string_equal(value, "c");
    myfree(value);
    assert_null(lookup("lmdb", name, "nope", DICT_FLAG_FOLD_FIX));
    assert_null(lookup("lmdb", name, "", DICT_FLAG_FOLD_FIX));

    text = list_table(name);
    assert_string_equal(text, "\"a b\"=c\nbaz=qux quux\nfoo=bar\n");
    myfree(text);

    /* hash: and btree: are the same file. */
    value = lookup("hash", name, "baz", DICT_FLAG_NONE);
    assert_string_equal(value, "qux quux");
    myfree(value);
    value = lookup("btree", name, "baz", DICT_FLAG_NONE);
    assert_string_equal(value, "qux quux");
    myfree(value);

    /* Keys are stored without a null byte. */
    {
	MDB_env *env;
	MDB_txn *txn;
	MDB_dbi dbi;
	MDB_val k = {3, (void *) "baz"};
	MDB_val v;

	assert_int_equal(mdb_env_create(&env), 0);
	assert_int_equal(mdb_env_open(env, path, MDB_NOSUBDIR | MDB_RDONLY
				      | MDB_NOLOCK, 0644), 0);
	assert_int_equal(mdb_txn_begin(env, NULL, MDB_RDONLY, &txn), 0);
	assert_int_equal(mdb_dbi_open(txn, NULL, 0, &dbi), 0);
	assert_int_equal(mdb_get(txn, dbi, &k, &v), 0);
	assert_int_equal(v.mv_size, 8);
	assert_memory_equal(v.mv_data, "qux quux", 8);
	mdb_txn_abort(txn);
	mdb_env_close(env);
    }
    myfree(name);
    myfree(path);
    myfree(tmp);
}

/* test_duplicates - DICT_FLAG_DUP_* in rebuild and update modes */
static void test_duplicates(void **state)
{
    static const struct {
	int     flags;
	const char *value;		/* after "k=one" then "k=two" */
	int     status;			/* of the second put */
	const char *log;
    } cases[] = {
	{DICT_FLAG_DUP_WARN, "one", DICT_STAT_FAIL,
	"warning: lmdb:%s: duplicate entry: \"k\"\n"},
	{DICT_FLAG_DUP_IGNORE, "one", DICT_STAT_FAIL, ""},
	{DICT_FLAG_DUP_REPLACE, "two", DICT_STAT_SUCCESS, ""},
	{DICT_FLAG_NONE, "one", DICT_STAT_FAIL, ""},
    };
    size_t  n;
    int     pass;

    (void) state;
    for (pass = 0; pass < 2; pass++) {
	for (n = 0; n < ARRAY_LEN(cases); n++) {
	    char   *name = test_dict_table_name("dup");
	    VSTRING *expect = vstring_alloc(100);
	    DICT   *dict;
	    char   *value;

	    dict = dict_open3("lmdb", name, pass == 0 ?
			      O_RDWR | O_CREAT | O_TRUNC : O_RDWR | O_CREAT,
			      cases[n].flags);
	    assert_int_equal(dict_put(dict, "k", "one"), DICT_STAT_SUCCESS);
	    test_capture_start();
	    assert_int_equal(dict_put(dict, "k", "two"), cases[n].status);
	    vstring_sprintf(expect, cases[n].log, name);
	    assert_string_equal(test_capture_text(), vstring_str(expect));
	    test_capture_stop();
	    dict_close(dict);
	    value = lookup("lmdb", name, "k", DICT_FLAG_NONE);
	    assert_string_equal(value, cases[n].value);
	    myfree(value);
	    vstring_free(expect);
	    myfree(name);
	}
    }
}

/* test_update_delete - in-place updates, deletes, batches */
static void test_update_delete(void **state)
{
    char   *name = test_dict_table_name("upd");
    char   *text;
    DICT   *reader;
    DICT   *writer;
    const char *value;

    (void) state;
    build("lmdb", name, DICT_FLAG_DUP_WARN, "a", "1", "b", "2", (char *) 0);
    reader = dict_open3("lmdb", name, O_RDONLY, DICT_FLAG_LOCK);
    writer = dict_open3("lmdb", name, O_RDWR, DICT_FLAG_LOCK
			| DICT_FLAG_DUP_REPLACE);
    assert_int_equal(dict_put(writer, "c", "3"), DICT_STAT_SUCCESS);
    assert_int_equal(dict_put(writer, "a", "one"), DICT_STAT_SUCCESS);
    assert_int_equal(dict_del(writer, "b"), DICT_STAT_SUCCESS);
    assert_int_equal(dict_del(writer, "b"), DICT_STAT_FAIL);
    assert_int_equal(writer->error, DICT_ERR_NONE);
    assert_int_equal(dict_del(writer, ""), DICT_STAT_FAIL);

    /* The reader sees each committed update at once. */
    value = dict_get(reader, "c");
    assert_non_null(value);
    assert_string_equal(value, "3");
    value = dict_get(reader, "a");
    assert_string_equal(value, "one");
    assert_null(dict_get(reader, "b"));
    assert_int_equal(reader->error, DICT_ERR_NONE);

    /* A read-only table refuses updates. */
    test_capture_start();
    assert_int_equal(dict_put(reader, "x", "y"), DICT_STAT_ERROR);
    assert_int_equal(reader->error, DICT_ERR_CONFIG);
    text = concatenate("warning: lmdb:", name,
		       ": table is open read-only; cannot update\n", (char *) 0);
    assert_string_equal(test_capture_text(), text);
    test_capture_stop();
    myfree(text);
    dict_close(writer);
    dict_close(reader);

    /* A batch (postmap -i) becomes visible at close. */
    writer = dict_open3("lmdb", name, O_RDWR | O_CREAT,
			DICT_FLAG_BULK_UPDATE | DICT_FLAG_DUP_WARN);
    assert_int_equal(dict_put(writer, "d", "4"), DICT_STAT_SUCCESS);
    assert_int_equal(dict_del(writer, "c"), DICT_STAT_SUCCESS);
    value = dict_get(writer, "d");		/* our own update */
    assert_string_equal(value, "4");
    dict_close(writer);
    text = list_table(name);
    assert_string_equal(text, "a=one\nd=4\n");
    myfree(text);
    myfree(name);
}

/* test_create_missing - O_CREAT makes an empty table for updates */
static void test_create_missing(void **state)
{
    char   *name = test_dict_table_name("new");
    char   *path = path_of(name, ".lmdb");
    char   *text;
    DICT   *dict;

    (void) state;
    test_capture_start();
    dict = dict_open3("lmdb", name, O_RDWR, DICT_FLAG_NONE);
    text = concatenate("warning: lmdb:", name, " is unavailable. open database ",
		       path, ": No such file or directory\n", (char *) 0);
    assert_string_equal(test_capture_text(), text);
    test_capture_stop();
    myfree(text);
    dict_close(dict);

    dict = dict_open3("lmdb", name, O_RDWR | O_CREAT, DICT_FLAG_NONE);
    assert_true(test_file_exists(path));
    text = test_dict_listing(dict);
    assert_string_equal(text, "");
    myfree(text);
    assert_int_equal(dict_put(dict, "x", "y"), DICT_STAT_SUCCESS);
    dict_close(dict);
    text = list_table(name);
    assert_string_equal(text, "x=y\n");
    myfree(text);
    myfree(name);
    myfree(path);
}

/* test_replace_under_reader - a reader keeps the table it opened */
static void test_replace_under_reader(void **state)
{
    char   *name = test_dict_table_name("repl");
    char   *type_name = concatenate("lmdb:", name, (char *) 0);
    DICT   *reader;
    DICT   *shared;
    DICT   *writer;
    const char *value;
    char   *text;

    (void) state;
    build("lmdb", name, DICT_FLAG_NONE, "k", "old", (char *) 0);
    reader = dict_open3("lmdb", name, O_RDONLY, DICT_FLAG_LOCK);
    shared = dict_shared_open(type_name, O_RDONLY, DICT_FLAG_LOCK);
    writer = dict_open3("lmdb", name, O_RDWR, DICT_FLAG_LOCK
			| DICT_FLAG_DUP_REPLACE);
    assert_null(dict_changed_name());

    /* In-place updates are not a change that needs a restart. */
    assert_int_equal(dict_put(writer, "k2", "v2"), DICT_STAT_SUCCESS);
    sleep(1);
    assert_int_equal(dict_put(writer, "k3", "v3"), DICT_STAT_SUCCESS);
    assert_null(dict_changed_name());

    /* A rebuild is. */
    build("lmdb", name, DICT_FLAG_NONE, "k", "new", (char *) 0);
    value = dict_get(reader, "k");
    assert_string_equal(value, "old");
    value = dict_get(reader, "k3");
    assert_string_equal(value, "v3");
    assert_non_null(dict_changed_name());
    assert_string_equal(dict_changed_name(), type_name);

    /* A writer notices the new file and updates that one. */
    assert_int_equal(dict_put(writer, "k4", "v4"), DICT_STAT_SUCCESS);
    text = list_table(name);
    assert_string_equal(text, "k=new\nk4=v4\n");
    myfree(text);
    value = dict_get(reader, "k4");
    assert_null(value);

    dict_close(writer);
    dict_close(reader);
    dict_shared_close(shared);
    assert_null(dict_changed_name());
    myfree(type_name);
    myfree(name);
}

/* test_map_growth - more data than lmdb_map_size, in every write mode */
static void test_map_growth(void **state)
{
    char   *name = test_dict_table_name("grow");
    char   *path = path_of(name, ".lmdb");
    VSTRING *key = vstring_alloc(100);
    VSTRING *value = vstring_alloc(1000);
    DICT   *dict;
    struct stat st;
    const char *found;
    int     modes[] = {O_RDWR | O_CREAT | O_TRUNC, O_RDWR | O_CREAT, O_RDWR};
    int     bulk[] = {DICT_FLAG_BULK_UPDATE, DICT_FLAG_BULK_UPDATE, 0};
    int     mode;
    int     n;
    int     count = 0;

    (void) state;
    mail_conf_update("lmdb_map_size", "65536");
    mail_params_reset();
    for (mode = 0; mode < 3; mode++) {
	dict = dict_open3("lmdb", name, modes[mode], bulk[mode]
			  | DICT_FLAG_DUP_REPLACE);
	for (n = 0; n < (mode == 2 ? 200 : 3000); n++, count++) {
	    vstring_sprintf(key, "key%d", count);
	    vstring_sprintf(value, "%0500d", count);
	    assert_int_equal(dict_put(dict, vstring_str(key), vstring_str(value)),
			     DICT_STAT_SUCCESS);
	}
	dict_close(dict);
    }
    assert_int_equal(stat(path, &st), 0);
    assert_true(st.st_size > 65536 * 4);
    dict = dict_open3("lmdb", name, O_RDONLY, DICT_FLAG_NONE);
    for (n = 3000; n < count; n += 97) {
	vstring_sprintf(key, "key%d", n);
	vstring_sprintf(value, "%0500d", n);
	found = dict_get(dict, vstring_str(key));
	assert_non_null(found);
	assert_string_equal(found, vstring_str(value));
    }
    dict_close(dict);
    mail_conf_update("lmdb_map_size", "16777216");
    mail_params_reset();
    vstring_free(key);
    vstring_free(value);
    myfree(name);
    myfree(path);
}

/* test_damaged_files - open errors for files that are not tables */
static void test_damaged_files(void **state)
{
    static const struct {
	const char *content;
	ssize_t len;			/* -1: truncate a real table */
	const char *reason;
    } cases[] = {
	{"", 0, "MDB_INVALID: File is not an LMDB file"},
	{"hello\n", 6, "MDB_INVALID: File is not an LMDB file"},
	{NULL, 5000, "MDB_CORRUPTED: file is truncated (5000 bytes, need %lld)"},
    };
    size_t  n;
    int     fd;

    (void) state;
    for (n = 0; n < ARRAY_LEN(cases); n++) {
	char   *name = test_dict_table_name("bad");
	char   *path = path_of(name, ".lmdb");
	VSTRING *reason = vstring_alloc(100);
	VSTRING *expect = vstring_alloc(100);
	struct stat st;
	DICT   *dict;
	char   *buf;

	if (cases[n].content != NULL) {
	    test_write_file(path, cases[n].content);
	    vstring_strcpy(reason, cases[n].reason);
	} else {
	    VSTRING *big = vstring_alloc(1000);
	    DICT   *builder;
	    int     i;

	    builder = dict_open3("lmdb", name, O_RDWR | O_CREAT | O_TRUNC,
				 DICT_FLAG_BULK_UPDATE);
	    for (i = 0; i < 100; i++) {
		vstring_sprintf(big, "%0200d", i);
		(void) dict_put(builder, vstring_str(big), vstring_str(big));
	    }
	    dict_close(builder);
	    vstring_free(big);
	    assert_int_equal(stat(path, &st), 0);
	    vstring_sprintf(reason, cases[n].reason, (long long) st.st_size);
	    assert_int_equal(truncate(path, cases[n].len), 0);
	}
	vstring_sprintf(expect, "warning: lmdb:%s is unavailable. open database "
			"%s: %s\n", name, path, vstring_str(reason));
	test_capture_start();
	dict = dict_open3("lmdb", name, O_RDONLY, DICT_FLAG_NONE);
	assert_string_equal(test_capture_text(), vstring_str(expect));
	assert_null(dict_get(dict, "k"));
	assert_int_equal(dict->error, DICT_ERR_CONFIG);
	test_capture_stop();
	dict_close(dict);

	/* The file is not touched. */
	if (cases[n].content != NULL) {
	    buf = mymalloc(100);
	    assert_true((fd = open(path, O_RDONLY)) >= 0);
	    assert_int_equal(read(fd, buf, 100), cases[n].len);
	    (void) close(fd);
	    myfree(buf);
	}
	vstring_free(reason);
	vstring_free(expect);
	myfree(name);
	myfree(path);
    }
}

/* test_random_damage - mutated files give errors, never a crash */
static void test_random_damage(void **state)
{
    char   *name = test_dict_table_name("mut");
    char   *path = path_of(name, ".lmdb");
    VSTRING *key = vstring_alloc(100);
    char   *orig;
    char   *copy;
    DICT   *dict;
    struct stat st;
    const char *k;
    const char *v;
    int     fd;
    int     round;
    int     i;
    int     steps;

    (void) state;
    dict = dict_open3("lmdb", name, O_RDWR | O_CREAT | O_TRUNC,
		      DICT_FLAG_BULK_UPDATE);
    for (i = 0; i < 2000; i++) {
	vstring_sprintf(key, "key%d", i);
	(void) dict_put(dict, vstring_str(key), "value value value value");
    }
    dict_close(dict);
    assert_int_equal(stat(path, &st), 0);
    orig = mymalloc(st.st_size);
    copy = mymalloc(st.st_size);
    assert_true((fd = open(path, O_RDONLY)) >= 0);
    assert_int_equal(read(fd, orig, st.st_size), st.st_size);
    (void) close(fd);

    srandom(4711);
    test_capture_start();
    for (round = 0; round < 150; round++) {
	memcpy(copy, orig, st.st_size);
	for (i = 0; i < 1 + round % 40; i++)
	    copy[random() % st.st_size] = random();
	assert_true((fd = open(path, O_WRONLY | O_TRUNC)) >= 0);
	assert_int_equal(write(fd, copy, st.st_size), st.st_size);
	(void) close(fd);
	dict = dict_open3("lmdb", name, O_RDONLY, DICT_FLAG_NONE);
	(void) dict_get(dict, "key17");
	(void) dict_get(dict, "key1999");
	steps = 0;
	if (dict_seq(dict, DICT_SEQ_FUN_FIRST, &k, &v) == DICT_STAT_SUCCESS)
	    while (dict_seq(dict, DICT_SEQ_FUN_NEXT, &k, &v) == DICT_STAT_SUCCESS)
		assert_true(++steps <= 2000);
	dict_close(dict);
	dict = dict_open3("lmdb", name, O_RDWR, DICT_FLAG_DUP_REPLACE);
	(void) dict_put(dict, "key5", "new");
	(void) dict_del(dict, "key900");
	dict_close(dict);
    }
    test_capture_stop();
    myfree(orig);
    myfree(copy);
    vstring_free(key);
    myfree(name);
    myfree(path);
}

/* test_postfix_format - tables whose keys and values end in a null byte */
static void test_postfix_format(void **state)
{
    char   *name = test_dict_table_name("pfx");
    char   *path = path_of(name, ".lmdb");
    MDB_env *env;
    MDB_txn *txn;
    MDB_dbi dbi;
    MDB_val k;
    MDB_val v;
    DICT   *dict;
    char   *text;
    const char *value;

    (void) state;
    assert_int_equal(mdb_env_create(&env), 0);
    assert_int_equal(mdb_env_open(env, path, MDB_NOSUBDIR | MDB_NOLOCK, 0644), 0);
    assert_int_equal(mdb_txn_begin(env, NULL, 0, &txn), 0);
    assert_int_equal(mdb_dbi_open(txn, NULL, 0, &dbi), 0);
    k.mv_data = (void *) "foo";
    k.mv_size = 4;
    v.mv_data = (void *) "bar";
    v.mv_size = 4;
    assert_int_equal(mdb_put(txn, dbi, &k, &v, 0), 0);
    assert_int_equal(mdb_txn_commit(txn), 0);
    mdb_env_close(env);

    dict = dict_open3("lmdb", name, O_RDONLY, DICT_FLAG_NONE);
    value = dict_get(dict, "foo");
    assert_non_null(value);
    assert_string_equal(value, "bar");
    text = test_dict_listing(dict);
    assert_string_equal(text, "foo=bar\n");
    myfree(text);
    dict_close(dict);

    /* Updates see the old form: duplicate, replace, delete. */
    dict = dict_open3("lmdb", name, O_RDWR, DICT_FLAG_DUP_IGNORE);
    assert_int_equal(dict_put(dict, "foo", "x"), DICT_STAT_FAIL);
    dict->flags ^= DICT_FLAG_DUP_IGNORE | DICT_FLAG_DUP_REPLACE;
    assert_int_equal(dict_put(dict, "foo", "y"), DICT_STAT_SUCCESS);
    text = test_dict_listing(dict);
    assert_string_equal(text, "foo=y\n");
    myfree(text);
    assert_int_equal(dict_del(dict, "foo"), DICT_STAT_SUCCESS);
    dict_close(dict);
    myfree(name);
    myfree(path);
}

/* test_long_keys - LMDB's key size limit */
static void test_long_keys(void **state)
{
    char   *name = test_dict_table_name("long");
    char   *long_key = mymalloc(601);
    VSTRING *expect = vstring_alloc(100);
    DICT   *dict;

    (void) state;
    memset(long_key, 'k', 600);
    long_key[600] = 0;
    dict = dict_open3("lmdb", name, O_RDWR | O_CREAT | O_TRUNC,
		      DICT_FLAG_BULK_UPDATE);
    test_capture_start();
    assert_int_equal(dict_put(dict, long_key, "v"), DICT_STAT_ERROR);
    assert_int_equal(dict->error, DICT_ERR_CONFIG);
    vstring_sprintf(expect, "warning: lmdb:%s: key is longer than 511 bytes: "
		    "\"%.100s...\"\n", name, long_key);
    assert_string_equal(test_capture_text(), vstring_str(expect));
    test_capture_stop();
    long_key[511] = 0;
    assert_int_equal(dict_put(dict, long_key, "v"), DICT_STAT_SUCCESS);
    dict_close(dict);
    long_key[511] = 'k';
    assert_null(lookup("lmdb", name, long_key, DICT_FLAG_NONE));
    long_key[511] = 0;
    {
	char   *value = lookup("lmdb", name, long_key, DICT_FLAG_NONE);

	assert_string_equal(value, "v");
	myfree(value);
    }
    vstring_free(expect);
    myfree(long_key);
    myfree(name);
}

/* rebuild_slowly - child: hold the rebuild open for a while */
static void rebuild_slowly(void *context)
{
    DICT   *dict;

    dict = dict_open3("lmdb", context, O_RDWR | O_CREAT | O_TRUNC,
		      DICT_FLAG_BULK_UPDATE);
    (void) dict_put(dict, "who", "first");
    sleep(2);
    dict_close(dict);
}

/* test_concurrent_rebuilds - builds of one table take turns */
static void test_concurrent_rebuilds(void **state)
{
    char   *name = test_dict_table_name("conc");
    char   *lock_path = path_of(name, ".lmdb.lock");
    bool    busy;
    char   *value;
    pid_t   pid;
    int     fd;
    int     status;

    (void) state;
    if ((pid = fork()) == 0) {
	rebuild_slowly(name);
	_exit(0);
    }
    /* Wait until the child holds the lock, then build behind it. */
    for (;;) {
	usleep(20000);
	if ((fd = open(lock_path, O_RDWR)) < 0)
	    continue;
	busy = flock(fd, LOCK_EX | LOCK_NB) < 0;
	(void) close(fd);
	if (busy)
	    break;
    }
    build("lmdb", name, DICT_FLAG_NONE, "who", "second", (char *) 0);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    value = lookup("lmdb", name, "who", DICT_FLAG_NONE);
    assert_string_equal(value, "second");
    myfree(value);
    myfree(lock_path);
    myfree(name);
}

/* crash_during_rebuild - child: die in the middle of a rebuild */
static void crash_during_rebuild(void *context)
{
    DICT   *dict;

    dict = dict_open3("lmdb", context, O_RDWR | O_CREAT | O_TRUNC,
		      DICT_FLAG_BULK_UPDATE);
    (void) dict_put(dict, "k", "half-written");
    (void) kill(getpid(), SIGKILL);
}

/* test_crash_safety - a killed rebuild leaves the old table in place */
static void test_crash_safety(void **state)
{
    char   *name = test_dict_table_name("crash");
    char   *tmp = path_of(name, ".lmdb.tmp");
    TEST_CHILD_RESULT result;
    char   *value;

    (void) state;
    build("lmdb", name, DICT_FLAG_NONE, "k", "old", (char *) 0);
    test_child_run(crash_during_rebuild, name, 10000, &result);
    assert_true(WIFSIGNALED(result.wait_status));
    test_child_free(&result);
    assert_true(test_file_exists(tmp));
    value = lookup("lmdb", name, "k", DICT_FLAG_NONE);
    assert_string_equal(value, "old");
    myfree(value);

    /* The next rebuild removes the leftover. */
    build("lmdb", name, DICT_FLAG_NONE, "k", "new", (char *) 0);
    assert_false(test_file_exists(tmp));
    value = lookup("lmdb", name, "k", DICT_FLAG_NONE);
    assert_string_equal(value, "new");
    myfree(value);
    myfree(tmp);
    myfree(name);
}

/* test_utf8_folding - DICT_FLAG_UTF8_REQUEST folds and checks keys */
static void test_utf8_folding(void **state)
{
    char   *name = test_dict_table_name("utf8");
    VSTRING *expect = vstring_alloc(100);
    char   *value;
    DICT   *dict;

    (void) state;
    build("lmdb", name, DICT_FLAG_FOLD_FIX | DICT_FLAG_UTF8_REQUEST,
	  "\xc3\x84" "B", "x", "K\xc3\xa9Y", "y", (char *) 0);
    value = lookup("lmdb", name, "\xc3\xa4" "b", DICT_FLAG_FOLD_FIX
		   | DICT_FLAG_UTF8_REQUEST);
    assert_string_equal(value, "x");
    myfree(value);
    value = lookup("lmdb", name, "k\xc3\x89y", DICT_FLAG_FOLD_FIX
		   | DICT_FLAG_UTF8_REQUEST);
    assert_string_equal(value, "y");
    myfree(value);

    dict = dict_open3("lmdb", name, O_RDONLY, DICT_FLAG_FOLD_FIX
		      | DICT_FLAG_UTF8_REQUEST);
    test_capture_start();
    assert_null(dict_get(dict, "\xff"));
    assert_int_equal(dict->error, DICT_ERR_NONE);
    vstring_sprintf(expect, "warning: lmdb:%s: non-UTF-8 key \"?\": "
		    "malformed UTF-8 or invalid codepoint\n", name);
    assert_string_equal(test_capture_text(), vstring_str(expect));
    test_capture_stop();
    dict_close(dict);
    vstring_free(expect);
    myfree(name);
}

/* main - run the tests */
int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_build_lookup_sequence),
	cmocka_unit_test(test_duplicates),
	cmocka_unit_test(test_update_delete),
	cmocka_unit_test(test_create_missing),
	cmocka_unit_test(test_replace_under_reader),
	cmocka_unit_test(test_map_growth),
	cmocka_unit_test(test_damaged_files),
	cmocka_unit_test(test_random_damage),
	cmocka_unit_test(test_postfix_format),
	cmocka_unit_test(test_long_keys),
	cmocka_unit_test(test_concurrent_rebuilds),
	cmocka_unit_test(test_crash_safety),
	cmocka_unit_test(test_utf8_folding),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
