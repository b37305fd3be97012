/*
 * test_qmqpd_verp - unit tests of qmqpd_verp(), the ezmlm VERP request
 *
 * DESCRIPTION
 *	A table of QMQP senders and what qmqpd_verp() makes of them; the
 *	expected results are what Debian's Postfix 3.7 qmqpd queued (or
 *	refused) for the same senders, with the default
 *	verp_delimiter_filter (-=+).
 */
#include "sys_defs.h"

#include <string.h>

#include "vstring.h"
#include "qmqpd.h"
#include "test_support.h"

/* test_senders - the table */
static void test_senders(void **state)
{
    static const struct {
	const char *sender;
	int     result;
	const char *new_sender;		/* QMQPD_VERP_OK */
	const char *delims;		/* OK or BAD */
    } cases[] = {
	{"list-@example.org-@[]", QMQPD_VERP_OK, "list@example.org", "-="},
	{"list+@example.org-@[]", QMQPD_VERP_OK, "list@example.org", "+="},
	{"list=@example.org-@[]", QMQPD_VERP_OK, "list@example.org", "=="},
	{"LIST-@EX.ORG-@[]", QMQPD_VERP_OK, "LIST@EX.ORG", "-="},
	{"a-@b@c-@[]", QMQPD_VERP_OK, "a@b@c", "-="},
	{"list-@[1.2.3.4]-@[]", QMQPD_VERP_OK, "list@[1.2.3.4]", "-="},
	{"list-@example.org-@[]-@[]", QMQPD_VERP_OK, "list@example.org-@[]", "-="},
	{"list@example.org-@[]", QMQPD_VERP_BAD, 0, "t="},
	{"list-@-@[]", QMQPD_VERP_NONE, 0, 0},
	{"-@[]", QMQPD_VERP_NONE, 0, 0},
	{"list--@[]", QMQPD_VERP_NONE, 0, 0},
	{"@example.org-@[]", QMQPD_VERP_NONE, 0, 0},
	{"list-@example.org@[]", QMQPD_VERP_NONE, 0, 0},
	{"list-@example.org-@[]x", QMQPD_VERP_NONE, 0, 0},
	{"", QMQPD_VERP_NONE, 0, 0},
    };
    VSTRING *sender = vstring_alloc(10);
    char    delims[3];
    size_t  n;
    int     got;

    (void) state;
    for (n = 0; n < ARRAY_LEN(cases); n++) {
	vstring_strcpy(sender, cases[n].sender);
	got = qmqpd_verp(sender, delims);
	if (got != cases[n].result)
	    fail_msg("%s: result %d", cases[n].sender, got);
	if (cases[n].result == QMQPD_VERP_OK) {
	    assert_string_equal(vstring_str(sender), cases[n].new_sender);
	    assert_int_equal(VSTRING_LEN(sender), strlen(cases[n].new_sender));
	} else {
	    assert_string_equal(vstring_str(sender), cases[n].sender);
	}
	if (cases[n].delims)
	    assert_string_equal(delims, cases[n].delims);
    }
    vstring_free(sender);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_senders),
    };

    return cmocka_run_group_tests(tests, 0, 0);
}
