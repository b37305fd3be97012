/*
 * test_name_mask - unit tests for name_mask(3)
 */
#include "sys_defs.h"

#include <string.h>

#include "msg.h"
#include "vstring.h"
#include "name_mask.h"
#include "test_support.h"
#include "test_child.h"

#define FLAG_A	(1<<0)
#define FLAG_B	(1<<1)
#define FLAG_C	(1<<2)

static const NAME_MASK table[] = {
    {"all", FLAG_A | FLAG_B | FLAG_C},	/* group name first: preferred */
    {"alpha", FLAG_A},
    {"beta", FLAG_B},
    {"Gamma", FLAG_C},
    {"none", 0},
    {0, 0},
};

static const NAME_MASK plain_table[] = {
    {"alpha", FLAG_A},
    {"beta", FLAG_B},
    {"Gamma", FLAG_C},
    {0, 0},
};

/* test_name_mask_parse - table-driven parsing */
static void test_name_mask_parse(void **state)
{
    static const struct {
	const char *names;
	int     flags;
	bool    ok;
	unsigned mask;
	const char *why;
    } cases[] = {
	{"", NAME_MASK_RETURN, true, 0, ""},
	{" , | ", NAME_MASK_RETURN, true, 0, ""},
	{"alpha", NAME_MASK_RETURN, true, FLAG_A, ""},
	{"alpha,beta", NAME_MASK_RETURN, true, FLAG_A | FLAG_B, ""},
	{"alpha | Gamma", NAME_MASK_RETURN, true, FLAG_A | FLAG_C, ""},
	{"\talpha\n beta,,Gamma|", NAME_MASK_RETURN, true, 7, ""},
	{"all", NAME_MASK_RETURN, true, 7, ""},
	{"none", NAME_MASK_RETURN, true, 0, ""},
	{"alpha alpha", NAME_MASK_RETURN, true, FLAG_A, ""},
	{"ALPHA", NAME_MASK_RETURN, false, 0, "unknown test value \"ALPHA\""},
	{"ALPHA gamma", NAME_MASK_RETURN | NAME_MASK_ANY_CASE, true,
	FLAG_A | FLAG_C, ""},
	{"alph", NAME_MASK_RETURN, false, 0, "unknown test value \"alph\""},
	{"alphax", NAME_MASK_RETURN, false, 0, "unknown test value \"alphax\""},
	{"alpha, bogus, beta", NAME_MASK_RETURN, false, 0,
	"unknown test value \"bogus\""},
	{"alpha 0x10", NAME_MASK_RETURN, false, 0,
	"unknown test value \"0x10\""},
	{"alpha 0x10", NAME_MASK_RETURN | NAME_MASK_NUMBER, true,
	FLAG_A | 0x10, ""},
	{"12", NAME_MASK_RETURN | NAME_MASK_NUMBER, true, 12, ""},
	{"0x1z", NAME_MASK_RETURN | NAME_MASK_NUMBER, false, 0,
	"unknown test value \"0x1z\""},
	{"0x100000000", NAME_MASK_RETURN | NAME_MASK_NUMBER, false, 0,
	"unknown test value \"0x100000000\""},
    };
    VSTRING *why = vstring_alloc(10);
    size_t  n;
    unsigned mask;

    (void) state;
    for (n = 0; n < ARRAY_LEN(cases); n++) {
	mask = 0xdead;
	VSTRING_RESET(why);
	if (name_mask_opt("test", table, cases[n].names, cases[n].flags,
			  &mask, why) != cases[n].ok)
	    fail_msg("name_mask_opt(\"%s\"): unexpected result",
		     cases[n].names);
	assert_int_equal(mask, cases[n].ok ? cases[n].mask : 0xdead);
	assert_string_equal(vstring_str(why), cases[n].why);
    }
    /* A null why is allowed. */
    assert_false(name_mask_opt("test", table, "x", NAME_MASK_RETURN, &mask,
			       NULL));
    vstring_free(why);
}

/* test_name_mask_warn - unknown names are skipped with a warning */
static void test_name_mask_warn(void **state)
{
    unsigned mask = 0;

    (void) state;
    test_capture_start();
    assert_true(name_mask_opt("test", table, "alpha,bogus,beta",
			      NAME_MASK_WARN, &mask, NULL));
    assert_int_equal(mask, FLAG_A | FLAG_B);
    assert_string_equal(test_capture_text(),
			"warning: unknown test value \"bogus\"\n");
    test_capture_stop();
}

/* name_mask_fatal_child - name_mask() with an unknown name */
static void name_mask_fatal_child(void *context)
{
    (void) context;
    (void) name_mask("smtp_tls_protocols", table, "alpha, bogus");
    msg_info("not reached");
}

/* test_name_mask_fatal - the default policy terminates */
static void test_name_mask_fatal(void **state)
{
    TEST_CHILD_RESULT result;

    (void) state;
    assert_int_equal(name_mask("test", table, "alpha Gamma"), FLAG_A | FLAG_C);
    test_child_run(name_mask_fatal_child, NULL, 10000, &result);
    assert_true(test_child_exited(&result, 1));
    assert_string_equal(result.output,
		   "fatal: unknown smtp_tls_protocols value \"bogus\"\n");
    test_child_free(&result);
}

/* test_str_name_mask - mask to text */
static void test_str_name_mask(void **state)
{
    static const struct {
	const NAME_MASK *table;
	unsigned mask;
	int     flags;
	const char *expect;		/* NULL: failure */
    } cases[] = {
	{table, 0, NAME_MASK_RETURN, ""},
	{table, FLAG_A, NAME_MASK_RETURN, "alpha"},
	{table, FLAG_A | FLAG_C, NAME_MASK_RETURN, "alpha | Gamma"},
	{table, FLAG_A | FLAG_C, NAME_MASK_RETURN | NAME_MASK_COMMA,
	"alpha, Gamma"},
	{table, FLAG_A | FLAG_C, NAME_MASK_RETURN | NAME_MASK_SPACE,
	"alpha Gamma"},
	{table, 7, NAME_MASK_RETURN, "all"},
	{plain_table, 7, NAME_MASK_RETURN, "alpha | beta | Gamma"},
	{table, FLAG_B | 0x30, NAME_MASK_RETURN, 0},
	{table, FLAG_B | 0x30, NAME_MASK_NUMBER, "beta | 0x30"},
	{table, 0x30, NAME_MASK_NUMBER, "0x30"},
	{table, 0xf, NAME_MASK_NUMBER | NAME_MASK_COMMA, "all, 0x8"},
    };
    VSTRING *buf = vstring_alloc(10);
    const char *text;
    size_t  n;

    (void) state;
    for (n = 0; n < ARRAY_LEN(cases); n++) {
	text = str_name_mask_opt(buf, "test", cases[n].table, cases[n].mask,
				 cases[n].flags);
	if (cases[n].expect == NULL)
	    assert_null(text);
	else
	    assert_string_equal(text, cases[n].expect);
    }
    assert_string_equal(str_name_mask("test", table, FLAG_B | FLAG_C),
			"beta | Gamma");

    /* Round trip through text. */
    {
	unsigned mask;

	assert_true(name_mask_opt("test", plain_table,
				  str_name_mask("test", plain_table, 5),
				  NAME_MASK_RETURN, &mask, NULL));
	assert_int_equal(mask, 5);
    }

    /* Unknown bits with WARN: the known names, and a warning. */
    test_capture_start();
    assert_string_equal(str_name_mask_opt(buf, "test", table, FLAG_A | 0x40,
					  NAME_MASK_WARN), "alpha");
    assert_string_equal(test_capture_text(),
			"warning: test: unknown bits in mask: 0x40\n");
    test_capture_stop();
    vstring_free(buf);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_name_mask_parse),
	cmocka_unit_test(test_name_mask_warn),
	cmocka_unit_test(test_name_mask_fatal),
	cmocka_unit_test(test_str_name_mask),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
