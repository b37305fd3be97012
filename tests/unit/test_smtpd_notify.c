/*
 * test_smtpd_notify - unit tests for the notify_classes transcript
 *
 * DESCRIPTION
 *	smtpd_notify_record(): nothing without a class that smtpd
 *	reports; "?" for control characters and bytes that are not
 *	UTF-8 (all non-ASCII bytes with smtputf8_enable = no); the bound
 *	on the number of lines. smtpd_notify_trim(): a transcript of
 *	more than 100 lines is forgotten. smtpd_notify_clear_errors().
 *	The notice itself (wrapping, headers) is compared with Debian's
 *	Postfix in tests/system/test_smtpd_notify.py.
 */
#include "sys_defs.h"

#include <string.h>

#include "argv.h"
#include "vstring.h"
#include "mail_conf.h"
#include "mail_params.h"
#include "smtpd.h"
#include "smtpd_check.h"
#include "test_params.h"
#include "test_support.h"

/* set_classes - notify_classes for the next records */
static void set_classes(const char *classes, const char *utf8)
{
    test_set_param("notify_classes", classes);
    test_set_param("smtputf8_enable", utf8);
    smtpd_notify_init();
}

/* record - record text (len bytes) and return the last line */
static const char *record(SMTPD_STATE *state, const char *text, size_t len)
{
    smtpd_notify_record(state, "In:  ", text, len);
    assert_non_null(state->transcript);
    return (state->transcript->argv[state->transcript->argc - 1]);
}

/* test_characters - controls and bad UTF-8 as "?" */
static void test_characters(void **unused)
{
    static const char text[] = "a\x01" "b\x7f" "c\xff" "d\xc3\xa9" "e\t";
    SMTPD_STATE state;

    memset(&state, 0, sizeof(state));
    set_classes("policy, protocol", "yes");
    assert_string_equal(record(&state, text, sizeof(text) - 1),
			"In:  a?b?c?d\xc3\xa9" "e?");
    /* Only len bytes count. */
    assert_string_equal(record(&state, "HELO x", 4), "In:  HELO");
    set_classes("protocol", "no");
    assert_string_equal(record(&state, text, sizeof(text) - 1),
			"In:  a?b?c?d??e?");
    smtpd_notify_free(&state);
    assert_null(state.transcript);
}

/* test_no_classes - nothing recorded without a class that smtpd reports */
static void test_no_classes(void **unused)
{
    SMTPD_STATE state;

    memset(&state, 0, sizeof(state));
    set_classes("bounce, 2bounce, delay", "yes");
    smtpd_notify_record(&state, "Out: ", "500 x", 5);
    assert_null(state.transcript);
    set_classes("data", "yes");
    smtpd_notify_record(&state, "Out: ", "500 x", 5);
    assert_non_null(state.transcript);
    smtpd_notify_free(&state);
}

/* test_trim_and_bound - over 100 lines forgotten; never over 2000 */
static void test_trim_and_bound(void **unused)
{
    SMTPD_STATE state;
    int     i;

    memset(&state, 0, sizeof(state));
    set_classes("protocol", "yes");
    for (i = 0; i < 100; i++)
	smtpd_notify_record(&state, "In:  ", "NOOP", 4);
    smtpd_notify_trim(&state);
    assert_int_equal(state.transcript->argc, 100);
    smtpd_notify_record(&state, "Out: ", "250 Ok", 6);
    smtpd_notify_trim(&state);
    assert_int_equal(state.transcript->argc, 0);
    for (i = 0; i < 5000; i++) {
	smtpd_notify_record(&state, "In:  ", "NOOP", 4);
	assert_true(state.transcript->argc <= 2000);
    }
    assert_true(state.transcript->argc >= 1000);
    smtpd_notify_record(&state, "In:  ", "QUIT", 4);
    assert_string_equal(state.transcript->argv[state.transcript->argc - 1],
			"In:  QUIT");
    smtpd_notify_free(&state);
}

/* test_clear_errors - a queued message clears the error classes */
static void test_clear_errors(void **unused)
{
    SMTPD_STATE state;

    memset(&state, 0, sizeof(state));
    state.error_mask = SMTPD_CHECK_ERR_PROTOCOL | SMTPD_CHECK_ERR_DATA;
    smtpd_notify_clear_errors(&state);
    assert_int_equal(state.error_mask, 0);
    assert_int_equal(smtpd_check_error_mask(&state), 0);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_characters),
	cmocka_unit_test(test_no_classes),
	cmocka_unit_test(test_trim_and_bound),
	cmocka_unit_test(test_clear_errors),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
