/*
 * test_compat_level - unit tests for compat_level(3)
 */
#include "sys_defs.h"

#include <stdlib.h>
#include <string.h>

#include "msg.h"
#include "mymalloc.h"
#include "vstring.h"
#include "mail_conf.h"
#include "mail_params.h"
#include "compat_level.h"
#include "test_params.h"
#include "test_support.h"
#include "test_child.h"

/* test_compare - order and syntax */
static void test_compare(void **state)
{
    static const struct {
	const char *left;
	const char *right;
	int     result;			/* 2: malformed */
    } cases[] = {
	{"0", "3.6", -1}, {"2", "3.6", -1}, {"3.5.99", "3.6", -1},
	{"3.6", "3.6", 0}, {"3.6.0", "3.6", 0}, {"3.06", "3.6", 0},
	{"3.7", "3.6", 1}, {"3.10", "3.9", 1}, {"9999", "3.6", 1},
	{"3.6.1", "3.6", 1}, {"999999999", "1", 1},
	{"", "3.6", 2}, {"abc", "3.6", 2}, {"3.", "3.6", 2}, {".3", "3.6", 2},
	{"3..6", "3.6", 2}, {"3.6.0.1", "3.6", 2}, {"-1", "3.6", 2},
	{" 3.6", "3.6", 2}, {"3.6 ", "3.6", 2}, {"1234567890", "3.6", 2},
	{"3.6", "x", 2},
    };
    size_t  n;
    int     result;
    bool    ok;

    (void) state;
    for (n = 0; n < ARRAY_LEN(cases); n++) {
	ok = compat_level_compare(cases[n].left, cases[n].right, &result);
	if (cases[n].result == 2 ? ok : (!ok || result != cases[n].result))
	    fail_msg("\"%s\" vs \"%s\": %s %d", cases[n].left, cases[n].right,
		     ok ? "ok" : "malformed", result);
    }
}

/* notice_for - the messages for one compatibility_level setting */
static char *notice_for(const char *level)
{
    char   *text;

    test_set_param("compatibility_level", level);
    test_capture_start();
    compat_level_notice();
    text = mystrdup(test_capture_text());
    test_capture_stop();
    return text;
}

/* test_notice - Postfix's three lines, only below the current level */
static void test_notice(void **state)
{
    static const char notice[] =
	"Postfix is using backwards-compatible default settings\n"
	"See http://www.postfix.org/COMPATIBILITY_README.html for details\n"
	"To disable backwards compatibility use \"postconf "
	"compatibility_level=3.6\" and \"postfix reload\"\n";
    static const char *const below[] = {"0", "2", "3.5", "3.5.99"};
    static const char *const current[] = {"3.6", "3.6.0", "3.7", "9999"};
    char   *text;
    size_t  n;

    (void) state;
    for (n = 0; n < ARRAY_LEN(below); n++) {
	text = notice_for(below[n]);
	assert_string_equal(text, notice);
	myfree(text);
    }
    for (n = 0; n < ARRAY_LEN(current); n++) {
	text = notice_for(current[n]);
	assert_string_equal(text, "");
	myfree(text);
    }
}

/* notice_child - a malformed level, in a child */
static void notice_child(void *context)
{
    test_set_param("compatibility_level", (const char *) context);
    compat_level_notice();
}

/* test_malformed - fatal, with Postfix's words */
static void test_malformed(void **state)
{
    TEST_CHILD_RESULT result;
    char    level[] = "abc";

    (void) state;
    test_child_run(notice_child, level, 5000, &result);
    assert_true(test_child_exited(&result, 1));
    assert_string_equal(result.output, "fatal: malformed compatibility level "
			"syntax: \"abc\"\n");
    test_child_free(&result);
}

/* test_current_level - the highest level that a default depends on */
static void test_current_level(void **state)
{
    static const char *const operators[] = {"<level {", "<=level {"};
    const MAIL_PARAM *param;
    const char *cp;
    char   *level;
    char   *highest = mystrdup("0");
    int     result;
    size_t  n;

    (void) state;
    for (param = mail_param_table; param < mail_param_table + MAIL_PARAM_COUNT;
	 param++) {
	if (param->defval == NULL)
	    continue;
	for (n = 0; n < ARRAY_LEN(operators); n++) {
	    for (cp = param->defval; (cp = strstr(cp, operators[n])) != NULL;
		 cp += strlen(operators[n])) {
		level = mystrndup(cp + strlen(operators[n]),
				  strcspn(cp + strlen(operators[n]), "}"));
		assert_true(compat_level_compare(level, highest, &result));
		if (result > 0) {
		    myfree(highest);
		    highest = level;
		} else {
		    myfree(level);
		}
	    }
	}
    }
    assert_string_equal(highest, COMPAT_LEVEL_CURRENT);
    myfree(highest);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_compare),
	cmocka_unit_test(test_notice),
	cmocka_unit_test(test_malformed),
	cmocka_unit_test(test_current_level),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
