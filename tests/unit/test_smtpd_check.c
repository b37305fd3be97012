/*
 * test_smtpd_check - unit tests for the smtpd(8) restriction engine
 *
 * The engine (smtpd_check.c, smtpd_check_table.c, smtpd_check_access.c)
 * runs on a hand-built SMTPD_STATE; the other restriction modules are
 * replaced by a stand-in table with one restriction,
 * reject_unauth_destination, that rejects recipients outside
 * "mx.example" the way the real one words it.
 */
#include "sys_defs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "argv.h"
#include "mail_conf.h"
#include "mail_params.h"
#include "smtpd_check.h"
#include "smtpd_check_addr.h"
#include "test_support.h"
#include "test_child.h"
#include "test_smtpd_check_support.h"

/* stand_in_relay - reject_unauth_destination for "mx.example" only */
static int stand_in_relay(SMTPD_CHECK_CALL *call)
{
    const char *at = strrchr(call->reply_name, '@');

    if (at != NULL && strcasecmp(at + 1, "mx.example") == 0)
	return SMTPD_CHECK_DUNNO;
    return smtpd_check_reject(call, MAIL_ERROR_POLICY, 554, "5.7.1",
			      "<%s>: Relay access denied", call->reply_name);
}

const SMTPD_RESTRICTION smtpd_check_addr_table[] = {
    {"reject_unauth_destination", stand_in_relay, 0},
    {0},
};
const SMTPD_RESTRICTION smtpd_check_dns_table[] = {{0}};
const SMTPD_RESTRICTION smtpd_policy_table[] = {{0}};

/* smtpd_check_addr_init - stand-in: no recipient tables */
void    smtpd_check_addr_init(void)
{
}

/* smtpd_policy_service_init - stand-in: no policy services */
void    smtpd_policy_service_init(const char *spec)
{
}

/* smtpd_xclient_login - stand-in: no XCLIENT */
const char *smtpd_xclient_login(SMTPD_STATE *state)
{
    return NULL;
}

static SMTPD_STATE state;

/* configure - set main.cf parameters ("name", "value", ..., NULL) */
static void configure(const char *name,...)
{
    va_list ap;
    const char *value;

    mail_conf_clear();
    mail_conf_update("mynetworks", "127.0.0.0/8");
    mail_conf_update("smtpd_relay_restrictions",
		     "permit_mynetworks, reject_unauth_destination");
    mail_conf_update("queue_directory", "/");
    va_start(ap, name);
    for (; name != NULL; name = va_arg(ap, const char *)) {
	value = va_arg(ap, const char *);
	mail_conf_update(name, value);
    }
    va_end(ap);
    mail_params_reset();
    smtpd_check_init();
}

/* session - a client outside mynetworks that said EHLO and MAIL FROM */
static void session(const char *addr, const char *sender)
{
    smtpd_check_session_end(&state);
    test_smtpd_session_start(&state, addr, "helo.example", sender);
}

/* session_done - free what session() allocated */
static void session_done(void)
{
    test_smtpd_session_end(&state);
}

/* expect_reply - check a reply, and the log captured so far */
static void expect_reply(const char *what, const char *got,
			         const char *reply, const char *log)
{
    if (reply == NULL && got != NULL)
	fail_msg("%s: got \"%s\", want no reply", what, got);
    if (reply != NULL && (got == NULL || strcmp(got, reply) != 0))
	fail_msg("%s: got \"%s\", want \"%s\"", what, got ? got : "(null)",
		 reply);
    if (log != NULL && strstr(test_capture_text(), log) == NULL)
	fail_msg("%s: log \"%s\" lacks \"%s\"", what, test_capture_text(), log);
}

/* expect_rcpt - check the reply and the log of one RCPT TO */
static void expect_rcpt(const char *rcpt, const char *reply, const char *log)
{
    test_capture_start();
    expect_reply(rcpt, smtpd_check_rcpt(&state, rcpt), reply, log);
    test_capture_stop();
}

/* test_relay - relay control and the reject log line */
static void test_relay(void **unused)
{
    configure(NULL);
    session("192.0.2.1", "a@b.example");
    expect_rcpt("x@y.example", "554 5.7.1 <x@y.example>: Relay access denied",
		"NOQUEUE: reject: RCPT from client.example[192.0.2.1]: "
		"554 5.7.1 <x@y.example>: Relay access denied; "
		"from=<a@b.example> to=<x@y.example> proto=ESMTP "
		"helo=<helo.example>\n");
    expect_rcpt("x@mx.example", NULL, NULL);
    expect_rcpt("PostMaster", NULL, NULL);
    expect_rcpt("postmaster@y.example", "554 5.7.1 <postmaster@y.example>: "
		"Relay access denied", NULL);
    state.queue_id = (char *) "4ABCDEF";
    expect_rcpt("x@y.example", "554 5.7.1 <x@y.example>: Relay access denied",
		"4ABCDEF: reject: RCPT from");
    session_done();
    session("127.0.0.2", "");
    expect_rcpt("x@y.example", NULL, NULL);
    session_done();
}

/* test_delay - client restrictions at RCPT or at connect */
static void test_delay(void **unused)
{
#define CLIENT_REJECT "554 5.7.1 <client.example[192.0.2.1]>: Client host " \
	"rejected: Access denied"
    configure("smtpd_client_restrictions", "reject", NULL);
    session("192.0.2.1", "a@b.example");
    assert_null(smtpd_check_client(&state));
    expect_rcpt("x@mx.example", "554 5.7.1 <client.example[192.0.2.1]>: "
		"Client host rejected: Access denied",
		"RCPT from client.example[192.0.2.1]");
    session_done();

    configure("smtpd_client_restrictions", "reject",
	      "smtpd_delay_reject", "no", NULL);
    session("192.0.2.1", NULL);
    state.helo_name = NULL;
    state.protocol = (char *) "SMTP";
    test_capture_start();
    expect_reply("CONNECT", smtpd_check_client(&state), CLIENT_REJECT,
		 "NOQUEUE: reject: CONNECT from client.example[192.0.2.1]: "
		 CLIENT_REJECT "; proto=SMTP\n");
    test_capture_stop();
    /* After XCLIENT, the line names the command (state->where). */
    state.where = "XCLIENT";
    test_capture_start();
    expect_reply("XCLIENT", smtpd_check_client(&state), CLIENT_REJECT,
		 "NOQUEUE: reject: XCLIENT from client.example[192.0.2.1]: "
		 CLIENT_REJECT "; proto=SMTP\n");
    test_capture_stop();
    session_done();
}

/* test_generic - defer, defer_if_*, warn_if_reject, soft_bounce */
static void test_generic(void **unused)
{
    configure("smtpd_client_restrictions", "defer_if_permit, permit", NULL);
    session("192.0.2.1", "a@b.example");
    expect_rcpt("x@mx.example", "450 4.7.0 <client.example[192.0.2.1]>: "
		"Client host rejected: defer_if_permit requested", NULL);
    session_done();

    configure("smtpd_client_restrictions", "defer_if_permit",
	      "smtpd_recipient_restrictions", "reject", NULL);
    session("192.0.2.1", "a@b.example");
    expect_rcpt("x@mx.example", "554 5.7.1 <x@mx.example>: Recipient address "
		"rejected: Access denied", NULL);
    session_done();

    configure("smtpd_client_restrictions", "defer_if_reject, reject", NULL);
    session("192.0.2.1", "a@b.example");
    expect_rcpt("x@mx.example", "450 4.7.0 <client.example[192.0.2.1]>: "
		"Client host rejected: defer_if_reject requested", NULL);
    session_done();

    configure("smtpd_client_restrictions", "defer_if_permit",
	      "smtpd_sender_restrictions", "defer_if_reject, reject, permit",
	      NULL);
    session("192.0.2.1", "a@b.example");
    expect_rcpt("x@mx.example", "450 4.7.0 <client.example[192.0.2.1]>: "
		"Client host rejected: defer_if_permit requested", NULL);
    session_done();

    configure("smtpd_client_restrictions", "defer_if_reject, reject, permit",
	      NULL);
    session("192.0.2.1", "a@b.example");
    expect_rcpt("x@mx.example", "450 4.7.0 <client.example[192.0.2.1]>: "
		"Client host rejected: defer_if_reject requested",
		"warning: restriction `permit' after `reject' is ignored");
    session_done();

    configure("smtpd_client_restrictions", "warn_if_reject, reject", NULL);
    session("192.0.2.1", "a@b.example");
    expect_rcpt("x@mx.example", NULL, "NOQUEUE: reject_warning: RCPT from "
		"client.example[192.0.2.1]: 554 5.7.1 <client.example[192.0.2.1]>:"
		" Client host rejected: Access denied; from=<a@b.example>");
    session_done();

    configure("smtpd_client_restrictions", "warn_if_reject, defer_if_permit",
	      NULL);
    session("192.0.2.1", "a@b.example");
    expect_rcpt("x@mx.example", NULL, "reject_warning: RCPT from "
		"client.example[192.0.2.1]: 450 4.7.0");
    session_done();

    configure("smtpd_sender_restrictions", "defer", "defer_code", "451",
	      NULL);
    session("192.0.2.1", "a@b.example");
    expect_rcpt("x@mx.example", "451 4.3.2 <a@b.example>: Sender address "
		"rejected: Try again later", NULL);
    session_done();

    configure("smtpd_client_restrictions", "reject", "soft_bounce", "yes",
	      NULL);
    session("192.0.2.1", "a@b.example");
    expect_rcpt("x@mx.example", "454 4.7.1 <client.example[192.0.2.1]>: "
		"Client host rejected: Access denied", NULL);
    session_done();

    configure("smtpd_client_restrictions", "reject", "reject_code", "450",
	      NULL);
    session("192.0.2.1", "a@b.example");
    expect_rcpt("x@mx.example", "450 4.7.1 <client.example[192.0.2.1]>: "
		"Client host rejected: Access denied", NULL);
    session_done();
}

/* test_config_errors - unknown names, missing arguments, class loops */
static void test_config_errors(void **unused)
{
    configure("smtpd_helo_restrictions", "foo_bar", NULL);
    session("192.0.2.1", "a@b.example");
    expect_rcpt("x@mx.example", "451 4.3.5 Server configuration error",
		"warning: unknown smtpd restriction: \"foo_bar\"\n");
    assert_true(smtpd_check_error_mask(&state) & SMTPD_CHECK_ERR_SOFTWARE);
    session_done();

    configure("smtpd_restriction_classes", "loop", "loop", "loop", NULL);
    mail_conf_update("smtpd_sender_restrictions", "loop");
    mail_params_reset();
    smtpd_check_init();
    session("192.0.2.1", "a@b.example");
    expect_rcpt("x@mx.example", "451 4.3.5 <a@b.example>: Sender address "
		"rejected: Server configuration error", "nesting exceeds");
    session_done();

    configure("smtpd_client_restrictions", "check_client_access", NULL);
    session("192.0.2.1", "a@b.example");
    expect_rcpt("x@mx.example", "451 4.3.5 Server configuration error",
		"warning: restriction check_client_access: bad argument "
		"\"check_client_access\": need maptype:mapname");
    session_done();

    configure("smtpd_client_restrictions",
	      "check_client_access fail:broken", NULL);
    session("192.0.2.1", "a@b.example");
    expect_rcpt("x@mx.example", "451 4.3.5 <client.example[192.0.2.1]>: "
		"Client host rejected: Server configuration error", NULL);
    session_done();

    configure("smtpd_client_restrictions", "sleep x", NULL);
    session("192.0.2.1", "a@b.example");
    expect_rcpt("x@mx.example", "451 4.3.5 Server configuration error",
		"warning: restriction sleep must be followed by number");
    session_done();

    configure("smtpd_client_restrictions", "inline:{192.0.2.1=REJECT}",
	      NULL);
    session("192.0.2.1", "a@b.example");
    expect_rcpt("x@mx.example", "554 5.7.1 <client.example[192.0.2.1]>: "
		"Client host rejected: Access denied", NULL);
    session_done();
}

/* working_child - relay and recipient restrictions that cannot block */
static void working_child(void *unused)
{
    mail_conf_clear();
    mail_conf_update("smtpd_relay_restrictions", "permit_mynetworks");
    mail_conf_update("smtpd_recipient_restrictions", "permit_mynetworks");
    mail_params_reset();
    smtpd_check_init();
}

/* test_working - the fatal "specify at least one working instance" */
static void test_working(void **unused)
{
    TEST_CHILD_RESULT result;

    test_child_run(working_child, NULL, 10000, &result);
    assert_true(test_child_exited(&result, 1));
    assert_non_null(strstr(result.output, "fatal: in parameter "
			   "smtpd_relay_restrictions or smtpd_recipient_"
			   "restrictions, specify at least one working "
			   "instance of: reject_unauth_destination, "
			   "defer_unauth_destination, reject, defer, "
			   "defer_if_permit or check_relay_domains"));
    test_child_free(&result);
}

#define ACCESS_TABLE "inline:{ {rej@y.example=REJECT}, " \
	"{rejt@y.example=REJECT go away}, {def@y.example=DEFER}, " \
	"{dir@y.example=DEFER_IF_REJECT}, {n55@y.example=550 no luck}, " \
	"{n45@y.example=450 4.2.2 full}, {n51@y.example=551 5.1.6 moved}, " \
	"{n17@y.example=550 4.1.7 sender code}, " \
	"{hold@y.example=HOLD}, {disc@y.example=DISCARD}, " \
	"{filt@y.example=FILTER smtp:[127.0.0.1]:10025}, " \
	"{red@y.example=REDIRECT other@z.example}, " \
	"{bcc@y.example=BCC copy@z.example}, " \
	"{prep@y.example=PREPEND X-Test: yes}, " \
	"{warn@y.example=WARN careful}, {ok@y.example=OK}, " \
	"{num@y.example=12345}, {perm@y.example=permit}, " \
	"{cls@y.example=myclass}, {bad@y.example=BOGUS_ACTION}, " \
	"{filt0@y.example=FILTER}, {red0@y.example=REDIRECT}, " \
	"{dunno@sub.w.example=DUNNO}, {w.example=REJECT parent}, " \
	"{user@=REJECT localpart} }"

/* test_access - every access(5) action in a recipient table */
static void test_access(void **unused)
{
    static const struct {
	const char *rcpt;
	const char *code;
	const char *text;
    }       rejects[] = {
	{"rej@y.example", "554 5.7.1", "Access denied"},
	{"rejt@y.example", "554 5.7.1", "go away"},
	{"def@y.example", "450 4.7.1", "Access denied"},
	{"dir@y.example", "450 4.7.1", "Service unavailable"},
	{"n55@y.example", "550 5.7.1", "no luck"},
	{"n45@y.example", "450 4.2.2", "full"},
	{"n51@y.example", "551 5.1.6", "moved"},
	{"n17@y.example", "550 5.1.3", "sender code"},
    };
    char   *want;
    size_t  n;

    configure("smtpd_recipient_restrictions",
	      "check_recipient_access " ACCESS_TABLE
	      ", reject_unauth_destination",
	      "smtpd_restriction_classes", "myclass",
	      "myclass", "reject_unauth_destination", NULL);
    session("127.0.0.1", "a@b.example");
#define ACC(r) "<" r ">: Recipient address rejected: "
    for (n = 0; n < ARRAY_LEN(rejects); n++) {
	want = concatenate(rejects[n].code, " <", rejects[n].rcpt, ">: "
			   "Recipient address rejected: ", rejects[n].text,
			   (char *) 0);
	expect_rcpt(rejects[n].rcpt, want, NULL);
	myfree(want);
    }
    expect_rcpt("hold@y.example", "554 5.7.1 <hold@y.example>: Relay "
		"access denied", "NOQUEUE: hold: RCPT from client.example"
		"[127.0.0.1]: <hold@y.example>: Recipient address triggers "
		"HOLD action; from=<a@b.example> to=<hold@y.example>");
    assert_true(state.saved_flags & SMTPD_SAVED_HOLD);
    expect_rcpt("filt@y.example", "554 5.7.1 <filt@y.example>: Relay "
		"access denied", "NOQUEUE: filter: RCPT from client.example"
		"[127.0.0.1]: <filt@y.example>: Recipient address triggers "
		"FILTER smtp:[127.0.0.1]:10025; from=<a@b.example>");
    assert_string_equal(state.saved_filter, "smtp:[127.0.0.1]:10025");
    expect_rcpt("red@y.example", "554 5.7.1 <red@y.example>: Relay access "
		"denied", "redirect: RCPT from client.example[127.0.0.1]: "
		"<red@y.example>: Recipient address triggers REDIRECT "
		"other@z.example;");
    assert_string_equal(state.saved_redirect, "other@z.example");
    expect_rcpt("bcc@y.example", "554 5.7.1 <bcc@y.example>: Relay access "
		"denied", "bcc: RCPT from client.example[127.0.0.1]: "
		"<bcc@y.example>: Recipient address triggers BCC copy@z.example;");
    assert_string_equal(state.saved_bcc->argv[0], "copy@z.example");
    expect_rcpt("prep@y.example", "554 5.7.1 <prep@y.example>: Relay access "
		"denied", NULL);
    assert_string_equal(state.prepend->argv[0], "X-Test: yes");
    expect_rcpt("warn@y.example", "554 5.7.1 <warn@y.example>: Relay access "
		"denied", "NOQUEUE: warn: RCPT from client.example[127.0.0.1]: "
		"careful; from=<a@b.example> to=<warn@y.example>");
    expect_rcpt("ok@y.example", NULL, NULL);
    expect_rcpt("num@y.example", NULL, NULL);
    expect_rcpt("perm@y.example", NULL, NULL);
    expect_rcpt("cls@y.example", "554 5.7.1 <cls@y.example>: Relay access "
		"denied", NULL);
    expect_rcpt("bad@y.example", "451 4.3.5 Server configuration error",
		"unknown smtpd restriction: \"BOGUS_ACTION\"");
    expect_rcpt("filt0@y.example", "554 5.7.1 <filt0@y.example>: Relay "
		"access denied", "entry \"filt0@y.example\" has FILTER entry "
		"without value");
    expect_rcpt("red0@y.example", "554 5.7.1 <red0@y.example>: Relay "
		"access denied", "entry \"red0@y.example\" requires "
		"user@domain target");
    expect_rcpt("x@sub.w.example", "554 5.7.1 " ACC("x@sub.w.example")
		"parent", NULL);
    expect_rcpt("dunno@sub.w.example", "554 5.7.1 <dunno@sub.w.example>: "
		"Relay access denied", NULL);
    expect_rcpt("user@mx.example", "554 5.7.1 " ACC("user@mx.example")
		"localpart", NULL);
    expect_rcpt("disc@y.example", NULL, "discard: RCPT from client.example"
		"[127.0.0.1]: <disc@y.example>: Recipient address triggers "
		"DISCARD action;");
    assert_true(state.saved_flags & SMTPD_SAVED_DISCARD);
    session_done();
}

/* test_client_access - host name, parents, address, networks */
static void test_client_access(void **unused)
{
    configure("smtpd_client_restrictions", "check_client_access inline:{ "
	      "{client.example=DUNNO}, {192.0.2=REJECT net}, "
	      "{198.51.100.7=OK}, {example=REJECT parent} }",
	      "smtpd_helo_restrictions", "check_helo_access inline:{ {helo.example=550 5.1.1 bad helo} }",
	      NULL);
    session("192.0.2.1", "a@b.example");
    expect_rcpt("x@mx.example", "554 5.7.1 <client.example[192.0.2.1]>: "
		"Client host rejected: net", NULL);
    session_done();
    session("198.51.100.7", "a@b.example");
    expect_rcpt("x@mx.example", "550 5.0.0 <helo.example>: Helo command "
		"rejected: bad helo", NULL);
    session_done();
    session("198.51.100.8", "a@b.example");
    state.name = (char *) "other.example";
    expect_rcpt("x@mx.example", "554 5.7.1 <other.example[198.51.100.8]>: "
		"Client host rejected: parent", NULL);
    session_done();
}

/* test_helo_required - MAIL before HELO */
static void test_helo_required(void **unused)
{
    configure("smtpd_helo_required", "yes", NULL);
    session("192.0.2.1", NULL);
    state.helo_name = NULL;
    test_capture_start();
    expect_reply("MAIL", smtpd_check_mail(&state, "a@b.example"),
		 "503 5.5.1 Error: send HELO/EHLO first", NULL);
    test_capture_stop();
    state.helo_name = (char *) "h";
    assert_null(smtpd_check_mail(&state, "a@b.example"));
    session_done();
}

/* test_size - message_size_limit */
static void test_size(void **unused)
{
    configure("message_size_limit", "1000", NULL);
    session("192.0.2.1", NULL);
    test_capture_start();
    expect_reply("SIZE", smtpd_check_size(&state, 1001),
		 "552 5.3.4 Message size exceeds fixed limit", NULL);
    assert_null(smtpd_check_size(&state, 1000));
    test_capture_stop();
    session_done();

    configure("queue_minfree", "999999999999999999", NULL);
    session("192.0.2.1", NULL);
    test_capture_start();
    expect_reply("SIZE", smtpd_check_size(&state, 0),
		 "452 4.3.1 Insufficient system storage",
		 "NOQUEUE: reject: MAIL from client.example[192.0.2.1]: 452 "
		 "4.3.1 Insufficient system storage; proto=ESMTP "
		 "helo=<helo.example>\nwarning: not enough free space in mail "
		 "queue: ");
    assert_non_null(smtpd_check_queue(&state));
    test_capture_stop();
    session_done();
}

/* test_stages - DATA, END-OF-MESSAGE and ETRN replies and log lines */
static void test_stages(void **unused)
{
    configure("smtpd_data_restrictions", "reject",
	      "smtpd_end_of_data_restrictions", "reject",
	      "smtpd_etrn_restrictions", "reject", NULL);
    session("192.0.2.1", "a@b.example");
    state.rcpt_count = 1;
    state.recipient = (char *) "x@mx.example";
    state.queue_id = (char *) "QID1";
    test_capture_start();
    expect_reply("DATA", smtpd_check_data(&state), "554 5.7.1 <DATA>: Data "
		 "command rejected: Access denied", "QID1: reject: DATA from "
		 "client.example[192.0.2.1]: 554 5.7.1 <DATA>: Data command "
		 "rejected: Access denied; from=<a@b.example> "
		 "to=<x@mx.example> proto=ESMTP helo=<helo.example>");
    expect_reply("EOD", smtpd_check_eod(&state), "554 5.7.1 "
		 "<END-OF-MESSAGE>: End-of-data rejected: Access denied", NULL);
    state.sender = NULL;
    state.queue_id = NULL;
    expect_reply("ETRN", smtpd_check_etrn(&state, "dom.example"), "554 5.7.1 "
		 "<dom.example>: Etrn command rejected: Access denied",
		 "NOQUEUE: reject: ETRN from client.example[192.0.2.1]: 554 "
		 "5.7.1 <dom.example>: Etrn command rejected: Access denied; "
		 "proto=ESMTP helo=<helo.example>");
    test_capture_stop();
    session_done();
}

/* test_multi_bounce - reject_multi_recipient_bounce at RCPT and DATA */
static void test_multi_bounce(void **unused)
{
    configure("smtpd_recipient_restrictions",
	      "reject_multi_recipient_bounce, permit",
	      "smtpd_data_restrictions", "reject_multi_recipient_bounce", NULL);
    session("192.0.2.1", "");
    expect_rcpt("x@mx.example", NULL, NULL);
    state.rcpt_count = 1;
    expect_rcpt("z@mx.example", "550 5.5.3 <z@mx.example>: Recipient address "
		"rejected: Multi-recipient bounce", NULL);
    assert_null(smtpd_check_data(&state));
    state.rcpt_count = 2;
    test_capture_start();
    expect_reply("DATA", smtpd_check_data(&state), "550 5.5.3 <DATA>: Data "
		 "command rejected: Multi-recipient bounce",
		 "; from=<> proto=ESMTP");
    test_capture_stop();
    session_done();
}

/* test_ehlo_discard - smtpd_discard_ehlo_keyword_address_maps */
static void test_ehlo_discard(void **unused)
{
    int     mask;

    configure("smtpd_discard_ehlo_keyword_address_maps",
	      "inline:{ {192.0.2.1=pipelining, DSN silent-discard} }", NULL);
    session("192.0.2.1", NULL);
    assert_true(smtpd_check_ehlo_discard(&state, &mask));
    assert_int_equal(mask, SMTPD_EHLO_PIPELINING | SMTPD_EHLO_DSN
		     | SMTPD_EHLO_SILENT);
    session_done();
    session("192.0.2.2", NULL);
    assert_false(smtpd_check_ehlo_discard(&state, &mask));
    assert_int_equal(mask, 0);
    session_done();
}

/* main - run the tests */
int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_relay),
	cmocka_unit_test(test_delay),
	cmocka_unit_test(test_generic),
	cmocka_unit_test(test_config_errors),
	cmocka_unit_test(test_working),
	cmocka_unit_test(test_access),
	cmocka_unit_test(test_client_access),
	cmocka_unit_test(test_helo_required),
	cmocka_unit_test(test_size),
	cmocka_unit_test(test_stages),
	cmocka_unit_test(test_multi_bounce),
	cmocka_unit_test(test_ehlo_discard),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
