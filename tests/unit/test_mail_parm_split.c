/*
 * test_mail_parm_split - unit tests for mail_parm_split(3)
 */
#include "sys_defs.h"

#include <string.h>

#include "msg.h"
#include "mymalloc.h"
#include "argv.h"
#include "mail_parm_split.h"
#include "test_support.h"
#include "test_child.h"

/* test_split - separators and { } groups */
static void test_split(void **state)
{
    static const struct {
	const char *value;
	const char *joined;		/* elements joined with '|' */
    } cases[] = {
	{"", ""},
	{"   ", ""},
	{"MAIL_CONFIG MAIL_DEBUG", "MAIL_CONFIG|MAIL_DEBUG"},
	{"a,b , c\td\ne", "a|b|c|d|e"},
	{"TZ LANG=C", "TZ|LANG=C"},
	{"{ LANG = C } TZ", "LANG = C|TZ"},
	{"{x}", "x"},
	{"{ }", ""},
	{"{ a, b },c", "a, b|c"},
	{"{ {nested} }", "{nested}"},
    };
    ARGV   *argv;
    char   *joined;
    size_t  n;

    (void) state;
    for (n = 0; n < ARRAY_LEN(cases); n++) {
	argv = mail_parm_split("import_environment", cases[n].value);
	joined = argv_join(argv, "|");
	assert_string_equal(joined, cases[n].joined);
	myfree(joined);
	argv_free(argv);
    }
}

/* split_bad - a value with unbalanced braces */
static void split_bad(void *context)
{
    (void) mail_parm_split("export_environment", (const char *) context);
}

/* test_bad - unbalanced braces are fatal with the parameter name */
static void test_bad(void **state)
{
    static const struct {
	const char *value;
	const char *output;
    } cases[] = {
	{"a {b",
	"fatal: parameter export_environment: missing '}' in \"{b\"\n"},
	{"{b}c d",
	"fatal: parameter export_environment: syntax error after '}' in \"{b}c\"\n"},
    };
    TEST_CHILD_RESULT result;
    size_t  n;

    (void) state;
    for (n = 0; n < ARRAY_LEN(cases); n++) {
	test_child_run(split_bad, (void *) cases[n].value, 10000, &result);
	assert_string_equal(result.output, cases[n].output);
	assert_true(test_child_exited(&result, 1));
	test_child_free(&result);
    }
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_split),
	cmocka_unit_test(test_bad),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
