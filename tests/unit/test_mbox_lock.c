/*
 * test_mbox_lock - unit tests for mbox_lock(3)
 *
 * Each method is checked from the outside: a forked child tries the
 * same lock without waiting and must fail while we hold it. Contention
 * runs the other way round: a child holds the mailbox until we tell it
 * to let go.
 */
#include "sys_defs.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "vstring.h"
#include "vstream.h"
#include "myflock.h"
#include "mail_conf.h"
#include "mail_params.h"
#include "mbox_lock.h"
#include "test_support.h"

static char *test_dir;

/* setup - private directory; one lock attempt, 500s stale time */
static int setup(void **state)
{
    (void) state;
    test_dir = test_tempdir();
    mail_conf_clear();
    mail_conf_update("deliver_lock_attempts", "1");
    mail_conf_update("deliver_lock_delay", "1s");
    mail_conf_update("stale_lock_time", "500s");
    return 0;
}

/* teardown - forget the settings */
static int teardown(void **state)
{
    (void) state;
    mail_conf_clear();
    myfree(test_dir);
    return 0;
}

/* path_in_dir - test_dir/name, allocated */
static char *path_in_dir(const char *name)
{
    return concatenate(test_dir, "/", name, (char *) 0);
}

/* exists - does the file exist? */
static bool exists(const char *path)
{
    struct stat st;

    return lstat(path, &st) == 0;
}

/* child_can_lock - can another process take this kernel lock now? */
static bool child_can_lock(const char *path, int style)
{
    pid_t   pid;
    int     status;
    int     fd;

    if ((pid = fork()) == 0) {
	if ((fd = open(path, O_RDWR)) < 0)
	    _exit(2);
	_exit(myflock(fd, style, MYFLOCK_OP_EXCLUSIVE | MYFLOCK_OP_NOWAIT) == 0
	      ? 0 : 1);
    }
    assert_true(pid > 0);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_not_equal(WEXITSTATUS(status), 2);
    return WEXITSTATUS(status) == 0;
}

/* test_mask - method names to bits, and the postconf -l order */
static void test_mask(void **state)
{
    static const struct {
	const char *text;
	int     mask;
	const char *why;
    } cases[] = {
	{"", 0, 0},
	{"fcntl", MBOX_LOCK_FCNTL, 0},
	{"flock", MBOX_LOCK_FLOCK, 0},
	{"dotlock", MBOX_LOCK_DOTLOCK, 0},
	{"fcntl, dotlock", MBOX_LOCK_FCNTL | MBOX_LOCK_DOTLOCK, 0},
	{" flock fcntl,dotlock ",
	MBOX_LOCK_FLOCK | MBOX_LOCK_FCNTL | MBOX_LOCK_DOTLOCK, 0},
	{"bogus", -1,
	"unknown mailbox_delivery_lock value \"bogus\" in \"bogus\""},
	{"fcntl,bogus", -1,
	"unknown mailbox_delivery_lock value \"bogus\" in \"fcntl,bogus\""},
	{"FCNTL", -1,
	"unknown mailbox_delivery_lock value \"FCNTL\" in \"FCNTL\""},
    };
    const char *const *names = mbox_lock_names();
    VSTRING *why = vstring_alloc(10);
    size_t  n;

    (void) state;
    for (n = 0; n < ARRAY_LEN(cases); n++) {
	vstring_strcpy(why, "");
	assert_int_equal(mbox_lock_mask(cases[n].text, why), cases[n].mask);
	assert_string_equal(vstring_str(why), cases[n].why ? cases[n].why : "");
    }
    assert_string_equal(names[0], "flock");
    assert_string_equal(names[1], "fcntl");
    assert_string_equal(names[2], "dotlock");
    assert_null(names[3]);
    vstring_free(why);
}

/* test_each_style - each method is really held, and released by close */
static void test_each_style(void **state)
{
    static const struct {
	int     mask;
	int     style;			/* kernel lock, or 0 */
    } cases[] = {
	{MBOX_LOCK_FLOCK, MYFLOCK_STYLE_FLOCK},
	{MBOX_LOCK_FCNTL, MYFLOCK_STYLE_FCNTL},
	{MBOX_LOCK_DOTLOCK, 0},
    };
    char   *path = path_in_dir("mbox");
    char   *lock = path_in_dir("mbox.lock");
    VSTRING *why = vstring_alloc(10);
    MBOX_LOCK *mp;
    struct stat st;
    size_t  n;

    (void) state;
    for (n = 0; n < ARRAY_LEN(cases); n++) {
	(void) unlink(path);
	mp = mbox_lock_open(path, O_APPEND | O_WRONLY | O_CREAT, 0600, &st,
			    (uid_t) -1, (gid_t) -1, cases[n].mask, why);
	assert_non_null(mp);
	assert_int_equal(mp->locked, cases[n].mask);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_true(fcntl(vstream_fileno(mp->fp), F_GETFD) & FD_CLOEXEC);
	if (cases[n].style) {
	    assert_false(child_can_lock(path, cases[n].style));
	    assert_false(exists(lock));
	} else {
	    assert_true(exists(lock));
	    assert_true(child_can_lock(path, MYFLOCK_STYLE_FCNTL));
	}
	assert_int_equal(vstream_fputs("text\n", mp->fp), 0);
	assert_int_equal(mbox_lock_close(mp), 0);
	assert_false(exists(lock));
	if (cases[n].style)
	    assert_true(child_can_lock(path, cases[n].style));
    }

    /* All three together, on an existing file. */
    mp = mbox_lock_open(path, O_APPEND | O_WRONLY | O_CREAT, 0600, NULL,
			(uid_t) -1, (gid_t) -1,
		     MBOX_LOCK_FLOCK | MBOX_LOCK_FCNTL | MBOX_LOCK_DOTLOCK, why);
    assert_non_null(mp);
    assert_int_equal(mp->locked,
		     MBOX_LOCK_FLOCK | MBOX_LOCK_FCNTL | MBOX_LOCK_DOTLOCK);
    assert_false(child_can_lock(path, MYFLOCK_STYLE_FLOCK));
    assert_false(child_can_lock(path, MYFLOCK_STYLE_FCNTL));
    assert_true(exists(lock));
    assert_int_equal(mbox_lock_close(mp), 0);
    assert_false(exists(lock));
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_size, 5);

    unlink(path);
    vstring_free(why);
    myfree(path);
    myfree(lock);
}

/* hold_in_child - child locks the mailbox, reports, waits to be told */
static pid_t hold_in_child(const char *path, int mask, int *release_fd)
{
    int     ready[2];
    int     release[2];
    pid_t   pid;
    char    ch;
    VSTRING *why;
    MBOX_LOCK *mp;

    assert_int_equal(pipe(ready), 0);
    assert_int_equal(pipe(release), 0);
    if ((pid = fork()) == 0) {
	close(ready[0]);
	close(release[1]);
	why = vstring_alloc(10);
	if ((mp = mbox_lock_open(path, O_APPEND | O_WRONLY | O_CREAT, 0600,
			     NULL, (uid_t) -1, (gid_t) -1, mask, why)) == NULL)
	    _exit(1);
	if (write(ready[1], "x", 1) != 1)
	    _exit(1);
	(void) read(release[0], &ch, 1);
	(void) mbox_lock_close(mp);
	_exit(0);
    }
    assert_true(pid > 0);
    close(ready[1]);
    close(release[0]);
    assert_int_equal(read(ready[0], &ch, 1), 1);
    close(ready[0]);
    *release_fd = release[1];
    return pid;
}

/* test_contention - a lock held by a child makes us fail, then succeed */
static void test_contention(void **state)
{
    static const int masks[] = {
	MBOX_LOCK_FLOCK, MBOX_LOCK_FCNTL, MBOX_LOCK_DOTLOCK,
	MBOX_LOCK_FCNTL | MBOX_LOCK_DOTLOCK,
    };
    char   *path = path_in_dir("busy");
    char   *lock = path_in_dir("busy.lock");
    VSTRING *why = vstring_alloc(10);
    VSTRING *expect = vstring_alloc(10);
    MBOX_LOCK *mp;
    int     release_fd;
    int     status;
    pid_t   pid;
    size_t  n;

    (void) state;
    for (n = 0; n < ARRAY_LEN(masks); n++) {
	pid = hold_in_child(path, masks[n], &release_fd);
	errno = 0;
	mp = mbox_lock_open(path, O_APPEND | O_WRONLY | O_CREAT, 0600, NULL,
			    (uid_t) -1, (gid_t) -1, masks[n], why);
	assert_null(mp);
	assert_int_equal(errno, EAGAIN);
	if (masks[n] & MBOX_LOCK_DOTLOCK)
	    vstring_sprintf(expect, "unable to create lock file %s: File exists",
			    lock);
	else
	    vstring_strcpy(expect, "unable to lock for exclusive access: "
			   "Resource temporarily unavailable");
	assert_string_equal(vstring_str(why), vstring_str(expect));
	/* Our failure must not remove the holder's dot lock. */
	assert_int_equal(exists(lock), (masks[n] & MBOX_LOCK_DOTLOCK) != 0);

	assert_int_equal(write(release_fd, "x", 1), 1);
	close(release_fd);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	mp = mbox_lock_open(path, O_APPEND | O_WRONLY | O_CREAT, 0600, NULL,
			    (uid_t) -1, (gid_t) -1, masks[n], why);
	assert_non_null(mp);
	assert_int_equal(mbox_lock_close(mp), 0);
    }

    /* A busy kernel lock after the dot lock leaves no dot lock behind. */
    pid = hold_in_child(path, MBOX_LOCK_FCNTL, &release_fd);
    assert_null(mbox_lock_open(path, O_APPEND | O_WRONLY | O_CREAT, 0600, NULL,
			       (uid_t) -1, (gid_t) -1,
			       MBOX_LOCK_DOTLOCK | MBOX_LOCK_FCNTL, why));
    assert_false(exists(lock));
    assert_int_equal(write(release_fd, "x", 1), 1);
    close(release_fd);
    assert_int_equal(waitpid(pid, &status, 0), pid);

    unlink(path);
    vstring_free(why);
    vstring_free(expect);
    myfree(path);
    myfree(lock);
}

/* test_retry - a lock released during the retry delay is taken */
static void test_retry(void **state)
{
    char   *path = path_in_dir("retry");
    VSTRING *why = vstring_alloc(10);
    MBOX_LOCK *mp;
    int     release_fd;
    int     status;
    pid_t   pid;
    pid_t   helper;

    (void) state;
    mail_conf_update("deliver_lock_attempts", "3");
    pid = hold_in_child(path, MBOX_LOCK_FLOCK, &release_fd);
    /* Let go of the lock half a second into our first delay. */
    if ((helper = fork()) == 0) {
	usleep(500000);
	_exit(write(release_fd, "x", 1) == 1 ? 0 : 1);
    }
    close(release_fd);
    mp = mbox_lock_open(path, O_APPEND | O_WRONLY | O_CREAT, 0600, NULL,
			(uid_t) -1, (gid_t) -1, MBOX_LOCK_FLOCK, why);
    assert_non_null(mp);
    assert_int_equal(mbox_lock_close(mp), 0);
    assert_int_equal(waitpid(helper, &status, 0), helper);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    mail_conf_update("deliver_lock_attempts", "1");
    unlink(path);
    vstring_free(why);
    myfree(path);
}

/* test_stale_dotlock - old lock files are broken, fresh ones are not */
static void test_stale_dotlock(void **state)
{
    char   *path = path_in_dir("stale");
    char   *lock = path_in_dir("stale.lock");
    VSTRING *why = vstring_alloc(10);
    VSTRING *expect = vstring_alloc(10);
    struct timeval times[2];
    MBOX_LOCK *mp;

    (void) state;
    vstring_sprintf(expect, "warning: removing stale lock file %s\n", lock);

    /* Fresh: busy. */
    test_write_file(lock, "");
    assert_null(mbox_lock_open(path, O_APPEND | O_WRONLY | O_CREAT, 0600, NULL,
			       (uid_t) -1, (gid_t) -1, MBOX_LOCK_DOTLOCK, why));
    assert_int_equal(errno, EAGAIN);
    assert_true(exists(lock));
    assert_false(exists(path));

    /* 1000 seconds old, stale_lock_time 500s: removed with a warning. */
    times[0].tv_sec = times[1].tv_sec = time(NULL) - 1000;
    times[0].tv_usec = times[1].tv_usec = 0;
    assert_int_equal(utimes(lock, times), 0);
    test_capture_start();
    mp = mbox_lock_open(path, O_APPEND | O_WRONLY | O_CREAT, 0600, NULL,
			(uid_t) -1, (gid_t) -1, MBOX_LOCK_DOTLOCK, why);
    assert_non_null(mp);
    assert_string_equal(test_capture_text(), vstring_str(expect));
    test_capture_stop();
    assert_true(exists(lock));
    assert_int_equal(mbox_lock_close(mp), 0);
    assert_false(exists(lock));

    unlink(path);
    vstring_free(why);
    vstring_free(expect);
    myfree(path);
    myfree(lock);
}

/* test_dotlock_may_fail - an impossible dot lock is a warning at most */
static void test_dotlock_may_fail(void **state)
{
    VSTRING *name = vstring_alloc(300);
    VSTRING *expect = vstring_alloc(10);
    VSTRING *why = vstring_alloc(10);
    MBOX_LOCK *mp;
    char   *path;

    (void) state;
    /* A 252-byte name is fine, but "name.lock" is too long for the system. */
    while (VSTRING_LEN(name) < 252)
	VSTRING_ADDCH(name, 'm');
    VSTRING_TERMINATE(name);
    path = path_in_dir(vstring_str(name));

    assert_null(mbox_lock_open(path, O_APPEND | O_WRONLY | O_CREAT, 0600, NULL,
			       (uid_t) -1, (gid_t) -1, MBOX_LOCK_DOTLOCK, why));
    assert_int_equal(errno, ENAMETOOLONG);
    vstring_sprintf(expect, "unable to create lock file %s.lock: "
		    "File name too long", path);
    assert_string_equal(vstring_str(why), vstring_str(expect));
    assert_false(exists(path));

    test_capture_start();
    mp = mbox_lock_open(path, O_APPEND | O_WRONLY | O_CREAT, 0600, NULL,
			(uid_t) -1, (gid_t) -1,
			MBOX_LOCK_DOTLOCK | MBOX_LOCK_DOTLOCK_MAY_FAIL
			| MBOX_LOCK_FCNTL, why);
    assert_non_null(mp);
    assert_int_equal(mp->locked, MBOX_LOCK_FCNTL);
    vstring_sprintf_prepend(expect, "warning: ");
    VSTRING_ADDCH(expect, '\n');
    VSTRING_TERMINATE(expect);
    assert_string_equal(test_capture_text(), vstring_str(expect));
    test_capture_stop();
    assert_int_equal(mbox_lock_close(mp), 0);

    unlink(path);
    myfree(path);
    vstring_free(name);
    vstring_free(expect);
    vstring_free(why);
}

/* test_open_errors - safe_open(3) refusals come through unchanged */
static void test_open_errors(void **state)
{
    char   *path = path_in_dir("target");
    char   *link_path = path_in_dir("link");
    char   *lock = path_in_dir("link.lock");
    char   *missing = path_in_dir("nodir/mbox");
    VSTRING *why = vstring_alloc(10);
    VSTRING *expect = vstring_alloc(10);

    (void) state;
    test_write_file(path, "");
    assert_int_equal(symlink(path, link_path), 0);
    assert_null(mbox_lock_open(link_path, O_APPEND | O_WRONLY | O_CREAT, 0600,
			       NULL, (uid_t) -1, (gid_t) -1,
			       MBOX_LOCK_DOTLOCK | MBOX_LOCK_FCNTL, why));
    assert_string_equal(vstring_str(why), "file is a symbolic link");
    assert_false(exists(lock));

    assert_null(mbox_lock_open(test_dir, O_APPEND | O_WRONLY | O_CREAT, 0600,
			       NULL, (uid_t) -1, (gid_t) -1, MBOX_LOCK_FCNTL,
			       why));
    assert_string_equal(vstring_str(why), "cannot open file: Is a directory");

    assert_null(mbox_lock_open(missing, O_APPEND | O_WRONLY | O_CREAT, 0600,
			       NULL, (uid_t) -1, (gid_t) -1, MBOX_LOCK_DOTLOCK,
			       why));
    vstring_sprintf(expect, "unable to create lock file %s.lock: "
		    "No such file or directory", missing);
    assert_string_equal(vstring_str(why), vstring_str(expect));
    assert_int_equal(errno, ENOENT);

    unlink(link_path);
    unlink(path);
    vstring_free(why);
    vstring_free(expect);
    myfree(path);
    myfree(link_path);
    myfree(lock);
    myfree(missing);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_mask),
	cmocka_unit_test(test_each_style),
	cmocka_unit_test(test_contention),
	cmocka_unit_test(test_retry),
	cmocka_unit_test(test_stale_dotlock),
	cmocka_unit_test(test_dotlock_may_fail),
	cmocka_unit_test(test_open_errors),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
