/*
 * test_events - unit tests for events(3)
 *
 * DESCRIPTION
 *	Descriptors are socketpair()s; every loop call has a small bound,
 *	so a broken event loop fails the test instead of hanging it.
 */
#include "sys_defs.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>

#include "iostuff.h"
#include "events.h"
#include "test_support.h"

#define LOG_MAX	32

static struct {
    int     event;
    void   *context;
    int     which;			/* 1 = callback_one, 2 = ... */
} event_log[LOG_MAX];
static int event_count;

/* log_event - remember a callback */
static void log_event(int which, int event, void *context)
{
    if (event_count < LOG_MAX) {
	event_log[event_count].which = which;
	event_log[event_count].event = event;
	event_log[event_count].context = context;
    }
    event_count++;
}

/* callback_one - a plain callback */
static void callback_one(int event, void *context)
{
    log_event(1, event, context);
}

/* callback_two - another plain callback */
static void callback_two(int event, void *context)
{
    log_event(2, event, context);
}

/* reset_log - forget callbacks */
static void reset_log(void)
{
    memset(event_log, 0, sizeof(event_log));
    event_count = 0;
}

/* teardown - release the loop between tests */
static int teardown(void **state)
{
    (void) state;
    events_free();
    reset_log();
    return 0;
}

/* test_read_write - descriptor callbacks and the registry */
static void test_read_write(void **state)
{
    int     fds[2];
    int     ctx = 42;
    EVENTS_NOTIFY_FN fn;
    void   *context;
    char    buf[10];

    (void) state;
    assert_int_equal(duplex_pipe(fds), 0);
    events_enable_read(fds[0], callback_one, &ctx);
    assert_int_equal(events_fd_mask(fds[0]), EVENT_READ);
    assert_true(events_fd_lookup(fds[0], &fn, &context));
    assert_ptr_equal(fn, callback_one);
    assert_ptr_equal(context, &ctx);
    assert_false(events_fd_lookup(fds[1], &fn, &context));
    assert_int_equal(events_fd_mask(fds[1]), 0);
    assert_int_equal(events_fd_mask(100000), 0);

    events_loop(0);				/* nothing readable yet */
    assert_int_equal(event_count, 0);

    assert_int_equal(write(fds[1], "x", 1), 1);
    events_loop(2);
    assert_int_equal(event_count, 1);
    assert_int_equal(event_log[0].which, 1);
    assert_int_equal(event_log[0].event, EVENT_READ);
    assert_ptr_equal(event_log[0].context, &ctx);

    /* Persistent: still readable, called again. */
    events_loop(2);
    assert_int_equal(event_count, 2);
    assert_int_equal(read(fds[0], buf, sizeof(buf)), 1);
    events_loop(0);
    assert_int_equal(event_count, 2);

    /* Write interest with the same pair: both directions. */
    events_enable_write(fds[0], callback_one, &ctx);
    assert_int_equal(events_fd_mask(fds[0]), EVENT_READ | EVENT_WRITE);
    reset_log();
    events_loop(2);
    assert_int_equal(event_count, 1);
    assert_int_equal(event_log[0].event, EVENT_WRITE);

    /* Disabled: silence, even though writable. */
    events_disable_readwrite(fds[0]);
    assert_int_equal(events_fd_mask(fds[0]), 0);
    assert_false(events_fd_lookup(fds[0], &fn, &context));
    events_disable_readwrite(fds[0]);		/* harmless */
    events_disable_readwrite(fds[1]);		/* never enabled */
    reset_log();
    events_loop(0);
    assert_int_equal(event_count, 0);

    /* Re-enable with another callback. */
    events_enable_write(fds[0], callback_two, NULL);
    events_enable_write(fds[0], callback_two, NULL);	/* repeat: harmless */
    events_loop(2);
    assert_int_equal(event_count, 1);
    assert_int_equal(event_log[0].which, 2);
    events_disable_readwrite(fds[0]);
    close(fds[0]);
    close(fds[1]);
}

static int victim_fd = -1;

/* disabling_callback - disables another descriptor */
static void disabling_callback(int event, void *context)
{
    log_event(3, event, context);
    events_disable_readwrite(victim_fd);
}

/* test_disable_in_callback - a disabled descriptor gets no late call */
static void test_disable_in_callback(void **state)
{
    int     a[2];
    int     b[2];
    int     n;

    (void) state;
    assert_int_equal(duplex_pipe(a), 0);
    assert_int_equal(duplex_pipe(b), 0);
    assert_int_equal(write(a[1], "x", 1), 1);
    assert_int_equal(write(b[1], "x", 1), 1);
    /* Whichever runs first disables the other. */
    victim_fd = b[0];
    events_enable_read(a[0], disabling_callback, NULL);
    events_enable_read(b[0], callback_one, NULL);
    events_loop(2);
    if (event_count == 1) {
	assert_int_equal(event_log[0].which, 3);
    } else {
	/* b ran first, then a disabled b. */
	assert_int_equal(event_count, 2);
	assert_int_equal(event_log[0].which, 1);
	assert_int_equal(event_log[1].which, 3);
    }
    assert_int_equal(events_fd_mask(b[0]), 0);
    n = event_count;
    events_disable_readwrite(a[0]);
    events_loop(0);
    assert_int_equal(event_count, n);
    close(a[0]);
    close(a[1]);
    close(b[0]);
    close(b[1]);
}

/* test_next_due - the earliest pending timer */
static void test_next_due(void **state)
{
    int     ctx1;
    int     ctx2;
    time_t  near;
    time_t  far;

    (void) state;
    assert_int_equal(events_next_due(), -1);
    far = events_request_timer(callback_one, &ctx1, 100);
    assert_int_equal(events_next_due(), far);
    near = events_request_timer(callback_one, &ctx2, 10);
    assert_int_equal(events_next_due(), near);
    assert_true(events_cancel_timer(callback_one, &ctx2) >= 0);
    assert_int_equal(events_next_due(), far);
    assert_true(events_cancel_timer(callback_one, &ctx1) >= 0);
    assert_int_equal(events_next_due(), -1);
}

/* test_timers - request, move, cancel, lookup */
static void test_timers(void **state)
{
    int     ctx1;
    int     ctx2;
    time_t  when;
    time_t  now = time(NULL);

    (void) state;
    when = events_request_timer(callback_one, &ctx1, 0);
    assert_true(when >= now && when <= now + 1);
    assert_int_equal(events_timer_when(callback_one, &ctx1), when);
    assert_int_equal(events_timer_when(callback_one, &ctx2), -1);
    /* The same pair again: still one timer. */
    events_request_timer(callback_one, &ctx1, 0);
    events_request_timer(callback_one, &ctx2, 0);	/* other context */
    events_loop(2);
    assert_int_equal(event_count, 2);
    assert_int_equal(event_log[0].event, EVENT_TIME);
    assert_int_equal(event_log[1].event, EVENT_TIME);
    assert_true((event_log[0].context == &ctx1 && event_log[1].context == &ctx2)
	      || (event_log[0].context == &ctx2 && event_log[1].context == &ctx1));
    assert_int_equal(events_timer_when(callback_one, &ctx1), -1);

    /* Move a far timer to now. */
    reset_log();
    when = events_request_timer(callback_two, &ctx1, 100);
    assert_true(when >= now + 100);
    events_loop(0);
    assert_int_equal(event_count, 0);
    events_request_timer(callback_two, &ctx1, 0);
    events_loop(2);
    assert_int_equal(event_count, 1);
    assert_int_equal(event_log[0].which, 2);

    /* Cancel. */
    reset_log();
    events_request_timer(callback_one, &ctx2, 5);
    when = events_cancel_timer(callback_one, &ctx2);
    assert_true(when >= 4 && when <= 5);
    assert_int_equal(events_cancel_timer(callback_one, &ctx2), -1);
    assert_int_equal(events_cancel_timer(callback_two, NULL), -1);
    events_request_timer(callback_one, &ctx2, 0);
    assert_int_equal(events_cancel_timer(callback_one, &ctx2), 0);
    events_loop(0);
    assert_int_equal(event_count, 0);
}

static int rearm_count;

/* rearming_callback - requests itself again, three times */
static void rearming_callback(int event, void *context)
{
    log_event(4, event, context);
    if (++rearm_count < 3)
	events_request_timer(rearming_callback, context, 0);
}

/* test_rearm - a timer callback may request itself */
static void test_rearm(void **state)
{
    int     n;

    (void) state;
    rearm_count = 0;
    events_request_timer(rearming_callback, NULL, 0);
    for (n = 0; n < 10 && rearm_count < 3; n++)
	events_loop(1);
    assert_int_equal(rearm_count, 3);
    assert_int_equal(events_timer_when(rearming_callback, NULL), -1);
}

/* test_loop_bounds - waiting limits */
static void test_loop_bounds(void **state)
{
    struct timespec start;
    struct timespec end;
    long    ms;
    int     fds[2];

    (void) state;
    /* Nothing registered: -1 returns at once. */
    events_loop(-1);

    /* Something registered but idle: the bound ends the wait. */
    assert_int_equal(duplex_pipe(fds), 0);
    events_enable_read(fds[0], callback_one, NULL);
    clock_gettime(CLOCK_MONOTONIC, &start);
    events_loop(1);
    clock_gettime(CLOCK_MONOTONIC, &end);
    ms = (end.tv_sec - start.tv_sec) * 1000
	+ (end.tv_nsec - start.tv_nsec) / 1000000;
    assert_true(ms >= 900 && ms < 3000);
    assert_int_equal(event_count, 0);

    /* A timer ends an unbounded wait. */
    events_request_timer(callback_two, NULL, 1);
    events_loop(-1);
    assert_int_equal(event_count, 1);
    assert_int_equal(event_log[0].which, 2);

    /* The bound of one call does not cut the next one short. */
    reset_log();
    assert_int_equal(write(fds[1], "x", 1), 1);
    events_loop(5);				/* returns at once: readable */
    assert_int_equal(event_count, 1);
    events_disable_readwrite(fds[0]);
    events_request_timer(callback_two, NULL, 1);
    events_loop(-1);
    assert_int_equal(event_count, 2);
    assert_int_equal(event_log[1].which, 2);
    assert_true(labs(events_time() - time(NULL)) <= 1);
    close(fds[0]);
    close(fds[1]);
}

/* test_fork - the child's loop works after events_fork() */
static void test_fork(void **state)
{
    int     fds[2];
    pid_t   pid;
    int     status;

    (void) state;
    assert_int_equal(duplex_pipe(fds), 0);
    events_enable_read(fds[0], callback_one, NULL);
    if ((pid = fork()) == 0) {
	events_fork();
	if (write(fds[1], "x", 1) != 1)
	    _exit(2);
	events_loop(2);
	_exit(event_count == 1 ? 0 : 1);
    }
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    events_disable_readwrite(fds[0]);
    close(fds[0]);
    close(fds[1]);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test_teardown(test_read_write, teardown),
	cmocka_unit_test_teardown(test_disable_in_callback, teardown),
	cmocka_unit_test_teardown(test_timers, teardown),
	cmocka_unit_test_teardown(test_next_due, teardown),
	cmocka_unit_test_teardown(test_rearm, teardown),
	cmocka_unit_test_teardown(test_loop_bounds, teardown),
	cmocka_unit_test_teardown(test_fork, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
