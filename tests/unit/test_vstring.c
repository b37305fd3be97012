/*
 * test_vstring - unit tests for vstring(3)
 */
#include "sys_defs.h"

#include <string.h>

#include "mymalloc.h"
#include "vstring.h"
#include "test_support.h"

/* test_copy_and_append - basic content operations */
static void test_copy_and_append(void **state)
{
    VSTRING *vp = vstring_alloc(1);

    (void) state;
    vstring_strcpy(vp, "hello");
    vstring_strcat(vp, ", world");
    assert_string_equal(vstring_str(vp), "hello, world");
    assert_int_equal(VSTRING_LEN(vp), 12);
    vstring_strncpy(vp, "abcdef", 3);
    assert_string_equal(vstring_str(vp), "abc");
    vstring_strncat(vp, "xyz", 10);
    assert_string_equal(vstring_str(vp), "abcxyz");
    vstring_truncate(vp, 2);
    assert_string_equal(vstring_str(vp), "ab");
    vstring_truncate(vp, 10);
    assert_string_equal(vstring_str(vp), "ab");
    VSTRING_RESET(vp);
    assert_int_equal(VSTRING_LEN(vp), 0);
    assert_string_equal(vstring_str(vp), "");
    vstring_free(vp);
}

/* test_growth - many single-byte appends grow the buffer */
static void test_growth(void **state)
{
    VSTRING *vp = vstring_alloc(1);
    int     n;

    (void) state;
    for (n = 0; n < 100000; n++)
	VSTRING_ADDCH(vp, 'a' + n % 26);
    VSTRING_TERMINATE(vp);
    assert_int_equal(VSTRING_LEN(vp), 100000);
    assert_int_equal(strlen(vstring_str(vp)), 100000);
    assert_int_equal(vstring_str(vp)[27], 'b');
    vstring_free(vp);
}

/* test_bound - a bounded string truncates and flags overflow */
static void test_bound(void **state)
{
    VSTRING *vp = vstring_alloc(4);
    int     n;

    (void) state;
    vstring_set_maxlen(vp, 10);
    for (n = 0; n < 50; n++)
	VSTRING_ADDCH(vp, 'x');
    VSTRING_TERMINATE(vp);
    assert_int_equal(VSTRING_LEN(vp), 10);
    assert_true(vstring_overflowed(vp));
    assert_true(vp->size <= 11);
    VSTRING_RESET(vp);
    assert_false(vstring_overflowed(vp));
    vstring_strcpy(vp, "0123456789abc");
    assert_string_equal(vstring_str(vp), "0123456789");
    assert_true(vstring_overflowed(vp));
    vstring_sprintf(vp, "%s-%d", "abcdefgh", 12345);
    assert_string_equal(vstring_str(vp), "abcdefgh-1");
    assert_true(vstring_overflowed(vp));
    vstring_strcpy(vp, "short");
    assert_false(vstring_overflowed(vp));
    vstring_free(vp);
}

/* test_printf - formatted output, append and prepend */
static void test_printf(void **state)
{
    VSTRING *vp = vstring_alloc(2);
    char    big[5000];

    (void) state;
    vstring_sprintf(vp, "%d-%s", 42, "x");
    assert_string_equal(vstring_str(vp), "42-x");
    vstring_sprintf_append(vp, "/%05d", 7);
    assert_string_equal(vstring_str(vp), "42-x/00007");
    vstring_sprintf_prepend(vp, "<%c>", 'p');
    assert_string_equal(vstring_str(vp), "<p>42-x/00007");
    memset(big, 'q', sizeof(big) - 1);
    big[sizeof(big) - 1] = 0;
    vstring_sprintf(vp, "[%s]", big);
    assert_int_equal(VSTRING_LEN(vp), sizeof(big) + 1);
    vstring_free(vp);
}

/* test_binary - null bytes are content */
static void test_binary(void **state)
{
    VSTRING *vp = vstring_alloc(10);

    (void) state;
    vstring_memcpy(vp, "a\0b", 3);
    assert_int_equal(VSTRING_LEN(vp), 3);
    assert_memory_equal(vstring_str(vp), "a\0b", 3);
    vstring_memcat(vp, "\0c", 2);
    assert_int_equal(VSTRING_LEN(vp), 5);
    vstring_insert(vp, 1, "XY", 2);
    assert_memory_equal(vstring_str(vp), "aXY\0b\0c", 7);
    vstring_prepend(vp, "<", 1);
    assert_memory_equal(vstring_str(vp), "<aXY\0b\0c", 8);
    vstring_free(vp);
}

/* test_self_copy - copying from inside the same buffer */
static void test_self_copy(void **state)
{
    VSTRING *vp = vstring_alloc(10);

    (void) state;
    vstring_strcpy(vp, "prefix:value");
    vstring_strcpy(vp, vstring_str(vp) + 7);
    assert_string_equal(vstring_str(vp), "value");
    vstring_free(vp);
}

/* test_export_import - ownership transfer */
static void test_export_import(void **state)
{
    VSTRING *vp = vstring_alloc(10);
    char   *str;

    (void) state;
    vstring_strcpy(vp, "owned");
    str = vstring_export(vp);
    assert_string_equal(str, "owned");
    vp = vstring_import(str);
    vstring_strcat(vp, " again");
    assert_string_equal(vstring_str(vp), "owned again");
    vstring_free(vp);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_copy_and_append),
	cmocka_unit_test(test_growth),
	cmocka_unit_test(test_bound),
	cmocka_unit_test(test_printf),
	cmocka_unit_test(test_binary),
	cmocka_unit_test(test_self_copy),
	cmocka_unit_test(test_export_import),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
