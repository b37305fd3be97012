/*
 * test_table_search - unit tests for table_search(3) and split_addr(3)
 *
 * DESCRIPTION
 *	The expected sequences are the "TABLE SEARCH ORDER" and "ADDRESS
 *	EXTENSION" sections of access(5), canonical(5), virtual(5) and
 *	transport(5). Keys marked "*" go to every table, the others to
 *	fixed-string tables only.
 */
#include "sys_defs.h"

#include <string.h>

#include "mymalloc.h"
#include "vstring.h"
#include "dict.h"
#include "maps.h"
#include "split_addr.h"
#include "table_search.h"
#include "test_dict_support.h"

/* keys_text - "key*|key|..." for comparison */
static const char *keys_text(const TABLE_SEARCH *ts, VSTRING *buf)
{
    size_t  n;

    VSTRING_RESET(buf);
    for (n = 0; n < ts->count; n++)
	vstring_sprintf_append(buf, "%s%s%s", n ? "|" : "", ts->keys[n].key,
			   ts->keys[n].flags == TABLE_SEARCH_FULL ? "*" : "");
    VSTRING_TERMINATE(buf);
    return vstring_str(buf);
}

/* test_access_address - access(5) EMAIL ADDRESS PATTERNS */
static void test_access_address(void **state)
{
    static const struct {
	const char *address;
	const char *delim;
	bool    parent;
	const char *keys;
    } cases[] = {
	{"user@sub.example.com", "", false,
	"user@sub.example.com*|sub.example.com|.example.com|.com|user@"},
	{"user@sub.example.com", "", true,
	"user@sub.example.com*|sub.example.com|example.com|com|user@"},
	/* EMAIL ADDRESS EXTENSION */
	{"user+foo@example.com", "+", false,
	"user+foo@example.com*|user@example.com|example.com|.com|user+foo@|user@"},
	{"user+foo@example.com", "", false,
	"user+foo@example.com*|example.com|.com|user+foo@"},
	{"user-foo@example.com", "+-", true,
	"user-foo@example.com*|user@example.com|example.com|com|user-foo@|user@"},
	{"owner-list@example.com", "-", true,
	"owner-list@example.com*|example.com|com|owner-list@"},
	{"postmaster+x@example.com", "+", true,
	"postmaster+x@example.com*|postmaster@example.com|example.com|com|"
	"postmaster+x@|postmaster@"},
	{"mailer-daemon@example.com", "-", true,
	"mailer-daemon@example.com*|example.com|com|mailer-daemon@"},
	{"user@[1.2.3.4]", "", false, "user@[1.2.3.4]*|[1.2.3.4]|user@"},
	{"user@example.com.", "", false,
	"user@example.com.*|example.com.|.com.|.|user@"},
	{"<>", "", false, "<>*"},
    };
    TABLE_SEARCH *ts = table_search_create();
    VSTRING *buf = vstring_alloc(100);
    size_t  n;

    (void) state;
    for (n = 0; n < ARRAY_LEN(cases); n++) {
	table_search_access_address(ts, cases[n].address, cases[n].delim,
				    cases[n].parent);
	assert_string_equal(keys_text(ts, buf), cases[n].keys);
    }
    table_search_free(ts);
    vstring_free(buf);
}

/* test_access_host_ip - access(5) HOST NAME/ADDRESS PATTERNS */
static void test_access_host_ip(void **state)
{
    TABLE_SEARCH *ts = table_search_create();
    VSTRING *buf = vstring_alloc(100);

    (void) state;
    table_search_access_host(ts, "mail.sub.example.com", false);
    assert_string_equal(keys_text(ts, buf),
		   "mail.sub.example.com*|.sub.example.com|.example.com|.com");
    table_search_access_host(ts, "mail.sub.example.com", true);
    assert_string_equal(keys_text(ts, buf),
		       "mail.sub.example.com*|sub.example.com|example.com|com");
    table_search_access_host(ts, "localhost", true);
    assert_string_equal(keys_text(ts, buf), "localhost*");
    table_search_access_ip(ts, "1.2.3.4");
    assert_string_equal(keys_text(ts, buf), "1.2.3.4*|1.2.3|1.2|1");
    table_search_access_ip(ts, "2001:db8::1");
    assert_string_equal(keys_text(ts, buf),
			"2001:db8::1*|2001:db8:|2001:db8|2001");
    table_search_access_ip(ts, "2001:db8:1:2:3:4:5:6");
    assert_string_equal(keys_text(ts, buf), "2001:db8:1:2:3:4:5:6*|"
			"2001:db8:1:2:3:4:5|2001:db8:1:2:3:4|2001:db8:1:2:3|"
			"2001:db8:1:2|2001:db8:1|2001:db8|2001");
    table_search_access_ip(ts, "::1");
    assert_string_equal(keys_text(ts, buf), "::1*|:");
    table_search_free(ts);
    vstring_free(buf);
}

/* test_rewrite_transport - canonical(5), virtual(5), transport(5) */
static void test_rewrite_transport(void **state)
{
    TABLE_SEARCH *ts = table_search_create();
    VSTRING *buf = vstring_alloc(100);

    (void) state;
    /* canonical(5)/virtual(5) ADDRESS EXTENSION */
    table_search_rewrite_address(ts, "user+foo@example.com", "+", true);
    assert_string_equal(keys_text(ts, buf),
		"user+foo@example.com*|user@example.com|user+foo|user|@example.com");
    table_search_rewrite_address(ts, "user+foo@example.com", "+", false);
    assert_string_equal(keys_text(ts, buf),
			"user+foo@example.com*|user@example.com|@example.com");
    table_search_rewrite_address(ts, "user@example.com", "+", true);
    assert_string_equal(keys_text(ts, buf),
			"user@example.com*|user|@example.com");
    table_search_rewrite_address(ts, "user+foo", "+", true);
    assert_string_equal(keys_text(ts, buf), "user+foo*|user");

    /* transport(5) TABLE SEARCH ORDER */
    table_search_transport(ts, "user+ext@sub.example.com", "+", false);
    assert_string_equal(keys_text(ts, buf),
			"user+ext@sub.example.com*|user@sub.example.com|"
			"sub.example.com|.example.com|.com|**");
    table_search_transport(ts, "user@sub.example.com", "+", true);
    assert_string_equal(keys_text(ts, buf),
			"user@sub.example.com*|sub.example.com|example.com|com|**");
    table_search_free(ts);
    vstring_free(buf);
}

/* test_parent_match - parent_domain_matches_subdomains lists */
static void test_parent_match(void **state)
{
    static const char pdms[] = "debug_peer_list,fast_flush_domains, mynetworks "
    "smtpd_access_maps";

    (void) state;
    assert_true(table_search_parent_match(pdms, "smtpd_access_maps"));
    assert_true(table_search_parent_match(pdms, "MYNETWORKS"));
    assert_false(table_search_parent_match(pdms, "transport_maps"));
    assert_false(table_search_parent_match("", "transport_maps"));
}

/* test_find - each key goes to every table before the next key */
static void test_find(void **state)
{
    TABLE_SEARCH *ts = table_search_create();
    MAPS   *maps;
    size_t  which;

    (void) state;
    maps = maps_create("test", "inline:{example.com=DOMAIN}, "
		       "regexp:{{/^user@/ REGEXP}}, inline:{user@=USER}", 0);
    table_search_access_address(ts, "user@example.com", "", false);
    assert_string_equal(table_search_find(ts, maps, &which), "REGEXP");
    assert_int_equal(which, 0);
    table_search_access_address(ts, "other@example.com", "", false);
    assert_string_equal(table_search_find(ts, maps, &which), "DOMAIN");
    assert_int_equal(which, 1);
    /* The regexp table never sees partial keys such as "user@". */
    table_search_access_address(ts, "user@elsewhere.org", "", false);
    maps_free(maps);
    maps = maps_create("test", "regexp:{{/^user@$/ REGEXP}}, inline:{user@=USER}", 0);
    assert_string_equal(table_search_find(ts, maps, &which), "USER");
    assert_int_equal(which, 3);
    maps_free(maps);
    /* A failing table stops the search. */
    maps = maps_create("test", "fail:x, inline:{user@=USER}", 0);
    test_capture_start();
    assert_null(table_search_find(ts, maps, NULL));
    assert_int_equal(maps->error, DICT_ERR_RETRY);
    assert_string_equal(test_capture_text(),
			"warning: fail:x lookup error for \"user@elsewhere.org\"\n");
    test_capture_stop();
    maps_free(maps);
    table_search_free(ts);
}

/* test_split_addr - recipient_delimiter handling */
static void test_split_addr(void **state)
{
    static const struct {
	const char *localpart;
	const char *delim;
	const char *base;
	const char *ext;		/* NULL: not split */
    } cases[] = {
	{"user+foo", "+", "user", "foo"},
	{"user+foo+bar", "+", "user", "foo+bar"},
	{"user-foo+bar", "+-", "user", "foo+bar"},
	{"user+", "+", "user", ""},
	{"+foo", "+", "+foo", 0},
	{"user", "+", "user", 0},
	{"user+foo", "", "user+foo", 0},
	{"Postmaster+x", "+", "Postmaster", "x"},
	{"Postmaster", "+-", "Postmaster", 0},
	{"mailer-daemon", "-", "mailer-daemon", 0},
	{"double-bounce", "-", "double-bounce", 0},
	{"owner-list", "-", "owner-list", 0},
	{"list-request", "-", "list-request", 0},
	{"owner+list", "+", "owner", "list"},
    };
    size_t  n;
    char   *copy;
    char   *ext;
    char   *stripped;

    (void) state;
    for (n = 0; n < ARRAY_LEN(cases); n++) {
	copy = mystrdup(cases[n].localpart);
	ext = split_addr(copy, cases[n].delim);
	assert_string_equal(copy, cases[n].base);
	if (cases[n].ext)
	    assert_string_equal(ext, cases[n].ext);
	else
	    assert_null(ext);
	myfree(copy);
    }
    stripped = strip_addr("user+foo@example.com", "+");
    assert_string_equal(stripped, "user@example.com");
    myfree(stripped);
    assert_null(strip_addr("user@example+com", "+"));
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_access_address),
	cmocka_unit_test(test_access_host_ip),
	cmocka_unit_test(test_rewrite_transport),
	cmocka_unit_test(test_parent_match),
	cmocka_unit_test(test_find),
	cmocka_unit_test(test_split_addr),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
