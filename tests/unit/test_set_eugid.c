/*
 * test_set_eugid - unit tests for set_eugid(3)
 *
 * Id changes happen in forked children. As root, the child switches
 * its effective ids to "nobody" (65534) and back, and checks that the
 * real ids stay root and that files are created with the effective
 * ids (in a test_shared_tempdir() that nobody can reach). Without root,
 * only the "no change" and refusal paths run.
 */
#include "sys_defs.h"

#include <fcntl.h>
#include <grp.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "vstring.h"
#include "set_eugid.h"
#include "test_support.h"
#include "test_child.h"

#define NOBODY	65534

/* root_child - switch, create a file in directory context, switch back */
static void root_child(void *context)
{
    const char *test_dir = context;
    char   *path = concatenate(test_dir, "/owned", (char *) 0);
    struct stat st;
    gid_t   groups[4];
    int     fd;

    if (chmod(test_dir, 0777) < 0)
	msg_fatal("chmod: %m");
    set_eugid(NOBODY, NOBODY);
    if (geteuid() != NOBODY || getegid() != NOBODY || getuid() != 0
	|| getgid() != 0)
	msg_fatal("ids after switch: %ld %ld %ld %ld", (long) getuid(),
		  (long) geteuid(), (long) getgid(), (long) getegid());
    if (getgroups(4, groups) != 1 || groups[0] != NOBODY)
	msg_fatal("supplementary groups not reduced");
    if ((fd = open(path, O_CREAT | O_WRONLY, 0600)) < 0)
	msg_fatal("create: %m");
    (void) close(fd);
    /* Switching to another unprivileged user goes through root. */
    set_eugid(NOBODY - 1, NOBODY - 1);
    if (geteuid() != NOBODY - 1)
	msg_fatal("second switch failed");
    set_eugid(0, 0);
    if (geteuid() != 0 || getegid() != 0)
	msg_fatal("not root again");
    if (stat(path, &st) < 0 || st.st_uid != NOBODY || st.st_gid != NOBODY)
	msg_fatal("file owner %ld/%ld", (long) st.st_uid, (long) st.st_gid);
    myfree(path);
}

/* user_child - without root only "no change" works */
static void user_child(void *context)
{
    VSTRING *why = vstring_alloc(100);

    (void) context;
    if (!set_eugid_try(geteuid(), getegid(), why))
	msg_fatal("no-change switch failed: %s", vstring_str(why));
    if (set_eugid_try(0, 0, why))
	msg_fatal("became root");
    msg_info("%s", vstring_str(why));
    vstring_free(why);
}

/* test_root - the real switch, as root */
static void test_root(void **state)
{
    TEST_CHILD_RESULT result;

    if (geteuid() != 0)
	skip();
    test_child_run(root_child, *state, 10000, &result);
    assert_string_equal(result.output, "");
    assert_true(test_child_exited(&result, 0));
    test_child_free(&result);
}

/* drop_then_user - as root, drop for good and run user_child */
static void drop_then_user(void *context)
{
    if (geteuid() == 0) {
	if (setgroups(0, NULL) < 0 || setresgid(NOBODY, NOBODY, NOBODY) < 0
	    || setresuid(NOBODY, NOBODY, NOBODY) < 0)
	    msg_fatal("drop: %m");
    }
    user_child(context);
}

/* test_unprivileged - refusal without root */
static void test_unprivileged(void **state)
{
    TEST_CHILD_RESULT result;

    (void) state;
    test_child_run(drop_then_user, NULL, 10000, &result);
    assert_string_equal(result.output, "seteuid(0): Operation not permitted\n");
    assert_true(test_child_exited(&result, 0));
    test_child_free(&result);
}

/* fatal_child - set_eugid() fails loudly */
static void fatal_child(void *context)
{
    (void) context;
    if (geteuid() == 0 && (setresgid(NOBODY, NOBODY, NOBODY) < 0
			   || setresuid(NOBODY, NOBODY, NOBODY) < 0))
	msg_fatal("drop: %m");
    set_eugid(0, 0);
}

/* test_fatal - the fatal wrapper */
static void test_fatal(void **state)
{
    TEST_CHILD_RESULT result;

    (void) state;
    test_child_run(fatal_child, NULL, 10000, &result);
    assert_true(test_child_exited(&result, 1));
    assert_string_equal(result.output,
			"fatal: seteuid(0): Operation not permitted\n");
    test_child_free(&result);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test_setup_teardown(test_root, test_shared_setup,
					test_shared_teardown),
	cmocka_unit_test(test_unprivileged),
	cmocka_unit_test(test_fatal),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
