/*
 * test_open_std_fds - unit tests for open_std_fds(3)
 */
#include "sys_defs.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "msg.h"
#include "open_std_fds.h"
#include "test_support.h"
#include "test_child.h"

/* reopen_closed - close stdin and stderr, then repair them */
static void reopen_closed(void *context)
{
    struct stat st;
    struct stat null_st;
    int     fd;

    (void) context;
    if (stat("/dev/null", &null_st) < 0)
	msg_fatal("stat /dev/null: %m");
    (void) close(0);
    (void) close(2);
    open_std_fds();
    for (fd = 0; fd < 3; fd += 2) {
	if (fstat(fd, &st) < 0)
	    msg_fatal("descriptor %d still closed", fd);
	if (st.st_rdev != null_st.st_rdev)
	    msg_fatal("descriptor %d is not /dev/null", fd);
    }
    /* The next open() must not get a standard descriptor. */
    if ((fd = open("/dev/null", O_RDONLY)) < 3)
	msg_fatal("open() returned standard descriptor %d", fd);
}

/* test_reopen - closed standard descriptors become /dev/null */
static void test_reopen(void **state)
{
    TEST_CHILD_RESULT result;

    (void) state;
    test_child_run(reopen_closed, NULL, 10000, &result);
    assert_string_equal(result.output, "");
    assert_true(test_child_exited(&result, 0));
    test_child_free(&result);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_reopen),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
