/*
 * test_dict_regexp - unit tests for dict_regexp(3) and dict_pattern(3)
 *
 * DESCRIPTION
 *	Expected results follow regexp_table(5); the warning texts are
 *	those of Postfix 3.7 ("postmap -q key regexp:file").
 */
#include "sys_defs.h"

#include <stdio.h>
#include <string.h>

#include "msg.h"
#include "mymalloc.h"
#include "vstring.h"
#include "dict.h"
#include "dict_pattern.h"
#include "dict_regexp.h"
#include "test_dict_support.h"

#define W(line, text) "warning: regexp map t, line " #line ": " text "\n"

static const TEST_DICT_FILE_CASE cases[] = {
    /* Table format and flags. */
    {"/^abc$/ yes\n", "ABC", "yes", ""},
    {"/^ABC$/i yes\n/^abc$/ no\n", "abc", "no", ""},
    {"/^ABC$/ii yes\n", "abc", "yes", ""},
    {"/^b$/ yes\n", "a\nb", "NOTFOUND", ""},
    {"/^b$/m yes\n", "a\nb", "yes", ""},
    {"/a b/x yes\n/ab/ ab\n", "ab", "ab", ""},
    {"/a b/x yes\n/ab/ ab\n", "a b", "yes", ""},
    {"/a b/ yes\n", "a b", "yes", ""},
    {"%abc% X\n", "abc", "X", ""},
    {"/a\\/b/ X\n", "a/b", "X", ""},
    {"/a/    X   Y   \n", "a", "X   Y", ""},
    {"/x/ X # not a comment\n", "x", "X # not a comment", ""},
    {"   # comment\n\n/x/ X\n", "x", "X", ""},
    {"/y/ Y\n /x/ X\n", "x", "NOTFOUND", ""},	/* continuation */
    {"// X\n", "anything", "X", ""},
    /* Negation. */
    {"!/a/ X\n", "b", "X", ""},
    {"!/a/ X\n", "a", "NOTFOUND", ""},
    {"! /a/ X\n", "x", "X", ""},
    {"!!/x/ X\n", "x", "X", ""},
    {"/x/!/y/ X\n", "x", "X", ""},
    {"/x/!/y/ X\n", "xy", "NOTFOUND", ""},
    {"/x/i!/y/i X\n", "XY", "NOTFOUND", ""},
    /* IF/ENDIF. */
    {"if /a/\n/b/ B\nendif\n/./ D\n", "ab", "B", ""},
    {"if /a/\n/b/ B\nendif\n/./ D\n", "b", "D", ""},
    {"if !/a/\n/x/ X\nendif\n", "x", "X", ""},
    {"if ! /a/\n/x/ X\nendif\n", "x", "X", ""},
    {"if!/a/\n/b/ B\nendif\n", "b", "B", ""},
    {"if/a/\n/a/ B\nendif\n", "a", "B", ""},
    {"IF /a/\n/a/ A\nENDIF\n", "a", "A", ""},
    {"if /a/\nif /b/\n/x/ X\nendif\n/x/ Y\nendif\n", "ax", "Y", ""},
    {"if /a/\nif /b/\n/x/ X\nendif\n/x/ Y\nendif\n", "abx", "X", ""},
    /* Substitution. */
    {"/^(a)|(b)$/ [$1][$2][${1}][$(2)][$$][$$1]\n", "b", "[][b][][b][$][$1]", ""},
    {"/^(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)$/ [$10][${10}]\n", "abcdefghij",
    "[j][j]", ""},
    {"/(x)/ $01\n", "x", "x", ""},
    {"/(a)?b/ [$1]\n", "b", "[]", ""},
    {"/(a)/ ${1}${1}$$$1\n", "a", "aa$a", ""},
    {"/^(.*)@(.*)$/ ${2}:$1\n", "User@Example", "Example:User", ""},
    /* Broken rules are skipped; the table still opens. */
    {"abc def\n/x/ X\n", "x", "X", W(1, "ignoring unrecognized request")},
    {"ifx /a/\n/x/ X\n", "x", "X", W(1, "ignoring unrecognized request")},
    {"/abc def\n/x/ X\n", "x", "X",
    W(1, "no closing regexp delimiter \"/\": skipping this rule")},
    {"/abc/q def\n/x/ X\n", "x", "X",
    W(1, "unknown regexp option \"q\": skipping this rule")},
    {"/x/X\n", "x", "NOTFOUND",
    W(1, "unknown regexp option \"X\": skipping this rule")},
    {"/abc/\n", "abc", "",
    W(1, "no replacement text: using empty string")},
    {"/a(bc/ def\n/x/ X\n", "x", "X", W(1, "Unmatched ( or \\(")},
    {"/(x)/ $2\n/x/ X\n", "x", "X",
    W(1, "out of range replacement index \"2\": skipping this rule")},
    {"/(x)/ $2 ${3}\n/x/ X\n", "x", "X",
    W(1, "out of range replacement index \"3\": skipping this rule")},
    {"/(x)/ $a $b\n/x/ X\n", "x", "X",
	W(1, "non-numeric replacement index \"a\"")
	W(1, "non-numeric replacement index \"b\"")
    W(1, "bad replacement syntax: skipping this rule")},
    {"/^(a)$/ [$0]\n", "a", "NOTFOUND",
	W(1, "out-of-range replacement index \"0\"")
    W(1, "bad replacement syntax: skipping this rule")},
    {"/^(a)$/ $1x\n", "a", "NOTFOUND",
	W(1, "non-numeric replacement index \"1x\"")
    W(1, "bad replacement syntax: skipping this rule")},
    {"/(x)/ ${1\n/x/ X\n", "x", "X",
	"warning: truncated macro reference: \"${1\"\n"
    W(1, "bad replacement syntax: skipping this rule")},
    {"/(x)/ ${1)\n/x/ X\n", "x", "X",
	"warning: truncated macro reference: \"${1)\"\n"
    W(1, "bad replacement syntax: skipping this rule")},
    {"/(x)/ a $ b\n/x/ X\n", "x", "X",
	"warning: empty macro name: \"a $ b\"\n"
    W(1, "bad replacement syntax: skipping this rule")},
    {"/(x)/ ${}\n/x/ X\n", "x", "X",
	"warning: empty macro name: \"${}\"\n"
    W(1, "bad replacement syntax: skipping this rule")},
    {"/(x)/ ${{1}}\n/x/ X\n", "x", "X",
	W(1, "non-numeric replacement index \"{1}\"")
    W(1, "bad replacement syntax: skipping this rule")},
    {"!/(y)/ a$1\n/x/ X\n", "x", "X",
    W(1, "$number found in negative match replacement text: skipping this rule")},
    {"/x/!/y X\n", "x", "NOTFOUND",
    W(1, "no closing regexp delimiter \"/\": skipping this rule")},
    {"!\n", "x", "NOTFOUND", W(1, "no regexp: skipping this rule")},
    /* Broken IF/ENDIF. */
    {"endif\n/x/ X\n", "x", "X", W(1, "ignoring ENDIF without matching IF")},
    {"if /x/\n/x/ X\n", "x", "X", W(1, "IF has no matching ENDIF")},
    {"if /a/\n/x/ X\n", "x", "NOTFOUND", W(1, "IF has no matching ENDIF")},
    {"if /a/\nif /b/\n/x/ X\n", "x", "NOTFOUND",
    W(2, "IF has no matching ENDIF") W(1, "IF has no matching ENDIF")},
    {"if /x/ foo\n/x/ X\nendif\n", "x", "X",
	W(1, "ignoring extra text after IF statement: \"foo\"")
    W(1, "do not prepend whitespace to statements between IF and ENDIF")},
    {"if /x/\n/x/ X\nendif foo\n", "x", "X",
    W(3, "ignoring extra text after ENDIF")},
    {"if\n/x/ X\nendif\n", "x", "X",
	W(1, "no regexp: skipping this rule")
    W(3, "ignoring ENDIF without matching IF")},
    {"if !\nendif\n", "x", "NOTFOUND",
	W(1, "no regexp: skipping this rule")
    W(2, "ignoring ENDIF without matching IF")},
    {"if /x/q\n/x/ X\nendif\n", "x", "X",
	W(1, "unknown regexp option \"q\": skipping this rule")
    W(3, "ignoring ENDIF without matching IF")},
    {"if /x(/\n/x/ X\nendif\n", "x", "X",
	W(1, "Unmatched ( or \\(")
    W(3, "ignoring ENDIF without matching IF")},
    /* Line numbers of continued lines are those of the first line. */
    {"/y/ Y\n/a(\n  b/ X\n/a/ A\n", "a", "A", W(2, "Unmatched ( or \\(")},
    {"/a\n\n  /q X\n", "a", "NOTFOUND",
    W(1, "unknown regexp option \"q\": skipping this rule")},
};

/* test_regexp_table - the table above */
static void test_regexp_table(void **state)
{
    (void) state;
    test_dict_file_cases("regexp:t", cases, ARRAY_LEN(cases));
}

/* test_regexp_inline - rules in the table name */
static void test_regexp_inline(void **state)
{
    static const TEST_DICT_QUERY q1[] = {
	{"abc", "B", ""}, {"xa", "A", ""}, {"xyz", "NOTFOUND", ""}, {0},
    };
    static const TEST_DICT_QUERY q1a[] = {
	{"abc", "A", ""}, {"xyz", "NOTFOUND", ""}, {0},
    };
    static const TEST_DICT_QUERY q2[] = {{"b", "CONFIG",
	"warning: regexp:{ {/b/ B} junk } is unavailable. "
    "regexp map: no '{' at start of text in \"junk\"\n"}, {0}};
    static const TEST_DICT_QUERY q3[] = {{"b", "NOTFOUND", ""}, {0}};

    (void) state;
    test_dict_expect("regexp:{ {/b/ B}, { /a/ A } }", 0, NULL, q1, "");
    test_dict_expect("regexp:{ {/(b/ B}, {/a/ A} }", 0, NULL, q1a,
		     "warning: regexp map { {/(b/ B}, {/a/ A} }, line 1: "
		     "Unmatched ( or \\(\n");
    test_dict_expect("regexp:{ {/b/ B} junk }", 0, NULL, q2,
		     "warning: regexp:{ {/b/ B} junk } is unavailable. "
		     "regexp map: no '{' at start of text in \"junk\"\n");
    test_dict_expect("regexp:{}", 0, NULL, q3, "");
    test_dict_expect("regexp:{ { }, {# comment} }", 0, NULL, q3, "");
}

/* test_regexp_flags - folding, NO_REGSUB, open errors, read-only */
static void test_regexp_flags(void **state)
{
    static const TEST_DICT_QUERY fold[] = {
	{"ABC", "[abc]", ""}, {0},
    };
    static const TEST_DICT_QUERY nofold[] = {
	{"ABC", "[ABC]", ""}, {0},
    };
    static const TEST_DICT_QUERY noregsub[] = {
	{"ABC", "plain", ""}, {0},
    };
    static const TEST_DICT_QUERY missing[] = {
	{"x", "CONFIG", "warning: regexp:nonexistent is unavailable. "
	"open nonexistent: No such file or directory\n"}, {0},
    };
    DICT   *dict;

    (void) state;
    test_dict_chdir();
    test_dict_expect("regexp:t", DICT_FLAG_FOLD_MUL, "/^(.*)$/ [$1]\n", fold, "");
    test_dict_expect("regexp:t", DICT_FLAG_FOLD_FIX, NULL, nofold, "");
    test_dict_expect("regexp:t", DICT_FLAG_NO_REGSUB,
		     "/^(.*)$/ [$1]\n/./ plain\n", noregsub,
		     "warning: regexp map t, line 1: regular expression "
		     "substitution is not allowed: skipping this rule\n");
    test_dict_expect("regexp:nonexistent", 0, NULL, missing,
		     "warning: regexp:nonexistent is unavailable. "
		     "open nonexistent: No such file or directory\n");

    /* The table is read-only and has no sequence operation. */
    test_capture_start();
    dict = dict_open("regexp:t", O_RDWR, 0);
    assert_string_equal(test_capture_text(), "warning: regexp:t is unavailable. "
			"regexp:t map requires O_RDONLY access mode\n");
    test_capture_stop();
    dict_close(dict);
    test_capture_start();
    dict = dict_open("regexp:t", O_RDONLY, 0);
    assert_int_equal(dict_put(dict, "a", "b"), DICT_STAT_ERROR);
    assert_int_equal(dict->error, DICT_ERR_CONFIG);
    assert_true((dict->flags & DICT_FLAG_PATTERN) != 0);
    assert_string_equal(test_capture_text(),
			"warning: regexp:t does not support update\n");
    test_capture_stop();
    dict_close(dict);
}

/* test_regexp_limits - hostile tables stay bounded */
static void test_regexp_limits(void **state)
{
    VSTRING *text = vstring_alloc(100);
    TEST_DICT_QUERY q[] = {{"x", "X", ""}, {"y", "NOTFOUND", ""}, {0}};
    char    expect[200];
    int     n;

    (void) state;
    test_dict_chdir();

    /* Deep nesting: the IF beyond the limit and its block are dropped. */
    for (n = 0; n < DICT_PATTERN_MAX_DEPTH + 1; n++)
	vstring_strcat(text, "if /./\n");
    vstring_strcat(text, "/y/ Y\n");
    for (n = 0; n < DICT_PATTERN_MAX_DEPTH + 1; n++)
	vstring_strcat(text, "endif\n");
    vstring_strcat(text, "/x/ X\n");
    snprintf(expect, sizeof(expect), "warning: regexp map t, line %d: IF "
	     "nesting is deeper than %d levels: skipping this rule and the "
	     "rules up to its ENDIF\n", DICT_PATTERN_MAX_DEPTH + 1,
	     DICT_PATTERN_MAX_DEPTH);
    test_dict_expect("regexp:t", 0, vstring_str(text), q, expect);

    /* Repetition bombs and deep groups are refused before regcomp(). */
    test_dict_expect("regexp:t", 0,
		     "/((a{1000}){1000}){1000}/ Y\n/x/ X\n", q,
		     "warning: regexp map t, line 1: regular expression is "
		     "too complex: skipping this rule\n");
    test_dict_expect("regexp:t", 0,
		     "/a\\{1000\\}\\{1000\\}/x Y\n/x/ X\n", q,
		     "warning: regexp map t, line 1: regular expression is "
		     "too complex: skipping this rule\n");
    VSTRING_RESET(text);
    vstring_strcat(text, "/");
    for (n = 0; n < DICT_REGEXP_MAX_NESTING + 1; n++)
	vstring_strcat(text, "(");
    vstring_strcat(text, "y");
    for (n = 0; n < DICT_REGEXP_MAX_NESTING + 1; n++)
	vstring_strcat(text, ")");
    vstring_strcat(text, "/ Y\n/x/ X\n");
    test_dict_expect("regexp:t", 0, vstring_str(text), q,
		     "warning: regexp map t, line 1: regular expression is "
		     "too complex: skipping this rule\n");
    /* Reasonable repetitions are fine. */
    test_dict_expect("regexp:t", 0,
		     "/^([0-9]{1,3}\\.){3}[0-9]{1,3}$/ IP\n/x/ X\n", q, "");
    vstring_free(text);
}

/* test_regexp_watch - a changed file is reported by dict_changed_name() */
static void test_regexp_watch(void **state)
{
    DICT   *dict;

    (void) state;
    test_dict_chdir();
    test_write_file("t", "/x/ X\n");
    dict = dict_shared_open("regexp:t", O_RDONLY, 0);
    assert_null(dict_changed_name());
    assert_int_equal(unlink("t"), 0);
    assert_string_equal(dict_changed_name(), "regexp:t");
    dict_shared_close(dict);
    assert_null(dict_changed_name());
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_regexp_table),
	cmocka_unit_test(test_regexp_inline),
	cmocka_unit_test(test_regexp_flags),
	cmocka_unit_test(test_regexp_limits),
	cmocka_unit_test(test_regexp_watch),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
