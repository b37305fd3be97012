/*
 * test_cleanup_header_fn - unit tests for cleanup_header_fn(3)
 *
 * DESCRIPTION
 *	Table-driven: header values, character stripping/rejection, stray
 *	CR/LF replacement, the generated Date:, Message-Id: and From:
 *	values, and message_drop_headers matching.
 */
#include "sys_defs.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vstring.h"
#include "cleanup_header_fn.h"
#include "test_support.h"

/* test_value - the value after the colon */
static void test_value(void **state)
{
    static const char *const cases[][2] = {
	{"Subject: hello", "hello"},
	{"Subject:hello", "hello"},
	{"Subject:   \thello ", "hello "},
	{"Subject:\n\thello", "hello"},
	{"Subject:", ""},
	{"To : a@b", "a@b"},
	{"X-Empty:   ", ""},
    };
    const char *value;
    size_t  len;
    size_t  i;

    (void) state;
    for (i = 0; i < ARRAY_LEN(cases); i++) {
	value = cleanup_header_value(cases[i][0], strlen(cases[i][0]), &len);
	assert_non_null(value);
	assert_int_equal(len, strlen(cases[i][1]));
	assert_memory_equal(value, cases[i][1], len);
    }
    assert_null(cleanup_header_value("no header", 9, &len));
}

/* test_chars - stripping, finding, stray CR/LF */
static void test_chars(void **state)
{
    VSTRING *line = vstring_alloc(10);

    (void) state;
    vstring_memcpy(line, "a\0b\ac", 5);
    assert_true(cleanup_chars_strip(line, "\0\a", 2));
    assert_int_equal(VSTRING_LEN(line), 3);
    assert_string_equal(vstring_str(line), "abc");
    assert_false(cleanup_chars_strip(line, "xyz", 3));
    assert_false(cleanup_chars_strip(line, "", 0));
    assert_string_equal(vstring_str(line), "abc");

    assert_true(cleanup_chars_find("ding\a", 5, "\a", 1));
    assert_true(cleanup_chars_find("a\0b", 3, "\0", 1));
    assert_false(cleanup_chars_find("ding", 4, "\a", 1));
    assert_false(cleanup_chars_find("ding", 4, "", 0));

    vstring_strcpy(line, "a\rb\nc");
    assert_true(cleanup_chars_stray_cr_lf(line));
    assert_string_equal(vstring_str(line), "a b c");
    assert_false(cleanup_chars_stray_cr_lf(line));
    vstring_free(line);
}

/* test_date - Date: values in local time */
static void test_date(void **state)
{
    VSTRING *buf = vstring_alloc(10);
    char   *saved = getenv("TZ") ? strdup(getenv("TZ")) : 0;

    (void) state;
    setenv("TZ", "UTC", 1);
    tzset();
    cleanup_header_date(buf, (time_t) 1796430221);	/* 2026-12-05 */
    assert_string_equal(vstring_str(buf),
			"Sat,  5 Dec 2026 00:23:41 +0000 (UTC)");
    setenv("TZ", "EST5EDT", 1);
    tzset();
    cleanup_header_date(buf, (time_t) 1796430221);
    assert_string_equal(vstring_str(buf),
			"Fri,  4 Dec 2026 19:23:41 -0500 (EST)");
    setenv("TZ", "Asia/Kolkata", 1);
    tzset();
    cleanup_header_date(buf, (time_t) 1796430221);
    assert_string_equal(vstring_str(buf),
			"Sat,  5 Dec 2026 05:53:41 +0530 (IST)");
    if (saved) {
	setenv("TZ", saved, 1);
	free(saved);
    } else {
	unsetenv("TZ");
    }
    tzset();
    vstring_free(buf);
}

/* test_msgid - Message-Id: values */
static void test_msgid(void **state)
{
    VSTRING *buf = vstring_alloc(10);

    (void) state;
    cleanup_header_msgid(buf, (time_t) 1796430221, "3F2A1B7E4",
			 "host.example");
    assert_string_equal(vstring_str(buf),
			"<20261205002341.3F2A1B7E4@host.example>");
    vstring_free(buf);
}

typedef struct FROM_CASE {
    const char *name;
    const char *sender;
    bool    obsolete;
    const char *result;
} FROM_CASE;

static const FROM_CASE from_cases[] = {
    {"root", "s@example.org", false, "root <s@example.org>"},
    {"John Q. Public", "j@x", false, "\"John Q. Public\" <j@x>"},
    {"A \"B\" C", "j@x", false, "\"A \\\"B\\\" C\" <j@x>"},
    {"per%cent", "j@x", false, "\"per%cent\" <j@x>"},
    {0, "s@example.org", false, "s@example.org"},
    {"", "s@example.org", false, "s@example.org"},
    {"root", "", false, ""},
    {"root", "s@example.org", true, "s@example.org (root)"},
    {"a (b) c", "s@x", true, "s@x (a \\(b\\) c)"},
};

/* test_from - From: values */
static void test_from(void **state)
{
    VSTRING *buf = vstring_alloc(10);
    size_t  i;

    (void) state;
    for (i = 0; i < ARRAY_LEN(from_cases); i++) {
	cleanup_header_from(buf, from_cases[i].name, from_cases[i].sender,
			    from_cases[i].obsolete);
	assert_string_equal(vstring_str(buf), from_cases[i].result);
    }
    vstring_free(buf);
}

/* test_in_list - message_drop_headers matching */
static void test_in_list(void **state)
{
    const char *list = "bcc, content-length,resent-bcc return-path";

    (void) state;
    assert_true(cleanup_header_in_list("Bcc", 3, list));
    assert_true(cleanup_header_in_list("CONTENT-LENGTH", 14, list));
    assert_true(cleanup_header_in_list("Resent-Bcc", 10, list));
    assert_true(cleanup_header_in_list("Return-Path", 11, list));
    assert_false(cleanup_header_in_list("Bc", 2, list));
    assert_false(cleanup_header_in_list("Content", 7, list));
    assert_false(cleanup_header_in_list("Bcc", 3, ""));
    assert_false(cleanup_header_in_list("", 0, list));
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_value),
	cmocka_unit_test(test_chars),
	cmocka_unit_test(test_date),
	cmocka_unit_test(test_msgid),
	cmocka_unit_test(test_from),
	cmocka_unit_test(test_in_list),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
