/*
 * test_conv_size - unit tests for conv_size(3)
 */
#include "sys_defs.h"

#include "conv_size.h"
#include "test_support.h"

/* test_conv_size_table - accepted and rejected values */
static void test_conv_size_table(void **state)
{
    static const struct {
	const char *text;
	bool    ok;
	long long value;
    } cases[] = {
	{"0", true, 0},
	{"10240000", true, 10240000},
	{"010", true, 10},
	{"99999999999", true, 99999999999LL},
	{"9223372036854775807", true, LLONG_MAX},
	{"9223372036854775808", false, 0},
	{"92233720368547758070", false, 0},
	{"", false, 0},
	{"-1", false, 0},
	{"+10", false, 0},
	{"10M", false, 0},
	{"10k", false, 0},
	{"1e6", false, 0},
	{"0x10", false, 0},
	{" 10", false, 0},
	{"10 ", false, 0},
	{"1 0", false, 0},
    };
    size_t  n;
    long long value;

    (void) state;
    for (n = 0; n < ARRAY_LEN(cases); n++) {
	value = -42;
	if (conv_size(cases[n].text, &value) != cases[n].ok)
	    fail_msg("conv_size(\"%s\"): expected %s", cases[n].text,
		     cases[n].ok ? "success" : "failure");
	assert_true(value == (cases[n].ok ? cases[n].value : -42));
    }
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_conv_size_table),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
