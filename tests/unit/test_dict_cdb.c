/*
 * test_dict_cdb - unit tests for dict_cdb(3)
 */
#include "sys_defs.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cdb.h>

#include "msg.h"
#include "mymalloc.h"
#include "vstring.h"
#include "stringops.h"
#include "dict.h"
#include "dict_cdb.h"
#include "test_support.h"
#include "test_dict_support.h"
#include "test_child.h"

/* listing - test_dict_listing() of a fresh read-only open */
static char *listing(const char *name)
{
    DICT   *dict = dict_open3("cdb", name, O_RDONLY, DICT_FLAG_NONE);
    char   *result = test_dict_listing(dict);

    dict_close(dict);
    return result;
}

/* test_build_and_read - build, look up, list, duplicates */
static void test_build_and_read(void **state)
{
    static const struct {
	int     flags;
	const char *list;
	const char *log;
    } cases[] = {
	{DICT_FLAG_DUP_WARN, "a=1\nb=2\n",
	"warning: cdb:%s: duplicate entry: \"a\"\n"},
	{DICT_FLAG_DUP_IGNORE, "a=1\nb=2\n", ""},
	{DICT_FLAG_DUP_REPLACE, "b=2\na=3\n", ""},
    };
    size_t  n;

    (void) state;
    for (n = 0; n < ARRAY_LEN(cases); n++) {
	char   *name = test_dict_table_name("cdb");
	char   *path = concatenate(name, ".cdb", (char *) 0);
	char   *tmp = concatenate(name, ".cdb.tmp", (char *) 0);
	VSTRING *expect = vstring_alloc(100);
	DICT   *dict;
	const char *value;
	char   *text;

	dict = dict_open3("cdb", name, O_WRONLY | O_CREAT | O_TRUNC,
			  cases[n].flags | DICT_FLAG_FOLD_FIX);
	assert_int_equal(dict_put(dict, "A", "1"), DICT_STAT_SUCCESS);
	assert_int_equal(dict_put(dict, "b", "2"), DICT_STAT_SUCCESS);
	test_capture_start();
	(void) dict_put(dict, "a", "3");
	vstring_sprintf(expect, cases[n].log, name);
	assert_string_equal(test_capture_text(), vstring_str(expect));
	test_capture_stop();
	assert_true(test_file_exists(tmp));
	assert_false(test_file_exists(path));
	dict_close(dict);
	assert_false(test_file_exists(tmp));
	assert_true(test_file_exists(path));

	text = listing(name);
	assert_string_equal(text, cases[n].list);
	myfree(text);
	dict = dict_open3("cdb", name, O_RDONLY, DICT_FLAG_FOLD_FIX);
	value = dict_get(dict, "B");
	assert_non_null(value);
	assert_string_equal(value, "2");
	assert_null(dict_get(dict, "c"));
	assert_int_equal(dict->error, DICT_ERR_NONE);
	dict_close(dict);
	vstring_free(expect);
	myfree(name);
	myfree(path);
	myfree(tmp);
    }
}

/* test_open_errors - missing, damaged and in-place opens */
static void test_open_errors(void **state)
{
    char   *name = test_dict_table_name("bad");
    char   *path = concatenate(name, ".cdb", (char *) 0);
    VSTRING *expect = vstring_alloc(100);
    DICT   *dict;

    (void) state;
    test_capture_start();
    dict = dict_open3("cdb", name, O_RDONLY, DICT_FLAG_NONE);
    vstring_sprintf(expect, "warning: cdb:%s is unavailable. open database "
		    "%s: No such file or directory\n", name, path);
    assert_string_equal(test_capture_text(), vstring_str(expect));
    test_capture_stop();
    dict_close(dict);

    test_write_file(path, "short");
    test_capture_start();
    dict = dict_open3("cdb", name, O_RDONLY, DICT_FLAG_NONE);
    vstring_sprintf(expect, "warning: cdb:%s is unavailable. open database "
		    "%s: not a valid CDB file\n", name, path);
    assert_string_equal(test_capture_text(), vstring_str(expect));
    test_capture_stop();
    dict_close(dict);

    test_capture_start();
    dict = dict_open3("cdb", name, O_RDWR, DICT_FLAG_NONE);
    vstring_sprintf(expect, "warning: cdb:%s is unavailable. cdb:%s: a cdb "
		    "table cannot be updated in place; edit its source file "
		    "and rebuild it with postmap\n", name, name);
    assert_string_equal(test_capture_text(), vstring_str(expect));
    assert_int_equal(dict_put(dict, "a", "b"), DICT_STAT_ERROR);
    test_capture_stop();
    dict_close(dict);
    vstring_free(expect);
    myfree(name);
    myfree(path);
}

/* test_damaged_content - a garbage index gives errors, not crashes */
static void test_damaged_content(void **state)
{
    char   *name = test_dict_table_name("junk");
    char   *path = concatenate(name, ".cdb", (char *) 0);
    char    junk[4096];
    const char *key;
    const char *value;
    DICT   *dict;
    size_t  n;
    int     fd;

    (void) state;
    srandom(1234);
    for (n = 0; n < sizeof(junk); n++)
	junk[n] = random();
    assert_true((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644)) >= 0);
    assert_int_equal(write(fd, junk, sizeof(junk)), sizeof(junk));
    (void) close(fd);
    test_capture_start();
    dict = dict_open3("cdb", name, O_RDONLY, DICT_FLAG_NONE);
    for (n = 0; n < 100; n++) {
	char    key_buf[20];

	snprintf(key_buf, sizeof(key_buf), "k%zu", n);
	(void) dict_get(dict, key_buf);
    }
    if (dict_seq(dict, DICT_SEQ_FUN_FIRST, &key, &value) == DICT_STAT_SUCCESS)
	for (n = 0; n < 10000 && dict_seq(dict, DICT_SEQ_FUN_NEXT, &key, &value)
	     == DICT_STAT_SUCCESS; n++)
	     /* void */ ;
    test_capture_stop();
    dict_close(dict);
    myfree(name);
    myfree(path);
}

/* test_null_terminated - files with null-terminated keys (other writers) */
static void test_null_terminated(void **state)
{
    char   *name = test_dict_table_name("nul");
    char   *path = concatenate(name, ".cdb", (char *) 0);
    struct cdb_make make;
    DICT   *dict;
    const char *value;
    char   *text;
    int     fd;

    (void) state;
    assert_true((fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644)) >= 0);
    assert_int_equal(cdb_make_start(&make, fd), 0);
    assert_int_equal(cdb_make_add(&make, "foo", 4, "bar", 4), 0);
    assert_int_equal(cdb_make_finish(&make), 0);
    (void) close(fd);
    dict = dict_open3("cdb", name, O_RDONLY, DICT_FLAG_NONE);
    value = dict_get(dict, "foo");
    assert_non_null(value);
    assert_string_equal(value, "bar");
    dict_close(dict);
    text = listing(name);
    assert_string_equal(text, "foo=bar\n");
    myfree(text);
    myfree(name);
    myfree(path);
}

/* build_and_die - child: start a build and get killed */
static void build_and_die(void *context)
{
    DICT   *dict;

    dict = dict_open3("cdb", context, O_WRONLY | O_CREAT | O_TRUNC,
		      DICT_FLAG_NONE);
    (void) dict_put(dict, "k", "partial");
    (void) kill(getpid(), SIGKILL);
}

/* test_crash_safety - an interrupted build leaves the old file alone */
static void test_crash_safety(void **state)
{
    char   *name = test_dict_table_name("crash");
    TEST_CHILD_RESULT result;
    DICT   *dict;
    const char *value;

    (void) state;
    dict = dict_open3("cdb", name, O_WRONLY | O_CREAT | O_TRUNC,
		      DICT_FLAG_NONE);
    (void) dict_put(dict, "k", "old");
    dict_close(dict);
    test_child_run(build_and_die, name, 10000, &result);
    assert_true(WIFSIGNALED(result.wait_status));
    test_child_free(&result);
    dict = dict_open3("cdb", name, O_RDONLY, DICT_FLAG_NONE);
    value = dict_get(dict, "k");
    assert_non_null(value);
    assert_string_equal(value, "old");
    dict_close(dict);
    myfree(name);
}

/* main - run the tests */
int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_build_and_read),
	cmocka_unit_test(test_open_errors),
	cmocka_unit_test(test_damaged_content),
	cmocka_unit_test(test_null_terminated),
	cmocka_unit_test(test_crash_safety),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
