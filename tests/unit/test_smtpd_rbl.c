/*
 * test_smtpd_rbl - unit tests for smtpd_rbl(3): DNS list reply
 * patterns, reversed client addresses, reply template splitting
 */
#include "sys_defs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mymalloc.h"
#include "vstring.h"
#include "smtpd_rbl.h"
#include "test_support.h"

/* test_filter - the d.d.d.d patterns of postconf(5) */
static void test_filter(void **state)
{
    static const struct {
	const char *pattern;		/* NULL result when bad */
	const char *addr;
	int     match;			/* -1: the pattern is bad */
    } cases[] = {
	{"127.0.0.2", "127.0.0.2", 1},
	{"127.0.0.2", "127.0.0.3", 0},
	{"127.0.0.[2..11]", "127.0.0.2", 1},
	{"127.0.0.[2..11]", "127.0.0.11", 1},
	{"127.0.0.[2..11]", "127.0.0.12", 0},
	{"127.0.0.[2..11]", "127.0.0.1", 0},
	{"127.0.0.[2;3]", "127.0.0.3", 1},
	{"127.0.0.[2;3]", "127.0.0.4", 0},
	{"127.0.[0..255].[1;4..6;9]", "127.0.77.5", 1},
	{"127.0.[0..255].[1;4..6;9]", "127.0.77.7", 0},
	{"127.0.[0..255].[1;4..6;9]", "127.0.77.9", 1},
	{"[127;128].0.0.2", "128.0.0.2", 1},
	{"127.0.0", 0, -1},
	{"127.0.0.256", 0, -1},
	{"127.0.0.[3..2]", 0, -1},
	{"127.0.0.[2", 0, -1},
	{"127.0.0.[2;]", 0, -1},
	{"127.0.0.[..2]", 0, -1},
	{"127.0.0.2.", 0, -1},
	{"127.0.0.2x", 0, -1},
	{"127..0.2", 0, -1},
	{"", 0, -1},
	{"a.b.c.d", 0, -1},
	{"127.0.0.[2..]", 0, -1},
    };
    SMTPD_RBL_FILTER *filter;
    unsigned char addr[4];
    unsigned a, b, c, d;
    size_t  n;
    size_t  bad;

    (void) state;
    for (n = 0; n < ARRAY_LEN(cases); n++) {
	filter = smtpd_rbl_filter_parse(cases[n].pattern, &bad);
	if (cases[n].match < 0) {
	    if (filter != 0)
		fail_msg("\"%s\" accepted", cases[n].pattern);
	    continue;
	}
	if (filter == 0)
	    fail_msg("\"%s\" rejected", cases[n].pattern);
	assert_int_equal(sscanf(cases[n].addr, "%u.%u.%u.%u", &a, &b, &c, &d),
			 4);
	addr[0] = a;
	addr[1] = b;
	addr[2] = c;
	addr[3] = d;
	if (smtpd_rbl_filter_match(filter, addr) != (cases[n].match == 1))
	    fail_msg("\"%s\" vs %s: %d", cases[n].pattern, cases[n].addr,
		     !cases[n].match);
	smtpd_rbl_filter_free(filter);
    }
}

/* test_reverse - query names of IPv4 and IPv6 clients */
static void test_reverse(void **state)
{
    static const struct {
	const char *addr;
	const char *result;		/* NULL: not an address */
    } cases[] = {
	{"127.0.0.2", "2.0.0.127"},
	{"192.0.2.10", "10.2.0.192"},
	{"::ffff:192.0.2.10", "10.2.0.192"},
	{"2001:db8::1",
	"1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2"},
	{"::1",
	"1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0"},
	{"unknown", 0},
	{"", 0},
	{"1.2.3", 0},
	{"example.com", 0},
    };
    VSTRING *buf = vstring_alloc(10);
    size_t  n;

    (void) state;
    for (n = 0; n < ARRAY_LEN(cases); n++) {
	if (smtpd_rbl_reverse_addr(cases[n].addr, buf) != (cases[n].result != 0))
	    fail_msg("%s: wrong verdict", cases[n].addr);
	if (cases[n].result)
	    assert_string_equal(vstring_str(buf), cases[n].result);
    }
    vstring_free(buf);
}

/* test_reply_split - code, enhanced code and text of a template */
static void test_reply_split(void **state)
{
    static const struct {
	const char *reply;
	int     code;			/* -1: bad */
	const char *dsn;
	const char *text;
    } cases[] = {
	{"554 Service unavailable; Client host [1.2.3.4] blocked using x",
	554, "5.7.1", "Service unavailable; Client host [1.2.3.4] blocked using x"},
	{"450 4.7.1 try later", 450, "4.7.1", "try later"},
	{"550 5.7.23 see there", 550, "5.7.23", "see there"},
	{"550 4.7.1 class mismatch", 550, "5.7.1", "4.7.1 class mismatch"},
	{"550 5.7.1234 too long", 550, "5.7.1", "5.7.1234 too long"},
	{"550 5..1 bad", 550, "5.7.1", "5..1 bad"},
	{"550 5.7. bad", 550, "5.7.1", "5.7. bad"},
	{"451", 451, "4.7.1", ""},
	{"250 Ok", -1, 0, 0},
	{"55 short", -1, 0, 0},
	{"5541 long", -1, 0, 0},
	{"Service unavailable", -1, 0, 0},
	{"", -1, 0, 0},
    };
    VSTRING *dsn = vstring_alloc(10);
    const char *text;
    int     code;
    size_t  n;

    (void) state;
    for (n = 0; n < ARRAY_LEN(cases); n++) {
	if (smtpd_rbl_reply_split(cases[n].reply, &code, dsn, &text) < 0) {
	    if (cases[n].code >= 0)
		fail_msg("\"%s\" rejected", cases[n].reply);
	    continue;
	}
	if (cases[n].code < 0)
	    fail_msg("\"%s\" accepted", cases[n].reply);
	assert_int_equal(code, cases[n].code);
	assert_string_equal(vstring_str(dsn), cases[n].dsn);
	assert_string_equal(text, cases[n].text);
    }
    vstring_free(dsn);
}

/* test_filter_error_offset - where a bad pattern goes wrong */
static void test_filter_error_offset(void **state)
{
    static const struct {
	const char *pattern;
	size_t  offset;
    } cases[] = {
	{"127.0.0.x", 8},
	{"127.0.0.[2", 8},
	{"127.0.0.2x", 9},
	{"127.0.0", 7},
	{"x.0.0.1", 0},
    };
    size_t  n;
    size_t  bad;

    (void) state;
    for (n = 0; n < ARRAY_LEN(cases); n++) {
	bad = 999;
	assert_null(smtpd_rbl_filter_parse(cases[n].pattern, &bad));
	if (bad != cases[n].offset)
	    fail_msg("\"%s\": offset %zu", cases[n].pattern, bad);
    }
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_filter),
	cmocka_unit_test(test_filter_error_offset),
	cmocka_unit_test(test_reverse),
	cmocka_unit_test(test_reply_split),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
