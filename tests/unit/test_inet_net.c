/*
 * test_inet_net - unit tests for inet_net(3)
 */
#include "sys_defs.h"

#include <string.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include "vstring.h"
#include "inet_net.h"
#include "test_support.h"

/* make_sockaddr - socket address from text */
static void make_sockaddr(struct sockaddr_storage *ss, const char *text)
{
    memset(ss, 0, sizeof(*ss));
    if (strchr(text, ':')) {
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *) ss;

	sin6->sin6_family = AF_INET6;
	assert_int_equal(inet_pton(AF_INET6, text, &sin6->sin6_addr), 1);
    } else {
	struct sockaddr_in *sin = (struct sockaddr_in *) ss;

	sin->sin_family = AF_INET;
	assert_int_equal(inet_pton(AF_INET, text, &sin->sin_addr), 1);
    }
}

/* test_mask - clearing host bits */
static void test_mask(void **state)
{
    unsigned char bytes[4];

    (void) state;
    memset(bytes, 0xff, 4);
    inet_net_mask(bytes, 4, 20);
    assert_int_equal(bytes[0], 0xff);
    assert_int_equal(bytes[1], 0xff);
    assert_int_equal(bytes[2], 0xf0);
    assert_int_equal(bytes[3], 0x00);
    memset(bytes, 0xff, 4);
    inet_net_mask(bytes, 4, 0);
    assert_int_equal(bytes[0] | bytes[1] | bytes[2] | bytes[3], 0);
    memset(bytes, 0xab, 4);
    inet_net_mask(bytes, 4, 32);
    assert_int_equal(bytes[3], 0xab);
}

/* test_prefix_len - netmask to length */
static void test_prefix_len(void **state)
{
    static const struct {
	unsigned char mask[4];
	int     len;
    } cases[] = {
	{{255, 255, 255, 255}, 32},
	{{255, 255, 255, 0}, 24},
	{{255, 0, 0, 0}, 8},
	{{255, 255, 254, 0}, 23},
	{{0, 0, 0, 0}, 0},
	{{128, 0, 0, 0}, 1},
	{{255, 0, 255, 0}, -1},
	{{0, 0, 0, 1}, -1},
	{{254, 255, 0, 0}, -1},
    };
    size_t  n;

    (void) state;
    for (n = 0; n < ARRAY_LEN(cases); n++)
	assert_int_equal(inet_net_prefix_len(cases[n].mask, 4), cases[n].len);
}

/* test_styles - host, subnet and class text like postconf -d */
static void test_styles(void **state)
{
    static const struct {
	const char *addr;
	const char *mask;
	const char *subnet;
	const char *host;
	const char *class;
    } cases[] = {
	{"127.0.0.1", "255.0.0.0", "127.0.0.0/8", "127.0.0.1/32", "127.0.0.0/8"},
	{"192.0.2.2", "255.255.255.0", "192.0.2.0/24", "192.0.2.2/32",
	"192.0.2.0/24"},
	{"10.1.2.3", "255.255.255.0", "10.1.2.0/24", "10.1.2.3/32", "10.0.0.0/8"},
	{"172.16.5.4", "255.255.255.252", "172.16.5.4/30", "172.16.5.4/32",
	"172.16.0.0/16"},
	{"198.51.100.7", "255.255.0.0", "198.51.0.0/16", "198.51.100.7/32",
	"198.51.100.0/24"},
	{"224.0.0.251", "255.255.255.255", "224.0.0.251/32", "224.0.0.251/32",
	"224.0.0.0/4"},
	{"240.1.2.3", "255.255.255.0", "240.1.2.0/24", "240.1.2.3/32",
	"240.1.2.0/24"},
	{"::1", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "[::1]/128",
	"[::1]/128", "[::1]/128"},
	{"fd00::2", "ffff:ffff:ffff:ffff::", "[fd00::]/64", "[fd00::2]/128",
	"[fd00::]/64"},
	{"fe80::fc:ff:fe00:1", "ffff:ffff:ffff:ffff::", "[fe80::]/64",
	"[fe80::fc:ff:fe00:1]/128", "[fe80::]/64"},
	{"2001:db8:1:2::5", "ffff:ffff:ffff::", "[2001:db8:1::]/48",
	"[2001:db8:1:2::5]/128", "[2001:db8:1::]/48"},
    };
    struct sockaddr_storage addr;
    struct sockaddr_storage mask;
    VSTRING *buf = vstring_alloc(10);
    size_t  n;

    (void) state;
    for (n = 0; n < ARRAY_LEN(cases); n++) {
	make_sockaddr(&addr, cases[n].addr);
	make_sockaddr(&mask, cases[n].mask);
	assert_true(inet_net_from_sockaddr(buf, (struct sockaddr *) &addr,
					   (struct sockaddr *) &mask,
					   INET_NET_FLAG_BRACKET_V6));
	assert_string_equal(vstring_str(buf), cases[n].subnet);
	assert_true(inet_net_host_from_sockaddr(buf, (struct sockaddr *) &addr,
						INET_NET_FLAG_BRACKET_V6));
	assert_string_equal(vstring_str(buf), cases[n].host);
	assert_true(inet_net_class_from_sockaddr(buf, (struct sockaddr *) &addr,
						 (struct sockaddr *) &mask,
						 INET_NET_FLAG_BRACKET_V6));
	assert_string_equal(vstring_str(buf), cases[n].class);
    }

    /* Without brackets; bad masks; mixed families. */
    make_sockaddr(&addr, "2001:db8::1");
    make_sockaddr(&mask, "ffff:ffff::");
    assert_true(inet_net_from_sockaddr(buf, (struct sockaddr *) &addr,
				       (struct sockaddr *) &mask,
				       INET_NET_FLAG_NONE));
    assert_string_equal(vstring_str(buf), "2001:db8::/32");
    vstring_strcpy(buf, "unchanged");
    make_sockaddr(&mask, "ffff:0:ffff::");
    assert_false(inet_net_from_sockaddr(buf, (struct sockaddr *) &addr,
					(struct sockaddr *) &mask, 0));
    make_sockaddr(&mask, "255.255.255.0");
    assert_false(inet_net_from_sockaddr(buf, (struct sockaddr *) &addr,
					(struct sockaddr *) &mask, 0));
    assert_false(inet_net_class_from_sockaddr(buf, (struct sockaddr *) &addr,
					      (struct sockaddr *) &mask, 0));
    addr.ss_family = AF_UNIX;
    assert_false(inet_net_host_from_sockaddr(buf, (struct sockaddr *) &addr, 0));
    assert_int_equal(inet_net_class_prefix((struct sockaddr *) &addr), -1);
    assert_string_equal(vstring_str(buf), "unchanged");
    vstring_free(buf);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_mask),
	cmocka_unit_test(test_prefix_len),
	cmocka_unit_test(test_styles),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
