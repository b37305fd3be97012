/*
 * test_deliver_request - unit tests for deliver_request(3)
 *
 * DESCRIPTION
 *	Round trips over a socketpair with the agent in a child process:
 *	deliver_request_send() -> deliver_request_read() (every field, the
 *	queue file opened, locked and positioned) -> deliver_request_result()
 *	and deliver_completed() -> deliver_request_done() ->
 *	deliver_request_reply(); 1,000 recipients of 2,048-byte addresses;
 *	a missing queue file. Then, in one process, malformed requests
 *	(each check of the reader) and malformed replies, a request that
 *	qmgr refuses to send, and the agent's result bookkeeping (worst
 *	outcome wins, unknown recipients, a recipient without outcome).
 */
#include "sys_defs.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "myflock.h"
#include "vstream.h"
#include "vstring.h"
#include "attr_list.h"
#include "deliver_proto.h"
#include "deliver_request.h"
#include "bounce_client.h"
#include "test_params.h"
#include "test_queue_sample.h"
#include "test_support.h"

#define QUEUE_ID	"3F2A1B7E4"
#define MISSING_ID	"3F2A1B7E5"
#define T_ARRIVAL	1796430334774185L
#define T_ACTIVE	1796430335000000L
#define T_HANDOFF	1796430335500000L

typedef struct FIXTURE {
    char   *dir;
    char   *cwd;
    TEST_QUEUE_SAMPLE info;
    VSTREAM *qmgr;			/* one end of a socketpair */
    VSTREAM *agent;			/* the other */
} FIXTURE;

static const char *const sample_rcpts[] = {
    "alice@example.org", "Orig@Example.org|bob@example.org",
    "carol@example.org", NULL,
};

/* setup - a queue directory with active/QUEUE_ID, cwd there, a pair */
static int setup(void **state)
{
    FIXTURE *fx = mymalloc(sizeof(*fx));
    char   *active;
    char   *path;
    int     fds[2];

    test_set_param("ipc_timeout", "10s");
    test_set_param("qmgr_ipc_timeout", "10s");
    fx->dir = test_tempdir();
    fx->cwd = getcwd(NULL, 0);
    assert_non_null(fx->cwd);
    active = concatenate(fx->dir, "/active", (char *) 0);
    assert_int_equal(mkdir(active, 0700), 0);
    path = concatenate(active, "/" QUEUE_ID, (char *) 0);
    test_queue_sample(path, "sender@example.org", sample_rcpts,
		      "Subject: test\n\nbody\n", &fx->info);
    myfree(path);
    myfree(active);
    assert_int_equal(chdir(fx->dir), 0);
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
    fx->qmgr = vstream_fdopen(fds[0], O_RDWR);
    fx->agent = vstream_fdopen(fds[1], O_RDWR);
    vstream_set_path(fx->qmgr, "qmgr-end");
    vstream_set_path(fx->agent, "agent-end");
    signal(SIGPIPE, SIG_IGN);
    *state = fx;
    test_capture_start();
    return 0;
}

/* teardown - back to the old directory, remove everything */
static int teardown(void **state)
{
    FIXTURE *fx = *state;

    test_capture_stop();
    if (fx->qmgr)
	vstream_fclose(fx->qmgr);
    if (fx->agent)
	vstream_fclose(fx->agent);
    assert_int_equal(chdir(fx->cwd), 0);
    test_remove_tree(fx->dir);
    free(fx->cwd);
    myfree(fx->dir);
    myfree(fx);
    return 0;
}

/* sample_request - what qmgr sends for the sample file */
static DELIVER_REQUEST *sample_request(const FIXTURE *fx, const char *id)
{
    DELIVER_REQUEST *req = deliver_request_alloc();

    req->flags = DEL_REQ_FLAG_RECORD | DEL_REQ_FLAG_SUCCESS;
    req->queue_name = mystrdup("active");
    req->queue_id = mystrdup(id);
    req->data_offset = fx->info.data_offset;
    req->data_size = fx->info.data_size;
    req->nexthop = mystrdup("example.org");
    req->encoding = mystrdup("8bitmime");
    req->smtputf8 = 1;
    req->sender = mystrdup("sender@example.org");
    req->dsn_envid = mystrdup("envid-1");
    req->dsn_ret = 2;
    req->stats.incoming_arrival = msg_stats_tv(T_ARRIVAL);
    req->stats.active_arrival = msg_stats_tv(T_ACTIVE);
    req->stats.agent_handoff = msg_stats_tv(T_HANDOFF);
    req->client_name = mystrdup("client.example.org");
    req->client_addr = mystrdup("192.0.2.1");
    req->client_port = mystrdup("12345");
    req->client_proto = mystrdup("ESMTP");
    req->client_helo = mystrdup("helo.example.org");
    req->sasl_method = mystrdup("PLAIN");
    req->sasl_username = mystrdup("user");
    /* sasl_sender, log_ident, rewrite_context left NULL: sent as "". */
    recipient_list_add(&req->rcpt_list, fx->info.rcpt_offset[0], "", 0, "",
		       "alice@example.org");
    recipient_list_add(&req->rcpt_list, fx->info.rcpt_offset[1],
		       "rfc822;Orig@Example.org", DSN_NOTIFY_SUCCESS
		       | DSN_NOTIFY_FAILURE, "Orig@Example.org",
		       "bob@example.org");
    recipient_list_add(&req->rcpt_list, fx->info.rcpt_offset[2], "",
		       DSN_NOTIFY_NEVER, "", "carol@example.org");
    return req;
}

/* same - string comparison for the child's checks */
static bool same(const char *got, const char *want)
{
    return got != NULL && strcmp(got, want) == 0;
}

/* child_check_request - every field as sample_request() set it */
static int child_check_request(const FIXTURE *fx, const DELIVER_REQUEST *req)
{
    const RECIPIENT *r = req->rcpt_list.info;

    if (req->flags != (DEL_REQ_FLAG_RECORD | DEL_REQ_FLAG_SUCCESS))
	return 20;
    if (!same(req->queue_name, "active") || !same(req->queue_id, QUEUE_ID))
	return 21;
    if (req->data_offset != fx->info.data_offset
	|| req->data_size != fx->info.data_size)
	return 22;
    if (!same(req->nexthop, "example.org") || !same(req->encoding, "8bitmime")
	|| req->smtputf8 != 1 || !same(req->sender, "sender@example.org")
	|| !same(req->dsn_envid, "envid-1") || req->dsn_ret != 2)
	return 23;
    if (msg_stats_usec(&req->stats.incoming_arrival) != T_ARRIVAL
	|| msg_stats_usec(&req->stats.active_arrival) != T_ACTIVE
	|| msg_stats_usec(&req->stats.agent_handoff) != T_HANDOFF
	|| msg_stats_usec(&req->stats.deliver_done) != 0)
	return 24;
    if (!same(req->client_name, "client.example.org")
	|| !same(req->client_addr, "192.0.2.1")
	|| !same(req->client_port, "12345")
	|| !same(req->client_proto, "ESMTP")
	|| !same(req->client_helo, "helo.example.org")
	|| !same(req->sasl_method, "PLAIN")
	|| !same(req->sasl_username, "user")
	|| !same(req->sasl_sender, "") || !same(req->log_ident, "")
	|| !same(req->rewrite_context, ""))
	return 25;
    if (req->rcpt_list.len != 3)
	return 26;
    if (r[0].offset != fx->info.rcpt_offset[0]
	|| !same(r[0].address, "alice@example.org")
	|| !same(r[0].orig_addr, "") || r[0].dsn_notify != 0)
	return 27;
    if (r[1].offset != fx->info.rcpt_offset[1]
	|| !same(r[1].address, "bob@example.org")
	|| !same(r[1].orig_addr, "Orig@Example.org")
	|| !same(r[1].dsn_orcpt, "rfc822;Orig@Example.org")
	|| r[1].dsn_notify != (DSN_NOTIFY_SUCCESS | DSN_NOTIFY_FAILURE))
	return 28;
    if (r[2].dsn_notify != DSN_NOTIFY_NEVER)
	return 29;
    if (req->fp == NULL || vstream_ftell(req->fp) != req->data_offset)
	return 30;
    /* The shared lock is held: an exclusive one is refused. */
    {
	VSTREAM *other = vstream_fopen("active/" QUEUE_ID, O_RDONLY, 0);

	if (other == NULL
	    || myflock(vstream_fileno(other), MYFLOCK_STYLE_FLOCK,
		       MYFLOCK_OP_EXCLUSIVE | MYFLOCK_OP_NOWAIT) != MYFLOCK_BUSY)
	    return 31;
	vstream_fclose(other);
    }
    return 0;
}

/* run_child - fork; the child serves one request with fn, exits */
static pid_t run_child(FIXTURE *fx, int (*fn) (FIXTURE *))
{
    pid_t   pid = fork();

    assert_true(pid >= 0);
    if (pid == 0) {
	vstream_fclose(fx->qmgr);
	fx->qmgr = NULL;
	_exit(fn(fx));
    }
    vstream_fclose(fx->agent);
    fx->agent = NULL;
    return pid;
}

/* child_status - wait for the child, its exit status */
static int child_status(pid_t pid)
{
    int     status;

    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    return WEXITSTATUS(status);
}

/* agent_sample - check the request, report outcomes, mark one done */
static int agent_sample(FIXTURE *fx)
{
    DELIVER_REQUEST *req;
    int     code;

    if (deliver_request_read(fx->agent, &req) != 0 || req == NULL)
	return 10;
    if ((code = child_check_request(fx, req)) != 0)
	return code;
    deliver_request_result(req, req->rcpt_list.info + 0,
			   DELIVER_OUTCOME_SENT, "2.0.0");
    deliver_completed(req, req->rcpt_list.info + 0);
    /* Deferred, then sent (another alias destination): deferred counts. */
    deliver_request_result(req, req->rcpt_list.info + 1,
			   DELIVER_OUTCOME_DEFERRED, "4.2.0");
    deliver_request_result(req, req->rcpt_list.info + 1,
			   DELIVER_OUTCOME_SENT, "2.0.0");
    /* Sent, then bounced: bounced counts. */
    deliver_request_result(req, req->rcpt_list.info + 2,
			   DELIVER_OUTCOME_SENT, "2.0.0");
    deliver_request_result(req, req->rcpt_list.info + 2,
			   DELIVER_OUTCOME_BOUNCED, "5.1.1");
    req->dead = 1;
    if (deliver_request_done(fx->agent, req, DEL_STAT_OK) != 0)
	return 11;
    return 0;
}

/* test_round_trip - send, read, results, done, reply */
static void test_round_trip(void **state)
{
    FIXTURE *fx = *state;
    DELIVER_REQUEST *req = sample_request(fx, QUEUE_ID);
    pid_t   pid = run_child(fx, agent_sample);
    char    ch = 0;
    int     fd;

    assert_int_equal(deliver_request_send(fx->qmgr, req), 0);
    assert_int_equal(deliver_request_reply(fx->qmgr, req), 0);
    assert_int_equal(child_status(pid), 0);
    assert_int_equal(req->status, DEL_STAT_OK);
    assert_int_equal(req->dead, 1);
    assert_int_equal(req->result_count, 3);
    assert_int_equal(req->results[0].offset, fx->info.rcpt_offset[0]);
    assert_int_equal(req->results[0].outcome, DELIVER_OUTCOME_SENT);
    assert_string_equal(req->results[0].dsn_status, "2.0.0");
    assert_int_equal(req->results[1].offset, fx->info.rcpt_offset[1]);
    assert_int_equal(req->results[1].outcome, DELIVER_OUTCOME_DEFERRED);
    assert_string_equal(req->results[1].dsn_status, "4.2.0");
    assert_int_equal(req->results[2].outcome, DELIVER_OUTCOME_BOUNCED);
    assert_string_equal(req->results[2].dsn_status, "5.1.1");
    deliver_request_free(req);
    /* The agent marked alice done in the file. */
    fd = open("active/" QUEUE_ID, O_RDONLY);
    assert_true(fd >= 0);
    assert_int_equal(pread(fd, &ch, 1, fx->info.rcpt_offset[0]), 1);
    assert_int_equal(ch, 'D');
    assert_int_equal(pread(fd, &ch, 1, fx->info.rcpt_offset[1]), 1);
    assert_int_equal(ch, 'R');
    close(fd);
}

/* agent_all_sent - every recipient sent */
static int agent_all_sent(FIXTURE *fx)
{
    DELIVER_REQUEST *req;
    int     n;

    if (deliver_request_read(fx->agent, &req) != 0 || req == NULL)
	return 10;
    if (req->rcpt_list.len != DELIVER_MAX_RCPT)
	return 12;
    for (n = 0; n < req->rcpt_list.len; n++) {
	if (strlen(req->rcpt_list.info[n].address) != DELIVER_MAX_ADDR)
	    return 13;
	deliver_request_result(req, req->rcpt_list.info + n,
			       DELIVER_OUTCOME_SENT, "2.0.0");
    }
    return deliver_request_done(fx->agent, req, DEL_STAT_OK) ? 11 : 0;
}

/* test_many_recipients - the most recipients, the longest addresses */
static void test_many_recipients(void **state)
{
    FIXTURE *fx = *state;
    DELIVER_REQUEST *req = sample_request(fx, QUEUE_ID);
    VSTRING *addr = vstring_alloc(DELIVER_MAX_ADDR);
    pid_t   pid;
    int     n;

    recipient_list_free(&req->rcpt_list);
    for (n = 0; n < DELIVER_MAX_RCPT; n++) {
	vstring_sprintf(addr, "%d@", n);
	while (VSTRING_LEN(addr) < DELIVER_MAX_ADDR)
	    VSTRING_ADDCH(addr, 'x');
	VSTRING_TERMINATE(addr);
	recipient_list_add(&req->rcpt_list, 1000 + n, "", 0, "",
			   vstring_str(addr));
    }
    vstring_free(addr);
    pid = run_child(fx, agent_all_sent);
    assert_int_equal(deliver_request_send(fx->qmgr, req), 0);
    assert_int_equal(deliver_request_reply(fx->qmgr, req), 0);
    assert_int_equal(child_status(pid), 0);
    assert_int_equal(req->status, DEL_STAT_OK);
    assert_int_equal(req->result_count, DELIVER_MAX_RCPT);
    assert_int_equal(req->results[999].offset, 1999);
    deliver_request_free(req);
}

/* agent_missing - the file is not there: fp NULL, defer everything */
static int agent_missing(FIXTURE *fx)
{
    DELIVER_REQUEST *req;

    if (deliver_request_read(fx->agent, &req) != 0 || req == NULL)
	return 10;
    if (req->fp != NULL)
	return 14;
    if (strstr(test_capture_text(), "warning: " MISSING_ID
	       ": cannot open queue file active/" MISSING_ID) == NULL)
	return 15;
    req->reason = mystrdup("4.3.0 queue file is missing");
    return deliver_request_done(fx->agent, req, DEL_STAT_DEFER) ? 11 : 0;
}

/* test_missing_file - the agent defers; qmgr gets the reason */
static void test_missing_file(void **state)
{
    FIXTURE *fx = *state;
    DELIVER_REQUEST *req = sample_request(fx, MISSING_ID);
    pid_t   pid = run_child(fx, agent_missing);

    assert_int_equal(deliver_request_send(fx->qmgr, req), 0);
    assert_int_equal(deliver_request_reply(fx->qmgr, req), 0);
    assert_int_equal(child_status(pid), 0);
    assert_int_equal(req->status, DEL_STAT_DEFER);
    assert_string_equal(req->reason, "4.3.0 queue file is missing");
    assert_int_equal(req->result_count, 0);
    assert_int_equal(req->dead, 0);
    deliver_request_free(req);
}

 /*
  * Malformed requests, written by hand into the socket before the agent
  * reads (its greeting goes unread into the other end).
  */
typedef enum BREAK {
    BREAK_NONE,
    BREAK_PROTOCOL,
    BREAK_NO_QUEUE_ID,
    BREAK_QUEUE_ID,
    BREAK_QUEUE_NAME,
    BREAK_FLAGS,
    BREAK_DATA_OFFSET,
    BREAK_SMTPUTF8,
    BREAK_DSN_RET,
    BREAK_TIME,
    BREAK_TYPE,
    BREAK_NO_RCPT,
    BREAK_RCPT_NOT_LIST,
    BREAK_RCPT_NO_ADDRESS,
    BREAK_RCPT_OFFSET,
    BREAK_RCPT_SAME_OFFSET,
    BREAK_RCPT_NOTIFY,
    BREAK_RCPT_NEVER_PLUS,
    BREAK_RCPT_LONG,
    BREAK_RCPT_COUNT,
} BREAK;

typedef struct BREAK_CASE {
    BREAK   how;
    const char *warning;
} BREAK_CASE;

static const BREAK_CASE break_cases[] = {
    {BREAK_PROTOCOL, "bad delivery request: unexpected protocol bounce"},
    {BREAK_NO_QUEUE_ID, "bad delivery request: missing attribute queue_id"},
    {BREAK_QUEUE_ID, "bad delivery request: bad queue ID \"../etc\""},
    {BREAK_QUEUE_NAME, "bad delivery request: bad queue name \"a/b\""},
    {BREAK_FLAGS, "bad delivery request: bad flags 0x100"},
    {BREAK_DATA_OFFSET, "bad delivery request: bad data offset 0 or size"},
    {BREAK_SMTPUTF8, "bad delivery request: bad smtputf8 8"},
    {BREAK_DSN_RET, "bad delivery request: bad dsn_ret 3"},
    {BREAK_TIME, "bad delivery request: negative time stamp"},
    {BREAK_TYPE, "bad delivery request: attribute data_size: expected long"},
    {BREAK_NO_RCPT, "bad delivery request: 0 recipients (1 to 1000 allowed)"},
    {BREAK_RCPT_NOT_LIST, "bad delivery request: attribute rcpt: expected list"},
    {BREAK_RCPT_NO_ADDRESS, "bad delivery request: recipient 2: missing attribute address"},
    {BREAK_RCPT_OFFSET, "bad delivery request: recipient 2: bad offset 0"},
    {BREAK_RCPT_SAME_OFFSET, "bad delivery request: recipients 1 and 2: same offset 100"},
    {BREAK_RCPT_NOTIFY, "bad delivery request: recipient 2: bad dsn_notify 16"},
    {BREAK_RCPT_NEVER_PLUS, "bad delivery request: recipient 2: bad dsn_notify 3"},
    {BREAK_RCPT_LONG, "bad delivery request: recipient 2: address longer than 2048 bytes"},
    {BREAK_RCPT_COUNT, "bad delivery request: more than 1000 recipients"},
};

/* add_rcpt - one recipient list */
static void add_rcpt(ATTR_LIST *list, const char *address, long offset,
		             int notify)
{
    ATTR_LIST *item = attr_list_add_list(list, DELIVER_ATTR_RCPT);

    if (address != NULL)
	attr_list_add_str(item, DELIVER_ATTR_ADDRESS, address);
    attr_list_add_long(item, DELIVER_ATTR_OFFSET, offset);
    attr_list_add_int(item, DELIVER_ATTR_DSN_NOTIFY, notify);
}

/* broken_request - a request with one thing wrong */
static ATTR_LIST *broken_request(BREAK how)
{
    ATTR_LIST *list = attr_proto_request(how == BREAK_PROTOCOL ? "bounce" :
					 DELIVER_PROTOCOL, NULL);
    VSTRING *long_addr = vstring_alloc(DELIVER_MAX_ADDR + 2);
    int     n;

    attr_list_add_int(list, DELIVER_ATTR_FLAGS, how == BREAK_FLAGS ? 0x100 : 0);
    attr_list_add_str(list, DELIVER_ATTR_QUEUE_NAME,
		      how == BREAK_QUEUE_NAME ? "a/b" : "active");
    if (how != BREAK_NO_QUEUE_ID)
	attr_list_add_str(list, DELIVER_ATTR_QUEUE_ID,
			  how == BREAK_QUEUE_ID ? "../etc" : QUEUE_ID);
    attr_list_add_long(list, DELIVER_ATTR_DATA_OFFSET,
		       how == BREAK_DATA_OFFSET ? 0 : 500);
    if (how == BREAK_TYPE)
	attr_list_add_str(list, DELIVER_ATTR_DATA_SIZE, "20");
    else
	attr_list_add_long(list, DELIVER_ATTR_DATA_SIZE, 20);
    attr_list_add_str(list, DELIVER_ATTR_NEXTHOP, "example.org");
    attr_list_add_str(list, DELIVER_ATTR_ENCODING, "");
    attr_list_add_int(list, DELIVER_ATTR_SMTPUTF8,
		      how == BREAK_SMTPUTF8 ? 8 : 0);
    attr_list_add_str(list, DELIVER_ATTR_SENDER, "");
    attr_list_add_str(list, DELIVER_ATTR_DSN_ENVID, "");
    attr_list_add_int(list, DELIVER_ATTR_DSN_RET, how == BREAK_DSN_RET ? 3 : 0);
    attr_list_add_long(list, DELIVER_ATTR_TIME_ARRIVAL,
		       how == BREAK_TIME ? -1 : T_ARRIVAL);
    attr_list_add_long(list, DELIVER_ATTR_TIME_ACTIVE, T_ACTIVE);
    attr_list_add_long(list, DELIVER_ATTR_TIME_HANDOFF, T_HANDOFF);
    if (how == BREAK_NO_RCPT) {
	/* nothing */
    } else if (how == BREAK_RCPT_NOT_LIST) {
	attr_list_add_str(list, DELIVER_ATTR_RCPT, "a@example.org");
    } else if (how == BREAK_RCPT_COUNT) {
	for (n = 0; n <= DELIVER_MAX_RCPT; n++)
	    add_rcpt(list, "a@example.org", 100 + n, 0);
    } else {
	add_rcpt(list, "a@example.org", 100, 0);
	while (VSTRING_LEN(long_addr) <= DELIVER_MAX_ADDR)
	    VSTRING_ADDCH(long_addr, 'x');
	VSTRING_TERMINATE(long_addr);
	add_rcpt(list, how == BREAK_RCPT_NO_ADDRESS ? NULL :
		 how == BREAK_RCPT_LONG ? vstring_str(long_addr) :
		 "b@example.org",
		 how == BREAK_RCPT_OFFSET ? 0 :
		 how == BREAK_RCPT_SAME_OFFSET ? 100 : 200,
		 how == BREAK_RCPT_NOTIFY ? 16 :
		 how == BREAK_RCPT_NEVER_PLUS ? 3 : 0);
    }
    vstring_free(long_addr);
    return list;
}

/* test_malformed_requests - each check: -1, NULL, a precise warning */
static void test_malformed_requests(void **state)
{
    FIXTURE *fx = *state;
    DELIVER_REQUEST *req;
    ATTR_LIST *list;
    size_t  n;
    int     fds[2];

    /* First the good one, to show that only the defect matters. */
    list = broken_request(BREAK_NONE);
    assert_true(attr_list_write(fx->qmgr, list));
    assert_int_equal(vstream_fflush(fx->qmgr), 0);
    attr_list_free(list);
    assert_int_equal(deliver_request_read(fx->agent, &req), 0);
    assert_non_null(req);
    assert_non_null(req->fp);
    deliver_request_free(req);

    for (n = 0; n < ARRAY_LEN(break_cases); n++) {
	vstream_fclose(fx->qmgr);
	vstream_fclose(fx->agent);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
	fx->qmgr = vstream_fdopen(fds[0], O_RDWR);
	fx->agent = vstream_fdopen(fds[1], O_RDWR);
	vstream_set_path(fx->agent, "agent-end");
	list = broken_request(break_cases[n].how);
	assert_true(attr_list_write(fx->qmgr, list));
	assert_int_equal(vstream_fflush(fx->qmgr), 0);
	attr_list_free(list);
	test_capture_stop();
	test_capture_start();
	req = (DELIVER_REQUEST *) 1;
	assert_int_equal(deliver_request_read(fx->agent, &req), -1);
	assert_null(req);
	if (strstr(test_capture_text(), break_cases[n].warning) == NULL)
	    fail_msg("case %zu: want \"%s\", got \"%s\"", n,
		     break_cases[n].warning, test_capture_text());
    }
    /* qmgr went away: the greeting cannot be sent; a warning, -1. */
    vstream_fclose(fx->qmgr);
    fx->qmgr = NULL;
    assert_int_equal(deliver_request_read(fx->agent, &req), -1);
    assert_non_null(strstr(test_capture_text(),
			   "agent-end: cannot send greeting: "));
    /* The end of input after the greeting. */
    vstream_fclose(fx->agent);
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
    fx->agent = vstream_fdopen(fds[1], O_RDWR);
    vstream_set_path(fx->agent, "agent-end");
    assert_int_equal(shutdown(fds[0], SHUT_WR), 0);
    assert_int_equal(deliver_request_read(fx->agent, &req), -1);
    close(fds[0]);
    assert_non_null(strstr(test_capture_text(),
			   "agent-end: bad delivery request: end of input"));
}

/* test_send_refused - qmgr does not send what the agent would refuse */
static void test_send_refused(void **state)
{
    FIXTURE *fx = *state;
    DELIVER_REQUEST *req = sample_request(fx, QUEUE_ID);

    recipient_list_add(&req->rcpt_list, fx->info.rcpt_offset[0], "", 0, "",
		       "dup@example.org");
    assert_int_equal(deliver_request_send(fx->qmgr, req), -1);
    assert_non_null(strstr(test_capture_text(), "qmgr-end: bad delivery "
			   "request for " QUEUE_ID ": recipients 1 and 4"));
    deliver_request_free(req);
    req = sample_request(fx, QUEUE_ID);
    recipient_list_free(&req->rcpt_list);
    assert_int_equal(deliver_request_send(fx->qmgr, req), -1);
    deliver_request_free(req);
    /* A peer that is not a delivery agent. */
    req = sample_request(fx, QUEUE_ID);
    assert_true(attr_proto_greet(fx->agent, "cleanup", NULL));
    assert_int_equal(deliver_request_send(fx->qmgr, req), -1);
    assert_non_null(strstr(test_capture_text(), "qmgr-end: delivery agent "
			   "greeting: unexpected protocol cleanup"));
    deliver_request_free(req);
}

 /*
  * Malformed replies, written by hand; qmgr's request has the sample
  * recipients.
  */
typedef struct REPLY_CASE {
    const char *what;			/* see broken_reply() */
    const char *warning;
} REPLY_CASE;

static const REPLY_CASE reply_cases[] = {
    {"no status", "missing attribute status"},
    {"status 2", "bad status 2"},
    {"dead 2", "bad dead flag 2"},
    {"unknown offset", "result for unknown offset 7"},
    {"twice", "second result for offset"},
    {"outcome 3", "bad outcome 3 for offset"},
    {"bad dsn", "bad DSN status \"2.0\" for offset"},
    {"not a list", "attribute result: expected list"},
    {"no outcome", "missing attribute outcome"},
};

/* broken_reply - a reply with one thing wrong */
static ATTR_LIST *broken_reply(const FIXTURE *fx, const char *what)
{
    ATTR_LIST *list = attr_list_create();
    ATTR_LIST *item;

    if (strcmp(what, "no status") != 0)
	attr_list_add_int(list, DELIVER_ATTR_STATUS,
			  strcmp(what, "status 2") == 0 ? 2 : 0);
    if (strcmp(what, "not a list") == 0) {
	attr_list_add_str(list, DELIVER_ATTR_RESULT, "x");
    } else {
	item = attr_list_add_list(list, DELIVER_ATTR_RESULT);
	attr_list_add_long(item, DELIVER_ATTR_OFFSET,
			   strcmp(what, "unknown offset") == 0 ? 7 :
			   fx->info.rcpt_offset[0]);
	if (strcmp(what, "no outcome") != 0)
	    attr_list_add_int(item, DELIVER_ATTR_OUTCOME,
			      strcmp(what, "outcome 3") == 0 ? 3 : 0);
	attr_list_add_str(item, DELIVER_ATTR_DSN_STATUS,
			  strcmp(what, "bad dsn") == 0 ? "2.0" : "2.0.0");
	if (strcmp(what, "twice") == 0) {
	    item = attr_list_add_list(list, DELIVER_ATTR_RESULT);
	    attr_list_add_long(item, DELIVER_ATTR_OFFSET,
			       fx->info.rcpt_offset[0]);
	    attr_list_add_int(item, DELIVER_ATTR_OUTCOME, 1);
	    attr_list_add_str(item, DELIVER_ATTR_DSN_STATUS, "4.0.0");
	}
    }
    attr_list_add_int(list, DELIVER_ATTR_DEAD,
		      strcmp(what, "dead 2") == 0 ? 2 : 0);
    return list;
}

/* test_malformed_replies - each check: -1, no results, a warning */
static void test_malformed_replies(void **state)
{
    FIXTURE *fx = *state;
    DELIVER_REQUEST *req = sample_request(fx, QUEUE_ID);
    ATTR_LIST *list;
    size_t  n;

    for (n = 0; n < ARRAY_LEN(reply_cases); n++) {
	list = broken_reply(fx, reply_cases[n].what);
	assert_true(attr_list_write(fx->agent, list));
	assert_int_equal(vstream_fflush(fx->agent), 0);
	attr_list_free(list);
	test_capture_stop();
	test_capture_start();
	assert_int_equal(deliver_request_reply(fx->qmgr, req), -1);
	assert_int_equal(req->result_count, 0);
	assert_null(req->results);
	if (strstr(test_capture_text(), reply_cases[n].warning) == NULL
	    || strstr(test_capture_text(), "qmgr-end: bad delivery reply for "
		      QUEUE_ID ": ") == NULL)
	    fail_msg("case %s: want \"%s\", got \"%s\"", reply_cases[n].what,
		     reply_cases[n].warning, test_capture_text());
	/* A failed read leaves the stream unusable: a new pair. */
	{
	    int     fds[2];

	    vstream_fclose(fx->qmgr);
	    vstream_fclose(fx->agent);
	    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
	    fx->qmgr = vstream_fdopen(fds[0], O_RDWR);
	    fx->agent = vstream_fdopen(fds[1], O_RDWR);
	    vstream_set_path(fx->qmgr, "qmgr-end");
	}
    }
    /* The agent went away without a reply. */
    vstream_fclose(fx->agent);
    fx->agent = NULL;
    assert_int_equal(deliver_request_reply(fx->qmgr, req), -1);
    assert_non_null(strstr(test_capture_text(), "end of input"));
    deliver_request_free(req);
}

/* test_result_bookkeeping - unknown recipient, bad status, no outcome */
static void test_result_bookkeeping(void **state)
{
    FIXTURE *fx = *state;
    DELIVER_REQUEST *areq = sample_request(fx, QUEUE_ID);
    DELIVER_REQUEST *qreq = sample_request(fx, QUEUE_ID);
    RECIPIENT stranger = areq->rcpt_list.info[0];

    stranger.offset = 99999;
    deliver_request_result(areq, &stranger, DELIVER_OUTCOME_SENT, "2.0.0");
    assert_non_null(strstr(test_capture_text(), "deliver_request_result: "
			   QUEUE_ID ": no recipient at offset 99999"));
    assert_int_equal(areq->result_count, 0);
    deliver_request_result(areq, areq->rcpt_list.info + 0,
			   DELIVER_OUTCOME_BOUNCED, "bogus");
    assert_non_null(strstr(test_capture_text(), "bad DSN status bogus"));
    assert_string_equal(areq->results[0].dsn_status, "5.0.0");
    /* Recipients 2 and 3 have no outcome: the reply becomes a defer. */
    assert_int_equal(deliver_request_done(fx->agent, areq, DEL_STAT_OK), 0);
    assert_non_null(strstr(test_capture_text(), QUEUE_ID ": delivery agent "
			   "reported no outcome for some recipients"));
    assert_int_equal(deliver_request_reply(fx->qmgr, qreq), 0);
    assert_int_equal(qreq->status, DEL_STAT_DEFER);
    assert_string_equal(qreq->reason, "4.3.0 delivery agent reported no "
			"outcome for some recipients");
    assert_int_equal(qreq->result_count, 1);
    assert_int_equal(qreq->results[0].outcome, DELIVER_OUTCOME_BOUNCED);
    deliver_request_free(qreq);
    /* A defer without a reason gets a generic one. */
    areq = sample_request(fx, QUEUE_ID);
    qreq = sample_request(fx, QUEUE_ID);
    assert_int_equal(deliver_request_done(fx->agent, areq, DEL_STAT_DEFER), 0);
    assert_int_equal(deliver_request_reply(fx->qmgr, qreq), 0);
    assert_int_equal(qreq->status, DEL_STAT_DEFER);
    assert_string_equal(qreq->reason, "4.3.0 delivery agent error");
    deliver_request_free(qreq);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
	cmocka_unit_test_setup_teardown(test_many_recipients, setup, teardown),
	cmocka_unit_test_setup_teardown(test_missing_file, setup, teardown),
	cmocka_unit_test_setup_teardown(test_malformed_requests, setup, teardown),
	cmocka_unit_test_setup_teardown(test_send_refused, setup, teardown),
	cmocka_unit_test_setup_teardown(test_malformed_replies, setup, teardown),
	cmocka_unit_test_setup_teardown(test_result_bookkeeping, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
