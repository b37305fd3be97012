/*
 * test_inet_proto - unit tests for inet_proto(3)
 */
#include "sys_defs.h"

#include <string.h>
#include <sys/socket.h>

#include "vstring.h"
#include "inet_proto.h"
#include "test_support.h"

#define BOTH	INET_PROTO_MASK_ALL
#define V4	INET_PROTO_MASK_IPV4
#define V6	INET_PROTO_MASK_IPV6

/* test_parse_table - values, kernel masks, results, errors */
static void test_parse_table(void **state)
{
    static const struct {
	const char *value;
	int     kernel_mask;
	const char *error;		/* NULL: success */
	int     mask;
	int     ai_family;
	int     families[3];
	unsigned atypes[3];
	const char *warning;
    } cases[] = {
	{"all", BOTH, 0, BOTH, AF_UNSPEC, {AF_INET, AF_INET6, 0}, {1, 28, 0}, ""},
	{"ipv4", BOTH, 0, V4, AF_INET, {AF_INET, 0}, {1, 0}, ""},
	{"ipv6", BOTH, 0, V6, AF_INET6, {AF_INET6, 0}, {28, 0}, ""},
	{"ipv4, ipv6", BOTH, 0, BOTH, AF_UNSPEC, {AF_INET, AF_INET6, 0}, {1, 28, 0}, ""},
	{"ipv6 ipv4", BOTH, 0, BOTH, AF_UNSPEC, {AF_INET, AF_INET6, 0}, {1, 28, 0}, ""},
	{"ipv6,,ipv4", BOTH, 0, BOTH, AF_UNSPEC, {AF_INET, AF_INET6, 0}, {1, 28, 0}, ""},
	{" IPv4 ,\tIPV6 ", BOTH, 0, BOTH, AF_UNSPEC, {AF_INET, AF_INET6, 0}, {1, 28, 0}, ""},
	{"ALL", BOTH, 0, BOTH, AF_UNSPEC, {AF_INET, AF_INET6, 0}, {1, 28, 0}, ""},
	{"all, ipv4", BOTH, 0, BOTH, AF_UNSPEC, {AF_INET, AF_INET6, 0}, {1, 28, 0}, ""},
	{"ipv4 ipv4", BOTH, 0, V4, AF_INET, {AF_INET, 0}, {1, 0}, ""},
	{"", BOTH, 0, 0, AF_UNSPEC, {0}, {0}, ""},
	{"all", V4, 0, V4, AF_INET, {AF_INET, 0}, {1, 0},
	"warning: inet_protocols: disabling IPv6 name/address support: "
	"Address family not supported by protocol\n"},
	{"ipv6", V4, 0, 0, AF_UNSPEC, {0}, {0},
	"warning: inet_protocols: disabling IPv6 name/address support: "
	"Address family not supported by protocol\n"},
	{"all", V6, 0, V6, AF_INET6, {AF_INET6, 0}, {28, 0},
	"warning: inet_protocols: disabling IPv4 name/address support: "
	"Address family not supported by protocol\n"},
	{"ipv4", V6 | V4, 0, V4, AF_INET, {AF_INET, 0}, {1, 0}, ""},
	{"bogus", BOTH, "unknown inet_protocols value \"bogus\" in \"bogus\"",
	0, 0, {0}, {0}, ""},
	{"ipv4, ipv7", BOTH,
	"unknown inet_protocols value \"ipv7\" in \"ipv4, ipv7\"",
	0, 0, {0}, {0}, ""},
	{"ipv4;ipv6", BOTH,
	"unknown inet_protocols value \"ipv4;ipv6\" in \"ipv4;ipv6\"",
	0, 0, {0}, {0}, ""},
    };
    VSTRING *why = vstring_alloc(100);
    INET_PROTO_INFO info;
    size_t  n;

    (void) state;
    for (n = 0; n < ARRAY_LEN(cases); n++) {
	bool    ok;

	memset(&info, 0x55, sizeof(info));
	test_capture_start();
	ok = inet_proto_parse(&info, "inet_protocols", cases[n].value,
			      cases[n].kernel_mask, why);
	if (cases[n].error) {
	    if (ok)
		fail_msg("case %zu \"%s\": accepted", n, cases[n].value);
	    assert_string_equal(vstring_str(why), cases[n].error);
	    assert_int_equal(info.mask, 0x55555555);	/* untouched */
	} else {
	    if (!ok)
		fail_msg("case %zu \"%s\": %s", n, cases[n].value,
			 vstring_str(why));
	    assert_int_equal(info.mask, cases[n].mask);
	    assert_int_equal(info.ai_family, cases[n].ai_family);
	    assert_memory_equal(info.family_list, cases[n].families,
				sizeof(info.family_list));
	    assert_memory_equal(info.dns_atype_list, cases[n].atypes,
				sizeof(info.dns_atype_list));
	    assert_string_equal(test_capture_text(), cases[n].warning);
	}
	test_capture_stop();
    }
    vstring_free(why);
}

/* test_kernel_and_global - the probe has IPv4; the global defaults to all */
static void test_kernel_and_global(void **state)
{
    int     kernel = inet_proto_kernel_mask();
    const INET_PROTO_INFO *info;

    (void) state;
    assert_true(kernel & INET_PROTO_MASK_IPV4);
    assert_int_equal(inet_proto_kernel_mask(), kernel);	/* cached */
    test_capture_start();
    info = inet_proto_info();
    assert_int_equal(info->mask, kernel & INET_PROTO_MASK_ALL);
    assert_int_equal(info->family_list[0], AF_INET);
    info = inet_proto_init("inet_protocols", "ipv4");
    assert_ptr_equal(info, inet_proto_info());
    assert_int_equal(info->ai_family, AF_INET);
    assert_int_equal(info->family_list[1], 0);
    test_capture_stop();
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_parse_table),
	cmocka_unit_test(test_kernel_and_global),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
