/*
 * test_deliver_completed - unit tests for deliver_completed(3)
 *
 * DESCRIPTION
 *	On a real queue file written by the test: R becomes D at the
 *	recipient's offset and the file stays valid; a second call changes
 *	nothing; a recipient whose recorded outcome is a deferral is not
 *	marked; offsets that do not point at an R record, a file that is
 *	not open or not writable give warnings and leave the file alone.
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
#include "queue_file_read.h"
#include "deliver_request.h"
#include "recipient_list.h"
#include "bounce_client.h"
#include "test_queue_sample.h"
#include "test_support.h"

typedef struct FIXTURE {
    char   *dir;
    char   *path;
    TEST_QUEUE_SAMPLE info;
    DELIVER_REQUEST *req;
} FIXTURE;

static const char *const sample_rcpts[] = {
    "alice@example.org", "orig@example.org|bob@example.org", NULL,
};

/* setup - a queue file with two recipients, open read-write */
static int setup(void **state)
{
    FIXTURE *fx = mymalloc(sizeof(*fx));

    fx->dir = test_tempdir();
    fx->path = concatenate(fx->dir, "/3F2A1B7E4", (char *) 0);
    test_queue_sample(fx->path, "sender@example.org", sample_rcpts,
		      "Subject: test\n\nbody\n", &fx->info);
    fx->req = deliver_request_alloc();
    fx->req->queue_id = mystrdup("3F2A1B7E4");
    fx->req->fp = vstream_fopen(fx->path, O_RDWR, 0);
    assert_non_null(fx->req->fp);
    *state = fx;
    test_capture_start();
    return 0;
}

/* teardown - free and remove everything */
static int teardown(void **state)
{
    FIXTURE *fx = *state;

    test_capture_stop();
    deliver_request_free(fx->req);
    test_remove_tree(fx->dir);
    myfree(fx->path);
    myfree(fx->dir);
    myfree(fx);
    return 0;
}

/* byte_at - the file's byte at offset */
static int byte_at(const char *path, long offset)
{
    int     fd = open(path, O_RDONLY);
    char    ch = 0;

    assert_true(fd >= 0);
    assert_int_equal(pread(fd, &ch, 1, offset), 1);
    close(fd);
    return ch;
}

/* check_file - still a valid queue file with this many R and D */
static void check_file(const char *path, long todo, long done)
{
    VSTREAM *fp = vstream_fopen(path, O_RDONLY, 0);
    QUEUE_FILE_INFO info;

    assert_non_null(fp);
    queue_file_info_init(&info);
    if (!queue_file_read(fp, QUEUE_FILE_KIND_QUEUE, QUEUE_FILE_LIMIT,
			 NULL, NULL, &info))
	fail_msg("queue file damaged: %s", vstring_str(info.why));
    assert_int_equal(info.rcpt_todo, todo);
    assert_int_equal(info.rcpt_done, done);
    queue_file_info_free(&info);
    vstream_fclose(fp);
}

/* rcpt_at - a recipient at an offset */
static RECIPIENT rcpt_at(long offset)
{
    RECIPIENT rcpt;

    rcpt.offset = offset;
    rcpt.address = (char *) "bob@example.org";
    rcpt.orig_addr = (char *) "";
    rcpt.dsn_orcpt = (char *) "";
    rcpt.dsn_notify = 0;
    return rcpt;
}

/* test_mark_done - R to D, once; the file stays valid */
static void test_mark_done(void **state)
{
    FIXTURE *fx = *state;
    RECIPIENT rcpt = rcpt_at(fx->info.rcpt_offset[1]);

    assert_int_equal(byte_at(fx->path, rcpt.offset), 'R');
    deliver_completed(fx->req, &rcpt);
    assert_int_equal(byte_at(fx->path, rcpt.offset), 'D');
    assert_int_equal(byte_at(fx->path, fx->info.rcpt_offset[0]), 'R');
    check_file(fx->path, 1, 1);
    /* Again: already done, nothing changes, nothing is said. */
    deliver_completed(fx->req, &rcpt);
    assert_int_equal(byte_at(fx->path, rcpt.offset), 'D');
    assert_string_equal(test_capture_text(), "");
    rcpt = rcpt_at(fx->info.rcpt_offset[0]);
    deliver_completed(fx->req, &rcpt);
    check_file(fx->path, 0, 2);
    assert_string_equal(test_capture_text(), "");
}

/* test_deferred_left_alone - a recorded deferral (soft_bounce) is no mark */
static void test_deferred_left_alone(void **state)
{
    FIXTURE *fx = *state;
    RECIPIENT rcpt = rcpt_at(fx->info.rcpt_offset[1]);

    recipient_list_add(&fx->req->rcpt_list, rcpt.offset, "", 0, "",
		       rcpt.address);
    deliver_request_result(fx->req, &rcpt, DELIVER_OUTCOME_DEFERRED, "4.1.1");
    deliver_completed(fx->req, &rcpt);
    assert_int_equal(byte_at(fx->path, rcpt.offset), 'R');
    check_file(fx->path, 2, 0);
    assert_string_equal(test_capture_text(), "");
}

/* test_bad_offsets - not at an R record: warning, file unchanged */
static void test_bad_offsets(void **state)
{
    FIXTURE *fx = *state;
    long    offsets[] = {
	fx->info.rcpt_offset[1] - 1,	/* the LF ending the O record */
	fx->info.rcpt_offset[1] + 1,	/* inside the R record */
	fx->info.data_offset,		/* the M record */
	1000000,			/* after the end */
	0,				/* invalid */
	-5,
    };
    size_t  n;
    RECIPIENT rcpt;

    for (n = 0; n < ARRAY_LEN(offsets); n++) {
	test_capture_stop();
	test_capture_start();
	rcpt = rcpt_at(offsets[n]);
	deliver_completed(fx->req, &rcpt);
	if (strstr(test_capture_text(), "warning: 3F2A1B7E4: cannot mark "
		   "recipient bob@example.org done") == NULL)
	    fail_msg("offset %ld: no warning: \"%s\"", offsets[n],
		     test_capture_text());
    }
    check_file(fx->path, 2, 0);
    assert_int_equal(byte_at(fx->path, fx->info.data_offset), 'M');
}

/* test_not_open - no queue file, or one open read-only */
static void test_not_open(void **state)
{
    FIXTURE *fx = *state;
    RECIPIENT rcpt = rcpt_at(fx->info.rcpt_offset[0]);

    vstream_fclose(fx->req->fp);
    fx->req->fp = NULL;
    deliver_completed(fx->req, &rcpt);
    assert_non_null(strstr(test_capture_text(), "queue file is not open"));
    fx->req->fp = vstream_fopen(fx->path, O_RDONLY, 0);
    assert_non_null(fx->req->fp);
    deliver_completed(fx->req, &rcpt);
    assert_non_null(strstr(test_capture_text(), "write at offset"));
    check_file(fx->path, 2, 0);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test_setup_teardown(test_mark_done, setup, teardown),
	cmocka_unit_test_setup_teardown(test_deferred_left_alone, setup,
					teardown),
	cmocka_unit_test_setup_teardown(test_bad_offsets, setup, teardown),
	cmocka_unit_test_setup_teardown(test_not_open, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
