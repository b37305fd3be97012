/*
 * test_bounce_client - unit tests for bounce_client(3)
 *
 * DESCRIPTION
 *	Fake bounce, defer and trace services (private/bounce, defer,
 *	trace under a test queue directory) write one line per request
 *	into a file; the tests check what each service got, the status
 *	lines logged, and the outcomes recorded for the agent's reply:
 *	sent() with and without a trace copy, bounce_append() (Postfix's
 *	"ignoring dsn code" rule, NOTIFY=NEVER, soft_bounce, a failing
 *	bounce service), defer_append() (the same rule, a service that is
 *	down), verify probes, and the four notification requests.
 */
#include "sys_defs.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "vstream.h"
#include "vstring.h"
#include "attr_list.h"
#include "dsn.h"
#include "deliver_proto.h"
#include "deliver_request.h"
#include "bounce_proto.h"
#include "bounce_client.h"
#include "verify_clnt.h"
#include "test_attr_service.h"
#include "test_service.h"
#include "test_params.h"
#include "test_support.h"

#define QUEUE_ID	"3F2A1B7E4"

typedef struct FAKE {
    const char *label;			/* service name */
    const char *log_path;		/* where requests are written */
    int     status;			/* the reply status */
} FAKE;

typedef struct FIXTURE {
    char   *queue_dir;
    char   *log_path;
    char   *paths[3];
    pid_t   pids[3];
    FAKE    fakes[3];
    TEST_ATTR_SERVICE services[3];
    DELIVER_REQUEST *req;
} FIXTURE;

static const char *const service_names[3] = {"bounce", "defer", "trace"};

/* fake_str - a string attribute, "-" when missing */
static const char *fake_str(const ATTR_LIST *list, const char *name)
{
    const char *value = attr_list_find_str(list, name);

    return value ? value : "-";
}

/* fake_answer - write the request as one line, answer with a status */
static bool fake_answer(VSTREAM *fp, const ATTR_LIST *request, int requests,
			        int connections, void *context)
{
    FAKE   *fake = context;
    VSTRING *line = vstring_alloc(200);
    ATTR_LIST *reply = attr_list_create();
    const ATTR_LIST *rcpt;
    int     code = -1, flags = -1, notify = -1, utf8 = -1, ret = -1;
    long    offset = -1, when = -1;
    VSTREAM *log;

    (void) requests;
    (void) connections;
    attr_list_find_int(request, BOUNCE_ATTR_REQUEST, &code);
    attr_list_find_int(request, DELIVER_ATTR_FLAGS, &flags);
    vstring_sprintf(line, "%s %d flags=%d id=%s", fake->label, code, flags,
		    fake_str(request, DELIVER_ATTR_QUEUE_ID));
    if (code == BOUNCE_REQ_APPEND) {
	rcpt = attr_list_find_list(request, DELIVER_ATTR_RCPT);
	if (rcpt != NULL) {
	    attr_list_find_int(rcpt, DELIVER_ATTR_DSN_NOTIFY, &notify);
	    attr_list_find_long(rcpt, DELIVER_ATTR_OFFSET, &offset);
	    vstring_sprintf_append(line, " to=%s orig=%s orcpt=%s "
				   "notify=%d offset=%ld",
				   fake_str(rcpt, DELIVER_ATTR_ADDRESS),
				   fake_str(rcpt, DELIVER_ATTR_ORIG_RCPT),
				   fake_str(rcpt, DELIVER_ATTR_DSN_ORCPT),
				   notify, offset);
	}
	attr_list_find_long(request, BOUNCE_ATTR_TIME_LOG, &when);
	vstring_sprintf_append(line, " status=%s action=%s reason=%s "
			       "dtype=%s dtext=%s mtype=%s mname=%s "
			       "relay=%s time_ok=%d",
			       fake_str(request, BOUNCE_ATTR_STATUS),
			       fake_str(request, BOUNCE_ATTR_ACTION),
			       fake_str(request, BOUNCE_ATTR_REASON),
			       fake_str(request, BOUNCE_ATTR_DTYPE),
			       fake_str(request, BOUNCE_ATTR_DTEXT),
			       fake_str(request, BOUNCE_ATTR_MTYPE),
			       fake_str(request, BOUNCE_ATTR_MNAME),
			       fake_str(request, BOUNCE_ATTR_RELAY),
			       when > 1000000000L && when < 100000000000L);
    } else {
	attr_list_find_int(request, DELIVER_ATTR_SMTPUTF8, &utf8);
	attr_list_find_int(request, DELIVER_ATTR_DSN_RET, &ret);
	vstring_sprintf_append(line, " queue=%s encoding=%s smtputf8=%d "
			       "sender=%s envid=%s ret=%d",
			       fake_str(request, DELIVER_ATTR_QUEUE_NAME),
			       fake_str(request, DELIVER_ATTR_ENCODING), utf8,
			       fake_str(request, DELIVER_ATTR_SENDER),
			       fake_str(request, DELIVER_ATTR_DSN_ENVID), ret);
    }
    log = vstream_fopen(fake->log_path, O_WRONLY | O_APPEND | O_CREAT, 0600);
    if (log == NULL)
	_exit(5);
    vstream_fprintf(log, "%s\n", vstring_str(line));
    vstream_fclose(log);
    attr_list_add_int(reply, BOUNCE_ATTR_STATUS, fake->status);
    if (fake->status != 0)
	attr_list_add_str(reply, ATTR_REASON, "disk full");
    attr_list_write(fp, reply);
    vstream_fflush(fp);
    attr_list_free(reply);
    vstring_free(line);
    return false;
}

/* start_fake - run the fake of service n with a reply status */
static void start_fake(FIXTURE *fx, int n, int status)
{
    fx->fakes[n].label = service_names[n];
    fx->fakes[n].log_path = fx->log_path;
    fx->fakes[n].status = status;
    fx->services[n].greeting = BOUNCE_PROTOCOL;
    fx->services[n].protocol = BOUNCE_PROTOCOL;
    fx->services[n].answer = fake_answer;
    fx->services[n].closed = NULL;
    fx->services[n].context = fx->fakes + n;
    fx->pids[n] = test_attr_service_start(fx->paths[n], fx->services + n);
}

/* stop_fake - end the fake of service n */
static void stop_fake(FIXTURE *fx, int n)
{
    if (fx->pids[n] > 0) {
	assert_true(test_service_kill(fx->pids[n], fx->paths[n]));
	fx->pids[n] = -1;
    }
}

/* got - what the fakes were asked, in order; "" for nothing */
static char *got(FIXTURE *fx)
{
    static VSTRING *buf;
    VSTREAM *fp;
    int     ch;

    if (buf == NULL)
	buf = vstring_alloc(1000);
    VSTRING_RESET(buf);
    if ((fp = vstream_fopen(fx->log_path, O_RDONLY, 0)) != NULL) {
	while ((ch = VSTREAM_GETC(fp)) != VSTREAM_EOF)
	    VSTRING_ADDCH(buf, ch);
	vstream_fclose(fp);
	unlink(fx->log_path);
    }
    VSTRING_TERMINATE(buf);
    return vstring_str(buf);
}

/* setup - queue directory, the three fakes answering 0, a request */
static int setup(void **state)
{
    FIXTURE *fx = mycalloc(1, sizeof(*fx));
    int     n;

    fx->paths[0] = test_service_dir("private", "bounce", &fx->queue_dir);
    fx->paths[1] = concatenate(fx->queue_dir, "/private/defer", (char *) 0);
    fx->paths[2] = concatenate(fx->queue_dir, "/private/trace", (char *) 0);
    fx->log_path = concatenate(fx->queue_dir, "/got", (char *) 0);
    test_set_param("queue_directory", fx->queue_dir);
    test_set_param("ipc_timeout", "5s");
    test_set_param("soft_bounce", "no");
    test_set_param("delay_logging_resolution_limit", "2");
    for (n = 0; n < 3; n++)
	start_fake(fx, n, 0);
    fx->req = deliver_request_alloc();
    fx->req->queue_name = mystrdup("active");
    fx->req->queue_id = mystrdup(QUEUE_ID);
    fx->req->sender = mystrdup("sender@example.org");
    fx->req->encoding = mystrdup("8bit");
    fx->req->dsn_envid = mystrdup("env1");
    fx->req->dsn_ret = 2;
    fx->req->smtputf8 = 1;
    gettimeofday(&fx->req->stats.incoming_arrival, NULL);
    fx->req->stats.active_arrival = fx->req->stats.incoming_arrival;
    fx->req->stats.agent_handoff = fx->req->stats.incoming_arrival;
    recipient_list_add(&fx->req->rcpt_list, 100, "rfc822;Orig@example.org",
		       0, "Orig@example.org", "rcpt@example.org");
    recipient_list_add(&fx->req->rcpt_list, 200, "", DSN_NOTIFY_SUCCESS,
		       "", "success@example.org");
    recipient_list_add(&fx->req->rcpt_list, 300, "", DSN_NOTIFY_NEVER,
		       "", "never@example.org");
    signal(SIGPIPE, SIG_IGN);
    test_capture_start();
    *state = fx;
    return 0;
}

/* teardown - stop the fakes, remove everything */
static int teardown(void **state)
{
    FIXTURE *fx = *state;
    int     n;

    test_capture_stop();
    for (n = 0; n < 3; n++) {
	stop_fake(fx, n);
	myfree(fx->paths[n]);
    }
    deliver_request_free(fx->req);
    test_remove_tree(fx->queue_dir);
    myfree(fx->queue_dir);
    myfree(fx->log_path);
    myfree(fx);
    return 0;
}

/* has - the captured log holds text */
static void has(const char *text)
{
    if (strstr(test_capture_text(), text) == NULL)
	fail_msg("log lacks \"%s\":\n%s", text, test_capture_text());
}

/* outcome_of - the recorded outcome of the recipient at offset, or -1 */
static int outcome_of(const DELIVER_REQUEST *req, long offset,
		              const char **status)
{
    int     n;

    for (n = 0; n < req->result_count; n++) {
	if (req->results[n].offset == offset) {
	    if (status)
		*status = req->results[n].dsn_status;
	    return req->results[n].outcome;
	}
    }
    return -1;
}

/* test_sent - logged, recorded; a trace copy only when asked for */
static void test_sent(void **state)
{
    FIXTURE *fx = *state;
    DSN     dsn;
    const char *status;

    dsn_simple(&dsn, "2.0.0", "delivered to mailbox");
    assert_int_equal(sent(fx->req, fx->req->rcpt_list.info + 0, "local",
			  &dsn), 0);
    has(QUEUE_ID ": to=<rcpt@example.org>, orig_to=<Orig@example.org>, "
	"relay=local, delay=");
    has(", dsn=2.0.0, status=sent (delivered to mailbox)\n");
    assert_string_equal(got(fx), "");
    assert_int_equal(outcome_of(fx->req, 100, &status), DELIVER_OUTCOME_SENT);
    assert_string_equal(status, "2.0.0");
    assert_true(fx->req->stats.deliver_done.tv_sec > 0);
    /* NOTIFY=SUCCESS: a trace entry with action "delivered". */
    dsn.action = "";
    assert_int_equal(sent(fx->req, fx->req->rcpt_list.info + 1, "local",
			  &dsn), 0);
    assert_string_equal(got(fx), "trace 1 flags=0 id=" QUEUE_ID
			" to=success@example.org orig= orcpt= notify=2 "
			"offset=200 status=2.0.0 action=delivered "
			"reason=delivered to mailbox dtype= dtext= mtype= "
			"mname= relay=local time_ok=1\n");
    /* sendmail -v: every recipient, with the DSN's own action. */
    fx->req->flags = DEL_REQ_FLAG_RECORD;
    dsn.action = "relayed";
    assert_int_equal(sent(fx->req, fx->req->rcpt_list.info + 0, NULL, &dsn), 0);
    assert_non_null(strstr(got(fx), "trace 1 flags=2 id=" QUEUE_ID
			   " to=rcpt@example.org orig=Orig@example.org "
			   "orcpt=rfc822;Orig@example.org notify=0 offset=100"
			   " status=2.0.0 action=relayed"));
    has("relay=none");
    /* A trace failure is a warning; the delivery still counts. */
    stop_fake(fx, 2);
    assert_int_equal(sent(fx->req, fx->req->rcpt_list.info + 0, NULL, &dsn), 0);
    has("warning: trace service: connect to ");
    has("warning: " QUEUE_ID ": cannot record delivery report for "
	"rcpt@example.org");
}

/* test_bounce - appended, logged, recorded; class 5 enforced */
static void test_bounce(void **state)
{
    FIXTURE *fx = *state;
    DSN     dsn;
    const char *status;

    dsn.status = "5.1.1";
    dsn.action = "failed";
    dsn.reason = "host mx said: 550 no";
    dsn.dtype = "smtp";
    dsn.dtext = "550 5.1.1 no";
    dsn.mtype = "dns";
    dsn.mname = "mx.example.org";
    assert_int_equal(bounce_append(fx->req, fx->req->rcpt_list.info + 0,
				   "mx.example.org[192.0.2.1]:25", &dsn), 0);
    assert_string_equal(got(fx), "bounce 1 flags=0 id=" QUEUE_ID
			" to=rcpt@example.org orig=Orig@example.org "
			"orcpt=rfc822;Orig@example.org notify=0 offset=100 "
			"status=5.1.1 action=failed reason=host mx said: 550 no"
			" dtype=smtp dtext=550 5.1.1 no mtype=dns "
			"mname=mx.example.org relay=mx.example.org"
			"[192.0.2.1]:25 time_ok=1\n");
    has("relay=mx.example.org[192.0.2.1]:25, delay=");
    has("dsn=5.1.1, status=bounced (host mx said: 550 no)\n");
    assert_int_equal(outcome_of(fx->req, 100, &status), DELIVER_OUTCOME_BOUNCED);
    /* A 4.x code in a bounce: Postfix's warning, 5.0.0. */
    dsn_simple(&dsn, "4.2.0", "try later");
    assert_int_equal(bounce_append(fx->req, fx->req->rcpt_list.info + 1,
				   NULL, &dsn), 0);
    has("warning: bounce_append: ignoring dsn code \"4.2.0\"\n");
    has("dsn=5.0.0, status=bounced (try later)\n");
    assert_non_null(strstr(got(fx), "status=5.0.0 action=failed"));
    assert_int_equal(outcome_of(fx->req, 200, &status), DELIVER_OUTCOME_BOUNCED);
    assert_string_equal(status, "5.0.0");
    /* NOTIFY=NEVER: logged, recorded, not appended. */
    dsn_simple(&dsn, "5.1.1", "unknown user");
    assert_int_equal(bounce_append(fx->req, fx->req->rcpt_list.info + 2,
				   NULL, &dsn), 0);
    assert_string_equal(got(fx), "");
    has("to=<never@example.org>, relay=none, delay=");
    assert_int_equal(outcome_of(fx->req, 300, NULL), DELIVER_OUTCOME_BOUNCED);
}

/* test_soft_bounce - a bounce becomes a defer with class 4 */
static void test_soft_bounce(void **state)
{
    FIXTURE *fx = *state;
    DSN     dsn;
    const char *status;

    test_set_param("soft_bounce", "yes");
    dsn_simple(&dsn, "5.1.1", "unknown user");
    assert_int_equal(bounce_append(fx->req, fx->req->rcpt_list.info + 0,
				   "local", &dsn), 0);
    test_set_param("soft_bounce", "no");
    assert_non_null(strstr(got(fx), "defer 1 flags=0 id=" QUEUE_ID
			   " to=rcpt@example.org") );
    /* As Debian's Postfix 3.7 logs it. */
    has("dsn=4.1.1, status=SOFTBOUNCE (unknown user)\n");
    assert_int_equal(outcome_of(fx->req, 100, &status),
		     DELIVER_OUTCOME_DEFERRED);
    assert_string_equal(status, "4.1.1");
}

/* test_bounce_failure - the recipient is deferred instead */
static void test_bounce_failure(void **state)
{
    FIXTURE *fx = *state;
    DSN     dsn;
    const char *status;
    char   *text;

    stop_fake(fx, 0);
    start_fake(fx, 0, 1);
    dsn_simple(&dsn, "5.1.1", "unknown user");
    assert_int_equal(bounce_append(fx->req, fx->req->rcpt_list.info + 0,
				   "local", &dsn), 0);
    has("warning: bounce service: request failed: disk full\n");
    has("warning: " QUEUE_ID ": cannot record outcome of rcpt@example.org: "
	"bounce service failure\n");
    has("dsn=4.3.0, status=deferred (bounce or trace service failure)\n");
    text = got(fx);
    assert_non_null(strstr(text, "bounce 1 "));
    assert_non_null(strstr(text, "defer 1 flags=0 id=" QUEUE_ID
			   " to=rcpt@example.org"));
    assert_non_null(strstr(text, "status=4.3.0 action=delayed reason=bounce "
			   "or trace service failure"));
    assert_int_equal(outcome_of(fx->req, 100, &status),
		     DELIVER_OUTCOME_DEFERRED);
    assert_string_equal(status, "4.3.0");
}

/* test_defer - appended, logged; class 4 enforced; service down */
static void test_defer(void **state)
{
    FIXTURE *fx = *state;
    DSN     dsn;
    const char *status;

    dsn_simple(&dsn, "4.4.1", "connection refused");
    assert_int_equal(defer_append(fx->req, fx->req->rcpt_list.info + 0,
				  "none", &dsn), 0);
    assert_non_null(strstr(got(fx), "defer 1 flags=0 id=" QUEUE_ID
			   " to=rcpt@example.org orig=Orig@example.org "
			   "orcpt=rfc822;Orig@example.org notify=0 offset=100"
			   " status=4.4.1 action=delayed reason=connection "
			   "refused"));
    has("dsn=4.4.1, status=deferred (connection refused)\n");
    /* A 5.x code in a defer: Postfix's warning, 4.0.0. */
    dsn_simple(&dsn, "5.1.1", "hard code in retry");
    assert_int_equal(defer_append(fx->req, fx->req->rcpt_list.info + 2,
				  "none", &dsn), 0);
    has("warning: defer_append: ignoring dsn code \"5.1.1\"\n");
    has("to=<never@example.org>, relay=none, delay=");
    has("dsn=4.0.0, status=deferred (hard code in retry)\n");
    assert_int_equal(outcome_of(fx->req, 300, &status),
		     DELIVER_OUTCOME_DEFERRED);
    assert_string_equal(status, "4.0.0");
    got(fx);
    /* The defer service is down: -1, nothing recorded, no status line. */
    stop_fake(fx, 1);
    test_capture_stop();
    test_capture_start();
    assert_int_equal(defer_append(fx->req, fx->req->rcpt_list.info + 1,
				  "none", &dsn), -1);
    has("warning: defer service: connect to ");
    has("warning: " QUEUE_ID ": cannot record outcome of success@example.org:"
	" defer service failure\n");
    assert_null(strstr(test_capture_text(), "status=deferred"));
    assert_int_equal(outcome_of(fx->req, 200, NULL), -1);
}

/* verify_answer - the fake verify(8): write the update, answer 0 */
static bool verify_answer(VSTREAM *fp, const ATTR_LIST *request,
			          int requests, int connections, void *context)
{
    FAKE   *fake = context;
    ATTR_LIST *reply = attr_list_create();
    int     addr_status = -1;
    VSTREAM *log;

    (void) requests;
    (void) connections;
    attr_list_find_int(request, VERIFY_ATTR_ADDR_STATUS, &addr_status);
    if ((log = vstream_fopen(fake->log_path, O_WRONLY | O_APPEND | O_CREAT,
			     0600)) == NULL)
	_exit(5);
    vstream_fprintf(log, "verify %s %s %d %s\n",
		    fake_str(request, ATTR_REQUEST),
		    fake_str(request, VERIFY_ATTR_ADDRESS), addr_status,
		    fake_str(request, VERIFY_ATTR_TEXT));
    vstream_fclose(log);
    attr_list_add_int(reply, ATTR_STATUS, 0);
    attr_list_write(fp, reply);
    vstream_fflush(fp);
    attr_list_free(reply);
    return false;
}

/* test_verify - a user's probe (sendmail -bv): outcomes to trace */
static void test_verify(void **state)
{
    FIXTURE *fx = *state;
    DSN     dsn;

    fx->req->flags = DEL_REQ_FLAG_VERIFY | DEL_REQ_FLAG_RECORD;
    dsn_simple(&dsn, "2.0.0", "delivers to mailbox");
    assert_int_equal(sent(fx->req, fx->req->rcpt_list.info + 1, "local",
			  &dsn), 0);
    has("dsn=2.0.0, status=deliverable (delivers to mailbox)\n");
    dsn_simple(&dsn, "5.1.1", "unknown user");
    assert_int_equal(bounce_append(fx->req, fx->req->rcpt_list.info + 0,
				   "local", &dsn), 0);
    has("dsn=5.1.1, status=undeliverable (unknown user)\n");
    assert_string_equal(got(fx),
			"trace 1 flags=3 id=" QUEUE_ID " to=success@example.org"
			" orig= orcpt= notify=2 offset=200 status=2.0.0 "
			"action=deliverable reason=delivers to mailbox dtype= "
			"dtext= mtype= mname= relay=local time_ok=1\n"
			"trace 1 flags=3 id=" QUEUE_ID " to=rcpt@example.org "
			"orig=Orig@example.org orcpt=rfc822;Orig@example.org "
			"notify=0 offset=100 status=5.1.1 action=undeliverable"
			" reason=unknown user dtype= dtext= mtype= mname= "
			"relay=local time_ok=1\n");
    /* A deferred probe is undeliverable too; no defer log entry. */
    dsn_simple(&dsn, "4.4.1", "try again later");
    assert_int_equal(defer_append(fx->req, fx->req->rcpt_list.info + 2,
				  "none", &dsn), 0);
    has("to=<never@example.org>, relay=none, delay=");
    has("dsn=4.4.1, status=undeliverable (try again later)\n");
    assert_non_null(strstr(got(fx), "trace 1 flags=3 id=" QUEUE_ID
			   " to=never@example.org orig= orcpt= notify=1 "
			   "offset=300 status=4.4.1 action=undeliverable"));
    /* Without the trace service the outcome is not recorded. */
    stop_fake(fx, 2);
    assert_int_equal(sent(fx->req, fx->req->rcpt_list.info + 1, "local",
			  &dsn), -1);
    has("warning: " QUEUE_ID ": cannot record delivery report for "
	"success@example.org\n");
}

/* test_verify_mta - verify(8)'s probe: outcomes to the verify service */
static void test_verify_mta(void **state)
{
    FIXTURE *fx = *state;
    char   *path = concatenate(fx->queue_dir, "/private/verify", (char *) 0);
    TEST_ATTR_SERVICE service = {
	.greeting = VERIFY_PROTO_NAME,
	.protocol = VERIFY_PROTO_NAME,
	.answer = verify_answer,
	.context = fx->fakes + 2,
    };
    pid_t   pid;
    const char *status;
    DSN     dsn;

    test_set_param("address_verify_service_name", "verify");
    pid = test_attr_service_start(path, &service);
    fx->req->flags = DEL_REQ_FLAG_VERIFY | DEL_REQ_FLAG_MTA_VERIFY;
    dsn_simple(&dsn, "2.0.0", "delivers to mailbox");
    assert_int_equal(sent(fx->req, fx->req->rcpt_list.info + 1, "local",
			  &dsn), 0);
    has("to=<success@example.org>, relay=local, delay=");
    has("dsn=2.0.0, status=deliverable (delivers to mailbox)\n");
    /* The original recipient is the address that was queried. */
    dsn_simple(&dsn, "5.1.1", "unknown user");
    assert_int_equal(bounce_append(fx->req, fx->req->rcpt_list.info + 0,
				   "local", &dsn), 0);
    has("dsn=5.1.1, status=undeliverable (unknown user)\n");
    dsn_simple(&dsn, "4.2.2", "mailbox full");
    assert_int_equal(defer_append(fx->req, fx->req->rcpt_list.info + 2,
				  "none", &dsn), 0);
    has("dsn=4.2.2, status=undeliverable (mailbox full)\n");
    assert_string_equal(got(fx),
			"verify update success@example.org 0 2.0.0 delivers "
			"to mailbox\n"
			"verify update Orig@example.org 2 5.1.1 unknown user\n"
			"verify update never@example.org 1 4.2.2 mailbox "
			"full\n");
    /* Without a queue file the deferred probe stays deferred. */
    assert_int_equal(outcome_of(fx->req, 300, &status),
		     DELIVER_OUTCOME_DEFERRED);
    assert_string_equal(status, "4.2.2");
    /* verify(8) is down: a warning, the outcome is still recorded. */
    assert_true(test_service_kill(pid, path));
    assert_int_equal(sent(fx->req, fx->req->rcpt_list.info + 1, "local",
			  &dsn), 0);
    has("warning: problem talking to service verify: connect to ");
    has("warning: " QUEUE_ID ": cannot update the verification status of "
	"success@example.org\n");
    myfree(path);
}

/* test_trace_append - the trace log only; nothing is logged */
static void test_trace_append(void **state)
{
    FIXTURE *fx = *state;
    DSN     dsn;

    dsn_simple(&dsn, "2.0.0", "would deliver");
    assert_int_equal(trace_append(fx->req, fx->req->rcpt_list.info + 0,
				  "local", &dsn), 0);
    assert_non_null(strstr(got(fx), "trace 1 flags=0 id=" QUEUE_ID));
    assert_string_equal(test_capture_text(), "");
    assert_int_equal(fx->req->result_count, 0);
}

/* test_notifications - FLUSH, WARN, TRACE to the right services */
static void test_notifications(void **state)
{
    FIXTURE *fx = *state;
    const char *msg = " flags=0 id=" QUEUE_ID " queue=active encoding=8bit "
	"smtputf8=1 sender=sender@example.org envid=env1 ret=2\n";
    VSTRING *want = vstring_alloc(100);

    assert_int_equal(bounce_flush(fx->req), 0);
    assert_int_equal(defer_flush(fx->req), 0);
    assert_int_equal(defer_warn(fx->req), 0);
    assert_int_equal(trace_flush(fx->req), 0);
    vstring_sprintf(want, "bounce 2%sdefer 2%sdefer 3%strace 4%s",
		    msg, msg, msg, msg);
    assert_string_equal(got(fx), vstring_str(want));
    vstring_free(want);
    /* A refusal or a missing service: -1 with a warning. */
    stop_fake(fx, 0);
    start_fake(fx, 0, 1);
    assert_int_equal(bounce_flush(fx->req), -1);
    has("warning: bounce service: request failed: disk full\n");
    stop_fake(fx, 2);
    assert_int_equal(trace_flush(fx->req), -1);
    has("warning: trace service: connect to ");
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test_setup_teardown(test_sent, setup, teardown),
	cmocka_unit_test_setup_teardown(test_bounce, setup, teardown),
	cmocka_unit_test_setup_teardown(test_soft_bounce, setup, teardown),
	cmocka_unit_test_setup_teardown(test_bounce_failure, setup, teardown),
	cmocka_unit_test_setup_teardown(test_defer, setup, teardown),
	cmocka_unit_test_setup_teardown(test_verify, setup, teardown),
	cmocka_unit_test_setup_teardown(test_verify_mta, setup, teardown),
	cmocka_unit_test_setup_teardown(test_trace_append, setup, teardown),
	cmocka_unit_test_setup_teardown(test_notifications, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
