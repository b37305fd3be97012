/*
 * test_dict_proxy - unit tests for dict_proxy(3) and the proxymap protocol
 *
 * DESCRIPTION
 *	The protocol helpers: prefix stripping, the request encoding (a
 *	round trip through a memory file), the status to error mapping.
 *
 *	The client: a fake proxymap service in a child process listens on
 *	private/proxymap (or private/proxywrite) under a temporary queue
 *	directory and answers as a scenario says; values name the request
 *	and connection number ("#<request>/<connection>"), so a test sees
 *	when the client connected again. $ipc_timeout is 1 second.
 */
#include "sys_defs.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "vstream.h"
#include "vstring.h"
#include "mail_params.h"
#include "attr_list.h"
#include "dict.h"
#include "dict_proxy.h"
#include "proxymap_proto.h"
#include "test_params.h"
#include "test_support.h"
#include "test_service.h"
#include "test_attr_service.h"
#include "test_memstream.h"

typedef enum SCENARIO {
    SERVE_NORMAL,			/* answer every request */
    SERVE_DROP_FIRST,			/* first connection: no answer */
    SERVE_DROP_ALL,			/* never answer */
} SCENARIO;

static char *queue_dir;
static char *service_path;
static pid_t server_pid = -1;

/* test_strip - repeated proxy: prefixes go */
static void test_strip(void **state)
{
    (void) state;
    assert_string_equal(dict_proxy_strip("hash:/x"), "hash:/x");
    assert_string_equal(dict_proxy_strip("proxy:hash:/x"), "hash:/x");
    assert_string_equal(dict_proxy_strip("proxy:proxy:unix:passwd.byname"),
			"unix:passwd.byname");
    assert_string_equal(dict_proxy_strip("proxy:"), "");
}

/* test_error_mapping - reply status to dict error */
static void test_error_mapping(void **state)
{
    (void) state;
    assert_int_equal(dict_proxy_error(PROXY_STAT_OK), DICT_ERR_NONE);
    assert_int_equal(dict_proxy_error(PROXY_STAT_NOKEY), DICT_ERR_NONE);
    assert_int_equal(dict_proxy_error(PROXY_STAT_RETRY), DICT_ERR_RETRY);
    assert_int_equal(dict_proxy_error(PROXY_STAT_CONFIG), DICT_ERR_CONFIG);
    assert_int_equal(dict_proxy_error(PROXY_STAT_BAD), DICT_ERR_CONFIG);
    assert_int_equal(dict_proxy_error(PROXY_STAT_DENY), DICT_ERR_CONFIG);
}

/* test_request_encoding - a request survives the wire */
static void test_request_encoding(void **state)
{
    VSTREAM *fp = test_memstream(NULL, 0);
    ATTR_LIST *request;
    ATTR_LIST *copy = attr_list_create();
    VSTRING *why = vstring_alloc(10);
    int     flags = -1;

    (void) state;
    request = dict_proxy_request(PROXY_REQ_LOOKUP, "texthash:/etc/x",
				 DICT_FLAG_FOLD_FIX | DICT_FLAG_NO_PROXY
				 | DICT_FLAG_OPEN_FATAL | DICT_FLAG_DEBUG);
    attr_list_add_str(request, PROXY_ATTR_KEY, "k\001ey");
    assert_true(attr_list_write(fp, request));
    assert_int_equal(vstream_fflush(fp), 0);
    assert_true(vstream_fseek(fp, 0, SEEK_SET) == 0);
    assert_true(attr_list_read(fp, copy, NULL, why));
    assert_true(attr_proto_check(copy, PROXYMAP_PROTO_NAME, why));
    assert_string_equal(attr_list_find_str(copy, ATTR_REQUEST), PROXY_REQ_LOOKUP);
    assert_string_equal(attr_list_find_str(copy, PROXY_ATTR_TABLE),
			"texthash:/etc/x");
    assert_string_equal(attr_list_find_str(copy, PROXY_ATTR_KEY), "k\001ey");
    assert_true(attr_list_find_int(copy, PROXY_ATTR_FLAGS, &flags));
    /* The client's own flags stay home. */
    assert_int_equal(flags, DICT_FLAG_FOLD_FIX);
    attr_list_free(request);
    attr_list_free(copy);
    vstring_free(why);
    vstream_fclose(fp);
}

/* server_answer - the reply to one request */
static void server_answer(VSTREAM *fp, const ATTR_LIST *request,
			          int requests, int connections)
{
    ATTR_LIST *reply = attr_list_create();
    const char *what = attr_list_find_str(request, ATTR_REQUEST);
    const char *table = attr_list_find_str(request, PROXY_ATTR_TABLE);
    const char *key = attr_list_find_str(request, PROXY_ATTR_KEY);
    VSTRING *buf = vstring_alloc(100);
    int     function = -1;

    if (what == NULL || table == NULL)
	_exit(3);
    if (strncmp(table, "deny:", 5) == 0) {
	attr_list_add_int(reply, PROXY_ATTR_STATUS, PROXY_STAT_DENY);
    } else if (strcmp(what, PROXY_REQ_OPEN) == 0) {
	attr_list_add_int(reply, PROXY_ATTR_STATUS, PROXY_STAT_OK);
	attr_list_add_int(reply, PROXY_ATTR_FLAGS,
			  strncmp(table, "regexp:", 7) == 0 ?
			  DICT_FLAG_PATTERN : DICT_FLAG_FIXED);
    } else if (strcmp(what, PROXY_REQ_LOOKUP) == 0) {
	if (key == NULL)
	    _exit(3);
	if (strcmp(key, "retry") == 0) {
	    attr_list_add_int(reply, PROXY_ATTR_STATUS, PROXY_STAT_RETRY);
	} else if (strcmp(key, "config") == 0) {
	    attr_list_add_int(reply, PROXY_ATTR_STATUS, PROXY_STAT_CONFIG);
	} else if (strcmp(key, "none") == 0) {
	    attr_list_add_int(reply, PROXY_ATTR_STATUS, PROXY_STAT_NOKEY);
	} else {
	    vstring_sprintf(buf, "%s=%s#%d/%d", table, key, requests,
			    connections);
	    attr_list_add_int(reply, PROXY_ATTR_STATUS, PROXY_STAT_OK);
	    attr_list_add_str(reply, PROXY_ATTR_VALUE, vstring_str(buf));
	}
    } else if (strcmp(what, PROXY_REQ_UPDATE) == 0
	       || strcmp(what, PROXY_REQ_DELETE) == 0) {
	attr_list_add_int(reply, PROXY_ATTR_STATUS,
			  key && strcmp(key, "absent") == 0 ?
			  PROXY_STAT_NOKEY : PROXY_STAT_OK);
    } else if (strcmp(what, PROXY_REQ_SEQUENCE) == 0) {
	(void) attr_list_find_int(request, PROXY_ATTR_FUNCTION, &function);
	if (function == DICT_SEQ_FUN_FIRST) {
	    attr_list_add_int(reply, PROXY_ATTR_STATUS, PROXY_STAT_OK);
	    attr_list_add_str(reply, PROXY_ATTR_KEY, "k1");
	    attr_list_add_str(reply, PROXY_ATTR_VALUE, "v1");
	} else {
	    attr_list_add_int(reply, PROXY_ATTR_STATUS, PROXY_STAT_NOKEY);
	}
    } else {
	_exit(5);
    }
    attr_list_write(fp, reply);
    vstream_fflush(fp);
    attr_list_free(reply);
    vstring_free(buf);
}

/* server_reply - answer one request unless the scenario drops it */
static bool server_reply(VSTREAM *fp, const ATTR_LIST *request, int requests,
			         int connections, void *context)
{
    SCENARIO scenario = *(SCENARIO *) context;

    if (scenario == SERVE_DROP_ALL
	|| (scenario == SERVE_DROP_FIRST && connections == 1))
	return false;
    server_answer(fp, request, requests, connections);
    return true;
}

/* server_start - listen and fork the fake service */
static void server_start(SCENARIO scenario)
{
    static SCENARIO context;
    static TEST_ATTR_SERVICE service;

    context = scenario;
    service.greeting = PROXYMAP_PROTO_NAME;
    service.protocol = PROXYMAP_PROTO_NAME;
    service.answer = server_reply;
    service.closed = NULL;
    service.context = &context;
    server_pid = test_attr_service_start(service_path, &service);
}

/* setup - a queue directory with private/ */
static int setup(void **state)
{
    (void) state;
    service_path = test_service_dir("private", "proxymap", &queue_dir);
    test_set_param("queue_directory", queue_dir);
    test_set_param("ipc_timeout", "1s");
    return 0;
}

/* teardown - stop the service, remove it all */
static int teardown(void **state)
{
    (void) state;
    if (server_pid > 0)
	(void) test_service_kill(server_pid, service_path);
    server_pid = -1;
    test_capture_stop();
    test_remove_tree(queue_dir);
    myfree(queue_dir);
    myfree(service_path);
    return 0;
}

/* test_lookups - results, statuses, folding, pattern flag */
static void test_lookups(void **state)
{
    DICT   *dict;
    DICT   *pattern;

    (void) state;
    server_start(SERVE_NORMAL);
    dict = dict_proxy_open("texthash:/t", O_RDONLY, DICT_FLAG_FOLD_FIX);
    assert_true(dict->flags & DICT_FLAG_FIXED);
    assert_string_equal(dict_get(dict, "Key"), "texthash:/t=key#2/1");
    assert_null(dict_get(dict, "none"));
    assert_int_equal(dict->error, DICT_ERR_NONE);
    assert_null(dict_get(dict, "retry"));
    assert_int_equal(dict->error, DICT_ERR_RETRY);
    assert_null(dict_get(dict, "config"));
    assert_int_equal(dict->error, DICT_ERR_CONFIG);
    pattern = dict_proxy_open("proxy:regexp:/r", O_RDONLY, DICT_FLAG_FOLD_FIX);
    assert_true(pattern->flags & DICT_FLAG_PATTERN);
    assert_false(pattern->flags & DICT_FLAG_FIXED);
    /* Pattern tables are not folded with FOLD_FIX only. */
    assert_string_equal(dict_get(pattern, "Key"), "regexp:/r=Key#7/1");
    dict_close(dict);
    dict_close(pattern);
}

/* test_reconnect - a lost connection is replaced once per request */
static void test_reconnect(void **state)
{
    DICT   *dict;

    (void) state;
    server_start(SERVE_DROP_FIRST);
    test_capture_start();
    dict = dict_proxy_open("texthash:/t", O_RDONLY, 0);
    /* The open request went to connection 1 and was dropped. */
    assert_string_equal(dict_get(dict, "a"), "texthash:/t=a#3/2");
    assert_string_equal(test_capture_text(), "");
    dict_close(dict);
}

/* test_service_down - no answer at all: a temporary error */
static void test_service_down(void **state)
{
    DICT   *dict;

    (void) state;
    server_start(SERVE_DROP_ALL);
    test_capture_start();
    dict = dict_proxy_open("texthash:/t", O_RDONLY, 0);
    assert_null(dict_get(dict, "a"));
    assert_int_equal(dict->error, DICT_ERR_RETRY);
    assert_non_null(strstr(test_capture_text(),
			   "warning: proxymap service: end of input"));
    dict_close(dict);
}

/* test_writes - update, delete and sequence through proxywrite */
static void test_writes(void **state)
{
    DICT   *dict;
    const char *key;
    const char *value;
    char   *write_path = concatenate(queue_dir, "/private/proxywrite",
				     (char *) 0);
    pid_t   pid;
    static SCENARIO scenario = SERVE_NORMAL;
    static const TEST_ATTR_SERVICE service = {
	PROXYMAP_PROTO_NAME, PROXYMAP_PROTO_NAME, server_reply, NULL, &scenario,
    };

    (void) state;
    pid = test_attr_service_start(write_path, &service);
    dict = dict_proxy_open("lmdb:/w", O_RDWR, 0);
    assert_int_equal(dict_put(dict, "k", "v"), DICT_STAT_SUCCESS);
    assert_int_equal(dict_del(dict, "k"), DICT_STAT_SUCCESS);
    assert_int_equal(dict_del(dict, "absent"), DICT_STAT_FAIL);
    assert_int_equal(dict_seq(dict, DICT_SEQ_FUN_FIRST, &key, &value),
		     DICT_STAT_SUCCESS);
    assert_string_equal(key, "k1");
    assert_string_equal(value, "v1");
    assert_int_equal(dict_seq(dict, DICT_SEQ_FUN_NEXT, &key, &value),
		     DICT_STAT_FAIL);
    dict_close(dict);
    (void) test_service_kill(pid, write_path);
    myfree(write_path);
}

/* test_bad_name - not type:name */
static void test_bad_name(void **state)
{
    DICT   *dict;

    (void) state;
    test_capture_start();
    dict = dict_proxy_open("proxy:nocolon", O_RDONLY, 0);
    assert_null(dict_get(dict, "a"));
    assert_int_equal(dict->error, DICT_ERR_CONFIG);
    assert_non_null(strstr(test_capture_text(), "expecting \"type:name\""));
    dict_close(dict);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_strip),
	cmocka_unit_test(test_error_mapping),
	cmocka_unit_test(test_request_encoding),
	cmocka_unit_test_setup_teardown(test_lookups, setup, teardown),
	cmocka_unit_test_setup_teardown(test_reconnect, setup, teardown),
	cmocka_unit_test_setup_teardown(test_service_down, setup, teardown),
	cmocka_unit_test_setup_teardown(test_writes, setup, teardown),
	cmocka_unit_test_setup_teardown(test_bad_name, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
