/*
 * test_dict_compose - unit tests for dict_compose(3), dict_pipemap(3)
 *	and dict_unionmap(3)
 *
 * DESCRIPTION
 *	postconf(1) -m: pipemap feeds each result to the next table and
 *	has no result when a table has none; unionmap joins all results
 *	with commas. Error texts from Postfix 3.7.
 */
#include "sys_defs.h"

#include "dict.h"
#include <string.h>

#include "dict_compose.h"
#include "dict_pipemap.h"
#include "dict_unionmap.h"
#include "test_dict_support.h"

/* test_pipemap - pipelines */
static void test_pipemap(void **state)
{
    static const TEST_DICT_QUERY q1[] = {
	{"a", "c", ""}, {"b", "NOTFOUND", ""}, {"A", "c", ""}, {0},
    };
    static const TEST_DICT_QUERY q2[] = {{"a", "RETRY", ""}, {0}};
    static const TEST_DICT_QUERY q3[] = {{"a", "a b", ""}, {0}};
    static const TEST_DICT_QUERY q4[] = {{"a", "CONFIG",
    "warning: nonexist:x is unavailable. unsupported dictionary type: nonexist\n"},
    {0}};
    static const TEST_DICT_QUERY bad[] = {{"a", "CONFIG",
	"warning: pipemap:{ foo } is unavailable. bad syntax: "
    "\"pipemap:{ foo }\"; need \"pipemap:{type:name...}\"\n"}, {0}};
    static const TEST_DICT_QUERY bad2[] = {{"a", "CONFIG",
	"warning: pipemap:{ } is unavailable. bad syntax: "
    "\"pipemap:{ }\"; need \"pipemap:{type:name...}\"\n"}, {0}};
    DICT   *dict;

    (void) state;
    test_dict_expect("pipemap:{ inline:{a=b}, inline:{b=c} }",
		     DICT_FLAG_FOLD_FIX, NULL, q1, "");
    test_dict_expect("pipemap:{ static:y, fail:x }", 0, NULL, q2, "");
    test_dict_expect("pipemap:{ fail:x, static:y }", 0, NULL, q2, "");
    test_dict_expect("pipemap:{static:{a b}}", 0, NULL, q3, "");
    test_dict_expect("pipemap:{ static:1, nonexist:x }", 0, NULL, q4,
		     "warning: nonexist:x is unavailable. "
		     "unsupported dictionary type: nonexist\n");
    test_dict_expect("pipemap:{ foo }", 0, NULL, bad, bad[0].log);
    test_dict_expect("pipemap:{ }", 0, NULL, bad2, bad2[0].log);

    /* The first table decides fixed or pattern. */
    dict = dict_open("pipemap:{regexp:{{/x/ y}}, static:z}", O_RDONLY, 0);
    assert_true((dict->flags & DICT_FLAG_PATTERN) != 0);
    assert_true((dict->flags & DICT_FLAG_FIXED) == 0);
    dict_close(dict);
    dict = dict_open("pipemap:{static:z, regexp:{{/x/ y}}}", O_RDONLY, 0);
    assert_true((dict->flags & DICT_FLAG_FIXED) != 0);
    dict_close(dict);
}

/* test_unionmap - unions */
static void test_unionmap(void **state)
{
    static const TEST_DICT_QUERY q1[] = {
	{"a", "1,2,4", ""}, {"b", "2,3", ""}, {0},
    };
    static const TEST_DICT_QUERY q2[] = {{"a", "NOTFOUND", ""}, {0}};
    static const TEST_DICT_QUERY q3[] = {{"a", "RETRY", ""}, {0}};
    static const TEST_DICT_QUERY q4[] = {{"a", "2", ""}, {0}};

    (void) state;
    test_dict_expect("unionmap:{ inline:{a=1}, static:2, inline:{b=3}, "
		     "inline:{a=4} }", 0, NULL, q1, "");
    test_dict_expect("unionmap:{ inline:{b=1} }", 0, NULL, q2, "");
    test_dict_expect("unionmap:{ static:1, fail:x }", 0, NULL, q3, "");
    test_dict_expect("unionmap:{ inline:{a=}, static:2 }", 0, NULL, q4, "");
}

/* test_compose_depth - nesting is bounded */
static void test_compose_depth(void **state)
{
    char    name[1000] = "";
    int     n;
    DICT   *dict;

    (void) state;
    for (n = 0; n < (DICT_COMPOSE_MAX_DEPTH + 2); n++)
	strcat(name, "pipemap:{");
    strcat(name, "static:x");
    for (n = 0; n < (DICT_COMPOSE_MAX_DEPTH + 2); n++)
	strcat(name, "}");
    test_capture_start();
    dict = dict_open(name, O_RDONLY, 0);
    assert_string_equal(test_dict_get(dict, "a"), "CONFIG");
    assert_non_null(strstr(test_capture_text(),
			   "tables nested more than 20 levels deep"));
    test_capture_stop();
    dict_close(dict);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_pipemap),
	cmocka_unit_test(test_unionmap),
	cmocka_unit_test(test_compose_depth),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
