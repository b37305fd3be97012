/*
 * test_recipient_list - unit tests for recipient_list(3)
 *
 * DESCRIPTION
 *	Adding copies (NULL stored as ""), growing past many entries,
 *	swapping two lists, and freeing to an empty, reusable list.
 */
#include "sys_defs.h"

#include <stdio.h>
#include <string.h>

#include "mymalloc.h"
#include "recipient_list.h"
#include "test_support.h"

/* test_add_copies - fields are private copies; NULL becomes "" */
static void test_add_copies(void **state)
{
    RECIPIENT_LIST list;
    char    address[] = "user@example.org";

    (void) state;
    recipient_list_init(&list);
    assert_int_equal(list.len, 0);
    assert_null(list.info);
    recipient_list_add(&list, 123, "rfc822;orig@example.org",
		       DSN_NOTIFY_SUCCESS | DSN_NOTIFY_FAILURE,
		       "orig@example.org", address);
    recipient_list_add(&list, 456, NULL, 0, NULL, NULL);
    address[0] = 'X';
    assert_int_equal(list.len, 2);
    assert_int_equal(list.info[0].offset, 123);
    assert_string_equal(list.info[0].address, "user@example.org");
    assert_string_equal(list.info[0].orig_addr, "orig@example.org");
    assert_string_equal(list.info[0].dsn_orcpt, "rfc822;orig@example.org");
    assert_int_equal(list.info[0].dsn_notify, 6);
    assert_int_equal(list.info[1].offset, 456);
    assert_string_equal(list.info[1].address, "");
    assert_string_equal(list.info[1].orig_addr, "");
    assert_string_equal(list.info[1].dsn_orcpt, "");
    assert_int_equal(list.info[1].dsn_notify, 0);
    recipient_list_free(&list);
    assert_int_equal(list.len, 0);
    assert_null(list.info);
}

/* test_grow - many recipients keep their order and contents */
static void test_grow(void **state)
{
    RECIPIENT_LIST list;
    char    buf[64];
    int     n;

    (void) state;
    recipient_list_init(&list);
    for (n = 0; n < 1000; n++) {
	snprintf(buf, sizeof(buf), "rcpt%d@example.org", n);
	recipient_list_add(&list, 100 + n, "", 0, "", buf);
    }
    assert_int_equal(list.len, 1000);
    assert_true(list.avail >= 1000);
    for (n = 0; n < 1000; n++) {
	snprintf(buf, sizeof(buf), "rcpt%d@example.org", n);
	assert_string_equal(list.info[n].address, buf);
	assert_int_equal(list.info[n].offset, 100 + n);
    }
    recipient_list_free(&list);
    /* Reusable after free. */
    recipient_list_add(&list, 1, "", 0, "", "again@example.org");
    assert_int_equal(list.len, 1);
    recipient_list_free(&list);
}

/* test_swap - contents change places, nothing is copied or lost */
static void test_swap(void **state)
{
    RECIPIENT_LIST a;
    RECIPIENT_LIST b;
    RECIPIENT *a_info;

    (void) state;
    recipient_list_init(&a);
    recipient_list_init(&b);
    recipient_list_add(&a, 1, "", 0, "", "a1@example.org");
    recipient_list_add(&a, 2, "", 0, "", "a2@example.org");
    a_info = a.info;
    recipient_list_swap(&a, &b);
    assert_int_equal(a.len, 0);
    assert_null(a.info);
    assert_int_equal(b.len, 2);
    assert_ptr_equal(b.info, a_info);
    assert_string_equal(b.info[1].address, "a2@example.org");
    recipient_list_add(&a, 3, "", 0, "", "new@example.org");
    recipient_list_swap(&a, &b);
    assert_int_equal(a.len, 2);
    assert_int_equal(b.len, 1);
    assert_string_equal(b.info[0].address, "new@example.org");
    recipient_list_free(&a);
    recipient_list_free(&b);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_add_copies),
	cmocka_unit_test(test_grow),
	cmocka_unit_test(test_swap),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
