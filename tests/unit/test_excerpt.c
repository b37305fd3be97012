/*
 * test_excerpt - unit tests for excerpt(3)
 */
#include "sys_defs.h"

#include <string.h>

#include "mymalloc.h"
#include "excerpt.h"
#include "test_support.h"

/* repeat - a new string of count copies of ch */
static char *repeat(int ch, size_t count)
{
    char   *str = mymalloc(count + 1);

    memset(str, ch, count);
    str[count] = 0;
    return str;
}

/* test_short - short text is shown whole, non-printable bytes as '?' */
static void test_short(void **state)
{
    static const struct {
	const char *in;
	const char *out;
    } cases[] = {
	{"", ""},
	{"name = value", "name = value"},
	{"tab\there\r\n", "tab?here??"},
	{"\x01\x7f", "??"},
	{"back\\slash \"quoted\"", "back\\slash \"quoted\""},
	{"ok \xc3\xa4 \xe2\x82\xac", "ok \xc3\xa4 \xe2\x82\xac"},
	{"\xff: x", "?: x"},
	{"\xe2\x82", "??"},				/* truncated character */
	{"\xc0\xaf", "??"},				/* overlong */
    };
    size_t  n;

    (void) state;
    for (n = 0; n < ARRAY_LEN(cases); n++)
	assert_string_equal(excerpt(cases[n].in), cases[n].out);
}

/* test_bound - long text is cut at the limit, with "..." */
static void test_bound(void **state)
{
    char   *exact = repeat('x', EXCERPT_LIMIT);
    char   *longer = repeat('y', 30000);
    const char *result;

    (void) state;
    assert_string_equal(excerpt(exact), exact);
    result = excerpt(longer);
    assert_int_equal(strlen(result), EXCERPT_LIMIT + 3);
    assert_memory_equal(result, longer, EXCERPT_LIMIT);
    assert_string_equal(result + EXCERPT_LIMIT, "...");
    myfree(exact);
    myfree(longer);
}

/* test_utf8_boundary - a multi-byte character is not cut in two */
static void test_utf8_boundary(void **state)
{
    char   *text = repeat('a', EXCERPT_LIMIT + 10);
    const char *result;

    (void) state;
    /* A 2-byte character that would end one byte past the limit. */
    memcpy(text + EXCERPT_LIMIT - 1, "\xc3\xa4", 2);
    result = excerpt(text);
    assert_int_equal(strlen(result), EXCERPT_LIMIT - 1 + 3);
    assert_string_equal(result + EXCERPT_LIMIT - 1, "...");
    /* One that ends exactly at the limit is kept. */
    memcpy(text + EXCERPT_LIMIT - 2, "\xc3\xa4", 2);
    result = excerpt(text);
    assert_int_equal(strlen(result), EXCERPT_LIMIT + 3);
    assert_memory_equal(result + EXCERPT_LIMIT - 2, "\xc3\xa4...", 5);
    myfree(text);
}

/* test_limit - another limit */
static void test_limit(void **state)
{
    (void) state;
    assert_string_equal(excerpt_limit("abc", 3), "abc");
    assert_string_equal(excerpt_limit("abcd", 3), "abc...");
    assert_string_equal(excerpt_limit("abcd", 0), "...");
    assert_string_equal(excerpt_limit("\xc3\xa4", 1), "...");
}

/* test_len - counted text, null bytes included */
static void test_len(void **state)
{
    char   *text = repeat('z', 200);

    (void) state;
    assert_string_equal(excerpt_len("a\0b", 3), "a?b");
    assert_string_equal(excerpt_len("word rest", 4), "word");
    assert_string_equal(excerpt_len("", 0), "");
    assert_string_equal(excerpt_len(text, 150) + EXCERPT_LIMIT, "...");
    myfree(text);
}

/* test_buffers - results of recent calls stay valid */
static void test_buffers(void **state)
{
    const char *results[EXCERPT_BUFFERS];
    char    text[2];
    int     n;

    (void) state;
    text[1] = 0;
    for (n = 0; n < EXCERPT_BUFFERS; n++) {
	text[0] = 'a' + n;
	results[n] = excerpt(text);
    }
    for (n = 0; n < EXCERPT_BUFFERS; n++) {
	text[0] = 'a' + n;
	assert_string_equal(results[n], text);
    }
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_short),
	cmocka_unit_test(test_bound),
	cmocka_unit_test(test_utf8_boundary),
	cmocka_unit_test(test_limit),
	cmocka_unit_test(test_len),
	cmocka_unit_test(test_buffers),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
