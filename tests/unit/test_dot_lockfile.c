/*
 * test_dot_lockfile - unit tests for dot_lockfile(3)
 */
#include "sys_defs.h"

#include <errno.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <utime.h>

#include "mymalloc.h"
#include "stringops.h"
#include "vstring.h"
#include "dot_lockfile.h"
#include "test_support.h"

/* test_dot_lockfile_basic - lock, busy, unlock */
static void test_dot_lockfile_basic(void **state)
{
    char   *dir = test_tempdir();
    char   *path = concatenate(dir, "/mbox", (char *) 0);
    char   *lock = concatenate(path, ".lock", (char *) 0);
    VSTRING *why = vstring_alloc(10);
    VSTRING *expect = vstring_alloc(10);
    struct stat st;
    struct timespec t0, t1;
    long    elapsed_ms;

    (void) state;
    assert_int_equal(dot_lockfile(path, 1, 0, 0, why), 0);
    assert_int_equal(lstat(lock, &st), 0);
    assert_true(S_ISREG(st.st_mode));

    /* Busy: fails after the given number of attempts, with delays. */
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_int_equal(dot_lockfile(path, 2, 1, 0, why), -1);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    elapsed_ms = (t1.tv_sec - t0.tv_sec) * 1000
	+ (t1.tv_nsec - t0.tv_nsec) / 1000000;
    assert_true(elapsed_ms >= 900 && elapsed_ms < 5000);
    assert_int_equal(errno, EEXIST);
    vstring_sprintf(expect, "lock file %s exists", lock);
    assert_string_equal(vstring_str(why), vstring_str(expect));

    /* Zero attempts means one. */
    assert_int_equal(dot_lockfile(path, 0, 0, 0, NULL), -1);

    /* A fresh lock is not stale. */
    assert_int_equal(dot_lockfile(path, 1, 0, 500, why), -1);

    dot_unlockfile(path);
    assert_int_equal(lstat(lock, &st), -1);
    dot_unlockfile(path);			/* missing: quietly ignored */
    assert_int_equal(dot_lockfile(path, 1, 0, 0, why), 0);
    dot_unlockfile(path);

    vstring_free(expect);
    vstring_free(why);
    rmdir(dir);
    myfree(lock);
    myfree(path);
    myfree(dir);
}

/* test_dot_lockfile_stale - an old lock file is removed */
static void test_dot_lockfile_stale(void **state)
{
    char   *dir = test_tempdir();
    char   *path = concatenate(dir, "/mbox", (char *) 0);
    char   *lock = concatenate(path, ".lock", (char *) 0);
    VSTRING *why = vstring_alloc(10);
    VSTRING *expect = vstring_alloc(10);
    struct utimbuf old;
    struct stat st;

    (void) state;
    vstring_sprintf(expect, "warning: removing stale lock file %s\n", lock);
    test_write_file(lock, "");
    old.actime = old.modtime = time((time_t *) 0) - 1000;
    assert_int_equal(utime(lock, &old), 0);
    test_capture_start();
    assert_int_equal(dot_lockfile(path, 1, 0, 500, why), 0);
    assert_string_equal(test_capture_text(), vstring_str(expect));
    test_capture_stop();
    assert_int_equal(lstat(lock, &st), 0);
    assert_true(st.st_mtime > old.modtime);
    dot_unlockfile(path);

    /* A symbolic link is not followed: the lock is just busy. */
    assert_int_equal(symlink("target", lock), 0);
    assert_int_equal(dot_lockfile(path, 1, 0, 0, why), -1);
    assert_int_equal(errno, EEXIST);
    unlink(lock);

    /* A directory that cannot be written. */
    assert_int_equal(chmod(dir, 0500), 0);
    if (geteuid() != 0) {
	assert_int_equal(dot_lockfile(path, 3, 1, 0, why), -1);
	assert_int_equal(errno, EACCES);
	vstring_sprintf(expect, "cannot create lock file %s: Permission denied",
			lock);
	assert_string_equal(vstring_str(why), vstring_str(expect));
    }
    chmod(dir, 0700);

    vstring_free(expect);
    vstring_free(why);
    rmdir(dir);
    myfree(lock);
    myfree(path);
    myfree(dir);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_dot_lockfile_basic),
	cmocka_unit_test(test_dot_lockfile_stale),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
