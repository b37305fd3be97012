/*
 * test_dict_cmd - unit tests for dict_cmd(3)
 */
#include "sys_defs.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "msg.h"
#include "mymalloc.h"
#include "vstring.h"
#include "stringops.h"
#include "base64_code.h"
#include "dict.h"
#include "dict_cmd.h"
#include "test_support.h"
#include "test_child.h"

static char *test_dir;

/* path_in_dir - a file name in the test directory */
static char *path_in_dir(const char *base)
{
    if (test_dir == NULL)
	test_dir = test_tempdir();
    return concatenate(test_dir, "/", base, (char *) 0);
}

/* make_table - an lmdb table with entries "key", "value", ..., NULL */
static char *make_table(const char *base,...)
{
    char   *name = path_in_dir(base);
    DICT   *dict;
    va_list ap;
    const char *key;

    dict = dict_open3("lmdb", name, O_RDWR | O_CREAT | O_TRUNC,
		      DICT_FLAG_BULK_UPDATE);
    va_start(ap, base);
    while ((key = va_arg(ap, const char *)) != NULL)
	(void) dict_put(dict, key, va_arg(ap, const char *));
    va_end(ap);
    dict_close(dict);
    return name;
}

/* test_split - "type:name" and plain names */
static void test_split(void **state)
{
    char    map1[] = "cdb:/etc/x";
    char    map2[] = "/etc/y";
    char    map3[] = "proxy:lmdb:/z";
    const char *type;
    const char *name;

    (void) state;
    dict_cmd_split(map1, "lmdb", &type, &name);
    assert_string_equal(type, "cdb");
    assert_string_equal(name, "/etc/x");
    dict_cmd_split(map2, "lmdb", &type, &name);
    assert_string_equal(type, "lmdb");
    assert_string_equal(name, "/etc/y");
    dict_cmd_split(map3, "lmdb", &type, &name);
    assert_string_equal(type, "proxy");
    assert_string_equal(name, "lmdb:/z");
}

/* test_find_delete - first table that answers; lazy opens; deletes */
static void test_find_delete(void **state)
{
    char   *t1 = make_table("find1", "a", "1", "both", "one", (char *) 0);
    char   *t2 = make_table("find2", "b", "2", "both", "two", (char *) 0);
    char   *missing = path_in_dir("missing");
    char   *maps[3];
    DICT_CMD *cmd;
    const char *value;

    (void) state;
    maps[0] = t1;
    maps[1] = t2;
    maps[2] = missing;
    cmd = dict_cmd_create(maps, 3, "lmdb", O_RDONLY, DICT_FLAG_FOLD_FIX);
    test_capture_start();
    value = dict_cmd_find(cmd, "BOTH");
    assert_non_null(value);
    assert_string_equal(value, "one");
    value = dict_cmd_find(cmd, "b");
    assert_non_null(value);
    assert_string_equal(value, "2");
    /* The missing table was never opened. */
    assert_string_equal(test_capture_text(), "");
    test_capture_stop();
    dict_cmd_free(cmd);

    cmd = dict_cmd_create(maps, 2, "lmdb", O_RDWR, DICT_FLAG_LOCK);
    assert_true(dict_cmd_delete(cmd, "both"));
    assert_false(dict_cmd_delete(cmd, "both"));
    assert_true(dict_cmd_delete(cmd, "a"));
    dict_cmd_free(cmd);
    cmd = dict_cmd_create(maps, 2, "lmdb", O_RDONLY, DICT_FLAG_NONE);
    assert_null(dict_cmd_find(cmd, "both"));
    assert_null(dict_cmd_find(cmd, "a"));
    value = dict_cmd_find(cmd, "b");
    assert_non_null(value);
    assert_string_equal(value, "2");
    dict_cmd_free(cmd);
    myfree(t1);
    myfree(t2);
    myfree(missing);
}

/* find_in - child: look up context's key "k" in the -F table */
static void find_in(void *context)
{
    char   *maps[1];
    DICT_CMD *cmd;

    maps[0] = context;
    cmd = dict_cmd_create(maps, 1, "lmdb", O_RDONLY,
			  DICT_FLAG_SRC_RHS_IS_FILE);
    (void) dict_cmd_find(cmd, "k");
}

/* test_base64 - postmap -F in both directions */
static void test_base64(void **state)
{
    char   *fa = path_in_dir("fa");
    char   *fb = path_in_dir("fb");
    char   *files = concatenate(fa, ", ", fb, (char *) 0);
    char   *none = path_in_dir("none");
    VSTRING *result = vstring_alloc(100);
    VSTRING *why = vstring_alloc(100);
    VSTRING *expect = vstring_alloc(100);
    TEST_CHILD_RESULT child;
    char   *table;
    char   *maps[1];
    DICT_CMD *cmd;
    const char *value;

    (void) state;
    test_write_file(fa, "hello\n");
    test_write_file(fb, "world");
    assert_non_null(dict_cmd_files_to_b64(result, files, why));
    assert_string_equal(vstring_str(result), "aGVsbG8KCndvcmxk");
    assert_non_null(dict_cmd_files_to_b64(result, fa, why));
    assert_string_equal(vstring_str(result), "aGVsbG8K");
    assert_null(dict_cmd_files_to_b64(result, none, why));
    vstring_sprintf(expect, "open %s: No such file or directory", none);
    assert_string_equal(vstring_str(why), vstring_str(expect));
    assert_null(dict_cmd_files_to_b64(result, " , ", why));
    assert_string_equal(vstring_str(why), "no file name");

    table = make_table("b64", "k", "aGVsbG8KCndvcmxk", (char *) 0);
    maps[0] = table;
    cmd = dict_cmd_create(maps, 1, "lmdb", O_RDONLY,
			  DICT_FLAG_SRC_RHS_IS_FILE);
    value = dict_cmd_find(cmd, "k");
    assert_non_null(value);
    assert_string_equal(value, "hello\n\nworld");
    dict_cmd_free(cmd);
    myfree(table);

    table = make_table("notb64", "k", "bar", (char *) 0);
    test_child_run(find_in, table, 10000, &child);
    assert_true(test_child_exited(&child, 1));
    vstring_sprintf(expect, "warning: table lmdb:%s: key k: malformed BASE64 "
		    "value: bar\nfatal: table lmdb:%s: query error\n", table,
		    table);
    assert_string_equal(child.output, vstring_str(expect));
    test_child_free(&child);
    myfree(table);

    vstring_free(result);
    vstring_free(why);
    vstring_free(expect);
    myfree(fa);
    myfree(fb);
    myfree(files);
    myfree(none);
}

/* main - run the tests */
int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_split),
	cmocka_unit_test(test_find_delete),
	cmocka_unit_test(test_base64),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
