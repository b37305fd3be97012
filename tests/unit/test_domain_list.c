/*
 * test_domain_list - unit tests for domain_list(3)
 */
#include "sys_defs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "domain_list.h"
#include "test_support.h"

typedef struct CASE {
    const char *patterns;
    bool    parent_match;
    const char *domain;
    int     expect;
} CASE;

#define M	DOMAIN_LIST_MATCH
#define N	DOMAIN_LIST_NOMATCH
#define E	DOMAIN_LIST_ERROR

/* run_cases - check a table */
static void run_cases(const CASE *cases, size_t count)
{
    DOMAIN_LIST *list;
    size_t  n;
    int     got;

    for (n = 0; n < count; n++) {
	test_capture_start();
	list = domain_list_create("test_list", cases[n].patterns,
				  cases[n].parent_match);
	got = domain_list_match(list, cases[n].domain);
	domain_list_free(list);
	test_capture_stop();
	if (got != cases[n].expect)
	    fail_msg("case %zu: \"%s\"%s vs %s: got %d, want %d", n,
		     cases[n].patterns, cases[n].parent_match ? " (parent)" : "",
		     cases[n].domain, got, cases[n].expect);
    }
}

/* test_names - plain names, subdomain patterns, case, negation */
static void test_names(void **state)
{
    static const CASE cases[] = {
	{"example.com", false, "example.com", M},
	{"example.com", false, "EXAMPLE.Com", M},
	{"Example.COM", false, "example.com", M},
	{"example.com", false, "sub.example.com", N},
	{"example.com", true, "sub.example.com", M},
	{"example.com", true, "a.b.example.com", M},
	{"example.com", true, "badexample.com", N},
	{"example.com", true, "example.com.evil", N},
	{".example.com", false, "sub.example.com", M},
	{".example.com", false, "example.com", N},
	{".example.com", true, "example.com", N},
	{"a.example, b.example c.example", false, "c.example", M},
	{"a.example,,b.example", false, "b.example", M},
	{"", false, "example.com", N},
	{"example.com", false, "", N},
	{"!sub.example.com, .example.com", false, "sub.example.com", N},
	{"!sub.example.com, .example.com", false, "x.example.com", M},
	{"!!example.com", false, "example.com", M},
	{"[192.0.2.1]", false, "[192.0.2.1]", M},
	{"localhost", false, "localhost", M},
	{"$myhostname", false, "host", N},
    };

    (void) state;
    run_cases(cases, ARRAY_LEN(cases));
}

/* test_tables - type:table patterns, parent domains, errors */
static void test_tables(void **state)
{
    static const CASE cases[] = {
	{"inline:{example.com=x}", false, "example.com", M},
	{"inline:{example.com=x}", false, "Example.COM", M},
	{"inline:{example.com=x}", false, "sub.example.com", N},
	{"inline:{example.com=x}", true, "sub.example.com", M},
	{"inline:{.example.com=x}", false, "sub.example.com", M},
	{"inline:{.example.com=x}", false, "a.sub.example.com", M},
	{"inline:{.example.com=x}", true, "sub.example.com", N},
	{"inline:{other.example=x}", false, "example.com", N},
	{"inline:{a.example=x}, b.example", false, "b.example", M},
	{"inline:{a.example=x}, b.example", false, "a.example", M},
	{"!inline:{a.example=x}, .example", false, "a.example", N},
	{"fail:broken", false, "example.com", E},
	{"example.com, fail:broken", false, "example.com", M},
	{"fail:broken, example.com", false, "example.com", E},
	{"inline:{[192.0.2.1]=x}", false, "[192.0.2.1]", M},
	{"regexp:{{/^mx[0-9]\\.example$/ x}}", false, "mx1.example", M},
	{"regexp:{{/^mx[0-9]\\.example$/ x}}", false, "sub.mx1.example", N},
    };

    (void) state;
    run_cases(cases, ARRAY_LEN(cases));
}

/* test_files - /file/name patterns */
static void test_files(void **state)
{
    char   *dir = test_tempdir();
    char   *file = concatenate(dir, "/domains", (char *) 0);
    char   *nested = concatenate(dir, "/nested", (char *) 0);
    char   *patterns;
    char   *missing = concatenate(dir, "/missing", (char *) 0);
    DOMAIN_LIST *list;

    (void) state;
    test_write_file(file, "# comment\n\na.example b.example\n"
		    "  c.example\n.sub.example # trailing\n!bad.example\n");
    patterns = concatenate(file, ", bad.example", (char *) 0);
    list = domain_list_create("test_list", patterns, false);
    assert_int_equal(domain_list_match(list, "a.example"), M);
    assert_int_equal(domain_list_match(list, "b.example"), M);
    assert_int_equal(domain_list_match(list, "c.example"), M);
    assert_int_equal(domain_list_match(list, "x.sub.example"), M);
    assert_int_equal(domain_list_match(list, "bad.example"), N);
    assert_int_equal(domain_list_match(list, "other.example"), N);
    domain_list_free(list);
    myfree(patterns);

    test_write_file(nested, file);
    list = domain_list_create("test_list", nested, false);
    assert_int_equal(domain_list_match(list, "c.example"), M);
    domain_list_free(list);

    test_capture_start();
    list = domain_list_create("test_list", missing, false);
    assert_non_null(strstr(test_capture_text(), "cannot open"));
    test_capture_stop();
    assert_int_equal(domain_list_match(list, "a.example"), E);
    domain_list_free(list);

    /* a file that names itself: bounded nesting */
    test_write_file(nested, nested);
    test_capture_start();
    list = domain_list_create("test_list", nested, false);
    assert_non_null(strstr(test_capture_text(), "nested too deeply"));
    test_capture_stop();
    domain_list_free(list);

    myfree(file);
    myfree(nested);
    myfree(missing);
    test_remove_tree(dir);
    myfree(dir);
}

/* main - run the tests */
int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_names),
	cmocka_unit_test(test_tables),
	cmocka_unit_test(test_files),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
