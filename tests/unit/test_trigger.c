/*
 * test_trigger - unit tests for trigger(3)
 *
 * DESCRIPTION
 *	Each trigger kind is sent to a server endpoint of the matching
 *	listen(3) kind in this process; the server then reads the bytes.
 */
#include "sys_defs.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "mymalloc.h"
#include "stringops.h"
#include "vstring.h"
#include "myaddrinfo.h"
#include "iostuff.h"
#include "sane_accept.h"
#include "listen.h"
#include "trigger.h"
#include "test_support.h"

static char *tempdir;

/* setup - temp directory */
static int setup(void **state)
{
    (void) state;
    signal(SIGPIPE, SIG_IGN);
    tempdir = test_tempdir();
    return 0;
}

/* teardown - remove the temp directory */
static int teardown(void **state)
{
    (void) state;
    test_remove_tree(tempdir);
    myfree(tempdir);
    return 0;
}

/* temp_path - file name in the temp directory (myfree) */
static char *temp_path(const char *name)
{
    return concatenate(tempdir, "/", name, (char *) 0);
}

/* read_all - read until end of file, expect text */
static void read_all(int fd, const char *expect)
{
    char    buf[100];
    size_t  got = 0;
    ssize_t n;

    while ((n = timed_read(fd, buf + got, sizeof(buf) - got, 2)) > 0)
	got += (size_t) n;
    assert_int_equal(n, 0);
    assert_int_equal(got, strlen(expect));
    assert_memory_equal(buf, expect, got);
}

/* accept_and_read - stream servers */
static void accept_and_read(int lfd, const char *expect)
{
    int     fd;

    assert_int_equal(read_wait(lfd, 2), 0);
    fd = sane_accept(lfd, NULL, NULL);
    assert_true(fd >= 0);
    read_all(fd, expect);
    close(fd);
}

/* test_unix_trigger - AF_UNIX stream */
static void test_unix_trigger(void **state)
{
    char   *path = temp_path("qmgr");
    int     lfd = unix_listen(path, 10, NON_BLOCKING, NULL);

    (void) state;
    assert_true(lfd >= 0);
    assert_int_equal(unix_trigger(path, "W", 1, 2), 0);
    accept_and_read(lfd, "W");
    assert_int_equal(unix_trigger(path, "ABC", 3, 0), 0);
    accept_and_read(lfd, "ABC");
    close(lfd);
    assert_int_equal(unix_trigger(path, "W", 1, 1), -1);
    assert_int_equal(errno, ECONNREFUSED);
    unlink(path);
    assert_int_equal(unix_trigger(path, "W", 1, 1), -1);
    assert_int_equal(errno, ENOENT);
    myfree(path);
}

/* test_inet_trigger - TCP on loopback */
static void test_inet_trigger(void **state)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof(ss);
    MAI_SERVPORT_STR port;
    char    where[100];
    int     lfd = inet_listen("127.0.0.1:0", 10, BLOCKING, NULL);

    (void) state;
    assert_true(lfd >= 0);
    assert_int_equal(getsockname(lfd, (struct sockaddr *) &ss, &len), 0);
    sockaddr_to_hostaddr((struct sockaddr *) &ss, len, NULL, &port, 0);
    snprintf(where, sizeof(where), "127.0.0.1:%s", port.buf);
    assert_int_equal(inet_trigger(where, "W", 1, 2), 0);
    accept_and_read(lfd, "W");
    close(lfd);
    assert_int_equal(inet_trigger(where, "W", 1, 2), -1);
    assert_int_equal(errno, ECONNREFUSED);
}

/* test_fifo_trigger - FIFO with and without reader */
static void test_fifo_trigger(void **state)
{
    char   *path = temp_path("pickup");
    char    buf[10];
    int     fd;

    (void) state;
    assert_int_equal(mkfifo(path, 0600), 0);
    assert_int_equal(fifo_trigger(path, "W", 1, 1), -1);
    assert_int_equal(errno, ENXIO);		/* nobody reads */
    fd = fifo_listen(path, 0600, NON_BLOCKING, NULL);
    assert_true(fd >= 0);
    assert_int_equal(fifo_trigger(path, "WW", 2, 1), 0);
    assert_int_equal(read_wait(fd, 2), 0);
    assert_int_equal(read(fd, buf, sizeof(buf)), 2);
    assert_memory_equal(buf, "WW", 2);
    close(fd);
    unlink(path);
    assert_int_equal(fifo_trigger(path, "W", 1, 1), -1);
    assert_int_equal(errno, ENOENT);
    myfree(path);
}

/* test_unix_dgram_trigger - one datagram */
static void test_unix_dgram_trigger(void **state)
{
    char   *path = temp_path("postlog");
    char    buf[10];
    int     fd = unix_dgram_listen(path, NON_BLOCKING, NULL);

    (void) state;
    assert_true(fd >= 0);
    assert_int_equal(unix_dgram_trigger(path, "W", 1, 2), 0);
    assert_int_equal(read_wait(fd, 2), 0);
    assert_int_equal(recv(fd, buf, sizeof(buf), 0), 1);
    assert_int_equal(buf[0], 'W');
    close(fd);
    assert_int_equal(unix_dgram_trigger(path, "W", 1, 2), -1);
    assert_int_equal(errno, ECONNREFUSED);
    myfree(path);
}

/* test_pass_trigger - bytes arrive on the passed descriptor */
static void test_pass_trigger(void **state)
{
    char   *path = temp_path("pass");
    int     lfd = pass_listen(path, 10, NON_BLOCKING, NULL);
    int     fd;

    (void) state;
    assert_true(lfd >= 0);
    assert_int_equal(pass_trigger(path, "W", 1, 2), 0);
    assert_int_equal(read_wait(lfd, 2), 0);
    fd = pass_accept(lfd, 2);
    assert_true(fd >= 0);
    read_all(fd, "W");				/* sender closed its end */
    close(fd);
    close(lfd);
    assert_int_equal(pass_trigger(path, "W", 1, 1), -1);
    assert_int_equal(errno, ECONNREFUSED);
    myfree(path);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_unix_trigger),
	cmocka_unit_test(test_inet_trigger),
	cmocka_unit_test(test_fifo_trigger),
	cmocka_unit_test(test_unix_dgram_trigger),
	cmocka_unit_test(test_pass_trigger),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
