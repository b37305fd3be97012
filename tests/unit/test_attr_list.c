/*
 * test_attr_list - unit tests for attr_list(3): lists, wire format, protocol
 *
 * DESCRIPTION
 *	Lists are written to and read from memory files (test_memstream()),
 *	so that a test can look at the exact bytes and at what follows a
 *	message; the timeout tests read from a socket pair whose other
 *	end is silent. Malformed input and limits are tables of wire bytes
 *	and the exact reason that the reader must give.
 */
#include "sys_defs.h"

#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "msg.h"
#include "mymalloc.h"
#include "vstream.h"
#include "vstring.h"
#include "attr_list.h"
#include "test_child.h"
#include "test_support.h"
#include "test_memstream.h"

/* wire_bytes - the wire form of a list */
static VSTRING *wire_bytes(const ATTR_LIST *list)
{
    VSTREAM *fp = test_memstream("", 0);
    VSTRING *out = vstring_alloc(100);
    int     ch;

    assert_true(attr_list_write(fp, list));
    assert_int_equal(vstream_fseek(fp, 0, SEEK_SET), 0);
    while ((ch = VSTREAM_GETC(fp)) != VSTREAM_EOF)
	VSTRING_ADDCH(out, ch);
    VSTRING_TERMINATE(out);
    vstream_fclose(fp);
    return out;
}

/* read_bytes - parse len bytes as one message; result and reason */
static bool read_bytes(const void *data, size_t len, const ATTR_LIMITS *limits,
		               ATTR_LIST *list, VSTRING *why)
{
    VSTREAM *fp = test_memstream(data, len);
    bool    ok;

    VSTRING_RESET(why);
    VSTRING_TERMINATE(why);
    ok = attr_list_read(fp, list, limits, why);
    vstream_fclose(fp);
    return ok;
}

/* assert_wire - the list's wire form is exactly these bytes */
static void assert_wire(const ATTR_LIST *list, const char *expect, size_t len)
{
    VSTRING *got = wire_bytes(list);

    assert_int_equal(VSTRING_LEN(got), len);
    assert_memory_equal(vstring_str(got), expect, len);
    vstring_free(got);
}

/* sample_list - a list with every type, nesting and duplicates */
static ATTR_LIST *sample_list(void)
{
    ATTR_LIST *list = attr_proto_request("test", "everything");
    ATTR_LIST *nested;
    ATTR_LIST *deeper;

    attr_list_add_int(list, "zero", 0);
    attr_list_add_int(list, "int_min", INT_MIN);
    attr_list_add_int(list, "int_max", INT_MAX);
    attr_list_add_long(list, "long_min", LONG_MIN);
    attr_list_add_long(list, "long_max", LONG_MAX);
    attr_list_add_long(list, "minus_one", -1);
    attr_list_add_str(list, "empty", "");
    attr_list_add_str(list, "utf8", "\xc3\xa9t\xc3\xa9 .\x01\x7f\xff");
    attr_list_add_data(list, "binary", "a\0b\0\xff.", 6);
    attr_list_add_data(list, "nothing", NULL, 0);
    attr_list_add_str(list, "dup", "first");
    attr_list_add_int(list, "dup", 2);
    attr_list_add_str(list, "dup", "third");
    nested = attr_list_add_list(list, "rcpt");
    attr_list_add_str(nested, "address", "a@example.com");
    deeper = attr_list_add_list(nested, "dsn");
    attr_list_add_int(deeper, "notify", 3);
    attr_list_add_data(deeper, "orcpt", "x\0y", 3);
    (void) attr_list_add_list(deeper, "empty_list");
    nested = attr_list_add_list(list, "rcpt");
    attr_list_add_str(nested, "address", "b@example.com");
    attr_list_add_str(list, "after", "the lists");
    return list;
}

/* check_sample - a list read back has what sample_list() put in */
static void check_sample(const ATTR_LIST *list)
{
    const ATTR_LIST *nested;
    const ATTR_LIST *deeper;
    const void *data;
    size_t  len;
    int     int_value;
    long    long_value;

    assert_int_equal(attr_list_count(list), 18);
    assert_string_equal(attr_list_name(list, 0), "protocol");
    assert_int_equal(attr_list_type(list, 0), ATTR_TYPE_STR);
    assert_string_equal(attr_list_find_str(list, "protocol"), "test");
    assert_string_equal(attr_list_find_str(list, "request"), "everything");
    assert_true(attr_list_find_int(list, "zero", &int_value));
    assert_int_equal(int_value, 0);
    assert_true(attr_list_find_int(list, "int_min", &int_value));
    assert_int_equal(int_value, INT_MIN);
    assert_true(attr_list_find_int(list, "int_max", &int_value));
    assert_int_equal(int_value, INT_MAX);
    assert_true(attr_list_find_long(list, "long_min", &long_value));
    assert_true(long_value == LONG_MIN);
    assert_true(attr_list_find_long(list, "long_max", &long_value));
    assert_true(long_value == LONG_MAX);
    assert_true(attr_list_find_long(list, "minus_one", &long_value));
    assert_true(long_value == -1);
    assert_string_equal(attr_list_find_str(list, "empty"), "");
    assert_string_equal(attr_list_find_str(list, "utf8"),
			"\xc3\xa9t\xc3\xa9 .\x01\x7f\xff");
    data = attr_list_find_data(list, "binary", &len);
    assert_int_equal(len, 6);
    assert_memory_equal(data, "a\0b\0\xff.", 6);
    data = attr_list_find_data(list, "nothing", &len);
    assert_non_null(data);
    assert_int_equal(len, 0);
    /* Duplicates: the first of the type asked for. */
    assert_string_equal(attr_list_find_str(list, "dup"), "first");
    assert_true(attr_list_find_int(list, "dup", &int_value));
    assert_int_equal(int_value, 2);
    assert_int_equal(attr_list_type(list, 13), ATTR_TYPE_INT);
    assert_string_equal(attr_list_name(list, 13), "dup");
    /* Nested lists: the first "rcpt". */
    nested = attr_list_find_list(list, "rcpt");
    assert_non_null(nested);
    assert_int_equal(attr_list_count(nested), 2);
    assert_string_equal(attr_list_find_str(nested, "address"), "a@example.com");
    deeper = attr_list_find_list(nested, "dsn");
    assert_non_null(deeper);
    assert_true(attr_list_find_int(deeper, "notify", &int_value));
    assert_int_equal(int_value, 3);
    data = attr_list_find_data(deeper, "orcpt", &len);
    assert_int_equal(len, 3);
    assert_memory_equal(data, "x\0y", 3);
    assert_int_equal(attr_list_count(attr_list_find_list(deeper, "empty_list")), 0);
    assert_int_equal(attr_list_type(list, 16), ATTR_TYPE_LIST);
    assert_string_equal(attr_list_find_str(list, "after"), "the lists");
    /* Wrong types and absent names. */
    assert_null(attr_list_find_str(list, "zero"));
    assert_false(attr_list_find_int(list, "long_max", &int_value));
    assert_false(attr_list_find_long(list, "int_max", &long_value));
    assert_null(attr_list_find_data(list, "utf8", &len));
    assert_null(attr_list_find_list(list, "binary"));
    assert_null(attr_list_find_str(list, "absent"));
    assert_null(attr_list_find_str(nested, "protocol"));
}

/* test_round_trip - every type, nested lists, binary data, duplicates */
static void test_round_trip(void **state)
{
    ATTR_LIST *list = sample_list();
    ATTR_LIST *again = attr_list_create();
    VSTRING *wire = wire_bytes(list);
    VSTRING *why = vstring_alloc(10);
    VSTRING *rewire;

    (void) state;
    check_sample(list);
    assert_true(read_bytes(vstring_str(wire), VSTRING_LEN(wire), NULL, again,
			   why));
    check_sample(again);
    rewire = wire_bytes(again);
    assert_int_equal(VSTRING_LEN(rewire), VSTRING_LEN(wire));
    assert_memory_equal(vstring_str(rewire), vstring_str(wire),
			VSTRING_LEN(wire));
    /* Reading again replaces the old content. */
    assert_true(read_bytes("sx\0y\0.", 6, NULL, again, why));
    assert_int_equal(attr_list_count(again), 1);
    attr_list_clear(again);
    assert_int_equal(attr_list_count(again), 0);
    attr_list_free(list);
    attr_list_free(again);
    vstring_free(wire);
    vstring_free(rewire);
    vstring_free(why);
}

/* test_wire_format - the exact bytes of each type */
static void test_wire_format(void **state)
{
    ATTR_LIST *list = attr_list_create();
    ATTR_LIST *nested;

    (void) state;
    assert_wire(list, ".", 1);
    attr_list_add_int(list, "i", -12);
    attr_list_add_long(list, "l", 1234567890123L);
    attr_list_add_str(list, "s", "x y");
    attr_list_add_data(list, "d", "\0.", 2);
    nested = attr_list_add_list(list, "h");
    attr_list_add_str(nested, "n", "");
    {
	static const char expect[] = "ii\0-12\0ll\0" "1234567890123\0ss\0x y\0"
	    "dd\0" "2:\0.hh\0sn\0\0..";

	assert_wire(list, expect, sizeof(expect) - 1);
    }
    attr_list_free(list);
}

/* test_take - required, optional, missing and wrong types */
static void test_take(void **state)
{
    ATTR_LIST *list = sample_list();
    VSTRING *why = vstring_alloc(10);
    const ATTR_LIST *nested = NULL;
    const char *text = "untouched";
    ATTR_DATA_REF ref = {NULL, 0};
    int     int_value = 42;
    long    long_value = 0;
    ATTR_WANT good[] = {
	{"int_max", ATTR_TYPE_INT, ATTR_REQUIRED, &int_value},
	{"long_min", ATTR_TYPE_LONG, ATTR_REQUIRED, &long_value},
	{"binary", ATTR_TYPE_DATA, ATTR_REQUIRED, &ref},
	{"rcpt", ATTR_TYPE_LIST, ATTR_REQUIRED, &nested},
	{"absent", ATTR_TYPE_STR, ATTR_OPTIONAL, &text},
    };
    static const struct {
	const char *name;
	ATTR_TYPE type;
	int     flags;
	bool    ok;
	const char *reason;
    } cases[] = {
	{"zero", ATTR_TYPE_INT, ATTR_REQUIRED, true, ""},
	{"absent", ATTR_TYPE_INT, ATTR_REQUIRED, false, "missing attribute absent"},
	{"absent", ATTR_TYPE_INT, ATTR_OPTIONAL, true, ""},
	{"zero", ATTR_TYPE_STR, ATTR_REQUIRED, false, "attribute zero: expected string"},
	{"utf8", ATTR_TYPE_INT, ATTR_REQUIRED, false, "attribute utf8: expected int"},
	{"utf8", ATTR_TYPE_LONG, ATTR_REQUIRED, false, "attribute utf8: expected long"},
	{"utf8", ATTR_TYPE_DATA, ATTR_REQUIRED, false, "attribute utf8: expected data"},
	{"utf8", ATTR_TYPE_LIST, ATTR_REQUIRED, false, "attribute utf8: expected list"},
	{"utf8", ATTR_TYPE_LIST, ATTR_OPTIONAL, true, ""},
	{"dup", ATTR_TYPE_INT, ATTR_REQUIRED, true, ""},
	{"dup", ATTR_TYPE_LONG, ATTR_REQUIRED, false, "attribute dup: expected long"},
    };
    union {
	int     i;
	long    l;
	const char *s;
	ATTR_DATA_REF d;
	const ATTR_LIST *h;
    }       dest;
    ATTR_WANT want;
    size_t  n;

    (void) state;
    assert_true(attr_list_take(list, good, ARRAY_LEN(good), why));
    assert_int_equal(int_value, INT_MAX);
    assert_true(long_value == LONG_MIN);
    assert_int_equal(ref.len, 6);
    assert_memory_equal(ref.data, "a\0b\0\xff.", 6);
    assert_non_null(nested);
    assert_string_equal(attr_list_find_str(nested, "address"), "a@example.com");
    assert_string_equal(text, "untouched");

    for (n = 0; n < ARRAY_LEN(cases); n++) {
	vstring_strcpy(why, "");
	memset(&dest, 0x5a, sizeof(dest));
	want.name = cases[n].name;
	want.type = cases[n].type;
	want.flags = cases[n].flags;
	want.value = &dest;
	if (attr_list_take(list, &want, 1, why) != cases[n].ok)
	    fail_msg("case %zu (%s): wrong result", n, cases[n].name);
	assert_string_equal(vstring_str(why), cases[n].reason);
    }
    /* Several missing: the first one is reported, the rest still taken. */
    {
	int     a = 0;
	int     b = 0;
	ATTR_WANT two[] = {
	    {"nope", ATTR_TYPE_INT, ATTR_REQUIRED, &a},
	    {"zero", ATTR_TYPE_STR, ATTR_REQUIRED, &text},
	    {"int_max", ATTR_TYPE_INT, ATTR_REQUIRED, &b},
	};

	assert_false(attr_list_take(list, two, ARRAY_LEN(two), why));
	assert_string_equal(vstring_str(why), "missing attribute nope");
	assert_int_equal(b, INT_MAX);
	assert_false(attr_list_take(list, two, ARRAY_LEN(two), NULL));
    }
    attr_list_free(list);
    vstring_free(why);
}

 /*
  * Malformed input: wire bytes and the exact reason.
  */
typedef struct BAD_INPUT {
    const char *data;
    size_t  len;
    const char *reason;
} BAD_INPUT;

#define BAD(s, r)	{s, sizeof(s) - 1, r}

static const BAD_INPUT bad_inputs[] = {
    /* End of input anywhere before the final ".". */
    BAD("", "end of input"),
    BAD("s", "end of input"),
    BAD("sname", "end of input"),
    BAD("sname\0", "end of input"),
    BAD("sname\0value", "end of input"),
    BAD("sname\0value\0", "end of input"),
    BAD("iname\0" "12", "end of input"),
    BAD("dname\0" "5:abc", "end of input"),
    BAD("dname\0" "5", "end of input"),
    BAD("hname\0sx\0y\0", "end of input"),
    BAD("hname\0.", "end of input"),
    /* Type bytes. */
    BAD("xname\0value\0.", "bad type byte 0x78"),
    BAD("\0", "bad type byte 0x00"),
    BAD("S", "bad type byte 0x53"),
    BAD("\xff", "bad type byte 0xff"),
    BAD("sa\0b\0\n.", "bad type byte 0x0a"),
    /* Names. */
    BAD("s\0value\0.", "empty attribute name"),
    BAD("sName\0v\0.", "bad byte 0x4e in attribute name"),
    BAD("sna-me\0v\0.", "bad byte 0x2d in attribute name"),
    BAD("sna me\0v\0.", "bad byte 0x20 in attribute name"),
    BAD("s\xc3\xa9\0v\0.", "bad byte 0xc3 in attribute name"),
    BAD("s.\0v\0.", "bad byte 0x2e in attribute name"),
    /* Numbers. */
    BAD("in\0\0.", "attribute n: number without digits"),
    BAD("in\0-\0.", "attribute n: number without digits"),
    BAD("in\0+1\0.", "attribute n: bad byte 0x2b in number"),
    BAD("in\0 1\0.", "attribute n: bad byte 0x20 in number"),
    BAD("in\0" "1 \0.", "attribute n: bad byte 0x20 in number"),
    BAD("in\0--1\0.", "attribute n: bad byte 0x2d in number"),
    BAD("in\0" "1-\0.", "attribute n: bad byte 0x2d in number"),
    BAD("in\0" "0x10\0.", "attribute n: bad byte 0x78 in number"),
    BAD("ln\0" "1.5\0.", "attribute n: bad byte 0x2e in number"),
    /* Data lengths. */
    BAD("dn\0:.", "attribute n: data length without digits"),
    BAD("dn\0-1:x.", "attribute n: bad byte 0x2d in data length"),
    BAD("dn\0" "1\0x.", "attribute n: bad byte 0x00 in data length"),
    BAD("dn\0 1:x.", "attribute n: bad byte 0x20 in data length"),
};

/* test_malformed - every class of bad input, with its reason */
static void test_malformed(void **state)
{
    ATTR_LIST *list = attr_list_create();
    VSTRING *why = vstring_alloc(10);
    size_t  n;

    (void) state;
    for (n = 0; n < ARRAY_LEN(bad_inputs); n++) {
	attr_list_add_str(list, "stale", "content");
	if (read_bytes(bad_inputs[n].data, bad_inputs[n].len, NULL, list, why))
	    fail_msg("case %zu: accepted", n);
	if (strcmp(vstring_str(why), bad_inputs[n].reason) != 0)
	    fail_msg("case %zu: reason \"%s\", expected \"%s\"", n,
		     vstring_str(why), bad_inputs[n].reason);
	/* A failed read leaves an empty list. */
	assert_int_equal(attr_list_count(list), 0);
    }
    /* A null why is allowed. */
    {
	VSTREAM *fp = test_memstream("x", 1);

	assert_false(attr_list_read(fp, list, NULL, NULL));
	vstream_fclose(fp);
    }
    attr_list_free(list);
    vstring_free(why);
}

 /*
  * Limits: input at the bound is accepted, one over is refused.
  */
typedef struct LIMIT_CASE {
    const char *label;
    VSTRING *(*make) (size_t n);	/* the wire bytes for size n */
    size_t  at;				/* the bound */
    const ATTR_LIMITS *limits;
    const char *reason;			/* for at + 1 */
} LIMIT_CASE;

static const ATTR_LIMITS small_limits = {
    .value_limit = 10,
    .count_limit = 3,
    .depth_limit = 1,
};

/* make_string - one string value of n bytes */
static VSTRING *make_string(size_t n)
{
    VSTRING *buf = vstring_alloc(n + 10);

    vstring_memcpy(buf, "sv\0", 3);
    while (n-- > 0)
	VSTRING_ADDCH(buf, 'x');
    vstring_memcat(buf, "\0.", 2);
    return buf;
}

/* make_data - one data value of n bytes (null bytes included) */
static VSTRING *make_data(size_t n)
{
    VSTRING *buf = vstring_alloc(n + 20);
    size_t  i;

    vstring_sprintf(buf, "dv");
    VSTRING_ADDCH(buf, 0);
    vstring_sprintf_append(buf, "%zu:", n);
    for (i = 0; i < n; i++)
	VSTRING_ADDCH(buf, (int) (i % 3));
    VSTRING_ADDCH(buf, '.');
    return buf;
}

/* make_count - n attributes, half of them inside a nested list */
static VSTRING *make_count(size_t n)
{
    VSTRING *buf = vstring_alloc(10 * n + 10);
    size_t  i;

    /* The list attribute counts too: 1 + (n - 1) attributes. */
    vstring_memcpy(buf, "hh\0", 3);
    for (i = 1; i < n; i++)
	vstring_memcat(buf, "ia\0" "1\0", 5);
    vstring_memcat(buf, "..", 2);
    return buf;
}

/* make_depth - lists nested n deep */
static VSTRING *make_depth(size_t n)
{
    VSTRING *buf = vstring_alloc(10 * n + 10);
    size_t  i;

    VSTRING_RESET(buf);
    for (i = 0; i < n; i++)
	vstring_memcat(buf, "hh\0", 3);
    for (i = 0; i <= n; i++)
	VSTRING_ADDCH(buf, '.');
    return buf;
}

/* make_name - a name of n bytes */
static VSTRING *make_name(size_t n)
{
    VSTRING *buf = vstring_alloc(n + 10);

    vstring_strcpy(buf, "s");
    while (n-- > 0)
	VSTRING_ADDCH(buf, 'n');
    vstring_memcat(buf, "\0v\0.", 4);
    return buf;
}

/* make_digits - an int of n digits (all nines after a leading 1) */
static VSTRING *make_digits(size_t n)
{
    VSTRING *buf = vstring_alloc(n + 10);

    vstring_memcpy(buf, "in\0", 3);
    while (n-- > 0)
	VSTRING_ADDCH(buf, '1');
    vstring_memcat(buf, "\0.", 2);
    return buf;
}

/* make_long_digits - a long of n digits */
static VSTRING *make_long_digits(size_t n)
{
    VSTRING *buf = make_digits(n);

    vstring_str(buf)[0] = 'l';
    return buf;
}

/* make_length_digits - a data length of n digits (leading zeros) */
static VSTRING *make_length_digits(size_t n)
{
    VSTRING *buf = vstring_alloc(n + 10);

    vstring_memcpy(buf, "dn\0", 3);
    while (n-- > 1)
	VSTRING_ADDCH(buf, '0');
    vstring_memcat(buf, "1:x.", 4);
    return buf;
}

static const LIMIT_CASE limit_cases[] = {
    {"default string", make_string, 65536, NULL,
    "attribute v: value longer than 65536 bytes"},
    {"default data", make_data, 65536, NULL,
    "attribute v: value longer than 65536 bytes"},
    {"default count", make_count, 1024, NULL, "more than 1024 attributes"},
    {"default depth", make_depth, 4, NULL, "lists nested deeper than 4"},
    {"small string", make_string, 10, &small_limits,
    "attribute v: value longer than 10 bytes"},
    {"small data", make_data, 10, &small_limits,
    "attribute v: value longer than 10 bytes"},
    {"small count", make_count, 3, &small_limits, "more than 3 attributes"},
    {"small depth", make_depth, 1, &small_limits, "lists nested deeper than 1"},
    {"name", make_name, 64, NULL, "attribute name longer than 64 bytes"},
    {"int digits", make_digits, 10, NULL,
    "attribute n: number with more than 10 digits"},
    {"long digits", make_long_digits, 19, NULL,
    "attribute n: number with more than 19 digits"},
    {"data length digits", make_length_digits, 10, NULL,
    "attribute n: data length with more than 10 digits"},
};

/* test_limits - every limit at and over its bound */
static void test_limits(void **state)
{
    ATTR_LIST *list = attr_list_create();
    VSTRING *why = vstring_alloc(10);
    VSTRING *buf;
    size_t  n;

    (void) state;
    for (n = 0; n < ARRAY_LEN(limit_cases); n++) {
	buf = limit_cases[n].make(limit_cases[n].at);
	if (!read_bytes(vstring_str(buf), VSTRING_LEN(buf),
			limit_cases[n].limits, list, why))
	    fail_msg("%s: at the bound: %s", limit_cases[n].label,
		     vstring_str(why));
	vstring_free(buf);
	buf = limit_cases[n].make(limit_cases[n].at + 1);
	if (read_bytes(vstring_str(buf), VSTRING_LEN(buf),
		       limit_cases[n].limits, list, why))
	    fail_msg("%s: over the bound: accepted", limit_cases[n].label);
	if (strcmp(vstring_str(why), limit_cases[n].reason) != 0)
	    fail_msg("%s: reason \"%s\", expected \"%s\"", limit_cases[n].label,
		     vstring_str(why), limit_cases[n].reason);
	vstring_free(buf);
    }
    attr_list_free(list);
    vstring_free(why);
}

#define RANGE(s, v, r)	{s, sizeof(s) - 1, v, r}

/* test_ranges - number values at and over their range */
static void test_ranges(void **state)
{
    static const struct {
	const char *data;
	size_t  len;
	long    value;			/* when reason is NULL */
	const char *reason;
    } cases[] = {
	RANGE("in\0" "2147483647\0.", INT_MAX, NULL),
	RANGE("in\0-2147483648\0.", INT_MIN, NULL),
	RANGE("in\0" "2147483648\0.", 0, "attribute n: number out of range"),
	RANGE("in\0-2147483649\0.", 0, "attribute n: number out of range"),
	RANGE("in\0" "9999999999\0.", 0, "attribute n: number out of range"),
	RANGE("in\0-0\0.", 0, NULL),
	RANGE("in\0" "0000000007\0.", 7, NULL),
	RANGE("ln\0" "9223372036854775807\0.", LONG_MAX, NULL),
	RANGE("ln\0-9223372036854775808\0.", LONG_MIN, NULL),
	RANGE("ln\0" "9223372036854775808\0.", 0, "attribute n: number out of range"),
	RANGE("ln\0-9223372036854775809\0.", 0, "attribute n: number out of range"),
	RANGE("ln\0" "9999999999999999999\0.", 0, "attribute n: number out of range"),
    };
    ATTR_LIST *list = attr_list_create();
    VSTRING *why = vstring_alloc(10);
    long    long_value;
    int     int_value;
    size_t  n;

    (void) state;
    for (n = 0; n < ARRAY_LEN(cases); n++) {
	bool    ok = read_bytes(cases[n].data, cases[n].len, NULL, list, why);

	if (cases[n].reason != NULL) {
	    if (ok)
		fail_msg("case %zu: accepted", n);
	    assert_string_equal(vstring_str(why), cases[n].reason);
	    continue;
	}
	if (!ok)
	    fail_msg("case %zu: %s", n, vstring_str(why));
	if (cases[n].data[0] == 'i') {
	    assert_true(attr_list_find_int(list, "n", &int_value));
	    assert_true(int_value == cases[n].value);
	} else {
	    assert_true(attr_list_find_long(list, "n", &long_value));
	    assert_true(long_value == cases[n].value);
	}
    }
    attr_list_free(list);
    vstring_free(why);
}

/* test_no_overread - the reader stops right after the final "." */
static void test_no_overread(void **state)
{
    static const char input[] = "sprotocol\0x\0dd\0" "3:a.b.ih\0" "1\0.R12 rest";
    VSTREAM *fp = test_memstream(input, sizeof(input) - 1);
    ATTR_LIST *list = attr_list_create();
    VSTRING *why = vstring_alloc(10);
    char    rest[9];

    (void) state;
    assert_true(attr_list_read(fp, list, NULL, why));
    assert_int_equal(attr_list_count(list), 2);
    assert_int_equal(vstream_fread(fp, rest, 8), 8);
    assert_memory_equal(rest, "ih\0" "1\0.R1", 8);
    attr_list_free(list);
    vstring_free(why);
    vstream_fclose(fp);
}

/* silent_pair - a socket pair; the first end is read with a limit */
static VSTREAM *silent_pair(int *peer, const char *sent, size_t len)
{
    int     pair[2];
    VSTREAM *reader;

    if (socketpair(AF_UNIX, SOCK_STREAM, 0, pair) < 0)
	fail_msg("socketpair: %m");
    if (len > 0 && write(pair[1], sent, len) != (ssize_t) len)
	fail_msg("write: %m");
    reader = vstream_fdopen(pair[0], O_RDWR);
    vstream_set_timeout(reader, 1);
    *peer = pair[1];
    return reader;
}

/* test_timeout - a peer that sends nothing, stops half-way, or leaves */
static void test_timeout(void **state)
{
    ATTR_LIST *list = attr_list_create();
    VSTRING *why = vstring_alloc(10);
    VSTREAM *reader;
    time_t  start;
    int     peer;

    (void) state;
    /* Nothing at all. */
    reader = silent_pair(&peer, "", 0);
    start = time(NULL);
    assert_false(attr_list_read(reader, list, NULL, why));
    assert_string_equal(vstring_str(why), "timeout");
    assert_true(time(NULL) - start <= 3);
    vstream_fclose(reader);
    close(peer);

    /* Half a message, then silence; a deadline over the whole read. */
    reader = silent_pair(&peer, "sprotocol\0te", 12);
    vstream_start_deadline(reader);
    assert_false(attr_list_read(reader, list, NULL, why));
    assert_string_equal(vstring_str(why), "timeout");
    vstream_fclose(reader);
    close(peer);

    /* Half a message, then the peer goes away. */
    reader = silent_pair(&peer, "sprotocol\0te", 12);
    close(peer);
    assert_false(attr_list_read(reader, list, NULL, why));
    assert_string_equal(vstring_str(why), "end of input");
    vstream_fclose(reader);
    attr_list_free(list);
    vstring_free(why);
}

/* test_write_error - a write to a closed peer fails */
static void test_write_error(void **state)
{
    ATTR_LIST *list = sample_list();
    int     pair[2];
    VSTREAM *writer;

    (void) state;
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, pair) < 0)
	fail_msg("socketpair: %m");
    close(pair[1]);
    writer = vstream_fdopen(pair[0], O_WRONLY);
    vstream_set_timeout(writer, 1);
    (void) attr_list_write(writer, list);
    assert_int_equal(vstream_fflush(writer), VSTREAM_EOF);
    assert_false(attr_list_write(writer, list));
    vstream_fclose(writer);
    attr_list_free(list);
}

/* test_proto - greetings, requests and their checks */
static void test_proto(void **state)
{
    ATTR_LIST *more = attr_list_create();
    ATTR_LIST *got = attr_list_create();
    ATTR_LIST *request;
    VSTRING *why = vstring_alloc(10);
    VSTREAM *fp = test_memstream("", 0);
    static const BAD_INPUT greetings[] = {
	BAD("sprotocol\0other\0.", "unexpected protocol other"),
	BAD("sprotocol\0clean\0.", "unexpected protocol clean"),
	BAD("sprotocol\0\0.", "unexpected protocol "),
	BAD("sprotocol\0" "bad\x01\0.", "unexpected protocol bad?"),
	BAD("iprotocol\0" "1\0.", "attribute protocol: expected string"),
	BAD(".", "missing attribute protocol"),
	BAD("squeue_id\0ABCDEF\0sprotocol\0" "cleanup\0.",
	    "missing attribute protocol"),
	BAD("sprotocol\0" "cleanup", "end of input"),
    };
    size_t  n;

    (void) state;
    /* A greeting with more attributes. */
    attr_list_add_str(more, "queue_id", "ABCDEF123");
    attr_list_add_list(more, "nested");
    assert_true(attr_proto_greet(fp, "cleanup", more));
    assert_int_equal(vstream_fseek(fp, 0, SEEK_SET), 0);
    assert_true(attr_proto_expect(fp, "cleanup", got, why));
    assert_int_equal(attr_list_count(got), 3);
    assert_string_equal(attr_list_find_str(got, "queue_id"), "ABCDEF123");
    vstream_fclose(fp);
    fp = test_memstream("", 0);
    assert_true(attr_proto_greet(fp, "rewrite", NULL));
    assert_int_equal(vstream_fseek(fp, 0, SEEK_SET), 0);
    assert_false(attr_proto_expect(fp, "cleanup", got, why));
    assert_string_equal(vstring_str(why), "unexpected protocol rewrite");
    vstream_fclose(fp);

    for (n = 0; n < ARRAY_LEN(greetings); n++) {
	fp = test_memstream(greetings[n].data, greetings[n].len);
	assert_false(attr_proto_expect(fp, "cleanup", got, why));
	if (strcmp(vstring_str(why), greetings[n].reason) != 0)
	    fail_msg("case %zu: reason \"%s\", expected \"%s\"", n,
		     vstring_str(why), greetings[n].reason);
	vstream_fclose(fp);
    }

    /* Requests. */
    request = attr_proto_request("rewrite", "resolve");
    assert_int_equal(attr_list_count(request), 2);
    assert_string_equal(attr_list_name(request, 1), "request");
    assert_true(attr_proto_check(request, "rewrite", why));
    assert_false(attr_proto_check(request, "cleanup", why));
    assert_string_equal(vstring_str(why), "unexpected protocol rewrite");
    attr_list_free(request);
    request = attr_proto_request("cleanup", NULL);
    assert_int_equal(attr_list_count(request), 1);
    assert_true(attr_proto_check(request, "cleanup", NULL));
    attr_list_free(request);
    request = attr_list_create();
    assert_false(attr_proto_check(request, "cleanup", why));
    assert_string_equal(vstring_str(why), "missing attribute protocol");
    attr_list_free(request);

    attr_list_free(more);
    attr_list_free(got);
    vstring_free(why);
}

/* bad_name_child - adds an attribute with an invalid name */
static void bad_name_child(void *context)
{
    ATTR_LIST *list = attr_list_create();

    attr_list_add_int(list, (const char *) context, 1);
}

/* test_bad_names - names from the program itself are checked: panic */
static void test_bad_names(void **state)
{
    char    longest[ATTR_NAME_LIMIT + 2];
    const char *names[] = {"", "Upper", "with space", "a-b", longest};
    TEST_CHILD_RESULT result;
    size_t  n;

    (void) state;
    memset(longest, 'a', ATTR_NAME_LIMIT + 1);
    longest[ATTR_NAME_LIMIT + 1] = 0;
    for (n = 0; n < ARRAY_LEN(names); n++) {
	test_child_run(bad_name_child, (void *) names[n], 5000, &result);
	assert_false(test_child_exited(&result, 0));
	assert_non_null(strstr(result.output, "invalid attribute name"));
	test_child_free(&result);
    }
    /* ATTR_NAME_LIMIT bytes are fine. */
    longest[ATTR_NAME_LIMIT] = 0;
    test_child_run(bad_name_child, longest, 5000, &result);
    assert_true(test_child_exited(&result, 0));
    test_child_free(&result);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_round_trip),
	cmocka_unit_test(test_wire_format),
	cmocka_unit_test(test_take),
	cmocka_unit_test(test_malformed),
	cmocka_unit_test(test_limits),
	cmocka_unit_test(test_ranges),
	cmocka_unit_test(test_no_overread),
	cmocka_unit_test(test_timeout),
	cmocka_unit_test(test_write_error),
	cmocka_unit_test(test_proto),
	cmocka_unit_test(test_bad_names),
    };

    signal(SIGPIPE, SIG_IGN);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
