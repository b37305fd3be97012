/*
 * test_quote_822_local - unit tests for quote_822_local(3)
 *
 * DESCRIPTION
 *	Table-driven: internal form to external form under each flag, the
 *	reverse, the "needs quoting" predicate, and round trips.
 */
#include "sys_defs.h"

#include <string.h>

#include "vstring.h"
#include "quote_822_local.h"
#include "test_support.h"

typedef struct QUOTE_CASE {
    int     flags;
    const char *input;
    const char *output;
} QUOTE_CASE;

#define DEF	QUOTE_FLAG_DEFAULT
#define BARE	QUOTE_FLAG_BARE_LOCALPART

static const QUOTE_CASE quote_cases[] = {
    /* Nothing to quote. */
    {DEF, "", ""},
    {DEF, "user", "user"},
    {DEF, "user@example.com", "user@example.com"},
    {DEF, "first.last@example.com", "first.last@example.com"},
    {DEF, "!#$%&'*+-/=?^_`{|}~@x", "!#$%&'*+-/=?^_`{|}~@x"},
    {DEF, "user@[192.0.2.1]", "user@[192.0.2.1]"},
    {DEF, "user@", "user@"},
    /* Characters outside atext. */
    {DEF, "john smith@example.com", "\"john smith\"@example.com"},
    {DEF, "a\tb@x", "\"a\tb\"@x"},
    {DEF, "a(b)@x", "\"a(b)\"@x"},
    {DEF, "a<b>@x", "\"a<b>\"@x"},
    {DEF, "a,b@x", "\"a,b\"@x"},
    {DEF, "a;b@x", "\"a;b\"@x"},
    {DEF, "a:b@x", "\"a:b\"@x"},
    {DEF, "a[b]@x", "\"a[b]\"@x"},
    {DEF, "a\x01" "b@x", "\"a\x01" "b\"@x"},
    {DEF, "a\x7f" "b@x", "\"a\x7f" "b\"@x"},
    /* Escapes inside the quotes. */
    {DEF, "a\"b@x", "\"a\\\"b\"@x"},
    {DEF, "a\\b@x", "\"a\\\\b\"@x"},
    {DEF, "a\r\nb@x", "\"a\\\r\\\nb\"@x"},
    /* Dots. */
    {DEF, ".user@x", "\".user\"@x"},
    {DEF, "user.@x", "\"user.\"@x"},
    {DEF, "a..b@x", "\"a..b\"@x"},
    {DEF, ".@x", "\".\"@x"},
    {DEF, "a.b.c@x", "a.b.c@x"},
    /* The domain starts after the last '@' and is never quoted. */
    {DEF, "a@b@c", "\"a@b\"@c"},
    {DEF, "@example.com", "\"\"@example.com"},
    {DEF, "@", "\"\"@"},
    {DEF, "john smith@exa mple", "\"john smith\"@exa mple"},
    {DEF, "user@\"x\"", "user@\"x\""},
    /* Source routes are not recognized (documented). */
    {DEF, "@r1,@r2:user@dom", "\"@r1,@r2:user\"@dom"},
    /* 8-bit: atext with QUOTE_FLAG_8BITCLEAN (the default), else not. */
    {DEF, "r\xc3\xa9sum\xc3\xa9@\xc3\xa9xample", "r\xc3\xa9sum\xc3\xa9@\xc3\xa9xample"},
    {QUOTE_FLAG_NONE, "r\xc3\xa9sum\xc3\xa9@\xc3\xa9xample",
    "\"r\xc3\xa9sum\xc3\xa9\"@\xc3\xa9xample"},
    {QUOTE_FLAG_NONE, "user@example.com", "user@example.com"},
    {QUOTE_FLAG_NONE, "", ""},
    /* A bare local part. */
    {BARE, "", "\"\""},
    {BARE, "plain", "plain"},
    {BARE, "a@b", "\"a@b\""},
    {BARE, "a b", "\"a b\""},
    {BARE | QUOTE_FLAG_NONE, "\xff", "\"\xff\""},
    {BARE | DEF, "\xff", "\xff"},
    /* A final '@' with an empty domain. */
    {DEF | QUOTE_FLAG_STRIP_BARE_AT, "user@", "user"},
    {DEF | QUOTE_FLAG_STRIP_BARE_AT, "a b@", "\"a b\""},
    {DEF | QUOTE_FLAG_STRIP_BARE_AT, "@", "\"\""},
    {DEF | QUOTE_FLAG_STRIP_BARE_AT, "user@x", "user@x"},
    {DEF | QUOTE_FLAG_STRIP_BARE_AT, "a@b@", "\"a@b\""},
};

/* test_quote - internal form to external form */
static void test_quote(void **state)
{
    VSTRING *vp = vstring_alloc(10);
    const QUOTE_CASE *qp;

    (void) state;
    for (qp = quote_cases; qp < quote_cases + ARRAY_LEN(quote_cases); qp++) {
	vstring_strcpy(vp, "junk");
	assert_ptr_equal(quote_822_local_flags(vp, qp->input, qp->flags), vp);
	assert_string_equal(vstring_str(vp), qp->output);
    }
    quote_822_local(vp, "john smith@x");
    assert_string_equal(vstring_str(vp), "\"john smith\"@x");
    vstring_free(vp);
}

static const QUOTE_CASE unquote_cases[] = {
    {0, "", ""},
    {0, "user@example.com", "user@example.com"},
    {0, "\"john smith\"@example.com", "john smith@example.com"},
    {0, "\"a@b\"@c", "a@b@c"},
    {0, "\"\"@x", "@x"},
    {0, "\"\"", ""},
    {0, "\"a\\\"b\"@x", "a\"b@x"},
    {0, "\"a\\\\b\"@x", "a\\b@x"},
    {0, "\"a\".\"b\"@x", "a.b@x"},
    {0, "\"a\\@b\"@x", "a@b@x"},
    /* A backslash outside quotes is not an escape. */
    {0, "a\\b@x", "a\\b@x"},
    /* The domain is copied as is. */
    {0, "x@\"dom\"", "x@\"dom\""},
    {0, "\"a b\"@\"c d\"", "a b@\"c d\""},
    /* Garbage. */
    {0, "\"unterminated@x", "unterminated@x"},
    {0, "\"a\\", "a"},
    {0, "a\"b", "ab"},
    /* A bare local part: every '@' belongs to it. */
    {BARE, "\"a@b\"", "a@b"},
    {BARE, "\"a\"@b", "a@b"},
    {BARE, "\"\"", ""},
};

/* test_unquote - external form to internal form */
static void test_unquote(void **state)
{
    VSTRING *vp = vstring_alloc(10);
    const QUOTE_CASE *qp;

    (void) state;
    for (qp = unquote_cases; qp < unquote_cases + ARRAY_LEN(unquote_cases); qp++) {
	vstring_strcpy(vp, "junk");
	assert_ptr_equal(unquote_822_local_flags(vp, qp->input, qp->flags), vp);
	assert_string_equal(vstring_str(vp), qp->output);
    }
    unquote_822_local(vp, "\"john smith\"@x");
    assert_string_equal(vstring_str(vp), "john smith@x");
    vstring_free(vp);
}

/* test_append - QUOTE_FLAG_APPEND keeps what is there */
static void test_append(void **state)
{
    VSTRING *vp = vstring_alloc(10);

    (void) state;
    vstring_strcpy(vp, "<");
    quote_822_local_flags(vp, "a b@c", QUOTE_FLAG_DEFAULT | QUOTE_FLAG_APPEND);
    vstring_strcat(vp, ">");
    assert_string_equal(vstring_str(vp), "<\"a b\"@c>");
    vstring_strcpy(vp, "to=");
    unquote_822_local_flags(vp, "\"a b\"@c", QUOTE_FLAG_APPEND);
    assert_string_equal(vstring_str(vp), "to=a b@c");
    vstring_free(vp);
}

typedef struct NEEDED_CASE {
    const char *local;
    size_t  len;
    int     flags;
    bool    needed;
} NEEDED_CASE;

static const NEEDED_CASE needed_cases[] = {
    {"user", 4, DEF, false},
    {"", 0, DEF, true},
    {"a.b", 3, DEF, false},
    {"a.b", 2, DEF, true},		/* "a." */
    {"a..b", 4, DEF, true},
    {"a b", 1, DEF, false},		/* "a" */
    {"a b", 3, DEF, true},
    {"\xc3\xa9", 2, DEF, false},
    {"\xc3\xa9", 2, QUOTE_FLAG_NONE, true},
    {"a@b", 3, DEF, true},
};

/* test_needed - the dot-atom test */
static void test_needed(void **state)
{
    const NEEDED_CASE *np;

    (void) state;
    for (np = needed_cases; np < needed_cases + ARRAY_LEN(needed_cases); np++)
	assert_int_equal(quote_822_local_needed(np->local, np->len, np->flags),
			 np->needed);
}

/* test_round_trip - unquote(quote(x)) == x */
static void test_round_trip(void **state)
{
    static const char *const inputs[] = {
	"", "user", "user@x", "john smith@x", "a@b@c", "@x", "@", "a@",
	"\"@x", "a\"b\"c@x", "\\", "\\\"@\\", ".a.@x", "a..b@x",
	"\xff\xfe@x", "(comment)@x", "\"\"@\"\"",
    };
    static const int flags[] = {
	QUOTE_FLAG_DEFAULT, QUOTE_FLAG_NONE, QUOTE_FLAG_BARE_LOCALPART,
    };
    VSTRING *q = vstring_alloc(10);
    VSTRING *u = vstring_alloc(10);
    size_t  n;
    size_t  f;

    (void) state;
    for (n = 0; n < ARRAY_LEN(inputs); n++) {
	for (f = 0; f < ARRAY_LEN(flags); f++) {
	    quote_822_local_flags(q, inputs[n], flags[f]);
	    unquote_822_local_flags(u, vstring_str(q),
				    flags[f] & QUOTE_FLAG_BARE_LOCALPART);
	    assert_string_equal(vstring_str(u), inputs[n]);
	}
    }
    vstring_free(q);
    vstring_free(u);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_quote),
	cmocka_unit_test(test_unquote),
	cmocka_unit_test(test_append),
	cmocka_unit_test(test_needed),
	cmocka_unit_test(test_round_trip),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
