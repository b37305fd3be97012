/*
 * test_host_port - unit tests for host_port(3)
 */
#include "sys_defs.h"

#include <string.h>

#include "mymalloc.h"
#include "vstring.h"
#include "host_port.h"
#include "test_support.h"

#define NUL	((const char *) 0)

/* test_host_port_table - split, defaults, errors */
static void test_host_port_table(void **state)
{
    static const struct {
	const char *input;
	const char *def_host;
	const char *def_port;
	const char *error;		/* NULL: success */
	const char *host;		/* expected, may be NULL */
	const char *port;		/* expected, may be NULL */
    } cases[] = {
	{"example.com:25", "", NUL, NUL, "example.com", "25"},
	{"example.com", "", "smtp", NUL, "example.com", "smtp"},
	{"example.com:", "", "smtp", NUL, "example.com", "smtp"},
	{"example.com:submission", "", NUL, NUL, "example.com", "submission"},
	{"192.0.2.1:587", "", NUL, NUL, "192.0.2.1", "587"},
	{"[192.0.2.1]:587", "", NUL, NUL, "192.0.2.1", "587"},
	{"[mail.example.com]:587", "", NUL, NUL, "mail.example.com", "587"},
	{"[mail.example.com]", "", "25", NUL, "mail.example.com", "25"},
	{"[mail.example.com]:", "", "25", NUL, "mail.example.com", "25"},
	{"[::1]:25", "", NUL, NUL, "::1", "25"},
	{"[2001:db8::1]:10025", "", NUL, NUL, "2001:db8::1", "10025"},
	{"[::ffff:192.0.2.1]:25", "", NUL, NUL, "::ffff:192.0.2.1", "25"},
	{"[::]:25", "", NUL, NUL, "::", "25"},
	{"2001:db8::1", "", "25", NUL, "2001:db8::1", "25"},
	{"::1", "", NUL, NUL, "::1", NUL},
	{":25", "", NUL, NUL, "", "25"},
	{":25", "localhost", NUL, NUL, "localhost", "25"},
	{":25", NUL, NUL, NUL, NUL, "25"},
	{"25", "", NUL, NUL, "", "25"},
	{"25", "localhost", NUL, NUL, "localhost", "25"},
	{"", "localhost", "25", NUL, "localhost", "25"},
	{"", NUL, NUL, NUL, NUL, NUL},
	{":", "h", "p", NUL, "h", "p"},
	{"localhost:0", "", NUL, NUL, "localhost", "0"},
	{"localhost:65535", "", NUL, NUL, "localhost", "65535"},
	{"a_b.example:x-y_z", "", NUL, NUL, "a_b.example", "x-y_z"},
	/* Errors. */
	{"[::1", "", NUL, "missing \"]\"", NUL, NUL},
	{"[", "", NUL, "missing \"]\"", NUL, NUL},
	{"[::1]x", "", NUL, "garbage after \"]\"", NUL, NUL},
	{"[::1]25", "", NUL, "garbage after \"]\"", NUL, NUL},
	{"[]:25", "", NUL, "invalid host name or address", NUL, NUL},
	{"[bad host]:25", "", NUL, "invalid host name or address", NUL, NUL},
	{"2001:db8::1:25:", "", NUL, "invalid host name or address", NUL, NUL},
	{"::1:x", "", NUL, "invalid host name or address", NUL, NUL},
	{"a:b:c", "", NUL, "invalid host name or address", NUL, NUL},
	{"-bad-:25", "", NUL, "invalid host name or address", NUL, NUL},
	{"25", NUL, NUL, "invalid host name or address", NUL, NUL},
	{"1.2.3:25", "", NUL, "invalid host name or address", NUL, NUL},
	{"1.2.3.4.5:25", "", NUL, "invalid host name or address", NUL, NUL},
	{"host:65536", "", NUL, "invalid port number or service name", NUL, NUL},
	{"host:025", "", NUL, "invalid port number or service name", NUL, NUL},
	{"host:-1", "", NUL, "invalid port number or service name", NUL, NUL},
	{"host:smtp!", "", NUL, "invalid port number or service name", NUL, NUL},
	{"host:25 ", "", NUL, "invalid port number or service name", NUL, NUL},
	{"host:---", "", NUL, "invalid port number or service name", NUL, NUL},
	{"[::1]:x y", "", NUL, "invalid port number or service name", NUL, NUL},
	{"host", "", "bad port", "invalid port number or service name", NUL, NUL},
	{"host:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	"", NUL, "invalid port number or service name", NUL, NUL},
    };
    size_t  n;

    (void) state;
    for (n = 0; n < ARRAY_LEN(cases); n++) {
	char   *buf = mystrdup(cases[n].input);
	const char *host = "unset";
	const char *port = "unset";
	const char *err;

	err = host_port(buf, &host, cases[n].def_host, &port, cases[n].def_port);
	if (cases[n].error) {
	    if (err == NULL || strcmp(err, cases[n].error) != 0)
		fail_msg("case %zu \"%s\": error \"%s\", expected \"%s\"", n,
			 cases[n].input, err ? err : "(none)", cases[n].error);
	} else {
	    if (err != NULL)
		fail_msg("case %zu \"%s\": unexpected error \"%s\"", n,
			 cases[n].input, err);
	    if (cases[n].host == NULL)
		assert_null(host);
	    else if (host == NULL || strcmp(host, cases[n].host) != 0)
		fail_msg("case %zu \"%s\": host \"%s\", expected \"%s\"", n,
			 cases[n].input, host ? host : "(null)", cases[n].host);
	    if (cases[n].port == NULL)
		assert_null(port);
	    else if (port == NULL || strcmp(port, cases[n].port) != 0)
		fail_msg("case %zu \"%s\": port \"%s\", expected \"%s\"", n,
			 cases[n].input, port ? port : "(null)", cases[n].port);
	}
	myfree(buf);
    }
}

/* test_brackets_visible - the caller can see that brackets were used */
static void test_brackets_visible(void **state)
{
    char    buf[] = "[mx.example]:25";
    const char *host;
    const char *port;

    (void) state;
    assert_null(host_port(buf, &host, "", &port, NULL));
    assert_int_equal(buf[0], '[');
    assert_string_equal(host, "mx.example");
    assert_ptr_equal(host, buf + 1);
}

/* test_long_input - a megabyte of junk is rejected quickly */
static void test_long_input(void **state)
{
    size_t  len = 1024 * 1024;
    char   *buf = mymalloc(len + 1);
    const char *host;
    const char *port;

    (void) state;
    memset(buf, 'a', len);
    buf[len] = 0;
    buf[len / 2] = ':';
    assert_string_equal(host_port(buf, &host, "", &port, NULL),
			"invalid host name or address");
    memset(buf, ':', len);
    buf[len] = 0;
    assert_string_equal(host_port(buf, &host, "", &port, NULL),
			"invalid host name or address");
    myfree(buf);
}

/* test_format - brackets for IPv6 only */
static void test_format(void **state)
{
    VSTRING *buf = vstring_alloc(10);

    (void) state;
    assert_string_equal(vstring_str(host_port_format(buf, "::1", "25")),
			"[::1]:25");
    assert_string_equal(vstring_str(host_port_format(buf, "192.0.2.1", "25")),
			"192.0.2.1:25");
    assert_string_equal(vstring_str(host_port_format(buf, "example.com",
						      "smtp")),
			"example.com:smtp");
    assert_string_equal(vstring_str(host_port_format(buf, "2001:db8::", NULL)),
			"[2001:db8::]");
    assert_string_equal(vstring_str(host_port_format(buf, "host", "")), "host");
    vstring_free(buf);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_host_port_table),
	cmocka_unit_test(test_brackets_visible),
	cmocka_unit_test(test_long_input),
	cmocka_unit_test(test_format),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
