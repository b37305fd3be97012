/*
 * test_timed_wait - unit tests for timed_wait(3)
 */
#include "sys_defs.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "timed_wait.h"
#include "test_support.h"

/* now_ms - monotonic milliseconds */
static long long now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* child - a child that sleeps, then exits with a code */
static pid_t child(int sleep_ms, int code)
{
    pid_t   pid = fork();

    if (pid < 0)
	fail_msg("fork: %m");
    if (pid == 0) {
	usleep(sleep_ms * 1000);
	_exit(code);
    }
    return pid;
}

/* test_exits_in_time - the normal case */
static void test_exits_in_time(void **state)
{
    pid_t   pid = child(200, 5);
    int     status = 0;
    long long t0 = now_ms();

    (void) state;
    assert_int_equal(timed_wait(pid, &status, 0, 5), pid);
    assert_true(now_ms() - t0 < 2000);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 5);
    /* Already reaped. */
    assert_int_equal(timed_wait(pid, &status, 0, 1), -1);
    assert_int_equal(errno, ECHILD);
}

/* test_timeout - the limit passes first */
static void test_timeout(void **state)
{
    pid_t   pid = child(10000, 0);
    int     status = 0;
    long long t0 = now_ms();
    long long elapsed;

    (void) state;
    assert_int_equal(timed_wait_ms(pid, &status, 0, 300), -1);
    assert_int_equal(errno, ETIMEDOUT);
    elapsed = now_ms() - t0;
    assert_true(elapsed >= 290 && elapsed < 2000);
    kill(pid, SIGKILL);
    assert_int_equal(timed_wait(pid, &status, 0, 5), pid);
    assert_true(WIFSIGNALED(status));
}

static volatile sig_atomic_t ticks;

/* tick - SIGALRM handler */
static void tick(int sig)
{
    (void) sig;
    ticks++;
}

/* test_signals - interrupting signals do not end the wait */
static void test_signals(void **state)
{
    struct sigaction sa, old_sa;
    struct itimerval it, old_it;
    pid_t   pid;
    int     status = 0;

    (void) state;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = tick;			/* no SA_RESTART */
    sigemptyset(&sa.sa_mask);
    sigaction(SIGALRM, &sa, &old_sa);
    memset(&it, 0, sizeof(it));
    it.it_interval.tv_usec = 50000;
    it.it_value.tv_usec = 50000;
    setitimer(ITIMER_REAL, &it, &old_it);
    ticks = 0;
    pid = child(500, 6);
    assert_int_equal(timed_wait(pid, &status, 0, 5), pid);
    assert_int_equal(WEXITSTATUS(status), 6);
    assert_true(ticks >= 3);
    memset(&it, 0, sizeof(it));
    setitimer(ITIMER_REAL, &it, NULL);
    sigaction(SIGALRM, &old_sa, NULL);
}

/* test_stopped - WUNTRACED reports a stopped child */
static void test_stopped(void **state)
{
    pid_t   pid = child(10000, 0);
    int     status = 0;

    (void) state;
    kill(pid, SIGSTOP);
    assert_int_equal(timed_wait(pid, &status, WUNTRACED, 5), pid);
    assert_true(WIFSTOPPED(status));
    kill(pid, SIGKILL);
    assert_int_equal(timed_wait(pid, &status, 0, 5), pid);
    assert_true(WIFSIGNALED(status));
    assert_int_equal(WTERMSIG(status), SIGKILL);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_exits_in_time),
	cmocka_unit_test(test_timeout),
	cmocka_unit_test(test_signals),
	cmocka_unit_test(test_stopped),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
