/*
 * test_nbdb_proto - unit tests for nbdb_proto(3), and the daemon side of dict_nbdb(3)
 *
 * DESCRIPTION
 *	Messages are written and read back over a socket pair. The client
 *	talks to a fake nbdb_reindexd in a child process that serves one
 *	connection the way a scenario says; the last tests open a hash:
 *	table in daemon mode, so that the open asks that fake service.
 */
#include "sys_defs.h"

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "argv.h"
#include "vstream.h"
#include "vstring.h"
#include "listen.h"
#include "sane_accept.h"
#include "mail_conf.h"
#include "mail_params.h"
#include "dict.h"
#include "dict_nbdb.h"
#include "nbdb_proto.h"
#include "test_params.h"
#include "test_support.h"
#include "test_service.h"

static int pair[2];
static VSTREAM *writer;
static VSTREAM *reader;

/* setup_pair - two connected streams */
static int setup_pair(void **state)
{
    (void) state;
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, pair) < 0)
	fail_msg("socketpair: %m");
    writer = vstream_fdopen(pair[0], O_WRONLY);
    reader = vstream_fdopen(pair[1], O_RDONLY);
    vstream_set_timeout(reader, 5);
    return 0;
}

/* teardown_pair - close both */
static int teardown_pair(void **state)
{
    (void) state;
    if (writer)
	vstream_fclose(writer);
    vstream_fclose(reader);
    writer = NULL;
    return 0;
}

/* send_raw - put bytes on the wire, then close the writing end */
static void send_raw(const char *data, size_t len)
{
    assert_int_equal(vstream_fwrite(writer, data, len), len);
    vstream_fclose(writer);
    writer = NULL;
}

/* read_fails - reading a message fails with this reason */
static void read_fails(const char *reason)
{
    ARGV   *attrs = argv_alloc(1);
    VSTRING *why = vstring_alloc(10);

    assert_false(nbdb_proto_read(reader, attrs, why));
    assert_string_equal(vstring_str(why), reason);
    argv_free(attrs);
    vstring_free(why);
}

/* test_round_trip - what is written is read */
static void test_round_trip(void **state)
{
    ARGV   *attrs = argv_alloc(1);
    VSTRING *why = vstring_alloc(10);

    (void) state;
    assert_true(nbdb_proto_write(writer, "request", "reindex", "table",
				 "hash:/etc/\xc3\xa9t\xc3\xa9", "future",
				 "x=y", (char *) 0));
    assert_true(nbdb_proto_write(writer, "status", "fail", "reason",
				 "two\nlines\tand\x7f", (char *) 0));
    assert_true(nbdb_proto_read(reader, attrs, why));
    assert_int_equal(attrs->argc, 3);
    assert_string_equal(nbdb_proto_get(attrs, "request"), "reindex");
    assert_string_equal(nbdb_proto_get(attrs, "table"), "hash:/etc/\xc3\xa9t\xc3\xa9");
    assert_string_equal(nbdb_proto_get(attrs, "future"), "x=y");
    assert_null(nbdb_proto_get(attrs, "reques"));
    assert_null(nbdb_proto_get(attrs, "status"));
    assert_true(nbdb_proto_read(reader, attrs, why));
    assert_int_equal(attrs->argc, 2);
    assert_string_equal(nbdb_proto_get(attrs, "reason"), "two?lines?and?");
    argv_free(attrs);
    vstring_free(why);
}

/* test_value_cut - a long value is cut to fit one line */
static void test_value_cut(void **state)
{
    ARGV   *attrs = argv_alloc(1);
    VSTRING *why = vstring_alloc(10);
    char   *big = mymalloc(3 * NBDB_PROTO_LINE_LIMIT);

    (void) state;
    memset(big, 'x', 3 * NBDB_PROTO_LINE_LIMIT - 1);
    big[3 * NBDB_PROTO_LINE_LIMIT - 1] = 0;
    assert_true(nbdb_proto_write(writer, "reason", big, (char *) 0));
    assert_true(nbdb_proto_read(reader, attrs, why));
    assert_int_equal(strlen(attrs->argv[0]), NBDB_PROTO_LINE_LIMIT - 1);
    myfree(big);
    argv_free(attrs);
    vstring_free(why);
}

/* test_malformed - every bad message is refused */
static void test_malformed(void **state)
{
    static const struct {
	const char *data;
	size_t  len;
	const char *reason;
    } cases[] = {
	{"status=ok\n", 10, "connection closed"},
	{"", 0, "connection closed"},
	{"Status=ok\n\n", 11, "malformed attribute"},
	{"=ok\n\n", 5, "malformed attribute"},
	{"status\n\n", 8, "malformed attribute"},
	{"sta tus=ok\n\n", 12, "malformed attribute"},
	{"status=o\0k\n\n", 12, "null byte in message"},
	{"status=ok", 9, "line too long or incomplete"},
    };
    size_t  n;

    (void) state;
    for (n = 0; n < ARRAY_LEN(cases); n++) {
	if (n > 0) {
	    teardown_pair(state);
	    setup_pair(state);
	}
	send_raw(cases[n].data, cases[n].len);
	read_fails(cases[n].reason);
    }
}

/* test_bounds - long names, long lines, many attributes */
static void test_bounds(void **state)
{
    VSTRING *msg = vstring_alloc(100);
    int     n;

    (void) state;
    /* 32-byte names are fine, 33 are not. */
    vstring_sprintf(msg, "%s=1\n\n", "abcdefghijklmnopqrstuvwxyzabcdef");
    send_raw(vstring_str(msg), VSTRING_LEN(msg));
    {
	ARGV   *attrs = argv_alloc(1);
	VSTRING *why = vstring_alloc(10);

	assert_true(nbdb_proto_read(reader, attrs, why));
	argv_free(attrs);
	vstring_free(why);
    }
    teardown_pair(state);
    setup_pair(state);
    vstring_sprintf(msg, "%s=1\n\n", "abcdefghijklmnopqrstuvwxyzabcdefg");
    send_raw(vstring_str(msg), VSTRING_LEN(msg));
    read_fails("malformed attribute");

    /* A line longer than the limit. */
    teardown_pair(state);
    setup_pair(state);
    VSTRING_RESET(msg);
    vstring_strcat(msg, "reason=");
    while (VSTRING_LEN(msg) <= NBDB_PROTO_LINE_LIMIT)
	vstring_strcat(msg, "x");
    vstring_strcat(msg, "\n\n");
    send_raw(vstring_str(msg), VSTRING_LEN(msg));
    read_fails("line too long or incomplete");

    /* NBDB_PROTO_ATTR_LIMIT attributes, then one more. */
    teardown_pair(state);
    setup_pair(state);
    VSTRING_RESET(msg);
    for (n = 0; n <= NBDB_PROTO_ATTR_LIMIT; n++)
	vstring_strcat(msg, "a=b\n");
    vstring_strcat(msg, "\n");
    send_raw(vstring_str(msg), VSTRING_LEN(msg));
    read_fails("too many attributes");
    vstring_free(msg);
}

 /*
  * A fake nbdb_reindexd: serves one connection in a child process.
  */
typedef enum SCENARIO {
    SERVE_OK,				/* status=ok */
    SERVE_CREATE,			/* make the lmdb table, status=ok */
    SERVE_FAIL,				/* status=fail, reason */
    SERVE_NO_REASON,			/* status=fail, no reason */
    SERVE_BAD_GREETING,			/* another protocol */
    SERVE_SILENT,			/* never answers */
} SCENARIO;

static char *test_dir;
static char *service_path;
static pid_t server_pid;

/* server_child - the fake service; exit status 0: request as expected */
typedef struct SERVER_CONTEXT {
    SCENARIO scenario;
    const char *expect_table;
} SERVER_CONTEXT;

static NORETURN server_child(int listen_fd, void *context)
{
    SCENARIO scenario = ((SERVER_CONTEXT *) context)->scenario;
    const char *expect_table = ((SERVER_CONTEXT *) context)->expect_table;
    ARGV   *attrs = argv_alloc(4);
    VSTRING *why = vstring_alloc(10);
    VSTREAM *fp;
    DICT   *dict;
    const char *table;
    int     fd;

    if ((fd = sane_accept(listen_fd, NULL, NULL)) < 0)
	_exit(2);
    fp = vstream_fdopen(fd, O_RDWR);
    if (scenario == SERVE_SILENT) {
	sleep(5);
	_exit(0);
    }
    nbdb_proto_write(fp, "protocol", scenario == SERVE_BAD_GREETING ?
		     "other" : NBDB_PROTO_NAME, (char *) 0);
    if (scenario == SERVE_BAD_GREETING)
	_exit(0);
    if (!nbdb_proto_read(fp, attrs, why)
	|| strcmp(nbdb_proto_get(attrs, "request"), "reindex") != 0
	|| (table = nbdb_proto_get(attrs, "table")) == NULL
	|| strcmp(table, expect_table) != 0)
	_exit(3);
    switch (scenario) {
    case SERVE_CREATE:
	dict = dict_open3("lmdb", strchr(table, ':') + 1,
			  O_RDWR | O_CREAT | O_TRUNC, DICT_FLAG_BULK_UPDATE);
	dict_put(dict, "key", "made by the service");
	dict_close(dict);
	/* FALLTHROUGH */
    case SERVE_OK:
	nbdb_proto_write(fp, "status", "ok", (char *) 0);
	break;
    case SERVE_FAIL:
	nbdb_proto_write(fp, "status", "fail", "reason", "policy says no",
			 (char *) 0);
	break;
    default:
	nbdb_proto_write(fp, "status", "fail", (char *) 0);
	break;
    }
    vstream_fclose(fp);
    _exit(0);
}

/* server_start - listen and fork the fake service */
static void server_start(SCENARIO scenario, const char *expect_table)
{
    static SERVER_CONTEXT context;

    context.scenario = scenario;
    context.expect_table = expect_table;
    server_pid = test_service_start(service_path, server_child, &context);
}

/* server_status - wait for the fake service; its exit status */
static int server_status(void)
{
    return test_service_wait(server_pid, service_path);
}

/* setup_server - a queue directory with private/ */
static int setup_server(void **state)
{
    (void) state;
    service_path = test_service_dir("private", "nbdb_reindexd", &test_dir);
    return 0;
}

/* teardown_server - remove it all */
static int teardown_server(void **state)
{
    (void) state;
    test_capture_stop();
    test_remove_tree(test_dir);
    myfree(test_dir);
    myfree(service_path);
    return 0;
}

/* request - one client request; its result and reason */
static bool request(SCENARIO scenario, int timeout, VSTRING *why)
{
    bool    ok;

    server_start(scenario, "hash:/etc/postfix/virtual");
    ok = nbdb_proto_request(service_path, "hash:/etc/postfix/virtual",
			    timeout, why);
    if (scenario == SERVE_SILENT) {
	kill(server_pid, SIGKILL);
	(void) server_status();
    } else {
	assert_int_equal(server_status(), 0);
    }
    return ok;
}

/* test_client - the answers of the service, and failures on the way */
static void test_client(void **state)
{
    VSTRING *why = vstring_alloc(10);
    VSTRING *expect = vstring_alloc(10);

    (void) state;
    assert_true(request(SERVE_OK, 5, why));
    assert_false(request(SERVE_FAIL, 5, why));
    vstring_sprintf(expect, "%s: policy says no", service_path);
    assert_string_equal(vstring_str(why), vstring_str(expect));
    assert_false(request(SERVE_NO_REASON, 5, why));
    vstring_sprintf(expect, "%s: request failed for an unknown reason",
		    service_path);
    assert_string_equal(vstring_str(why), vstring_str(expect));
    assert_false(request(SERVE_BAD_GREETING, 5, why));
    vstring_sprintf(expect, "%s: unexpected greeting", service_path);
    assert_string_equal(vstring_str(why), vstring_str(expect));
    assert_false(request(SERVE_SILENT, 1, why));
    vstring_sprintf(expect, "%s: timeout", service_path);
    assert_string_equal(vstring_str(why), vstring_str(expect));
    /* No service at all. */
    assert_false(nbdb_proto_request(service_path, "hash:/x", 1, why));
    vstring_sprintf(expect, "connect to %s: No such file or directory",
		    service_path);
    assert_string_equal(vstring_str(why), vstring_str(expect));
    vstring_free(why);
    vstring_free(expect);
}

/* daemon_open - open hash:<dir>/virtual as a daemon would */
static DICT *daemon_open(void)
{
    char   *table = concatenate("hash:", test_dir, "/virtual", (char *) 0);
    char   *cwd = getcwd(NULL, 0);
    DICT   *dict;

    test_set_param("non_bdb_migration_level", "enable-reindex");
    dict_nbdb_client(NBDB_CLIENT_DAEMON);
    if (chdir(test_dir) < 0)
	fail_msg("chdir %s: %m", test_dir);
    dict = dict_open(table, O_RDONLY, DICT_FLAG_NONE);
    if (chdir(cwd) < 0)
	fail_msg("chdir %s: %m", cwd);
    dict_nbdb_client(NBDB_CLIENT_COMMAND);
    free(cwd);
    myfree(table);
    return dict;
}

/* test_daemon_open - a daemon's open asks the service, then opens */
static void test_daemon_open(void **state)
{
    char   *legacy = concatenate(test_dir, "/virtual.db", (char *) 0);
    char   *table = concatenate("hash:", test_dir, "/virtual", (char *) 0);
    DICT   *dict;

    (void) state;
    test_write_file(legacy, "");
    server_start(SERVE_CREATE, table);
    dict = daemon_open();
    assert_int_equal(server_status(), 0);
    assert_string_equal(dict->type, "hash");
    assert_string_equal(dict_get(dict, "key"), "made by the service");
    dict_close(dict);
    myfree(legacy);
    myfree(table);
}

/* test_daemon_open_refused - the service's reason in the open error */
static void test_daemon_open_refused(void **state)
{
    char   *legacy = concatenate(test_dir, "/virtual.db", (char *) 0);
    char   *table = concatenate("hash:", test_dir, "/virtual", (char *) 0);
    char   *expect;
    DICT   *dict;

    (void) state;
    test_write_file(legacy, "");
    server_start(SERVE_FAIL, table);
    test_capture_start();
    dict = daemon_open();
    assert_int_equal(server_status(), 0);
    expect = concatenate("warning: ", table, " is unavailable. open database ",
			 test_dir, "/virtual.lmdb: No such file or directory; "
			 "not reindexed: private/nbdb_reindexd: policy says "
			 "no; ", legacy, " is a legacy Berkeley DB file",
			 (char *) 0);
    assert_non_null(strstr(test_capture_text(), expect));
    assert_null(dict_get(dict, "key"));
    dict_close(dict);
    myfree(expect);
    myfree(legacy);
    myfree(table);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test_setup_teardown(test_round_trip, setup_pair,
					teardown_pair),
	cmocka_unit_test_setup_teardown(test_value_cut, setup_pair,
					teardown_pair),
	cmocka_unit_test_setup_teardown(test_malformed, setup_pair,
					teardown_pair),
	cmocka_unit_test_setup_teardown(test_bounds, setup_pair, teardown_pair),
	cmocka_unit_test_setup_teardown(test_client, setup_server,
					teardown_server),
	cmocka_unit_test_setup_teardown(test_daemon_open, setup_server,
					teardown_server),
	cmocka_unit_test_setup_teardown(test_daemon_open_refused, setup_server,
					teardown_server),
    };

    signal(SIGPIPE, SIG_IGN);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
