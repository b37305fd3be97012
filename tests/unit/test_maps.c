/*
 * test_maps - unit tests for maps(3)
 *
 * DESCRIPTION
 *	A list of tables is searched in order; the first result wins; a
 *	failing table stops the search with a warning naming it (Postfix's
 *	"<type>:<name> lookup error for \"<key>\"").
 */
#include "sys_defs.h"

#include "dict.h"
#include "maps.h"
#include "test_dict_support.h"

/* test_maps_find - search order and filters */
static void test_maps_find(void **state)
{
    MAPS   *maps;

    (void) state;
    maps = maps_create("test_maps", "inline:{a=1}, regexp:{{/^b/ 2}}\t"
		       "inline:{{a=3}, c=4}", DICT_FLAG_FOLD_FIX);
    assert_int_equal(maps->count, 3);
    assert_string_equal(maps_find(maps, "a", 0), "1");
    assert_string_equal(maps_find(maps, "A", 0), "1");
    assert_string_equal(maps_find(maps, "bb", 0), "2");
    assert_string_equal(maps_find(maps, "c", 0), "4");
    assert_null(maps_find(maps, "d", 0));
    assert_int_equal(maps->error, DICT_ERR_NONE);
    /* Partial keys go to fixed-string tables only. */
    assert_null(maps_find(maps, "bb", DICT_FLAG_FIXED));
    assert_string_equal(maps_find(maps, "bb", DICT_FLAG_PATTERN), "2");
    /* The empty key finds nothing. */
    assert_null(maps_find(maps, "", 0));
    assert_int_equal(maps->error, DICT_ERR_NONE);
    maps_free(maps);

    /* An empty list. */
    maps = maps_create("empty", "", 0);
    assert_int_equal(maps->count, 0);
    assert_null(maps_find(maps, "a", 0));
    maps_free(maps);
}

/* test_maps_errors - failing tables and empty results */
static void test_maps_errors(void **state)
{
    MAPS   *maps;

    (void) state;
    maps = maps_create("test_maps", "inline:{a=1}, fail:broken, static:s", 0);
    assert_string_equal(maps_find(maps, "a", 0), "1");
    assert_int_equal(maps->error, DICT_ERR_NONE);
    test_capture_start();
    assert_null(maps_find(maps, "b", 0));
    assert_int_equal(maps->error, DICT_ERR_RETRY);
    assert_string_equal(test_capture_text(),
			"warning: fail:broken lookup error for \"b\"\n");
    test_capture_stop();
    /* The error is cleared by the next search. */
    assert_string_equal(maps_find(maps, "a", 0), "1");
    assert_int_equal(maps->error, DICT_ERR_NONE);
    maps_free(maps);

    test_capture_start();
    maps = maps_create("test_maps", "nosuchtype:x, static:s", 0);
    assert_null(maps_find(maps, "a", 0));
    assert_int_equal(maps->error, DICT_ERR_CONFIG);
    assert_string_equal(test_capture_text(),
			"warning: nosuchtype:x is unavailable. "
			"unsupported dictionary type: nosuchtype\n"
			"warning: nosuchtype:x is unavailable. "
			"unsupported dictionary type: nosuchtype\n"
			"warning: nosuchtype:x lookup error for \"a\"\n");
    test_capture_stop();
    maps_free(maps);

    test_capture_start();
    maps = maps_create("test_maps", "static:{}", 0);
    assert_null(maps_find(maps, "a", 0));
    assert_int_equal(maps->error, DICT_ERR_CONFIG);
    assert_string_equal(test_capture_text(),
		"warning: test_maps lookup of a returns an empty string result\n"
	      "warning: test_maps should return NO RESULT in case of NOT FOUND\n");
    test_capture_stop();
    maps_free(maps);
}

/* test_maps_shared - a table named twice is opened once */
static void test_maps_shared(void **state)
{
    MAPS   *m1;
    MAPS   *m2;

    (void) state;
    m1 = maps_create("one", "inline:{a=1}", 0);
    m2 = maps_create("two", "inline:{a=1}", 0);
    assert_ptr_equal(m1->dicts[0], m2->dicts[0]);
    assert_int_equal(m1->dicts[0]->refcount, 2);
    maps_free(m1);
    assert_string_equal(maps_find(m2, "a", 0), "1");
    maps_free(m2);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_maps_find),
	cmocka_unit_test(test_maps_errors),
	cmocka_unit_test(test_maps_shared),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
