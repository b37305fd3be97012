/*
 * test_postqueue_format - unit tests for postqueue_format(3)
 *
 * The expected texts are the layouts of Debian's Postfix 3.7 postqueue
 * -p and -j, observed on the same queue contents (see
 * tests/system/test_queue_tools.py for the differential tests).
 */
#include "sys_defs.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mymalloc.h"
#include "vstream.h"
#include "vstring.h"
#include "attr_list.h"
#include "showq_proto.h"
#include "postqueue.h"
#include "test_support.h"
#include "test_memstream.h"

#define ARRIVAL	1796430334L		/* Sat Dec  5 00:25:34 2026 UTC */

 /* One recipient of a test message. */
typedef struct RCPT {
    const char *address;
    const char *reason;
} RCPT;

/* add_message - format one message with its recipients */
static void add_message(POSTQUEUE_FORMAT *fmt, const char *queue,
			        const char *id, long size, int expire,
			        const char *sender, const RCPT *rcpts)
{
    ATTR_LIST *list = attr_list_create();

    attr_list_add_str(list, SHOWQ_ATTR_RECORD, SHOWQ_RECORD_MESSAGE);
    attr_list_add_str(list, SHOWQ_ATTR_QUEUE_NAME, queue);
    attr_list_add_str(list, SHOWQ_ATTR_QUEUE_ID, id);
    attr_list_add_long(list, SHOWQ_ATTR_ARRIVAL, ARRIVAL);
    attr_list_add_long(list, SHOWQ_ATTR_SIZE, size);
    attr_list_add_int(list, SHOWQ_ATTR_EXPIRE, expire);
    attr_list_add_str(list, SHOWQ_ATTR_SENDER, sender);
    postqueue_format_message(fmt, list);
    for (; rcpts && rcpts->address; rcpts++)
	postqueue_format_rcpt(fmt, rcpts->address, rcpts->reason);
    attr_list_free(list);
}

/* output - everything written to fp, as a string (caller frees) */
static char *output(VSTREAM *fp)
{
    VSTRING *buf = vstring_alloc(100);
    char    chunk[4096];
    size_t  n;
    char   *text;

    assert_int_equal(vstream_fflush(fp), 0);
    assert_true(vstream_fseek(fp, 0, SEEK_SET) == 0);
    while ((n = vstream_fread(fp, chunk, sizeof(chunk))) > 0)
	vstring_strncat(buf, chunk, n);
    text = mystrdup(vstring_str(buf));
    vstring_free(buf);
    return (text);
}

static const RCPT deferred_rcpts[] = {
    {"carol@example.net", "no route here"},
    {"zed@example.com", "no route here"},
    {"bob@example.org", "short B"},
    {"dave@example.org", 0},
    {"erin@example.org", 0},
    {0, 0},
};

/* test_mailq - the -p layout */
static void test_mailq(void **state)
{
    static const RCPT one[] = {{"dave@example.org", 0}, {0, 0}};
    VSTREAM *fp = test_memstream("", 0);
    POSTQUEUE_FORMAT fmt;
    char   *text;

    (void) state;
    postqueue_format_begin(&fmt, fp, POSTQUEUE_FORMAT_MAILQ, false);
    add_message(&fmt, "active", "DD9DEA966B5", 258, 0, "MAILER-DAEMON", one);
    add_message(&fmt, "deferred", "C91B5A9680F", 263, 0,
		"alice@example.org", deferred_rcpts);
    add_message(&fmt, "hold", "DD9DE9", 1300, 1, "x\ty@example.org", one);
    add_message(&fmt, "deferred", "ABCDEFGHJKLMNPQRSTVWXYZ", 258, 1,
		"MAILER-DAEMON", one);
    postqueue_format_end(&fmt);
    text = output(fp);
    assert_string_equal(text,
	"-Queue ID-  --Size-- ----Arrival Time---- -Sender/Recipient-------\n"
	"DD9DEA966B5*     258 Sat Dec  5 00:25:34  MAILER-DAEMON\n"
	"                                         dave@example.org\n"
	"\n"
	"C91B5A9680F     263 Sat Dec  5 00:25:34  alice@example.org\n"
	"                                                               (no route here)\n"
	"                                         carol@example.net\n"
	"                                         zed@example.com\n"
	"                                                                     (short B)\n"
	"                                         bob@example.org\n"
	"                                                          (reason unavailable)\n"
	"                                         dave@example.org\n"
	"                                         erin@example.org\n"
	"\n"
	"DD9DE9!        1300 Sat Dec  5 00:25:34  x?y@example.org\n"
	"                                         dave@example.org\n"
	"\n"
	"ABCDEFGHJKLMNPQRSTVWXYZ#     258 Sat Dec  5 00:25:34  MAILER-DAEMON\n"
	"                                         dave@example.org\n"
	"\n"
	"-- 2 Kbytes in 4 Requests.\n");
    myfree(text);
    (void) vstream_fclose(fp);
}

/* test_mailq_long_and_empty - long IDs, one request, an empty queue */
static void test_mailq_long_and_empty(void **state)
{
    static const RCPT one[] = {{"bob@example.org", "a reason that is far too long to fit in the reason column of the queue listing"}, {0, 0}};
    VSTREAM *fp = test_memstream("", 0);
    POSTQUEUE_FORMAT fmt;
    char   *text;

    (void) state;
    postqueue_format_begin(&fmt, fp, POSTQUEUE_FORMAT_MAILQ, true);
    add_message(&fmt, "deferred", "4jh8KB5VJ9z1bZr6", 263, 1, "a@b", one);
    postqueue_format_end(&fmt);
    text = output(fp);
    assert_string_equal(text,
	"----Queue ID----- --Size-- ---Arrival Time---- --Sender/Recipient------\n"
	"4jh8KB5VJ9z1bZr6#      263 Sat Dec  5 00:25:34 a@b\n"
	"(a reason that is far too long to fit in the reason column of the queue listing)\n"
	"                                               bob@example.org\n"
	"\n"
	"-- 0 Kbytes in 1 Request.\n");
    myfree(text);
    (void) vstream_fclose(fp);

    fp = test_memstream("", 0);
    postqueue_format_begin(&fmt, fp, POSTQUEUE_FORMAT_MAILQ, false);
    postqueue_format_end(&fmt);
    text = output(fp);
    assert_string_equal(text, "Mail queue is empty\n");
    myfree(text);
    (void) vstream_fclose(fp);

    fp = test_memstream("", 0);
    postqueue_format_begin(&fmt, fp, POSTQUEUE_FORMAT_JSON, false);
    postqueue_format_end(&fmt);
    text = output(fp);
    assert_string_equal(text, "");
    myfree(text);
    (void) vstream_fclose(fp);
}

/* test_json - the -j layout and its escaping */
static void test_json(void **state)
{
    static const RCPT odd[] = {
	{"q\"uo\\te\x01@x", 0}, {"\xff\xfe@x", "bad \xc3"}, {"zo\xc3\xab@x", 0},
	{0, 0},
    };
    VSTREAM *fp = test_memstream("", 0);
    POSTQUEUE_FORMAT fmt;
    char   *text;

    (void) state;
    postqueue_format_begin(&fmt, fp, POSTQUEUE_FORMAT_JSON, false);
    add_message(&fmt, "deferred", "C91B5A9680F", 263, 0,
		"alice@example.org", deferred_rcpts);
    add_message(&fmt, "hold", "DD9DE9", 10, 1, "", odd);
    add_message(&fmt, "incoming", "DD9DE8", 10, 0, "s", 0);
    postqueue_format_end(&fmt);
    text = output(fp);
    assert_string_equal(text,
	"{\"queue_name\": \"deferred\", \"queue_id\": \"C91B5A9680F\", "
	"\"arrival_time\": 1796430334, \"message_size\": 263, "
	"\"forced_expire\": false, \"sender\": \"alice@example.org\", "
	"\"recipients\": [{\"address\": \"carol@example.net\", "
	"\"delay_reason\": \"no route here\"}, {\"address\": "
	"\"zed@example.com\", \"delay_reason\": \"no route here\"}, "
	"{\"address\": \"bob@example.org\", \"delay_reason\": \"short B\"}, "
	"{\"address\": \"dave@example.org\"}, {\"address\": "
	"\"erin@example.org\"}]}\n"
	"{\"queue_name\": \"hold\", \"queue_id\": \"DD9DE9\", "
	"\"arrival_time\": 1796430334, \"message_size\": 10, "
	"\"forced_expire\": true, \"sender\": \"\", \"recipients\": "
	"[{\"address\": \"q\\\"uo\\\\te\\u0001@x\"}, {\"address\": "
	"\"\\ufffd\\ufffd@x\", \"delay_reason\": \"bad \\ufffd\"}, "
	"{\"address\": \"zo\xc3\xab@x\"}]}\n"
	"{\"queue_name\": \"incoming\", \"queue_id\": \"DD9DE8\", "
	"\"arrival_time\": 1796430334, \"message_size\": 10, "
	"\"forced_expire\": false, \"sender\": \"s\", \"recipients\": []}\n");
    myfree(text);
    (void) vstream_fclose(fp);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_mailq),
	cmocka_unit_test(test_mailq_long_and_empty),
	cmocka_unit_test(test_json),
    };

    setenv("TZ", "UTC", 1);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
