/*
 * test_dsn - unit tests for dsn(3)
 *
 * DESCRIPTION
 *	Status code syntax (table), the action a class implies, simple
 *	DSNs, owned copies, and the DSN_BUF an agent fills.
 */
#include "sys_defs.h"

#include <string.h>

#include "vstring.h"
#include "dsn.h"
#include "test_support.h"

typedef struct STATUS_CASE {
    const char *status;
    bool    valid;
} STATUS_CASE;

static const STATUS_CASE status_cases[] = {
    {"2.0.0", true},
    {"4.2.2", true},
    {"5.1.1", true},
    {"5.123.456", true},
    {"4.10.1", true},
    {"3.0.0", false},
    {"6.0.0", false},
    {"1.0.0", false},
    {"5.1", false},
    {"5..1", false},
    {"5.1.", false},
    {"5.1.1.", false},
    {"5.1.1 ", false},
    {"5.1234.1", false},
    {"5.1.1234", false},
    {"5.a.1", false},
    {"50.1.1", false},
    {"", false},
    {".1.1", false},
};

/* test_valid_status - RFC 3463 class.subject.detail */
static void test_valid_status(void **state)
{
    size_t  n;

    (void) state;
    for (n = 0; n < ARRAY_LEN(status_cases); n++) {
	if (dsn_valid_status(status_cases[n].status) != status_cases[n].valid)
	    fail_msg("dsn_valid_status(\"%s\") should be %d",
		     status_cases[n].status, status_cases[n].valid);
    }
    assert_false(dsn_valid_status(NULL));
}

/* test_action_of - class 2, 4, 5 and anything else */
static void test_action_of(void **state)
{
    (void) state;
    assert_string_equal(dsn_action_of("2.0.0"), "delivered");
    assert_string_equal(dsn_action_of("4.4.1"), "delayed");
    assert_string_equal(dsn_action_of("5.1.1"), "failed");
    assert_string_equal(dsn_action_of("x"), "failed");
    assert_string_equal(dsn_action_of(NULL), "failed");
}

/* test_simple_copy - dsn_simple() fields; dsn_copy() owns its copies */
static void test_simple_copy(void **state)
{
    DSN     dsn;
    DSN    *copy;
    char    reason[] = "mailbox unavailable";

    (void) state;
    assert_ptr_equal(dsn_simple(&dsn, "5.1.1", reason), &dsn);
    assert_string_equal(dsn.status, "5.1.1");
    assert_string_equal(dsn.action, "failed");
    assert_string_equal(dsn.reason, "mailbox unavailable");
    assert_string_equal(dsn.dtype, "");
    assert_string_equal(dsn.dtext, "");
    assert_string_equal(dsn.mtype, "");
    assert_string_equal(dsn.mname, "");
    copy = dsn_copy(&dsn);
    reason[0] = 'X';
    assert_string_equal(copy->reason, "mailbox unavailable");
    assert_string_equal(copy->action, "failed");
    dsn_free(copy);
    /* NULL fields become "". */
    memset(&dsn, 0, sizeof(dsn));
    copy = dsn_copy(&dsn);
    assert_string_equal(copy->status, "");
    assert_string_equal(copy->mname, "");
    dsn_free(copy);
}

/* test_dsb - update, simple (clears diagnostics), dsn view */
static void test_dsb(void **state)
{
    DSN_BUF *dsb = dsb_create();
    DSN     dsn;

    (void) state;
    dsb_update(dsb, "5.1.1", "failed", "dns", "mx.example.org", "smtp",
	       "550 5.1.1 no such user", "host %s said: %s",
	       "mx.example.org", "550 no such user");
    dsb_dsn(dsb, &dsn);
    assert_string_equal(dsn.status, "5.1.1");
    assert_string_equal(dsn.action, "failed");
    assert_string_equal(dsn.mtype, "dns");
    assert_string_equal(dsn.mname, "mx.example.org");
    assert_string_equal(dsn.dtype, "smtp");
    assert_string_equal(dsn.dtext, "550 5.1.1 no such user");
    assert_string_equal(dsn.reason,
			"host mx.example.org said: 550 no such user");
    /* A NULL action: the one the class implies. */
    dsb_update(dsb, "4.4.1", NULL, NULL, NULL, NULL, NULL, "%s", "later");
    dsb_dsn(dsb, &dsn);
    assert_string_equal(dsn.action, "delayed");
    assert_string_equal(dsn.mtype, "");
    dsb_update(dsb, "5.1.1", "failed", "dns", "mx", "smtp", "550", "x");
    dsb_simple(dsb, "2.0.0", "delivered to %s", "mailbox");
    dsb_dsn(dsb, &dsn);
    assert_string_equal(dsn.status, "2.0.0");
    assert_string_equal(dsn.action, "delivered");
    assert_string_equal(dsn.reason, "delivered to mailbox");
    assert_string_equal(dsn.mtype, "");
    assert_string_equal(dsn.mname, "");
    assert_string_equal(dsn.dtype, "");
    assert_string_equal(dsn.dtext, "");
    dsb_free(dsb);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_valid_status),
	cmocka_unit_test(test_action_of),
	cmocka_unit_test(test_simple_copy),
	cmocka_unit_test(test_dsb),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
