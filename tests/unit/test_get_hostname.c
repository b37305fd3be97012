/*
 * test_get_hostname - unit tests for get_hostname(3)
 */
#include "sys_defs.h"

#include <errno.h>
#include <sched.h>
#include <string.h>
#include <unistd.h>

#include "msg.h"
#include "vstring.h"
#include "get_hostname.h"
#include "test_support.h"
#include "test_child.h"

/* test_valid - host name syntax */
static void test_valid(void **state)
{
    static const struct {
	const char *name;
	bool    valid;
    } cases[] = {
	{"vm", true},
	{"mail.example.com", true},
	{"MX-1.Example.COM", true},
	{"a_b.example", true},
	{"0.example", true},
	{"123", true},
	{"", false},
	{".", false},
	{".example.com", false},
	{"example.com.", false},
	{"a..b", false},
	{"-a.example", false},
	{"a-.example", false},
	{"a.-b", false},
	{"a.b-", false},
	{"a b", false},
	{"a\tb", false},
	{"a/b", false},
	{"caf\xc3\xa9", false},
	{"a!", false},
	/* 63 is the longest label. */
	{"123456789012345678901234567890123456789012345678901234567890123", true},
	{"1234567890123456789012345678901234567890123456789012345678901234", false},
    };
    char    name[300];
    size_t  n;

    (void) state;
    for (n = 0; n < ARRAY_LEN(cases); n++)
	if (get_hostname_valid(cases[n].name) != cases[n].valid)
	    fail_msg("get_hostname_valid(\"%s\") != %d", cases[n].name,
		     cases[n].valid);

    /* 255 bytes in total at most: 127 labels "a." plus "a". */
    name[0] = 0;
    for (n = 0; n < 127; n++)
	strcat(name, "a.");
    strcat(name, "a");
    assert_int_equal(strlen(name), 255);
    assert_true(get_hostname_valid(name));
    strcat(name, "b");
    assert_false(get_hostname_valid(name));
}

/* test_domain - the part after the first dot */
static void test_domain(void **state)
{
    (void) state;
    assert_string_equal(get_hostname_domain("mail.example.com"), "example.com");
    assert_string_equal(get_hostname_domain("a.b"), "b");
    assert_null(get_hostname_domain("localhost"));
    assert_null(get_hostname_domain("a."));
    assert_null(get_hostname_domain(""));
}

/* test_system - the system's name, cached */
static void test_system(void **state)
{
    char    buf[300];
    VSTRING *name;
    VSTRING *why;
    const char *cached;

    (void) state;
    assert_int_equal(gethostname(buf, sizeof(buf)), 0);
    if (!get_hostname_valid(buf))
	skip();					/* odd host: see test_bad */
    name = vstring_alloc(10);
    why = vstring_alloc(10);
    assert_true(get_hostname_try(name, why));
    assert_string_equal(vstring_str(name), buf);
    cached = get_hostname();
    assert_string_equal(cached, buf);
    assert_ptr_equal(get_hostname(), cached);
    vstring_free(name);
    vstring_free(why);
}

/* bad_child - a bad system host name, in a private UTS namespace */
static void bad_child(void *context)
{
    static const char bad[] = "bad host\x01";
    VSTRING *name = vstring_alloc(10);
    VSTRING *why = vstring_alloc(10);

    (void) context;
    if (unshare(CLONE_NEWUTS) < 0 || sethostname(bad, sizeof(bad) - 1) < 0)
	_exit(77);
    if (get_hostname_try(name, why))
	msg_fatal("bad name accepted");
    msg_info("%s", vstring_str(why));
    if (sethostname("", 0) < 0)
	_exit(77);
    if (get_hostname_try(name, why))
	msg_fatal("empty name accepted");
    msg_info("%s", vstring_str(why));
    (void) get_hostname();
}

/* test_bad - invalid system names (needs root for a UTS namespace) */
static void test_bad(void **state)
{
    TEST_CHILD_RESULT result;

    (void) state;
    test_child_run(bad_child, NULL, 10000, &result);
    if (test_child_exited(&result, 77)) {
	test_child_free(&result);
	skip();
    }
    assert_string_equal(result.output,
			"bad host name syntax: bad host?\n"
			"empty host name\n"
			"fatal: unable to get my own host name: empty host name\n");
    assert_true(test_child_exited(&result, 1));
    test_child_free(&result);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_valid),
	cmocka_unit_test(test_domain),
	/* Before test_system, which fills the cache that children inherit. */
	cmocka_unit_test(test_bad),
	cmocka_unit_test(test_system),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
