/*
 * test_dict_static - unit tests for dict_static(3)
 *
 * DESCRIPTION
 *	postconf(1) -m: "static:foobar always returns the string foobar";
 *	"static:{ text with whitespace }" ignores whitespace after "{" and
 *	before "}". Error texts from Postfix 3.7.
 */
#include "sys_defs.h"

#include "dict.h"
#include "dict_static.h"
#include "test_dict_support.h"

/* test_static - results and syntax errors */
static void test_static(void **state)
{
    static const TEST_DICT_QUERY foo[] = {
	{"x", "foobar", ""}, {"ANY", "foobar", ""}, {0},
    };
    static const TEST_DICT_QUERY ws[] = {{"x", "a b  c", ""}, {0}};
    static const TEST_DICT_QUERY raw[] = {{"x", " x ", ""}, {0}};
    static const TEST_DICT_QUERY empty[] = {{"x", "", ""}, {0}};
    static const TEST_DICT_QUERY colon[] = {{"x", "a:b", ""}, {0}};
    static const TEST_DICT_QUERY bad1[] = {{"x", "CONFIG",
	    "warning: static:{ a b  c } x is unavailable. bad static:name "
    "syntax: syntax error after '}' in \"{ a b  c } x\"\n"}, {0}};
    static const TEST_DICT_QUERY bad2[] = {{"x", "CONFIG",
	    "warning: static:{ a b  is unavailable. bad static:name "
    "syntax: missing '}' in \"{ a b \"\n"}, {0}};
    static const TEST_DICT_QUERY noname[] = {{"x", "CONFIG",
	    "warning: static: is unavailable. open dictionary: expecting "
    "\"type:name\" form instead of \"static:\"\n"}, {0}};
    DICT   *dict;
    const char *key;
    const char *value;

    (void) state;
    test_dict_expect("static:foobar", 0, NULL, foo, "");
    test_dict_expect("static:{ a b  c }", 0, NULL, ws, "");
    test_dict_expect("static: x ", 0, NULL, raw, "");
    test_dict_expect("static:{ }", 0, NULL, empty, "");
    test_dict_expect("static:a:b", 0, NULL, colon, "");
    test_dict_expect("static:{ a b  c } x", 0, NULL, bad1, bad1[0].log);
    test_dict_expect("static:{ a b ", 0, NULL, bad2, bad2[0].log);
    test_dict_expect("static:", 0, NULL, noname, noname[0].log);

    test_capture_start();
    dict = dict_open("static:x", O_RDONLY, 0);
    assert_true((dict->flags & DICT_FLAG_FIXED) != 0);
    assert_int_equal(dict_seq(dict, DICT_SEQ_FUN_FIRST, &key, &value),
		     DICT_STAT_ERROR);
    assert_string_equal(test_capture_text(),
			"warning: static:x does not support sequence\n");
    test_capture_stop();
    dict_close(dict);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_static),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
