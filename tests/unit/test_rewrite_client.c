/*
 * test_rewrite_client - unit tests for rewrite_client(3)
 *
 * DESCRIPTION
 *	A fake trivial-rewrite service in a child process listens on
 *	private/rewrite under a temporary queue directory and serves
 *	connections one after the other, the way a scenario says. Each
 *	answer names the request number and the connection number of
 *	the service ("#<request>/<connection>"), so a test sees whether
 *	an answer came from the client's cache, and whether the client
 *	connected again. $ipc_timeout is 1 second.
 */
#include "sys_defs.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "vstream.h"
#include "vstring.h"
#include "listen.h"
#include "mail_params.h"
#include "attr_list.h"
#include "rewrite_proto.h"
#include "rewrite_client.h"
#include "test_params.h"
#include "test_support.h"
#include "test_service.h"
#include "test_attr_service.h"

typedef enum SCENARIO {
    SERVE_NORMAL,			/* answer every request */
    SERVE_CLOSE_EACH,			/* close after each answer */
    SERVE_DROP_FIRST,			/* first connection: no answer */
    SERVE_DROP_ALL,			/* never answer, close */
    SERVE_SILENT,			/* never answer, stay */
    SERVE_BAD_GREETING,			/* another protocol */
    SERVE_REFUSE,			/* status -1 */
    SERVE_FAIL_FLAG,			/* RESOLVE_FLAG_FAIL */
    SERVE_MISSING,			/* answer without results */
} SCENARIO;

static char *queue_dir;
static char *service_path;
static pid_t server_pid = -1;

/* server_answer - the reply to one request */
static void server_answer(VSTREAM *fp, SCENARIO scenario,
			          const ATTR_LIST *request, int requests,
			          int connections)
{
    ATTR_LIST *reply = attr_list_create();
    const char *what = attr_list_find_str(request, ATTR_REQUEST);
    const char *address = attr_list_find_str(request, REWRITE_ATTR_ADDRESS);
    VSTRING *buf = vstring_alloc(100);
    int     flags = scenario == SERVE_FAIL_FLAG ? RESOLVE_FLAG_FAIL : 0;

    if (what == NULL || address == NULL)
	_exit(3);
    if (scenario == SERVE_REFUSE) {
	attr_list_add_int(reply, ATTR_STATUS, -1);
	attr_list_add_str(reply, ATTR_REASON, "not today");
    } else if (scenario == SERVE_MISSING) {
	attr_list_add_int(reply, REWRITE_ATTR_FLAGS, 0);
    } else if (strcmp(what, REWRITE_REQ_REWRITE) == 0) {
	vstring_sprintf(buf, "%s:%s#%d/%d",
			attr_list_find_str(request, REWRITE_ATTR_RULE),
			address, requests, connections);
	attr_list_add_int(reply, REWRITE_ATTR_FLAGS, flags);
	attr_list_add_str(reply, REWRITE_ATTR_ADDRESS, vstring_str(buf));
    } else {
	vstring_sprintf(buf, "%s|%s#%d/%d",
			attr_list_find_str(request, REWRITE_ATTR_SENDER),
			address, requests, connections);
	attr_list_add_int(reply, REWRITE_ATTR_FLAGS,
			  flags | RESOLVE_CLASS_DEFAULT);
	attr_list_add_str(reply, REWRITE_ATTR_TRANSPORT, "smtp");
	attr_list_add_str(reply, REWRITE_ATTR_NEXTHOP, what);
	attr_list_add_str(reply, REWRITE_ATTR_RECIPIENT, vstring_str(buf));
    }
    attr_list_write(fp, reply);
    vstream_fflush(fp);
    attr_list_free(reply);
    vstring_free(buf);
}

/* closed_path - the file that says that a connection is closed */
static char *closed_path(int connection)
{
    char    num[20];

    snprintf(num, sizeof(num), "%d", connection);
    return concatenate(queue_dir, "/closed.", num, (char *) 0);
}

/* server_mark_closed - tell the test that a connection is closed */
static void server_mark_closed(int connection)
{
    char   *path = closed_path(connection);
    int     fd;

    /* In the child: no cmocka calls. */
    if ((fd = open(path, O_WRONLY | O_CREAT, 0644)) < 0)
	_exit(6);
    close(fd);
    myfree(path);
}

/* wait_closed - wait until the service has closed a connection */
static void wait_closed(int connection)
{
    char   *path = closed_path(connection);
    int     n;

    for (n = 0; n < 500 && !test_file_exists(path); n++)
	usleep(10000);
    if (!test_file_exists(path))
	fail_msg("connection %d was not closed", connection);
    myfree(path);
}

/* server_reply - answer one request as the scenario says */
static bool server_reply(VSTREAM *fp, const ATTR_LIST *request, int requests,
			         int connections, void *context)
{
    SCENARIO scenario = *(SCENARIO *) context;

    if (scenario == SERVE_DROP_ALL
	|| (scenario == SERVE_DROP_FIRST && connections == 1))
	return false;
    if (scenario == SERVE_SILENT) {
	while (VSTREAM_GETC(fp) != VSTREAM_EOF)
	     /* void */ ;
	return false;
    }
    server_answer(fp, scenario, request, requests, connections);
    return !(scenario == SERVE_CLOSE_EACH || scenario == SERVE_REFUSE);
}

/* server_closed - tell the test that a connection is closed */
static void server_closed(int connections, void *context)
{
    (void) context;
    server_mark_closed(connections);
}

/* server_start - listen and fork the fake service */
static void server_start(SCENARIO scenario)
{
    static SCENARIO context;
    static TEST_ATTR_SERVICE service;

    context = scenario;
    service.greeting = scenario == SERVE_BAD_GREETING ? "cleanup" : REWRITE_PROTO_NAME;
    service.protocol = REWRITE_PROTO_NAME;
    service.answer = server_reply;
    service.closed = server_closed;
    service.context = &context;
    server_pid = test_attr_service_start(service_path, &service);
}

/* server_stop - end the fake service; false when it found a bad request */
static bool server_stop(void)
{
    bool    served_forever;

    if (server_pid < 0)
	return true;
    served_forever = test_service_kill(server_pid, service_path);
    server_pid = -1;
    return served_forever;
}

/* setup - a queue directory with private/ */
static int setup(void **state)
{
    (void) state;
    service_path = test_service_dir("private", "rewrite", &queue_dir);
    test_set_param("queue_directory", queue_dir);
    test_set_param("ipc_timeout", "1s");
    rewrite_client_set_endpoint(NULL);
    return 0;
}

/* teardown - stop the service, remove it all */
static int teardown(void **state)
{
    (void) state;
    rewrite_client_set_endpoint(NULL);
    (void) server_stop();
    test_capture_stop();
    test_remove_tree(queue_dir);
    myfree(queue_dir);
    myfree(service_path);
    return 0;
}

/* rewrite - one rewrite request; the answer, "" on failure */
static const char *rewrite(const char *rule, const char *address)
{
    static VSTRING *result;

    if (result == NULL)
	result = vstring_alloc(100);
    if (!rewrite_client_rewrite(rule, address, result))
	vstring_strcpy(result, "");
    return vstring_str(result);
}

/* resolve - one resolve request; the recipient, "" on failure */
static const char *resolve(const char *request, const char *sender,
			           const char *address, int *flags)
{
    static RESOLVE_REPLY reply;
    static bool init;

    if (!init) {
	resolve_reply_init(&reply);
	init = true;
    }
    if (!rewrite_client_resolve(request, sender, address, &reply))
	return "";
    if (flags != NULL)
	*flags = reply.flags;
    assert_string_equal(vstring_str(reply.transport), "smtp");
    assert_string_equal(vstring_str(reply.nexthop), request);
    return vstring_str(reply.recipient);
}

/* test_conversation - rewrite and resolve requests on one connection */
static void test_conversation(void **state)
{
    int     flags = 0;

    (void) state;
    server_start(SERVE_NORMAL);
    assert_string_equal(rewrite(REWRITE_RULE_LOCAL, "user"), "local:user#1/1");
    assert_string_equal(rewrite(REWRITE_RULE_REMOTE, "user"), "remote:user#2/1");
    assert_string_equal(resolve(REWRITE_REQ_RESOLVE, "s@x", "a@example.com",
				&flags), "s@x|a@example.com#3/1");
    assert_int_equal(flags, RESOLVE_CLASS_DEFAULT);
    assert_string_equal(resolve(REWRITE_REQ_RESOLVE_VERIFY, "", "a@example.com",
				NULL), "|a@example.com#4/1");
    assert_string_equal(resolve(REWRITE_REQ_RESOLVE_SENDER, NULL, "b@example.com",
				NULL), "|b@example.com#5/1");
    /* Addresses with unusual bytes go through unchanged. */
    assert_string_equal(rewrite(REWRITE_RULE_LOCAL, "\"a b\"@[1.2.3.4]"),
			"local:\"a b\"@[1.2.3.4]#6/1");
    assert_string_equal(rewrite(REWRITE_RULE_LOCAL, ""), "local:#7/1");
    assert_true(server_stop());
}

/* test_cache - recent answers per kind of request */
static void test_cache(void **state)
{
    VSTRING *address = vstring_alloc(10);
    VSTRING *expect = vstring_alloc(10);
    int     n;

    (void) state;
    server_start(SERVE_NORMAL);
    assert_string_equal(rewrite(REWRITE_RULE_LOCAL, "user"), "local:user#1/1");
    assert_string_equal(rewrite(REWRITE_RULE_LOCAL, "user"), "local:user#1/1");
    assert_string_equal(rewrite(REWRITE_RULE_REMOTE, "user"), "remote:user#2/1");
    assert_string_equal(rewrite(REWRITE_RULE_REMOTE, "user"), "remote:user#2/1");
    /* Rule and address are not confused ("a" + "bc" vs "ab" + "c"). */
    assert_string_equal(rewrite("a", "bc"), "a:bc#3/1");
    assert_string_equal(rewrite("ab", "c"), "ab:c#4/1");
    /* Each kind of resolve request has its own answers. */
    assert_string_equal(resolve(REWRITE_REQ_RESOLVE, "", "a@x", NULL),
			"|a@x#5/1");
    assert_string_equal(resolve(REWRITE_REQ_RESOLVE_VERIFY, "", "a@x", NULL),
			"|a@x#6/1");
    assert_string_equal(resolve(REWRITE_REQ_RESOLVE_SENDER, "", "a@x", NULL),
			"|a@x#7/1");
    assert_string_equal(resolve(REWRITE_REQ_RESOLVE, "", "a@x", NULL),
			"|a@x#5/1");
    assert_string_equal(resolve(REWRITE_REQ_RESOLVE_VERIFY, "", "a@x", NULL),
			"|a@x#6/1");
    assert_string_equal(resolve(REWRITE_REQ_RESOLVE, "other", "a@x", NULL),
			"other|a@x#8/1");
    /* 16 answers are kept: the 17th distinct request pushes out the first. */
    for (n = 0; n < 15; n++) {
	vstring_sprintf(address, "u%d", n);
	vstring_sprintf(expect, "local:u%d#%d/1", n, 9 + n);
	assert_string_equal(rewrite(REWRITE_RULE_LOCAL, vstring_str(address)),
			    vstring_str(expect));
    }
    /* Requests 1 ("local:user") and 2 ("remote:user") are gone now. */
    assert_string_equal(rewrite(REWRITE_RULE_LOCAL, "u0"), "local:u0#9/1");
    assert_string_equal(rewrite(REWRITE_RULE_LOCAL, "u14"), "local:u14#23/1");
    assert_string_equal(rewrite(REWRITE_RULE_LOCAL, "user"), "local:user#24/1");
    /* The resolve answers are still there. */
    assert_string_equal(resolve(REWRITE_REQ_RESOLVE, "", "a@x", NULL),
			"|a@x#5/1");
    assert_true(server_stop());
    vstring_free(address);
    vstring_free(expect);
}

/* test_cache_reconnect - a new connection empties the cache */
static void test_cache_reconnect(void **state)
{
    (void) state;
    server_start(SERVE_CLOSE_EACH);
    assert_string_equal(rewrite(REWRITE_RULE_LOCAL, "user"), "local:user#1/1");
    assert_string_equal(resolve(REWRITE_REQ_RESOLVE, "", "a@x", NULL),
			"|a@x#2/2");
    /* The service closed the connection: no answer from before. */
    wait_closed(2);
    assert_string_equal(rewrite(REWRITE_RULE_LOCAL, "user"), "local:user#3/3");
    wait_closed(3);
    assert_string_equal(resolve(REWRITE_REQ_RESOLVE, "", "a@x", NULL),
			"|a@x#4/4");
    assert_true(server_stop());
    /* Another endpoint: a new connection, no answers from the old one. */
    server_start(SERVE_NORMAL);
    rewrite_client_set_endpoint(service_path);
    assert_string_equal(rewrite(REWRITE_RULE_LOCAL, "user"), "local:user#1/1");
    assert_string_equal(rewrite(REWRITE_RULE_LOCAL, "user"), "local:user#1/1");
    assert_true(server_stop());
}

/* test_retry - a lost connection: once more on a new connection */
static void test_retry(void **state)
{
    (void) state;
    server_start(SERVE_DROP_FIRST);
    test_capture_start();
    assert_string_equal(rewrite(REWRITE_RULE_LOCAL, "user"), "local:user#2/2");
    assert_string_equal(rewrite(REWRITE_RULE_LOCAL, "user"), "local:user#2/2");
    assert_string_equal(test_capture_text(), "");
    assert_true(server_stop());
}

/* test_failures - twice failed, or refused: a warning and false */
static void test_failures(void **state)
{
    static const struct {
	SCENARIO scenario;
	const char *warning;
    } cases[] = {
	{SERVE_DROP_ALL, "warning: rewrite service private/rewrite: end of input\n"},
	{SERVE_SILENT, "warning: rewrite service private/rewrite: timeout\n"},
	{SERVE_BAD_GREETING, "warning: rewrite service private/rewrite: "
	"unexpected protocol cleanup\n"},
	{SERVE_REFUSE, "warning: rewrite service private/rewrite: "
	"request refused: not today\n"},
	{SERVE_MISSING, "warning: rewrite service private/rewrite: "
	"missing attribute address\n"},
    };
    VSTRING *result = vstring_alloc(10);
    RESOLVE_REPLY reply;
    size_t  n;

    (void) state;
    resolve_reply_init(&reply);
    for (n = 0; n < ARRAY_LEN(cases); n++) {
	server_start(cases[n].scenario);
	test_capture_start();
	assert_false(rewrite_client_rewrite(REWRITE_RULE_LOCAL, "user", result));
	if (strcmp(test_capture_text(), cases[n].warning) != 0)
	    fail_msg("case %zu: \"%s\", expected \"%s\"", n,
		     test_capture_text(), cases[n].warning);
	test_capture_stop();
	assert_true(server_stop());
	rewrite_client_set_endpoint(NULL);
    }
    /* Resolve requests fail the same way. */
    server_start(SERVE_MISSING);
    test_capture_start();
    assert_false(rewrite_client_resolve(REWRITE_REQ_RESOLVE, "", "a@x", &reply));
    assert_string_equal(test_capture_text(), "warning: rewrite service "
			"private/rewrite: missing attribute transport\n");
    test_capture_stop();
    assert_true(server_stop());
    /* No service at all. */
    test_capture_start();
    assert_false(rewrite_client_rewrite(REWRITE_RULE_LOCAL, "user", result));
    assert_non_null(strstr(test_capture_text(), "warning: rewrite service "
			   "private/rewrite: connect to "));
    assert_non_null(strstr(test_capture_text(), "No such file or directory"));
    resolve_reply_free(&reply);
    vstring_free(result);
}

/* test_fail_flag - a temporary failure is returned, never cached */
static void test_fail_flag(void **state)
{
    int     flags = 0;

    (void) state;
    server_start(SERVE_FAIL_FLAG);
    assert_string_equal(resolve(REWRITE_REQ_RESOLVE, "", "a@x", &flags),
			"|a@x#1/1");
    assert_int_equal(flags, RESOLVE_FLAG_FAIL | RESOLVE_CLASS_DEFAULT);
    assert_string_equal(resolve(REWRITE_REQ_RESOLVE, "", "a@x", &flags),
			"|a@x#2/1");
    assert_string_equal(rewrite(REWRITE_RULE_LOCAL, "user"), "local:user#3/1");
    assert_string_equal(rewrite(REWRITE_RULE_LOCAL, "user"), "local:user#4/1");
    assert_true(server_stop());
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test_setup_teardown(test_conversation, setup, teardown),
	cmocka_unit_test_setup_teardown(test_cache, setup, teardown),
	cmocka_unit_test_setup_teardown(test_cache_reconnect, setup, teardown),
	cmocka_unit_test_setup_teardown(test_retry, setup, teardown),
	cmocka_unit_test_setup_teardown(test_failures, setup, teardown),
	cmocka_unit_test_setup_teardown(test_fail_flag, setup, teardown),
    };

    signal(SIGPIPE, SIG_IGN);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
