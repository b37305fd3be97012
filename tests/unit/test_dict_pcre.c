/*
 * test_dict_pcre - unit tests for dict_pcre(3)
 *
 * DESCRIPTION
 *	Expected results follow pcre_table(5); the warning texts are those
 *	of Postfix 3.7 with PCRE2 ("postmap -q key pcre:file").
 */
#include "sys_defs.h"

#include "dict.h"
#include "dict_pcre.h"
#include "test_dict_support.h"

#define W(line, text) "warning: pcre map t, line " #line ": " text "\n"

static const TEST_DICT_FILE_CASE cases[] = {
    /* Flags and their defaults. */
    {"/^ABC$/ yes\n", "abc", "yes", ""},
    {"/^ABC$/i yes\n/^abc$/ no\n", "abc", "no", ""},
    {"/a.b/ yes\n", "a\nb", "yes", ""},		/* s is on by default */
    {"/a.b/s yes\n", "a\nb", "NOTFOUND", ""},
    {"/^b$/m yes\n", "a\nb", "yes", ""},
    {"/^b$/ yes\n", "a\nb", "NOTFOUND", ""},
    {"/a b/x yes\n", "ab", "yes", ""},
    {"/b/A yes\n/b/ no\n", "ab", "no", ""},
    {"/(a+)/U [$1]\n", "aaa", "[a]", ""},
    {"/(a+)/ [$1]\n", "aaa", "[aaa]", ""},
    {"/a$/E yes\n/a$/ no\n", "a\n", "no", ""},
    {"/a$/E yes\n/a$/ no\n", "a", "yes", ""},
    {"/a/X yes\n", "a", "yes", W(1, "ignoring obsolete regexp option \"X\"")},
    /* Rules, negation, IF/ENDIF, substitution. */
    {"!/a/ X\n", "b", "X", ""},
    {"!!/x/ X\n", "x", "X", ""},
    {"if /a/\n/b/ B\nendif\n/./ D\n", "ab", "B", ""},
    {"if /a/\n/b/ B\nendif\n/./ D\n", "b", "D", ""},
    {"/^(a)|(b)$/ [$1][$2][${1}][$(2)][$$]\n", "b", "[][b][][b][$]", ""},
    {"/(?<n>a)/ [$1]\n", "a", "[a]", ""},
    {"/^(.+)@(.+)$/ $2 $1\n", "u@d", "d u", ""},
    /* Broken rules. */
    {"abc def\n", "x", "NOTFOUND", W(1, "ignoring unrecognized request")},
    {"/abc def\n", "x", "NOTFOUND",
    W(1, "no closing regexp delimiter \"/\": ignoring this rule")},
    {"/abc/q def\n/x/ X\n", "x", "X",
    W(1, "unknown regexp option \"q\": skipping this rule")},
    {"/x/!/y/ X\n", "x", "NOTFOUND",
    W(1, "unknown regexp option \"!\": skipping this rule")},
    {"/abc/\n/x/ X\n", "x", "X",
    W(1, "no replacement text: using empty string")},
    {"/a(bc/ def\n/x/ X\n", "x", "X",
    W(1, "error in regex at offset 4: missing closing parenthesis")},
    {"/(x)/ $2\n/x/ X\n", "x", "X",
    W(1, "out of range replacement index \"2\": skipping this rule")},
    {"/(x)/ $a\n/x/ X\n", "x", "X",
	W(1, "non-numeric replacement index \"a\"")
    W(1, "bad replacement syntax: skipping this rule")},
    {"/(x)/ [$0]\n", "x", "NOTFOUND",
	W(1, "out of range replacement index \"0\"")
    W(1, "bad replacement syntax: skipping this rule")},
    {"!/(y)/ a$1\n/x/ X\n", "x", "X",
    W(1, "$number found in negative match replacement text: skipping this rule")},
    {"endif\n/x/ X\n", "x", "X", W(1, "ignoring ENDIF without matching IF")},
    {"if /x/\n/x/ X\n", "x", "X", W(1, "IF has no matching ENDIF")},
    {"if /x/ foo\n/x/ X\nendif\n", "x", "X",
	W(1, "ignoring extra text after IF statement: \"foo\"")
    W(1, "do not prepend whitespace to statements between IF and ENDIF")},
    {"if /x/\n/x/ X\nendif foo\n", "x", "X",
    W(3, "ignoring extra text after ENDIF")},
    {"if\n/x/ X\nendif\n", "x", "X",
	W(1, "no regexp: skipping this rule")
    W(3, "ignoring ENDIF without matching IF")},
};

/* test_pcre_table - the table above */
static void test_pcre_table(void **state)
{
    (void) state;
    test_dict_file_cases("pcre:t", cases, ARRAY_LEN(cases));
}

/* test_pcre_match_limit - catastrophic backtracking is cut off */
static void test_pcre_match_limit(void **state)
{
    static const TEST_DICT_QUERY q[] = {
	{"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab", "second",
	W(1, "match limit exceeded")}, {0},
    };

    (void) state;
    test_dict_chdir();
    test_dict_expect("pcre:t", 0, "/^(a+)+$/ yes\n/a/ second\n", q, "");
}

/* test_pcre_inline - rules in the table name, NO_REGSUB, folding */
static void test_pcre_inline(void **state)
{
    static const TEST_DICT_QUERY q1[] = {
	{"abc", "B", ""}, {"xa", "A", ""}, {0},
    };
    static const TEST_DICT_QUERY q2[] = {{"AB", "ab", ""}, {0}};
    static const TEST_DICT_QUERY q3[] = {{"AB", "x", ""}, {0}};

    (void) state;
    test_dict_expect("pcre:{ {/b/ B}, { /a/ A } }", 0, NULL, q1, "");
    test_dict_expect("pcre:{ {/(.*)/ $1} }", DICT_FLAG_FOLD_MUL, NULL, q2, "");
    test_dict_expect("pcre:{ {/(.*)/ $1}, {/./ x} }", DICT_FLAG_NO_REGSUB,
		     NULL, q3, "warning: pcre map { {/(.*)/ $1}, {/./ x} }, "
		     "line 1: regular expression substitution is not allowed:"
		     " skipping this rule\n");
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_pcre_table),
	cmocka_unit_test(test_pcre_match_limit),
	cmocka_unit_test(test_pcre_inline),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
