/*
 * test_smtpstone - unit tests for smtpstone(3), the part that
 * smtp-source(1) and smtp-sink(1) share
 */
#include "sys_defs.h"

#include <string.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <event2/buffer.h>

#include "vstring.h"
#include "smtpstone.h"
#include "test_support.h"

/* test_endpoint_table - parse and resolve numeric endpoints */
static void test_endpoint_table(void **state)
{
    static const struct {
	const char *text;
	const char *def_port;
	int     family;
	bool    passive;
	int     want_family;		/* 0: must fail */
	const char *want_addr;		/* numeric, or the UNIX path */
	int     want_port;
    } cases[] = {
	{"127.0.0.1:2525", "smtp", AF_UNSPEC, false, AF_INET, "127.0.0.1", 2525},
	{"inet:127.0.0.1:2525", NULL, AF_UNSPEC, false, AF_INET, "127.0.0.1",
	2525},
	{"127.0.0.1", "smtp", AF_UNSPEC, false, AF_INET, "127.0.0.1", 25},
	{"[::1]:26", "smtp", AF_UNSPEC, false, AF_INET6, "::1", 26},
	{"[::1]:26", "smtp", AF_INET, false, 0, NULL, 0},
	{"127.0.0.1:26", "smtp", AF_INET6, false, 0, NULL, 0},
	{":2525", NULL, AF_UNSPEC, true, AF_INET6, "::", 2525},
	{":2525", NULL, AF_INET, true, AF_INET, "0.0.0.0", 2525},
	{"inet::2525", NULL, AF_UNSPEC, true, AF_INET6, "::", 2525},
	{":2525", "smtp", AF_UNSPEC, false, 0, NULL, 0},	/* no host */
	{"127.0.0.1", NULL, AF_UNSPEC, true, 0, NULL, 0},	/* no port */
	{"[::1", NULL, AF_UNSPEC, false, 0, NULL, 0},
	{"bad host:25", NULL, AF_UNSPEC, false, 0, NULL, 0},
	{"unix:/tmp/sock", NULL, AF_UNSPEC, false, AF_UNIX, "/tmp/sock", 0},
	{"unix:", NULL, AF_UNSPEC, false, 0, NULL, 0},
    };
    SMTPSTONE_ENDPOINT ep;
    VSTRING *why = vstring_alloc(100);
    char    text[INET6_ADDRSTRLEN];
    size_t  n;
    bool    ok;

    (void) state;
    for (n = 0; n < ARRAY_LEN(cases); n++) {
	ok = smtpstone_endpoint(&ep, cases[n].text, cases[n].def_port,
				cases[n].family, cases[n].passive, why);
	if (cases[n].want_family == 0) {
	    if (ok)
		fail_msg("case %zu \"%s\": accepted", n, cases[n].text);
	    assert_true(VSTRING_LEN(why) > 0);
	} else if (!ok) {
	    fail_msg("case %zu \"%s\": %s", n, cases[n].text, vstring_str(why));
	} else if (ep.addr.ss_family != cases[n].want_family) {
	    fail_msg("case %zu \"%s\": family %d", n, cases[n].text,
		     ep.addr.ss_family);
	} else if (cases[n].want_family == AF_UNIX) {
	    assert_string_equal(((struct sockaddr_un *) &ep.addr)->sun_path,
				cases[n].want_addr);
	} else if (cases[n].want_family == AF_INET) {
	    struct sockaddr_in *sin = (struct sockaddr_in *) &ep.addr;

	    inet_ntop(AF_INET, &sin->sin_addr, text, sizeof(text));
	    assert_string_equal(text, cases[n].want_addr);
	    assert_int_equal(ntohs(sin->sin_port), cases[n].want_port);
	} else {
	    struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *) &ep.addr;

	    inet_ntop(AF_INET6, &sin6->sin6_addr, text, sizeof(text));
	    assert_string_equal(text, cases[n].want_addr);
	    assert_int_equal(ntohs(sin6->sin6_port), cases[n].want_port);
	}
	if (ok)
	    assert_string_equal(ep.label, cases[n].text);
	smtpstone_endpoint_free(&ep);
    }
    vstring_free(why);
}

/* test_line - CRLF and LF lines, partial input, the length bound */
static void test_line(void **state)
{
    struct evbuffer *in = evbuffer_new();
    VSTRING *line = vstring_alloc(10);
    static const char data[] = "250-first\r\n250 second\nthird";

    (void) state;
    evbuffer_add(in, data, sizeof(data) - 1);
    assert_int_equal(smtpstone_line(in, line, 100), 1);
    assert_string_equal(vstring_str(line), "250-first");
    assert_int_equal(smtpstone_line(in, line, 100), 1);
    assert_string_equal(vstring_str(line), "250 second");
    assert_int_equal(smtpstone_line(in, line, 100), 0);
    assert_int_equal(evbuffer_get_length(in), 5);
    assert_int_equal(smtpstone_line(in, line, 4), -1);
    assert_int_equal(evbuffer_get_length(in), 5);
    evbuffer_add(in, "\r\n\r\n", 4);
    assert_int_equal(smtpstone_line(in, line, 4), 1);
    assert_string_equal(vstring_str(line), "third");
    assert_int_equal(smtpstone_line(in, line, 4), 1);
    assert_int_equal(VSTRING_LEN(line), 0);
    assert_int_equal(smtpstone_line(in, line, 4), 0);
    vstring_free(line);
    evbuffer_free(in);
}

/* test_count - numeric option values */
static void test_count(void **state)
{
    (void) state;
    assert_int_equal(smtpstone_count("0", "x", 0), 0);
    assert_int_equal(smtpstone_count("65535", "x", 1), 65535);
    assert_int_equal(smtpstone_count("2147483647", "x", 1), 2147483647);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_endpoint_table),
	cmocka_unit_test(test_line),
	cmocka_unit_test(test_count),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
