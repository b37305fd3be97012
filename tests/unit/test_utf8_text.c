/*
 * test_utf8_text - unit tests for utf8_text(3)
 */
#include "sys_defs.h"

#include <string.h>

#include "vstring.h"
#include "utf8_text.h"
#include "test_support.h"

/* test_valid - well-formed and malformed UTF-8 */
static void test_valid(void **state)
{
    static const struct {
	const char *text;
	bool    valid;
    } cases[] = {
	{"", true},
	{"ascii", true},
	{"\xc3\xa4", true},			/* U+00E4 */
	{"\xe2\x82\xac", true},			/* U+20AC */
	{"\xf0\x9f\x98\x80", true},		/* U+1F600 */
	{"\xf4\x8f\xbf\xbf", true},		/* U+10FFFF */
	{"\xc3", false},			/* truncated */
	{"\xc0\xaf", false},			/* overlong '/' */
	{"\xe0\x80\xaf", false},		/* overlong */
	{"\xed\xa0\x80", false},		/* surrogate */
	{"\xf4\x90\x80\x80", false},		/* above U+10FFFF */
	{"\xff", false},
	{"a\x80", false},			/* stray continuation */
    };
    size_t  n;

    (void) state;
    for (n = 0; n < ARRAY_LEN(cases); n++) {
	assert_int_equal(utf8_text_valid(cases[n].text, strlen(cases[n].text)),
			 cases[n].valid);
	if (cases[n].valid)
	    assert_null(utf8_text_error(cases[n].text, strlen(cases[n].text)));
	else
	    assert_string_equal(utf8_text_error(cases[n].text,
						strlen(cases[n].text)),
				"malformed UTF-8 or invalid codepoint");
    }
    assert_true(utf8_text_valid("a\0b", 3));
}

/* test_fold - lower-casing */
static void test_fold(void **state)
{
    static const struct {
	const char *in;
	const char *out;
    } cases[] = {
	{"ABC xyz", "abc xyz"},
	{"\xc3\x84" "B", "\xc3\xa4" "b"},		/* A-umlaut */
	{"\xce\xa3", "\xcf\x83"},			/* Greek sigma */
	{"\xd0\x96", "\xd0\xb6"},			/* Cyrillic zhe */
	{"\xe2\x82\xac", "\xe2\x82\xac"},		/* euro: no case */
	{"X\xffY", "x\xffy"},				/* bad byte kept */
    };
    VSTRING *buf = vstring_alloc(10);
    size_t  n;

    (void) state;
    for (n = 0; n < ARRAY_LEN(cases); n++)
	assert_string_equal(utf8_text_fold(buf, cases[n].in), cases[n].out);
    vstring_free(buf);
}

/* test_char_len - the length of one character */
static void test_char_len(void **state)
{
    static const struct {
	const char *in;
	size_t  len;
	size_t  result;
    } cases[] = {
	{"a", 1, 1},
	{"", 0, 0},
	{"\xc3\xa4x", 3, 2},
	{"\xe2\x82\xac", 3, 3},
	{"\xf0\x9f\x98\x80", 4, 4},
	{"\xe2\x82\xac", 2, 0},			/* cut short */
	{"\xff", 1, 0},
	{"\x80", 1, 0},				/* continuation byte */
	{"\xc0\xaf", 2, 0},				/* overlong */
	{"\xed\xa0\x80", 3, 0},			/* surrogate */
    };
    size_t  n;

    (void) state;
    for (n = 0; n < ARRAY_LEN(cases); n++)
	assert_int_equal(utf8_text_char_len(cases[n].in, cases[n].len),
			 cases[n].result);
}

/* main - run the tests */
int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_valid),
	cmocka_unit_test(test_fold),
	cmocka_unit_test(test_char_len),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
