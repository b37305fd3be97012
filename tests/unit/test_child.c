/*
 * test_child - run test code in a forked child process
 *
 * DESCRIPTION
 *	See test_child.h.
 */
#include "sys_defs.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "msg.h"
#include "mymalloc.h"
#include "vstring.h"
#include "test_support.h"
#include "test_child.h"

static int test_child_last_level = -1;

/* test_child_output - msg(3) output that writes to standard error */
static void test_child_output(int level, const char *text, void *context)
{
    const char *label = msg_level_label(level);
    ssize_t ignored;

    (void) context;
    test_child_last_level = level;
    if (*label) {
	ignored = write(STDERR_FILENO, label, strlen(label));
	ignored = write(STDERR_FILENO, ": ", 2);
    }
    ignored = write(STDERR_FILENO, text, strlen(text));
    ignored = write(STDERR_FILENO, "\n", 1);
    (void) ignored;
}

/*
 * test_child_cleanup - leave a child at msg_fatal() time without running
 * exit handlers: memory that a fatal error leaves allocated is not a
 * leak, and the leak checker must not turn it into a failure. Panics
 * still abort.
 */
static void test_child_cleanup(void)
{
    if (test_child_last_level != MSG_PANIC)
	_exit(1);
}

/* test_child_now_ms - monotonic milliseconds */
static long long test_child_now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* test_child_run - fork, run, collect */
void    test_child_run(void (*fn) (void *), void *context, int limit_ms,
		               TEST_CHILD_RESULT *result)
{
    VSTRING *out = vstring_alloc(256);
    long long deadline = test_child_now_ms() + limit_ms;
    struct pollfd pfd;
    char    buf[4096];
    int     fds[2];
    pid_t   pid;
    ssize_t n;
    long long left;

    memset(result, 0, sizeof(*result));
    if (pipe(fds) < 0)
	fail_msg("pipe: %m");
    if ((pid = fork()) < 0)
	fail_msg("fork: %m");
    if (pid == 0) {
	(void) close(fds[0]);
	if (dup2(fds[1], STDERR_FILENO) < 0)
	    _exit(99);
	(void) close(fds[1]);
	msg_output_clear();
	msg_output_add(test_child_output, NULL);
	(void) msg_cleanup(test_child_cleanup);
	fn(context);
	_exit(0);
    }
    (void) close(fds[1]);
    pfd.fd = fds[0];
    pfd.events = POLLIN;
    for (;;) {
	if ((left = deadline - test_child_now_ms()) <= 0) {
	    result->killed = true;
	    (void) kill(pid, SIGKILL);
	    break;
	}
	if (poll(&pfd, 1, (int) left) < 0) {
	    if (errno == EINTR)
		continue;
	    fail_msg("poll: %m");
	}
	if ((n = read(fds[0], buf, sizeof(buf))) < 0) {
	    if (errno == EINTR || errno == EAGAIN)
		continue;
	    fail_msg("read: %m");
	}
	if (n == 0)
	    break;
	vstring_memcat(out, buf, (size_t) n);
    }
    (void) close(fds[0]);

    /* Output closed: the child is exiting, or a grandchild holds the pipe. */
    while (waitpid(pid, &result->wait_status, WNOHANG) == 0) {
	if (test_child_now_ms() > deadline) {
	    result->killed = true;
	    (void) kill(pid, SIGKILL);
	    (void) waitpid(pid, &result->wait_status, 0);
	    break;
	}
	usleep(1000);
    }
    VSTRING_TERMINATE(out);
    result->output = vstring_export(out);
}

/* test_child_exited - did the child exit with this code? */
bool    test_child_exited(const TEST_CHILD_RESULT *result, int code)
{
    return !result->killed && WIFEXITED(result->wait_status)
	&& WEXITSTATUS(result->wait_status) == code;
}

/* test_child_free - release the output */
void    test_child_free(TEST_CHILD_RESULT *result)
{
    myfree(result->output);
    result->output = NULL;
}
