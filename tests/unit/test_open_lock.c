/*
 * test_open_lock - unit tests for open_lock(3)
 */
#include "sys_defs.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "mymalloc.h"
#include "stringops.h"
#include "vstring.h"
#include "vstream.h"
#include "myflock.h"
#include "open_lock.h"
#include "test_support.h"

/* test_open_lock - open, conflict, refusals */
static void test_open_lock(void **state)
{
    char   *dir = test_tempdir();
    char   *path = concatenate(dir, "/pid", (char *) 0);
    char   *symlink_path = concatenate(dir, "/link", (char *) 0);
    VSTRING *why = vstring_alloc(10);
    VSTRING *expect = vstring_alloc(10);
    VSTREAM *fp;
    VSTREAM *fp2;

    (void) state;
    fp = open_lock(path, O_RDWR | O_CREAT, 0644, MYFLOCK_STYLE_FLOCK,
		   MYFLOCK_OP_EXCLUSIVE | MYFLOCK_OP_NOWAIT, why);
    assert_non_null(fp);
    assert_true(fcntl(vstream_fileno(fp), F_GETFD) & FD_CLOEXEC);

    /* flock() locks conflict between two opens in one process. */
    fp2 = open_lock(path, O_RDWR | O_CREAT, 0644, MYFLOCK_STYLE_FLOCK,
		    MYFLOCK_OP_EXCLUSIVE | MYFLOCK_OP_NOWAIT, why);
    assert_null(fp2);
    assert_int_equal(errno, EAGAIN);
    vstring_sprintf(expect, "%s: file is locked by another process", path);
    assert_string_equal(vstring_str(why), vstring_str(expect));

    /* Closing releases the lock. */
    vstream_fclose(fp);
    fp2 = open_lock(path, O_RDWR, 0, MYFLOCK_STYLE_FLOCK,
		    MYFLOCK_OP_EXCLUSIVE | MYFLOCK_OP_NOWAIT, why);
    assert_non_null(fp2);
    vstream_fclose(fp2);

    /* safe_open() refusals carry the path. */
    assert_int_equal(symlink(path, symlink_path), 0);
    assert_null(open_lock(symlink_path, O_RDWR, 0, MYFLOCK_STYLE_FCNTL,
			  MYFLOCK_OP_EXCLUSIVE, why));
    vstring_sprintf(expect, "%s: file is a symbolic link", symlink_path);
    assert_string_equal(vstring_str(why), vstring_str(expect));

    /* A lock error that is not "busy". */
    assert_null(open_lock(path, O_RDONLY, 0, MYFLOCK_STYLE_FCNTL,
			  MYFLOCK_OP_EXCLUSIVE | MYFLOCK_OP_NOWAIT, why));
    vstring_sprintf(expect, "%s: cannot lock file: Bad file descriptor", path);
    assert_string_equal(vstring_str(why), vstring_str(expect));
    assert_int_equal(errno, EBADF);

    unlink(symlink_path);
    unlink(path);
    rmdir(dir);
    vstring_free(why);
    vstring_free(expect);
    myfree(symlink_path);
    myfree(path);
    myfree(dir);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_open_lock),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
