/*
 * test_cleanup_masq - unit tests for cleanup_masq(3)
 *
 *	The expected results are what Postfix 3.7 did with the same
 *	settings (docs/internals/cleanup-maps.md).
 */
#include "sys_defs.h"

#include <stdlib.h>
#include <string.h>

#include "msg.h"
#include "mymalloc.h"
#include "argv.h"
#include "vstring.h"
#include "tok822.h"
#include "cleanup_maps.h"
#include "test_cleanup_support.h"

#define ES	CLEANUP_CLASS_ENV_SENDER
#define ER	CLEANUP_CLASS_ENV_RCPT
#define HS	CLEANUP_CLASS_HDR_SENDER
#define HR	CLEANUP_CLASS_HDR_RCPT

#define NONE	CLEANUP_MAP_NONE
#define FOUND	CLEANUP_MAP_FOUND
#define RETRY	CLEANUP_MAP_RETRY

#define MASQ	"masquerade_domains=foo.example.org, example.org," \
		" !sub.bar.example.net bar.example.net .dot.example\n" \
		"masquerade_exceptions=root, texthash:%D/masqex\n"

typedef struct MASQ_CASE {
    const char *label;
    const char *settings;
    int     class;
    const char *input;
    const char *output;
    int     status;
    const char *log;
} MASQ_CASE;

static const MASQ_CASE masq_cases[] = {
    {"subdomain stripped", MASQ, ES, "u@a.b.example.org", "u@example.org",
    FOUND, ""},
    {"the domain itself stops the search", MASQ, ES, "u@foo.example.org",
    "u@foo.example.org", NONE, ""},
    {"first match wins", MASQ, ES, "u@a.foo.example.org",
    "u@foo.example.org", FOUND, ""},
    {"listed domain unchanged", MASQ, ES, "u@example.org", "u@example.org",
    NONE, ""},
    {"exception by name", MASQ, ES, "root@a.example.org",
    "root@a.example.org", NONE, ""},
    {"exception ignores case", MASQ, ES, "ROOT@a.example.org",
    "ROOT@a.example.org", NONE, ""},
    {"exception compares the whole local part", MASQ, ES,
    "root+x@a.example.org", "root+x@example.org", FOUND, ""},
    {"exception by table", MASQ, ES, "admin@a.example.org",
    "admin@a.example.org", NONE, ""},
    {"negated domain itself", MASQ, ES, "u@sub.bar.example.net",
    "u@sub.bar.example.net", NONE, ""},
    {"negated domain's subdomain", MASQ, ES, "u@x.sub.bar.example.net",
    "u@x.sub.bar.example.net", NONE, ""},
    {"after a negated entry", MASQ, ES, "u@y.bar.example.net",
    "u@bar.example.net", FOUND, ""},
    {"leading dot never matches", MASQ, ES, "u@x.dot.example",
    "u@x.dot.example", NONE, ""},
    {"leading dot, deeper", MASQ, ES, "u@a.b.dot.example",
    "u@a.b.dot.example", NONE, ""},
    {"case of the domain", MASQ, ES, "U@A.B.Example.ORG", "U@example.org",
    FOUND, ""},
    {"quoted local part", MASQ, ES, "a b@x.example.org", "a b@example.org",
    FOUND, ""},
    {"not a suffix at a dot", MASQ, ES, "u@notexample.org",
    "u@notexample.org", NONE, ""},
    {"address literal", MASQ, ES, "u@[127.0.0.1]", "u@[127.0.0.1]", NONE,
    ""},
    {"no domain", MASQ, ES, "u", "u", NONE, ""},
    {"null address", MASQ, ES, "", "", NONE, ""},
    {"envelope recipients not by default", MASQ, ER, "u@a.example.org",
    "u@a.example.org", NONE, ""},
    {"header sender", MASQ, HS, "u@a.example.org", "u@example.org", FOUND,
    ""},
    {"header recipient", MASQ, HR, "u@a.example.org", "u@example.org",
    FOUND, ""},
    {"masquerade_classes", MASQ "masquerade_classes=envelope_recipient\n",
    ER, "u@a.example.org", "u@example.org", FOUND, ""},
    {"masquerade_classes excludes", MASQ
    "masquerade_classes=envelope_recipient\n", ES, "u@a.example.org",
    "u@a.example.org", NONE, ""},
    {"no masquerade_domains", "", ES, "u@a.example.org", "u@a.example.org",
    NONE, ""},
    {"negated exception", MASQ "masquerade_exceptions=!root, root\n", ES,
    "root@a.example.org", "root@example.org", FOUND, ""},
    {"exception file", MASQ "masquerade_exceptions=%D/masqex.list\n", ES,
    "fileuser@a.example.org", "fileuser@a.example.org", NONE, ""},
    {"exception file, other user", MASQ
    "masquerade_exceptions=%D/masqex.list\n", ES, "u@a.example.org",
    "u@example.org", FOUND, ""},
    {"exception table failure", MASQ "masquerade_exceptions=fail:mfail\n",
    ES, "u@a.example.org", "u@a.example.org", RETRY,
    "warning: masquerade_exceptions: fail:mfail: table lookup problem\n"
    "QID: masquerade_exceptions map lookup problem"
    " -- message not accepted, try again later\n"},
};

/* test_masq_cases - cleanup_masq_addr() table */
static void test_masq_cases(void **state)
{
    const MASQ_CASE *cp;
    CLEANUP_MAPS *cm;
    VSTRING *addr = vstring_alloc(100);
    VSTRING *why = vstring_alloc(100);
    char   *log;
    int     status;
    int     failed = 0;

    (void) state;
    test_cleanup_table("masqex", "admin x\n");
    test_cleanup_table("masqex.list", "# users\nfileuser other\n");
    for (cp = masq_cases; cp < masq_cases + ARRAY_LEN(masq_cases); cp++) {
	cm = test_cleanup_create(cp->settings);
	vstring_strcpy(addr, cp->input);
	status = cleanup_masq_addr(cm, cp->class, addr, why);
	log = test_cleanup_log_end();
	failed += test_cleanup_verdict(cp->label, status, vstring_str(addr), log,
				       vstring_str(why), cp->status,
				       cp->output, cp->log);
	myfree(log);
	cleanup_maps_free(cm);
    }
    vstring_free(addr);
    vstring_free(why);
    if (failed)
	fail_msg("%d case(s) failed", failed);
}

/* test_masq_tree - header addresses */
static void test_masq_tree(void **state)
{
    CLEANUP_MAPS *cm;
    VSTRING *out = vstring_alloc(100);
    TOK822 *tree;
    TOK822 **addrs;
    size_t  a;
    char   *log;

    (void) state;
    test_cleanup_table("masqex", "admin x\n");
    cm = test_cleanup_create(MASQ);
    tree = tok822_parse("User <u@a.example.org>, \"x y\"@b.example.org,"
			" root@c.example.org");
    addrs = tok822_grep(tree, TOK822_ADDR);
    for (a = 0; addrs[a]; a++)
	(void) cleanup_masq_tree(cm, HR, addrs[a], (VSTRING *) 0);
    tok822_externalize(out, tree, TOK822_STR_DEFL);
    assert_string_equal(vstring_str(out), "User <u@example.org>,"
			" \"x y\"@example.org, root@c.example.org");
    myfree(addrs);
    tok822_free_tree(tree);
    log = test_cleanup_log_end();
    assert_string_equal(log, "");
    myfree(log);
    cleanup_maps_free(cm);
    vstring_free(out);
}

/* test_masq_domain - the domain list alone */
static void test_masq_domain(void **state)
{
    ARGV   *list = cleanup_masq_domains_create("A.Example, !b.a.example");
    VSTRING *domain = vstring_alloc(10);

    (void) state;
    assert_null(cleanup_masq_domains_create(" , "));
    assert_string_equal(list->argv[0], "a.example");
    vstring_strcpy(domain, "x.c.a.example");
    assert_int_equal(cleanup_masq_domain(list, domain), FOUND);
    assert_string_equal(vstring_str(domain), "a.example");
    vstring_strcpy(domain, "x.b.a.example");
    assert_int_equal(cleanup_masq_domain(list, domain), FOUND);
    vstring_strcpy(domain, "a.example");
    assert_int_equal(cleanup_masq_domain(list, domain), NONE);
    assert_int_equal(cleanup_masq_domain((ARGV *) 0, domain), NONE);
    argv_free(list);
    list = cleanup_masq_domains_create("!b.a.example a.example");
    vstring_strcpy(domain, "x.b.a.example");
    assert_int_equal(cleanup_masq_domain(list, domain), NONE);
    assert_string_equal(vstring_str(domain), "x.b.a.example");
    argv_free(list);
    vstring_free(domain);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_masq_cases),
	cmocka_unit_test(test_masq_tree),
	cmocka_unit_test(test_masq_domain),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
