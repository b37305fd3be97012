/*
 * test_conv_bool - unit tests for conv_bool(3)
 */
#include "sys_defs.h"

#include "conv_bool.h"
#include "test_support.h"

/* test_conv_bool_table - accepted and rejected words */
static void test_conv_bool_table(void **state)
{
    static const struct {
	const char *text;
	int     expect;			/* 1 true, 0 false, -1 rejected */
    } cases[] = {
	{"yes", 1}, {"YES", 1}, {"Yes", 1}, {"true", 1}, {"TRUE", 1},
	{"no", 0}, {"NO", 0}, {"No", 0}, {"false", 0}, {"False", 0},
	{"", -1}, {"y", -1}, {"n", -1}, {"1", -1}, {"0", -1}, {"on", -1},
	{"off", -1}, {" yes", -1}, {"yes ", -1}, {"yess", -1}, {"nope", -1},
    };
    size_t  n;
    bool    value;
    bool    ok;

    (void) state;
    for (n = 0; n < ARRAY_LEN(cases); n++) {
	/* Unchanged on failure: try with both initial values. */
	value = true;
	ok = conv_bool(cases[n].text, &value);
	if (ok != (cases[n].expect >= 0))
	    fail_msg("conv_bool(\"%s\"): unexpected result", cases[n].text);
	assert_int_equal(value, cases[n].expect >= 0 ? cases[n].expect : 1);
	value = false;
	(void) conv_bool(cases[n].text, &value);
	assert_int_equal(value, cases[n].expect >= 0 ? cases[n].expect : 0);
    }
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_conv_bool_table),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
