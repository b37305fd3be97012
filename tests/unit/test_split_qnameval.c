/*
 * test_split_qnameval - unit tests for split_qnameval(3)
 *
 * DESCRIPTION
 *	"key = value" as in inline:{...} tables and "key whitespace value"
 *	as in postmap(1) input, with double-quoted keys (Postfix 3.2+).
 */
#include "sys_defs.h"

#include "mymalloc.h"
#include "split_qnameval.h"
#include "test_support.h"

typedef struct CASE {
    const char *input;
    const char *key;			/* NULL: error expected */
    const char *value_or_error;
} CASE;

/* run_cases - check one splitter */
static void run_cases(const CASE *cases, size_t count,
	         const char *(*split) (char *, char **, char **))
{
    size_t  n;
    char   *buf;
    char   *key;
    char   *value;
    const char *err;

    for (n = 0; n < count; n++) {
	buf = mystrdup(cases[n].input);
	err = split(buf, &key, &value);
	if (cases[n].key) {
	    assert_null(err);
	    assert_string_equal(key, cases[n].key);
	    assert_string_equal(value, cases[n].value_or_error);
	} else {
	    assert_string_equal(err, cases[n].value_or_error);
	}
	myfree(buf);
    }
}

/* test_nameval - "key = value" */
static void test_nameval(void **state)
{
    static const CASE cases[] = {
	{"a=1", "a", "1"},
	{" a = 1 2  ", "a", "1 2"},
	{"a = b = c", "a", "b = c"},
	{"= c", "", "c"},
	{"a=", "a", ""},
	{"\"a b\" = c", "\"a b\"", "c"},
	{"\"a=b\"=c", "\"a=b\"", "c"},
	{"\"a b\"x = c", "\"a b\"x", "c"},
	{"\"a\\\"b\" = c", "\"a\\\"b\"", "c"},
	{"", 0, "no key found; expected format: key = value"},
	{"  ", 0, "no key found; expected format: key = value"},
	{"a", 0, "missing '=' after attribute name"},
	{"a b = c", 0, "missing '=' after attribute name"},
	{"\"a b = c", 0, "unbalanced '\"'"},
    };

    (void) state;
    run_cases(cases, ARRAY_LEN(cases), split_qnameval);
}

/* test_nameval_space - "key whitespace value" */
static void test_nameval_space(void **state)
{
    static const CASE cases[] = {
	{"Alpha  one two ", "Alpha", "one two"},
	{"gamma\t tab", "gamma", "tab"},
	{"\"quoted key\" qv", "\"quoted key\"", "qv"},
	{"\"\" v", "\"\"", "v"},
	{"\"a\"b x", "\"a\"b", "x"},
	{"key \"val ue\"", "key", "\"val ue\""},
	{"k a\\", "k", "a\\"},
	{"last", 0, "expected format: key whitespace value"},
	{"\"ab\"  ", 0, "expected format: key whitespace value"},
	{"\"open \"q", 0, "expected format: key whitespace value"},
	{"a\"b c", 0, "unbalanced '\"'"},
	{"\"unterminated val", 0, "unbalanced '\"'"},
    };

    (void) state;
    run_cases(cases, ARRAY_LEN(cases), split_qnameval_space);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_nameval),
	cmocka_unit_test(test_nameval_space),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
