/*
 * test_dict_ht - unit tests for dict_ht(3), the "internal" table
 */
#include "sys_defs.h"

#include "dict.h"
#include "dict_ht.h"
#include "test_dict_support.h"

/* test_ht - update, lookup, delete and sequence */
static void test_ht(void **state)
{
    DICT   *dict;
    const char *key;
    const char *value;

    (void) state;
    dict = dict_open("internal:x", O_RDWR, DICT_FLAG_FOLD_FIX);
    assert_int_equal(dict_put(dict, "B", "1"), DICT_STAT_SUCCESS);
    assert_int_equal(dict_put(dict, "a", "2"), DICT_STAT_SUCCESS);
    assert_int_equal(dict_put(dict, "c", "3"), DICT_STAT_SUCCESS);
    assert_int_equal(dict_put(dict, "b", "4"), DICT_STAT_SUCCESS);
    assert_string_equal(test_dict_get(dict, "b"), "4");
    assert_string_equal(test_dict_get(dict, "B"), "4");
    assert_string_equal(test_dict_get(dict, "d"), "NOTFOUND");

    /* Insertion order; a replaced key keeps its place. */
    assert_int_equal(dict_seq(dict, DICT_SEQ_FUN_FIRST, &key, &value), 0);
    assert_string_equal(key, "b");
    assert_string_equal(value, "4");
    assert_int_equal(dict_seq(dict, DICT_SEQ_FUN_NEXT, &key, &value), 0);
    assert_string_equal(key, "a");
    /* Deleting the current entry ends the walk safely. */
    assert_int_equal(dict_del(dict, "a"), DICT_STAT_SUCCESS);
    assert_int_equal(dict_seq(dict, DICT_SEQ_FUN_NEXT, &key, &value),
		     DICT_STAT_FAIL);
    assert_int_equal(dict_del(dict, "a"), DICT_STAT_FAIL);
    assert_int_equal(dict_seq(dict, DICT_SEQ_FUN_FIRST, &key, &value), 0);
    assert_int_equal(dict_seq(dict, DICT_SEQ_FUN_NEXT, &key, &value), 0);
    assert_string_equal(key, "c");
    assert_int_equal(dict_seq(dict, DICT_SEQ_FUN_NEXT, &key, &value),
		     DICT_STAT_FAIL);
    dict_close(dict);

    /* DICT_FLAG_DUP_IGNORE keeps the first value. */
    dict = dict_open("internal:y", O_RDWR, DICT_FLAG_DUP_IGNORE);
    assert_int_equal(dict_put(dict, "k", "1"), DICT_STAT_SUCCESS);
    assert_int_equal(dict_put(dict, "k", "2"), DICT_STAT_FAIL);
    assert_string_equal(test_dict_get(dict, "k"), "1");
    dict_close(dict);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_ht),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
