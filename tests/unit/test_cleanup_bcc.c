/*
 * test_cleanup_bcc - unit tests for cleanup_bcc(3)
 *
 *	The expected results are what Postfix 3.7 did with the same tables
 *	(docs/internals/cleanup-maps.md): canonical(5) search order, the
 *	whole value as one address, the failure warnings.
 */
#include "sys_defs.h"

#include <stdlib.h>
#include <string.h>

#include "msg.h"
#include "mymalloc.h"
#include "vstring.h"
#include "cleanup_maps.h"
#include "test_cleanup_support.h"

#define NONE	CLEANUP_MAP_NONE
#define FOUND	CLEANUP_MAP_FOUND
#define RETRY	CLEANUP_MAP_RETRY

#define BCC	"sender_bcc_maps=texthash:%D/sbcc\n" \
		"recipient_bcc_maps=texthash:%D/rbcc\nrecipient_delimiter=+\n"

typedef struct BCC_CASE {
    const char *label;
    const char *settings;
    bool    sender;			/* sender or recipient lookup */
    const char *input;
    const char *output;			/* "" when none */
    int     status;
    const char *log;
} BCC_CASE;

static const BCC_CASE bcc_cases[] = {
    {"sender", BCC, true, "sb@s.example", "sender-bcc@w.example", FOUND, ""},
    {"sender domain", BCC, true, "x@sbdom.example", "domain-bcc@w.example",
    FOUND, ""},
    {"sender with extension", BCC, true, "sb+x@s.example",
    "sender-bcc@w.example", FOUND, ""},
    {"sender local form", BCC, true, "lu@test.example", "local-bcc@w.example",
    FOUND, ""},
    {"sender local form, remote domain", BCC, true, "lu@w.example", "", NONE,
    ""},
    {"value taken whole", BCC, true, "multi@s.example",
    "mb1@w.example, mb2@w.example", FOUND, ""},
    {"sender not found", BCC, true, "nobody@s.example", "", NONE, ""},
    {"null sender", BCC, true, "", "", NONE, ""},
    {"recipient", BCC, false, "rb@v.example", "rcpt-bcc@w.example", FOUND,
    ""},
    {"recipient table not for senders", BCC, true, "rb@v.example", "", NONE,
    ""},
    {"no tables", "", true, "sb@s.example", "", NONE, ""},
    {"sender table failure", "sender_bcc_maps=fail:sbfail\n", true,
    "nf4@x.example", "", RETRY,
    "warning: fail:sbfail lookup error for \"nf4@x.example\"\n"
    "warning: QID: sender_bcc_maps map lookup problem"
    " -- message not accepted, try again later\n"},
    {"recipient table failure", "recipient_bcc_maps=fail:rbfail\n", false,
    "nf5@x.example", "", RETRY,
    "warning: fail:rbfail lookup error for \"nf5@x.example\"\n"
    "warning: QID: recipient_bcc_maps map lookup problem"
    " -- message not accepted, try again later\n"},
};

/* test_bcc_cases - cleanup_bcc_sender() and _recipient() table */
static void test_bcc_cases(void **state)
{
    const BCC_CASE *cp;
    CLEANUP_MAPS *cm;
    VSTRING *bcc = vstring_alloc(100);
    VSTRING *why = vstring_alloc(100);
    char   *log;
    int     status;
    int     failed = 0;

    (void) state;
    test_cleanup_table("sbcc", "sb@s.example sender-bcc@w.example\n"
		       "@sbdom.example domain-bcc@w.example\n"
		       "multi@s.example mb1@w.example, mb2@w.example\n"
		       "lu local-bcc@w.example\n");
    test_cleanup_table("rbcc", "rb@v.example rcpt-bcc@w.example\n");
    for (cp = bcc_cases; cp < bcc_cases + ARRAY_LEN(bcc_cases); cp++) {
	cm = test_cleanup_create(cp->settings);
	VSTRING_RESET(bcc);
	VSTRING_TERMINATE(bcc);
	status = cp->sender ? cleanup_bcc_sender(cm, cp->input, bcc, why) :
	    cleanup_bcc_recipient(cm, cp->input, bcc, why);
	log = test_cleanup_log_end();
	failed += test_cleanup_verdict(cp->label, status, vstring_str(bcc), log,
				       vstring_str(why), cp->status,
				       cp->output, cp->log);
	myfree(log);
	cleanup_maps_free(cm);
    }
    vstring_free(bcc);
    vstring_free(why);
    if (failed)
	fail_msg("%d case(s) failed", failed);
}

/* test_bcc_always - always_bcc */
static void test_bcc_always(void **state)
{
    CLEANUP_MAPS *cm;

    (void) state;
    cm = test_cleanup_create("always_bcc=archive@w.example");
    assert_string_equal(cleanup_bcc_always(cm), "archive@w.example");
    cleanup_maps_free(cm);
    cm = test_cleanup_create("");
    assert_null(cleanup_bcc_always(cm));
    cleanup_maps_free(cm);
    test_capture_stop();
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_bcc_cases),
	cmocka_unit_test(test_bcc_always),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
