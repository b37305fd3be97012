/*
 * test_cleanup_client - unit tests for cleanup_client(3)
 *
 * DESCRIPTION
 *	A fake cleanup service in a child process listens on
 *	public/cleanup under a temporary queue directory and serves one
 *	connection the way a scenario says: a normal conversation, replies
 *	with each kind of status, a wrong greeting, a connection lost or
 *	a reply that never comes. The child exits with status 0 when the
 *	client's request and content were as expected. The client finds
 *	the service through $queue_directory (a relative endpoint) and
 *	has $ipc_timeout of 1 second.
 */
#include "sys_defs.h"

#include <fcntl.h>
#include <signal.h>
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
#include "sane_accept.h"
#include "mail_params.h"
#include "attr_list.h"
#include "cleanup_proto.h"
#include "cleanup_client.h"
#include "test_params.h"
#include "test_support.h"
#include "test_service.h"

#define QUEUE_ID	"4XyZ0123abc"
#define CONTENT		"N5 hello\nX0 \nZ0 \n"	/* any bytes will do */
#define FLAGS		(CLEANUP_FLAG_FILTER | CLEANUP_FLAG_MAP_OK)

typedef enum SCENARIO {
    SERVE_OK,				/* status 0 */
    SERVE_REJECT,			/* status CONT, a reason */
    SERVE_NO_REASON,			/* status SIZE, no reason */
    SERVE_CONTROL_REASON,		/* status CONT, CR LF in the reason */
    SERVE_REFUSE,			/* status -1 */
    SERVE_OTHER_ID,			/* status 0, another queue ID */
    SERVE_LOST,				/* no reply, closed */
    SERVE_SILENT,			/* no reply, stays */
    SERVE_EARLY,			/* replies before the content, closes */
    SERVE_BAD_REPLY,			/* reply without status */
    SERVE_BAD_GREETING,			/* another protocol */
    SERVE_NO_QUEUE_ID,			/* greeting without queue ID */
    SERVE_BAD_QUEUE_ID,			/* queue ID with bad characters */
    SERVE_GARBAGE,			/* not an attribute list */
    SERVE_CLOSE,			/* closes at once */
    SERVE_ABORT,			/* expects the abort record, EOF */
} SCENARIO;

/* What cleanup_client_abort() sends: a Z record with data "abort". */
#define ABORT_RECORD	"Z5 " CLEANUP_ABORT_PAYLOAD "\n"

static char *queue_dir;
static char *service_path;
static pid_t server_pid;

/* server_reply - status, reason and queue ID */
static void server_reply(VSTREAM *fp, int status, const char *reason,
			         const char *queue_id)
{
    ATTR_LIST *reply = attr_list_create();

    attr_list_add_int(reply, CLEANUP_ATTR_STATUS, status);
    if (reason != NULL)
	attr_list_add_str(reply, CLEANUP_ATTR_REASON, reason);
    if (queue_id != NULL)
	attr_list_add_str(reply, CLEANUP_ATTR_QUEUE_ID, queue_id);
    attr_list_write(fp, reply);
    vstream_fflush(fp);
    attr_list_free(reply);
}

/* server_wait_close - wait until the client closes, then exit */
static NORETURN server_wait_close(VSTREAM *fp)
{
    while (VSTREAM_GETC(fp) != VSTREAM_EOF)
	 /* void */ ;
    _exit(vstream_ftimeout(fp) ? 5 : 0);
}

/* server_child - the fake service; exit status 0: client as expected */
static NORETURN server_child(int listen_fd, void *context)
{
    SCENARIO scenario = *(SCENARIO *) context;
    ATTR_LIST *attrs = attr_list_create();
    VSTRING *why = vstring_alloc(10);
    char    content[sizeof(CONTENT)];
    VSTREAM *fp;
    int     flags;
    int     fd;

    if ((fd = sane_accept(listen_fd, NULL, NULL)) < 0)
	_exit(2);
    fp = vstream_fdopen(fd, O_RDWR);
    vstream_set_timeout(fp, 5);
    switch (scenario) {
    case SERVE_CLOSE:
	_exit(0);
    case SERVE_GARBAGE:
	vstream_fputs("protocol=cleanup\n\n", fp);
	vstream_fflush(fp);
	server_wait_close(fp);
    case SERVE_BAD_GREETING:
	attr_proto_greet(fp, "rewrite", NULL);
	server_wait_close(fp);
    case SERVE_NO_QUEUE_ID:
	attr_proto_greet(fp, CLEANUP_PROTO_NAME, NULL);
	server_wait_close(fp);
    default:
	attr_list_add_str(attrs, CLEANUP_ATTR_QUEUE_ID,
			  scenario == SERVE_BAD_QUEUE_ID ? "ab/cdef" : QUEUE_ID);
	attr_proto_greet(fp, CLEANUP_PROTO_NAME, attrs);
	if (scenario == SERVE_BAD_QUEUE_ID) {
	    server_wait_close(fp);
	}
	break;
    }
    if (!attr_list_read(fp, attrs, NULL, why)
	|| !attr_proto_check(attrs, CLEANUP_PROTO_NAME, why)
	|| !attr_list_find_int(attrs, CLEANUP_ATTR_FLAGS, &flags)
	|| flags != FLAGS)
	_exit(3);
    if (scenario == SERVE_EARLY) {
	server_reply(fp, CLEANUP_STAT_SIZE, "5.3.4 message file too big", NULL);
	_exit(0);
    }
    if (scenario == SERVE_ABORT) {
	char    abort_rec[sizeof(ABORT_RECORD)];

	if (vstream_fread(fp, abort_rec, sizeof(ABORT_RECORD) - 1)
	    != sizeof(ABORT_RECORD) - 1
	    || memcmp(abort_rec, ABORT_RECORD, sizeof(ABORT_RECORD) - 1) != 0
	    || VSTREAM_GETC(fp) != VSTREAM_EOF)
	    _exit(6);
	_exit(0);
    }
    if (vstream_fread(fp, content, sizeof(CONTENT) - 1) != sizeof(CONTENT) - 1
	|| memcmp(content, CONTENT, sizeof(CONTENT) - 1) != 0)
	_exit(4);
    switch (scenario) {
    case SERVE_OK:
	server_reply(fp, 0, "", QUEUE_ID);
	break;
    case SERVE_REJECT:
	server_reply(fp, CLEANUP_STAT_CONT, "5.7.1 no spam please", QUEUE_ID);
	break;
    case SERVE_NO_REASON:
	server_reply(fp, CLEANUP_STAT_SIZE, NULL, NULL);
	break;
    case SERVE_CONTROL_REASON:
	server_reply(fp, CLEANUP_STAT_CONT, "5.7.1 one\r\n250 two", NULL);
	break;
    case SERVE_REFUSE:
	server_reply(fp, -1, "unexpected protocol", NULL);
	break;
    case SERVE_OTHER_ID:
	server_reply(fp, 0, "", "OTHERID123");
	break;
    case SERVE_BAD_REPLY:
	attr_list_clear(attrs);
	attr_list_add_str(attrs, CLEANUP_ATTR_REASON, "no status");
	attr_list_write(fp, attrs);
	vstream_fflush(fp);
	break;
    case SERVE_SILENT:
	server_wait_close(fp);
	break;
    default:
	break;
    }
    vstream_fclose(fp);
    _exit(0);
}

/* server_start - listen and fork the fake service */
static void server_start(SCENARIO scenario)
{
    static SCENARIO context;

    context = scenario;
    server_pid = test_service_start(service_path, server_child, &context);
}

/* server_status - wait for the fake service; its exit status */
static int server_status(void)
{
    return test_service_wait(server_pid, service_path);
}

/* setup - a queue directory with public/ */
static int setup(void **state)
{
    (void) state;
    service_path = test_service_dir("public", "cleanup", &queue_dir);
    test_set_param("queue_directory", queue_dir);
    test_set_param("ipc_timeout", "1s");
    return 0;
}

/* teardown - remove it all */
static int teardown(void **state)
{
    (void) state;
    test_capture_stop();
    test_remove_tree(queue_dir);
    myfree(queue_dir);
    myfree(service_path);
    return 0;
}

/* submit - one message; the status, reason in reason */
static int submit(SCENARIO scenario, VSTRING *reason)
{
    VSTRING *why = vstring_alloc(10);
    CLEANUP_CLIENT *client;
    VSTREAM *fp;
    int     status;

    server_start(scenario);
    client = cleanup_client_open("public/cleanup", FLAGS, why);
    if (client == NULL)
	fail_msg("open: %s", vstring_str(why));
    assert_string_equal(cleanup_client_queue_id(client), QUEUE_ID);
    fp = cleanup_client_stream(client);
    if (scenario == SERVE_EARLY) {
	/* Much more than the socket buffers hold: the write fails. */
	char   *big = mymalloc(1 << 20);
	int     n;

	memset(big, 'x', 1 << 20);
	for (n = 0; n < 4; n++)
	    vstream_fwrite(fp, big, 1 << 20);
	myfree(big);
    } else {
	vstream_fwrite(fp, CONTENT, sizeof(CONTENT) - 1);
    }
    status = cleanup_client_close(client, reason);
    assert_int_equal(server_status(), 0);
    vstring_free(why);
    return status;
}

/* test_replies - the service's status and reason reach the caller */
static void test_replies(void **state)
{
    static const struct {
	SCENARIO scenario;
	int     status;
	const char *reason;
    } cases[] = {
	{SERVE_OK, 0, ""},
	{SERVE_REJECT, CLEANUP_STAT_CONT, "5.7.1 no spam please"},
	{SERVE_NO_REASON, CLEANUP_STAT_SIZE, "5.3.4 message file too big"},
	{SERVE_CONTROL_REASON, CLEANUP_STAT_CONT, "5.7.1 one??250 two"},
	{SERVE_REFUSE, CLEANUP_STAT_WRITE,
	"4.3.0 public/cleanup: request refused: unexpected protocol"},
	{SERVE_LOST, CLEANUP_STAT_WRITE, "4.3.0 public/cleanup: lost connection"},
	{SERVE_SILENT, CLEANUP_STAT_WRITE, "4.3.0 public/cleanup: timeout"},
	{SERVE_BAD_REPLY, CLEANUP_STAT_WRITE,
	"4.3.0 public/cleanup: missing attribute status"},
	{SERVE_EARLY, CLEANUP_STAT_SIZE, "5.3.4 message file too big"},
    };
    VSTRING *reason = vstring_alloc(10);
    size_t  n;

    (void) state;
    for (n = 0; n < ARRAY_LEN(cases); n++) {
	vstring_strcpy(reason, "stale");
	if (submit(cases[n].scenario, reason) != cases[n].status)
	    fail_msg("case %zu: wrong status (reason: %s)", n,
		     vstring_str(reason));
	if (strcmp(vstring_str(reason), cases[n].reason) != 0)
	    fail_msg("case %zu: reason \"%s\", expected \"%s\"", n,
		     vstring_str(reason), cases[n].reason);
    }
    /* A null reason is allowed. */
    assert_int_equal(submit(SERVE_OK, NULL), 0);
    vstring_free(reason);
}

/* test_other_queue_id - a reply with another queue ID: a warning */
static void test_other_queue_id(void **state)
{
    VSTRING *reason = vstring_alloc(10);

    (void) state;
    test_capture_start();
    assert_int_equal(submit(SERVE_OTHER_ID, reason), 0);
    assert_non_null(strstr(test_capture_text(),
			   "warning: public/cleanup: queue ID OTHERID123 "
			   "announced as " QUEUE_ID));
    vstring_free(reason);
}

/* test_open_failures - no service, or not a cleanup service */
static void test_open_failures(void **state)
{
    static const struct {
	SCENARIO scenario;
	const char *reason;
    } cases[] = {
	{SERVE_BAD_GREETING, "public/cleanup: unexpected protocol rewrite"},
	{SERVE_NO_QUEUE_ID, "public/cleanup: missing attribute queue_id"},
	{SERVE_BAD_QUEUE_ID, "public/cleanup: bad queue ID ab/cdef"},
	{SERVE_GARBAGE, "public/cleanup: bad type byte 0x70"},
	{SERVE_CLOSE, "public/cleanup: end of input"},
    };
    VSTRING *why = vstring_alloc(10);
    VSTRING *expect = vstring_alloc(10);
    size_t  n;

    (void) state;
    for (n = 0; n < ARRAY_LEN(cases); n++) {
	server_start(cases[n].scenario);
	assert_null(cleanup_client_open("public/cleanup", FLAGS, why));
	assert_int_equal(server_status(), 0);
	if (strcmp(vstring_str(why), cases[n].reason) != 0)
	    fail_msg("case %zu: reason \"%s\", expected \"%s\"", n,
		     vstring_str(why), cases[n].reason);
    }
    /* Nobody listening; an absolute endpoint. */
    assert_null(cleanup_client_open(service_path, FLAGS, why));
    vstring_sprintf(expect, "connect to %s: No such file or directory",
		    service_path);
    assert_string_equal(vstring_str(why), vstring_str(expect));
    /* The default endpoint is public/cleanup. */
    assert_null(cleanup_client_open(NULL, FLAGS, why));
    assert_string_equal(vstring_str(why), vstring_str(expect));
    vstring_free(why);
    vstring_free(expect);
}

/* test_abort - the abort record, then the end of the connection */
static void test_abort(void **state)
{
    VSTRING *why = vstring_alloc(10);
    CLEANUP_CLIENT *client;

    (void) state;
    server_start(SERVE_ABORT);
    client = cleanup_client_open("public/cleanup", FLAGS, why);
    if (client == NULL)
	fail_msg("open: %s", vstring_str(why));
    cleanup_client_abort(client);
    assert_int_equal(server_status(), 0);
    vstring_free(why);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test_setup_teardown(test_replies, setup, teardown),
	cmocka_unit_test_setup_teardown(test_other_queue_id, setup, teardown),
	cmocka_unit_test_setup_teardown(test_open_failures, setup, teardown),
	cmocka_unit_test_setup_teardown(test_abort, setup, teardown),
    };

    signal(SIGPIPE, SIG_IGN);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
