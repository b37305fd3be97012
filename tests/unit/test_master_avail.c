/*
 * test_master_avail - unit tests for master_avail(3)
 *
 * A service is built by hand with one listener, the master end of a
 * socket pair, and no real children: "children" are MASTER_PROC records
 * that the tests count in and out the way master_spawn(3) and
 * master_status(3) do. Whether master(8) watches the listener is read
 * from the event loop (events_fd_mask()). The throttle timer runs in a
 * bounded events_loop().
 */
#include "sys_defs.h"

#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "msg.h"
#include "mymalloc.h"
#include "events.h"
#include "master_proto.h"
#include "master.h"
#include "test_support.h"

typedef struct FIXTURE {
    MASTER_SERV *serv;
    int     peer;			/* other end of the listener pair */
    MASTER_PROC procs[4];
} FIXTURE;

#define BUSY_WARNING \
    "warning: service \"test\" (private/test) has reached its process " \
    "limit \"2\": new clients may experience noticeable delays\n" \
    "warning: to avoid this condition, increase the process count in " \
    "master.cf or reduce the service time per client\n" \
    "warning: see http://www.postfix.org/STRESS_README.html for examples " \
    "of stress-adapting configuration settings\n"

/* setup - a service with one listener and room for four children */
static int setup(void **state)
{
    FIXTURE *fx = mycalloc(1, sizeof(*fx));
    MASTER_SERV *serv = mycalloc(1, sizeof(*serv));
    int     pair[2];
    int     n;

    if (socketpair(AF_UNIX, SOCK_STREAM, 0, pair) < 0)
	msg_fatal("socketpair: %m");
    serv->service = mystrdup("test");
    serv->endpoint = mystrdup("private/test");
    serv->program = mystrdup("/nonexistent/test");
    serv->transport = MASTER_XPORT_UNIX;
    serv->pool.limit = 2;
    serv->throttle.delay = 1;
    serv->listeners.count = 1;
    serv->listeners.local_only = true;
    serv->listeners.fds = mymalloc(sizeof(int));
    serv->listeners.fds[0] = pair[0];
    serv->status.master_end = serv->status.child_end = -1;
    fx->serv = serv;
    fx->peer = pair[1];
    for (n = 0; n < 4; n++) {
	fx->procs[n].pid = 1000 + n;
	fx->procs[n].serv = serv;
    }
    test_capture_start();
    *state = fx;
    return 0;
}

/* teardown - release the service and the event loop */
static int teardown(void **state)
{
    FIXTURE *fx = *state;

    test_capture_stop();
    master_avail_unthrottle(fx->serv);
    events_disable_readwrite(fx->serv->listeners.fds[0]);
    (void) close(fx->serv->listeners.fds[0]);
    (void) close(fx->peer);
    fx->serv->listeners.fds[0] = -1;
    master_ent_free(fx->serv);
    myfree(fx);
    events_free();
    return 0;
}

/* watching - does master(8) watch the listener? */
static bool watching(const FIXTURE *fx)
{
    bool    watched = (events_fd_mask(fx->serv->listeners.fds[0])
		       & EVENT_READ) != 0;

    /* The flag and the event loop agree. */
    assert_int_equal(watched, fx->serv->listeners.watched);
    assert_int_equal(watched,
		     master_avail_state(fx->serv) == MASTER_AVAIL_WANTED);
    return watched;
}

/* test_idle_child_takes_clients - master listens only when nobody idles */
static void test_idle_child_takes_clients(void **state)
{
    FIXTURE *fx = *state;

    master_avail_update(fx->serv);
    assert_true(watching(fx));
    master_avail_child_new(fx->procs + 0);
    assert_false(watching(fx));
    master_avail_child_busy(fx->procs + 0);
    assert_true(watching(fx));
    master_avail_child_idle(fx->procs + 0);
    assert_false(watching(fx));
    assert_string_equal(test_capture_text(), "");
}

/* test_process_limit - no listening at the limit; one warning */
static void test_process_limit(void **state)
{
    FIXTURE *fx = *state;

    master_avail_update(fx->serv);
    master_avail_child_new(fx->procs + 0);
    master_avail_child_busy(fx->procs + 0);
    master_avail_child_new(fx->procs + 1);
    assert_false(watching(fx));
    assert_string_equal(test_capture_text(), "");
    master_avail_child_busy(fx->procs + 1);
    assert_false(watching(fx));
    assert_int_equal(master_avail_state(fx->serv), MASTER_AVAIL_FULL);
    assert_string_equal(test_capture_text(), BUSY_WARNING);

    /* A free process that exits (max_idle, say): listening again. */
    master_avail_child_idle(fx->procs + 1);
    assert_false(watching(fx));
    assert_int_equal(master_avail_state(fx->serv), MASTER_AVAIL_IDLE_CHILD);
    master_avail_child_gone(fx->procs + 1);
    assert_true(watching(fx));

    /* At the limit again soon: no second warning. */
    master_avail_child_new(fx->procs + 2);
    master_avail_child_busy(fx->procs + 2);
    assert_false(watching(fx));
    assert_string_equal(test_capture_text(), BUSY_WARNING);
}

/* test_single_process - a limit of 1 is no reason to warn */
static void test_single_process(void **state)
{
    FIXTURE *fx = *state;

    fx->serv->pool.limit = 1;
    master_avail_update(fx->serv);
    master_avail_child_new(fx->procs + 0);
    master_avail_child_busy(fx->procs + 0);
    assert_false(watching(fx));
    assert_string_equal(test_capture_text(), "");
}

/* test_no_limit - a limit of 0 never stops listening */
static void test_no_limit(void **state)
{
    FIXTURE *fx = *state;
    int     n;

    fx->serv->pool.limit = 0;
    master_avail_update(fx->serv);
    for (n = 0; n < 4; n++) {
	master_avail_child_new(fx->procs + n);
	assert_false(watching(fx));
	master_avail_child_busy(fx->procs + n);
	assert_true(watching(fx));
    }
    assert_string_equal(test_capture_text(), "");
}

/* test_throttle - no listening while throttled, resumed by the timer */
static void test_throttle(void **state)
{
    FIXTURE *fx = *state;
    time_t  deadline;

    master_avail_update(fx->serv);
    master_avail_throttle(fx->serv);
    assert_true(fx->serv->throttle.active);
    assert_false(watching(fx));

    /* Nothing that happens meanwhile makes master listen. */
    master_avail_child_new(fx->procs + 0);
    master_avail_child_busy(fx->procs + 0);
    assert_false(watching(fx));
    master_avail_child_gone(fx->procs + 0);
    assert_int_equal(master_avail_state(fx->serv), MASTER_AVAIL_THROTTLED);
    assert_false(watching(fx));

    /* The throttle delay (1 second) ends it. */
    deadline = time(NULL) + 5;
    while (fx->serv->throttle.active && time(NULL) < deadline)
	events_loop(1);
    assert_false(fx->serv->throttle.active);
    assert_true(watching(fx));

    /* master_avail_unthrottle() ends a throttle early. */
    master_avail_throttle(fx->serv);
    assert_false(watching(fx));
    master_avail_unthrottle(fx->serv);
    assert_true(watching(fx));
    assert_string_equal(test_capture_text(), "");
}

/* test_retired_and_detached - children that no longer count */
static void test_retired_and_detached(void **state)
{
    FIXTURE *fx = *state;

    /* A retired idle child takes no clients: master listens again. */
    master_avail_child_new(fx->procs + 0);
    master_avail_child_retired(fx->procs + 0);
    assert_true(fx->procs[0].retired);
    assert_int_equal(fx->serv->pool.idle, 0);
    assert_int_equal(fx->serv->pool.running, 1);
    master_avail_update(fx->serv);
    assert_true(watching(fx));
    master_avail_child_gone(fx->procs + 0);
    assert_int_equal(fx->serv->pool.running, 0);

    /* A detached child leaves its service with nothing to count. */
    master_avail_child_new(fx->procs + 1);
    master_avail_child_new(fx->procs + 2);
    master_avail_child_busy(fx->procs + 2);
    master_avail_child_detach(fx->procs + 1);
    master_avail_child_detach(fx->procs + 2);
    assert_null(fx->procs[1].serv);
    assert_int_equal(fx->serv->pool.running, 0);
    assert_int_equal(fx->serv->pool.idle, 0);
    assert_string_equal(test_capture_text(), "");
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test_setup_teardown(test_idle_child_takes_clients,
					setup, teardown),
	cmocka_unit_test_setup_teardown(test_process_limit, setup, teardown),
	cmocka_unit_test_setup_teardown(test_single_process, setup, teardown),
	cmocka_unit_test_setup_teardown(test_no_limit, setup, teardown),
	cmocka_unit_test_setup_teardown(test_throttle, setup, teardown),
	cmocka_unit_test_setup_teardown(test_retired_and_detached,
					setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
