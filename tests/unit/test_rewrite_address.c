/*
 * test_rewrite_address - unit tests for trivial-rewrite's rewrite_address(3)
 *
 * DESCRIPTION
 *	Table-driven: each case sets a few main.cf parameters (on top of
 *	a fixed base: myhostname, mydomain, myorigin) and checks the
 *	rewritten address under one rule. Expected answers come from
 *	ADDRESS_REWRITING_README ("Rewrite addresses to standard form")
 *	and postconf(5).
 */
#include "sys_defs.h"

#include <string.h>

#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "vstring.h"
#include "mail_conf.h"
#include "mail_params.h"
#include "test_params.h"
#include "test_support.h"
#include "trivial_rewrite.h"

typedef struct CASE {
    const char *settings;		/* "name=value;name=value" or "" */
    const char *rule;
    const char *address;
    const char *expect;			/* NULL: rule refused */
} CASE;

/* apply_settings - base parameters plus the case's */
static void apply_settings(const char *settings)
{
    static const char *const base[][2] = {
	{"myhostname", "host.example.com"},
	{"mydomain", "example.com"},
	{"myorigin", "$myhostname"},
	{"append_at_myorigin", "yes"},
	{"append_dot_mydomain", "no"},
	{"swap_bangpath", "yes"},
	{"allow_percent_hack", "yes"},
	{"remote_header_rewrite_domain", ""},
    };
    char   *copy = mystrdup(settings);
    char   *cp = copy;
    char   *item;
    char   *eq;
    size_t  n;

    for (n = 0; n < ARRAY_LEN(base); n++)
	mail_conf_update(base[n][0], base[n][1]);
    while ((item = mystrtok(&cp, ";")) != NULL) {
	if ((eq = strchr(item, '=')) == NULL)
	    fail_msg("bad setting %s", item);
	*eq = 0;
	mail_conf_update(item, eq + 1);
    }
    mail_params_reset();
    myfree(copy);
}

/* run_cases - check a table */
static void run_cases(const CASE *cases, size_t count)
{
    VSTRING *result = vstring_alloc(100);
    size_t  n;
    bool    ok;

    for (n = 0; n < count; n++) {
	apply_settings(cases[n].settings);
	vstring_strcpy(result, "(untouched)");
	ok = rewrite_address(cases[n].rule, cases[n].address, result);
	if (cases[n].expect == NULL) {
	    if (ok)
		fail_msg("case %zu: rule %s accepted", n, cases[n].rule);
	    continue;
	}
	if (!ok || strcmp(vstring_str(result), cases[n].expect) != 0)
	    fail_msg("case %zu [%s] %s \"%s\": got \"%s\", want \"%s\"", n,
		     cases[n].settings, cases[n].rule, cases[n].address,
		     ok ? vstring_str(result) : "(refused)", cases[n].expect);
    }
    vstring_free(result);
}

/* test_myorigin - append_at_myorigin and myorigin */
static void test_myorigin(void **state)
{
    static const CASE cases[] = {
	{"", "local", "user", "user@host.example.com"},
	{"", "local", "user@other.example", "user@other.example"},
	{"myorigin=example.com", "local", "user", "user@example.com"},
	{"myorigin=$mydomain", "local", "root", "root@example.com"},
	{"append_at_myorigin=no", "local", "user", "user"},
	{"", "local", "", ""},
	{"", "local", "MAILER-DAEMON", "MAILER-DAEMON@host.example.com"},
	{"", "local", "first last", "first last@host.example.com"},
	{"", "local", "user+ext", "user+ext@host.example.com"},
	/* the remote rule appends $remote_header_rewrite_domain, or nothing */
	{"", "remote", "user", "user"},
	{"remote_header_rewrite_domain=domain.invalid", "remote", "user",
	"user@domain.invalid"},
	{"remote_header_rewrite_domain=domain.invalid;append_at_myorigin=no",
	"remote", "user", "user"},
	{"", "remote", "user@other.example", "user@other.example"},
	{"", "remote", "", ""},
	/* unknown rules */
	{"", "bogus", "user", NULL},
	{"", "", "user", NULL},
	{"", "LOCAL", "user", NULL},
    };

    (void) state;
    run_cases(cases, ARRAY_LEN(cases));
}

/* test_dot_mydomain - append_dot_mydomain */
static void test_dot_mydomain(void **state)
{
    static const CASE cases[] = {
	{"append_dot_mydomain=yes", "local", "user@host", "user@host.example.com"},
	{"append_dot_mydomain=yes", "local", "user@localhost",
	"user@localhost.example.com"},
	{"append_dot_mydomain=yes", "local", "user@a.b", "user@a.b"},
	{"append_dot_mydomain=yes", "local", "user@[192.0.2.1]", "user@[192.0.2.1]"},
	{"append_dot_mydomain=yes", "local", "user@", "user@"},
	{"append_dot_mydomain=yes;myorigin=localhost", "local", "user",
	"user@localhost"},
	{"append_dot_mydomain=no", "local", "user@host", "user@host"},
	{"append_dot_mydomain=yes", "remote", "user@host", "user@host"},
	{"append_dot_mydomain=yes;remote_header_rewrite_domain=r.example",
	"remote", "user@host", "user@host.r.example"},
	{"append_dot_mydomain=yes", "local", "host!user", "user@host.example.com"},
	{"append_dot_mydomain=yes", "local", "user%host", "user@host.example.com"},
	{"append_dot_mydomain=yes;mydomain=corp.test", "local", "a@b", "a@b.corp.test"},
    };

    (void) state;
    run_cases(cases, ARRAY_LEN(cases));
}

/* test_bangpath - swap_bangpath */
static void test_bangpath(void **state)
{
    static const CASE cases[] = {
	{"", "local", "site!user", "user@site"},
	{"", "local", "a!b!user", "b!user@a"},
	{"", "remote", "site!user", "user@site"},
	{"", "local", "site!user@domain", "site!user@domain"},
	{"", "local", "!user", "!user@host.example.com"},
	{"", "local", "site!", "site!@host.example.com"},
	{"swap_bangpath=no", "local", "site!user", "site!user@host.example.com"},
	{"swap_bangpath=no;allow_percent_hack=yes", "local", "site!user%x",
	"site!user@x"},
	{"", "local", "site!user%x", "user%x@site"},
    };

    (void) state;
    run_cases(cases, ARRAY_LEN(cases));
}

/* test_percent_hack - allow_percent_hack */
static void test_percent_hack(void **state)
{
    static const CASE cases[] = {
	{"", "local", "user%domain", "user@domain"},
	{"", "local", "user%a%b", "user%a@b"},
	{"", "local", "user%domain@other", "user%domain@other"},
	{"", "local", "%domain", "%domain@host.example.com"},
	{"", "local", "user%", "user%@host.example.com"},
	{"allow_percent_hack=no", "local", "user%domain",
	"user%domain@host.example.com"},
	{"", "remote", "user%domain", "user@domain"},
    };

    (void) state;
    run_cases(cases, ARRAY_LEN(cases));
}

/* test_route_and_dots - source routes and trailing dots */
static void test_route_and_dots(void **state)
{
    static const CASE cases[] = {
	{"", "local", "@hosta,@hostb:user@site", "user@site"},
	{"", "local", "@hosta:user@site", "user@site"},
	{"", "remote", "@hosta:user@site", "user@site"},
	{"", "local", "@hosta:user", "user@host.example.com"},
	{"", "local", "user@site.", "user@site"},
	{"", "local", "user@site..", "user@site.."},
	{"", "local", "user@.", "user@."},
	{"", "local", "user.", "user.@host.example.com"},
	/* Postfix 3.7, observed (queue file): "l@m." becomes "l@m" */
	{"append_dot_mydomain=yes", "local", "user@site.", "user@site"},
	{"append_dot_mydomain=yes", "local", "@n:o@p", "o@p.example.com"},
	{"append_dot_mydomain=yes", "local", "e%f@g", "e%f@g.example.com"},
	{"append_dot_mydomain=yes", "local", "h!i@j", "h!i@j.example.com"},
	{"append_dot_mydomain=yes", "local", "Q@Localhost", "Q@Localhost.example.com"},
	{"append_dot_mydomain=yes", "local", "k.", "k.@host.example.com"},
	{"", "local", "@site", "@site"},
    };

    (void) state;
    run_cases(cases, ARRAY_LEN(cases));
}

/* test_long_address - longer than the limit: unchanged */
static void test_long_address(void **state)
{
    VSTRING *addr = vstring_alloc(TRIVIAL_REWRITE_ADDRESS_LIMIT + 20);
    VSTRING *result = vstring_alloc(100);

    (void) state;
    apply_settings("");
    while (VSTRING_LEN(addr) < TRIVIAL_REWRITE_ADDRESS_LIMIT)
	VSTRING_ADDCH(addr, 'a');
    VSTRING_TERMINATE(addr);
    assert_true(rewrite_address(REWRITE_RULE_LOCAL, vstring_str(addr), result));
    assert_int_equal(VSTRING_LEN(result), TRIVIAL_REWRITE_ADDRESS_LIMIT
		     + strlen("@host.example.com"));
    vstring_strcat(addr, "b");
    assert_true(rewrite_address(REWRITE_RULE_LOCAL, vstring_str(addr), result));
    assert_string_equal(vstring_str(result), vstring_str(addr));
    vstring_free(addr);
    vstring_free(result);
}

/* main - run the tests */
int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_myorigin),
	cmocka_unit_test(test_dot_mydomain),
	cmocka_unit_test(test_bangpath),
	cmocka_unit_test(test_percent_hack),
	cmocka_unit_test(test_route_and_dots),
	cmocka_unit_test(test_long_address),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
