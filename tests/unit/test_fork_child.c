/*
 * test_fork_child - unit tests for fork_child(3)
 *
 * The race that fork_child() closes is a signal that reaches the new
 * process before it has reset the handlers it inherited. A
 * pthread_atfork() child hook runs in exactly that window (right after
 * fork() returns in the child, before fork_child() goes on), so the
 * tests send the signal from there and look at how the child ends.
 */
#include "sys_defs.h"

#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fork_child.h"
#include "test_support.h"

static volatile sig_atomic_t test_caught;
static volatile int test_early_signal;	/* 0: none */

/* test_handler - the parent's handler (as libevent's would be) */
static void test_handler(int sig)
{
    test_caught = sig;
}

/* test_atfork_child - a signal in the window after fork() */
static void test_atfork_child(void)
{
    if (test_early_signal != 0)
	(void) kill(getpid(), test_early_signal);
}

/* test_catch - install test_handler for sig */
static void test_catch(int sig)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = test_handler;
    sigemptyset(&sa.sa_mask);
    assert_int_equal(sigaction(sig, &sa, (struct sigaction *) 0), 0);
}

/* test_child_status - fork_child() with an early signal; the wait status */
static int test_child_status(int early_signal)
{
    pid_t   pid;
    int     status;

    test_caught = 0;
    test_early_signal = early_signal;
    if ((pid = fork_child()) == 0) {
	/* Still alive: say whether the parent's handler ran here. */
	_exit(test_caught != 0 ? 10 : 0);
    }
    test_early_signal = 0;
    assert_true(pid > 0);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    return status;
}

/* test_early_sigterm - the child dies of it, as a fresh process would */
static void test_early_sigterm(void **state)
{
    int     status;

    (void) state;
    test_catch(SIGTERM);
    status = test_child_status(SIGTERM);
    assert_true(WIFSIGNALED(status));
    assert_int_equal(WTERMSIG(status), SIGTERM);
    /* The parent keeps its handler and its signal mask. */
    assert_int_equal(test_caught, 0);
    assert_int_equal(kill(getpid(), SIGTERM), 0);
    assert_int_equal(test_caught, SIGTERM);
    signal(SIGTERM, SIG_DFL);
}

/* test_ignored_stays_ignored - SIG_IGN survives, as across execve() */
static void test_ignored_stays_ignored(void **state)
{
    int     status;

    (void) state;
    signal(SIGUSR1, SIG_IGN);
    status = test_child_status(SIGUSR1);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    signal(SIGUSR1, SIG_DFL);
}

/* test_no_signal - without a signal the child simply runs */
static void test_no_signal(void **state)
{
    sigset_t mask;
    int     status;

    (void) state;
    test_catch(SIGUSR2);
    status = test_child_status(0);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    /* Nothing stays blocked in the parent. */
    assert_int_equal(sigprocmask(SIG_BLOCK, (sigset_t *) 0, &mask), 0);
    assert_false(sigismember(&mask, SIGTERM));
    assert_false(sigismember(&mask, SIGUSR2));
    signal(SIGUSR2, SIG_DFL);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_early_sigterm),
	cmocka_unit_test(test_ignored_stays_ignored),
	cmocka_unit_test(test_no_signal),
    };

    if (pthread_atfork(NULL, NULL, test_atfork_child) != 0)
	return 1;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
