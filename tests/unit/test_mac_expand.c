/*
 * test_mac_expand - unit tests for mac_expand(3)
 *
 * The expected results were checked against real Postfix 3.7 postconf -x.
 */
#include "sys_defs.h"

#include <string.h>

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
};

/* test_lookup - look up a name in test_table */
static const char *test_lookup(const char *name, int mode, void *context)
{
    size_t  n;

    (void) mode;
    (void) context;
    for (n = 0; n < ARRAY_LEN(test_table); n++)
	if (strcmp(test_table[n][0], name) == 0)
	    return test_table[n][1];
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
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
