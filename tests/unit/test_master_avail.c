/*
 * test_master_avail - unit tests for master_avail(3)
 *
 * A service is built by hand with one listener, the master end of a
 * socket pair, and no real children: "children" are MASTER_PROC records
 * that the tests count in and out the way master_spawn(3) and
 * master_status(3) do. Whether master(8) watches the listener is read
 * from the event loop (events_fd_mask()). Throttling goes through
 * master_throttle() and master_unthrottle(), whose timer runs in a
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
    serv->ext_name = mystrdup("test");
    serv->name = mystrdup("private/test");
    serv->path = mystrdup("/nonexistent/test");
    serv->type = MASTER_XPORT_UNIX;
    serv->max_proc = 2;
    serv->throttle_delay = 1;
    serv->listen_fd_count = 1;
    serv->listen_fd = mymalloc(sizeof(int));
    serv->listen_fd[0] = pair[0];
    serv->status_fd[0] = serv->status_fd[1] = -1;
    fx->serv = serv;
    fx->peer = pair[1];
    for (n = 0; n < 4; n++) {
	fx->procs[n].pid = 1000 + n;
	fx->procs[n].serv = serv;
	fx->procs[n].avail = MASTER_STAT_TAKEN;
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
    master_unthrottle(fx->serv);
    events_disable_readwrite(fx->serv->listen_fd[0]);
    (void) close(fx->serv->listen_fd[0]);
    (void) close(fx->peer);
    fx->serv->listen_fd[0] = -1;
    master_ent_free(fx->serv);
    myfree(fx);
    events_free();
    return 0;
}

/* watching - does master(8) watch the listener? */
static bool watching(const FIXTURE *fx)
{
    return (events_fd_mask(fx->serv->listen_fd[0]) & EVENT_READ) != 0;
}

/* child_started - what master_spawn() does for a new child */
static void child_started(FIXTURE *fx, int n)
{
    fx->serv->total_proc++;
    master_avail_more(fx->serv, fx->procs + n);
}

/* test_idle_child_takes_clients - master listens only when nobody idles */
static void test_idle_child_takes_clients(void **state)
{
    FIXTURE *fx = *state;

    master_avail_listen(fx->serv);
    assert_true(watching(fx));
    child_started(fx, 0);
    assert_false(watching(fx));
    master_avail_less(fx->serv, fx->procs + 0);
    assert_true(watching(fx));
    master_avail_more(fx->serv, fx->procs + 0);
    assert_false(watching(fx));
    assert_string_equal(test_capture_text(), "");
}

/* test_process_limit - no listening at the limit; one warning */
static void test_process_limit(void **state)
{
    FIXTURE *fx = *state;

    master_avail_listen(fx->serv);
    child_started(fx, 0);
    master_avail_less(fx->serv, fx->procs + 0);
    child_started(fx, 1);
    assert_false(watching(fx));
    assert_string_equal(test_capture_text(), "");
    master_avail_less(fx->serv, fx->procs + 1);
    assert_false(watching(fx));
    assert_string_equal(test_capture_text(), BUSY_WARNING);

    /* A free process: listening again. */
    master_avail_more(fx->serv, fx->procs + 1);
    assert_false(watching(fx));
    fx->procs[1].avail = MASTER_STAT_TAKEN;
    fx->serv->avail_proc--;
    fx->serv->total_proc--;
    master_avail_listen(fx->serv);
    assert_true(watching(fx));

    /* At the limit again soon: no second warning. */
    child_started(fx, 2);
    master_avail_less(fx->serv, fx->procs + 2);
    assert_false(watching(fx));
    assert_string_equal(test_capture_text(), BUSY_WARNING);
}

/* test_single_process - a limit of 1 is no reason to warn */
static void test_single_process(void **state)
{
    FIXTURE *fx = *state;

    fx->serv->max_proc = 1;
    master_avail_listen(fx->serv);
    child_started(fx, 0);
    master_avail_less(fx->serv, fx->procs + 0);
    assert_false(watching(fx));
    assert_string_equal(test_capture_text(), "");
}

/* test_no_limit - a limit of 0 never stops listening */
static void test_no_limit(void **state)
{
    FIXTURE *fx = *state;
    int     n;

    fx->serv->max_proc = 0;
    master_avail_listen(fx->serv);
    for (n = 0; n < 4; n++) {
	child_started(fx, n);
	assert_false(watching(fx));
	master_avail_less(fx->serv, fx->procs + n);
	assert_true(watching(fx));
    }
    assert_string_equal(test_capture_text(), "");
}

/* test_throttle - no listening while throttled, resumed by the timer */
static void test_throttle(void **state)
{
    FIXTURE *fx = *state;
    time_t  deadline;

    master_avail_listen(fx->serv);
    master_throttle(fx->serv);
    assert_true(MASTER_THROTTLED(fx->serv));
    assert_false(watching(fx));

    /* Nothing that happens meanwhile makes master listen. */
    child_started(fx, 0);
    master_avail_less(fx->serv, fx->procs + 0);
    assert_false(watching(fx));
    fx->procs[0].avail = MASTER_STAT_TAKEN;
    fx->serv->total_proc = 0;
    master_avail_listen(fx->serv);
    assert_false(watching(fx));

    /* The throttle delay (1 second) ends it. */
    deadline = time(NULL) + 5;
    while (MASTER_THROTTLED(fx->serv) && time(NULL) < deadline)
	events_loop(1);
    assert_false(MASTER_THROTTLED(fx->serv));
    assert_true(watching(fx));

    /* master_unthrottle() ends a throttle early. */
    master_throttle(fx->serv);
    assert_false(watching(fx));
    master_unthrottle(fx->serv);
    assert_true(watching(fx));
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
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
