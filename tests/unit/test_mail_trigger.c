/*
 * test_mail_trigger - unit tests for mail_trigger(3) and mail_endpoint(3)
 *
 * DESCRIPTION
 *	A temporary queue directory has public/qmgr as a FIFO, a socket,
 *	a plain file or nothing; the test is the service and reads what
 *	the trigger sent. $trigger_timeout is 1 second.
 */
#include "sys_defs.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "iostuff.h"
#include "vstring.h"
#include "listen.h"
#include "sane_accept.h"
#include "mail_params.h"
#include "mail_endpoint.h"
#include "mail_trigger.h"
#include "test_params.h"
#include "test_support.h"
#include "test_service.h"

static char *queue_dir;
static char *qmgr_path;

/* setup - a queue directory with public/ */
static int setup(void **state)
{
    (void) state;
    qmgr_path = test_service_dir("public", "qmgr", &queue_dir);
    test_set_param("queue_directory", queue_dir);
    test_set_param("trigger_timeout", "1s");
    return 0;
}

/* teardown - remove it all */
static int teardown(void **state)
{
    (void) state;
    test_capture_stop();
    test_remove_tree(queue_dir);
    myfree(queue_dir);
    myfree(qmgr_path);
    return 0;
}

/* read_exactly - the bytes that the service got */
static void read_exactly(int fd, const char *expect, size_t len)
{
    char    buf[16];

    assert_int_equal(timed_read(fd, buf, sizeof(buf), 2), len);
    assert_memory_equal(buf, expect, len);
}

/* test_fifo - a FIFO endpoint, with and without a reader */
static void test_fifo(void **state)
{
    VSTRING *expect = vstring_alloc(10);
    char   *big;
    int     fd;
    time_t  start;

    (void) state;
    if (mkfifo(qmgr_path, 0622) < 0)
	fail_msg("mkfifo: %m");
    /* Nobody reads: fails at once. */
    test_capture_start();
    assert_int_equal(mail_trigger("public", "qmgr", "W", 1), -1);
    vstring_sprintf(expect, "warning: unable to trigger %s: "
		    "No such device or address\n", qmgr_path);
    assert_string_equal(test_capture_text(), vstring_str(expect));
    test_capture_stop();

    if ((fd = open(qmgr_path, O_RDONLY | O_NONBLOCK)) < 0)
	fail_msg("open %s: %m", qmgr_path);
    assert_int_equal(mail_trigger("public", "qmgr", "W", 1), 0);
    read_exactly(fd, "W", 1);
    assert_int_equal(mail_trigger("public", "qmgr", "AI", 2), 0);
    read_exactly(fd, "AI", 2);

    /* A reader that does not read: the trigger gives up in time. */
    big = mymalloc(1 << 20);
    memset(big, 'x', 1 << 20);
    {
	int     wfd = open(qmgr_path, O_WRONLY | O_NONBLOCK);

	if (wfd < 0)
	    fail_msg("open %s: %m", qmgr_path);
	while (write(wfd, big, 1 << 20) > 0)
	     /* fill the pipe */ ;
	close(wfd);
    }
    test_capture_start();
    start = time(NULL);
    assert_int_equal(mail_trigger("public", "qmgr", "W", 1), -1);
    assert_true(time(NULL) - start <= 3);
    vstring_sprintf(expect, "warning: unable to trigger %s: ", qmgr_path);
    assert_non_null(strstr(test_capture_text(), vstring_str(expect)));
    close(fd);
    myfree(big);
    vstring_free(expect);
}

/* test_socket - a socket endpoint, with and without a listener */
static void test_socket(void **state)
{
    VSTRING *why = vstring_alloc(10);
    VSTRING *expect = vstring_alloc(10);
    int     lfd;
    int     fd;

    (void) state;
    if ((lfd = unix_listen(qmgr_path, 5, BLOCKING, why)) < 0)
	fail_msg("listen: %s", vstring_str(why));
    assert_int_equal(mail_trigger("public", "qmgr", "W", 1), 0);
    assert_int_equal(read_wait(lfd, 2), 0);
    if ((fd = sane_accept(lfd, NULL, NULL)) < 0)
	fail_msg("accept: %m");
    read_exactly(fd, "W", 1);
    close(fd);
    /* The socket file stays, but nobody listens. */
    close(lfd);
    test_capture_start();
    assert_int_equal(mail_trigger("public", "qmgr", "W", 1), -1);
    vstring_sprintf(expect, "warning: unable to trigger %s: "
		    "Connection refused\n", qmgr_path);
    assert_string_equal(test_capture_text(), vstring_str(expect));
    test_capture_stop();

    /* A caller that reports itself (postkick): no warning; verbose info. */
    test_capture_start();
    assert_int_equal(mail_trigger_flags("public", "qmgr", "W", 1,
					MAIL_TRIGGER_FLAG_CALLER_REPORTS), -1);
    assert_string_equal(test_capture_text(), "");
    test_capture_stop();
    test_capture_start();
    msg_verbose = 1;
    assert_int_equal(mail_trigger_flags("public", "qmgr", "W", 1,
					MAIL_TRIGGER_FLAG_CALLER_REPORTS), -1);
    msg_verbose = 0;
    vstring_sprintf(expect, "trigger %s: Connection refused\n", qmgr_path);
    assert_non_null(strstr(test_capture_text(), vstring_str(expect)));
    assert_null(strstr(test_capture_text(), "warning"));
    vstring_free(why);
    vstring_free(expect);
}

/* test_not_there - no endpoint, or a plain file */
static void test_not_there(void **state)
{
    VSTRING *expect = vstring_alloc(10);

    (void) state;
    test_capture_start();
    assert_int_equal(mail_trigger("public", "qmgr", "W", 1), -1);
    vstring_sprintf(expect, "warning: unable to look up %s: "
		    "No such file or directory\n", qmgr_path);
    assert_string_equal(test_capture_text(), vstring_str(expect));
    test_capture_stop();
    test_write_file(qmgr_path, "");
    test_capture_start();
    assert_int_equal(mail_trigger("public", "qmgr", "W", 1), -1);
    vstring_sprintf(expect, "warning: %s is not a socket or a fifo\n",
		    qmgr_path);
    assert_string_equal(test_capture_text(), vstring_str(expect));
    test_capture_stop();
    /* Look-up problems are warned about also for postkick. */
    test_capture_start();
    assert_int_equal(mail_trigger_flags("public", "qmgr", "W", 1,
					MAIL_TRIGGER_FLAG_CALLER_REPORTS), -1);
    assert_string_equal(test_capture_text(), vstring_str(expect));
    vstring_free(expect);
}

/* test_endpoint_path - relative endpoints and the current directory */
static void test_endpoint_path(void **state)
{
    char   *cwd = getcwd(NULL, 0);
    char   *path;
    char   *expect = concatenate(queue_dir, "/public/cleanup", (char *) 0);

    (void) state;
    path = mail_endpoint_path("/abs/olute");
    assert_string_equal(path, "/abs/olute");
    myfree(path);
    /* Elsewhere: under $queue_directory. */
    path = mail_endpoint_path("public/cleanup");
    assert_string_equal(path, expect);
    myfree(path);
    /* In the queue directory (a daemon): as it is. */
    if (chdir(queue_dir) < 0)
	fail_msg("chdir: %m");
    path = mail_endpoint_path("public/cleanup");
    assert_string_equal(path, "public/cleanup");
    myfree(path);
    /* A trigger from there works too. */
    if (mkfifo(qmgr_path, 0622) < 0)
	fail_msg("mkfifo: %m");
    {
	int     fd = open(qmgr_path, O_RDONLY | O_NONBLOCK);

	assert_int_equal(mail_trigger("public", "qmgr", "W", 1), 0);
	read_exactly(fd, "W", 1);
	close(fd);
    }
    /* $queue_directory not visible (chroot): as it is. */
    test_set_param("queue_directory", "/nonexistent/queue");
    path = mail_endpoint_path("public/cleanup");
    assert_string_equal(path, "public/cleanup");
    myfree(path);
    if (chdir(cwd) < 0)
	fail_msg("chdir: %m");
    free(cwd);
    myfree(expect);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test_setup_teardown(test_fifo, setup, teardown),
	cmocka_unit_test_setup_teardown(test_socket, setup, teardown),
	cmocka_unit_test_setup_teardown(test_not_there, setup, teardown),
	cmocka_unit_test_setup_teardown(test_endpoint_path, setup, teardown),
    };

    signal(SIGPIPE, SIG_IGN);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
