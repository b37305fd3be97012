/*
 * test_host_addr_list - unit tests for host_addr_list(3)
 */
#include "sys_defs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "host_addr_list.h"
#include "test_support.h"
#include "test_child.h"

typedef struct CASE {
    const char *title;
    const char *patterns;
    const char *name;
    const char *addr;
    int     expect;
} CASE;

/* run_cases - check a table of cases */
static void run_cases(const CASE *cases, size_t count)
{
    HOST_ADDR_LIST *list;
    size_t  n;
    int     got;

    for (n = 0; n < count; n++) {
	test_capture_start();
	list = host_addr_list_create(cases[n].title, cases[n].patterns, 0);
	got = host_addr_list_match(list, cases[n].name, cases[n].addr);
	host_addr_list_free(list);
	test_capture_stop();
	if (got != cases[n].expect)
	    fail_msg("case %zu: %s=\"%s\" vs %s[%s]: got %d, want %d", n,
		     cases[n].title, cases[n].patterns,
		     cases[n].name ? cases[n].name : "(null)",
		     cases[n].addr ? cases[n].addr : "(null)",
		     got, cases[n].expect);
    }
}

/* test_networks - addresses and networks, IPv4 and IPv6 */
static void test_networks(void **state)
{
    static const CASE cases[] = {
	{"mynetworks", "127.0.0.0/8", "unknown", "127.0.0.1", 1},
	{"mynetworks", "127.0.0.0/8", "unknown", "127.1.2.3", 1},
	{"mynetworks", "127.0.0.0/8", "unknown", "128.0.0.1", 0},
	{"mynetworks", "127.0.0.0/8, [::1]/128", "x", "::1", 1},
	{"mynetworks", "[::1]/128", "x", "0:0::1", 1},
	{"mynetworks", "[2001:db8::]/32", "x", "2001:db8:1::5", 1},
	{"mynetworks", "[2001:db8::]/32", "x", "2001:db9::5", 0},
	{"mynetworks", "192.0.2.1", "x", "192.0.2.1", 1},
	{"mynetworks", "[192.0.2.1]", "x", "192.0.2.1", 1},
	{"mynetworks", "192.0.2.1", "x", "192.0.2.10", 0},
	{"mynetworks", "192.0.2.0/24", "x", "::ffff:192.0.2.7", 1},
	{"mynetworks", "!192.0.2.7 192.0.2.0/24", "x", "192.0.2.7", 0},
	{"mynetworks", "!192.0.2.7 192.0.2.0/24", "x", "192.0.2.8", 1},
	{"mynetworks", "", "x", "192.0.2.8", 0},
	{"mynetworks", "192.0.2.0/24", "x", NULL, 0},
	{"mynetworks", "192.0.2.0/24, 192.0.2.0/33", "x", "192.0.2.3", 1},
	{"mynetworks", "192.0.2.0/33, 192.0.2.0/24", "x", "192.0.2.3", -1},
	{"mynetworks", "192.0.2.1/24", "x", "192.0.2.3", -1},
    };

    (void) state;
    run_cases(cases, ARRAY_LEN(cases));
}

/* test_names - host name patterns and parent domain matching */
static void test_names(void **state)
{
    static const CASE cases[] = {
	{"mynetworks", "example.com", "example.com", "192.0.2.1", 1},
	{"mynetworks", "example.com", "EXAMPLE.com", "192.0.2.1", 1},
	{"mynetworks", "example.com", "mx.example.com", "192.0.2.1", 1},
	{"debug_peer_list", "example.com", "mx.example.com", "192.0.2.1", 1},
	{"smtpd_client_event_limit_exceptions", "example.com",
	"mx.example.com", "192.0.2.1", 0},
	{"smtpd_client_event_limit_exceptions", ".example.com",
	"mx.example.com", "192.0.2.1", 1},
	{"smtpd_client_event_limit_exceptions", ".example.com",
	"example.com", "192.0.2.1", 0},
	{"mynetworks", "example.com", "badexample.com", "192.0.2.1", 0},
	{"mynetworks", "example.com", NULL, "192.0.2.1", 0},
	{"mynetworks", "!bad.example.com, example.com", "bad.example.com",
	"192.0.2.1", 0},
    };

    (void) state;
    run_cases(cases, ARRAY_LEN(cases));
}

/* test_tables - type:table patterns: name, parents, address */
static void test_tables(void **state)
{
    static const CASE cases[] = {
	{"mynetworks", "inline:{host.example=x}", "host.example", "192.0.2.1", 1},
	{"mynetworks", "inline:{example=x}", "host.example", "192.0.2.1", 1},
	{"qmqpd_authorized_clients", "inline:{example=x}", "host.example",
	"192.0.2.1", 1},
	{"smtpd_client_event_limit_exceptions", "inline:{example=x}",
	"host.example", "192.0.2.1", 0},
	{"smtpd_client_event_limit_exceptions", "inline:{.example=x}",
	"host.example", "192.0.2.1", 1},
	{"mynetworks", "inline:{192.0.2.1=x}", "unknown", "192.0.2.1", 1},
	{"mynetworks", "cidr:{{192.0.2.0/24 x}}", "unknown", "192.0.2.9", 1},
	{"mynetworks", "cidr:{{192.0.2.0/24 x}}", "unknown", "192.0.3.9", 0},
	{"mynetworks", "fail:broken", "unknown", "192.0.2.9", -1},
	{"mynetworks", "192.0.2.9, fail:broken", "unknown", "192.0.2.9", 1},
	{"mynetworks", "!inline:{192.0.2.9=x}, 192.0.2.0/24", "unknown",
	"192.0.2.9", 0},
    };

    (void) state;
    run_cases(cases, ARRAY_LEN(cases));
}

/* test_files - /file/name patterns, missing files, nesting bound */
static void test_files(void **state)
{
    char   *dir = test_tempdir();
    char   *file = concatenate(dir, "/nets", (char *) 0);
    char   *missing = concatenate(dir, "/missing", (char *) 0);
    HOST_ADDR_LIST *list;

    (void) state;
    test_write_file(file, "# local nets\n192.0.2.0/24\n  [2001:db8::]/32"
		    " host.example\n");
    list = host_addr_list_create("mynetworks", file, 0);
    assert_int_equal(host_addr_list_match(list, "x", "192.0.2.200"), 1);
    assert_int_equal(host_addr_list_match(list, "x", "2001:db8::1"), 1);
    assert_int_equal(host_addr_list_match(list, "host.example", "10.0.0.1"), 1);
    assert_int_equal(host_addr_list_match(list, "x", "10.0.0.1"), 0);
    host_addr_list_free(list);

    test_capture_start();
    list = host_addr_list_create("mynetworks", missing, 0);
    assert_non_null(strstr(test_capture_text(), "cannot open"));
    test_capture_stop();
    assert_int_equal(host_addr_list_match(list, "x", "10.0.0.1"), -1);
    host_addr_list_free(list);

    test_write_file(file, file);
    test_capture_start();
    list = host_addr_list_create("mynetworks", file, 0);
    assert_non_null(strstr(test_capture_text(), "nested too deeply"));
    test_capture_stop();
    host_addr_list_free(list);

    myfree(file);
    myfree(missing);
    test_remove_tree(dir);
    myfree(dir);
}

/* fatal_child - a bad network with the FATAL flag */
static void fatal_child(void *context)
{
    (void) context;
    (void) host_addr_list_create("mynetworks", "192.0.2.0/99",
				 HOST_ADDR_LIST_FLAG_FATAL);
}

/* test_fatal - bad patterns are fatal on request, warnings otherwise */
static void test_fatal(void **state)
{
    HOST_ADDR_LIST *list;
    TEST_CHILD_RESULT result;

    (void) state;
    list = host_addr_list_create("mynetworks", "192.0.2.0/99", 0);
    test_capture_start();
    assert_int_equal(host_addr_list_match(list, "x", "192.0.2.1"), -1);
    assert_string_equal(test_capture_text(), "warning: mynetworks: bad mask "
			"length in \"192.0.2.0/99\"\n");
    test_capture_stop();
    host_addr_list_free(list);
    test_child_run(fatal_child, NULL, 10000, &result);
    assert_true(test_child_exited(&result, 1));
    assert_non_null(strstr(result.output, "fatal: mynetworks: bad mask length"));
    test_child_free(&result);
}

/* unbracketed_child - an IPv6 network without [] */
static void unbracketed_child(void *context)
{
    (void) host_addr_list_create("mynetworks", (const char *) context, 0);
}

/* test_ipv6_brackets - IPv6 needs [], as in Postfix (observed on 3.7) */
static void test_ipv6_brackets(void **state)
{
    static const char *const patterns[] = {"127.0.0.0/8 ::1/128", "::1"};
    TEST_CHILD_RESULT result;
    char   *want;
    size_t  n;

    (void) state;
    for (n = 0; n < ARRAY_LEN(patterns); n++) {
	test_child_run(unbracketed_child, (void *) patterns[n], 10000, &result);
	assert_true(test_child_exited(&result, 1));
	want = concatenate("fatal: open dictionary: expecting \"type:name\" "
			   "form instead of \"", strrchr(patterns[n], ' ') ?
			   strrchr(patterns[n], ' ') + 1 : patterns[n],
			   "\"", (char *) 0);
	if (strstr(result.output, want) == NULL)
	    fail_msg("%s: got \"%s\", want \"%s\"", patterns[n],
		     result.output, want);
	myfree(want);
	test_child_free(&result);
    }
}

/* main - run the tests */
int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_networks),
	cmocka_unit_test(test_names),
	cmocka_unit_test(test_tables),
	cmocka_unit_test(test_files),
	cmocka_unit_test(test_fatal),
	cmocka_unit_test(test_ipv6_brackets),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
