/*
 * test_status_log - unit tests for status_log(3)
 *
 * DESCRIPTION
 *	The status line of Postfix, field by field (lines as Debian's
 *	Postfix 3.7 logs them for local, discard and error deliveries):
 *	orig_to only when it differs other than in case, relay
 *	"none" by default, addresses quoted as in headers, the delays.
 */
#include "sys_defs.h"

#include <string.h>

#include "msg.h"
#include "mymalloc.h"
#include "dsn.h"
#include "deliver_request.h"
#include "status_log.h"
#include "test_params.h"
#include "test_support.h"

#define T0	1796430334000000L

typedef struct LOG_CASE {
    const char *address;
    const char *orig;
    const char *relay;
    const char *status;			/* DSN status */
    const char *reason;
    const char *word;			/* status= */
    const char *line;			/* expected */
} LOG_CASE;

static const LOG_CASE log_cases[] = {
    {"nobody@test.example", "alias1@localhost", "local", "2.0.0",
	"delivered to mailbox", "sent",
	"1F5AFA961CD: to=<nobody@test.example>, orig_to=<alias1@localhost>, "
	"relay=local, delay=0.02, delays=0.01/0.01/0/0, dsn=2.0.0, "
    "status=sent (delivered to mailbox)\n"},
    {"NoBody@localhost", "NoBody@localhost", "local", "2.0.0",
	"delivered to mailbox", "sent",
	"1F5AFA961CD: to=<NoBody@localhost>, relay=local, delay=0.02, "
    "delays=0.01/0.01/0/0, dsn=2.0.0, status=sent (delivered to mailbox)\n"},
    /* Only case differs (canonical NOBODY@localhost -> nobody@localhost). */
    {"nobody@localhost", "NOBODY@localhost", "local", "2.0.0",
	"delivered to mailbox", "sent",
	"1F5AFA961CD: to=<nobody@localhost>, relay=local, delay=0.02, "
    "delays=0.01/0.01/0/0, dsn=2.0.0, status=sent (delivered to mailbox)\n"},
    {"a@discard.example", "", NULL, "2.0.0", "discard.example", "sent",
	"1F5AFA961CD: to=<a@discard.example>, relay=none, delay=0.02, "
    "delays=0.01/0.01/0/0, dsn=2.0.0, status=sent (discard.example)\n"},
    {"b@error.example", NULL, "none", "5.1.1", "no such user here",
	"bounced",
	"1F5AFA961CD: to=<b@error.example>, relay=none, delay=0.02, "
    "delays=0.01/0.01/0/0, dsn=5.1.1, status=bounced (no such user here)\n"},
    {"odd user@example.org", "first last@example.org", "local", "4.2.0",
	"try later", "deferred",
	"1F5AFA961CD: to=<\"odd user\"@example.org>, "
	"orig_to=<\"first last\"@example.org>, relay=local, delay=0.02, "
    "delays=0.01/0.01/0/0, dsn=4.2.0, status=deferred (try later)\n"},
};

/* test_request - a request with the time stamps of the cases */
static DELIVER_REQUEST *test_request(void)
{
    DELIVER_REQUEST *req = deliver_request_alloc();

    test_set_param("delay_logging_resolution_limit", "2");
    req->queue_id = mystrdup("1F5AFA961CD");
    req->stats.incoming_arrival = msg_stats_tv(T0);
    req->stats.active_arrival = msg_stats_tv(T0 + 10000);
    req->stats.agent_handoff = msg_stats_tv(T0 + 20000);
    req->stats.deliver_done = msg_stats_tv(T0 + 24000);
    return req;
}

/* test_lines - each case as one log line */
static void test_lines(void **state)
{
    DELIVER_REQUEST *req = test_request();
    RECIPIENT rcpt;
    DSN     dsn;
    size_t  n;

    (void) state;
    for (n = 0; n < ARRAY_LEN(log_cases); n++) {
	rcpt.offset = 100;
	rcpt.address = (char *) log_cases[n].address;
	rcpt.orig_addr = (char *) log_cases[n].orig;
	rcpt.dsn_orcpt = (char *) "";
	rcpt.dsn_notify = 0;
	dsn_simple(&dsn, log_cases[n].status, log_cases[n].reason);
	test_capture_start();
	status_log(req, &rcpt, log_cases[n].relay, &dsn, log_cases[n].word);
	assert_string_equal(test_capture_text(), log_cases[n].line);
	test_capture_stop();
    }
    deliver_request_free(req);
}

/* test_conn_use - a reused SMTP session: "conn_use=N" after the relay */
static void test_conn_use(void **state)
{
    DELIVER_REQUEST *req = test_request();
    RECIPIENT rcpt;
    DSN     dsn;

    (void) state;
    req->stats.reuse_count = 2;
    rcpt.offset = 100;
    rcpt.address = (char *) "a@remote.example";
    rcpt.orig_addr = (char *) "";
    rcpt.dsn_orcpt = (char *) "";
    rcpt.dsn_notify = 0;
    dsn_simple(&dsn, "2.0.0", "250 2.0.0 Ok: queued as 4XyZ");
    test_capture_start();
    status_log(req, &rcpt, "mx.example[192.0.2.1]:25", &dsn, "sent");
    assert_string_equal(test_capture_text(),
			"1F5AFA961CD: to=<a@remote.example>, "
			"relay=mx.example[192.0.2.1]:25, conn_use=2, "
			"delay=0.02, delays=0.01/0.01/0/0, dsn=2.0.0, "
			"status=sent (250 2.0.0 Ok: queued as 4XyZ)\n");
    test_capture_stop();
    deliver_request_free(req);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_lines),
	cmocka_unit_test(test_conn_use),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
