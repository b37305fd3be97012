/*
 * test_smtp_dest - unit tests for the SMTP/LMTP destination syntax
 *
 * Table-driven: every form of the smtp(8) and lmtp(8) manuals, the
 * service names, and the malformed texts with their reasons (Postfix's
 * texts where Debian's Postfix 3.7 has one).
 */
#include "sys_defs.h"

#include <string.h>
#include <stdlib.h>

#include "msg.h"
#include "mymalloc.h"
#include "vstring.h"
#include "argv.h"
#include "smtp_dest.h"
#include "test_support.h"

typedef struct DEST_CASE {
    const char *text;
    int     lmtp;
    const char *def_service;
    int     ok;
    const char *host;			/* or the start of the reason */
    unsigned port;
    int     no_mx;
    int     is_unix;
    int     is_addr;
    const char *service;
} DEST_CASE;

static const DEST_CASE cases[] = {
    /* SMTP forms. */
    {"example.com", 0, "smtp", 1, "example.com", 25, 0, 0, 0, "smtp"},
    {"example.com:2525", 0, "smtp", 1, "example.com", 2525, 0, 0, 0, "2525"},
    {"example.com:submission", 0, "smtp", 1, "example.com", 587, 0, 0, 0,
    "submission"},
    {"example.com:", 0, "smtp", 1, "example.com", 25, 0, 0, 0, "smtp"},
    {"[mail.example.com]", 0, "smtp", 1, "mail.example.com", 25, 1, 0, 0,
    "smtp"},
    {"[mail.example.com]:587", 0, "smtp", 1, "mail.example.com", 587, 1, 0,
    0, "587"},
    {"[192.0.2.1]", 0, "smtp", 1, "192.0.2.1", 25, 1, 0, 1, "smtp"},
    {"[192.0.2.1]:10025", 0, "smtp", 1, "192.0.2.1", 10025, 1, 0, 1,
    "10025"},
    {"192.0.2.1:26", 0, "smtp", 1, "192.0.2.1", 26, 1, 0, 1, "26"},
    {"[ipv6:2001:db8::1]", 0, "smtp", 1, "2001:db8::1", 25, 1, 0, 1, "smtp"},
    {"[IPv6:2001:db8::1]:2525", 0, "smtp", 1, "2001:db8::1", 2525, 1, 0, 1,
    "2525"},
    {"[::1]:24", 0, "smtp", 1, "::1", 24, 1, 0, 1, "24"},
    /* LMTP forms: never MX. */
    {"unix:/var/run/lmtp", 1, "24", 1, "/var/run/lmtp", 0, 1, 1, 0, ""},
    {"UNIX:private/dovecot-lmtp", 1, "24", 1, "private/dovecot-lmtp", 0, 1,
    1, 0, ""},
    {"inet:mail.example.com", 1, "24", 1, "mail.example.com", 24, 1, 0, 0,
    "24"},
    {"inet:mail.example.com:2003", 1, "24", 1, "mail.example.com", 2003, 1,
    0, 0, "2003"},
    {"inet:[192.0.2.7]:2003", 1, "24", 1, "192.0.2.7", 2003, 1, 0, 1,
    "2003"},
    {"inet:[ipv6:::1]", 1, "24", 1, "::1", 24, 1, 0, 1, "24"},
    {"mail.example.com", 1, "24", 1, "mail.example.com", 24, 1, 0, 0, "24"},
    /* "unix:" is a host name to SMTP, "/x" its service. */
    {"unix:/x", 0, "smtp", 0, "unknown service: /x/tcp", 0, 0, 0, 0, NULL},
    /* Malformed. */
    {"[127.0.0.1", 0, "smtp", 0,
    "missing \"]\" in server description: [127.0.0.1", 0, 0, 0, 0, NULL},
    {"[127.0.0.1]x", 0, "smtp", 0,
    "garbage after \"]\" in server description: [127.0.0.1]x", 0, 0, 0, 0, NULL},
    {"[127.0.0.1]:nosuchservice", 0, "smtp", 0,
    "unknown service: nosuchservice/tcp", 0, 0, 0, 0, NULL},
    {"example.com:99999", 0, "smtp", 0,
    "bad network port: 99999 for destination: example.com:99999", 0, 0, 0, 0, NULL},
    {"[127.0.0.1]:0", 0, "smtp", 0,
    "bad network port: 0 for destination: [127.0.0.1]:0", 0, 0, 0, 0, NULL},
    {"[ipv6:192.0.2.1]", 0, "smtp", 0, "bad destination syntax: invalid IPv6", 0, 0, 0, 0, NULL},
    {"[bad_host!]", 0, "smtp", 0, "bad destination syntax: invalid host", 0, 0, 0, 0, NULL},
    {"[]", 0, "smtp", 0, "bad destination syntax: invalid host", 0, 0, 0, 0, NULL},
    {"", 0, "smtp", 0, "bad destination syntax:", 0, 0, 0, 0, NULL},
    {":25", 0, "smtp", 0, "bad destination syntax:", 0, 0, 0, 0, NULL},
    {"-bad-.example", 0, "smtp", 0, "bad destination syntax:", 0, 0, 0, 0, NULL},
    {"unix:", 1, "24", 0, "bad destination syntax: empty UNIX-domain", 0, 0, 0, 0, NULL},
    {"example.com", 0, "nosuchservice", 0, "unknown service: nosuchservice", 0, 0, 0, 0, NULL},
};

/* test_parse_table - every case of the table */
static void test_parse_table(void **state)
{
    VSTRING *why = vstring_alloc(100);
    SMTP_DEST dest;
    size_t  n;
    int     ret;

    (void) state;
    for (n = 0; n < sizeof(cases) / sizeof(cases[0]); n++) {
	const DEST_CASE *c = cases + n;

	ret = smtp_dest_parse(c->text, c->lmtp, c->def_service, &dest, why);
	if (c->ok) {
	    if (ret != 0)
		fail_msg("\"%s\": unexpected failure: %s", c->text,
			 vstring_str(why));
	    assert_string_equal(dest.host, c->host);
	    assert_int_equal(dest.port, c->port);
	    assert_int_equal(dest.no_mx, c->no_mx);
	    assert_int_equal(dest.is_unix, c->is_unix);
	    assert_int_equal(dest.is_addr, c->is_addr);
	    assert_string_equal(dest.service, c->service);
	} else {
	    if (ret != -1)
		fail_msg("\"%s\": accepted as host \"%s\"", c->text,
			 dest.host ? dest.host : "(null)");
	    if (strncmp(vstring_str(why), c->host, strlen(c->host)) != 0)
		fail_msg("\"%s\": reason \"%s\", wanted \"%s...\"", c->text,
			 vstring_str(why), c->host);
	    assert_null(dest.host);
	    assert_null(dest.service);
	}
	smtp_dest_free(&dest);
    }
    vstring_free(why);
}

/* test_parse_bounds - over-long texts and socket paths are refused */
static void test_parse_bounds(void **state)
{
    VSTRING *why = vstring_alloc(100);
    VSTRING *text = vstring_alloc(100);
    SMTP_DEST dest;
    int     n;

    (void) state;
    vstring_strcpy(text, "unix:/");
    for (n = 0; n < 200; n++)
	vstring_strcat(text, "p");
    assert_int_equal(smtp_dest_parse(vstring_str(text), 1, "24", &dest, why),
		     -1);
    assert_non_null(strstr(vstring_str(why), "socket path too long"));
    vstring_strcpy(text, "a");
    for (n = 0; n < SMTP_DEST_MAX_LEN; n++)
	vstring_strcat(text, ".a");
    assert_int_equal(smtp_dest_parse(vstring_str(text), 0, "smtp", &dest,
				     why), -1);
    assert_non_null(strstr(vstring_str(why), "destination too long"));
    smtp_dest_free(&dest);
    vstring_free(text);
    vstring_free(why);
}

/* test_port - numbers and service names */
static void test_port(void **state)
{
    VSTRING *why = vstring_alloc(100);
    unsigned port = 1;

    (void) state;
    assert_int_equal(smtp_dest_port("smtp", &port, why), 0);
    assert_int_equal(port, 25);
    assert_int_equal(smtp_dest_port("0", &port, why), -1);
    assert_string_equal(vstring_str(why), "bad network port: 0");
    assert_int_equal(smtp_dest_port("65535", &port, why), 0);
    assert_int_equal(port, 65535);
    assert_int_equal(smtp_dest_port("65536", &port, why), -1);
    assert_int_equal(smtp_dest_port("", &port, why), -1);
    assert_int_equal(smtp_dest_port("no-such-service-x", &port, why), -1);
    assert_string_equal(vstring_str(why), "unknown service: "
			"no-such-service-x/tcp");
    vstring_free(why);
}

/* test_list - relay lists split on commas and white space */
static void test_list(void **state)
{
    ARGV   *argv;

    (void) state;
    argv = smtp_dest_list(" [a.example]:25, b.example\tc.example:587 ,, ");
    assert_int_equal(argv->argc, 3);
    assert_string_equal(argv->argv[0], "[a.example]:25");
    assert_string_equal(argv->argv[1], "b.example");
    assert_string_equal(argv->argv[2], "c.example:587");
    argv_free(argv);
    argv = smtp_dest_list("");
    assert_int_equal(argv->argc, 0);
    argv_free(argv);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_parse_table),
	cmocka_unit_test(test_parse_bounds),
	cmocka_unit_test(test_port),
	cmocka_unit_test(test_list),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
