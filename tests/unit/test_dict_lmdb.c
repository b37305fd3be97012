/*
 * test_dict_lmdb - unit tests for dict_lmdb(3)
 */
#include "sys_defs.h"

#include <errno.h>
#include <stdint.h>
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
#include "test_params.h"
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
    test_set_param("lmdb_map_size", "65536");
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
    test_set_param("lmdb_map_size", "16777216");
    vstring_free(key);
    vstring_free(value);
    myfree(name);
    myfree(path);
}

 /*
  * LMDB's file format (data version 1), for damaging tables on purpose:
  * the meta pages (0 and 1) hold the magic number, the format version,
  * the page size and the root page of the main database at these
  * offsets; a page header holds the page flags, a leaf node has 8 bytes
  * of header before its key (data size low and high half, flags, key
  * size).
  */
#define META_MAGIC_OFF		(sizeof(size_t) + 8)
#define META_VERSION_OFF	(META_MAGIC_OFF + 4)
#define META_PSIZE_OFF		(META_MAGIC_OFF + 8 + sizeof(void *) \
				 + sizeof(size_t))
#define META_DB_SIZE		(8 + 5 * sizeof(size_t))
#define META_MAIN_ROOT_OFF	(META_PSIZE_OFF + META_DB_SIZE + 8 \
				 + 4 * sizeof(size_t))
#define PAGE_FLAGS_OFF		(sizeof(size_t) + 2)
#define PAGE_PTRS_OFF		(sizeof(size_t) + 8)
#define NODE_HEADER		8
#define P_OVERFLOW		0x04

/* damage_table - a small table to damage: a, b, c, key17 */
static char *damage_table(const char *base)
{
    char   *name = test_dict_table_name(base);

    build("lmdb", name, DICT_FLAG_NONE, "a", "1", "b", "2", "c", "3",
	  "key17", "value", (char *) 0);
    return name;
}

/* page_size - the page size of an LMDB file */
static off_t page_size(const char *path)
{
    MDB_env *env;
    MDB_stat st;

    assert_int_equal(mdb_env_create(&env), 0);
    assert_int_equal(mdb_env_open(env, path, MDB_NOSUBDIR | MDB_RDONLY
				  | MDB_NOLOCK, 0644), 0);
    assert_int_equal(mdb_env_stat(env, &st), 0);
    mdb_env_close(env);
    return st.ms_psize;
}

/* file_find - offset of the first occurrence of text in a file */
static off_t file_find(const char *path, const char *text)
{
    struct stat st;
    char   *buf;
    char   *hit;
    off_t   offset;
    int     fd;

    assert_true((fd = open(path, O_RDONLY)) >= 0);
    assert_int_equal(fstat(fd, &st), 0);
    buf = mymalloc(st.st_size);
    assert_int_equal(read(fd, buf, st.st_size), st.st_size);
    (void) close(fd);
    hit = memmem(buf, st.st_size, text, strlen(text));
    assert_non_null(hit);
    offset = hit - buf;
    myfree(buf);
    return offset;
}

/* file_patch - overwrite bytes of a file */
static void file_patch(const char *path, off_t offset, const void *data,
		               size_t len)
{
    int     fd;

    assert_true((fd = open(path, O_WRONLY)) >= 0);
    assert_int_equal(pwrite(fd, data, len, offset), (ssize_t) len);
    (void) close(fd);
}

/* patch_u16, patch_u32, patch_word - write a number in host order */
static void patch_u16(const char *path, off_t offset, uint16_t value)
{
    file_patch(path, offset, &value, sizeof(value));
}

static void patch_u32(const char *path, off_t offset, uint32_t value)
{
    file_patch(path, offset, &value, sizeof(value));
}

static void patch_word(const char *path, off_t offset, size_t value)
{
    file_patch(path, offset, &value, sizeof(value));
}

/* Open-time damage. */
static void damage_version(const char *path)
{
    off_t   psize = page_size(path);

    patch_u32(path, META_VERSION_OFF, 2);
    patch_u32(path, psize + META_VERSION_OFF, 2);
}

static void damage_page_size(const char *path)
{
    patch_u32(path, META_PSIZE_OFF, 0);
}

static void damage_meta_disagree(const char *path)
{
    off_t   psize = page_size(path);

    patch_u32(path, psize + META_PSIZE_OFF, 2 * psize);
}

static void damage_meta_size(const char *path)
{
    assert_int_equal(truncate(path, page_size(path) + 100), 0);
}

static void damage_last_page(const char *path)
{
    assert_int_equal(truncate(path, 2 * page_size(path)), 0);
}

/* test_damaged_files - open errors for files that are not tables */
static void test_damaged_files(void **state)
{
    static const struct {
	const char *content;		/* or NULL */
	void    (*damage) (const char *);	/* damage a real table */
	const char *reason;		/* printf format, see below */
	int     size_pages;		/* file size: pages and bytes */
	int     size_bytes;
	int     need_pages;		/* size needed */
    } cases[] = {
	{"", 0, "MDB_INVALID: File is not an LMDB file", 0, 0, 0},
	{"hello\n", 0, "MDB_INVALID: File is not an LMDB file", 0, 0, 0},
	{0, damage_version, "MDB_VERSION_MISMATCH: Database environment "
	"version mismatch", 0, 0, 0},
	{0, damage_page_size, "MDB_CORRUPTED: invalid page size 0", 0, 0, 0},
	{0, damage_meta_disagree, "MDB_CORRUPTED: the meta pages disagree "
	"about the page size", 0, 0, 0},
	{0, damage_meta_size, "MDB_CORRUPTED: file is too small for its meta "
	"pages (%lld bytes, need %lld)", 1, 100, 2},
	{0, damage_last_page, "MDB_CORRUPTED: file is truncated (%lld bytes, "
	"need %lld)", 2, 0, 3},
    };
    size_t  n;

    (void) state;
    for (n = 0; n < ARRAY_LEN(cases); n++) {
	char   *name = damage_table("bad");
	char   *path = path_of(name, ".lmdb");
	VSTRING *reason = vstring_alloc(100);
	VSTRING *expect = vstring_alloc(100);
	long long psize = page_size(path);
	DICT   *dict;
	int     mode;

	vstring_sprintf(reason, cases[n].reason,
			psize * cases[n].size_pages + cases[n].size_bytes,
			psize * cases[n].need_pages);
	if (cases[n].content != NULL)
	    test_write_file(path, cases[n].content);
	else
	    cases[n].damage(path);
	vstring_sprintf(expect, "warning: lmdb:%s is unavailable. open database "
			"%s: %s\n", name, path, vstring_str(reason));
	for (mode = 0; mode < 3; mode++) {
	    test_capture_start();
	    dict = dict_open3("lmdb", name, mode == 0 ? O_RDONLY : O_RDWR,
			      mode == 2 ? DICT_FLAG_BULK_UPDATE : 0);
	    assert_string_equal(test_capture_text(), vstring_str(expect));
	    assert_null(dict_get(dict, "k"));
	    assert_int_equal(dict->error, DICT_ERR_CONFIG);
	    test_capture_stop();
	    dict_close(dict);
	}
	/* The file is not touched. */
	if (cases[n].content != NULL) {
	    char    buf[100];
	    int     fd;

	    assert_true((fd = open(path, O_RDONLY)) >= 0);
	    assert_int_equal(read(fd, buf, sizeof(buf)),
			     strlen(cases[n].content));
	    assert_memory_equal(buf, cases[n].content, strlen(cases[n].content));
	    (void) close(fd);
	}
	vstring_free(reason);
	vstring_free(expect);
	myfree(name);
	myfree(path);
    }
}

/* Damage that LMDB or the driver notices while reading. */
static void damage_page_type(const char *path)
{
    off_t   psize = page_size(path);

    patch_u16(path, file_find(path, "key17") / psize * psize
	      + PAGE_FLAGS_OFF, P_OVERFLOW);
}

static void damage_root(const char *path)
{
    off_t   psize = page_size(path);

    patch_word(path, META_MAIN_ROOT_OFF, 100);
    patch_word(path, psize + META_MAIN_ROOT_OFF, 100);
}

static void damage_data_size(const char *path)
{
    patch_u16(path, file_find(path, "key17") - NODE_HEADER + 2, 0x7fff);
}

static void damage_key_order(const char *path)
{
    file_patch(path, file_find(path, "b2"), "z", 1);
}

/* test_damaged_records - damage found by lookup, sequence and update */
static void test_damaged_records(void **state)
{
    static const struct {
	void    (*damage) (const char *);
	const char *lookup;		/* "key17" */
	const char *sequence;		/* the listing */
	const char *update;		/* "key17" = "new" */
    } cases[] = {
	{damage_page_type,
	    "lookup: MDB_CORRUPTED: Located page was wrong type",
	    "sequence: MDB_CORRUPTED: Located page was wrong type",
	"update: MDB_CORRUPTED: Located page was wrong type"},
	{damage_root,
	    "lookup: MDB_PAGE_NOTFOUND: Requested page not found",
	    "sequence: MDB_PAGE_NOTFOUND: Requested page not found",
	"update: MDB_PAGE_NOTFOUND: Requested page not found"},
	{damage_data_size,	/* the file has 3 pages */
	    "record of 2147418117 bytes in a file of %lld bytes",
	    "record of 2147418117 bytes in a file of %lld bytes",
	"record of 2147418117 bytes in a file of %lld bytes"},
	{damage_key_order, 0, "keys out of order", 0},
    };
    size_t  n;

    (void) state;
    for (n = 0; n < ARRAY_LEN(cases); n++) {
	char   *name = damage_table("rec");
	char   *path = path_of(name, ".lmdb");
	VSTRING *expect = vstring_alloc(100);
	VSTRING *reason = vstring_alloc(100);
	long long file_size = 3 * (long long) page_size(path);
	const char *what[3];
	DICT   *dict;
	const char *k;
	const char *v;
	int     op;
	int     status;

	cases[n].damage(path);
	what[0] = cases[n].lookup;
	what[1] = cases[n].sequence;
	what[2] = cases[n].update;
	for (op = 0; op < 3; op++) {
	    dict = dict_open3("lmdb", name, op < 2 ? O_RDONLY : O_RDWR,
			      DICT_FLAG_DUP_REPLACE);
	    test_capture_start();
	    if (op == 0) {
		status = dict_get(dict, "key17") ? DICT_STAT_SUCCESS :
		    dict->error ? DICT_STAT_ERROR : DICT_STAT_FAIL;
	    } else if (op == 1) {
		if ((status = dict_seq(dict, DICT_SEQ_FUN_FIRST, &k, &v))
		    == DICT_STAT_SUCCESS)
		    while ((status = dict_seq(dict, DICT_SEQ_FUN_NEXT, &k, &v))
			   == DICT_STAT_SUCCESS)
			 /* void */ ;
	    } else {
		status = dict_put(dict, "key17", "new");
	    }
	    if (what[op] == NULL) {
		assert_int_not_equal(status, DICT_STAT_ERROR);
		assert_int_equal(dict->error, DICT_ERR_NONE);
		vstring_strcpy(expect, "");
	    } else {
		assert_int_equal(status, DICT_STAT_ERROR);
		assert_int_equal(dict->error, DICT_ERR_CONFIG);
		vstring_sprintf(reason, what[op], file_size);
		vstring_sprintf(expect, "warning: lmdb:%s: corrupted database "
				"%s: %s\n", name, path, vstring_str(reason));
	    }
	    assert_string_equal(test_capture_text(), vstring_str(expect));
	    test_capture_stop();
	    dict_close(dict);
	}
	vstring_free(expect);
	vstring_free(reason);
	myfree(name);
	myfree(path);
    }
}

/* default_fault_action - let memory faults kill the process */
static void default_fault_action(void)
{
    /* A sanitizer's handler would turn the fault into an exit. */
    (void) signal(SIGSEGV, SIG_DFL);
    (void) signal(SIGBUS, SIG_DFL);
}

/* read_damaged - child: look up and list a damaged table */
static void read_damaged(void *context)
{
    DICT   *dict;
    const char *k;
    const char *v;
    int     steps = 0;

    default_fault_action();
    dict = dict_open3("lmdb", context, O_RDONLY, DICT_FLAG_NONE);
    (void) dict_get(dict, "key17");
    (void) dict_get(dict, "key1999");
    if (dict_seq(dict, DICT_SEQ_FUN_FIRST, &k, &v) == DICT_STAT_SUCCESS)
	while (dict_seq(dict, DICT_SEQ_FUN_NEXT, &k, &v) == DICT_STAT_SUCCESS)
	    if (++steps > 2000)
		msg_fatal("sequence does not end");
    dict_close(dict);
}

/* update_damaged - child: read, then update a damaged table in place */
static void update_damaged(void *context)
{
    DICT   *dict;

    read_damaged(context);
    dict = dict_open3("lmdb", context, O_RDWR, DICT_FLAG_DUP_REPLACE);
    (void) dict_put(dict, "key5", "new");
    (void) dict_del(dict, "key900");
    dict_close(dict);
    dict = dict_open3("lmdb", context, O_RDWR, DICT_FLAG_BULK_UPDATE
		      | DICT_FLAG_DUP_REPLACE);
    (void) dict_put(dict, "key6", "new");
    dict_close(dict);
}

/*
 * check_damage_outcome - a process that used a damaged table either
 * finished, with every problem reported against the file, or was killed
 * by a fault (or by abort() after an LMDB assertion, which names the
 * file): it never goes on after a fault.
 */
static void check_damage_outcome(const TEST_CHILD_RESULT *result,
				         const char *path)
{
    const char *line = result->output;
    const char *end;
    int     sig;

    assert_false(result->killed);
    assert_null(strstr(result->output, "Sanitizer"));
    assert_null(strstr(result->output, "invalid memory access"));
    if (WIFSIGNALED(result->wait_status)) {
	sig = WTERMSIG(result->wait_status);
	assert_true(sig == SIGSEGV || sig == SIGBUS || sig == SIGABRT);
	if (sig == SIGABRT)
	    assert_non_null(strstr(result->output, "panic: "));
    } else {
	assert_true(WIFEXITED(result->wait_status));
	assert_true(WEXITSTATUS(result->wait_status) <= 1);
    }
    for (; *line; line = end + 1) {
	assert_non_null(end = strchr(line, '\n'));
	if (strncmp(line, "warning: ", 9) == 0 || strncmp(line, "fatal: ", 7) == 0
	    || strncmp(line, "panic: ", 7) == 0)
	    assert_non_null(memmem(line, end - line, path, strlen(path)));
    }
}

/* test_undetected_damage - a fault that LMDB cannot foresee kills */
static void test_undetected_damage(void **state)
{
    char   *name = damage_table("fault");
    char   *path = path_of(name, ".lmdb");
    off_t   psize = page_size(path);
    off_t   page;
    TEST_CHILD_RESULT result;
    int     n;

    (void) state;
    /* The nodes of the leaf page lie far past the end of the file. */
    page = file_find(path, "key17") / psize * psize;
    for (n = 0; n < 4; n++)
	patch_u16(path, page + PAGE_PTRS_OFF + 2 * n, 0xfff0);
    test_child_run(read_damaged, name, 10000, &result);
    assert_true(WIFSIGNALED(result.wait_status));
    assert_true(WTERMSIG(result.wait_status) == SIGBUS
		|| WTERMSIG(result.wait_status) == SIGSEGV);
    check_damage_outcome(&result, path);
    test_child_free(&result);
    myfree(name);
    myfree(path);
}

/* test_no_fault_handler - the driver leaves SIGSEGV and SIGBUS alone */
static void test_no_fault_handler(void **state)
{
    char   *name = damage_table("sig");
    struct sigaction before[2];
    struct sigaction after[2];
    DICT   *reader;
    DICT   *writer;
    int     n;

    (void) state;
    assert_int_equal(sigaction(SIGSEGV, NULL, &before[0]), 0);
    assert_int_equal(sigaction(SIGBUS, NULL, &before[1]), 0);
    reader = dict_open3("lmdb", name, O_RDONLY, DICT_FLAG_NONE);
    writer = dict_open3("lmdb", name, O_RDWR, DICT_FLAG_DUP_REPLACE);
    assert_non_null(dict_get(reader, "a"));
    assert_int_equal(dict_put(writer, "a", "x"), DICT_STAT_SUCCESS);
    assert_int_equal(sigaction(SIGSEGV, NULL, &after[0]), 0);
    assert_int_equal(sigaction(SIGBUS, NULL, &after[1]), 0);
    for (n = 0; n < 2; n++) {
	assert_true(before[n].sa_handler == after[n].sa_handler);
	assert_int_equal(before[n].sa_flags, after[n].sa_flags);
    }
    dict_close(writer);
    dict_close(reader);
    myfree(name);
}

/* test_random_damage - mutated files give errors, or the process dies */
static void test_random_damage(void **state)
{
    char   *name = test_dict_table_name("mut");
    char   *path = path_of(name, ".lmdb");
    VSTRING *key = vstring_alloc(100);
    TEST_CHILD_RESULT result;
    char   *orig;
    char   *copy;
    DICT   *dict;
    struct stat st;
    int     fd;
    int     round;
    int     i;
    int     died = 0;

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
    for (round = 0; round < 100; round++) {
	memcpy(copy, orig, st.st_size);
	for (i = 0; i < 1 + round % 40; i++)
	    copy[random() % st.st_size] = random();
	assert_true((fd = open(path, O_WRONLY | O_TRUNC)) >= 0);
	assert_int_equal(write(fd, copy, st.st_size), st.st_size);
	(void) close(fd);
	test_child_run(update_damaged, name, 20000, &result);
	check_damage_outcome(&result, path);
	died += WIFSIGNALED(result.wait_status);
	test_child_free(&result);
    }
    /* Most damage is found; some is not. */
    assert_true(died < 100);
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
	cmocka_unit_test(test_damaged_records),
	cmocka_unit_test(test_undetected_damage),
	cmocka_unit_test(test_no_fault_handler),
	cmocka_unit_test(test_random_damage),
	cmocka_unit_test(test_postfix_format),
	cmocka_unit_test(test_concurrent_rebuilds),
	cmocka_unit_test(test_crash_safety),
	cmocka_unit_test(test_utf8_folding),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
