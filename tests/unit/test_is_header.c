/*
 * test_is_header - unit tests for is_header(3)
 */
#include "sys_defs.h"

#include <string.h>

#include "is_header.h"
#include "test_support.h"

/* test_names - what starts a header, and the name length */
static void test_names(void **state)
{
    static const struct {
	const char *text;
	size_t  name_len;
	size_t  value;
    } cases[] = {
	{"Subject: hello", 7, 8},
	{"Subject:", 7, 8},
	{"X-Mailer:x", 8, 9},
	{"Subject : old form", 7, 9},		/* RFC 5322 obs-optional */
	{"Subject\t\t: tabs", 7, 10},
	{"!#$%&'*+-/=?^_`{|}~.:x", 20, 21},	/* every ftext kind */
	{"Date:Mon", 4, 5},
	{"", 0, 0},
	{":no name", 0, 0},
	{" Folded: continuation", 0, 0},
	{"\tTab: continuation", 0, 0},
	{"No colon here", 0, 0},
	{"From sender@example.com Mon Jan 1", 0, 0},	/* mbox From_ */
	{"Subject", 0, 0},
	{"Sub ject: x", 0, 0},
	{"Sub\x01ject: x", 0, 0},		/* control */
	{"S\xc3\xbc" "bject: x", 0, 0},		/* 8-bit name */
	{"Subject\x7f: x", 0, 0},		/* DEL */
	{"--boundary", 0, 0},
	{"--b:c", 3, 4},			/* looks like a header */
    };
    size_t  n;

    (void) state;
    for (n = 0; n < ARRAY_LEN(cases); n++) {
	size_t  len = strlen(cases[n].text);

	assert_int_equal(is_header_buf(cases[n].text, len), cases[n].name_len);
	assert_int_equal(is_header(cases[n].text), cases[n].name_len);
	assert_int_equal(is_header_value(cases[n].text, len), cases[n].value);
    }
}

/* test_counted - the length bound is respected, null bytes stop names */
static void test_counted(void **state)
{
    (void) state;
    assert_int_equal(is_header_buf("Subject: x", 7), 0);	/* colon cut off */
    assert_int_equal(is_header_buf("Subject: x", 8), 7);
    assert_int_equal(is_header_buf("Sub\0ject: x", 11), 0);
    assert_int_equal(is_header_buf("Subject  ", 9), 0);
    assert_int_equal(is_header_value("Subject  :", 10), 10);
}

/* main - run the tests */
int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_names),
	cmocka_unit_test(test_counted),
    };

    return cmocka_run_group_tests(tests, 0, 0);
}
