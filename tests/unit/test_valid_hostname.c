/*
 * test_valid_hostname - unit tests for valid_hostname(3)
 */
#include "sys_defs.h"

#include <string.h>

#include "mymalloc.h"
#include "stringops.h"
#include "valid_hostname.h"
#include "test_support.h"

typedef bool (*CHECK_FN) (const char *, int);

struct check_case {
    const char *input;
    int     flags;
    bool    valid;
    const char *warning;		/* expected text with DO_GRIPE */
};

/* run_cases - check each case with and without griping */
static void run_cases(CHECK_FN check, const struct check_case *cases,
		              size_t count)
{
    size_t  n;

    for (n = 0; n < count; n++) {
	const struct check_case *cp = cases + n;

	test_capture_start();
	if (check(cp->input, cp->flags & ~DO_GRIPE) != cp->valid)
	    fail_msg("case %zu \"%s\": expected %s", n, cp->input,
		     cp->valid ? "valid" : "invalid");
	assert_string_equal(test_capture_text(), "");
	if (check(cp->input, cp->flags | DO_GRIPE) != cp->valid)
	    fail_msg("case %zu \"%s\" (gripe): expected %s", n, cp->input,
		     cp->valid ? "valid" : "invalid");
	if (strcmp(test_capture_text(), cp->warning ? cp->warning : "") != 0)
	    fail_msg("case %zu \"%s\": warning \"%s\", expected \"%s\"", n,
		     cp->input, test_capture_text(),
		     cp->warning ? cp->warning : "");
	test_capture_stop();
    }
}

/* test_hostname - names, good and bad */
static void test_hostname(void **state)
{
    static const struct check_case cases[] = {
	{"example.com", 0, true, 0},
	{"a", 0, true, 0},
	{"mail-1.example.com", 0, true, 0},
	{"_dmarc.example.com", 0, true, 0},
	{"x_y.example", 0, true, 0},
	{"1.example", 0, true, 0},
	{"example.123", 0, true, 0},
	{"123abc", 0, true, 0},
	{"a--b.example", 0, true, 0},
	{"xn--bcher-kva.example", 0, true, 0},
	{"", 0, false, "warning: valid_hostname: empty hostname in \"\"\n"},
	{"-bad.example", 0, false,
	"warning: valid_hostname: misplaced hyphen in \"-bad.example\"\n"},
	{"bad-.example", 0, false,
	"warning: valid_hostname: misplaced hyphen in \"bad-.example\"\n"},
	{"bad.example-", 0, false,
	"warning: valid_hostname: misplaced hyphen in \"bad.example-\"\n"},
	{"a.-b", 0, false,
	"warning: valid_hostname: misplaced hyphen in \"a.-b\"\n"},
	{"-", 0, false, "warning: valid_hostname: misplaced hyphen in \"-\"\n"},
	{".example.com", 0, false,
	"warning: valid_hostname: misplaced dot in \".example.com\"\n"},
	{"example.com.", 0, false,
	"warning: valid_hostname: misplaced dot in \"example.com.\"\n"},
	{"a..b", 0, false, "warning: valid_hostname: misplaced dot in \"a..b\"\n"},
	{".", 0, false, "warning: valid_hostname: misplaced dot in \".\"\n"},
	{"123", 0, false,
	"warning: valid_hostname: numeric hostname in \"123\"\n"},
	{"1.2.3.4", 0, false,
	"warning: valid_hostname: numeric hostname in \"1.2.3.4\"\n"},
	{"a b", 0, false,
	"warning: valid_hostname: invalid character 0x20 in \"a b\"\n"},
	{"a\tb", 0, false,
	"warning: valid_hostname: invalid character 0x09 in \"a?b\"\n"},
	{"caf\xc3\xa9.example", 0, false,
	"warning: valid_hostname: invalid character 0xc3 in \"caf\xc3\xa9.example\"\n"},
	{"[1.2.3.4]", 0, false,
	"warning: valid_hostname: invalid character '[' in \"[1.2.3.4]\"\n"},
	{"::1", 0, false,
	"warning: valid_hostname: invalid character ':' in \"::1\"\n"},
	{"a@b", 0, false,
	"warning: valid_hostname: invalid character '@' in \"a@b\"\n"},
	{"*.example.com", 0, false,
	"warning: valid_hostname: invalid character '*' in \"*.example.com\"\n"},
	{"*.example.com", DO_WILDCARD, true, 0},
	{"*", DO_WILDCARD, true, 0},
	{"a.*.example", DO_WILDCARD, false,
	"warning: valid_hostname: '*' allowed only as the first label in \"a.*.example\"\n"},
	{"*a.example", DO_WILDCARD, false,
	"warning: valid_hostname: '*' allowed only as the first label in \"*a.example\"\n"},
	/* 63 characters is fine, 64 is not. */
	{"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.x",
	0, true, 0},
	{"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.x",
	0, false,
	"warning: valid_hostname: label longer than 63 characters in "
	"\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.x\"\n"},
    };

    (void) state;
    run_cases(valid_hostname, cases, ARRAY_LEN(cases));
}

/* test_hostname_length - the 255 character limit, long input */
static void test_hostname_length(void **state)
{
    char   *name = mymalloc(1024 * 1024 + 1);
    char   *expect;
    char   *hundred;
    char   *full;
    size_t  n;

    (void) state;
    /* 255 characters: "a.a.a...a" with 128 labels. */
    for (n = 0; n < 255; n++)
	name[n] = (n % 2) ? '.' : 'a';
    name[255] = 0;
    assert_true(valid_hostname(name, DONT_GRIPE));
    name[255] = 'a';
    name[256] = 0;
    assert_false(valid_hostname(name, DONT_GRIPE));

    /* One megabyte: rejected, warning truncated. */
    memset(name, 'a', 1024 * 1024);
    name[1024 * 1024] = 0;
    test_capture_start();
    assert_false(valid_hostname(name, DO_GRIPE));
    expect = concatenate("warning: valid_hostname: hostname longer than 255 "
			 "characters in \"", (char *) 0);
    hundred = mymalloc(101);
    memset(hundred, 'a', 100);
    hundred[100] = 0;
    full = concatenate(expect, hundred, "...\"\n", (char *) 0);
    assert_string_equal(test_capture_text(), full);
    myfree(expect);
    myfree(hundred);
    myfree(full);
    test_capture_stop();
    assert_false(valid_hostaddr(name, DONT_GRIPE));
    assert_false(valid_ipv6_hostaddr(name, DONT_GRIPE));
    assert_false(valid_hostport(name, DONT_GRIPE));
    memset(name, '1', 1024 * 1024);
    assert_false(valid_ipv4_hostaddr(name, DONT_GRIPE));
    assert_false(valid_hostport(name, DONT_GRIPE));
    for (n = 0; n < 1024 * 1024; n++)
	name[n] = (n % 2) ? ':' : '1';
    assert_false(valid_ipv6_hostaddr(name, DONT_GRIPE));
    myfree(name);
}

/* test_ipv4 - dotted quads */
static void test_ipv4(void **state)
{
    static const struct check_case cases[] = {
	{"1.2.3.4", 0, true, 0},
	{"0.0.0.0", 0, true, 0},
	{"255.255.255.255", 0, true, 0},
	{"127.0.0.1", 0, true, 0},
	{"10.0.0.0", 0, true, 0},
	{"", 0, false, "warning: valid_ipv4_hostaddr: empty address in \"\"\n"},
	{"1.2.3", 0, false,
	"warning: valid_ipv4_hostaddr: too few octets in \"1.2.3\"\n"},
	{"1", 0, false, "warning: valid_ipv4_hostaddr: too few octets in \"1\"\n"},
	{"1.2.3.4.5", 0, false,
	"warning: valid_ipv4_hostaddr: too many octets in \"1.2.3.4.5\"\n"},
	{"1.2.3.256", 0, false,
	"warning: valid_ipv4_hostaddr: octet value out of range in \"1.2.3.256\"\n"},
	{"1.2.3.1000", 0, false,
	"warning: valid_ipv4_hostaddr: octet value out of range in \"1.2.3.1000\"\n"},
	{"01.2.3.4", 0, false,
	"warning: valid_ipv4_hostaddr: leading zero in octet in \"01.2.3.4\"\n"},
	{"1.2.3.00", 0, false,
	"warning: valid_ipv4_hostaddr: leading zero in octet in \"1.2.3.00\"\n"},
	{"0.1.2.3", 0, false,
	"warning: valid_ipv4_hostaddr: bad first octet value 0 in \"0.1.2.3\"\n"},
	{"1..2.3", 0, false,
	"warning: valid_ipv4_hostaddr: misplaced dot in \"1..2.3\"\n"},
	{".1.2.3", 0, false,
	"warning: valid_ipv4_hostaddr: misplaced dot in \".1.2.3\"\n"},
	{"1.2.3.", 0, false,
	"warning: valid_ipv4_hostaddr: misplaced dot in \"1.2.3.\"\n"},
	{"1.2.3.4 ", 0, false,
	"warning: valid_ipv4_hostaddr: invalid character 0x20 in \"1.2.3.4 \"\n"},
	{"1.2.3.x", 0, false,
	"warning: valid_ipv4_hostaddr: invalid character 'x' in \"1.2.3.x\"\n"},
	{"-1.2.3.4", 0, false,
	"warning: valid_ipv4_hostaddr: invalid character '-' in \"-1.2.3.4\"\n"},
	{"0x1.2.3.4", 0, false,
	"warning: valid_ipv4_hostaddr: invalid character 'x' in \"0x1.2.3.4\"\n"},
    };

    (void) state;
    run_cases(valid_ipv4_hostaddr, cases, ARRAY_LEN(cases));
}

/* test_ipv6 - RFC 4291 text forms */
static void test_ipv6(void **state)
{
    static const struct check_case cases[] = {
	{"::", 0, true, 0},
	{"::1", 0, true, 0},
	{"1::", 0, true, 0},
	{"2001:db8::", 0, true, 0},
	{"2001:db8::1", 0, true, 0},
	{"2001:DB8:0:0:8:800:200C:417A", 0, true, 0},
	{"2001:0db8:0000:0000:0000:0000:0000:0001", 0, true, 0},
	{"1:2:3:4:5:6:7:8", 0, true, 0},
	{"1:2:3:4:5:6:7::", 0, true, 0},
	{"::2:3:4:5:6:7:8", 0, true, 0},
	{"1::8", 0, true, 0},
	{"fe80::fc:ff:fe00:1", 0, true, 0},
	{"::ffff:192.0.2.1", 0, true, 0},
	{"::192.0.2.1", 0, true, 0},
	{"64:ff9b::192.0.2.1", 0, true, 0},
	{"1:2:3:4:5:6:192.0.2.1", 0, true, 0},
	{"1:2:3:4:5::192.0.2.1", 0, true, 0},
	{"", 0, false, "warning: valid_ipv6_hostaddr: empty address in \"\"\n"},
	{":", 0, false, "warning: valid_ipv6_hostaddr: misplaced ':' in \":\"\n"},
	{":1", 0, false, "warning: valid_ipv6_hostaddr: misplaced ':' in \":1\"\n"},
	{"1:", 0, false, "warning: valid_ipv6_hostaddr: misplaced ':' in \"1:\"\n"},
	{":::", 0, false,
	"warning: valid_ipv6_hostaddr: misplaced ':' in \":::\"\n"},
	{"1:::2", 0, false,
	"warning: valid_ipv6_hostaddr: misplaced ':' in \"1:::2\"\n"},
	{"1::2::3", 0, false,
	"warning: valid_ipv6_hostaddr: more than one \"::\" in \"1::2::3\"\n"},
	{"::1::", 0, false,
	"warning: valid_ipv6_hostaddr: more than one \"::\" in \"::1::\"\n"},
	{"1:2:3:4:5:6:7", 0, false,
	"warning: valid_ipv6_hostaddr: too few fields in \"1:2:3:4:5:6:7\"\n"},
	{"1:2", 0, false,
	"warning: valid_ipv6_hostaddr: too few fields in \"1:2\"\n"},
	{"1:2:3:4:5:6:7:8:9", 0, false,
	"warning: valid_ipv6_hostaddr: too many fields in \"1:2:3:4:5:6:7:8:9\"\n"},
	{"1:2:3:4:5:6:7:8::", 0, false,
	"warning: valid_ipv6_hostaddr: too many fields in \"1:2:3:4:5:6:7:8::\"\n"},
	{"::1:2:3:4:5:6:7:8", 0, false,
	"warning: valid_ipv6_hostaddr: too many fields in \"::1:2:3:4:5:6:7:8\"\n"},
	{"1:2:3:4::5:6:7:8", 0, false,
	"warning: valid_ipv6_hostaddr: too many fields in \"1:2:3:4::5:6:7:8\"\n"},
	{"12345::", 0, false,
	"warning: valid_ipv6_hostaddr: hex field longer than 4 digits in \"12345::\"\n"},
	{"::00001", 0, false,
	"warning: valid_ipv6_hostaddr: hex field longer than 4 digits in \"::00001\"\n"},
	{"2001:db8::g", 0, false,
	"warning: valid_ipv6_hostaddr: invalid character 'g' in \"2001:db8::g\"\n"},
	{"fe80::1%eth0", 0, false,
	"warning: valid_ipv6_hostaddr: invalid character '%' in \"fe80::1%eth0\"\n"},
	{"[::1]", 0, false,
	"warning: valid_ipv6_hostaddr: invalid character '[' in \"[::1]\"\n"},
	{"1:2:3:4:5:6:7:192.0.2.1", 0, false,
	"warning: valid_ipv6_hostaddr: too many fields in \"1:2:3:4:5:6:7:192.0.2.1\"\n"},
	{"1:2:3:4:5:6::192.0.2.1", 0, false,
	"warning: valid_ipv6_hostaddr: too many fields in \"1:2:3:4:5:6::192.0.2.1\"\n"},
	{"1:2:3:4:5:192.0.2.1", 0, false,
	"warning: valid_ipv6_hostaddr: too few fields in \"1:2:3:4:5:192.0.2.1\"\n"},
	{"::192.0.2", 0, false,
	"warning: valid_ipv6_hostaddr: too few octets in \"::192.0.2\"\n"},
	{"::192.0.2.256", 0, false,
	"warning: valid_ipv6_hostaddr: octet value out of range in \"::192.0.2.256\"\n"},
	{"::1.2.3.4:5", 0, false,
	"warning: valid_ipv6_hostaddr: invalid character ':' in \"::1.2.3.4:5\"\n"},
	{"::ffff:1.2.3.4.", 0, false,
	"warning: valid_ipv6_hostaddr: too many octets in \"::ffff:1.2.3.4.\"\n"},
	{"1.2.3.4", 0, false,
	"warning: valid_ipv6_hostaddr: too few fields in \"1.2.3.4\"\n"},
	{"::ab.1.2.3", 0, false,
	"warning: valid_ipv6_hostaddr: invalid character 'a' in \"::ab.1.2.3\"\n"},
    };

    (void) state;
    run_cases(valid_ipv6_hostaddr, cases, ARRAY_LEN(cases));
}

/* test_hostaddr - dispatch by ':' */
static void test_hostaddr(void **state)
{
    static const struct check_case cases[] = {
	{"192.0.2.1", 0, true, 0},
	{"::1", 0, true, 0},
	{"", 0, false, "warning: valid_hostaddr: empty address in \"\"\n"},
	{"example.com", 0, false,
	"warning: valid_ipv4_hostaddr: invalid character 'e' in \"example.com\"\n"},
	{"1:2", 0, false,
	"warning: valid_ipv6_hostaddr: too few fields in \"1:2\"\n"},
    };

    (void) state;
    run_cases(valid_hostaddr, cases, ARRAY_LEN(cases));
}

/* test_hostport - numeric ports */
static void test_hostport(void **state)
{
    static const struct check_case cases[] = {
	{"0", 0, true, 0},
	{"25", 0, true, 0},
	{"65535", 0, true, 0},
	{"", 0, false, "warning: valid_hostport: empty port number in \"\"\n"},
	{"65536", 0, false,
	"warning: valid_hostport: port number out of range in \"65536\"\n"},
	{"100000", 0, false,
	"warning: valid_hostport: port number out of range in \"100000\"\n"},
	{"99999999999999999999", 0, false,
	"warning: valid_hostport: port number out of range in \"99999999999999999999\"\n"},
	{"025", 0, false,
	"warning: valid_hostport: leading zero in port number in \"025\"\n"},
	{"smtp", 0, false,
	"warning: valid_hostport: non-numeric port number in \"smtp\"\n"},
	{"-1", 0, false,
	"warning: valid_hostport: non-numeric port number in \"-1\"\n"},
	{"+25", 0, false,
	"warning: valid_hostport: non-numeric port number in \"+25\"\n"},
	{"25 ", 0, false,
	"warning: valid_hostport: non-numeric port number in \"25 \"\n"},
    };

    (void) state;
    run_cases(valid_hostport, cases, ARRAY_LEN(cases));
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_hostname),
	cmocka_unit_test(test_hostname_length),
	cmocka_unit_test(test_ipv4),
	cmocka_unit_test(test_ipv6),
	cmocka_unit_test(test_hostaddr),
	cmocka_unit_test(test_hostport),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
