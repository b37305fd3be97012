/*
 * test_mail_flow - unit tests for mail_flow(3)
 *
 * The flow-control pipe lives on fixed descriptors 3 and 4, so the test
 * runs in a child process that puts a non-blocking pipe there.
 */
#include "sys_defs.h"

#include <fcntl.h>
#include <unistd.h>

#include "msg.h"
#include "master_proto.h"
#include "mail_flow.h"
#include "test_support.h"
#include "test_child.h"

/* flow_child - put, count, get, run dry, fill up */
static void flow_child(void *context)
{
    int     fds[2];
    ssize_t n;

    (void) context;
    if (pipe2(fds, O_NONBLOCK) < 0
	|| dup2(fds[0], MASTER_FLOW_READ) < 0
	|| dup2(fds[1], MASTER_FLOW_WRITE) < 0)
	msg_fatal("setup: %m");
    (void) fcntl(MASTER_FLOW_READ, F_SETFL, O_NONBLOCK);
    (void) fcntl(MASTER_FLOW_WRITE, F_SETFL, O_NONBLOCK);
    if (mail_flow_count() != 0)
	msg_fatal("count %ld, not 0", (long) mail_flow_count());
    if (mail_flow_get(1) != -1)
	msg_fatal("got a token from an empty pipe");
    if (mail_flow_put(3000) != 3000)
	msg_fatal("put 3000 failed");
    if ((n = mail_flow_count()) != 3000)
	msg_fatal("count %ld, not 3000", (long) n);
    if (mail_flow_get(2999) != 2999 || mail_flow_count() != 1)
	msg_fatal("get 2999 failed");
    if (mail_flow_get(2) != -1 || mail_flow_count() != 1)
	msg_fatal("get 2 of 1 did not fail cleanly");
    if (mail_flow_get(1) != 1 || mail_flow_count() != 0)
	msg_fatal("get 1 failed");
    /* A full pipe refuses more tokens instead of blocking. */
    while (mail_flow_put(1024) == 1024)
	 /* void */ ;
    if (mail_flow_put(1) != -1)
	msg_fatal("full pipe took a token");
}

/* test_flow - the whole token life cycle */
static void test_flow(void **state)
{
    TEST_CHILD_RESULT result;

    (void) state;
    test_child_run(flow_child, NULL, 10000, &result);
    assert_string_equal(result.output, "");
    assert_true(test_child_exited(&result, 0));
    test_child_free(&result);
}

/* bad_count_child - count 0 is a programming error */
static void bad_count_child(void *context)
{
    (void) context;
    (void) mail_flow_get(0);
}

/* test_bad_count - panic */
static void test_bad_count(void **state)
{
    TEST_CHILD_RESULT result;

    (void) state;
    test_child_run(bad_count_child, NULL, 10000, &result);
    assert_string_equal(result.output, "panic: mail_flow_get: bad count 0\n");
    assert_false(test_child_exited(&result, 0));
    test_child_free(&result);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_flow),
	cmocka_unit_test(test_bad_count),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
