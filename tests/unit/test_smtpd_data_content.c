/*
 * test_smtpd_data_content - unit tests for the DATA/BDAT content machine
 *
 * DESCRIPTION
 *	smtpd_content_feed() and friends on the inputs of SMTP smuggling
 *	probes and of line splitting. The expected records are what
 *	Debian's Postfix 3.7.11 put in its queue file for the same bytes
 *	(postcat), in each smtpd_forbid_bare_newline mode; records are
 *	shown as "L:text" and "P:text", joined by "|".
 */
#include "sys_defs.h"

#include <string.h>

#include "vstring.h"
#include "rec_type.h"
#include "smtpd_data_content.h"
#include "test_support.h"

#define NO	SMTPD_BARE_LF_NO
#define NORM	SMTPD_BARE_LF_NORMALIZE
#define REJ	SMTPD_BARE_LF_REJECT

typedef struct CASE {
    int     mode;
    bool    dot;			/* DATA (true) or BDAT */
    size_t  limit;			/* line_length_limit */
    const char *in;
    const char *records;		/* expected */
    size_t  rest;			/* bytes not taken (DATA) */
    bool    bare_lf;
    long    size;
} CASE;

/* collect - append one record to the text */
static void collect(void *context, int type, const char *data, size_t len)
{
    VSTRING *out = context;

    if (VSTRING_LEN(out))
	VSTRING_ADDCH(out, '|');
    VSTRING_ADDCH(out, type == REC_TYPE_LINE ? 'L' : 'P');
    VSTRING_ADDCH(out, ':');
    vstring_memcat(out, data, len);
    VSTRING_TERMINATE(out);
}

/* run_case - feed one byte at a time, then all at once: same result */
static void run_case(const CASE *c)
{
    for (int pass = 0; pass < 2; pass++) {
	VSTRING *out = vstring_alloc(100);
	SMTPD_CONTENT *content = smtpd_content_create(c->mode, c->dot,
						      c->limit, collect, out);
	size_t  len = strlen(c->in);
	size_t  pos = 0;

	VSTRING_TERMINATE(out);
	if (pass == 0) {
	    while (pos < len && !smtpd_content_done(content))
		pos += smtpd_content_feed(content, c->in + pos, 1);
	} else {
	    pos = smtpd_content_feed(content, c->in, len);
	}
	if (!c->dot)
	    smtpd_content_finish(content);
	assert_string_equal(vstring_str(out), c->records);
	assert_int_equal(len - pos, c->rest);
	assert_int_equal(smtpd_content_bare_lf(content), c->bare_lf);
	assert_int_equal(smtpd_content_size(content), c->size);
	smtpd_content_free(content);
	vstring_free(out);
    }
}

/* test_data - DATA in each mode */
static void test_data(void **unused)
{
    static const CASE cases[] = {
	{NORM, true, 100, "A\r\n..B\r\n.\r\nQUIT\r\n", "L:A|L:.B", 6, false, 7},
	{NO, true, 100, "A\n.\nMAIL\r\n", "L:A", 6, true, 3},
	{NORM, true, 100, "A\n.\nM\r\n.\r\n", "L:A|L:M", 0, true, 6},
	{REJ, true, 100, "A\n.\nM\r\n.\r\n", "L:A|L:M", 0, true, 6},
	{NORM, true, 100, "A\r\n.\nB\r\n.\r\n", "L:A|L:B", 0, true, 6},
	{NORM, true, 100, "A\n.\r\nB\r\n.\r\n", "L:A|L:B", 0, true, 6},
	{NO, true, 100, "A\n.\r\nB\r\n", "L:A", 3, true, 3},
	{NORM, true, 100, "A\r.\rB\r\n.\r\n", "L:A . B", 0, false, 7},
	{NORM, true, 100, "A\r\r\n.\r\r\nB\r\n.\r\n", "L:A |L: |L:B", 0,
	false, 10},
	{NO, true, 100, "A\r\r\n.\r\r\nB\r\n", "L:A", 3, false, 3},
	{NORM, true, 4, "..abcdefgh\r\n.\r\n", "P:.ab|P:cdef|L:gh", 0, false,
	11},
	{NORM, true, 4, "abc\r\r\n.\r\n", "P:abc |L:", 0, false, 6},
    };

    (void) unused;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
	run_case(cases + i);
}

/* test_bdat - BDAT: no dots, a last line without a line end */
static void test_bdat(void **unused)
{
    static const CASE cases[] = {
	{NORM, false, 100, "Subject: t\r\n\r\nA\rB\nC\r", "L:Subject: t|L:|"
	"L:A B|L:C ", 0, true, 23},
	{NORM, false, 100, ".\r\n..\r\n", "L:.|L:..", 0, false, 7},
	{REJ, false, 100, "x\ny", "L:x|L:y", 0, true, 6},
	{NO, false, 3, "abcdefg", "P:abc|P:def|L:g", 0, false, 9},
    };

    (void) unused;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
	run_case(cases + i);
}

/* test_chunk_end - a line cut by a chunk end counts at once */
static void test_chunk_end(void **unused)
{
    VSTRING *out = vstring_alloc(100);
    SMTPD_CONTENT *content = smtpd_content_create(NORM, false, 100,
						  collect, out);

    (void) unused;
    VSTRING_TERMINATE(out);
    smtpd_content_feed(content, "Subject: t\r\nab", 14);
    smtpd_content_chunk_end(content);
    assert_int_equal(smtpd_content_size(content), 14);
    smtpd_content_feed(content, "c\r", 2);
    smtpd_content_chunk_end(content);	/* the <CR> waits */
    smtpd_content_feed(content, "\nd", 2);
    smtpd_content_finish(content);
    assert_string_equal(vstring_str(out), "L:Subject: t|P:ab|P:c|L:|L:d");
    assert_false(smtpd_content_bare_lf(content));
    smtpd_content_free(content);
    vstring_free(out);
}

/* test_mode - the parameter values */
static void test_mode(void **unused)
{
    (void) unused;
    assert_int_equal(smtpd_content_mode("no"), NO);
    assert_int_equal(smtpd_content_mode("Yes"), NORM);
    assert_int_equal(smtpd_content_mode("NORMALIZE"), NORM);
    assert_int_equal(smtpd_content_mode("reject"), REJ);
    assert_int_equal(smtpd_content_mode("maybe"), -1);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_data),
	cmocka_unit_test(test_bdat),
	cmocka_unit_test(test_chunk_end),
	cmocka_unit_test(test_mode),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
