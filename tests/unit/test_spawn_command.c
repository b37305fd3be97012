/*
 * test_spawn_command - unit tests for spawn_command(3)
 */
#include "sys_defs.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "vstring.h"
#include "spawn_command.h"
#include "test_support.h"

/* read_all - read a pipe until EOF */
static const char *read_all(int fd, VSTRING *buf)
{
    char    chunk[512];
    ssize_t n;

    VSTRING_RESET(buf);
    while ((n = read(fd, chunk, sizeof(chunk))) > 0)
	vstring_memcat(buf, chunk, n);
    VSTRING_TERMINATE(buf);
    return vstring_str(buf);
}

/*
 * run_output - run a request with stdout (and stderr) to a pipe; return
 * the spawn_command() result; the output is in out.
 */
static bool run_output(SPAWN_COMMAND *req, SPAWN_STATUS *status,
		               VSTRING *why, VSTRING *out)
{
    int     fds[2];
    bool    ok;

    if (pipe(fds) < 0)
	fail_msg("pipe: %m");
    req->stdout_fd = fds[1];
    if (req->stderr_fd == -2)
	req->stderr_fd = fds[1];
    ok = spawn_command(req, status, why);
    close(fds[1]);
    read_all(fds[0], out);
    close(fds[0]);
    return ok;
}

/* test_exit_status - exit codes and signals */
static void test_exit_status(void **state)
{
    static const char *const exit3[] = {"/bin/sh", "-c", "exit 3", 0};
    SPAWN_COMMAND req;
    SPAWN_STATUS st;
    VSTRING *why = vstring_alloc(10);

    (void) state;
    spawn_command_init(&req);
    req.argv = exit3;
    assert_true(spawn_command(&req, &st, why));
    assert_true(st.exited);
    assert_int_equal(st.exit_code, 3);
    assert_false(st.signaled);
    assert_false(st.timed_out);
    assert_true(st.pid > 0);

    spawn_command_init(&req);
    req.command = "kill -TERM $$";
    assert_true(spawn_command(&req, &st, why));
    assert_false(st.exited);
    assert_true(st.signaled);
    assert_int_equal(st.signal, SIGTERM);

    spawn_command_init(&req);
    req.command = "true";
    assert_true(spawn_command(&req, NULL, why));
    vstring_free(why);
}

/* test_io - descriptors and the command string */
static void test_io(void **state)
{
    SPAWN_COMMAND req;
    SPAWN_STATUS st;
    VSTRING *why = vstring_alloc(10);
    VSTRING *out = vstring_alloc(10);
    int     in[2];

    (void) state;
    /* Shell syntax, both output streams to one pipe. */
    spawn_command_init(&req);
    req.command = "echo out; echo err >&2";
    req.stderr_fd = -2;
    assert_true(run_output(&req, &st, why, out));
    assert_string_equal(vstring_str(out), "out\nerr\n");

    /* Standard input from a pipe, simple command without a shell. */
    assert_int_equal(pipe(in), 0);
    assert_int_equal(write(in[1], "line one\nline two\n", 18), 18);
    close(in[1]);
    spawn_command_init(&req);
    req.command = "cat";
    req.stdin_fd = in[0];
    assert_true(run_output(&req, &st, why, out));
    close(in[0]);
    assert_string_equal(vstring_str(out), "line one\nline two\n");
    assert_true(st.exited);
    assert_int_equal(st.exit_code, 0);
    vstring_free(why);
    vstring_free(out);
}

/* test_environment - export list and settings */
static void test_environment(void **state)
{
    static const char *const env_argv[] = {"/usr/bin/env", 0};
    static const char *const export_list[] = {"KEEP", "SET=x", 0};
    static const char *const env[] = {"ADDED=y", "SET=z", 0};
    SPAWN_COMMAND req;
    SPAWN_STATUS st;
    VSTRING *why = vstring_alloc(10);
    VSTRING *out = vstring_alloc(10);

    (void) state;
    setenv("KEEP", "1", 1);
    setenv("DROP", "2", 1);
    spawn_command_init(&req);
    req.argv = env_argv;
    req.export_list = export_list;
    req.env = env;
    assert_true(run_output(&req, &st, why, out));
    assert_string_equal(vstring_str(out), "KEEP=1\nSET=z\nADDED=y\n");

    /* Without an export list, the environment is inherited. */
    spawn_command_init(&req);
    req.command = "echo $DROP$KEEP";
    assert_true(run_output(&req, &st, why, out));
    assert_string_equal(vstring_str(out), "21\n");
    /* The parent's environment is not touched. */
    assert_string_equal(getenv("DROP"), "2");
    unsetenv("KEEP");
    unsetenv("DROP");
    vstring_free(why);
    vstring_free(out);
}

/* test_failures - the child's setup or exec fails */
static void test_failures(void **state)
{
    static const char *const missing[] = {"/nonexistent/prog", "x", 0};
    SPAWN_COMMAND req;
    SPAWN_STATUS st;
    VSTRING *why = vstring_alloc(10);
    VSTRING *expect = vstring_alloc(10);

    (void) state;
    spawn_command_init(&req);
    req.argv = missing;
    assert_false(spawn_command(&req, &st, why));
    assert_string_equal(vstring_str(why),
			"execvp /nonexistent/prog: No such file or directory");
    assert_true(st.exited);
    assert_int_equal(st.exit_code, 127);

    spawn_command_init(&req);
    req.command = "   ";
    assert_false(spawn_command(&req, &st, why));
    assert_string_equal(vstring_str(why), "empty command");

    /* Root as a target is refused. */
    spawn_command_init(&req);
    req.command = "true";
    req.uid = 0;
    assert_false(spawn_command(&req, &st, why));
    assert_string_equal(vstring_str(why), "refusing to switch to user id 0");

    /* A bad descriptor. */
    spawn_command_init(&req);
    req.command = "true";
    req.stdin_fd = 1000;
    assert_false(spawn_command(&req, &st, why));
    assert_string_equal(vstring_str(why),
			"dup descriptor 1000: Bad file descriptor");

    if (geteuid() != 0) {
	spawn_command_init(&req);
	req.command = "true";
	req.uid = getuid() == 1 ? 2 : 1;
	assert_false(spawn_command(&req, &st, why));
	vstring_sprintf(expect, "setuid(%ld): Operation not permitted",
			(long) req.uid);
	assert_string_equal(vstring_str(why), vstring_str(expect));
    }
    vstring_free(why);
    vstring_free(expect);
}

/* test_uid - a real switch to nobody (root only) */
static void test_uid(void **state)
{
    SPAWN_COMMAND req;
    SPAWN_STATUS st;
    VSTRING *why;
    VSTRING *out;

    (void) state;
    if (geteuid() != 0)
	skip();
    why = vstring_alloc(10);
    out = vstring_alloc(10);
    spawn_command_init(&req);
    req.command = "echo $(id -u) $(id -g) $(id -G)";
    req.uid = 65534;
    req.gid = 65534;
    assert_true(run_output(&req, &st, why, out));
    assert_string_equal(vstring_str(out), "65534 65534 65534\n");
    vstring_free(why);
    vstring_free(out);
}

/* test_time_limit - the whole process group is killed */
static void test_time_limit(void **state)
{
    SPAWN_COMMAND req;
    SPAWN_STATUS st;
    VSTRING *why = vstring_alloc(10);
    VSTRING *out = vstring_alloc(10);
    struct timespec t0, t1;
    long    elapsed_ms;
    pid_t   background;
    int     n;

    (void) state;
    spawn_command_init(&req);
    req.command = "sleep 30 & echo $!; wait";
    req.time_limit = 1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_true(run_output(&req, &st, why, out));
    clock_gettime(CLOCK_MONOTONIC, &t1);
    elapsed_ms = (t1.tv_sec - t0.tv_sec) * 1000
	+ (t1.tv_nsec - t0.tv_nsec) / 1000000;
    assert_true(elapsed_ms >= 900 && elapsed_ms < 5000);
    assert_true(st.timed_out);
    assert_true(st.signaled);
    assert_int_equal(st.signal, SIGKILL);

    /* The background sleep died with the group (allow time for reaping). */
    background = (pid_t) atol(vstring_str(out));
    assert_true(background > 1);
    for (n = 0; n < 200 && kill(background, 0) == 0; n++)
	usleep(10000);
    assert_int_equal(kill(background, 0), -1);
    assert_int_equal(errno, ESRCH);

    /* A quick command is not affected by the limit. */
    spawn_command_init(&req);
    req.command = "exit 4;";
    req.time_limit = 10;
    if (!spawn_command(&req, &st, why))
	fail_msg("spawn_command: %s", vstring_str(why));
    assert_false(st.timed_out);
    assert_int_equal(st.exit_code, 4);
    vstring_free(why);
    vstring_free(out);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_exit_status),
	cmocka_unit_test(test_io),
	cmocka_unit_test(test_environment),
	cmocka_unit_test(test_failures),
	cmocka_unit_test(test_uid),
	cmocka_unit_test(test_time_limit),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
