/*
 * test_cleanup_checks - unit tests for cleanup_checks(3)
 *
 *	Every expected log line below is a line that Debian's Postfix
 *	3.7.11 logged for the same rule and input (queue ID and context
 *	replaced by ours; docs/internals/cleanup-maps.md), except where a
 *	comment says otherwise.
 */
#include "sys_defs.h"

#include <stdlib.h>
#include <string.h>

#include "msg.h"
#include "mymalloc.h"
#include "vstring.h"
#include "cleanup_maps.h"
#include "test_cleanup_support.h"

#define H	CLEANUP_CHECK_HEADER
#define M	CLEANUP_CHECK_MIME_HEADER
#define N	CLEANUP_CHECK_NESTED_HEADER
#define B	CLEANUP_CHECK_BODY

#define CHECKS	"header_checks=regexp:%D/header_checks\n" \
		"body_checks=regexp:%D/body_checks\n"
#define CTX	" from localhost[127.0.0.1]; from=<a@sender.example>" \
		" to=<c@rcpt.example> proto=ESMTP helo=<helohost>"
#define LOCAL	" from local; from=<local@sender.example> to=<c@rcpt.example>"

static const char header_table[] =
    "/^Subject: reject1$/ REJECT\n"
    "/^Subject: reject2$/ REJECT custom text here\n"
    "/^Subject: reject3$/ REJECT 5.7.2 with code\n"
    "/^Subject: reject4$/ REJECT 4.7.2 temp code in reject\n"
    "/^Subject: reject5$/ REJECT 550 5.7.3 smtp code\n"
    "/^Subject: reject6$/ REJECT 5.7.2\n"
    "/^Subject: reject7$/ REJECT 2.7.2 success code\n"
    "/^Subject: reject8$/ REJECT 3.7.2 bad class\n"
    "/^Subject: reject9$/ REJECT 5.7.1234 long\n"
    "/^Subject: reject10$/ REJECT 4.7.2\n"
    "/^Subject: defer1$/ DEFER\n"
    "/^Subject: discard1$/ DISCARD\n"
    "/^Subject: discard2$/ DISCARD custom discard\n"
    "/^Subject: hold1$/ HOLD\n"
    "/^Subject: hold2$/ HOLD custom hold\n"
    "/^Subject: redirect1$/ REDIRECT red@example.net\n"
    "/^Subject: redirect2$/ REDIRECT\n"
    "/^Subject: redirect3$/ REDIRECT nodomain\n"
    "/^Subject: bcc1$/ BCC bcc@example.net\n"
    "/^Subject: bcc2$/ BCC\n"
    "/^Subject: bcc3$/ BCC nodomain\n"
    "/^Subject: filter1$/ FILTER smtp:[127.0.0.1]:10025\n"
    "/^Subject: filter2$/ FILTER nocolon\n"
    "/^Subject: filter3$/ FILTER\n"
    "/^Subject: filter4$/ FILTER smtp:\n"
    "/^Subject: prepend1$/ PREPEND X-Pre: yes\n"
    "/^Subject: prepend2$/ PREPEND not a header\n"
    "/^Subject: prepend3$/ PREPEND\n"
    "/^Subject: replace1$/ REPLACE X-Rep: replaced\n"
    "/^Subject: replace2$/ REPLACE not a header\n"
    "/^Subject: replace3$/ REPLACE\n"
    "/^Subject: ignore1$/ IGNORE\n"
    "/^Subject: ignore2$/ IGNORE some text\n"
    "/^Subject: strip1$/ STRIP\n"
    "/^Subject: strip2$/ STRIP custom strip\n"
    "/^Subject: warn1$/ WARN\n"
    "/^Subject: warn2$/ WARN custom warn\n"
    "/^Subject: info1$/ INFO\n"
    "/^Subject: info2$/ INFO custom info\n"
    "/^Subject: pass1$/ PASS\n"
    "/^Subject: pass2$/ PASS custom pass\n"
    "/^Subject: dunno1$/ DUNNO\n"
    "/^Subject: ok1$/ OK\n"
    "/^Subject: bogus1$/ BOGUS action\n"
    "/^Subject: lower1$/ reject lower case\n"
    "/^Subject: tab1/ WARN\n"
    "/^Subject: long/ WARN\n"
    "/^Subject: fold/ WARN\n"
    "/^Subject: utf8/ WARN\n"
    "/^Subject: ctl/ WARN\n"
    "/^Content-Type: text\\/x-mimewarn/ WARN mime seen\n"
    "/^Content-Type: text\\/x-bogus/ BOGUS2 mime\n"
    "/^Subject: nested-bogus$/ BOGUS3 nested\n";

static const char body_table[] =
    "/^body-reject$/ REJECT\n"
    "/^body-reject2$/ REJECT body text\n"
    "/^body-warn$/ WARN\n"
    "/^body-info$/ INFO body info\n"
    "/^body-replace$/ REPLACE replaced body\n"
    "/^body-prepend$/ PREPEND prepended body\n"
    "/^body-ignore$/ IGNORE\n"
    "/^body-hold$/ HOLD\n"
    "/^body-discard$/ DISCARD\n"
    "/^--BOUNDARY/ WARN mime boundary\n"
    "/^body-long/ WARN\n"
    "/^body-bogus$/ BOGUS4 body\n";

typedef struct CHECK_CASE {
    const char *label;
    const char *settings;
    int     class;
    const char *input;
    int     action;
    const char *text;
    const char *log;
} CHECK_CASE;

#define Q	"QID: "

static const CHECK_CASE check_cases[] = {
    {"reject default", CHECKS, H, "Subject: reject1", CLEANUP_ACT_REJECT,
	"5.7.1 message content rejected",
    Q "reject: header Subject: reject1" CTX ": 5.7.1 message content rejected\n"},
    {"reject text", CHECKS, H, "Subject: reject2", CLEANUP_ACT_REJECT,
	"5.7.1 custom text here",
    Q "reject: header Subject: reject2" CTX ": 5.7.1 custom text here\n"},
    {"reject with code", CHECKS, H, "Subject: reject3", CLEANUP_ACT_REJECT,
	"5.7.2 with code",
    Q "reject: header Subject: reject3" CTX ": 5.7.2 with code\n"},
    {"reject with 4.x.x code", CHECKS, H, "Subject: reject4",
	CLEANUP_ACT_REJECT, "4.7.2 temp code in reject",
    Q "reject: header Subject: reject4" CTX ": 4.7.2 temp code in reject\n"},
    {"reject with SMTP code", CHECKS, H, "Subject: reject5",
	CLEANUP_ACT_REJECT, "5.7.1 550 5.7.3 smtp code",
    Q "reject: header Subject: reject5" CTX ": 5.7.1 550 5.7.3 smtp code\n"},
    /* Postfix 3.7 replied "5.7.2 f-clean" here (stray bytes). */
    {"reject with code only", CHECKS, H, "Subject: reject6",
	CLEANUP_ACT_REJECT, "5.7.2 ",
    Q "reject: header Subject: reject6" CTX ": 5.7.2 \n"},
    {"reject with 4.x.x code only", CHECKS, H, "Subject: reject10",
	CLEANUP_ACT_REJECT, "4.7.2 ",
    Q "reject: header Subject: reject10" CTX ": 4.7.2 \n"},
    {"reject with success code", CHECKS, H, "Subject: reject7",
	CLEANUP_ACT_REJECT, "4.7.2 success code",
    Q "reject: header Subject: reject7" CTX ": 4.7.2 success code\n"},
    {"reject with bad code class", CHECKS, H, "Subject: reject8",
	CLEANUP_ACT_REJECT, "5.7.1 3.7.2 bad class",
    Q "reject: header Subject: reject8" CTX ": 5.7.1 3.7.2 bad class\n"},
    {"reject with long code", CHECKS, H, "Subject: reject9",
	CLEANUP_ACT_REJECT, "5.7.1 5.7.1234 long",
    Q "reject: header Subject: reject9" CTX ": 5.7.1 5.7.1234 long\n"},
    {"reject, lower case", CHECKS, H, "Subject: lower1", CLEANUP_ACT_REJECT,
	"5.7.1 lower case",
    Q "reject: header Subject: lower1" CTX ": 5.7.1 lower case\n"},
    {"DEFER is no action", CHECKS, H, "Subject: defer1", CLEANUP_ACT_NONE, "",
    "warning: unknown command in header_checks map: DEFER\n"},
    {"discard", CHECKS, H, "Subject: discard1", CLEANUP_ACT_DISCARD, "",
    Q "discard: header Subject: discard1" CTX "\n"},
    {"discard text", CHECKS, H, "Subject: discard2", CLEANUP_ACT_DISCARD,
	"custom discard",
    Q "discard: header Subject: discard2" CTX ": custom discard\n"},
    {"hold", CHECKS, H, "Subject: hold1", CLEANUP_ACT_HOLD, "",
    Q "hold: header Subject: hold1" CTX "\n"},
    {"hold text", CHECKS, H, "Subject: hold2", CLEANUP_ACT_HOLD, "custom hold",
    Q "hold: header Subject: hold2" CTX ": custom hold\n"},
    {"redirect", CHECKS, H, "Subject: redirect1", CLEANUP_ACT_REDIRECT,
	"red@example.net",
    Q "redirect: header Subject: redirect1" CTX ": red@example.net\n"},
    {"redirect without target", CHECKS, H, "Subject: redirect2",
	CLEANUP_ACT_NONE, "",
	"warning: bad REDIRECT target \"\" in header_checks map"
    " -- need user@domain\n"},
    {"redirect without domain", CHECKS, H, "Subject: redirect3",
	CLEANUP_ACT_NONE, "",
	"warning: bad REDIRECT target \"nodomain\" in header_checks map"
    " -- need user@domain\n"},
    {"bcc", CHECKS, H, "Subject: bcc1", CLEANUP_ACT_BCC, "bcc@example.net",
    Q "bcc: header Subject: bcc1" CTX ": bcc@example.net\n"},
    {"bcc without address", CHECKS, H, "Subject: bcc2", CLEANUP_ACT_NONE, "",
	"warning: bad BCC address \"\" in header_checks map"
    " -- need user@domain\n"},
    {"bcc without domain", CHECKS, H, "Subject: bcc3", CLEANUP_ACT_NONE, "",
	"warning: bad BCC address \"nodomain\" in header_checks map"
    " -- need user@domain\n"},
    {"filter", CHECKS, H, "Subject: filter1", CLEANUP_ACT_FILTER,
	"smtp:[127.0.0.1]:10025",
    Q "filter: header Subject: filter1" CTX ": smtp:[127.0.0.1]:10025\n"},
    {"filter without colon", CHECKS, H, "Subject: filter2", CLEANUP_ACT_NONE,
	"", "warning: bad FILTER command nocolon in header_checks"
    " -- need transport:destination\n"},
    {"filter without argument", CHECKS, H, "Subject: filter3",
	CLEANUP_ACT_NONE, "",
    "warning: missing FILTER command argument in header_checks map\n"},
    {"filter, empty destination", CHECKS, H, "Subject: filter4",
	CLEANUP_ACT_FILTER, "smtp:",
    Q "filter: header Subject: filter4" CTX ": smtp:\n"},
    {"prepend", CHECKS, H, "Subject: prepend1", CLEANUP_ACT_PREPEND,
	"X-Pre: yes",
    Q "prepend: header Subject: prepend1" CTX ": X-Pre: yes\n"},
    {"prepend, not a header", CHECKS, H, "Subject: prepend2",
	CLEANUP_ACT_NONE, "",
	"warning: bad PREPEND header text \"not a header\" in header_checks"
    " map -- need \"headername: headervalue\"\n"},
    {"prepend without text", CHECKS, H, "Subject: prepend3",
	CLEANUP_ACT_NONE, "",
    "warning: PREPEND action without text in header_checks map\n"},
    {"replace", CHECKS, H, "Subject: replace1", CLEANUP_ACT_REPLACE,
	"X-Rep: replaced",
    Q "replace: header Subject: replace1" CTX ": X-Rep: replaced\n"},
    {"replace, not a header", CHECKS, H, "Subject: replace2",
	CLEANUP_ACT_NONE, "",
	"warning: bad REPLACE header text \"not a header\" in header_checks"
    " map -- need \"headername: headervalue\"\n"},
    {"replace without text", CHECKS, H, "Subject: replace3",
	CLEANUP_ACT_NONE, "",
    "warning: REPLACE action without text in header_checks map\n"},
    {"ignore", CHECKS, H, "Subject: ignore1", CLEANUP_ACT_IGNORE, "", ""},
    {"ignore with text", CHECKS, H, "Subject: ignore2", CLEANUP_ACT_IGNORE,
    "some text", ""},
    {"strip", CHECKS, H, "Subject: strip1", CLEANUP_ACT_STRIP, "",
    Q "strip: header Subject: strip1" CTX "\n"},
    {"strip text", CHECKS, H, "Subject: strip2", CLEANUP_ACT_STRIP,
	"custom strip",
    Q "strip: header Subject: strip2" CTX ": custom strip\n"},
    {"warn", CHECKS, H, "Subject: warn1", CLEANUP_ACT_WARN, "",
    Q "warning: header Subject: warn1" CTX "\n"},
    {"warn text", CHECKS, H, "Subject: warn2", CLEANUP_ACT_WARN, "custom warn",
    Q "warning: header Subject: warn2" CTX ": custom warn\n"},
    {"info", CHECKS, H, "Subject: info1", CLEANUP_ACT_INFO, "",
    Q "info: header Subject: info1" CTX "\n"},
    {"info text", CHECKS, H, "Subject: info2", CLEANUP_ACT_INFO, "custom info",
    Q "info: header Subject: info2" CTX ": custom info\n"},
    {"pass", CHECKS, H, "Subject: pass1", CLEANUP_ACT_PASS, "",
    Q "pass: header Subject: pass1" CTX "\n"},
    {"pass text", CHECKS, H, "Subject: pass2", CLEANUP_ACT_PASS, "custom pass",
    Q "pass: header Subject: pass2" CTX ": custom pass\n"},
    {"dunno", CHECKS, H, "Subject: dunno1", CLEANUP_ACT_NONE, "", ""},
    {"ok", CHECKS, H, "Subject: ok1", CLEANUP_ACT_NONE, "", ""},
    {"unknown action", CHECKS, H, "Subject: bogus1", CLEANUP_ACT_NONE, "",
    "warning: unknown command in header_checks map: BOGUS action\n"},
    {"no match", CHECKS, H, "Subject: hello", CLEANUP_ACT_NONE, "", ""},
    {"no table", "", H, "Subject: reject1", CLEANUP_ACT_NONE, "", ""},
    {"empty header", CHECKS, H, "", CLEANUP_ACT_NONE, "", ""},
    {"folded header shown with ?", CHECKS, H,
	"Subject: fold\n\tcontinued line\n  third", CLEANUP_ACT_WARN, "",
    Q "warning: header Subject: fold??continued line?  third" CTX "\n"},
    {"tab shown with ?", CHECKS, H, "Subject: tab1\there", CLEANUP_ACT_WARN,
    "", Q "warning: header Subject: tab1?here" CTX "\n"},
    {"control bytes", CHECKS, H, "Subject: ctl \001\177 bytes",
	CLEANUP_ACT_WARN, "",
    Q "warning: header Subject: ctl ?? bytes" CTX "\n"},
    {"UTF-8 kept, bad bytes shown with ?", CHECKS, H,
	"Subject: utf8 caf\303\251 \377", CLEANUP_ACT_WARN, "",
    Q "warning: header Subject: utf8 caf\303\251 ?" CTX "\n"},
    /* Not observed: with smtputf8_enable=no Postfix logs ASCII only. */
    {"UTF-8 without smtputf8_enable", CHECKS "smtputf8_enable=no\n", H,
	"Subject: utf8 caf\303\251 \377", CLEANUP_ACT_WARN, "",
    Q "warning: header Subject: utf8 caf?? ?" CTX "\n"},
    {"MIME header uses mime_header_checks", CHECKS, M,
	"Content-Type: text/x-mimewarn", CLEANUP_ACT_WARN, "mime seen",
    Q "warning: header Content-Type: text/x-mimewarn" CTX ": mime seen\n"},
    {"mime_header_checks title", CHECKS, M, "Content-Type: text/x-bogus",
	CLEANUP_ACT_NONE, "",
    "warning: unknown command in mime_header_checks map: BOGUS2 mime\n"},
    {"nested_header_checks title", CHECKS, N, "Subject: nested-bogus",
	CLEANUP_ACT_NONE, "",
    "warning: unknown command in nested_header_checks map: BOGUS3 nested\n"},
    {"nested header", CHECKS, N, "Subject: warn1", CLEANUP_ACT_WARN, "",
    Q "warning: header Subject: warn1" CTX "\n"},
    {"empty mime_header_checks", CHECKS "mime_header_checks=\n", M,
    "Content-Type: text/x-mimewarn", CLEANUP_ACT_NONE, "", ""},
    {"empty nested_header_checks", CHECKS "nested_header_checks=\n", N,
    "Subject: warn1", CLEANUP_ACT_NONE, "", ""},
    {"body reject", CHECKS, B, "body-reject", CLEANUP_ACT_REJECT,
	"5.7.1 message content rejected",
    Q "reject: body body-reject" CTX ": 5.7.1 message content rejected\n"},
    {"body reject text", CHECKS, B, "body-reject2", CLEANUP_ACT_REJECT,
	"5.7.1 body text",
    Q "reject: body body-reject2" CTX ": 5.7.1 body text\n"},
    {"body warn", CHECKS, B, "body-warn", CLEANUP_ACT_WARN, "",
    Q "warning: body body-warn" CTX "\n"},
    {"body info", CHECKS, B, "body-info", CLEANUP_ACT_INFO, "body info",
    Q "info: body body-info" CTX ": body info\n"},
    {"body replace", CHECKS, B, "body-replace", CLEANUP_ACT_REPLACE,
	"replaced body",
    Q "replace: body body-replace" CTX ": replaced body\n"},
    {"body prepend", CHECKS, B, "body-prepend", CLEANUP_ACT_PREPEND,
	"prepended body",
    Q "prepend: body body-prepend" CTX ": prepended body\n"},
    {"body ignore", CHECKS, B, "body-ignore", CLEANUP_ACT_IGNORE, "", ""},
    {"body hold", CHECKS, B, "body-hold", CLEANUP_ACT_HOLD, "",
    Q "hold: body body-hold" CTX "\n"},
    {"body discard", CHECKS, B, "body-discard", CLEANUP_ACT_DISCARD, "",
    Q "discard: body body-discard" CTX "\n"},
    {"MIME boundary", CHECKS, B, "--BOUNDARY--", CLEANUP_ACT_WARN,
	"mime boundary",
    Q "warning: body --BOUNDARY--" CTX ": mime boundary\n"},
    {"body unknown action", CHECKS, B, "body-bogus", CLEANUP_ACT_NONE, "",
    "warning: unknown command in body_checks map: BOGUS4 body\n"},
    {"header lookup failure", "header_checks=regexp:%D/header_checks,"
	" fail:hcfail\n", H, "Subject: nomatch", CLEANUP_ACT_RETRY,
	"4.3.0 queue file write error",
	"warning: fail:hcfail lookup error for \"Subject: nomatch\"\n"
	"warning: QID: header_checks map lookup problem"
    " -- message not accepted, try again later\n"},
    {"body lookup failure", "body_checks=regexp:%D/body_checks,"
	" fail:bcfail\n", B, "hello", CLEANUP_ACT_RETRY,
	"4.3.0 queue file write error",
	"warning: fail:bcfail lookup error for \"hello\"\n"
	"warning: QID: body_checks map lookup problem"
    " -- message not accepted, try again later\n"},
};

static const CLEANUP_LOG_CONTEXT smtp_ctx = {
    "QID", "localhost", "127.0.0.1", "a@sender.example", "c@rcpt.example",
    "ESMTP", "helohost", false,
};

/* test_check_cases - cleanup_checks_header() and _body() table */
static void test_check_cases(void **state)
{
    const CHECK_CASE *cp;
    CLEANUP_MAPS *cm;
    CLEANUP_CHECK_RESULT *result = cleanup_check_result_create();
    char   *log;
    int     action;
    int     failed = 0;

    (void) state;
    test_cleanup_table("header_checks", header_table);
    test_cleanup_table("body_checks", body_table);
    for (cp = check_cases; cp < check_cases + ARRAY_LEN(check_cases); cp++) {
	cm = test_cleanup_create(cp->settings);
	action = cp->class == B ?
	    cleanup_checks_body(cm, cp->input, strlen(cp->input), &smtp_ctx,
				result) :
	    cleanup_checks_header(cm, cp->class, cp->input, strlen(cp->input),
				  &smtp_ctx, result);
	log = test_cleanup_log_end();
	if (action != cp->action || result->action != action
	    || strcmp(vstring_str(result->text), cp->text) != 0
	    || strcmp(log, cp->log) != 0) {
	    print_error("%s: got %d \"%s\" log \"%s\"; want %d \"%s\" log \"%s\"\n",
			cp->label, action, vstring_str(result->text), log,
			cp->action, cp->text, cp->log);
	    failed++;
	}
	myfree(log);
	cleanup_maps_free(cm);
    }
    cleanup_check_result_free(result);
    if (failed)
	fail_msg("%d case(s) failed", failed);
}

/* test_check_context - the context part of the log line */
static void test_check_context(void **state)
{
    static const CLEANUP_LOG_CONTEXT local_ctx = {
	"QID", 0, 0, "local@sender.example", "c@rcpt.example", 0, 0, false,
    };
    static const CLEANUP_LOG_CONTEXT extract_ctx = {
	"QID", 0, 0, "local@sender.example", 0, 0, 0, false,
    };
    static const CLEANUP_LOG_CONTEXT null_sender_ctx = {
	"QID", 0, 0, "", "d@rcpt.example", 0, 0, false,
    };
    static const CLEANUP_LOG_CONTEXT helo_ctx = {
	"QID", "localhost", "127.0.0.1", "h@x.example", "r@rcpt.example",
	"SMTP", "helo2", false,
    };
    VSTRING *buf = vstring_alloc(100);
    VSTRING *input = vstring_alloc(100);
    VSTRING *want = vstring_alloc(100);
    size_t  n;

    (void) state;
    cleanup_checks_log_format(buf, "warning", H, "Subject: warn1", &local_ctx,
			      (char *) 0);
    assert_string_equal(vstring_str(buf),
			"QID: warning: header Subject: warn1" LOCAL);
    cleanup_checks_log_format(buf, "warning", B, "body-warn", &extract_ctx,
			      (char *) 0);
    assert_string_equal(vstring_str(buf), "QID: warning: body body-warn"
			" from local; from=<local@sender.example>");
    cleanup_checks_log_format(buf, "warning", H, "Subject: warn2",
			      &null_sender_ctx, "custom warn");
    assert_string_equal(vstring_str(buf), "QID: warning: header Subject: warn2"
		     " from local; from=<> to=<d@rcpt.example>: custom warn");
    cleanup_checks_log_format(buf, "warning", H, "Subject: warn1", &helo_ctx,
			      (char *) 0);
    assert_string_equal(vstring_str(buf), "QID: warning: header Subject: warn1"
			" from localhost[127.0.0.1]; from=<h@x.example>"
			" to=<r@rcpt.example> proto=SMTP helo=<helo2>");

    /* At most 200 bytes of the input. */
    vstring_strcpy(input, "Subject: long ");
    for (n = 0; n < 2500; n++)
	VSTRING_ADDCH(input, 'y');
    VSTRING_TERMINATE(input);
    cleanup_checks_log_format(buf, "warning", H, vstring_str(input), &smtp_ctx,
			      (char *) 0);
    vstring_sprintf(want, "QID: warning: header %.200s" CTX, vstring_str(input));
    assert_string_equal(vstring_str(buf), vstring_str(want));
    assert_string_equal(cleanup_checks_class_name(B), "body");
    assert_string_equal(cleanup_checks_class_name(N), "header");
    vstring_free(buf);
    vstring_free(input);
    vstring_free(want);
}

/* test_check_null_byte - input up to a null byte */
static void test_check_null_byte(void **state)
{
    static const char header[] = "Subject: warn1\0junk";
    CLEANUP_MAPS *cm;
    CLEANUP_CHECK_RESULT *result = cleanup_check_result_create();
    char   *log;

    (void) state;
    test_cleanup_table("header_checks", header_table);
    test_cleanup_table("body_checks", body_table);
    cm = test_cleanup_create(CHECKS);
    assert_int_equal(cleanup_checks_header(cm, H, header, sizeof(header) - 1,
					   &smtp_ctx, result),
		     CLEANUP_ACT_WARN);
    assert_int_equal(cleanup_checks_body(cm, "\0body-warn", 10, &smtp_ctx,
					 result), CLEANUP_ACT_NONE);
    assert_int_equal(cleanup_checks_body(cm, "body-warn", 4, &smtp_ctx,
					 result), CLEANUP_ACT_NONE);
    log = test_cleanup_log_end();
    assert_string_equal(log, Q "warning: header Subject: warn1" CTX "\n");
    myfree(log);
    assert_int_equal(cm->body_checks_size_limit, 51200);
    cleanup_maps_free(cm);
    cleanup_check_result_free(result);
}

/* test_check_action - table values parsed directly */
static void test_check_action(void **state)
{
    CLEANUP_CHECK_RESULT *result = cleanup_check_result_create();
    VSTRING *long_cmd = vstring_alloc(100);
    size_t  n;

    (void) state;
    test_capture_start();
    assert_int_equal(cleanup_checks_action("t", B, "reJeCt\t  spaced text",
					   "x", &smtp_ctx, result),
		     CLEANUP_ACT_REJECT);
    assert_string_equal(vstring_str(result->text), "5.7.1 spaced text");
    assert_int_equal(cleanup_checks_action("t", H, "PREPEND X-A : b", "x",
					   &smtp_ctx, result),
		     CLEANUP_ACT_PREPEND);
    assert_int_equal(cleanup_checks_action("t", H, "REJECT 5.7.999 x", "x",
					   &smtp_ctx, result),
		     CLEANUP_ACT_REJECT);
    assert_string_equal(vstring_str(result->text), "5.7.999 x");
    /* Not a status code: more than three digits, or a bad class. */
    assert_int_equal(cleanup_checks_action("t", H, "REJECT 5.7.1000 x", "x",
					   &smtp_ctx, result),
		     CLEANUP_ACT_REJECT);
    assert_string_equal(vstring_str(result->text), "5.7.1 5.7.1000 x");
    (void) cleanup_checks_action("t", H, "REJECT 3.7.1 x", "x", &smtp_ctx,
				 result);
    assert_string_equal(vstring_str(result->text), "5.7.1 3.7.1 x");
    for (n = 0; n < 100; n++)
	VSTRING_ADDCH(long_cmd, 'X');
    VSTRING_TERMINATE(long_cmd);
    assert_int_equal(cleanup_checks_action("t", H, vstring_str(long_cmd), "x",
					   &smtp_ctx, result),
		     CLEANUP_ACT_NONE);
    assert_int_equal(cleanup_checks_action("t", H, "", "x", &smtp_ctx, result),
		     CLEANUP_ACT_NONE);
    test_capture_stop();
    vstring_free(long_cmd);
    cleanup_check_result_free(result);
}

/* test_check_filter_redirected - FILTER after REDIRECT is not logged */
static void test_check_filter_redirected(void **state)
{
    CLEANUP_CHECK_RESULT *result = cleanup_check_result_create();
    CLEANUP_LOG_CONTEXT ctx = smtp_ctx;
    char   *log;

    (void) state;
    test_capture_start();
    assert_int_equal(cleanup_checks_action("t", H, "FILTER smtp:[h]:25",
					   "Subject: f", &ctx, result),
		     CLEANUP_ACT_FILTER);
    log = test_cleanup_log_end();
    assert_string_equal(log, "QID: filter: header Subject: f" CTX
			": smtp:[h]:25\n");
    myfree(log);

    /* Postfix 3.7 ignores it silently; the action is still returned. */
    ctx.redirected = true;
    test_capture_start();
    assert_int_equal(cleanup_checks_action("t", H, "FILTER smtp:[h]:25",
					   "Subject: f", &ctx, result),
		     CLEANUP_ACT_FILTER);
    assert_string_equal(vstring_str(result->text), "smtp:[h]:25");
    assert_int_equal(cleanup_checks_action("t", H, "WARN w", "Subject: f",
					   &ctx, result), CLEANUP_ACT_WARN);
    log = test_cleanup_log_end();
    assert_string_equal(log, "QID: warning: header Subject: f" CTX ": w\n");
    myfree(log);
    cleanup_check_result_free(result);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_check_cases),
	cmocka_unit_test(test_check_context),
	cmocka_unit_test(test_check_null_byte),
	cmocka_unit_test(test_check_action),
	cmocka_unit_test(test_check_filter_redirected),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
