/*
 * test_dict_fail - unit tests for dict_fail(3)
 *
 * DESCRIPTION
 *	postconf(1) -m: a table that reliably fails all requests. Postfix
 *	reports it as a temporary error ("postmap -q x fail:foo" exits
 *	with "query error").
 */
#include "sys_defs.h"

#include "dict.h"
#include "dict_fail.h"
#include "test_dict_support.h"

/* test_fail - every operation fails with DICT_ERR_RETRY, silently */
static void test_fail(void **state)
{
    static const TEST_DICT_QUERY q[] = {{"x", "RETRY", ""}, {0}};
    const char *key;
    const char *value;
    DICT   *dict;

    (void) state;
    test_dict_expect("fail:foo", 0, NULL, q, "");
    test_capture_start();
    dict = dict_open("fail:foo", O_RDWR, 0);
    assert_int_equal(dict_put(dict, "a", "b"), DICT_STAT_ERROR);
    assert_int_equal(dict->error, DICT_ERR_RETRY);
    assert_int_equal(dict_del(dict, "a"), DICT_STAT_ERROR);
    assert_int_equal(dict->error, DICT_ERR_RETRY);
    assert_int_equal(dict_seq(dict, DICT_SEQ_FUN_FIRST, &key, &value),
		     DICT_STAT_ERROR);
    assert_int_equal(dict->error, DICT_ERR_RETRY);
    assert_string_equal(test_capture_text(), "");
    test_capture_stop();
    dict_close(dict);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_fail),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
