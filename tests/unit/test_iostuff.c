/*
 * test_iostuff - unit tests for iostuff(3), unix_send_fd(), unix_recv_fd()
 *
 * DESCRIPTION
 *	Everything runs over socketpair()s and pipes. The few tests that
 *	wait for a timeout use one second.
 */
#include "sys_defs.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>

#include "mymalloc.h"
#include "iostuff.h"
#include "test_support.h"

/* elapsed_ms - milliseconds since start */
static long elapsed_ms(const struct timespec *start)
{
    struct timespec now;

    clock_gettime(CLOCK_MONOTONIC, &now);
    return (now.tv_sec - start->tv_sec) * 1000
	+ (now.tv_nsec - start->tv_nsec) / 1000000;
}

/* test_modes - non_blocking and close_on_exec report the old mode */
static void test_modes(void **state)
{
    int     fds[2];

    (void) state;
    assert_int_equal(pipe(fds), 0);
    assert_int_equal(non_blocking(fds[0], NON_BLOCKING), BLOCKING);
    assert_true(fcntl(fds[0], F_GETFL) & O_NONBLOCK);
    assert_int_equal(non_blocking(fds[0], NON_BLOCKING), NON_BLOCKING);
    assert_int_equal(non_blocking(fds[0], BLOCKING), NON_BLOCKING);
    assert_false(fcntl(fds[0], F_GETFL) & O_NONBLOCK);
    assert_int_equal(close_on_exec(fds[1], CLOSE_ON_EXEC), PASS_ON_EXEC);
    assert_true(fcntl(fds[1], F_GETFD) & FD_CLOEXEC);
    assert_int_equal(close_on_exec(fds[1], PASS_ON_EXEC), CLOSE_ON_EXEC);
    assert_false(fcntl(fds[1], F_GETFD) & FD_CLOEXEC);
    close(fds[0]);
    close(fds[1]);
    assert_int_equal(non_blocking(fds[0], BLOCKING), -1);
    assert_int_equal(errno, EBADF);
    assert_int_equal(close_on_exec(fds[0], CLOSE_ON_EXEC), -1);
}

/* test_duplex_pipe_and_waits - both directions, readiness */
static void test_duplex_pipe_and_waits(void **state)
{
    int     fds[2];
    char    buf[10];

    (void) state;
    assert_int_equal(duplex_pipe(fds), 0);
    assert_true(fcntl(fds[0], F_GETFD) & FD_CLOEXEC);
    assert_true(fcntl(fds[1], F_GETFD) & FD_CLOEXEC);
    assert_false(readable(fds[0]));
    assert_true(writable(fds[0]));
    assert_int_equal(read_wait(fds[0], 0), -1);
    assert_int_equal(errno, ETIMEDOUT);
    assert_int_equal(write_wait(fds[1], 0), 0);

    assert_int_equal(write(fds[1], "hello", 5), 5);
    assert_true(readable(fds[0]));
    assert_int_equal(read_wait(fds[0], -1), 0);
    assert_int_equal(peekfd(fds[0]), 5);
    assert_int_equal(timed_read(fds[0], buf, sizeof(buf), 1), 5);
    assert_memory_equal(buf, "hello", 5);
    assert_int_equal(peekfd(fds[0]), 0);

    assert_int_equal(timed_write(fds[0], "back", 4, 1), 4);
    assert_int_equal(timed_read(fds[1], buf, sizeof(buf), 0), 4);
    assert_memory_equal(buf, "back", 4);

    /* A closed peer counts as readable; read() then sees end of file. */
    close(fds[1]);
    assert_true(readable(fds[0]));
    assert_int_equal(timed_read(fds[0], buf, sizeof(buf), 1), 0);
    close(fds[0]);
    assert_int_equal(peekfd(fds[0]), -1);
    assert_int_equal(read_wait(fds[0], 0), -1);
    assert_int_equal(errno, EBADF);
}

/* test_timeouts - waits end on time */
static void test_timeouts(void **state)
{
    struct timespec start;
    int     fds[2];
    char    buf[10];
    long    ms;

    (void) state;
    assert_int_equal(duplex_pipe(fds), 0);
    clock_gettime(CLOCK_MONOTONIC, &start);
    assert_int_equal(timed_read(fds[0], buf, sizeof(buf), 1), -1);
    assert_int_equal(errno, ETIMEDOUT);
    ms = elapsed_ms(&start);
    assert_true(ms >= 990 && ms < 3000);

    /* Non-blocking descriptor, no time limit: EAGAIN at once. */
    non_blocking(fds[0], NON_BLOCKING);
    assert_int_equal(timed_read(fds[0], buf, sizeof(buf), 0), -1);
    assert_true(errno == EAGAIN || errno == EWOULDBLOCK);
    close(fds[0]);
    close(fds[1]);
}

static volatile sig_atomic_t alarms;

/* on_alarm - count signals */
static void on_alarm(int sig)
{
    (void) sig;
    alarms++;
}

/* test_signals_do_not_shorten - EINTR is retried against the deadline */
static void test_signals_do_not_shorten(void **state)
{
    struct sigaction sa;
    struct sigaction old;
    struct itimerval it;
    struct timespec start;
    int     fds[2];
    long    ms;

    (void) state;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_alarm;		/* no SA_RESTART */
    sigemptyset(&sa.sa_mask);
    assert_int_equal(sigaction(SIGALRM, &sa, &old), 0);
    memset(&it, 0, sizeof(it));
    it.it_value.tv_usec = 200000;
    it.it_interval.tv_usec = 200000;
    assert_int_equal(duplex_pipe(fds), 0);
    alarms = 0;
    clock_gettime(CLOCK_MONOTONIC, &start);
    assert_int_equal(setitimer(ITIMER_REAL, &it, NULL), 0);
    assert_int_equal(read_wait(fds[0], 1), -1);
    assert_int_equal(errno, ETIMEDOUT);
    ms = elapsed_ms(&start);
    memset(&it, 0, sizeof(it));
    setitimer(ITIMER_REAL, &it, NULL);
    sigaction(SIGALRM, &old, NULL);
    assert_true(alarms >= 2);
    assert_true(ms >= 990 && ms < 3000);
    close(fds[0]);
    close(fds[1]);
}

/* test_write_buf - everything arrives; a stuck reader times out */
static void test_write_buf(void **state)
{
    size_t  len = 4 * 1024 * 1024;
    char   *big = mymalloc(len);
    char    buf[65536];
    int     fds[2];
    pid_t   pid;
    int     status;
    size_t  n;

    (void) state;
    for (n = 0; n < len; n++)
	big[n] = (char) (n % 251);
    signal(SIGPIPE, SIG_IGN);

    /* A child reads everything and checks it. */
    assert_int_equal(duplex_pipe(fds), 0);
    if ((pid = fork()) == 0) {
	size_t  got = 0;
	ssize_t r;

	close(fds[1]);
	while ((r = timed_read(fds[0], buf, sizeof(buf), 10)) > 0) {
	    for (n = 0; n < (size_t) r; n++)
		if (buf[n] != (char) ((got + n) % 251))
		    _exit(2);
	    got += (size_t) r;
	}
	_exit(got == len ? 0 : 1);
    }
    close(fds[0]);
    non_blocking(fds[1], NON_BLOCKING);		/* EAGAIN must be handled */
    assert_int_equal(write_buf(fds[1], big, len, 10), (ssize_t) len);
    close(fds[1]);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);

    /* Nobody reads: the time limit applies to the whole write. */
    assert_int_equal(duplex_pipe(fds), 0);
    assert_int_equal(write_buf(fds[1], big, len, 1), -1);
    assert_int_equal(errno, ETIMEDOUT);

    /* A pipe (not a socket) without reader: same, and stays blocking. */
    {
	int     p[2];

	assert_int_equal(pipe(p), 0);
	assert_int_equal(write_buf(p[1], big, len, 1), -1);
	assert_int_equal(errno, ETIMEDOUT);
	assert_false(fcntl(p[1], F_GETFL) & O_NONBLOCK);
	assert_true(timed_read(p[0], buf, sizeof(buf), 1) > 0);
	assert_false(fcntl(p[0], F_GETFL) & O_NONBLOCK);
	close(p[0]);
	close(p[1]);
    }

    /* The reader went away. */
    close(fds[0]);
    assert_int_equal(write_buf(fds[1], "x", 1, 1), -1);
    assert_int_equal(errno, EPIPE);
    close(fds[1]);
    myfree(big);
}

/* test_fd_passing - SCM_RIGHTS round trip and failure modes */
static void test_fd_passing(void **state)
{
    int     chan[2];
    int     pipefd[2];
    int     got;
    char    buf[10];

    (void) state;
    assert_int_equal(duplex_pipe(chan), 0);
    assert_int_equal(pipe(pipefd), 0);
    assert_int_equal(unix_send_fd(chan[0], pipefd[0]), 0);
    close(pipefd[0]);
    got = unix_recv_fd(chan[1]);
    assert_true(got >= 0);
    assert_true(fcntl(got, F_GETFD) & FD_CLOEXEC);
    assert_int_equal(write(pipefd[1], "abc", 3), 3);
    assert_int_equal(read(got, buf, sizeof(buf)), 3);
    assert_memory_equal(buf, "abc", 3);
    close(got);
    close(pipefd[1]);

    /* Extra descriptors from a confused peer are closed. */
    {
	union {
	    struct cmsghdr align;
	    char    buf[CMSG_SPACE(2 * sizeof(int))];
	}       control;
	struct msghdr msg;
	struct cmsghdr *cmsg;
	struct iovec iov;
	int     two[2];
	int     p[2];
	char    byte = 'x';

	assert_int_equal(pipe(p), 0);
	two[0] = p[0];
	two[1] = p[1];
	memset(&msg, 0, sizeof(msg));
	memset(&control, 0, sizeof(control));
	iov.iov_base = &byte;
	iov.iov_len = 1;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = control.buf;
	msg.msg_controllen = sizeof(control.buf);
	cmsg = CMSG_FIRSTHDR(&msg);
	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	cmsg->cmsg_len = CMSG_LEN(sizeof(two));
	memcpy(CMSG_DATA(cmsg), two, sizeof(two));
	assert_int_equal(sendmsg(chan[0], &msg, 0), 1);
	close(p[0]);
	got = unix_recv_fd(chan[1]);
	assert_true(got >= 0);
	/* Only our p[1] is left open on the write side: reader sees EOF. */
	close(p[1]);
	assert_int_equal(timed_read(got, buf, sizeof(buf), 2), 0);
	close(got);
    }

    /* Plain data without a descriptor. */
    assert_int_equal(write(chan[0], "x", 1), 1);
    assert_int_equal(unix_recv_fd(chan[1]), -1);
    assert_int_equal(errno, EBADMSG);

    /* Sending a bad descriptor fails on the sender side. */
    assert_int_equal(unix_send_fd(chan[0], 12345), -1);
    assert_int_equal(errno, EBADF);

    /* End of file. */
    close(chan[0]);
    assert_int_equal(unix_recv_fd(chan[1]), -1);
    assert_int_equal(errno, ECONNRESET);
    close(chan[1]);

    /* Not a socket. */
    assert_int_equal(pipe(pipefd), 0);
    assert_int_equal(unix_send_fd(pipefd[1], pipefd[0]), -1);
    assert_int_equal(errno, ENOTSOCK);
    close(pipefd[0]);
    close(pipefd[1]);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_modes),
	cmocka_unit_test(test_duplex_pipe_and_waits),
	cmocka_unit_test(test_timeouts),
	cmocka_unit_test(test_signals_do_not_shorten),
	cmocka_unit_test(test_write_buf),
	cmocka_unit_test(test_fd_passing),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
