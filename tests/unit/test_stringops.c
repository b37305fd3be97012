/*
 * test_stringops - unit tests for stringops(3)
 */
#include "sys_defs.h"

#include <string.h>

#include "mymalloc.h"
#include "vstring.h"
#include "stringops.h"
#include "test_support.h"

/* test_mystrtokq - fields with brace groups */
static void test_mystrtokq(void **state)
{
    char   *buf = mystrdup(" a, {b, c} ,d{e f}g  {unbalanced x");
    char   *bp = buf;

    (void) state;
    assert_string_equal(mystrtokq(&bp, CHARS_COMMA_SP, CHARS_BRACE), "a");
    assert_string_equal(mystrtokq(&bp, CHARS_COMMA_SP, CHARS_BRACE), "{b, c}");
    assert_string_equal(mystrtokq(&bp, CHARS_COMMA_SP, CHARS_BRACE), "d{e f}g");
    assert_string_equal(mystrtokq(&bp, CHARS_COMMA_SP, CHARS_BRACE),
			"{unbalanced x");
    assert_null(mystrtokq(&bp, CHARS_COMMA_SP, CHARS_BRACE));
    myfree(buf);
}

/* test_extpar - table-driven brace stripping */
static void test_extpar(void **state)
{
    static const struct {
	const char *input;
	int     flags;
	const char *result;		/* NULL: error expected */
	const char *error;
    } cases[] = {
	{"{ text }", EXTPAR_FLAG_STRIP, "text", 0},
	{"{ text }", EXTPAR_FLAG_NONE, " text ", 0},
	{"  { a {b} c }  ", EXTPAR_FLAG_STRIP, "a {b} c", 0},
	{"plain", EXTPAR_FLAG_STRIP, "plain", 0},
	{"{ open", EXTPAR_FLAG_STRIP, 0, "missing '}' in \"{ open\""},
	{"{a} b", EXTPAR_FLAG_STRIP, 0, "syntax error after '}' in \"{a} b\""},
    };
    size_t  n;

    (void) state;
    for (n = 0; n < ARRAY_LEN(cases); n++) {
	char   *buf = mystrdup(cases[n].input);
	char   *bp = buf;
	const char *err = extpar(&bp, CHARS_BRACE, cases[n].flags);

	if (cases[n].result) {
	    assert_null(err);
	    assert_string_equal(bp, cases[n].result);
	} else {
	    assert_non_null(err);
	    assert_string_equal(err, cases[n].error);
	}
	myfree(buf);
    }
}

/* test_split_nameval - name = value parsing */
static void test_split_nameval(void **state)
{
    char   *buf;
    char   *name;
    char   *value;

    (void) state;
    buf = mystrdup("  key  =  some value  ");
    assert_null(split_nameval(buf, &name, &value));
    assert_string_equal(name, "key");
    assert_string_equal(value, "some value");
    myfree(buf);
    buf = mystrdup("key=");
    assert_null(split_nameval(buf, &name, &value));
    assert_string_equal(value, "");
    myfree(buf);
    buf = mystrdup("novalue");
    assert_string_equal(split_nameval(buf, &name, &value),
			"missing '=' after attribute name");
    myfree(buf);
    buf = mystrdup(" = x");
    assert_string_equal(split_nameval(buf, &name, &value),
			"missing attribute name");
    myfree(buf);
}

/* test_escape_roundtrip - unescape(escape(x)) == x */
static void test_escape_roundtrip(void **state)
{
    VSTRING *esc = vstring_alloc(10);
    VSTRING *raw = vstring_alloc(10);
    const char input[] = "tab\there\nnl\\bs\001ctl\377hi";

    (void) state;
    escape(esc, input, strlen(input));
    assert_string_equal(vstring_str(esc),
			"tab\\there\\nnl\\\\bs\\001ctl\\377hi");
    unescape(raw, vstring_str(esc));
    assert_string_equal(vstring_str(raw), input);
    unescape(raw, "\\x41\\102\\q");
    assert_string_equal(vstring_str(raw), "ABq");
    vstring_free(esc);
    vstring_free(raw);
}

/* test_misc - case folding, trimming, predicates, splitting */
static void test_misc(void **state)
{
    char    buf[64];
    char   *cp;
    char   *joined;

    (void) state;
    strcpy(buf, "MiXeD");
    assert_string_equal(lowercase(buf), "mixed");
    assert_string_equal(uppercase(buf), "MIXED");
    strcpy(buf, " \t trim me \n");
    assert_string_equal(trim_whitespace(buf), "trim me");
    assert_true(alldig("0123"));
    assert_false(alldig(""));
    assert_false(alldig("12a"));
    assert_true(allprint("abc"));
    assert_false(allprint("a\tb"));
    assert_false(allascii("\xc3\xa9"));
    strcpy(buf, "user@host@domain");
    cp = split_at(buf, '@');
    assert_string_equal(buf, "user");
    assert_string_equal(cp, "host@domain");
    strcpy(buf, "user@host@domain");
    cp = split_at_right(buf, '@');
    assert_string_equal(buf, "user@host");
    assert_string_equal(cp, "domain");
    assert_null(split_at(buf, '!'));
    joined = concatenate("a", "/", "b", (char *) 0);
    assert_string_equal(joined, "a/b");
    myfree(joined);
    assert_string_equal(base_name("/usr/sbin/postconf"), "postconf");
    assert_string_equal(base_name("postconf"), "postconf");
    assert_int_equal(balpar("{a{b}c}d", "{}"), 7);
    assert_int_equal(balpar("{a", "{}"), 0);
    assert_int_equal(balpar("a}", "{}"), 0);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_mystrtokq),
	cmocka_unit_test(test_extpar),
	cmocka_unit_test(test_split_nameval),
	cmocka_unit_test(test_escape_roundtrip),
	cmocka_unit_test(test_misc),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
