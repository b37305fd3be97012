/*
 * test_inet_addr_local - unit tests for inet_addr_local(3)
 *
 * DESCRIPTION
 *	The filtering and ordering rules are tested on a made-up
 *	interface list; the real list is only required to contain the
 *	IPv4 loopback address (and ::1 when the kernel has it).
 */
#include "sys_defs.h"

#include <string.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include "vstring.h"
#include "inet_proto.h"
#include "inet_net.h"
#include "inet_addr_local.h"
#include "test_support.h"

#define MAX_FAKE	8

static struct sockaddr_storage fake_addr[MAX_FAKE];
static struct sockaddr_storage fake_mask[MAX_FAKE];
static struct ifaddrs fake_ifa[MAX_FAKE];
static size_t fake_count;

/* fake_sockaddr - fill a socket address from text (NULL: none) */
static struct sockaddr *fake_sockaddr(struct sockaddr_storage *ss,
				              const char *text)
{
    memset(ss, 0, sizeof(*ss));
    if (text == NULL)
	return NULL;
    if (strcmp(text, "packet") == 0) {
	ss->ss_family = AF_PACKET;
    } else if (strchr(text, ':')) {
	ss->ss_family = AF_INET6;
	assert_int_equal(inet_pton(AF_INET6, text,
			   &((struct sockaddr_in6 *) ss)->sin6_addr), 1);
    } else {
	ss->ss_family = AF_INET;
	assert_int_equal(inet_pton(AF_INET, text,
			   &((struct sockaddr_in *) ss)->sin_addr), 1);
    }
    return (struct sockaddr *) ss;
}

/* fake_add - append one fake interface address */
static void fake_add(const char *name, const char *addr, const char *mask)
{
    struct ifaddrs *ifa = fake_ifa + fake_count;

    memset(ifa, 0, sizeof(*ifa));
    ifa->ifa_name = (char *) name;
    ifa->ifa_addr = fake_sockaddr(fake_addr + fake_count, addr);
    ifa->ifa_netmask = fake_sockaddr(fake_mask + fake_count, mask);
    if (fake_count > 0)
	fake_ifa[fake_count - 1].ifa_next = ifa;
    fake_count++;
}

/* networks - subnet-style text of the lists */
static const char *networks(const INET_ADDR_LIST *addrs,
			            const INET_ADDR_LIST *masks)
{
    static VSTRING *result;
    VSTRING *one = vstring_alloc(50);
    size_t  n;

    if (result == NULL)
	result = vstring_alloc(100);
    VSTRING_RESET(result);
    for (n = 0; n < addrs->used; n++) {
	assert_true(inet_net_from_sockaddr(one,
				    (struct sockaddr *) (addrs->addrs + n),
				    (struct sockaddr *) (masks->addrs + n),
					   INET_NET_FLAG_BRACKET_V6));
	if (n > 0)
	    VSTRING_ADDCH(result, ' ');
	vstring_strcat(result, vstring_str(one));
    }
    vstring_free(one);
    return vstring_str(result);
}

/* test_scan_fake - families, order, duplicates, missing masks */
static void test_scan_fake(void **state)
{
    static const int both[] = {AF_INET, AF_INET6, 0};
    static const int v4[] = {AF_INET, 0};
    static const int v6[] = {AF_INET6, 0};
    static const int none[] = {0};
    INET_ADDR_LIST addrs;
    INET_ADDR_LIST masks;

    (void) state;
    fake_count = 0;
    fake_add("lo", "packet", NULL);
    fake_add("lo", "127.0.0.1", "255.0.0.0");
    fake_add("eth0", "192.0.2.2", "255.255.255.0");
    fake_add("lo", "::1", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
    fake_add("eth0", "fd00::2", "ffff:ffff:ffff:ffff::");
    fake_add("eth1", NULL, NULL);
    fake_add("eth1", "192.0.2.2", "255.255.0.0");	/* duplicate address */
    fake_add("tun0", "10.8.0.1", NULL);		/* no netmask */

    inet_addr_list_init(&addrs);
    inet_addr_list_init(&masks);
    assert_int_equal(inet_addr_local_scan(fake_ifa, &addrs, &masks, both), 5);
    assert_string_equal(networks(&addrs, &masks),
			"127.0.0.0/8 192.0.2.0/24 10.8.0.1/32 [::1]/128 "
			"[fd00::]/64");
    inet_addr_list_free(&addrs);
    inet_addr_list_free(&masks);

    assert_int_equal(inet_addr_local_scan(fake_ifa, &addrs, &masks, v4), 3);
    assert_string_equal(networks(&addrs, &masks),
			"127.0.0.0/8 192.0.2.0/24 10.8.0.1/32");
    inet_addr_list_free(&addrs);
    inet_addr_list_free(&masks);

    assert_int_equal(inet_addr_local_scan(fake_ifa, &addrs, NULL, v6), 2);
    assert_int_equal(addrs.used, 2);
    inet_addr_list_free(&addrs);

    assert_int_equal(inet_addr_local_scan(fake_ifa, &addrs, &masks, none), 0);
    assert_int_equal(inet_addr_local_scan(NULL, &addrs, &masks, both), 0);
    assert_int_equal(addrs.used, 0);
}

/* test_real_interfaces - loopback is there */
static void test_real_interfaces(void **state)
{
    INET_ADDR_LIST addrs;
    INET_ADDR_LIST masks;
    struct sockaddr_in lo4;
    struct sockaddr_in6 lo6;
    int     found;
    size_t  n;

    (void) state;
    inet_addr_list_init(&addrs);
    inet_addr_list_init(&masks);
    found = inet_addr_local(&addrs, &masks, inet_proto_info()->family_list);
    assert_true(found >= 1);
    assert_int_equal(addrs.used, (size_t) found);
    assert_int_equal(masks.used, (size_t) found);
    memset(&lo4, 0, sizeof(lo4));
    lo4.sin_family = AF_INET;
    lo4.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_true(inet_addr_list_contains(&addrs, (struct sockaddr *) &lo4));
    memset(&lo6, 0, sizeof(lo6));
    lo6.sin6_family = AF_INET6;
    lo6.sin6_addr = in6addr_loopback;
    if (inet_proto_info()->mask & INET_PROTO_MASK_IPV6)
	print_message("::1 %s\n",
		      inet_addr_list_contains(&addrs, (struct sockaddr *) &lo6)
		      ? "present" : "absent (skipped)");
    /* IPv4 first, then IPv6. */
    for (n = 1; n < addrs.used; n++)
	assert_false(addrs.addrs[n - 1].ss_family == AF_INET6
		     && addrs.addrs[n].ss_family == AF_INET);
    print_message("local networks: %s\n", networks(&addrs, &masks));
    inet_addr_list_free(&addrs);
    inet_addr_list_free(&masks);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_scan_fake),
	cmocka_unit_test(test_real_interfaces),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
