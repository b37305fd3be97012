/*
 * test_dict_regsub - unit tests for dict_regsub(3)
 *
 * DESCRIPTION
 *	Result templates of regexp_table(5)/pcre_table(5) "TEXT
 *	SUBSTITUTION": $n, ${n}, $(n), $$; warning texts from Postfix 3.7.
 */
#include "sys_defs.h"

#include "vstring.h"
#include "dict_regsub.h"
#include "test_dict_support.h"

/* test_regsub_parse - syntax and the largest index */
static void test_regsub_parse(void **state)
{
    static const struct {
	const char *text;
	int     flags;
	size_t  max_index;		/* when ok */
	const char *log;		/* NULL: ok */
    } cases[] = {
	{"plain text", 0, 0, 0},
	{"", 0, 0, 0},
	{"$$ and $$1", 0, 0, 0},
	{"$1 ${12} $(3)", 0, 12, 0},
	{"$01", 0, 1, 0},
	{"$1x", 0, 0, "warning: t map m, line 7: non-numeric replacement index \"1x\"\n"},
	{"$0", 0, 0, "warning: t map m, line 7: out of range replacement index \"0\"\n"},
	{"$0", DICT_REGSUB_FLAG_HYPHEN, 0,
	"warning: t map m, line 7: out-of-range replacement index \"0\"\n"},
	{"$a $b", 0, 0, "warning: t map m, line 7: non-numeric replacement index \"a\"\n"
	"warning: t map m, line 7: non-numeric replacement index \"b\"\n"},
	{"${1", 0, 0, "warning: truncated macro reference: \"${1\"\n"},
	{"x$", 0, 0, "warning: empty macro name: \"x$\"\n"},
	{"$(1}", 0, 0, "warning: truncated macro reference: \"$(1}\"\n"},
	{"${{1}}", 0, 0, "warning: t map m, line 7: non-numeric replacement index \"{1}\"\n"},
    };
    DICT_REGSUB *regsub;
    size_t  max_index;
    size_t  n;

    (void) state;
    for (n = 0; n < ARRAY_LEN(cases); n++) {
	test_capture_start();
	regsub = dict_regsub_parse(cases[n].text, cases[n].flags, "t", "m", 7,
				   &max_index);
	assert_string_equal(test_capture_text(), cases[n].log ? cases[n].log : "");
	test_capture_stop();
	if (cases[n].log) {
	    assert_null(regsub);
	    assert_int_equal(max_index, 0);
	} else {
	    assert_non_null(regsub);
	    assert_int_equal(max_index, cases[n].max_index);
	    dict_regsub_free(regsub);
	}
    }
}

/* test_regsub_expand - substitution of matched text */
static void test_regsub_expand(void **state)
{
    /* "user@example": $1 = user, $2 = example, $3 unset, $4 empty */
    static const size_t ovector[] = {
	0, 12, 0, 4, 5, 12, DICT_REGSUB_UNSET, DICT_REGSUB_UNSET, 4, 4,
    };
    VSTRING *buf = vstring_alloc(10);
    DICT_REGSUB *regsub;
    size_t  max_index;

    (void) state;
    regsub = dict_regsub_parse("[${2}:$1][$3][$4][$5][$$]", 0, "t", "m", 1,
			       &max_index);
    assert_int_equal(max_index, 5);
    assert_string_equal(dict_regsub_expand(regsub, buf, "user@example",
					   ovector, 5),
			"[example:user][][][][$]");
    dict_regsub_free(regsub);
    regsub = dict_regsub_parse("a $$1", 0, "t", "m", 1, &max_index);
    assert_string_equal(dict_regsub_expand(regsub, buf, "x", ovector, 0), "a $1");
    dict_regsub_free(regsub);
    regsub = dict_regsub_literal("$1 as is");
    assert_string_equal(dict_regsub_expand(regsub, buf, "x", ovector, 5),
			"$1 as is");
    dict_regsub_free(regsub);
    vstring_free(buf);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_regsub_parse),
	cmocka_unit_test(test_regsub_expand),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
