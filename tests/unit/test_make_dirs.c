/*
 * test_make_dirs - unit tests for make_dirs(3)
 */
#include "sys_defs.h"

#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mymalloc.h"
#include "stringops.h"
#include "make_dirs.h"
#include "test_support.h"

/* mode_of - permission bits of a path, or -1 */
static int mode_of(const char *path)
{
    struct stat st;

    if (stat(path, &st) < 0 || !S_ISDIR(st.st_mode))
	return -1;
    return st.st_mode & 07777;
}

/* test_make_dirs - parents, existing, non-directories */
static void test_make_dirs(void **state)
{
    char   *dir = test_tempdir();
    char   *deep = concatenate(dir, "/a/b//c/", (char *) 0);
    char   *a = concatenate(dir, "/a", (char *) 0);
    char   *ab = concatenate(dir, "/a/b", (char *) 0);
    char   *abc = concatenate(dir, "/a/b/c", (char *) 0);
    char   *file = concatenate(dir, "/file", (char *) 0);
    char   *under_file = concatenate(dir, "/file/x/y", (char *) 0);
    char   *symlink_path = concatenate(dir, "/link", (char *) 0);
    char   *via_link = concatenate(dir, "/link/d", (char *) 0);
    char   *abcd = concatenate(dir, "/a/b/c/d", (char *) 0);
    mode_t  old_umask = umask(077);

    (void) state;
    assert_int_equal(make_dirs(deep, 0751), 0);
    assert_int_equal(mode_of(a), 0751);		/* umask did not apply */
    assert_int_equal(mode_of(ab), 0751);
    assert_int_equal(mode_of(abc), 0751);

    /* Existing directories are fine and keep their mode. */
    assert_int_equal(chmod(a, 0700), 0);
    assert_int_equal(make_dirs(abc, 0755), 0);
    assert_int_equal(mode_of(a), 0700);
    assert_int_equal(make_dirs(dir, 0755), 0);
    assert_int_equal(make_dirs("/", 0755), 0);

    /* A file in the way. */
    test_write_file(file, "");
    errno = 0;
    assert_int_equal(make_dirs(file, 0755), -1);
    assert_int_equal(errno, ENOTDIR);
    errno = 0;
    assert_int_equal(make_dirs(under_file, 0755), -1);
    assert_int_equal(errno, ENOTDIR);

    /* A symbolic link to a directory is followed. */
    assert_int_equal(symlink(abc, symlink_path), 0);
    assert_int_equal(make_dirs(via_link, 0700), 0);
    assert_int_equal(mode_of(abcd), 0700);

    /* Empty path. */
    assert_int_equal(make_dirs("", 0755), -1);
    assert_int_equal(errno, ENOENT);

    /* No permission (not testable as root). */
    if (geteuid() != 0) {
	char   *denied = concatenate(dir, "/a/x/y", (char *) 0);

	assert_int_equal(chmod(a, 0500), 0);
	assert_int_equal(make_dirs(denied, 0755), -1);
	assert_int_equal(errno, EACCES);
	assert_int_equal(chmod(a, 0700), 0);
	myfree(denied);
    }

    umask(old_umask);
    rmdir(abcd);
    unlink(symlink_path);
    unlink(file);
    rmdir(abc);
    rmdir(ab);
    rmdir(a);
    rmdir(dir);
    myfree(deep);
    myfree(a);
    myfree(ab);
    myfree(abc);
    myfree(abcd);
    myfree(file);
    myfree(under_file);
    myfree(symlink_path);
    myfree(via_link);
    myfree(dir);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_make_dirs),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
