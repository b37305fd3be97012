/*
 * test_mkmap - unit tests for mkmap(3)
 */
#include "sys_defs.h"

#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "msg.h"
#include "mymalloc.h"
#include "vstring.h"
#include "stringops.h"
#include "dict.h"
#include "mkmap.h"
#include "test_support.h"
#include "test_dict_support.h"
#include "test_child.h"

/* sigterm_blocked - is SIGTERM blocked now? */
static bool sigterm_blocked(void)
{
    sigset_t mask;

    assert_int_equal(sigprocmask(SIG_BLOCK, NULL, &mask), 0);
    return sigismember(&mask, SIGTERM);
}

/* test_build - a table appears only when mkmap_close() is done */
static void test_build(void **state)
{
    static const char *types[] = {"lmdb", "hash", "btree", "cdb"};
    size_t  n;

    (void) state;
    for (n = 0; n < ARRAY_LEN(types); n++) {
	char   *name = test_dict_table_name("mk");
	const char *suffix = strcmp(types[n], "cdb") == 0 ? ".cdb" : ".lmdb";
	char   *path = concatenate(name, suffix, (char *) 0);
	char   *tmp = concatenate(name, suffix, ".tmp", (char *) 0);
	MKMAP  *mkmap;
	DICT   *dict;
	const char *value;

	assert_false(sigterm_blocked());
	mkmap = mkmap_open(types[n], name, O_RDWR | O_CREAT | O_TRUNC,
			   DICT_FLAG_DUP_WARN | DICT_FLAG_FOLD_FIX);
	assert_true(sigterm_blocked());
	assert_true(mkmap_dict(mkmap)->flags & DICT_FLAG_BULK_UPDATE);
	assert_int_equal(mkmap_append(mkmap, "K", "v"), DICT_STAT_SUCCESS);
	test_capture_start();
	assert_int_equal(mkmap_append(mkmap, "k", "w"), DICT_STAT_FAIL);
	test_capture_stop();
	assert_true(test_file_exists(tmp));
	assert_false(test_file_exists(path));
	mkmap_close(mkmap);
	assert_false(sigterm_blocked());
	assert_false(test_file_exists(tmp));
	assert_true(test_file_exists(path));

	dict = dict_open3(types[n], name, O_RDONLY, DICT_FLAG_NONE);
	value = dict_get(dict, "k");
	assert_non_null(value);
	assert_string_equal(value, "v");
	dict_close(dict);
	myfree(name);
	myfree(path);
	myfree(tmp);
    }
}

/* test_incremental - without O_TRUNC the table is updated in place */
static void test_incremental(void **state)
{
    char   *name = test_dict_table_name("inc");
    MKMAP  *mkmap;
    DICT   *dict;
    const char *value;

    (void) state;
    mkmap = mkmap_open("lmdb", name, O_RDWR | O_CREAT | O_TRUNC,
		       DICT_FLAG_DUP_WARN);
    (void) mkmap_append(mkmap, "a", "1");
    mkmap_close(mkmap);
    mkmap = mkmap_open("lmdb", name, O_RDWR | O_CREAT, DICT_FLAG_DUP_WARN);
    (void) mkmap_append(mkmap, "b", "2");
    mkmap_close(mkmap);
    dict = dict_open3("lmdb", name, O_RDONLY, DICT_FLAG_NONE);
    value = dict_get(dict, "a");
    assert_non_null(value);
    assert_string_equal(value, "1");
    value = dict_get(dict, "b");
    assert_non_null(value);
    assert_string_equal(value, "2");
    dict_close(dict);
    myfree(name);
}

/* open_type - child: mkmap_open() of the type in context */
static void open_type(void *context)
{
    char   *name = test_dict_table_name("bad");

    (void) mkmap_open(context, name, O_RDWR | O_CREAT | O_TRUNC,
		      DICT_FLAG_NONE);
}

/* test_refused_types - types that cannot be built */
static void test_refused_types(void **state)
{
    static const struct {
	const char *type;
	const char *output;
    } cases[] = {
	{"nosuchtype", "fatal: unsupported dictionary type: nosuchtype\n"},
	{"proxy", "fatal: unsupported dictionary type: proxy does not "
	"support bulk-mode creation.\n"},
    };
    TEST_CHILD_RESULT result;
    size_t  n;

    (void) state;
    for (n = 0; n < ARRAY_LEN(cases); n++) {
	test_child_run(open_type, (void *) cases[n].type, 10000, &result);
	assert_true(test_child_exited(&result, 1));
	assert_string_equal(result.output, cases[n].output);
	test_child_free(&result);
    }
}

/* nonfile_open - open function of a type that is not file-based */
static DICT *nonfile_open(const char *name, int open_flags, int dict_flags)
{
    return dict_surrogate("nonfile", name, open_flags, dict_flags, "unused");
}

/* build_nonfile - child: a registered type without DICT_TYPE_FLAG_FILE */
static void build_nonfile(void *context)
{
    (void) context;
    dict_open_register("nonfile", nonfile_open, DICT_TYPE_FLAG_NONE);
    (void) mkmap_open("nonfile", "x", O_RDWR | O_CREAT | O_TRUNC,
		      DICT_FLAG_NONE);
}

/* test_nonfile_type - only file types can be built */
static void test_nonfile_type(void **state)
{
    TEST_CHILD_RESULT result;

    (void) state;
    test_child_run(build_nonfile, NULL, 10000, &result);
    assert_true(test_child_exited(&result, 1));
    assert_string_equal(result.output, "fatal: unsupported dictionary type: "
			"nonfile does not support bulk-mode creation.\n");
    test_child_free(&result);
}

/* open_missing_dir - child: build in a directory that does not exist */
static void open_missing_dir(void *context)
{
    (void) mkmap_open("lmdb", context, O_RDWR | O_CREAT | O_TRUNC,
		      DICT_FLAG_NONE);
}

/* test_open_error_fatal - mkmap_open() errors end the program */
static void test_open_error_fatal(void **state)
{
    char   *dir = test_dict_table_name("nodir");
    char   *name = concatenate(dir, "/table", (char *) 0);
    VSTRING *expect = vstring_alloc(100);
    TEST_CHILD_RESULT result;

    (void) state;
    test_child_run(open_missing_dir, name, 10000, &result);
    assert_true(test_child_exited(&result, 1));
    vstring_sprintf(expect, "fatal: open database %s.lmdb: lock %s.lmdb.lock: "
		    "No such file or directory\n", name, name);
    assert_string_equal(result.output, vstring_str(expect));
    test_child_free(&result);
    vstring_free(expect);
    myfree(name);
    myfree(dir);
}

/* main - run the tests */
int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_build),
	cmocka_unit_test(test_incremental),
	cmocka_unit_test(test_refused_types),
	cmocka_unit_test(test_nonfile_type),
	cmocka_unit_test(test_open_error_fatal),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
