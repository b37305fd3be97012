/*
 * test_receive_override - unit tests for receive_override(3) and
 *	word_list(3)
 *
 * The lists are main.cf values as administrators write them: commas,
 * spaces, tabs, mixed case, empty fields.
 */
#include "sys_defs.h"

#include "word_list.h"
#include "cleanup_proto.h"
#include "receive_override.h"
#include "test_support.h"

/* test_word_list - whole fields only, any case, any separator */
static void test_word_list(void **state)
{
    (void) state;
    assert_true(word_list_has("bounce, 2bounce", "2bounce"));
    assert_true(word_list_has("  ,Bounce,,\tdelay\n", "bounce"));
    assert_true(word_list_has("x,delay", "DELAY"));
    assert_false(word_list_has("2bounce", "bounce"));
    assert_false(word_list_has("bounces", "bounce"));
    assert_false(word_list_has("", "bounce"));
    assert_false(word_list_has(" , ", "bounce"));
    assert_false(word_list_has("bounce", ""));
}

/* test_flags - each option clears its flags, others none */
static void test_flags(void **state)
{
    int     all = CLEANUP_FLAG_MASK_EXTERNAL | CLEANUP_FLAG_UNKNOWN_CHECK;

    (void) state;
    assert_int_equal(receive_override_flags("", all), all);
    assert_int_equal(receive_override_flags("no_milters", all), all);
    assert_int_equal(receive_override_flags("No_Header_Body_Checks", all),
		     all & ~CLEANUP_FLAG_FILTER);
    assert_int_equal(receive_override_flags("no_address_mappings", all),
		     all & ~(CLEANUP_FLAG_MAP_OK | CLEANUP_FLAG_BCC_OK));
    assert_int_equal(receive_override_flags("no_unknown_recipient_checks",
					    all),
		     all & ~CLEANUP_FLAG_UNKNOWN_CHECK);
    assert_int_equal(receive_override_flags(
		      "no_unknown_recipient_checks, no_header_body_checks "
				    "no_address_mappings", all), 0);
    assert_int_equal(receive_override_flags("no_address_mappings",
					    CLEANUP_FLAG_BOUNCE),
		     CLEANUP_FLAG_BOUNCE);
}

/* test_utf8_detect - the class itself or "all" */
static void test_utf8_detect(void **state)
{
    (void) state;
    assert_true(receive_override_utf8_detect("sendmail, verify", "sendmail"));
    assert_false(receive_override_utf8_detect("sendmail, verify", "smtpd"));
    assert_true(receive_override_utf8_detect("smtpd", "smtpd"));
    assert_true(receive_override_utf8_detect("ALL", "qmqpd"));
    assert_false(receive_override_utf8_detect("", "qmqpd"));
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_word_list),
	cmocka_unit_test(test_flags),
	cmocka_unit_test(test_utf8_detect),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
