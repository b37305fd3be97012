/*
 * test_dict_inline - unit tests for dict_inline(3)
 *
 * DESCRIPTION
 *	Syntax from postconf(1) -m ("inline:{ key=value, { key = text with
 *	whitespace or comma }}"); error texts from Postfix 3.7.
 */
#include "sys_defs.h"

#include <stdio.h>

#include "dict.h"
#include "dict_inline.h"
#include "test_dict_support.h"

#define NEED(name)	": \"" name "\"; need \"inline:{name=value...}\""

/* test_inline_lookup - good tables */
static void test_inline_lookup(void **state)
{
    static const TEST_DICT_QUERY q1[] = {
	{"a", "1", ""}, {"b", "x y, z", ""}, {"c", "3", ""}, {"d", "NOTFOUND", ""},
	{0},
    };
    static const TEST_DICT_QUERY q2[] = {
	{"a", "1", ""}, {"A", "1", ""}, {"b", "2", ""}, {0},
    };
    static const TEST_DICT_QUERY q3[] = {
	{"a", "2", ""}, {"\"a b\"", "c", ""}, {"x", "{y}", ""}, {"e", "", ""},
	{"", "NOTFOUND", ""}, {0},
    };
    static const TEST_DICT_QUERY q4[] = {{"A", "1", ""}, {"a", "NOTFOUND", ""}, {0}};

    (void) state;
    test_dict_expect("inline:{ a=1, { b = x y, z }, c=3 }", DICT_FLAG_FOLD_FIX,
		     NULL, q1, "");
    test_dict_expect("inline:{A=1 b=2}", DICT_FLAG_FOLD_FIX, NULL, q2, "");
    test_dict_expect("inline:{ a=1, a=2, {\"a b\" = c}, x={y}, e= }",
		     DICT_FLAG_FOLD_FIX, NULL, q3, "");
    test_dict_expect("inline:{A=1}", 0, NULL, q4, "");
}

/* test_inline_errors - malformed names give surrogate tables */
static void test_inline_errors(void **state)
{
    static const struct {
	const char *name;
	const char *reason;
    } cases[] = {
	{"inline:{}", "bad syntax" NEED("inline:{}")},
	{"inline:a=1", "bad syntax" NEED("inline:a=1")},
	{"inline:{a=1}x", "bad syntax" NEED("inline:{a=1}x")},
	{"inline:{ a=1, {b=2 }", "bad syntax" NEED("inline:{ a=1, {b=2 }")},
	{"inline:{ }", "empty table" NEED("inline:{ }")},
	{"inline:{ a }", "missing '=' after attribute name" NEED("inline:{ a }")},
	{"inline:{ a = 1 }", "missing '=' after attribute name"
	NEED("inline:{ a = 1 }")},
	{"inline:{ {a=1}junk }", "syntax error after '}' in \"{a=1}junk\""
	NEED("inline:{ {a=1}junk }")},
	{"inline:{ a=1, {}, b=2 }", "no key found; expected format: key = value"
	NEED("inline:{ a=1, {}, b=2 }")},
	{"inline:{ {\"a b = c} }", "unbalanced '\"'" NEED("inline:{ {\"a b = c} }")},
    };
    char    log[512];
    TEST_DICT_QUERY q[2] = {{0}};
    size_t  n;

    (void) state;
    for (n = 0; n < ARRAY_LEN(cases); n++) {
	snprintf(log, sizeof(log), "warning: %s is unavailable. %s\n",
		 cases[n].name, cases[n].reason);
	q[0].key = "a";
	q[0].result = "CONFIG";
	q[0].log = log;
	test_dict_expect(cases[n].name, 0, NULL, q, log);
    }
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_inline_lookup),
	cmocka_unit_test(test_inline_errors),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
