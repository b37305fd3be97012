/*
 * test_bounce_notify - unit tests for the bounce(8) notification builder
 *
 * The golden text is a postmaster copy that Debian's Postfix 3.7 queued
 * (postcat -bh of its queue file, Message-Id: left out: cleanup adds
 * it), for a message with a local and a remote failure, RET=HDRS and
 * an ENVID. A postmaster copy has no template text, so the whole
 * message must come out byte for byte the same.
 */
#include "sys_defs.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "vstring.h"
#include "mail_conf.h"
#include "bounce_template.h"
#include "deliver_request.h"
#include "recipient_list.h"
#include "bounce.h"
#include "test_support.h"

static const char golden_postmaster_copy[] =
	"Received: by test.example (Postfix)\n"
	"\tid 9C9E8A967E1; Sat,  5 Dec 2026 07:42:47 +0000 (UTC)\n"
	"Date: Sat,  5 Dec 2026 07:42:47 +0000 (UTC)\n"
	"From: Mail Delivery System <MAILER-DAEMON@test.example>\n"
	"Subject: Postmaster Copy: Undelivered Mail\n"
	"To: pm-bounce@capture.example\n"
	"Auto-Submitted: auto-generated\n"
	"MIME-Version: 1.0\n"
	"Content-Type: multipart/report; report-type=delivery-status;\n"
	"\tboundary=\"74686A967D4.1796456567/test.example\"\n"
	"Content-Transfer-Encoding: 8bit\n"
	"\n"
	"This is a MIME-encapsulated message.\n"
	"\n"
	"--74686A967D4.1796456567/test.example\n"
	"Content-Description: Notification\n"
	"Content-Type: text/plain; charset=utf-8\n"
	"Content-Transfer-Encoding: 8bit\n"
	"\n"
	"\n"
	"<nouser@test.example>: unknown user: \"nouser\"\n"
	"\n"
	"<bob@remote.example>: host 127.0.0.1[127.0.0.1] said: 550 5.1.1\n"
	"    <bob@remote.example>: Recipient address rejected: User unknown in virtual\n"
	"    mailbox table (in reply to RCPT TO command)\n"
	"\n"
	"--74686A967D4.1796456567/test.example\n"
	"Content-Description: Delivery report\n"
	"Content-Type: message/delivery-status\n"
	"\n"
	"Reporting-MTA: dns; test.example\n"
	"Original-Envelope-Id: abc123\n"
	"X-Postfix-Queue-ID: 74686A967D4\n"
	"X-Postfix-Sender: rfc822; alice@capture.example\n"
	"Arrival-Date: Sat,  5 Dec 2026 07:42:47 +0000 (UTC)\n"
	"\n"
	"Final-Recipient: rfc822; nouser@test.example\n"
	"Original-Recipient: rfc822;nouser@test.example\n"
	"Action: failed\n"
	"Status: 5.1.1\n"
	"Diagnostic-Code: X-Postfix; unknown user: \"nouser\"\n"
	"\n"
	"Final-Recipient: rfc822; bob@remote.example\n"
	"Original-Recipient: rfc822;Bob@Remote.example\n"
	"Action: failed\n"
	"Status: 5.1.1\n"
	"Remote-MTA: dns; 127.0.0.1\n"
	"Diagnostic-Code: smtp; 550 5.1.1 <bob@remote.example>: Recipient address\n"
	"    rejected: User unknown in virtual mailbox table\n"
	"\n"
	"--74686A967D4.1796456567/test.example\n"
	"Content-Description: Undelivered Message Headers\n"
	"Content-Type: text/rfc822-headers\n"
	"Content-Transfer-Encoding: 8bit\n"
	"\n"
	"Return-Path: <alice@capture.example>\n"
	"Received: from client.example (localhost [127.0.0.1])\n"
	"\tby test.example (Postfix) with ESMTP id 74686A967D4;\n"
	"\tSat,  5 Dec 2026 07:42:47 +0000 (UTC)\n"
	"From: Alice <alice@capture.example>\n"
	"To: whoever@test.example\n"
	"Subject: test one\n"
	"Message-ID: <m1@client.example>\n"
	"Date: Sat,  5 Dec 2026 07:42:47 +0000 (UTC)\n"
	"\n"
	"--74686A967D4.1796456567/test.example--\n"
;

static const char original_headers[] =
    "Received: from client.example (localhost [127.0.0.1])\n"
    "\tby test.example (Postfix) with ESMTP id 74686A967D4;\n"
    "\tSat,  5 Dec 2026 07:42:47 +0000 (UTC)\n"
    "From: Alice <alice@capture.example>\n"
    "To: whoever@test.example\n"
    "Subject: test one\n"
    "Message-ID: <m1@client.example>\n"
    "Date: Sat,  5 Dec 2026 07:42:47 +0000 (UTC)\n";

static BOUNCE_TEMPLATES *templates;

/* setup_conf - main.cf for the template texts */
static void setup_conf(void)
{
    char   *dir = test_tempdir();
    char   *path = concatenate(dir, "/main.cf", (char *) 0);

    test_write_file(path, "myhostname = test.example\n");
    mail_conf_clear();
    mail_conf_set_dir(dir);
    mail_conf_read();
    myfree(path);
    myfree(dir);
    if (templates == 0)
	templates = bounce_templates_create();
}

/* entry - one recipient outcome */
static void entry(BOUNCE_LOG *log, const char *address, const char *orcpt,
		          const char *status, const char *reason,
		          const char *dtype, const char *dtext,
		          const char *mname, int notify)
{
    BOUNCE_ENTRY *e = bounce_log_add(log);

    bounce_entry_set(&e->address, address);
    bounce_entry_set(&e->dsn_orcpt, orcpt);
    bounce_entry_set(&e->status, status);
    bounce_entry_set(&e->reason, reason);
    bounce_entry_set(&e->dtype, dtype);
    bounce_entry_set(&e->dtext, dtext);
    bounce_entry_set(&e->mtype, *mname ? "dns" : "");
    bounce_entry_set(&e->mname, mname);
    e->dsn_notify = notify;
}

/* two_failures - the outcomes of the golden message */
static void two_failures(BOUNCE_LOG *log)
{
    bounce_log_init(log);
    entry(log, "nouser@test.example", "rfc822;nouser@test.example", "5.1.1",
	  "unknown user: \"nouser\"", "", "", "", 0);
    entry(log, "bob@remote.example", "rfc822;Bob@Remote.example", "5.1.1",
	  "host 127.0.0.1[127.0.0.1] said: 550 5.1.1 <bob@remote.example>: "
	  "Recipient address rejected: User unknown in virtual mailbox "
	  "table (in reply to RCPT TO command)", "smtp",
	  "550 5.1.1 <bob@remote.example>: Recipient address rejected: "
	  "User unknown in virtual mailbox table", "127.0.0.1",
	  DSN_NOTIFY_FAILURE | DSN_NOTIFY_DELAY);
}

/* original - the golden message's original */
static void original(BOUNCE_ORIGINAL *orig)
{
    bounce_original_init(orig);
    orig->queue_id = "74686A967D4";
    orig->sender = "alice@capture.example";
    orig->dsn_envid = "abc123";
    orig->dsn_ret = 2;
    orig->arrival = 1796456567;
    orig->readable = true;
    vstring_strcpy(orig->headers, original_headers);
    vstring_strcpy(orig->body, "body line 1\nbody line 2\n");
}

/* notice - a notice with the golden message's settings */
static void notice_init(BOUNCE_NOTICE *notice, int kind, bool postmaster,
			        int ret, const char *rcpt, const char *new_id)
{
    static const int class[] = {BOUNCE_TMPL_FAILURE, BOUNCE_TMPL_DELAY,
    BOUNCE_TMPL_SUCCESS, BOUNCE_TMPL_VERIFY};

    memset(notice, 0, sizeof(*notice));
    notice->kind = kind;
    notice->postmaster = postmaster;
    notice->ret = ret;
    notice->template = bounce_templates_get(templates, class[kind]);
    notice->recipient = rcpt;
    notice->new_id = new_id;
    notice->now = 1796456567;
    notice->myhostname = "test.example";
    notice->myorigin = "test.example";
    notice->mail_name = "Postfix";
    notice->header_from_format = "standard";
    notice->smtputf8_enable = true;
}

/* test_golden_postmaster_copy - byte for byte as Debian's */
static void test_golden_postmaster_copy(void **state)
{
    BOUNCE_NOTICE notice;
    BOUNCE_ORIGINAL orig;
    BOUNCE_LOG log;
    VSTRING *out = vstring_alloc(1000);

    setup_conf();
    two_failures(&log);
    original(&orig);
    notice_init(&notice, BOUNCE_KIND_FAILURE, true, BOUNCE_RETURN_HEADERS,
		"pm-bounce@capture.example", "9C9E8A967E1");
    bounce_notify_build(out, &notice, &orig, &log);
    assert_string_equal(vstring_str(out), golden_postmaster_copy);
    bounce_original_free(&orig);
    bounce_log_free(&log);
    vstring_free(out);
}

/* test_sender_notice - template text, full return, the NOTIFY filter */
static void test_sender_notice(void **state)
{
    BOUNCE_NOTICE notice;
    BOUNCE_ORIGINAL orig;
    BOUNCE_LOG log;
    VSTRING *out = vstring_alloc(1000);
    const char *text;

    setup_conf();
    two_failures(&log);
    entry(&log, "quiet@test.example", "", "5.1.1", "unknown user: \"quiet\"",
	  "", "", "", DSN_NOTIFY_DELAY);
    original(&orig);
    notice_init(&notice, BOUNCE_KIND_FAILURE, false, BOUNCE_RETURN_FULL,
		"alice@capture.example", "98D09A967E0");
    bounce_notify_build(out, &notice, &orig, &log);
    text = vstring_str(out);
    assert_non_null(strstr(text, "\nSubject: Undelivered Mail Returned to "
			   "Sender\nTo: alice@capture.example\n"
			   "Auto-Submitted: auto-replied\n"));
    assert_non_null(strstr(text, "This is the mail system at host "
			   "test.example.\n"));
    assert_non_null(strstr(text, "\n\n<nouser@test.example>: unknown user: "
			   "\"nouser\"\n\n<bob@remote.example>: host"));
    /* NOTIFY=DELAY only: not in a failure notice. */
    assert_null(strstr(text, "quiet@"));
    assert_non_null(strstr(text, "Content-Description: Undelivered Message\n"
			   "Content-Type: message/rfc822\n"
			   "Content-Transfer-Encoding: 8bit\n\n"
			   "Return-Path: <alice@capture.example>\n"
			   "Received: from client.example"));
    assert_non_null(strstr(text, "Date: Sat,  5 Dec 2026 07:42:47 +0000 "
			   "(UTC)\n\nbody line 1\nbody line 2\n\n"
			   "--74686A967D4.1796456567/test.example--\n"));
    /* Too big: headers only, whatever RET says. */
    orig.body_ok = false;
    bounce_notify_build(out, &notice, &orig, &log);
    assert_non_null(strstr(vstring_str(out), "Content-Description: "
			   "Undelivered Message Headers\nContent-Type: "
			   "text/rfc822-headers\n"));
    assert_null(strstr(vstring_str(out), "body line"));
    /* Unreadable original: two parts. */
    orig.readable = false;
    bounce_notify_build(out, &notice, &orig, &log);
    assert_null(strstr(vstring_str(out), "Return-Path"));
    bounce_original_free(&orig);
    bounce_log_free(&log);
    vstring_free(out);
}

/* test_delay_and_success - Will-Retry-Until, actions, delivery via */
static void test_delay_and_success(void **state)
{
    BOUNCE_NOTICE notice;
    BOUNCE_ORIGINAL orig;
    BOUNCE_LOG log;
    VSTRING *out = vstring_alloc(1000);

    setup_conf();
    bounce_log_init(&log);
    entry(&log, "later@remote.example", "", "4.2.0", "try later", "", "",
	  "", 0);
    original(&orig);
    notice_init(&notice, BOUNCE_KIND_DELAY, false, BOUNCE_RETURN_HEADERS,
		"alice@capture.example", "A2A72A967E9");
    notice.retry_until = 1796456567 + 5 * 86400;
    bounce_notify_build(out, &notice, &orig, &log);
    assert_non_null(strstr(vstring_str(out), "\nAction: delayed\n"
			   "Status: 4.2.0\nDiagnostic-Code: X-Postfix; try "
			   "later\nWill-Retry-Until: Thu, 10 Dec 2026 07:42:47 "
			   "+0000 (UTC)\n"));
    assert_non_null(strstr(vstring_str(out), "Subject: Delayed Mail "
			   "(still being retried)\n"));
    bounce_log_free(&log);

    bounce_log_init(&log);
    entry(&log, "accept@remote.example", "", "2.0.0",
	  "250 2.0.0 Ok: queued as ABC", "smtp",
	  "250 2.0.0 Ok: queued as ABC", "127.0.0.1", DSN_NOTIFY_SUCCESS);
    bounce_entry_set(&log.entries[0].action, "relayed");
    bounce_entry_set(&log.entries[0].relay, "127.0.0.1[127.0.0.1]:42525");
    entry(&log, "nobody@remote.example", "", "2.0.0", "ok", "", "", "", 0);
    notice_init(&notice, BOUNCE_KIND_SUCCESS, false, BOUNCE_RETURN_HEADERS,
		"alice@capture.example", "BDF7BA96203");
    bounce_notify_build(out, &notice, &orig, &log);
    /* Debian's text, wrapped at the same place. */
    assert_non_null(strstr(vstring_str(out), "\n<accept@remote.example>: "
			   "delivery via 127.0.0.1[127.0.0.1]:42525: 250 "
			   "2.0.0 Ok:\n    queued as ABC\n"));
    assert_non_null(strstr(vstring_str(out), "\nAction: relayed\n"));
    assert_null(strstr(vstring_str(out), "nobody@"));
    assert_non_null(strstr(vstring_str(out), "Content-Description: Message "
			   "Headers\n"));
    /* sendmail -v: every recipient. */
    notice.request_flags = DEL_REQ_FLAG_RECORD;
    bounce_notify_build(out, &notice, &orig, &log);
    assert_non_null(strstr(vstring_str(out), "<nobody@remote.example>: "
			   "ok\n"));
    bounce_original_free(&orig);
    bounce_log_free(&log);
    vstring_free(out);
}

/* test_wrap - the column rule */
static void test_wrap(void **state)
{
    static const struct {
	const char *in;
	int     width;
	const char *out;
    }       cases[] = {
	{"short", 79, "short\n"},
	{"aaa bbb ccc", 7, "aaa bbb\n    ccc\n"},
	{"aaa bbb ccc", 6, "aaa\n    bbb\n    ccc\n"},
	{"averyveryverylongword x", 5, "averyveryverylongword\n    x\n"},
	{"", 79, "\n"},
    };
    VSTRING *out = vstring_alloc(100);

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
	VSTRING_RESET(out);
	VSTRING_TERMINATE(out);
	bounce_notify_wrap(out, cases[i].in, cases[i].width, 4);
	assert_string_equal(vstring_str(out), cases[i].out);
    }
    vstring_free(out);
}

/* test_wanted - which NOTIFY values get which notice */
static void test_wanted(void **state)
{
    BOUNCE_LOG log;

    bounce_log_init(&log);
    entry(&log, "a@b", "", "5.0.0", "x", "", "", "", 0);
    assert_true(bounce_notify_wanted(BOUNCE_KIND_FAILURE, log.entries, 0));
    assert_true(bounce_notify_wanted(BOUNCE_KIND_DELAY, log.entries, 0));
    assert_false(bounce_notify_wanted(BOUNCE_KIND_SUCCESS, log.entries, 0));
    assert_true(bounce_notify_wanted(BOUNCE_KIND_SUCCESS, log.entries,
				     DEL_REQ_FLAG_RECORD));
    log.entries[0].dsn_notify = DSN_NOTIFY_NEVER;
    assert_false(bounce_notify_wanted(BOUNCE_KIND_FAILURE, log.entries, 0));
    assert_false(bounce_notify_wanted(BOUNCE_KIND_DELAY, log.entries, 0));
    log.entries[0].dsn_notify = DSN_NOTIFY_SUCCESS | DSN_NOTIFY_FAILURE;
    assert_true(bounce_notify_wanted(BOUNCE_KIND_FAILURE, log.entries, 0));
    assert_false(bounce_notify_wanted(BOUNCE_KIND_DELAY, log.entries, 0));
    assert_true(bounce_notify_wanted(BOUNCE_KIND_SUCCESS, log.entries, 0));
    bounce_log_free(&log);
}

/* test_original_limit - the size limit keeps headers, drops the body */
static void test_original_limit(void **state)
{
    BOUNCE_ORIGINAL orig;

    bounce_original_init(&orig);
    bounce_original_line(&orig, "Subject: x", 10, 40);
    bounce_original_line(&orig, "", 0, 40);
    bounce_original_line(&orig, "0123456789", 10, 40);
    assert_true(orig.body_ok);
    assert_string_equal(vstring_str(orig.body), "0123456789\n");
    bounce_original_line(&orig, "0123456789abcdefghij", 20, 40);
    assert_false(orig.body_ok);
    assert_string_equal(vstring_str(orig.body), "");
    assert_string_equal(vstring_str(orig.headers), "Subject: x\n");
    bounce_original_free(&orig);

    /* The headers end before the first one that does not fit. */
    bounce_original_init(&orig);
    bounce_original_line(&orig, "A: 1", 4, 12);
    bounce_original_line(&orig, "B: 22222222", 11, 12);
    bounce_original_line(&orig, "C: 3", 4, 12);
    assert_string_equal(vstring_str(orig.headers), "A: 1\n");
    assert_false(orig.body_ok);
    bounce_original_free(&orig);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_golden_postmaster_copy),
	cmocka_unit_test(test_sender_notice),
	cmocka_unit_test(test_delay_and_success),
	cmocka_unit_test(test_wrap),
	cmocka_unit_test(test_wanted),
	cmocka_unit_test(test_original_limit),
    };

    setenv("TZ", "UTC", 1);
    tzset();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
