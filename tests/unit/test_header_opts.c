/*
 * test_header_opts - unit tests for header_opts(3)
 */
#include "sys_defs.h"

#include <string.h>
#include <strings.h>

#include "header_opts.h"
#include "test_support.h"

/* test_find - lookup by name, case-insensitive, with flags */
static void test_find(void **state)
{
    static const struct {
	const char *name;
	int     id;
	int     flags;			/* must be set */
	int     not_flags;		/* must be clear */
    } cases[] = {
	{"From", HDR_FROM, HDR_OPT_SENDER | HDR_OPT_ADDRESS, HDR_OPT_RECIP},
	{"from", HDR_FROM, HDR_OPT_SENDER, 0},
	{"FROM", HDR_FROM, HDR_OPT_SENDER, 0},
	{"Sender", HDR_SENDER, HDR_OPT_SENDER, 0},
	{"Reply-To", HDR_REPLY_TO, HDR_OPT_SENDER, 0},
	{"Errors-To", HDR_ERRORS_TO, HDR_OPT_SENDER, 0},
	{"Return-Receipt-To", HDR_RETURN_RECEIPT_TO, HDR_OPT_SENDER, 0},
	{"Resent-From", HDR_RESENT_FROM, HDR_OPT_SENDER | HDR_OPT_RESENT, 0},
	{"Resent-Sender", HDR_RESENT_SENDER, HDR_OPT_SENDER | HDR_OPT_RESENT, 0},
	{"Resent-Reply-To", HDR_RESENT_REPLY_TO,
	HDR_OPT_SENDER | HDR_OPT_RESENT, 0},
	{"To", HDR_TO, HDR_OPT_RECIP | HDR_OPT_EXTRACT, HDR_OPT_SENDER},
	{"cc", HDR_CC, HDR_OPT_RECIP | HDR_OPT_EXTRACT, 0},
	{"Bcc", HDR_BCC, HDR_OPT_RECIP | HDR_OPT_DROP, 0},
	{"Apparently-To", HDR_APPARENTLY_TO, HDR_OPT_RECIP, HDR_OPT_EXTRACT},
	{"Resent-To", HDR_RESENT_TO, HDR_OPT_RECIP | HDR_OPT_RESENT, 0},
	{"Resent-Cc", HDR_RESENT_CC, HDR_OPT_RECIP | HDR_OPT_RESENT, 0},
	{"Resent-Bcc", HDR_RESENT_BCC, HDR_OPT_RECIP | HDR_OPT_DROP, 0},
	{"Received", HDR_RECEIVED, 0, HDR_OPT_ADDRESS},
	{"Message-Id", HDR_MESSAGE_ID, 0, 0},
	{"Resent-Message-ID", HDR_RESENT_MESSAGE_ID, HDR_OPT_RESENT, 0},
	{"Date", HDR_DATE, 0, 0},
	{"Resent-Date", HDR_RESENT_DATE, HDR_OPT_RESENT, 0},
	{"Return-Path", HDR_RETURN_PATH, HDR_OPT_DROP, 0},
	{"Delivered-To", HDR_DELIVERED_TO, HDR_OPT_ADDRESS, HDR_OPT_RECIP},
	{"Content-Type", HDR_CONTENT_TYPE, HDR_OPT_MIME, 0},
	{"content-transfer-encoding", HDR_CONTENT_TRANSFER_ENCODING,
	HDR_OPT_MIME, 0},
	{"MIME-Version", HDR_MIME_VERSION, HDR_OPT_MIME, 0},
	{"Content-Length", HDR_CONTENT_LENGTH, HDR_OPT_MIME | HDR_OPT_DROP, 0},
	{"X-Original-To", HDR_X_ORIGINAL_TO, HDR_OPT_ADDRESS, 0},
    };
    const HEADER_OPTS *hp;
    size_t  n;

    (void) state;
    for (n = 0; n < ARRAY_LEN(cases); n++) {
	hp = header_opts_find(cases[n].name, strlen(cases[n].name));
	assert_non_null(hp);
	assert_int_equal(hp->id, cases[n].id);
	assert_true(strcasecmp(hp->name, cases[n].name) == 0);
	assert_int_equal(hp->flags & cases[n].flags, cases[n].flags);
	assert_int_equal(hp->flags & cases[n].not_flags, 0);
	assert_ptr_equal(header_opts_by_id(hp->id), hp);
    }
}

/* test_unknown - names that the table does not list */
static void test_unknown(void **state)
{
    static const char *names[] = {
	"X-Mailer", "Fro", "Fromm", "T", "Too", "", "Content-", "Zzz", "A",
	"Resent", "Content-Typ",
    };
    size_t  n;

    (void) state;
    for (n = 0; n < ARRAY_LEN(names); n++)
	assert_null(header_opts_find(names[n], strlen(names[n])));
    assert_null(header_opts_find("From\0", 5));
    assert_null(header_opts_find("From", 3));
    assert_non_null(header_opts_find("From: x", 4));	/* counted */
    assert_null(header_opts_by_id(0));
    assert_null(header_opts_by_id(HDR_MAX_ID + 1));
}

/* test_sorted - every id has one entry and the table is ordered */
static void test_sorted(void **state)
{
    const HEADER_OPTS *prev = 0;
    const HEADER_OPTS *hp;
    int     id;

    (void) state;
    for (id = 1; id <= HDR_MAX_ID; id++) {
	hp = header_opts_by_id(id);
	assert_non_null(hp);
	/* Found by its own name: proves the binary search order. */
	assert_ptr_equal(header_opts_find(hp->name, strlen(hp->name)), hp);
	assert_int_equal((hp->flags & HDR_OPT_MIME) != 0,
			 header_opts_is_mime(hp->name, strlen(hp->name)));
	prev = hp;
    }
    (void) prev;
}

/* test_find_line - lookup from a header line */
static void test_find_line(void **state)
{
    const HEADER_OPTS *hp;

    (void) state;
    hp = header_opts_find_line("To: a@b", 7);
    assert_non_null(hp);
    assert_int_equal(hp->id, HDR_TO);
    hp = header_opts_find_line("Subject : old", 13);
    assert_non_null(hp);
    assert_int_equal(hp->id, HDR_SUBJECT);
    assert_null(header_opts_find_line("X-Foo: bar", 10));
    assert_null(header_opts_find_line(" To: folded", 11));
    assert_null(header_opts_find_line("To", 2));
}

/* test_is_mime - MIME-Version and Content-* */
static void test_is_mime(void **state)
{
    static const struct {
	const char *name;
	bool    mime;
    } cases[] = {
	{"Content-Type", true},
	{"content-x-whatever", true},
	{"CONTENT-DISPOSITION", true},
	{"Mime-Version", true},
	{"Content-", false},
	{"Content", false},
	{"MIME-Versions", false},
	{"X-Content-Type", false},
	{"Subject", false},
    };
    size_t  n;

    (void) state;
    for (n = 0; n < ARRAY_LEN(cases); n++)
	assert_int_equal(header_opts_is_mime(cases[n].name,
					     strlen(cases[n].name)),
			 cases[n].mime);
}

/* main - run the tests */
int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_find),
	cmocka_unit_test(test_unknown),
	cmocka_unit_test(test_sorted),
	cmocka_unit_test(test_find_line),
	cmocka_unit_test(test_is_mime),
    };

    return cmocka_run_group_tests(tests, 0, 0);
}
