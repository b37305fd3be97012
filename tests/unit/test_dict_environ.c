/*
 * test_dict_environ - unit tests for dict_environ(3)
 *
 * DESCRIPTION
 *	postconf(1) -m: the lookup key is the environment variable name;
 *	the table name is ignored. Keys are folded like every fixed table
 *	(Postfix's "postmap -q HOME environ:x" finds nothing).
 */
#include "sys_defs.h"

#include <stdlib.h>

#include "dict.h"
#include "dict_environ.h"
#include "test_dict_support.h"

/* test_environ - lookups and updates */
static void test_environ(void **state)
{
    static const TEST_DICT_QUERY q[] = {
	{"TEST_ENVIRON_X", "value x", ""},
	{"test_environ_y", "NOTFOUND", ""},
	{0},
    };
    static const TEST_DICT_QUERY folded[] = {
	{"TEST_ENVIRON_X", "NOTFOUND", ""},
	{"test_environ_l", "lower", ""},
	{"TEST_ENVIRON_L", "lower", ""},
	{0},
    };
    DICT   *dict;

    (void) state;
    assert_int_equal(setenv("TEST_ENVIRON_X", "value x", 1), 0);
    assert_int_equal(setenv("test_environ_l", "lower", 1), 0);
    unsetenv("test_environ_y");
    test_dict_expect("environ:whatever", 0, NULL, q, "");
    test_dict_expect("environ:whatever", DICT_FLAG_FOLD_FIX, NULL, folded, "");

    dict = dict_open("environ:x", O_RDWR, 0);
    assert_int_equal(dict_put(dict, "TEST_ENVIRON_Y", "new"), DICT_STAT_SUCCESS);
    assert_string_equal(getenv("TEST_ENVIRON_Y"), "new");
    test_capture_start();
    assert_int_equal(dict_put(dict, "A=B", "x"), DICT_STAT_ERROR);
    assert_int_equal(dict->error, DICT_ERR_CONFIG);
    assert_string_equal(test_capture_text(), "warning: environ:x: cannot set "
			"environment variable \"A=B\"\n");
    test_capture_stop();
    dict_close(dict);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_environ),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
