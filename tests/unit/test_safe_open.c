/*
 * test_safe_open - unit tests for safe_open(3)
 */
#include "sys_defs.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mymalloc.h"
#include "stringops.h"
#include "vstring.h"
#include "vstream.h"
#include "vstring_vstream.h"
#include "safe_open.h"
#include "test_support.h"

static char *dir;
static VSTRING *why;

/* setup - a fresh directory per test */
static int setup(void **state)
{
    (void) state;
    dir = test_tempdir();
    why = vstring_alloc(100);
    return 0;
}

/* teardown - remove what the tests created */
static int teardown(void **state)
{
    static const char *names[] = {"f", "g", "link", "hard", "dangling",
    "fifo", "sub", "new", "nowhere"};
    size_t  n;
    char   *path;

    (void) state;
    for (n = 0; n < ARRAY_LEN(names); n++) {
	path = concatenate(dir, "/", names[n], (char *) 0);
	if (unlink(path) < 0 && errno == EISDIR)
	    (void) rmdir(path);
	(void) rmdir(path);
	myfree(path);
    }
    (void) rmdir(dir);
    myfree(dir);
    vstring_free(why);
    return 0;
}

/* path_of - dir/name (caller frees) */
static char *path_of(const char *name)
{
    return concatenate(dir, "/", name, (char *) 0);
}

/* test_open_existing - the normal case, and O_TRUNC */
static void test_open_existing(void **state)
{
    char   *f = path_of("f");
    VSTREAM *fp;
    VSTRING *line = vstring_alloc(10);
    struct stat st;

    (void) state;
    test_write_file(f, "hello\n");
    fp = safe_open(f, O_RDONLY, 0, &st, getuid(), getgid(), why);
    assert_non_null(fp);
    assert_int_equal(st.st_size, 6);
    assert_int_equal(vstring_get_nonl(line, fp), '\n');
    assert_string_equal(vstring_str(line), "hello");
    assert_string_equal(vstream_path(fp), f);
    /* Blocking mode is restored. */
    assert_int_equal(fcntl(vstream_fileno(fp), F_GETFL) & O_NONBLOCK, 0);
    vstream_fclose(fp);

    fp = safe_open(f, O_WRONLY | O_TRUNC, 0, &st, -1, -1, why);
    assert_non_null(fp);
    assert_int_equal(st.st_size, 0);
    vstream_fputs("new", fp);
    assert_int_equal(vstream_fclose(fp), 0);
    assert_int_equal(stat(f, &st), 0);
    assert_int_equal(st.st_size, 3);

    /* O_APPEND keeps the content. */
    fp = safe_open(f, O_WRONLY | O_APPEND, 0, NULL, -1, -1, why);
    assert_non_null(fp);
    vstream_fputs("er", fp);
    assert_int_equal(vstream_fclose(fp), 0);
    assert_int_equal(stat(f, &st), 0);
    assert_int_equal(st.st_size, 5);
    vstring_free(line);
    myfree(f);
}

/* test_refusals - the checks on existing files */
static void test_refusals(void **state)
{
    char   *f = path_of("f");
    char   *symlink_path = path_of("link");
    char   *hard = path_of("hard");
    char   *dangling = path_of("dangling");
    char   *fifo = path_of("fifo");
    char   *sub = path_of("sub");
    char   *missing = path_of("missing");
    struct stat st;

    (void) state;
    test_write_file(f, "data\n");
    assert_int_equal(symlink(f, symlink_path), 0);
    assert_int_equal(symlink("nowhere", dangling), 0);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    assert_int_equal(mkdir(sub, 0700), 0);

    /* Symbolic link, with or without O_CREAT. */
    assert_null(safe_open(symlink_path, O_RDONLY, 0, NULL, -1, -1, why));
    assert_string_equal(vstring_str(why), "file is a symbolic link");
    assert_null(safe_open(symlink_path, O_WRONLY | O_CREAT, 0600, NULL, -1, -1, why));
    assert_string_equal(vstring_str(why), "file is a symbolic link");
    assert_null(safe_open(dangling, O_WRONLY | O_CREAT, 0600, NULL, -1, -1, why));
    assert_string_equal(vstring_str(why), "file is a symbolic link");
    {
	char   *target = path_of("nowhere");

	assert_int_equal(lstat(target, &st), -1);	/* not created */
	myfree(target);
    }
    assert_null(safe_open(dangling, O_WRONLY | O_CREAT | O_EXCL, 0600, NULL,
			  -1, -1, why));
    assert_string_equal(vstring_str(why),
			"cannot create file exclusively: File exists");
    assert_int_equal(errno, EEXIST);

    /* Not a regular file; a FIFO does not block the open. */
    assert_null(safe_open(fifo, O_RDONLY, 0, NULL, -1, -1, why));
    assert_string_equal(vstring_str(why), "file is not a regular file");
    assert_null(safe_open(sub, O_RDONLY, 0, NULL, -1, -1, why));
    assert_string_equal(vstring_str(why), "file is not a regular file");

    /* Hard links. */
    assert_int_equal(link(f, hard), 0);
    assert_null(safe_open(f, O_RDONLY, 0, NULL, -1, -1, why));
    assert_string_equal(vstring_str(why), "file has 2 hard links");
    assert_int_equal(errno, EPERM);
    assert_null(safe_open(hard, O_WRONLY | O_CREAT, 0600, NULL, -1, -1, why));
    assert_string_equal(vstring_str(why), "file has 2 hard links");
    assert_int_equal(unlink(hard), 0);

    /* Owner and group. */
    vstring_sprintf(why, "file has owner %ld, not %ld", (long) getuid(),
		    (long) getuid() + 1);
    {
	char   *expect = mystrdup(vstring_str(why));

	assert_null(safe_open(f, O_RDONLY, 0, NULL, getuid() + 1, -1, why));
	assert_string_equal(vstring_str(why), expect);
	myfree(expect);
    }
    vstring_sprintf(why, "file has group %ld, not %ld", (long) getgid(),
		    (long) getgid() + 1);
    {
	char   *expect = mystrdup(vstring_str(why));

	assert_null(safe_open(f, O_RDONLY, 0, NULL, -1, getgid() + 1, why));
	assert_string_equal(vstring_str(why), expect);
	myfree(expect);
    }

    /* Missing file without O_CREAT. */
    assert_null(safe_open(missing, O_RDONLY, 0, NULL, -1, -1, why));
    assert_string_equal(vstring_str(why),
			"cannot open file: No such file or directory");
    assert_int_equal(errno, ENOENT);

    /* O_EXCL alone is a usage error. */
    assert_null(safe_open(f, O_RDONLY | O_EXCL, 0, NULL, -1, -1, why));
    assert_int_equal(errno, EINVAL);

    myfree(f);
    myfree(symlink_path);
    myfree(hard);
    myfree(dangling);
    myfree(fifo);
    myfree(sub);
    myfree(missing);
}

/* test_create - O_CREAT|O_EXCL and O_CREAT */
static void test_create(void **state)
{
    char   *f = path_of("new");
    VSTREAM *fp;
    struct stat st;
    mode_t  old_umask = umask(022);

    (void) state;
    fp = safe_open(f, O_WRONLY | O_CREAT | O_EXCL, 0640, &st, getuid(),
		   getgid(), why);
    assert_non_null(fp);
    assert_int_equal(st.st_mode & 07777, 0640);
    assert_int_equal(st.st_uid, getuid());
    vstream_fputs("one\n", fp);
    assert_int_equal(vstream_fclose(fp), 0);

    /* Exclusive creation of an existing file fails. */
    assert_null(safe_open(f, O_WRONLY | O_CREAT | O_EXCL, 0640, NULL, -1, -1,
			  why));
    assert_string_equal(vstring_str(why),
			"cannot create file exclusively: File exists");

    /* Open-or-create opens the existing file. */
    fp = safe_open(f, O_RDWR | O_CREAT | O_APPEND, 0600, &st, -1, -1, why);
    assert_non_null(fp);
    assert_int_equal(st.st_size, 4);
    assert_int_equal(st.st_mode & 07777, 0640);
    vstream_fclose(fp);
    assert_int_equal(unlink(f), 0);

    /* ...and creates a missing one. */
    fp = safe_open(f, O_RDWR | O_CREAT, 0600, &st, -1, -1, why);
    assert_non_null(fp);
    assert_int_equal(st.st_size, 0);
    assert_int_equal(st.st_mode & 07777, 0600);
    vstream_fclose(fp);
    assert_int_equal(unlink(f), 0);

    /* Ownership change that is not allowed (unless we are root). */
    if (geteuid() != 0) {
	assert_null(safe_open(f, O_WRONLY | O_CREAT | O_EXCL, 0600, NULL, 0, -1,
			      why));
	assert_string_equal(vstring_str(why),
		       "cannot change file ownership: Operation not permitted");
	assert_int_equal(errno, EPERM);
	assert_int_equal(lstat(f, &st), -1);	/* removed again */
    } else {
	fp = safe_open(f, O_WRONLY | O_CREAT | O_EXCL, 0600, &st, 1, 1, why);
	assert_non_null(fp);
	assert_int_equal(st.st_uid, 1);
	assert_int_equal(st.st_gid, 1);
	vstream_fclose(fp);
	assert_int_equal(unlink(f), 0);
    }
    umask(old_umask);
    myfree(f);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test_setup_teardown(test_open_existing, setup, teardown),
	cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
	cmocka_unit_test_setup_teardown(test_create, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
