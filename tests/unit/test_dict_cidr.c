/*
 * test_dict_cidr - unit tests for dict_cidr(3)
 *
 * DESCRIPTION
 *	Expected results follow cidr_table(5); the warning texts are those
 *	of Postfix 3.7 ("postmap -q 1.2.3.4 cidr:file").
 */
#include "sys_defs.h"

#include "dict.h"
#include "dict_cidr.h"
#include "test_dict_support.h"

#define W(line, text) "warning: cidr map t, line " #line ": " text "\n"

static const TEST_DICT_FILE_CASE cases[] = {
    {"1.2.3.4 X\n", "1.2.3.4", "X", ""},
    {"1.2.3.4 X\n", "1.2.3.5", "NOTFOUND", ""},
    {"1.2.3.0/24 X\n", "1.2.3.4", "X", ""},
    {"[1.2.3.4] X\n", "1.2.3.4", "X", ""},
    {"1.2.3.4/032 X\n", "1.2.3.4", "X", ""},
    {"1.2.3.4   X   Y  \n", "1.2.3.4", "X   Y", ""},
    {"1.2.3.4\t\tX\n", "1.2.3.4", "X", ""},
    {"1.2.3.4 $1 x\n", "1.2.3.4", "$1 x", ""},
    {"0.0.0.0/0 ALL\n", "9.9.9.9", "ALL", ""},
    {"::/0 X\n0.0.0.0/0 Y\n", "1.2.3.4", "Y", ""},
    {"::/0 X\n0.0.0.0/0 Y\n", "::1", "X", ""},
    {"::/0 X\n0.0.0.0/0 Y\n", "::ffff:1.2.3.4", "X", ""},
    {"2001:db8::/32 X\n", "2001:DB8::1", "X", ""},
    {"[2001:db8::]/32 X\n", "2001:db8:0:0::1", "X", ""},
    {"0.0.0.0/0 X\n", "foo", "NOTFOUND", ""},
    {"0.0.0.0/0 X\n", "1.2.3.04", "NOTFOUND", ""},
    {"0.0.0.0/0 X\n", "[1.2.3.4]", "NOTFOUND", ""},
    /* Negation never applies to the other family or to non-addresses. */
    {"!1.2.3.4 X\n", "1.2.3.4", "NOTFOUND", ""},
    {"!9.9.9.9 X\n", "1.2.3.4", "X", ""},
    {"! 9.9.9.9 X\n", "1.2.3.4", "X", ""},
    {"!!1.2.3.4 X\n", "1.2.3.4", "X", ""},
    {"!1.2.3.0/24 X\n", "::1", "NOTFOUND", ""},
    {"!1.2.3.0/24 X\n", "foo", "NOTFOUND", ""},
    /* IF/ENDIF. */
    {"if 1.2.3.0/24\n1.2.3.4 X\nendif\n", "1.2.3.4", "X", ""},
    {"if !1.2.3.0/24\n1.2.3.4 X\nendif\n", "1.2.3.4", "NOTFOUND", ""},
    {"if!1.2.3.0/24\n0.0.0.0/0 X\nendif\n", "1.2.3.4", "NOTFOUND", ""},
    {"if ! 9.0.0.0/8\n1.2.3.4 X\nendif\n", "1.2.3.4", "X", ""},
    {"if !!1.2.3.4\n1.2.3.4 X\nendif\n", "1.2.3.4", "X", ""},
    {"IF 1.2.3.0/24\n1.2.3.4 X\nENDIF\n", "1.2.3.4", "X", ""},
    {"if\t1.2.3.4\n1.2.3.4 X\nendif\n", "1.2.3.4", "X", ""},
    {"if !1.2.3.0/24\n::/0 X\nendif\n", "::1", "NOTFOUND", ""},
    {"if 10.0.0.0/8\n0.0.0.0/0 A\nendif\n0.0.0.0/0 B\n", "1.2.3.4", "B", ""},
    {"if 10.0.0.0/8\n0.0.0.0/0 A\nendif\n0.0.0.0/0 B\n", "10.1.1.1", "A", ""},
    /* Broken rules. */
    {"1.2.3.4/24 X\n", "1.2.3.4", "NOTFOUND",
	W(1, "non-null host address bits in \"1.2.3.4/24\", perhaps you "
    "should use \"1.2.3.0/24\" instead: skipping this rule")},
    {"1.2.3 X\n", "1.2.3.4", "NOTFOUND",
    W(1, "bad address pattern: \"1.2.3\": skipping this rule")},
    {"1.2.3.0/33 X\n", "1.2.3.4", "NOTFOUND",
    W(1, "bad mask length in \"1.2.3.0/33\": skipping this rule")},
    {"1.2.3.0/x X\n", "1.2.3.4", "NOTFOUND",
    W(1, "bad mask value in \"1.2.3.0/x\": skipping this rule")},
    {"[1.2.3.4 X\n", "1.2.3.4", "NOTFOUND",
    W(1, "missing ']' character after \"[1.2.3.4\": skipping this rule")},
    {"1.2.3.4\n", "1.2.3.4", "NOTFOUND",
    W(1, "no lookup result: skipping this rule")},
    {"01.2.3.4 X\n", "1.2.3.4", "NOTFOUND",
    W(1, "bad address pattern: \"01.2.3.4\": skipping this rule")},
    {"foo X\n", "1.2.3.4", "NOTFOUND",
    W(1, "bad address pattern: \"foo\": skipping this rule")},
    {"1.2.3.4X\n", "1.2.3.4", "NOTFOUND",
    W(1, "bad address pattern: \"1.2.3.4X\": skipping this rule")},
    {"ifx\n1.2.3.4 X\n", "1.2.3.4", "X",
    W(1, "bad address pattern: \"ifx\": skipping this rule")},
    {"endifx\n1.2.3.4 X\n", "1.2.3.4", "X",
    W(1, "bad address pattern: \"endifx\": skipping this rule")},
    {"!\n1.2.3.4 X\n", "1.2.3.4", "X",
    W(1, "no address pattern: skipping this rule")},
    {"if 1.2.3.0/24 junk\n1.2.3.4 X\nendif\n", "1.2.3.4", "X",
	W(1, "bad mask value in \"1.2.3.0/24 junk\": skipping this rule")
    W(3, "ENDIF without IF: skipping this rule")},
    {"endif\n1.2.3.4 X\n", "1.2.3.4", "X",
    W(1, "ENDIF without IF: skipping this rule")},
    {"endif junk\n1.2.3.4 X\n", "1.2.3.4", "X",
    W(1, "garbage after ENDIF: skipping this rule")},
    {"if 1.2.3.0/24\n1.2.3.4 X\n", "1.2.3.4", "X",
    W(1, "IF has no matching ENDIF")},
    {"if 1.2.3.0/24\n1.2.3.4 X\nendif junk\n", "1.2.3.4", "X",
	W(3, "garbage after ENDIF: skipping this rule")
    W(1, "IF has no matching ENDIF")},
    {"if\n1.2.3.4 X\nendif\n", "1.2.3.4", "X",
	W(1, "no address pattern: skipping this rule")
    W(3, "ENDIF without IF: skipping this rule")},
};

/* test_cidr_table - the table above */
static void test_cidr_table(void **state)
{
    (void) state;
    test_dict_file_cases("cidr:t", cases, ARRAY_LEN(cases));
}

/* test_cidr_inline - rules in the table name; open errors */
static void test_cidr_inline(void **state)
{
    static const TEST_DICT_QUERY q1[] = {
	{"1.2.3.4", "X", ""}, {"10.0.0.1", "Y", ""}, {"::1", "NOTFOUND", ""},
	{0},
    };
    static const TEST_DICT_QUERY q2[] = {
	{"1.2.3.4", "CONFIG", "warning: cidr:nonexistent is unavailable. "
	"open nonexistent: No such file or directory\n"}, {0},
    };

    (void) state;
    test_dict_chdir();
    test_dict_expect("cidr:{ {1.2.3.4 X}, {10.0.0.0/8 Y} }", 0, NULL, q1, "");
    test_dict_expect("cidr:nonexistent", 0, NULL, q2,
		     "warning: cidr:nonexistent is unavailable. "
		     "open nonexistent: No such file or directory\n");
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_cidr_table),
	cmocka_unit_test(test_cidr_inline),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
