/*
 * test_anvil_client - unit tests for anvil_client(3)
 *
 * A fake anvil service (a forked child on a UNIX-domain socket) checks
 * what the client sends (protocol, request, ident "service:addr") and
 * answers with made-up numbers. Also: a service that is not there (the
 * call fails after two attempts, with Postfix's two warnings each), a
 * refused request, and a service that closed the kept connection.
 */
#include "sys_defs.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "vstream.h"
#include "vstring.h"
#include "mail_params.h"
#include "attr_list.h"
#include "anvil_proto.h"
#include "anvil_client.h"
#include "test_params.h"
#include "test_support.h"
#include "test_service.h"
#include "test_attr_service.h"

typedef enum SCENARIO {
    SERVE_NORMAL,			/* answer every request */
    SERVE_CLOSE_AFTER_ONE,		/* close after the first answer */
    SERVE_REFUSE,			/* status -1 */
} SCENARIO;

static char *queue_dir;
static char *service_path;
static pid_t server_pid = -1;

/* server_answer - the reply to one request; exit 3 on a bad one */
static void server_answer(VSTREAM *fp, SCENARIO scenario,
			          const ATTR_LIST *request, int requests)
{
    ATTR_LIST *reply = attr_list_create();
    const char *what = attr_list_find_str(request, ATTR_REQUEST);
    const char *ident = attr_list_find_str(request, ANVIL_ATTR_IDENT);

    if (what == NULL || ident == NULL || strcmp(ident, "smtp:192.0.2.1") != 0)
	_exit(3);
    if (scenario == SERVE_REFUSE) {
	attr_list_add_int(reply, ATTR_STATUS, -1);
	attr_list_add_str(reply, ATTR_REASON, "unrecognized request");
    } else if (strcmp(what, ANVIL_REQ_CONNECT) == 0) {
	attr_list_add_int(reply, ATTR_STATUS, 0);
	attr_list_add_int(reply, ANVIL_ATTR_COUNT, 7);
	attr_list_add_int(reply, ANVIL_ATTR_RATE, 100 + requests);
    } else if (strcmp(what, ANVIL_REQ_DISCONNECT) == 0) {
	attr_list_add_int(reply, ATTR_STATUS, 0);
    } else if (strcmp(what, ANVIL_REQ_LOOKUP) == 0) {
	attr_list_add_int(reply, ATTR_STATUS, 0);
	attr_list_add_int(reply, ANVIL_ATTR_COUNT, 1);
	attr_list_add_int(reply, ANVIL_ATTR_RATE, 2);
	attr_list_add_int(reply, ANVIL_ATTR_MAIL, 3);
	attr_list_add_int(reply, ANVIL_ATTR_RCPT, 4);
	attr_list_add_int(reply, ANVIL_ATTR_NEWTLS, 5);
	attr_list_add_int(reply, ANVIL_ATTR_AUTH, 6);
    } else {
	/* message, recipient, newtls, newtls_report, auth: a rate that
	 * tells the request apart */
	attr_list_add_int(reply, ATTR_STATUS, 0);
	attr_list_add_int(reply, ANVIL_ATTR_RATE, (int) strlen(what));
    }
    attr_list_write(fp, reply);
    vstream_fflush(fp);
    attr_list_free(reply);
}

/* server_reply - answer one request; false: close the connection */
static bool server_reply(VSTREAM *fp, const ATTR_LIST *request, int requests,
			         int connections, void *context)
{
    SCENARIO scenario = *(SCENARIO *) context;

    (void) connections;
    server_answer(fp, scenario, request, requests);
    return !(scenario == SERVE_CLOSE_AFTER_ONE && requests == 1);
}

/* server_start - listen and fork the fake service */
static void server_start(SCENARIO scenario)
{
    static SCENARIO context;
    static TEST_ATTR_SERVICE service;

    context = scenario;
    service.greeting = ANVIL_PROTO_NAME;
    service.protocol = ANVIL_PROTO_NAME;
    service.answer = server_reply;
    service.closed = NULL;
    service.context = &context;
    server_pid = test_attr_service_start(service_path, &service);
}

/* setup - a queue directory with private/ */
static int setup(void **state)
{
    (void) state;
    service_path = test_service_dir("private", ANVIL_SERVICE, &queue_dir);
    test_set_param("queue_directory", queue_dir);
    test_set_param("ipc_timeout", "2s");
    return 0;
}

/* teardown - stop the service, remove it all */
static int teardown(void **state)
{
    (void) state;
    if (server_pid >= 0)
	(void) test_service_kill(server_pid, service_path);
    server_pid = -1;
    test_capture_stop();
    test_remove_tree(queue_dir);
    myfree(queue_dir);
    myfree(service_path);
    return 0;
}

/* test_requests - every request and its answer */
static void test_requests(void **state)
{
    ANVIL_CLIENT *client;
    ANVIL_COUNTS counts;
    int     count = 0;
    int     rate = 0;

    (void) state;
    server_start(SERVE_NORMAL);
    client = anvil_client_create(NULL);
    assert_int_equal(anvil_client_connect(client, "smtp", "192.0.2.1",
					  &count, &rate), ANVIL_STAT_OK);
    assert_int_equal(count, 7);
    assert_int_equal(rate, 101);
    assert_int_equal(anvil_client_mail(client, "smtp", "192.0.2.1", &rate),
		     ANVIL_STAT_OK);
    assert_int_equal(rate, (int) strlen(ANVIL_REQ_MESSAGE));
    assert_int_equal(anvil_client_rcpt(client, "smtp", "192.0.2.1", &rate),
		     ANVIL_STAT_OK);
    assert_int_equal(rate, (int) strlen(ANVIL_REQ_RECIPIENT));
    assert_int_equal(anvil_client_newtls(client, "smtp", "192.0.2.1", &rate),
		     ANVIL_STAT_OK);
    assert_int_equal(rate, (int) strlen(ANVIL_REQ_NEWTLS));
    assert_int_equal(anvil_client_newtls_status(client, "smtp", "192.0.2.1",
						&rate), ANVIL_STAT_OK);
    assert_int_equal(rate, (int) strlen(ANVIL_REQ_NEWTLS_REPORT));
    assert_int_equal(anvil_client_auth(client, "smtp", "192.0.2.1", &rate),
		     ANVIL_STAT_OK);
    assert_int_equal(rate, (int) strlen(ANVIL_REQ_AUTH));
    assert_int_equal(anvil_client_lookup(client, "smtp", "192.0.2.1",
					 &counts), ANVIL_STAT_OK);
    assert_int_equal(counts.count, 1);
    assert_int_equal(counts.rate, 2);
    assert_int_equal(counts.mail, 3);
    assert_int_equal(counts.rcpt, 4);
    assert_int_equal(counts.newtls, 5);
    assert_int_equal(counts.auth, 6);
    assert_int_equal(anvil_client_disconnect(client, "smtp", "192.0.2.1"),
		     ANVIL_STAT_OK);
    anvil_client_free(client);
}

/* test_reconnect - a closed connection is replaced without a warning */
static void test_reconnect(void **state)
{
    ANVIL_CLIENT *client;
    int     count;
    int     rate;
    int     n;

    (void) state;
    server_start(SERVE_CLOSE_AFTER_ONE);
    client = anvil_client_create(NULL);
    test_capture_start();
    assert_int_equal(anvil_client_connect(client, "smtp", "192.0.2.1",
					  &count, &rate), ANVIL_STAT_OK);
    /* Let the service close its end; the next call notices. */
    for (n = 0; n < 100; n++)
	usleep(10000);
    assert_int_equal(anvil_client_mail(client, "smtp", "192.0.2.1", &rate),
		     ANVIL_STAT_OK);
    assert_null(strstr(test_capture_text(), "warning"));
    test_capture_stop();
    anvil_client_free(client);
}

/* test_unreachable - no service: two attempts, then failure */
static void test_unreachable(void **state)
{
    ANVIL_CLIENT *client;
    char   *missing;
    int     count;
    int     rate;
    const char *text;

    (void) state;
    missing = concatenate(queue_dir, "/private/nothing", (char *) 0);
    client = anvil_client_create(missing);
    test_capture_start();
    assert_int_equal(anvil_client_connect(client, "smtp", "192.0.2.1",
					  &count, &rate), ANVIL_STAT_FAIL);
    text = test_capture_text();
    assert_non_null(strstr(text, "warning: connect to "));
    assert_non_null(strstr(text, "/private/nothing: No such file or directory"));
    assert_non_null(strstr(text, "warning: problem talking to server "));
    /* two attempts: each logs both lines */
    assert_non_null(strstr(strstr(strstr(text, "problem talking"), "connect to "),
			   "problem talking"));
    test_capture_stop();
    anvil_client_free(client);
    myfree(missing);
}

/* test_refused - a refused request fails */
static void test_refused(void **state)
{
    ANVIL_CLIENT *client;
    int     rate;

    (void) state;
    server_start(SERVE_REFUSE);
    client = anvil_client_create(NULL);
    test_capture_start();
    assert_int_equal(anvil_client_auth(client, "smtp", "192.0.2.1", &rate),
		     ANVIL_STAT_FAIL);
    assert_non_null(strstr(test_capture_text(),
			   "request refused: unrecognized request"));
    test_capture_stop();
    anvil_client_free(client);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test_setup_teardown(test_requests, setup, teardown),
	cmocka_unit_test_setup_teardown(test_reconnect, setup, teardown),
	cmocka_unit_test_setup_teardown(test_unreachable, setup, teardown),
	cmocka_unit_test_setup_teardown(test_refused, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
