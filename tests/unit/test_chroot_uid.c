/*
 * test_chroot_uid - unit tests for chroot_uid(3)
 *
 * Every call runs in a forked child. The real chroot and user switch
 * are tested only when running as root (into a test_shared_tempdir(),
 * which nobody can reach); otherwise the refusal.
 */
#include "sys_defs.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "vstring.h"
#include "chroot_uid.h"
#include "test_support.h"
#include "test_child.h"

typedef struct {
    const char *root_dir;
    const char *user_name;
} REQUEST;

/* try_child - report the outcome of chroot_uid_try() */
static void try_child(void *context)
{
    REQUEST *req = context;
    VSTRING *why = vstring_alloc(10);
    char    cwd[256];
    struct stat st;

    if (!chroot_uid_try(req->root_dir, req->user_name, why)) {
	msg_info("failed: %s", vstring_str(why));
	return;
    }
    if (getcwd(cwd, sizeof(cwd)) == NULL)
	msg_fatal("getcwd: %m");
    msg_info("ok: uid=%ld gid=%ld cwd=%s marker=%s", (long) getuid(),
	     (long) getgid(), cwd, stat("/marker", &st) == 0 ? "yes" : "no");
}

/* run - run one request, return the child's output (caller frees) */
static char *run(const char *root_dir, const char *user_name)
{
    REQUEST req = {root_dir, user_name};
    TEST_CHILD_RESULT result;

    test_child_run(try_child, &req, 10000, &result);
    if (!test_child_exited(&result, 0))
	fail_msg("child failed: %s", result.output);
    return result.output;
}

/* fatal_child - chroot_uid() with an unknown user */
static void fatal_child(void *context)
{
    (void) context;
    chroot_uid(NULL, "no-such-user-for-postel-tests");
}

/* test_chroot_uid - all combinations */
static void test_chroot_uid(void **state)
{
    const char *dir = *state;
    char   *marker = concatenate(dir, "/marker", (char *) 0);
    VSTRING *expect = vstring_alloc(100);
    TEST_CHILD_RESULT result;
    char   *out;

    test_write_file(marker, "");

    /* Nothing to do. */
    out = run(NULL, NULL);
    vstring_sprintf(expect, "ok: uid=%ld gid=%ld cwd=", (long) getuid(),
		    (long) getgid());
    assert_true(strncmp(out, vstring_str(expect), VSTRING_LEN(expect)) == 0);
    myfree(out);

    /* Unknown user: nothing happens. */
    out = run(dir, "no-such-user-for-postel-tests");
    assert_string_equal(out,
		   "failed: unknown user: no-such-user-for-postel-tests\n");
    myfree(out);

    /* Root is refused as a target user. */
    out = run(NULL, "root");
    assert_string_equal(out, "failed: refusing to switch to user id 0\n");
    myfree(out);

    if (geteuid() == 0) {
	out = run(dir, "nobody");
	assert_string_equal(out, "ok: uid=65534 gid=65534 cwd=/ marker=yes\n");
	myfree(out);
	out = run(dir, NULL);
	assert_string_equal(out, "ok: uid=0 gid=0 cwd=/ marker=yes\n");
	myfree(out);
    } else {
	out = run(dir, NULL);
	vstring_sprintf(expect, "failed: chroot(%s): Operation not permitted\n",
			dir);
	assert_string_equal(out, vstring_str(expect));
	myfree(out);
    }

    /* Missing directory. */
    out = run("/nonexistent-postel-dir", NULL);
    assert_string_equal(out, "failed: chroot(/nonexistent-postel-dir):"
			" No such file or directory\n");
    myfree(out);

    /* The fatal form. */
    test_child_run(fatal_child, NULL, 10000, &result);
    assert_true(test_child_exited(&result, 1));
    assert_string_equal(result.output,
		   "fatal: unknown user: no-such-user-for-postel-tests\n");
    test_child_free(&result);

    vstring_free(expect);
    myfree(marker);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test_setup_teardown(test_chroot_uid, test_shared_setup,
					test_shared_teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
