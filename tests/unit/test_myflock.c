/*
 * test_myflock - unit tests for myflock(3)
 *
 * fcntl() locks belong to the process, so conflicts are tested from a
 * forked child; flock() locks belong to the open file description, so
 * two opens in one process conflict as well.
 */
#include "sys_defs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "myflock.h"
#include "test_support.h"
#include "test_child.h"

static char *dir;
static char *path;

typedef struct {
    int     style;
    int     operation;
    int     expect;			/* result in the child */
} PROBE;

/* probe_child - try a lock in a child process; exit 0 if as expected */
static void probe_child(void *context)
{
    PROBE  *probe = context;
    int     fd = open(path, O_RDWR);
    int     status;

    if (fd < 0)
	msg_fatal("open %s: %m", path);
    status = myflock(fd, probe->style, probe->operation);
    if (status != probe->expect)
	msg_fatal("myflock: got %d, want %d (%m)", status, probe->expect);
    if (status == MYFLOCK_BUSY && errno != EAGAIN)
	msg_fatal("myflock: busy with errno %d", errno);
}

/* probe - run a probe and check that the child agreed */
static void probe(int style, int operation, int expect)
{
    PROBE   p = {style, operation, expect};
    TEST_CHILD_RESULT result;

    test_child_run(probe_child, &p, 10000, &result);
    if (!test_child_exited(&result, 0))
	fail_msg("probe style %d op %d: %s", style, operation, result.output);
    test_child_free(&result);
}

/* setup - a file to lock */
static int setup(void **state)
{
    (void) state;
    dir = test_tempdir();
    path = concatenate(dir, "/lockme", (char *) 0);
    test_write_file(path, "x");
    return 0;
}

/* teardown - remove the file */
static int teardown(void **state)
{
    (void) state;
    unlink(path);
    rmdir(dir);
    myfree(path);
    myfree(dir);
    return 0;
}

/* test_styles - shared, exclusive and unlock, both styles */
static void test_styles(void **state)
{
    static const int styles[] = {MYFLOCK_STYLE_FCNTL, MYFLOCK_STYLE_FLOCK};
    size_t  n;
    int     fd;
    int     style;

    (void) state;
    for (n = 0; n < ARRAY_LEN(styles); n++) {
	style = styles[n];
	fd = open(path, O_RDWR);
	assert_true(fd >= 0);

	/* Exclusive lock: others can get neither kind. */
	assert_int_equal(myflock(fd, style, MYFLOCK_OP_EXCLUSIVE), MYFLOCK_OK);
	probe(style, MYFLOCK_OP_EXCLUSIVE | MYFLOCK_OP_NOWAIT, MYFLOCK_BUSY);
	probe(style, MYFLOCK_OP_SHARED | MYFLOCK_OP_NOWAIT, MYFLOCK_BUSY);

	/* Shared lock: others can share, not take it exclusively. */
	assert_int_equal(myflock(fd, style, MYFLOCK_OP_SHARED), MYFLOCK_OK);
	probe(style, MYFLOCK_OP_SHARED | MYFLOCK_OP_NOWAIT, MYFLOCK_OK);
	probe(style, MYFLOCK_OP_EXCLUSIVE | MYFLOCK_OP_NOWAIT, MYFLOCK_BUSY);

	/* Unlocked: anything goes, including a waiting lock. */
	assert_int_equal(myflock(fd, style, MYFLOCK_OP_NONE), MYFLOCK_OK);
	probe(style, MYFLOCK_OP_EXCLUSIVE | MYFLOCK_OP_NOWAIT, MYFLOCK_OK);
	probe(style, MYFLOCK_OP_EXCLUSIVE, MYFLOCK_OK);
	close(fd);
    }
}

/* test_flock_same_process - flock() conflicts between descriptors */
static void test_flock_same_process(void **state)
{
    int     fd1 = open(path, O_RDWR);
    int     fd2 = open(path, O_RDWR);

    (void) state;
    assert_int_equal(myflock(fd1, MYFLOCK_STYLE_FLOCK, MYFLOCK_OP_EXCLUSIVE),
		     MYFLOCK_OK);
    errno = 0;
    assert_int_equal(myflock(fd2, MYFLOCK_STYLE_FLOCK,
			     MYFLOCK_OP_EXCLUSIVE | MYFLOCK_OP_NOWAIT),
		     MYFLOCK_BUSY);
    assert_int_equal(errno, EAGAIN);
    close(fd1);					/* releases the lock */
    assert_int_equal(myflock(fd2, MYFLOCK_STYLE_FLOCK,
			     MYFLOCK_OP_EXCLUSIVE | MYFLOCK_OP_NOWAIT),
		     MYFLOCK_OK);
    close(fd2);
}

/* test_errors - failures other than a busy lock */
static void test_errors(void **state)
{
    int     fd = open(path, O_RDONLY);

    (void) state;
    /* An exclusive fcntl() lock needs write access. */
    assert_int_equal(myflock(fd, MYFLOCK_STYLE_FCNTL,
			     MYFLOCK_OP_EXCLUSIVE | MYFLOCK_OP_NOWAIT),
		     MYFLOCK_ERROR);
    assert_int_equal(errno, EBADF);
    close(fd);
    assert_int_equal(myflock(-1, MYFLOCK_STYLE_FLOCK, MYFLOCK_OP_SHARED),
		     MYFLOCK_ERROR);
    assert_int_equal(errno, EBADF);
}

/* bad_style_child - an unknown style is a panic */
static void bad_style_child(void *context)
{
    (void) context;
    (void) myflock(0, 99, MYFLOCK_OP_SHARED);
}

/* test_panic - misuse */
static void test_panic(void **state)
{
    TEST_CHILD_RESULT result;

    (void) state;
    test_child_run(bad_style_child, NULL, 10000, &result);
    assert_true(WIFSIGNALED(result.wait_status));
    assert_string_equal(result.output,
			"panic: myflock: unsupported lock style: 0x63\n");
    test_child_free(&result);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test_setup_teardown(test_styles, setup, teardown),
	cmocka_unit_test_setup_teardown(test_flock_same_process, setup, teardown),
	cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
	cmocka_unit_test(test_panic),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
