/*
 * test_smtpd_haproxy - unit tests for the PROXY header parser
 *
 * DESCRIPTION
 *	smtpd_haproxy_parse() on v1 and v2 headers. The expected reasons
 *	are those that Debian's Postfix 3.7.11 logged for the same bytes
 *	("warning: haproxy read: <reason>: <bytes>").
 */
#include "sys_defs.h"

#include <string.h>

#include "vstring.h"
#include "inet_proto.h"
#include "smtpd_haproxy.h"
#include "test_support.h"

#define BOTH	(INET_PROTO_MASK_IPV4 | INET_PROTO_MASK_IPV6)
#define V4	INET_PROTO_MASK_IPV4

typedef struct CASE {
    const char *in;
    size_t  len;			/* 0: strlen(in) */
    int     mask;
    const char *reason;			/* NULL: success */
    const char *client;			/* "addr port" */
    const char *server;
    size_t  header_len;			/* 0: all of it */
} CASE;

#define GOOD(in, len, mask, client, server, hl) \
	{in, len, mask, 0, client, server, hl}
#define BAD(in, len, mask, reason) {in, len, mask, reason, 0, 0, 0}
#define LOCAL(in, len) {in, len, BOTH, 0, 0, 0, 0}

/* run_cases - parse each case and check the outcome */
static void run_cases(const CASE *cases, size_t count)
{
    VSTRING *why = vstring_alloc(10);
    VSTRING *text = vstring_alloc(10);
    SMTPD_HAPROXY hp;
    size_t  header_len;
    size_t  len;
    size_t  n;
    int     status;

    for (n = 0; n < count; n++) {
	len = cases[n].len ? cases[n].len : strlen(cases[n].in);
	VSTRING_RESET(why);
	status = smtpd_haproxy_parse((const unsigned char *) cases[n].in, len,
				     cases[n].mask, &hp, &header_len, why);
	if (cases[n].reason) {
	    if (status != -1 || strcmp(vstring_str(why), cases[n].reason))
		fail_msg("case %zu: got %d \"%s\", want \"%s\"", n, status,
			 vstring_str(why), cases[n].reason);
	    continue;
	}
	if (status != 0)
	    fail_msg("case %zu: unexpected failure \"%s\"", n, vstring_str(why));
	assert_int_equal(header_len, cases[n].header_len ?
			 cases[n].header_len : len);
	if (cases[n].client == 0) {
	    assert_true(hp.local);
	    continue;
	}
	vstring_sprintf(text, "%s %s", hp.client_addr, hp.client_port);
	assert_string_equal(vstring_str(text), cases[n].client);
	vstring_sprintf(text, "%s %s", hp.server_addr, hp.server_port);
	assert_string_equal(vstring_str(text), cases[n].server);
    }
    vstring_free(why);
    vstring_free(text);
}

/* test_v1 - text headers */
static void test_v1(void **state)
{
    static const CASE cases[] = {
	GOOD("PROXY TCP4 127.0.0.2 127.0.0.1 1234 25\r\n",
	    0, BOTH, "127.0.0.2 1234", "127.0.0.1 25", 0),
	GOOD("PROXY TCP4 127.0.0.2 127.0.0.1 1234 25\r\nEHLO x\r\n",
	    0, BOTH, "127.0.0.2 1234", "127.0.0.1 25", 40),
	GOOD("PROXY  TCP4 127.0.0.2 127.0.0.1 1234 25 extra\n",
	    0, BOTH, "127.0.0.2 1234", "127.0.0.1 25", 0),
	GOOD("PROXY TCP4 127.000.0.2 127.0.0.1 0 25\r\n",
	    0, BOTH, "127.0.0.2 0", "127.0.0.1 25", 0),
	GOOD("PROXY TCP6 ::ffff:127.0.0.2 ::1 1234 25\r\n",
	    0, BOTH, "127.0.0.2 1234", "::1 25", 0),
	GOOD("PROXY TCP6 2001:db8::1 2001:db8::2 65535 587\r\n",
	    0, BOTH, "2001:db8::1 65535", "2001:db8::2 587", 0),
	BAD("PROXY TCP6 ::1 ::1 1234 25\r\n",
	    0, V4, "bad or missing protocol type"),
	BAD("PROXY UNKNOWN\r\n", 0, BOTH, "bad or missing protocol type"),
	BAD("PROXY TCP4 1.2.3 127.0.0.1 1234 25\r\n",
	    0, BOTH, "bad or missing client address"),
	BAD("PROXY TCP4 ::1 127.0.0.1 1234 25\r\n",
	    0, BOTH, "bad or missing client address"),
	BAD("PROXY TCP4 127.0.0.2 127.0.0.x 1234 25\r\n",
	    0, BOTH, "bad or missing server address"),
	BAD("PROXY TCP4 127.0.0.2 127.0.0.1 99999 25\r\n",
	    0, BOTH, "bad or missing client port"),
	BAD("PROXY TCP4 127.0.0.2 127.0.0.1 01234 25\r\n",
	    0, BOTH, "bad or missing client port"),
	BAD("PROXY TCP4 127.0.0.2 127.0.0.1 1234\r\n",
	    0, BOTH, "bad or missing server port"),
	BAD("PROXY TCP4 127.0.0.2 127.0.0.1 1234 25\\\t\r\n",
	    0, BOTH, "bad or missing server port"),
	BAD("PROXY TCP4 127.0.0.2 127.0.0.1 1234 25\r",
	    0, BOTH, "missing protocol header terminator"),
	BAD("PROXY TCP4 127.0.0.2 127.0.0.1 1234 25",
	    0, BOTH, "missing protocol header terminator"),
	BAD("GARBAGE\r\n", 0, BOTH, "short protocol header"),
	BAD("GARBAGEGARBAG\r\n", 0, BOTH, "short protocol header"),
	BAD("PROXY", 0, BOTH, "short protocol header"),
	BAD("GARBAGEGARBAGE\r\n", 0, BOTH, "unrecognized protocol header"),
	BAD("EHLO client.example\r\n", 0, BOTH, "unrecognized protocol header"),
    };

    (void) state;
    run_cases(cases, ARRAY_LEN(cases));
}

#define SIG "\r\n\r\n\0\r\nQUIT\n"

/* test_v2 - binary headers */
static void test_v2(void **state)
{
    static const CASE cases[] = {
	GOOD(SIG "\x21\x11\x00\x0c\x7f\x00\x00\x02\x7f\x00\x00\x01\x04\xd2\x00\x19",
	    28, BOTH, "127.0.0.2 1234", "127.0.0.1 25", 0),
	/* TLVs after the addresses are skipped; SMTP after stays. */
	GOOD(SIG "\x21\x11\x00\x10\x7f\x00\x00\x02\x7f\x00\x00\x01\x04\xd2\x00\x19"
	    "\x04\x00\x01X"
	    "EHLO",
	    36, BOTH, "127.0.0.2 1234", "127.0.0.1 25", 32),
	GOOD(SIG "\x21\x21\x00\x24"
	    "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x01"
	    "\0\0\0\0\0\0\0\0\0\0\xff\xff\x7f\0\0\x01"
	    "\x04\xd2\x00\x19",
	    52, BOTH, "2001:db8::1 1234", "127.0.0.1 25", 0),
	LOCAL(SIG "\x20\x00\x00\x00", 16),	/* LOCAL */
	LOCAL(SIG "\x20\x11\x00\x0c\x7f\x00\x00\x02\x7f\x00\x00\x01\x04\xd2\x00\x19",
	    28),			/* LOCAL, addresses ignored */
	BAD(SIG "\x31\x11\x00\x0c\x7f\x00\x00\x02\x7f\x00\x00\x01\x04\xd2\x00\x19",
	    28, BOTH, "unrecognized protocol version"),
	BAD(SIG "\x22\x11\x00\x0c\x7f\x00\x00\x02\x7f\x00\x00\x01\x04\xd2\x00\x19",
	    28, BOTH, "bad command in proxy header"),
	BAD(SIG "\x21\x00\x00\x00", 16, BOTH, "unsupported network protocol"),
	BAD(SIG "\x21\x12\x00\x0c\x7f\x00\x00\x02\x7f\x00\x00\x01\x04\xd2\x00\x19",
	    28, BOTH, "unsupported network protocol"),
	BAD(SIG "\x21\x21\x00\x24"
	    "0123456789abcdef0123456789abcdef"
	    "\0\1\0\2",
	    52, V4, "unsupported network protocol"),
	BAD(SIG "\x21\x12\x00\x1e\x7f\x00\x00\x02\x7f\x00\x00\x01\x04\xd2\x00\x19",
	    28, BOTH, "short version 2 protocol header"),
	BAD(SIG "\x21\x11\x00\x0c\x7f\x00\x00\x02",
	    20, BOTH, "short version 2 protocol header"),
	BAD(SIG "\x21\x11\x00\x02\x01\x02", 18, BOTH, "short address field"),
	BAD(SIG "\x21\x11\x00", 15, BOTH, "short protocol header"),
    };

    (void) state;
    run_cases(cases, ARRAY_LEN(cases));
}

/* test_bounds - only SMTPD_HAPROXY_MAX bytes are looked at */
static void test_bounds(void **state)
{
    static char buf[SMTPD_HAPROXY_MAX + 100];
    VSTRING *why = vstring_alloc(10);
    SMTPD_HAPROXY hp;
    size_t  header_len;
    size_t  n;

    (void) state;
    /* A newline just past the limit is not seen. */
    memcpy(buf, "PROXY TCP4 127.0.0.2 127.0.0.1 1234 25", 38);
    for (n = 38; n < SMTPD_HAPROXY_MAX; n++)
	buf[n] = ' ';
    buf[SMTPD_HAPROXY_MAX] = '\n';
    assert_int_equal(smtpd_haproxy_parse((unsigned char *) buf,
					 SMTPD_HAPROXY_MAX + 1, BOTH, &hp,
					 &header_len, why), -1);
    assert_string_equal(vstring_str(why), "missing protocol header terminator");
    /* One byte earlier it is. */
    buf[SMTPD_HAPROXY_MAX - 1] = '\n';
    assert_int_equal(smtpd_haproxy_parse((unsigned char *) buf,
					 SMTPD_HAPROXY_MAX + 1, BOTH, &hp,
					 &header_len, why), 0);
    assert_int_equal(header_len, SMTPD_HAPROXY_MAX);
    vstring_free(why);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_v1),
	cmocka_unit_test(test_v2),
	cmocka_unit_test(test_bounds),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
