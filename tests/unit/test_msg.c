/*
 * test_msg - unit tests for msg(3)
 */
#include "sys_defs.h"

#include <errno.h>
#include <string.h>

#include "msg.h"
#include "test_support.h"

/* test_levels - labels and capture */
static void test_levels(void **state)
{
    (void) state;
    test_capture_start();
    msg_info("plain %d", 1);
    msg_warn("careful");
    msg_error("broken");
    assert_string_equal(test_capture_text(),
			"plain 1\nwarning: careful\nerror: broken\n");
    test_capture_stop();
    msg_error_clear();
}

/* test_sanitize - control characters cannot forge log lines */
static void test_sanitize(void **state)
{
    (void) state;
    test_capture_start();
    msg_warn("peer said %s", "a\r\nfake: line\x01");
    assert_string_equal(test_capture_text(),
			"warning: peer said a??fake: line?\n");
    test_capture_stop();
}

/* test_errno - %m expands to the errno text */
static void test_errno(void **state)
{
    (void) state;
    test_capture_start();
    errno = ENOENT;
    msg_warn("open x: %m");
    assert_string_equal(test_capture_text(),
			"warning: open x: No such file or directory\n");
    test_capture_stop();
}

/* test_long - long messages are not truncated */
static void test_long(void **state)
{
    char    big[3000];

    (void) state;
    memset(big, 'z', sizeof(big) - 1);
    big[sizeof(big) - 1] = 0;
    test_capture_start();
    msg_info("%s", big);
    assert_int_equal(strlen(test_capture_text()), sizeof(big));
    test_capture_stop();
}

/* test_labels - every level has the Postfix word */
static void test_labels(void **state)
{
    (void) state;
    assert_string_equal(msg_level_label(MSG_INFO), "");
    assert_string_equal(msg_level_label(MSG_WARN), "warning");
    assert_string_equal(msg_level_label(MSG_ERROR), "error");
    assert_string_equal(msg_level_label(MSG_FATAL), "fatal");
    assert_string_equal(msg_level_label(MSG_PANIC), "panic");
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_levels),
	cmocka_unit_test(test_sanitize),
	cmocka_unit_test(test_errno),
	cmocka_unit_test(test_long),
	cmocka_unit_test(test_labels),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
