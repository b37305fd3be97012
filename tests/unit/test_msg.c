/*
 * test_msg - unit tests for msg(3)
 */
#include "sys_defs.h"

#include <errno.h>
#include <string.h>

#include "msg.h"
#include "mymalloc.h"
#include "test_support.h"
#include "test_child.h"

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

typedef struct {
    int     count;			/* errors to report */
    int     clear_at;			/* msg_error_clear() after this one */
} ERROR_BURST;

/* error_burst - the child: report errors, clearing the count once */
static void error_burst(void *context)
{
    const ERROR_BURST *burst = context;
    int     n;

    for (n = 1; n <= burst->count; n++) {
	msg_error("number %d", n);
	if (n == burst->clear_at)
	    msg_error_clear();
    }
}

/* test_error_limit - the 13th error since the last clear is fatal */
static void test_error_limit(void **state)
{
    static const struct {
	ERROR_BURST burst;
	int     status;
    } cases[] = {
	{{12, 0}, 0},
	{{13, 0}, 1},
	{{24, 12}, 0},
	{{25, 12}, 1},
    };
    TEST_CHILD_RESULT result;
    size_t  n;

    (void) state;
    for (n = 0; n < ARRAY_LEN(cases); n++) {
	test_child_run(error_burst, (void *) &cases[n].burst, 10000, &result);
	assert_true(test_child_exited(&result, cases[n].status));
	assert_int_equal(strstr(result.output, "fatal: too many errors - "
				"program terminated\n") != NULL,
			 cases[n].status == 1);
	test_child_free(&result);
    }
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

/* test_long - long messages are kept up to 8192 bytes, then cut */
static void test_long(void **state)
{
    static const size_t sizes[] = {3000, 8192, 8193, 30000};
    char   *big = mymalloc(30001);
    const char *text;
    size_t  n;

    (void) state;
    memset(big, 'z', 30000);
    for (n = 0; n < ARRAY_LEN(sizes); n++) {
	big[sizes[n]] = 0;
	test_capture_start();
	msg_warn("%s", big);
	text = test_capture_text();
	if (sizes[n] <= 8192) {
	    assert_int_equal(strlen(text), strlen("warning: \n") + sizes[n]);
	    assert_string_equal(text + strlen(text) - 2, "z\n");
	} else {
	    assert_int_equal(strlen(text), strlen("warning: \n") + 8192);
	    assert_string_equal(text + strlen(text) - 5, "z...\n");
	}
	test_capture_stop();
	big[sizes[n]] = 'z';
    }
    myfree(big);
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
	cmocka_unit_test(test_error_limit),
	cmocka_unit_test(test_sanitize),
	cmocka_unit_test(test_errno),
	cmocka_unit_test(test_long),
	cmocka_unit_test(test_labels),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
