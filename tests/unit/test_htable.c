/*
 * test_htable - unit tests for htable(3)
 */
#include "sys_defs.h"

#include <stdio.h>
#include <string.h>

#include "mymalloc.h"
#include "htable.h"
#include "test_support.h"

static int freed;

/* count_free - value destructor that counts calls */
static void count_free(void *value)
{
    freed++;
    myfree(value);
}

/* test_enter_find_delete - basic operations across growth */
static void test_enter_find_delete(void **state)
{
    HTABLE *table = htable_create(0);
    char    key[32];
    int     n;

    (void) state;
    for (n = 0; n < 5000; n++) {
	snprintf(key, sizeof(key), "key%d", n);
	htable_enter(table, key, mystrdup(key));
    }
    assert_int_equal(htable_used(table), 5000);
    for (n = 0; n < 5000; n++) {
	snprintf(key, sizeof(key), "key%d", n);
	assert_string_equal(htable_find(table, key), key);
    }
    assert_null(htable_find(table, "absent"));
    freed = 0;
    assert_true(htable_delete(table, "key17", count_free));
    assert_false(htable_delete(table, "key17", count_free));
    assert_int_equal(freed, 1);
    assert_null(htable_find(table, "key17"));
    htable_free(table, count_free);
    assert_int_equal(freed, 5000);
}

/* test_order - list and walk follow insertion order */
static void test_order(void **state)
{
    HTABLE *table = htable_create(3);
    const char *keys[] = {"zeta", "alpha", "mid", "beta"};
    HTABLE_INFO **list;
    size_t  n;

    (void) state;
    for (n = 0; n < ARRAY_LEN(keys); n++)
	htable_enter(table, keys[n], (void *) keys[n]);
    htable_delete(table, "alpha", NULL);
    list = htable_list(table);
    assert_string_equal(list[0]->key, "zeta");
    assert_string_equal(list[1]->key, "mid");
    assert_string_equal(list[2]->key, "beta");
    assert_null(list[3]);
    myfree(list);
    htable_free(table, NULL);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_enter_find_delete),
	cmocka_unit_test(test_order),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
