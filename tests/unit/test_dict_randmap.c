/*
 * test_dict_randmap - unit tests for dict_randmap(3)
 *
 * DESCRIPTION
 *	postconf(1) -m: each query returns a random choice from the
 *	results; a result listed several times has more weight. Error text
 *	from Postfix 3.7.
 */
#include "sys_defs.h"

#include <stdio.h>
#include <string.h>

#include "dict.h"
#include "dict_randmap.h"
#include "test_dict_support.h"

/* test_randmap - every result appears, in about the right proportion */
static void test_randmap(void **state)
{
    DICT   *dict;
    const char *result;
    int     a = 0;
    int     b = 0;
    int     braced = 0;
    int     n;

    (void) state;
    dict = dict_open("randmap:{a, b, {x y}, a}", O_RDONLY, 0);
    for (n = 0; n < 4000; n++) {
	result = dict_get(dict, "anything");
	assert_non_null(result);
	if (strcmp(result, "a") == 0)
	    a++;
	else if (strcmp(result, "b") == 0)
	    b++;
	else if (strcmp(result, "{x y}") == 0)
	    braced++;
	else
	    fail_msg("unexpected result \"%s\"", result);
    }
    /* Expected 2000, 1000, 1000; the bounds are many sigmas away. */
    assert_in_range(a, 1700, 2300);
    assert_in_range(b, 800, 1200);
    assert_in_range(braced, 800, 1200);
    assert_true((dict->flags & DICT_FLAG_PATTERN) != 0);
    dict_close(dict);
}

/* test_randmap_errors - bad names */
static void test_randmap_errors(void **state)
{
    static const char *names[] = {
	"randmap:{}", "randmap:{ }", "randmap:a", "randmap:{a}x",
    };
    char    log[200];
    TEST_DICT_QUERY q[2] = {{0}};
    size_t  n;

    (void) state;
    for (n = 0; n < ARRAY_LEN(names); n++) {
	snprintf(log, sizeof(log), "warning: %s is unavailable. bad syntax: "
		 "\"%s\"; need \"randmap:{value...}\"\n", names[n], names[n]);
	q[0].key = "x";
	q[0].result = "CONFIG";
	q[0].log = log;
	test_dict_expect(names[n], 0, NULL, q, log);
    }
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_randmap),
	cmocka_unit_test(test_randmap_errors),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
