/*
 * test_cidr_match - unit tests for cidr_match(3)
 *
 * DESCRIPTION
 *	Expected texts and match results were taken from Postfix 3.7
 *	"postmap -q" runs against cidr tables with the same patterns.
 */
#include "sys_defs.h"

#include <string.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include "mymalloc.h"
#include "vstring.h"
#include "cidr_match.h"
#include "test_support.h"

/* test_parse_errors - every error text */
static void test_parse_errors(void **state)
{
    static const struct {
	const char *pattern;
	const char *error;
    } cases[] = {
	{"1.2.3.4/24", "non-null host address bits in \"1.2.3.4/24\", "
	"perhaps you should use \"1.2.3.0/24\" instead"},
	{"2001:db8::1/32", "non-null host address bits in \"2001:db8::1/32\", "
	"perhaps you should use \"2001:db8::/32\" instead"},
	{"[2001:db8::1]/32", "non-null host address bits in \"2001:db8::1/32\", "
	"perhaps you should use \"2001:db8::/32\" instead"},
	{"2001:db8::1/0", "non-null host address bits in \"2001:db8::1/0\", "
	"perhaps you should use \"::/0\" instead"},
	{"1.2.3.4/0", "non-null host address bits in \"1.2.3.4/0\", "
	"perhaps you should use \"0.0.0.0/0\" instead"},
	{"1.2.3.4/024", "non-null host address bits in \"1.2.3.4/024\", "
	"perhaps you should use \"1.2.3.0/24\" instead"},
	{"[1.2.3.4]/33", "bad mask length in \"1.2.3.4/33\""},
	{"2001:db8::/129", "bad mask length in \"2001:db8::/129\""},
	{"1.2.3.0/99999999999999999999", "bad mask length in "
	"\"1.2.3.0/99999999999999999999\""},
	{"1.2.3", "bad address pattern: \"1.2.3\""},
	{"1.2.3.4.5", "bad address pattern: \"1.2.3.4.5\""},
	{"010.0.0.1", "bad address pattern: \"010.0.0.1\""},
	{"fe80::1%eth0", "bad address pattern: \"fe80::1%eth0\""},
	{"1:2:3:4:5:6:7:8:9", "bad address pattern: \"1:2:3:4:5:6:7:8:9\""},
	{"", "bad address pattern: \"\""},
	{"[]", "bad address pattern: \"\""},
	{"example.com", "bad address pattern: \"example.com\""},
	{"1.2.3.0/-1", "bad mask value in \"1.2.3.0/-1\""},
	{"1.2.3.0/", "bad mask value in \"1.2.3.0/\""},
	{"1.2.3.0/24x", "bad mask value in \"1.2.3.0/24x\""},
	{"1.2.3.0/0x8", "bad mask value in \"1.2.3.0/0x8\""},
	{"1.2.3.0/+24", "bad mask value in \"1.2.3.0/+24\""},
	{"1.2.3.0/ 24", "bad mask value in \"1.2.3.0/ 24\""},
	{"/24", "bad network value in \"/24\""},
	{"1.2.3/24", "bad network value in \"1.2.3/24\""},
	{"1.2.3.0 /24", "bad network value in \"1.2.3.0 /24\""},
	{"[1.2.3.0", "missing ']' character after \"[1.2.3.0\""},
	{"[1.2.3.0]x/24", "garbage after \"[1.2.3.0]\""},
	{"[1.2.3.0] ", "garbage after \"[1.2.3.0]\""},
    };
    VSTRING *why = vstring_alloc(10);
    CIDR_MATCH info;
    size_t  n;

    (void) state;
    for (n = 0; n < ARRAY_LEN(cases); n++) {
	VSTRING_RESET(why);
	if (cidr_match_parse(&info, cases[n].pattern, CIDR_MATCH_TRUE, why))
	    fail_msg("case %zu \"%s\": accepted", n, cases[n].pattern);
	if (strcmp(vstring_str(why), cases[n].error) != 0)
	    fail_msg("case %zu \"%s\": error \"%s\", expected \"%s\"", n,
		     cases[n].pattern, vstring_str(why), cases[n].error);
    }
    vstring_free(why);
}

/* test_match_table - pattern, address, result */
static void test_match_table(void **state)
{
    static const struct {
	const char *pattern;
	const char *addr;
	bool    match;
    } cases[] = {
	{"1.2.3.0/24", "1.2.3.5", true},
	{"1.2.3.0/24", "1.2.3.255", true},
	{"1.2.3.0/24", "1.2.4.0", false},
	{"1.2.3.0/024", "1.2.3.5", true},
	{"[1.2.3.0/24]", "1.2.3.5", true},
	{"[1.2.3.0]/24", "1.2.3.5", true},
	{"[1.2.3.0]", "1.2.3.0", true},
	{"[1.2.3.0]", "1.2.3.1", false},
	{"9.9.9.9", "9.9.9.9", true},
	{"9.9.9.9", "9.9.9.8", false},
	{"1.2.3.4/32", "1.2.3.4", true},
	{"0.0.0.0/0", "1.2.3.5", true},
	{"0.0.0.0/0", "255.255.255.255", true},
	{"10.0.0.0/9", "10.127.255.255", true},
	{"10.0.0.0/9", "10.128.0.0", false},
	{"[2001:db8::]/32", "2001:db8:1::1", true},
	{"2001:db8::/32", "2001:0db8:0001:0:0:0:0:1", true},
	{"2001:DB8::/32", "2001:db8::5", true},
	{"2001:db8::/32", "2001:DB8::5", true},
	{"2001:db8::/32", "2001:db9::", false},
	{"[2001:db8:1::1]", "2001:db8:1:0::1", true},
	{"2001:db8::1/128", "2001:db8::1", true},
	{"::/0", "::", true},
	{"::/0", "3ffe::1", true},
	{"::1.2.3.4", "::1.2.3.4", true},
	{"::ffff:1.2.3.0/120", "::ffff:1.2.3.5", true},
	{"[::ffff:5.6.7.0]/120", "::ffff:5.6.7.8", true},
	/* Families never mix, even for IPv4-mapped addresses. */
	{"::ffff:1.2.3.0/120", "1.2.3.5", false},
	{"1.2.3.0/24", "::ffff:1.2.3.5", false},
	{"1.2.3.0/24", "::FFFF:1.2.3.5", false},
	{"1.2.3.4", "::ffff:1.2.3.4", false},
	{"[::ffff:1.2.3.4]", "1.2.3.4", false},
	{"2001:db8::/32", "::ffff:1.2.3.4", false},
	{"::/0", "1.2.3.4", false},
	{"0.0.0.0/0", "::1", false},
	/* Bad addresses never match. */
	{"0.0.0.0/0", "010.0.0.1", false},
	{"0.0.0.0/0", "[9.9.9.9]", false},
	{"0.0.0.0/0", "1.2.3", false},
	{"0.0.0.0/0", "", false},
	{"0.0.0.0/0", " 1.2.3.5", false},
	{"0.0.0.0/0", "1.2.3.5 ", false},
	{"0.0.0.0/0", "garbage", false},
	{"::/0", "fe80::1%eth0", false},
    };
    VSTRING *why = vstring_alloc(10);
    CIDR_MATCH info;
    size_t  n;

    (void) state;
    for (n = 0; n < ARRAY_LEN(cases); n++) {
	if (!cidr_match_parse(&info, cases[n].pattern, CIDR_MATCH_TRUE, why))
	    fail_msg("case %zu \"%s\": %s", n, cases[n].pattern,
		     vstring_str(why));
	if (cidr_match_execute(&info, cases[n].addr) != cases[n].match)
	    fail_msg("case %zu: \"%s\" ~ \"%s\": expected %s", n,
		     cases[n].pattern, cases[n].addr,
		     cases[n].match ? "match" : "no match");
    }
    vstring_free(why);
}

/* test_negated - "!pattern" applies to its own family only */
static void test_negated(void **state)
{
    VSTRING *why = vstring_alloc(10);
    CIDR_MATCH info;

    (void) state;
    assert_true(cidr_match_parse(&info, "192.168.0.0/16", CIDR_MATCH_FALSE, why));
    assert_false(cidr_match_execute(&info, "192.168.1.1"));
    assert_true(cidr_match_execute(&info, "10.1.1.1"));
    assert_false(cidr_match_execute(&info, "2001:db8::1"));
    assert_false(cidr_match_execute(&info, "not an address"));
    vstring_free(why);
}

/* test_sockaddr_and_format - binary matching, canonical text */
static void test_sockaddr_and_format(void **state)
{
    VSTRING *why = vstring_alloc(10);
    VSTRING *text = vstring_alloc(10);
    CIDR_MATCH info;
    struct sockaddr_in sin;
    struct sockaddr_in6 sin6;

    (void) state;
    memset(&sin, 0, sizeof(sin));
    sin.sin_family = AF_INET;
    inet_pton(AF_INET, "127.0.0.1", &sin.sin_addr);
    memset(&sin6, 0, sizeof(sin6));
    sin6.sin6_family = AF_INET6;
    inet_pton(AF_INET6, "::1", &sin6.sin6_addr);

    assert_true(cidr_match_parse(&info, "127.0.0.0/8", true, why));
    assert_true(cidr_match_sockaddr(&info, (struct sockaddr *) &sin));
    assert_false(cidr_match_sockaddr(&info, (struct sockaddr *) &sin6));
    assert_string_equal(vstring_str(cidr_match_format(text, &info)),
			"127.0.0.0/8");
    assert_true(cidr_match_parse(&info, "[0:0::1]", true, why));
    assert_true(cidr_match_sockaddr(&info, (struct sockaddr *) &sin6));
    assert_false(cidr_match_sockaddr(&info, (struct sockaddr *) &sin));
    assert_string_equal(vstring_str(cidr_match_format(text, &info)), "::1/128");
    assert_int_equal(info.prefix_len, 128);
    assert_int_equal(info.family, AF_INET6);
    vstring_free(why);
    vstring_free(text);
}

/* test_long_pattern - huge input, truncated message */
static void test_long_pattern(void **state)
{
    size_t  len = 100000;
    char   *pattern = mymalloc(len + 1);
    VSTRING *why = vstring_alloc(10);
    CIDR_MATCH info;

    (void) state;
    memset(pattern, '1', len);
    pattern[len] = 0;
    assert_false(cidr_match_parse(&info, pattern, true, why));
    assert_int_equal(VSTRING_LEN(why),
		     strlen("bad address pattern: \"...\"") + 100);
    pattern[len / 2] = '/';
    assert_false(cidr_match_parse(&info, pattern, true, why));
    assert_true(strncmp(vstring_str(why), "bad mask length in \"", 20) == 0);
    assert_int_equal(VSTRING_LEN(why),
		     strlen("bad mask length in \".../...\"") + 2 * 100);
    assert_false(cidr_match_execute(&info, pattern));
    myfree(pattern);
    vstring_free(why);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_parse_errors),
	cmocka_unit_test(test_match_table),
	cmocka_unit_test(test_negated),
	cmocka_unit_test(test_sockaddr_and_format),
	cmocka_unit_test(test_long_pattern),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
