/*
 * test_cleanup_canon - unit tests for cleanup_canon(3)
 *
 *	The expected results are what Postfix 3.7 did with the same tables
 *	(docs/internals/cleanup-maps.md): search order, extension
 *	propagation, "@domain" results, nesting, multi-valued entries.
 */
#include "sys_defs.h"

#include <stdlib.h>
#include <string.h>

#include "msg.h"
#include "mymalloc.h"
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

#define CANON	"canonical_maps=texthash:%D/canon\nrecipient_delimiter=+\n"
#define NESTING(a) "warning: QID: unreasonable canonical_maps map nesting" \
	" for " a " -- message not accepted, try again later\n"

static const char canon_table[] =
    "alice@test.example  alice.smith@test.example\n"
    "bob  robert@test.example\n"
    "@olddomain.example  @newdomain.example\n"
    "loop1@x.example loop2@x.example\n"
    "loop2@x.example loop1@x.example\n"
    "c3a@x.example c3b@x.example\n"
    "c3b@x.example c3c@x.example\n"
    "c3c@x.example c3a@x.example\n"
    "chain1@x.example chain2@x.example\n"
    "chain2@x.example chain3@x.example\n"
    "self@x.example self@x.example\n"
    "multi@x.example m1@x.example, m2@x.example\n"
    "ext@x.example extresult@y.example\n"
    "extat@x.example @z.example\n"
    "quoted@x.example \"john smith\"@y.example\n"
    "plain@x.example plainuser\n"
    "spc@x.example a1@y.example a2@y.example\n";

static const char canon_regexp[] =
    "/^(.*)@regexp\\.example$/ $1@rewritten.example\n";

typedef struct CANON_CASE {
    const char *label;
    const char *settings;
    int     class;
    const char *input;
    const char *output;
    int     status;
    const char *log;
} CANON_CASE;

static const CANON_CASE canon_cases[] = {
    {"user@domain", CANON, ES, "alice@test.example",
    "alice.smith@test.example", FOUND, ""},
    {"local user form", CANON, ES, "bob@test.example",
    "robert@test.example", FOUND, ""},
    {"local user form, mydestination", CANON, ES, "bob@localhost",
    "robert@test.example", FOUND, ""},
    {"user form not for remote domains", CANON, ES, "bob@other.example",
    "bob@other.example", NONE, ""},
    {"user form, no domain", CANON, ES, "bob", "robert@test.example",
    FOUND, ""},
    {"user form, address literal of inet_interfaces", CANON, ES,
    "bob@[127.0.0.1]", "robert@test.example", FOUND, ""},
    {"user form, other address literal", CANON, ES, "bob@[10.9.8.7]",
    "bob@[10.9.8.7]", NONE, ""},
    {"user form, mydestination table", CANON
    "mydestination=inline:{dest.example=x}\n", ES, "bob@dest.example",
    "robert@test.example", FOUND, ""},
    {"case folded key, extension propagated", CANON, ES,
    "Bob+tag@test.example", "robert+tag@test.example", FOUND, ""},
    {"@domain to @domain", CANON, ES, "u@olddomain.example",
    "u@newdomain.example", FOUND, ""},
    {"@domain to @domain keeps the extension", CANON, ES,
    "u+ext@olddomain.example", "u+ext@newdomain.example", FOUND, ""},
    {"two-address loop", CANON, ES, "loop1@x.example", "loop1@x.example",
    FOUND, NESTING("loop1@x.example")},
    {"three-address loop keeps the 100th result", CANON, ES,
    "c3a@x.example", "c3b@x.example", FOUND, NESTING("c3b@x.example")},
    {"recursive", CANON, ES, "chain1@x.example", "chain3@x.example",
    FOUND, ""},
    {"maps to itself", CANON, ES, "self@x.example", "self@x.example",
    NONE, ""},
    {"multi-valued", CANON, ES, "multi@x.example", "m1@x.example", FOUND,
    "warning: QID: multi-valued canonical_maps entry for multi@x.example\n"},
    {"whitespace-separated values are multi-valued", CANON, HR,
	"spc@x.example", "a1@y.example", FOUND,
    "warning: QID: multi-valued canonical_maps entry for spc@x.example\n"},
    {"user form, mydestination file", CANON
	"mydestination=%D/destinations\n", ES, "bob@file.example",
    "robert@test.example", FOUND, ""},
    {"user form, proxy_interfaces literal", CANON
	"proxy_interfaces=192.0.2.7\n", ES, "bob@[192.0.2.7]",
    "robert@test.example", FOUND, ""},
    {"user form, loopback-only", CANON "inet_interfaces=loopback-only\n", ES,
    "bob@[IPv6:::1]", "robert@test.example", FOUND, ""},
    {"user form, inet_interfaces=all", CANON "inet_interfaces=all\n", ES,
    "bob@[127.0.0.1]", "robert@test.example", FOUND, ""},
    {"user form, inet_interfaces=all, other address", CANON
	"inet_interfaces=all\n", ES, "bob@[192.0.2.99]", "bob@[192.0.2.99]",
    NONE, ""},
    {"user form, myorigin", CANON "myorigin=origin.example\n", ES,
    "bob@Origin.Example", "robert@test.example", FOUND, ""},
    {"extension propagated", CANON, ES, "ext+foo@x.example",
    "extresult+foo@y.example", FOUND, ""},
    {"@domain result after user@domain key", CANON, ES,
    "extat+foo@x.example", "extat+foo@z.example", FOUND, ""},
    {"no propagation", CANON "propagate_unmatched_extensions=virtual\n",
    ES, "ext+foo@x.example", "extresult@y.example", FOUND, ""},
    {"no propagation, @domain result", CANON
    "propagate_unmatched_extensions=\n", ES, "extat+foo@x.example",
    "extat@z.example", FOUND, ""},
    {"no propagation, @domain key", CANON
    "propagate_unmatched_extensions=\n", ES, "u+x@olddomain.example",
    "u+x@newdomain.example", FOUND, ""},
    {"no delimiter: no extension forms", "canonical_maps=texthash:%D/canon",
    ES, "ext+foo@x.example", "ext+foo@x.example", NONE, ""},
    {"quoted result in internal form", CANON, ES, "quoted@x.example",
    "john smith@y.example", FOUND, ""},
    {"result without domain", CANON, ES, "plain@x.example", "plainuser",
    FOUND, ""},
    {"null sender", CANON, ES, "", "", NONE, ""},
    {"not found", CANON, ER, "nobody@x.example", "nobody@x.example", NONE,
    ""},
    {"regexp sees the whole address", CANON
    "canonical_maps=regexp:%D/canon.re\n", ER, "u+x@regexp.example",
    "u+x@rewritten.example", FOUND, ""},
    {"class not in canonical_classes", CANON
    "canonical_classes=envelope_recipient\n", ES, "alice@test.example",
    "alice@test.example", NONE, ""},
    {"class in canonical_classes", CANON
    "canonical_classes=envelope_recipient\n", ER, "alice@test.example",
    "alice.smith@test.example", FOUND, ""},
    {"header classes", CANON "canonical_classes=header_recipient\n", HR,
    "alice@test.example", "alice.smith@test.example", FOUND, ""},
    {"sender table before common table",
    "sender_canonical_maps=inline:{alice@test.example=sa@test.example}\n"
    "canonical_maps=inline:{sa@test.example=sb@test.example}\n", ES,
    "alice@test.example", "sb@test.example", FOUND, ""},
    {"sender table not for recipients",
    "sender_canonical_maps=inline:{alice@test.example=sa@test.example}\n",
    ER, "alice@test.example", "alice@test.example", NONE, ""},
    {"sender_canonical_classes",
    "sender_canonical_maps=inline:{alice@test.example=sa@test.example}\n"
    "sender_canonical_classes=header_sender\n", ES, "alice@test.example",
    "alice@test.example", NONE, ""},
    {"sender_canonical_classes, header",
    "sender_canonical_maps=inline:{alice@test.example=sa@test.example}\n"
    "sender_canonical_classes=header_sender\n", HS, "alice@test.example",
    "sa@test.example", FOUND, ""},
    {"recipient table",
    "recipient_canonical_maps=inline:{r@test.example=r2@test.example}\n"
    "canonical_maps=inline:{r2@test.example=r3@test.example}\n", ER,
    "r@test.example", "r3@test.example", FOUND, ""},
    {"recipient table not for senders",
    "recipient_canonical_maps=inline:{r@test.example=r2@test.example}\n",
    HS, "r@test.example", "r@test.example", NONE, ""},
    {"lookup failure", "canonical_maps=fail:broken\n", ES, "a@x.example",
    "a@x.example", RETRY,
    "warning: fail:broken lookup error for \"a@x.example\"\n"
    "warning: QID: canonical_maps map lookup problem for a@x.example"
    " -- message not accepted, try again later\n"},
    {"lookup failure after a rewrite", "canonical_maps="
    "inline:{a@x.example=b@x.example}, fail:broken\n", ES, "a@x.example",
    "b@x.example", RETRY,
    "warning: fail:broken lookup error for \"b@x.example\"\n"
    "warning: QID: canonical_maps map lookup problem for b@x.example"
    " -- message not accepted, try again later\n"},
    {"failure in the sender table stops", "sender_canonical_maps="
    "fail:broken\ncanonical_maps=inline:{a@x.example=b@x.example}\n", ES,
    "a@x.example", "a@x.example", RETRY,
    "warning: fail:broken lookup error for \"a@x.example\"\n"
    "warning: QID: sender_canonical_maps map lookup problem for"
    " a@x.example -- message not accepted, try again later\n"},
};

/* test_canon_cases - cleanup_canon_addr() table */
static void test_canon_cases(void **state)
{
    const CANON_CASE *cp;
    CLEANUP_MAPS *cm;
    VSTRING *addr = vstring_alloc(100);
    VSTRING *why = vstring_alloc(100);
    char   *log;
    int     status;
    int     failed = 0;

    (void) state;
    test_cleanup_table("canon", canon_table);
    test_cleanup_table("canon.re", canon_regexp);
    test_cleanup_table("destinations", "# local\nfile.example, other.example\n");
    for (cp = canon_cases; cp < canon_cases + ARRAY_LEN(canon_cases); cp++) {
	cm = test_cleanup_create(cp->settings);
	vstring_strcpy(addr, cp->input);
	VSTRING_RESET(why);
	VSTRING_TERMINATE(why);
	status = cleanup_canon_addr(cm, cp->class, addr, why);
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

/* test_canon_tree - header addresses */
static void test_canon_tree(void **state)
{
    static const struct {
	const char *header;
	const char *output;
    } cases[] = {
	{"Alice <alice@test.example>, bob@test.example (Bob)",
	"Alice <alice.smith@test.example>, robert@test.example (Bob)"},
	{"quoted@x.example", "\"john smith\"@y.example"},
	{"Group: Bob+x@test.example, other@x.example;",
	"Group: robert+x@test.example, other@x.example;"},
	{"<>", "<>"},
    };
    CLEANUP_MAPS *cm;
    VSTRING *out = vstring_alloc(100);
    TOK822 *tree;
    TOK822 **addrs;
    size_t  n;
    size_t  a;
    char   *log;

    (void) state;
    test_cleanup_table("canon", canon_table);
    cm = test_cleanup_create(CANON);
    for (n = 0; n < ARRAY_LEN(cases); n++) {
	tree = tok822_parse(cases[n].header);
	addrs = tok822_grep(tree, TOK822_ADDR);
	for (a = 0; addrs[a]; a++)
	    (void) cleanup_canon_tree(cm, HR, addrs[a], (VSTRING *) 0);
	tok822_externalize(out, tree, TOK822_STR_DEFL);
	assert_string_equal(vstring_str(out), cases[n].output);
	myfree(addrs);
	tok822_free_tree(tree);
    }
    log = test_cleanup_log_end();
    assert_string_equal(log, "");
    myfree(log);
    cleanup_maps_free(cm);
    vstring_free(out);
}

/* test_canon_class_mask - class names */
static void test_canon_class_mask(void **state)
{
    (void) state;
    assert_int_equal(cleanup_maps_class_mask("x", ""), 0);
    assert_int_equal(cleanup_maps_class_mask("x",
		       "envelope_sender, envelope_recipient header_sender,"
					     "header_recipient"),
		     ES | ER | HS | HR);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_canon_cases),
	cmocka_unit_test(test_canon_tree),
	cmocka_unit_test(test_canon_class_mask),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
