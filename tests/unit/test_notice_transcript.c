/*
 * test_notice_transcript - unit tests for notice_transcript_add(): how a
 * transcript line is shown (Postfix's "?" for what is not printable) and
 * the bound on the number of lines
 */
#include "sys_defs.h"

#include <stdio.h>
#include <string.h>

#include "argv.h"
#include "notice_transcript.h"
#include "test_params.h"
#include "test_support.h"

/* test_sanitize - controls, DEL and bytes that are not UTF-8 become "?" */
static void test_sanitize(void **state)
{
    static const struct {
	const char *utf8;		/* smtputf8_enable */
	const char *text;
	const char *want;
    }       cases[] = {
	{"yes", "250 ok", "In:  250 ok"},
	{"yes", "250 a\tb\rc\x7f", "In:  250 a?b?c?"},
	{"yes", "250 caf\xc3\xa9", "In:  250 caf\xc3\xa9"},
	{"yes", "250 bad \xc3", "In:  250 bad ?"},
	{"yes", "250 \xff\xfe", "In:  250 ??"},
	{"no", "250 caf\xc3\xa9", "In:  250 caf??"},
    };
    size_t  n;

    (void) state;
    for (n = 0; n < sizeof(cases) / sizeof(cases[0]); n++) {
	ARGV   *lines = argv_alloc(1);

	test_set_param("smtputf8_enable", cases[n].utf8);
	notice_transcript_add(lines, "In:  ", cases[n].text,
			      strlen(cases[n].text), 10);
	assert_int_equal(lines->argc, 1);
	assert_string_equal(lines->argv[0], cases[n].want);
	argv_free(lines);
    }
}

/* test_embedded_nul - the length counts, not the terminator */
static void test_embedded_nul(void **state)
{
    ARGV   *lines = argv_alloc(1);

    (void) state;
    test_set_param("smtputf8_enable", "yes");
    notice_transcript_add(lines, "Out: ", "a\0b", 3, 10);
    assert_string_equal(lines->argv[0], "Out: a?b");
    argv_free(lines);
}

/* test_bound - at max_lines the older half goes */
static void test_bound(void **state)
{
    ARGV   *lines = argv_alloc(1);
    char    text[16];
    int     n;

    (void) state;
    test_set_param("smtputf8_enable", "yes");
    for (n = 0; n < 11; n++) {
	snprintf(text, sizeof(text), "%d", n);
	notice_transcript_add(lines, "In:  ", text, strlen(text), 10);
    }
    /* 10 lines, then 5 dropped before the 11th was added. */
    assert_int_equal(lines->argc, 6);
    assert_string_equal(lines->argv[0], "In:  5");
    assert_string_equal(lines->argv[5], "In:  10");
    argv_free(lines);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_sanitize),
	cmocka_unit_test(test_embedded_nul),
	cmocka_unit_test(test_bound),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
