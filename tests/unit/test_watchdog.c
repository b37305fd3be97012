/*
 * test_watchdog - unit tests for watchdog(3)
 *
 * Each scenario runs in a forked child with a time limit, so a watchdog
 * that fires (or fails to) cannot take the test runner with it.
 */
#include "sys_defs.h"

#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "msg.h"
#include "watchdog.h"
#include "test_support.h"
#include "test_child.h"

/* now_ms - monotonic milliseconds */
static long long now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* nap_ms - sleep, resuming after signals */
static void nap_ms(int ms)
{
    long long end = now_ms() + ms;
    long long left;

    while ((left = end - now_ms()) > 0)
	usleep((useconds_t) left * 1000);
}

/* fire_child - an unpatted watchdog terminates the process */
static void fire_child(void *context)
{
    WATCHDOG *wp = watchdog_create(1, NULL, NULL);

    (void) context;
    watchdog_start(wp);
    nap_ms(10000);
    msg_info("not reached");
}

/* test_fire - the default action */
static void test_fire(void **state)
{
    TEST_CHILD_RESULT result;
    long long t0 = now_ms();
    long long elapsed;

    (void) state;
    test_child_run(fire_child, NULL, 8000, &result);
    elapsed = now_ms() - t0;
    assert_true(test_child_exited(&result, 1));
    assert_string_equal(result.output, "fatal: watchdog timeout\n");
    assert_true(elapsed >= 900 && elapsed < 3000);
    test_child_free(&result);
}

/* pat_child - patting keeps the watchdog quiet; stopping too */
static void pat_child(void *context)
{
    WATCHDOG *wp = watchdog_create(1, NULL, NULL);
    int     n;

    (void) context;
    watchdog_start(wp);
    for (n = 0; n < 8; n++) {
	nap_ms(300);
	watchdog_pat();
    }
    msg_info("patted");
    watchdog_stop(wp);
    nap_ms(1500);
    msg_info("stopped");
    watchdog_pat();				/* does not re-arm */
    nap_ms(1500);
    watchdog_start(wp);
    watchdog_start(wp);				/* restart is harmless */
    nap_ms(500);
    watchdog_destroy(wp);
    nap_ms(1000);
    msg_info("destroyed");
    /* The original SIGALRM disposition is back: alarm would kill us. */
    if (signal(SIGALRM, SIG_DFL) != SIG_DFL)
	msg_fatal("handler not restored");
}

/* test_pat - pat, stop, destroy */
static void test_pat(void **state)
{
    TEST_CHILD_RESULT result;

    (void) state;
    test_child_run(pat_child, NULL, 15000, &result);
    assert_string_equal(result.output, "patted\nstopped\ndestroyed\n");
    assert_true(test_child_exited(&result, 0));
    test_child_free(&result);
}

static volatile sig_atomic_t action_calls;

/* count_action - a watchdog action that stops after two calls */
static void count_action(WATCHDOG *wp, void *context)
{
    static const char text[] = "action\n";
    ssize_t ignored;

    (void) context;
    ignored = write(STDERR_FILENO, text, sizeof(text) - 1);
    (void) ignored;
    if (++action_calls >= 2)
	watchdog_stop(wp);
}

/* action_child - the action runs, re-arms, and can stop the watchdog */
static void action_child(void *context)
{
    WATCHDOG *wp = watchdog_create(1, count_action, NULL);

    (void) context;
    watchdog_start(wp);
    nap_ms(4000);
    msg_info("calls=%d", (int) action_calls);
    watchdog_destroy(wp);
}

/* test_action - a custom action */
static void test_action(void **state)
{
    TEST_CHILD_RESULT result;

    (void) state;
    test_child_run(action_child, NULL, 10000, &result);
    assert_string_equal(result.output, "action\naction\ncalls=2\n");
    assert_true(test_child_exited(&result, 0));
    test_child_free(&result);
}

/* hang_action - an action that never returns */
static void hang_action(WATCHDOG *wp, void *context)
{
    (void) wp;
    (void) context;
    for (;;)
	pause();
}

/* hang_child - a stuck action is cut short */
static void hang_child(void *context)
{
    WATCHDOG *wp = watchdog_create(1, hang_action, NULL);

    (void) context;
    watchdog_start(wp);
    nap_ms(10000);
}

/* test_hung_action - the last-resort exit */
static void test_hung_action(void **state)
{
    TEST_CHILD_RESULT result;
    long long t0 = now_ms();

    (void) state;
    test_child_run(hang_child, NULL, 8000, &result);
    assert_true(test_child_exited(&result, 1));
    assert_string_equal(result.output, "fatal: watchdog timeout\n");
    assert_true(now_ms() - t0 < 4000);
    test_child_free(&result);
}

/* nest_child - an inner watchdog suspends the outer one */
static void nest_child(void *context)
{
    WATCHDOG *outer = watchdog_create(2, NULL, NULL);
    WATCHDOG *inner;

    (void) context;
    watchdog_start(outer);
    nap_ms(500);
    inner = watchdog_create(5, NULL, NULL);
    watchdog_start(inner);
    nap_ms(2500);				/* outer would have fired */
    msg_info("inner ok");
    watchdog_destroy(inner);
    /* The outer one resumes with about 1.5 s left. */
    nap_ms(5000);
    msg_info("not reached");
}

/* test_nesting - create/destroy pairs nest */
static void test_nesting(void **state)
{
    TEST_CHILD_RESULT result;
    long long t0 = now_ms();
    long long elapsed;

    (void) state;
    test_child_run(nest_child, NULL, 12000, &result);
    elapsed = now_ms() - t0;
    assert_string_equal(result.output, "inner ok\nfatal: watchdog timeout\n");
    assert_true(test_child_exited(&result, 1));
    assert_true(elapsed >= 3500 && elapsed < 6500);
    test_child_free(&result);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_fire),
	cmocka_unit_test(test_pat),
	cmocka_unit_test(test_action),
	cmocka_unit_test(test_hung_action),
	cmocka_unit_test(test_nesting),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
