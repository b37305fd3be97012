/*
 * test_conv_time - unit tests for conv_time(3)
 */
#include "sys_defs.h"

#include "conv_time.h"
#include "test_support.h"

/* test_conv_time_table - accepted and rejected values */
static void test_conv_time_table(void **state)
{
    static const struct {
	const char *text;
	int     default_unit;
	bool    ok;
	int     seconds;
    } cases[] = {
	{"30", 's', true, 30},
	{"30", 'm', true, 1800},
	{"30s", 'm', true, 30},
	{"5m", 's', true, 300},
	{"2h", 's', true, 7200},
	{"1d", 's', true, 86400},
	{"1w", 's', true, 604800},
	{"2", 'd', true, 172800},
	{"0", 's', true, 0},
	{"0w", 's', true, 0},
	{"007s", 's', true, 7},		/* decimal, not octal */
	{"2147483647", 's', true, INT_MAX},
	{"2147483647s", 'm', true, INT_MAX},
	{"35791394m", 's', true, 35791394 * 60},
	{"3550w", 's', true, 3550 * 604800},
	/* Rejected. */
	{"", 's', false, 0},
	{"s", 's', false, 0},
	{"-1", 's', false, 0},
	{"+1", 's', false, 0},
	{" 1", 's', false, 0},
	{"1 ", 's', false, 0},
	{"1 s", 's', false, 0},
	{"1.5h", 's', false, 0},
	{"0x10", 's', false, 0},
	{"5M", 's', false, 0},
	{"5S", 's', false, 0},
	{"1x", 's', false, 0},
	{"10ms", 's', false, 0},
	{"1d1h", 's', false, 0},
	{"2147483648", 's', false, 0},
	{"2147483648s", 's', false, 0},
	{"35791395m", 's', false, 0},
	{"3551w", 's', false, 0},
	{"24856d", 's', false, 0},
	{"596524h", 's', false, 0},
	{"35791395", 'm', false, 0},
	{"99999999999999999999999999999", 's', false, 0},
    };
    size_t  n;
    int     seconds;

    (void) state;
    for (n = 0; n < ARRAY_LEN(cases); n++) {
	seconds = -12345;
	if (conv_time(cases[n].text, &seconds, cases[n].default_unit)
	    != cases[n].ok)
	    fail_msg("conv_time(\"%s\", '%c'): expected %s", cases[n].text,
		     cases[n].default_unit, cases[n].ok ? "success" : "failure");
	if (cases[n].ok)
	    assert_int_equal(seconds, cases[n].seconds);
	else
	    assert_int_equal(seconds, -12345);
    }
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_conv_time_table),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
