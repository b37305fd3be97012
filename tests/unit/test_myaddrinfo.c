/*
 * test_myaddrinfo - unit tests for myaddrinfo(3)
 *
 * DESCRIPTION
 *	Only numeric addresses and the wildcard are looked up, plus
 *	"localhost" where the host has it; nothing depends on DNS.
 */
#include "sys_defs.h"

#include <string.h>

#include "inet_proto.h"
#include "myaddrinfo.h"
#include "test_support.h"

static bool have_ipv6;

/* setup - find out whether this kernel has IPv6 */
static int setup(void **state)
{
    (void) state;
    have_ipv6 = (inet_proto_kernel_mask() & INET_PROTO_MASK_IPV6) != 0;
    return 0;
}

/* format_first - numeric text of the first result */
static void format_first(const struct addrinfo *res, const char *want_addr,
			         const char *want_port)
{
    MAI_HOSTADDR_STR addr;
    MAI_SERVPORT_STR port;

    assert_non_null(res);
    assert_int_equal(sockaddr_to_hostaddr(res->ai_addr, res->ai_addrlen,
					  &addr, &port, 0), 0);
    assert_string_equal(addr.buf, want_addr);
    assert_string_equal(port.buf, want_port);
}

/* test_hostaddr_to_sockaddr - numeric only */
static void test_hostaddr_to_sockaddr(void **state)
{
    struct addrinfo *res;

    (void) state;
    assert_int_equal(hostaddr_to_sockaddr("192.0.2.1", "25", SOCK_STREAM,
					  &res), 0);
    assert_int_equal(res->ai_family, AF_INET);
    assert_int_equal(res->ai_socktype, SOCK_STREAM);
    assert_null(res->ai_next);
    format_first(res, "192.0.2.1", "25");
    freeaddrinfo(res);

    assert_int_equal(hostaddr_to_sockaddr("127.0.0.1", NULL, SOCK_DGRAM,
					  &res), 0);
    format_first(res, "127.0.0.1", "0");
    freeaddrinfo(res);

    /* Things that getaddrinfo() would accept, but we do not. */
    res = (struct addrinfo *) 1;
    assert_int_equal(hostaddr_to_sockaddr("1.2.3", "25", SOCK_STREAM, &res),
		     EAI_NONAME);
    assert_null(res);
    assert_int_equal(hostaddr_to_sockaddr("010.0.0.1", "25", SOCK_STREAM, &res),
		     EAI_NONAME);
    assert_int_equal(hostaddr_to_sockaddr("localhost", "25", SOCK_STREAM, &res),
		     EAI_NONAME);
    assert_int_equal(hostaddr_to_sockaddr("127.0.0.1", "smtp", SOCK_STREAM,
					  &res), EAI_SERVICE);
    assert_int_equal(hostaddr_to_sockaddr("127.0.0.1", "70000", SOCK_STREAM,
					  &res), EAI_SERVICE);
    assert_null(res);

    if (have_ipv6) {
	assert_int_equal(hostaddr_to_sockaddr("2001:DB8:0::1", "587",
					      SOCK_STREAM, &res), 0);
	assert_int_equal(res->ai_family, AF_INET6);
	format_first(res, "2001:db8::1", "587");
	freeaddrinfo(res);
	assert_int_equal(hostaddr_to_sockaddr("::ffff:192.0.2.1", "25",
					      SOCK_STREAM, &res), 0);
	format_first(res, "::ffff:192.0.2.1", "25");
	freeaddrinfo(res);
    }
}

/* test_hostname_to_sockaddr - wildcard, numeric, localhost, families */
static void test_hostname_to_sockaddr(void **state)
{
    struct addrinfo *res;
    struct addrinfo *ai;
    int     count;

    (void) state;
    /* Wildcard, IPv4 only. */
    assert_int_equal(hostname_to_sockaddr_pf(NULL, AF_INET, "2525",
					     SOCK_STREAM, &res), 0);
    format_first(res, "0.0.0.0", "2525");
    assert_null(res->ai_next);
    freeaddrinfo(res);

    /* Wildcard, both families: one of each, nothing else. */
    assert_int_equal(hostname_to_sockaddr_pf(NULL, AF_UNSPEC, "25",
					     SOCK_STREAM, &res), 0);
    for (count = 0, ai = res; ai; ai = ai->ai_next, count++)
	assert_true(ai->ai_family == AF_INET || ai->ai_family == AF_INET6);
    assert_true(count >= 1 && count <= 2);
    freeaddrinfo(res);

    /* Numeric host through the name interface. */
    assert_int_equal(hostname_to_sockaddr_pf("127.0.0.1", AF_UNSPEC, "25",
					     SOCK_STREAM, &res), 0);
    format_first(res, "127.0.0.1", "25");
    freeaddrinfo(res);

    /* Family mismatch and bad family. */
    assert_int_not_equal(hostname_to_sockaddr_pf("127.0.0.1", AF_INET6, "25",
						 SOCK_STREAM, &res), 0);
    assert_null(res);
    assert_int_equal(hostname_to_sockaddr_pf("127.0.0.1", AF_UNIX, "25",
					     SOCK_STREAM, &res), EAI_FAMILY);
    assert_null(res);

    /* Service names come from the services database. */
    if (hostname_to_sockaddr_pf("127.0.0.1", AF_INET, "smtp", SOCK_STREAM,
				&res) == 0) {
	format_first(res, "127.0.0.1", "25");
	freeaddrinfo(res);
    }

    /* The inet_proto selection applies to hostname_to_sockaddr(). */
    test_capture_start();
    inet_proto_init("inet_protocols", "ipv4");
    assert_int_equal(hostname_to_sockaddr(NULL, "25", SOCK_STREAM, &res), 0);
    format_first(res, "0.0.0.0", "25");
    assert_null(res->ai_next);
    freeaddrinfo(res);
    assert_int_not_equal(hostname_to_sockaddr("::1", "25", SOCK_STREAM, &res),
			 0);
    inet_proto_init("inet_protocols", "");
    assert_int_equal(hostname_to_sockaddr("127.0.0.1", "25", SOCK_STREAM,
					  &res), EAI_FAMILY);
    inet_proto_init("inet_protocols", "all");
    test_capture_stop();
}

/* test_sockaddr_to_hostaddr - formatting and bad input */
static void test_sockaddr_to_hostaddr(void **state)
{
    struct sockaddr_in6 sin6;
    struct sockaddr_in sin;
    MAI_HOSTADDR_STR addr;
    MAI_SERVPORT_STR port;

    (void) state;
    memset(&sin6, 0, sizeof(sin6));
    sin6.sin6_family = AF_INET6;
    sin6.sin6_port = htons(65535);
    assert_int_equal(inet_pton(AF_INET6, "fe80::fc:ff:fe00:1",
			       &sin6.sin6_addr), 1);
    sin6.sin6_scope_id = 2;
    assert_int_equal(sockaddr_to_hostaddr((struct sockaddr *) &sin6,
					  sizeof(sin6), &addr, &port, 0), 0);
    assert_string_equal(addr.buf, "fe80::fc:ff:fe00:1");	/* no zone */
    assert_string_equal(port.buf, "65535");

    /* Long IPv6 text fits. */
    assert_int_equal(inet_pton(AF_INET6, "ffff:ffff:ffff:ffff:ffff:ffff:"
			       "255.255.255.255", &sin6.sin6_addr), 1);
    assert_int_equal(sockaddr_to_hostaddr((struct sockaddr *) &sin6,
					  sizeof(sin6), &addr, NULL, 0), 0);
    assert_string_equal(addr.buf, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");

    assert_int_equal(sockaddr_to_hostaddr((struct sockaddr *) &sin6,
					  sizeof(sin6) - 1, &addr, &port, 0),
		     EAI_FAIL);
    memset(&sin, 0, sizeof(sin));
    sin.sin_family = AF_UNIX;
    assert_int_equal(sockaddr_to_hostaddr((struct sockaddr *) &sin,
					  sizeof(sin), &addr, &port, 0),
		     EAI_FAMILY);
    assert_string_equal(MAI_STRERROR(EAI_FAMILY), gai_strerror(EAI_FAMILY));
    errno = ENOENT;
    assert_string_equal(MAI_STRERROR(EAI_SYSTEM), strerror(ENOENT));
}

/* test_unmap - IPv4-mapped to IPv4 */
static void test_unmap(void **state)
{
    struct sockaddr_in6 sin6;
    struct sockaddr_in sin;
    MAI_HOSTADDR_STR addr;
    MAI_SERVPORT_STR port;

    (void) state;
    memset(&sin6, 0, sizeof(sin6));
    sin6.sin6_family = AF_INET6;
    sin6.sin6_port = htons(25);
    assert_int_equal(inet_pton(AF_INET6, "::ffff:192.0.2.9", &sin6.sin6_addr),
		     1);
    assert_true(sockaddr_unmap_v4((struct sockaddr *) &sin6, &sin));
    assert_int_equal(sockaddr_to_hostaddr((struct sockaddr *) &sin,
					  sizeof(sin), &addr, &port, 0), 0);
    assert_string_equal(addr.buf, "192.0.2.9");
    assert_string_equal(port.buf, "25");
    assert_int_equal(inet_pton(AF_INET6, "::192.0.2.9", &sin6.sin6_addr), 1);
    assert_false(sockaddr_unmap_v4((struct sockaddr *) &sin6, &sin));
    assert_false(sockaddr_unmap_v4((struct sockaddr *) &sin, &sin));
    assert_int_equal(sockaddr_len((struct sockaddr *) &sin), sizeof(sin));
    assert_int_equal(sockaddr_len((struct sockaddr *) &sin6), sizeof(sin6));
}

/* test_sockaddr_to_hostname - loopback has a name in /etc/hosts */
static void test_sockaddr_to_hostname(void **state)
{
    struct sockaddr_in sin;
    MAI_HOSTNAME_STR name;
    int     status;

    (void) state;
    memset(&sin, 0, sizeof(sin));
    sin.sin_family = AF_INET;
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    status = sockaddr_to_hostname((struct sockaddr *) &sin, sizeof(sin),
				  &name, NULL, SOCK_STREAM);
    if (status == 0)
	assert_true(strlen(name.buf) > 0);
    sin.sin_family = AF_UNIX;
    assert_int_equal(sockaddr_to_hostname((struct sockaddr *) &sin, sizeof(sin),
					  &name, NULL, 0), EAI_FAMILY);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_hostaddr_to_sockaddr),
	cmocka_unit_test(test_hostname_to_sockaddr),
	cmocka_unit_test(test_sockaddr_to_hostaddr),
	cmocka_unit_test(test_unmap),
	cmocka_unit_test(test_sockaddr_to_hostname),
    };

    return cmocka_run_group_tests(tests, setup, NULL);
}
