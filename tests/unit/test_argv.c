/*
 * test_argv - unit tests for argv(3)
 */
#include "sys_defs.h"

#include <string.h>

#include "mymalloc.h"
#include "argv.h"
#include "test_support.h"

/* test_split - table-driven field splitting */
static void test_split(void **state)
{
    static const struct {
	const char *input;
	const char *delim;
	const char *joined;		/* fields joined with '|' */
	size_t  count;
    } cases[] = {
	{"a b  c", " ", "a|b|c", 3},
	{"  leading and trailing  ", " ", "leading|and|trailing", 3},
	{"", " ", "", 0},
	{"a,b, c", ", ", "a|b|c", 3},
	{",,,", ",", "", 0},
	{"single", ",", "single", 1},
    };
    size_t  n;

    (void) state;
    for (n = 0; n < ARRAY_LEN(cases); n++) {
	ARGV   *argvp = argv_split(cases[n].input, cases[n].delim);
	char   *joined = argv_join(argvp, "|");

	assert_string_equal(joined, cases[n].joined);
	assert_int_equal(argvp->argc, cases[n].count);
	assert_null(argvp->argv[argvp->argc]);
	myfree(joined);
	argv_free(argvp);
    }
}

/* test_split_quoted - braces keep groups together */
static void test_split_quoted(void **state)
{
    ARGV   *argvp;

    (void) state;
    argvp = argv_split_quoted("a { b c } d,{e,{f g}}", ", ", "{}");
    assert_int_equal(argvp->argc, 4);
    assert_string_equal(argvp->argv[0], "a");
    assert_string_equal(argvp->argv[1], "{ b c }");
    assert_string_equal(argvp->argv[2], "d");
    assert_string_equal(argvp->argv[3], "{e,{f g}}");
    argv_free(argvp);
}

/* test_edit - insert, replace, delete, truncate, sort, uniq */
static void test_edit(void **state)
{
    ARGV   *argvp = argv_alloc(1);
    char   *joined;
    int     n;

    (void) state;
    for (n = 0; n < 20; n++)
	argv_add(argvp, n % 2 ? "odd" : "even", ARGV_END);
    argv_addn(argvp, "abcdef", 3);
    assert_int_equal(argvp->argc, 21);
    assert_string_equal(argvp->argv[20], "abc");
    argv_insert_one(argvp, 0, "first");
    argv_replace_one(argvp, 1, "zzz");
    argv_delete(argvp, 2, 3);
    assert_int_equal(argvp->argc, 19);
    argv_sort(argvp);
    argv_uniq(argvp);
    joined = argv_join(argvp, ",");
    assert_string_equal(joined, "abc,even,first,odd,zzz");
    myfree(joined);
    argv_truncate(argvp, 2);
    assert_int_equal(argvp->argc, 2);
    assert_null(argvp->argv[2]);
    argv_free(argvp);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_split),
	cmocka_unit_test(test_split_quoted),
	cmocka_unit_test(test_edit),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
