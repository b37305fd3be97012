/*
 * test_dsn_split - unit tests for dsn_split(3), dsn_filter(3) and
 *	delivered_hdr(3)
 *
 * The dsn_split() cases are the next hops that Debian's Postfix 3.7
 * error(8) and discard(8) were given (tests/system/test_agents.py shows
 * the status lines); delivered_hdr() reads a small queue file.
 */
#include "sys_defs.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "vstream.h"
#include "vstring.h"
#include "delivered_hdr.h"
#include "dsn.h"
#include "dsn_filter.h"
#include "dsn_split.h"
#include "test_support.h"

/* test_split - code and text */
static void test_split(void **state)
{
    static const struct {
	const char *in;
	const char *status;
	const char *text;
    } cases[] = {
	{"5.1.1 No such user", "5.1.1", "No such user"},
	{"5.1.1", "5.1.1", ""},
	{"4.7.1   spaced\ttext", "4.7.1", "spaced\ttext"},
	{"custom text", "5.0.0", "custom text"},
	{"5.1 bad", "5.0.0", "5.1 bad"},
	{"5.1.1x text", "5.0.0", "5.1.1x text"},
	{"6.1.1 text", "5.0.0", "6.1.1 text"},
	{"2.123.456 ok", "2.123.456", "ok"},
	{"5.1234.1 long", "5.0.0", "5.1234.1 long"},
	{"", "5.0.0", ""},
    };
    VSTRING *status = vstring_alloc(10);
    size_t  n;

    for (n = 0; n < sizeof(cases) / sizeof(cases[0]); n++) {
	const char *text = dsn_split(cases[n].in, "5.0.0", status);

	assert_string_equal(vstring_str(status), cases[n].status);
	assert_string_equal(text, cases[n].text);
    }
    vstring_free(status);
}

/* test_class_fix - wrong class replaced with a warning */
static void test_class_fix(void **state)
{
    VSTRING *status = vstring_alloc(10);

    vstring_strcpy(status, "4.7.1");
    test_capture_start();
    assert_string_equal(dsn_class_fix("bounce_append", status, '5'),
			"5.0.0");
    assert_non_null(strstr(test_capture_text(),
		   "bounce_append: ignoring dsn code \"4.7.1\""));
    test_capture_stop();
    vstring_strcpy(status, "5.1.1");
    assert_string_equal(dsn_class_fix("bounce_append", status, '5'),
			"5.1.1");
    vstring_free(status);
}

/* add_record - append one queue-file record to buf */
static void add_record(VSTRING *buf, int type, const char *data)
{
    vstring_sprintf_append(buf, "%c%ld %s\n", type, (long) strlen(data),
			   data);
}

/* test_delivered - Delivered-To: values of a queue file's header */
static void test_delivered(void **state)
{
    VSTRING *file = vstring_alloc(100);
    char   *dir = test_tempdir();
    char   *path = concatenate(dir, "/qf", (char *) 0);
    VSTREAM *fp;
    DELIVERED_HDR *hdr;
    long    offset;

    add_record(file, 'Q', "postel-queue 1");
    offset = (long) VSTRING_LEN(file);
    add_record(file, 'M', "");
    add_record(file, 'L', "Delivered-To: First@Example.COM  ");
    add_record(file, 'P', "Delivered-To:");
    add_record(file, 'L', " second");
    add_record(file, 'L', "Subject: ");
    add_record(file, 'L', "\tfolded subject");
    add_record(file, 'L', "Delivered-To:");
    add_record(file, 'L', "\tthird@x.y");
    add_record(file, 'L', "");
    add_record(file, 'L', "Delivered-To: body@x.y.z");
    add_record(file, 'X', "");
    add_record(file, 'Z', "");
    test_write_file(path, vstring_str(file));
    fp = vstream_fopen(path, O_RDONLY, 0);
    assert_non_null(fp);
    hdr = delivered_hdr_init(fp, offset, 10000);
    assert_true(delivered_hdr_find(hdr, "first@example.com"));
    assert_true(delivered_hdr_find(hdr, "FIRST@example.com"));
    assert_true(delivered_hdr_find(hdr, "second"));
    assert_true(delivered_hdr_find(hdr, "third@x.y"));
    assert_false(delivered_hdr_find(hdr, "body@x.y.z"));
    assert_false(delivered_hdr_find(hdr, "folded subject"));
    delivered_hdr_free(hdr);

    /* The byte limit stops the scan. */
    hdr = delivered_hdr_init(fp, offset, 40);
    assert_true(delivered_hdr_find(hdr, "first@example.com"));
    assert_false(delivered_hdr_find(hdr, "third@x.y"));
    delivered_hdr_free(hdr);
    vstream_fclose(fp);
    unlink(path);
    myfree(path);
    test_remove_tree(dir);
    myfree(dir);
    vstring_free(file);
}

/* test_filter - delivery status filter replacements and refusals */
static void test_filter(void **state)
{
    char   *dir = test_tempdir();
    char   *path = concatenate(dir, "/filter", (char *) 0);
    char   *spec = concatenate("regexp:", path, (char *) 0);
    DSN_FILTER *filter;
    const DSN *got;
    DSN     dsn;

    test_write_file(path,
		    "/^4\\.3\\.0 temporary failure(.*)/ 5.3.0 now permanent$1\n"
		    "/^2\\.0\\.0 delivered via (.*)/ 2.0.1 via $1\n"
		    "/^5\\.1\\.1 /\t2.0.0 not allowed\n"
		    "/^5\\.2\\.2 /\tno code\n"
		    "/^5\\.3\\.3 /\t5.3.4\n");
    filter = dsn_filter_create("pipe_delivery_status_filter", spec);
    got = dsn_filter_lookup(filter, dsn_simple(&dsn, "4.3.0",
					       "temporary failure. x"));
    assert_non_null(got);
    assert_string_equal(got->status, "5.3.0");
    assert_string_equal(got->reason, "now permanent. x");
    assert_string_equal(got->action, "failed");
    dsn_simple(&dsn, "2.0.0", "delivered via p service");
    dsn.action = "relayed";
    got = dsn_filter_lookup(filter, &dsn);
    assert_non_null(got);
    assert_string_equal(got->status, "2.0.1");
    assert_string_equal(got->reason, "via p service");
    assert_string_equal(got->action, "relayed");
    assert_null(dsn_filter_lookup(filter, dsn_simple(&dsn, "4.4.4", "x")));
    test_capture_start();
    assert_null(dsn_filter_lookup(filter, dsn_simple(&dsn, "5.1.1", "x")));
    assert_null(dsn_filter_lookup(filter, dsn_simple(&dsn, "5.2.2", "x")));
    assert_null(dsn_filter_lookup(filter, dsn_simple(&dsn, "5.3.3", "x")));
    assert_non_null(strstr(test_capture_text(), "pipe_delivery_status_filter"
			   ": ignoring bad replacement \"2.0.0 not allowed\""
			   " for \"5.1.1 x\""));
    test_capture_stop();
    dsn_filter_free(filter);

    filter = dsn_filter_create("virtual_delivery_status_filter", "");
    assert_null(dsn_filter_lookup(filter, dsn_simple(&dsn, "4.3.0", "x")));
    dsn_filter_free(filter);
    unlink(path);
    test_remove_tree(dir);
    myfree(spec);
    myfree(path);
    myfree(dir);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_split),
	cmocka_unit_test(test_class_fix),
	cmocka_unit_test(test_delivered),
	cmocka_unit_test(test_filter),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
