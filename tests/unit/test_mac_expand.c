/*
 * test_mac_expand - unit tests for mac_expand(3)
 *
 * The expected results were checked against real Postfix 3.7 postconf -x
 * (the nesting cases with "myorigin = <pattern>" and "y = 1" in main.cf;
 * the chains with parameters p1 ... pN). Postfix 3.7 has no nesting
 * limit for comparison operands; ours is the same as for branches.
 */
#include "sys_defs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mymalloc.h"
#include "vstring.h"
#include "mac_expand.h"
#include "test_support.h"

static const char *test_table[][2] = {
    {"myhostname", "vm.localdomain"},
    {"empty", ""},
    {"indirect", "$myhostname"},
    {"loop", "$loop"},
    {"level", "3.6"},
    {"bad", "x${"},
    {"ctl", "a\001b"},
    {"y", "1"},
    {"indirect_empty", "$empty"},
    {"selfcond", "${selfcond?{x}}"},
    {"ping", "$pong"},
    {"pong", "$ping"},
};

static int chain_length;		/* p<i> = $p<i+1>, p<N> = X */

/* test_lookup - look up a name in test_table */
static const char *test_lookup(const char *name, int mode, void *context)
{
    size_t  n;

    static char chain_value[32];
    int     link;

    (void) mode;
    (void) context;
    for (n = 0; n < ARRAY_LEN(test_table); n++)
	if (strcmp(test_table[n][0], name) == 0)
	    return test_table[n][1];
    if (name[0] == 'p' && (link = atoi(name + 1)) > 0 && link <= chain_length) {
	if (link == chain_length)
	    return "X";
	snprintf(chain_value, sizeof(chain_value), "$p%d", link + 1);
	return chain_value;
    }
    return NULL;
}

/* test_expansions - table of patterns and results */
static void test_expansions(void **state)
{
    static const struct {
	const char *pattern;
	const char *result;
	int     status;
	const char *log;		/* expected warnings, or "" */
    } cases[] = {
	{"plain text", "plain text", 0, ""},
	{"$myhostname", "vm.localdomain", 0, ""},
	{"[${myhostname}]", "[vm.localdomain]", 0, ""},
	{"$(myhostname)", "vm.localdomain", 0, ""},
	{"${ myhostname}", "vm.localdomain", 0, ""},
	{"$indirect", "vm.localdomain", 0, ""},
	{"$$x", "$x", 0, ""},
	{"$nosuch", "", MAC_PARSE_UNDEF, ""},
	{"${myhostname?{a}:{b}}", "a", 0, ""},
	{"${myhostname?{a} : {b}}", "a", 0, ""},
	{"${empty?{a}:{b}}", "b", 0, ""},
	{"${nosuch?{a}:{b}}", "b", MAC_PARSE_UNDEF, ""},
	{"${nosuch:{a} }", "a", MAC_PARSE_UNDEF, ""},
	{"${myhostname:x}", "", 0, ""},
	{"${myhostname?a:b}", "a:b", 0, ""},
	{"${nosuch?a:b}", "", MAC_PARSE_UNDEF, ""},
	{"${myhostname?{a}:b}", "a", 0, ""},
	{"${empty?{a}:b}", "b", 0, ""},
	{"${myhostname?a}", "a", 0, ""},
	{"${myhostname?{$myhostname}}", "vm.localdomain", 0, ""},
	{"${{1} == {1} ? {y} : {n}}", "y", 0, ""},
	{"${{1}=={1}?{y}:{n}}", "y", 0, ""},
	{"${{1} < {10} ? {y} : {n}}", "y", 0, ""},
	{"${{a} < {10} ? {y} : {n}}", "n", 0, ""},
	{"${{10} < {9} ? {y} : {n}}", "n", 0, ""},
	{"${{007} == {7} ? {y} : {n}}", "y", 0, ""},
	{"${{3.10} <level {3.9} ? {y} : {n}}", "n", 0, ""},
	{"${{3.10} < {3.9} ? {y} : {n}}", "y", 0, ""},
	{"${{$level} <level {3.6} ? {old} : {new}}", "new", 0, ""},
	{"${{x} == {x}}", "true", 0, ""},
	{"${{x} != {x}}", "", 0, ""},
	{"${{x} == {x} ? {y}}", "y", 0, ""},
	{"${{x} == {z} ? {y}}", "", 0, ""},
	{"${{x} == {z} : {y}}", "y", 0, ""},
	{"${{x}=={x}?y:n}", "y:n", 0, ""},
	{"${{ 1 } == {1} ? { y } : { n }}", " n ", 0, ""},
	{"a$-b", "a", MAC_PARSE_ERROR, "warning: empty macro name: \"a$-b\"\n"},
	{"x$", "x", MAC_PARSE_ERROR, "warning: empty macro name: \"x$\"\n"},
	{"${bar", "", MAC_PARSE_ERROR,
	"warning: truncated macro reference: \"${bar\"\n"},
	{"${my-host}", "", MAC_PARSE_ERROR,
	"warning: attribute name syntax error at: \"...my>>>-host\"\n"},
	{"${{ }}", "", MAC_PARSE_ERROR,
	"warning: \"==\" or \"!=\" or \"<\" or \"<=\" or \">=\" or \">\" expected"
	" at: \"... }>>>\"\n"},
	{"${{a} == {b} ? {y} : {n} extra}", "", MAC_PARSE_ERROR,
	"warning: unexpected input at: \"...n}>>>extra\"\n"},
	{"${myhostname?{a}x}", "", MAC_PARSE_ERROR,
	"warning: \":\" expected at: \"...a}>>>x\"\n"},
	{"$loop", "", MAC_PARSE_ERROR,
	"warning: unreasonable macro call nesting: \"loop\"\n"},
	{"$ping", "", MAC_PARSE_ERROR,
	"warning: unreasonable macro call nesting: \"pong\"\n"},
	/* The name of a conditional is tested as is, not expanded. */
	{"${indirect_empty?{yes}:{no}}", "yes", 0, ""},
	{"${indirect_empty:{colon}}", "", 0, ""},
	{"$selfcond", "x", 0, ""},
	{"$bad", "x", MAC_PARSE_ERROR,
	"warning: truncated macro reference: \"x${\"\n"},
    };
    VSTRING *result = vstring_alloc(10);
    size_t  n;
    int     status;

    (void) state;
    for (n = 0; n < ARRAY_LEN(cases); n++) {
	test_capture_start();
	status = mac_expand(result, cases[n].pattern, MAC_EXP_FLAG_RECURSE,
			    NULL, test_lookup, NULL);
	if (strcmp(vstring_str(result), cases[n].result) != 0
	    || status != cases[n].status
	    || strcmp(test_capture_text(), cases[n].log) != 0)
	    fail_msg("pattern \"%s\": got \"%s\" status %d log \"%s\"",
		     cases[n].pattern, vstring_str(result), status,
		     test_capture_text());
	test_capture_stop();
    }
    vstring_free(result);
}

/* test_flags - filter, printable, append, no recursion */
static void test_flags(void **state)
{
    VSTRING *result = vstring_alloc(10);

    (void) state;
    mac_expand(result, "<$myhostname>", MAC_EXP_FLAG_NONE,
	       "abcdefghijklmnopqrstuvwxyz", test_lookup, NULL);
    assert_string_equal(vstring_str(result), "<vm_localdomain>");
    mac_expand(result, "$ctl", MAC_EXP_FLAG_PRINTABLE, NULL, test_lookup, NULL);
    assert_string_equal(vstring_str(result), "a?b");
    mac_expand(result, "+$indirect", MAC_EXP_FLAG_APPEND, NULL, test_lookup, NULL);
    assert_string_equal(vstring_str(result), "a?b+$myhostname");
    vstring_free(result);
}

/* nest - open n times, then inner, then close n times */
static char *nest(const char *open, const char *inner, const char *close,
		          int n)
{
    VSTRING *buf = vstring_alloc(100);
    int     i;

    for (i = 0; i < n; i++)
	vstring_strcat(buf, open);
    vstring_strcat(buf, inner);
    for (i = 0; i < n; i++)
	vstring_strcat(buf, close);
    return vstring_export(buf);
}

/* test_nesting_limit - 100 levels work, 101 do not, on every path */
static void test_nesting_limit(void **state)
{
    static const struct {
	const char *open;
	const char *inner;
	const char *close;
	int     levels;
	const char *result;
	int     status;
	const char *too_deep;		/* text in the warning, or NULL */
    } cases[] = {
	{"${y?{", "X", "}}", 100, "X", 0, NULL},
	{"${y?{", "X", "}}", 101, "", MAC_PARSE_ERROR, "X"},
	{"${y?{", "X", "}}", 102, "", MAC_PARSE_ERROR, "y?{X}"},
	{"${y?", "X", "}", 100, "X", 0, NULL},
	{"${y?", "X", "}", 101, "", MAC_PARSE_ERROR, "X"},
	{"${y?", "X", "}", 102, "", MAC_PARSE_ERROR, "y?X"},
	{"$(y?{", "X", "})", 100, "X", 0, NULL},
	{"$(y?{", "X", "})", 102, "", MAC_PARSE_ERROR, "y?{X}"},
	{"${nosuch:{", "X", "}}", 100, "X", MAC_PARSE_UNDEF, NULL},
	{"${nosuch:{", "X", "}}", 101, "", MAC_PARSE_ERROR | MAC_PARSE_UNDEF, "X"},
	{"${y?{a}:{", "X", "}}", 101, "a", 0, NULL},
	{"${empty?{a}:{", "X", "}}", 101, "", MAC_PARSE_ERROR, "X"},
	{"${{a} == {a} ? {", "X", "}}", 100, "X", 0, NULL},
	{"${{a} == {a} ? {", "X", "}}", 101, "", MAC_PARSE_ERROR, "X"},
	{"${{a} == {a} ? {", "X", "}}", 102, "", MAC_PARSE_ERROR,
	"{a} == {a} ? {X}"},
	{"${{a} == {b} ? {a} : {", "X", "}}", 100, "X", 0, NULL},
	{"${{a} == {b} ? {a} : {", "X", "}}", 101, "", MAC_PARSE_ERROR, "X"},
	/* Operands: a constant operand is not a level deeper. */
	{"${{", "X", "} == {X}}", 1, "true", 0, NULL},
	{"${{", "X", "} == {X}}", 101, "", 0, NULL},
	{"${{", "X", "} == {X}}", 102, "", MAC_PARSE_ERROR, "{X} == {X}"},
	{"${{x} == {", "X", "}}", 102, "", MAC_PARSE_ERROR, "{x} == {X}"},
	/* Literal text: "$$" is part of it; no text, no element. */
	{"${y?{", "a$$b", "}}", 100, "a$b", 0, NULL},
	{"${y?{", "a$$b${y}", "}}", 101, "", MAC_PARSE_ERROR, "a$b"},
	{"${y?{", "$$b", "}}", 101, "", MAC_PARSE_ERROR, "$b"},
	{"${y?{", "", "}}", 101, "", 0, NULL},
	{"${y?{", "$y", "}}", 100, "", MAC_PARSE_ERROR, "1"},
    };
    VSTRING *result = vstring_alloc(10);
    VSTRING *log = vstring_alloc(10);
    char   *pattern;
    size_t  n;
    int     status;

    (void) state;
    for (n = 0; n < ARRAY_LEN(cases); n++) {
	pattern = nest(cases[n].open, cases[n].inner, cases[n].close,
		       cases[n].levels);
	if (cases[n].too_deep)
	    vstring_sprintf(log, "warning: unreasonable macro call nesting:"
			    " \"%s\"\n", cases[n].too_deep);
	test_capture_start();
	status = mac_expand(result, pattern, MAC_EXP_FLAG_RECURSE, NULL,
			    test_lookup, NULL);
	if (strcmp(vstring_str(result), cases[n].result) != 0
	    || status != cases[n].status
	    || (cases[n].too_deep != NULL
		&& strcmp(test_capture_text(), vstring_str(log)) != 0))
	    fail_msg("%d x \"%s\": got \"%s\" status %d log \"%s\"",
		     cases[n].levels, cases[n].open, vstring_str(result), status,
		     test_capture_text());
	test_capture_stop();
	myfree(pattern);
    }
    vstring_free(result);
    vstring_free(log);
}

/* test_chain_limit - parameters that refer to the next one */
static void test_chain_limit(void **state)
{
    static const struct {
	int     length;
	const char *result;
	const char *log;
    } cases[] = {
	{100, "X", ""},
	{101, "", "warning: unreasonable macro call nesting: \"X\"\n"},
	{102, "", "warning: unreasonable macro call nesting: \"p102\"\n"},
    };
    VSTRING *result = vstring_alloc(10);
    size_t  n;
    int     status;

    (void) state;
    for (n = 0; n < ARRAY_LEN(cases); n++) {
	chain_length = cases[n].length;
	test_capture_start();
	status = mac_expand(result, "$p1", MAC_EXP_FLAG_RECURSE, NULL,
			    test_lookup, NULL);
	assert_string_equal(vstring_str(result), cases[n].result);
	assert_int_equal(status, *cases[n].log ? MAC_PARSE_ERROR : 0);
	assert_string_equal(test_capture_text(), cases[n].log);
	test_capture_stop();
    }
    chain_length = 0;
    vstring_free(result);
}

/* test_deep_input - far too deep input: an error, soon, not a crash */
static void test_deep_input(void **state)
{
    static const char *const forms[][3] = {
	{"${y?{", "X", "}}"},
	{"${nosuch:{", "X", "}}"},
	{"${{a} == {b} ? {a} : {", "X", "}}"},
	{"${{", "X", "} == {X}}"},
	{"${y?", "X", "}"},
	{"$(y?{", "X", "})"},
	{"${", "X", ""},			/* never closed */
    };
    VSTRING *result = vstring_alloc(10);
    char   *pattern;
    size_t  n;
    int     status;
    clock_t start = clock();

    (void) state;
    for (n = 0; n < ARRAY_LEN(forms); n++) {
	pattern = nest(forms[n][0], forms[n][1], forms[n][2], 100000);
	test_capture_start();
	status = mac_expand(result, pattern, MAC_EXP_FLAG_RECURSE, NULL,
			    test_lookup, NULL);
	assert_true(status & MAC_PARSE_ERROR);
	/* The warning echoes at most 100 bytes of the text. */
	assert_true(strlen(test_capture_text()) < 200);
	test_capture_stop();
	test_capture_start();
	status = mac_expand(result, pattern, MAC_EXP_FLAG_SCAN, NULL,
			    test_lookup, NULL);
	assert_true(status & MAC_PARSE_ERROR);
	test_capture_stop();
	myfree(pattern);
    }

    /*
     * Linear time: the old expander rescanned each level (10,000 levels
     * took seconds, and 100,000 overflowed the stack); this is a few
     * milliseconds, so the bound is generous for slow sanitizer builds.
     */
    assert_true(clock() - start < 10 * CLOCKS_PER_SEC);
    vstring_free(result);
}

/* test_scan_nesting - a scan reports the problems of both branches */
static void test_scan_nesting(void **state)
{
    char   *pattern = nest("${{a} == {b} ? {a} : {", "X", "}}", 101);
    int     status;

    (void) state;
    test_capture_start();
    status = mac_expand((VSTRING *) 0, pattern, MAC_EXP_FLAG_SCAN, NULL,
			test_lookup, NULL);
    assert_int_equal(status, MAC_PARSE_ERROR);
    assert_string_equal(test_capture_text(),
		     "warning: unreasonable macro call nesting: \"a\"\n"
		     "warning: unreasonable macro call nesting: \"X\"\n");
    test_capture_stop();
    myfree(pattern);
}

static char scanned[256];

/* scan_lookup - record every name that the scanner reports */
static const char *scan_lookup(const char *name, int mode, void *context)
{
    (void) mode;
    (void) context;
    strncat(scanned, name, sizeof(scanned) - strlen(scanned) - 2);
    strcat(scanned, " ");
    return "";
}

/* test_scan - scanning visits both branches and produces no output */
static void test_scan(void **state)
{
    VSTRING *result = vstring_alloc(10);

    (void) state;
    vstring_strcpy(result, "untouched");
    scanned[0] = 0;
    mac_expand(result, "$a ${b?{$c}:{$d}} ${{$e} == {x} ? {$f} : {$g}}",
	       MAC_EXP_FLAG_SCAN, NULL, scan_lookup, NULL);
    assert_string_equal(scanned, "a b c d e f g ");
    assert_string_equal(vstring_str(result), "untouched");
    vstring_free(result);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_expansions),
	cmocka_unit_test(test_flags),
	cmocka_unit_test(test_scan),
	cmocka_unit_test(test_nesting_limit),
	cmocka_unit_test(test_chain_limit),
	cmocka_unit_test(test_deep_input),
	cmocka_unit_test(test_scan_nesting),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
