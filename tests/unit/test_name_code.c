/*
 * test_name_code - unit tests for name_code(3)
 */
#include "sys_defs.h"

#include "name_code.h"
#include "test_support.h"

static const NAME_CODE table[] = {
    {"flock", 1},
    {"fcntl", 2},
    {"dotlock", 3},
    {"FCNTL-alias", 2},
    {0, -1},
};

/* test_name_code_lookup - names to codes */
static void test_name_code_lookup(void **state)
{
    static const struct {
	const char *name;
	int     flags;
	int     code;
    } cases[] = {
	{"flock", NAME_CODE_FLAG_NONE, 1},
	{"FLOCK", NAME_CODE_FLAG_NONE, 1},
	{"FLOCK", NAME_CODE_FLAG_STRICT_CASE, -1},
	{"fcntl", NAME_CODE_FLAG_STRICT_CASE, 2},
	{"dotlock", NAME_CODE_FLAG_NONE, 3},
	{"fcntl-alias", NAME_CODE_FLAG_NONE, 2},
	{"", NAME_CODE_FLAG_NONE, -1},
	{"flockx", NAME_CODE_FLAG_NONE, -1},
	{"floc", NAME_CODE_FLAG_NONE, -1},
    };
    size_t  n;

    (void) state;
    for (n = 0; n < ARRAY_LEN(cases); n++)
	assert_int_equal(name_code(table, cases[n].flags, cases[n].name),
			 cases[n].code);
}

/* test_str_name_code - codes to names, first match wins */
static void test_str_name_code(void **state)
{
    (void) state;
    assert_string_equal(str_name_code(table, 1), "flock");
    assert_string_equal(str_name_code(table, 2), "fcntl");
    assert_string_equal(str_name_code(table, 3), "dotlock");
    assert_null(str_name_code(table, 4));
    assert_null(str_name_code(table, -1));
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_name_code_lookup),
	cmocka_unit_test(test_str_name_code),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
