/*
 * test_qp_encode - unit tests for qp_encode(3)
 */
#include "sys_defs.h"

#include <stdlib.h>
#include <string.h>

#include "vstring.h"
#include "mime_state.h"
#include "qp_encode.h"
#include "test_support.h"

/* collect - output function: lines joined with "\n" */
static void collect(void *context, const char *text, size_t len)
{
    VSTRING *out = context;

    assert_true(len <= QP_ENCODE_LINE_LIMIT);
    vstring_memcat(out, text, len);
    VSTRING_ADDCH(out, '\n');
    VSTRING_TERMINATE(out);
}

/* encode - encode lines (separated by "\n") in records of chunk bytes */
static void encode(VSTRING *out, const char *input, size_t input_len,
		           size_t chunk)
{
    QP_ENCODE *qp = qp_encode_create(collect, out);
    const char *cp = input;
    const char *end = input + input_len;
    const char *nl;
    size_t  len;
    size_t  piece;

    VSTRING_RESET(out);
    while (cp < end) {
	nl = memchr(cp, '\n', end - cp);
	len = (nl ? nl : end) - cp;
	do {
	    piece = (chunk > 0 && len > chunk) ? chunk : len;
	    qp_encode_update(qp, piece < len ? MIME_REC_PART : MIME_REC_LINE,
			     cp, piece);
	    cp += piece;
	    len -= piece;
	} while (len > 0);
	if (cp < end)
	    cp++;
    }
    qp_encode_free(qp);
}

/* hexval - value of an upper-case hex digit, or -1 */
static int hexval(int ch)
{
    if (ch >= '0' && ch <= '9')
	return ch - '0';
    if (ch >= 'A' && ch <= 'F')
	return ch - 'A' + 10;
    return -1;
}

/* decode - strict quoted-printable decoder for the round trip */
static void decode(VSTRING *out, const char *text, size_t len)
{
    size_t  n = 0;
    int     hi;
    int     lo;

    VSTRING_RESET(out);
    while (n < len) {
	if (text[n] == '=') {
	    if (n + 1 < len && text[n + 1] == '\n') {	/* soft break */
		n += 2;
		continue;
	    }
	    assert_true(n + 2 < len);
	    hi = hexval(text[n + 1]);
	    lo = hexval(text[n + 2]);
	    assert_true(hi >= 0 && lo >= 0);
	    VSTRING_ADDCH(out, hi * 16 + lo);
	    n += 3;
	} else {
	    /* Only printable ASCII, space, tab and line breaks appear. */
	    assert_true((text[n] >= 32 && text[n] <= 126) || text[n] == '\t'
			|| text[n] == '\n');
	    /* No white space at the end of an encoded line. */
	    if (text[n] == ' ' || text[n] == '\t')
		assert_true(n + 1 < len && text[n + 1] != '\n');
	    VSTRING_ADDCH(out, text[n]);
	    n++;
	}
    }
    VSTRING_TERMINATE(out);
}

/* test_cases - fixed inputs and outputs */
static void test_cases(void **state)
{
    static const struct {
	const char *in;
	size_t  chunk;
	const char *out;
    } cases[] = {
	{"plain text\n", 0, "plain text\n"},
	{"\n", 0, "\n"},
	{"a=b\n", 0, "a=3Db\n"},
	{"caf\xc3\xa9\n", 0, "caf=C3=A9\n"},
	{"trailing space \n", 0, "trailing space=20\n"},
	{"trailing tab\t\n", 0, "trailing tab=09\n"},
	{"inner space ok\n", 0, "inner space ok\n"},
	{"bare\rcr\n", 0, "bare=0Dcr\n"},
	{"two\nlines\n", 0, "two\nlines\n"},
	{"split record \n", 3, "split record=20\n"},
	{"caf\xc3\xa9\n", 1, "caf=C3=A9\n"},
	/* 80 x: a new line once one holds 73, then 7. */
	{"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	 "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n", 0,
	 "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	 "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx=\nxxxxxxx\n"},
	/* An escape after a full line goes to the next one. */
	{"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	 "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\xff\n", 0,
	 "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	 "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx=\n=FF\n"},
	/* An escape may end a line at 75, soft break 76. */
	{"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	 "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\xff\xff\n", 0,
	 "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	 "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx=FF=\n=FF\n"},
	/* Trailing space that must move to the next line. */
	{"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	 "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx \n", 0,
	 "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	 "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx=\n=20\n"},
	{"unfinished", 4, "unfinished\n"},
    };
    VSTRING *out = vstring_alloc(100);
    size_t  n;

    (void) state;
    for (n = 0; n < ARRAY_LEN(cases); n++) {
	encode(out, cases[n].in, strlen(cases[n].in), cases[n].chunk);
	assert_string_equal(vstring_str(out), cases[n].out);
    }
    vstring_free(out);
}

/* test_round_trip - random bytes decode back to themselves */
static void test_round_trip(void **state)
{
    VSTRING *out = vstring_alloc(100);
    VSTRING *back = vstring_alloc(100);
    char    input[600];
    size_t  len;
    int     round;
    size_t  n;

    (void) state;
    srandom(1);
    for (round = 0; round < 500; round++) {
	len = random() % sizeof(input);
	for (n = 0; n < len; n++) {
	    /* Mostly text, some spaces, some 8-bit, some line breaks. */
	    switch (random() % 8) {
	    case 0:
		input[n] = ' ';
		break;
	    case 1:
		input[n] = (char) (random() % 256);
		break;
	    case 2:
		input[n] = (random() % 4) ? 'x' : '\n';
		break;
	    default:
		input[n] = 'a' + random() % 26;
		break;
	    }
	}
	/* Input ends with a line break, so the decoded text matches. */
	if (len == 0 || input[len - 1] != '\n') {
	    if (len == sizeof(input))
		len--;
	    input[len++] = '\n';
	}
	encode(out, input, len, random() % 20);
	decode(back, vstring_str(out), VSTRING_LEN(out));
	assert_int_equal(VSTRING_LEN(back), len);
	assert_memory_equal(vstring_str(back), input, len);
    }
    vstring_free(out);
    vstring_free(back);
}

/* main - run the tests */
int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_cases),
	cmocka_unit_test(test_round_trip),
    };

    return cmocka_run_group_tests(tests, 0, 0);
}
