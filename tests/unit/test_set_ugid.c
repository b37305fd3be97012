/*
 * test_set_ugid - unit tests for set_ugid(3)
 *
 * Everything that changes ids runs in a forked child. As root, the
 * child also performs a real drop to "nobody" (65534) and then checks
 * the unprivileged refusal paths from there.
 */
#include "sys_defs.h"

#include <errno.h>
#include <grp.h>
#include <unistd.h>
#include <sys/wait.h>

#include "msg.h"
#include "vstring.h"
#include "set_ugid.h"
#include "test_support.h"
#include "test_child.h"

#define NOBODY	65534

/* test_refuse_root - uid 0 and gid 0 are never accepted */
static void test_refuse_root(void **state)
{
    VSTRING *why = vstring_alloc(10);

    (void) state;
    assert_false(set_ugid_try(0, 1, SET_UGID_FLAG_NONE, why));
    assert_string_equal(vstring_str(why), "refusing to switch to user id 0");
    assert_false(set_ugid_try(1, 0, SET_UGID_FLAG_NONE, why));
    assert_string_equal(vstring_str(why), "refusing to switch to group id 0");
    vstring_free(why);
}

/* fatal_child - set_ugid() to root is fatal */
static void fatal_child(void *context)
{
    (void) context;
    set_ugid(0, NOBODY);
}

/* test_fatal - the fatal wrapper */
static void test_fatal(void **state)
{
    TEST_CHILD_RESULT result;

    (void) state;
    test_child_run(fatal_child, NULL, 10000, &result);
    assert_true(test_child_exited(&result, 1));
    assert_string_equal(result.output,
			"fatal: refusing to switch to user id 0\n");
    test_child_free(&result);
}

/* unprivileged_checks - refusal paths without root privileges */
static void unprivileged_checks(void)
{
    VSTRING *why = vstring_alloc(10);
    uid_t   uid = getuid();
    gid_t   gid = getgid();
    uid_t   other_uid = uid == 1 ? 2 : 1;
    gid_t   other_gid = gid == 1 ? 2 : 1;

    if (uid == 0)
	msg_fatal("still root");
    /* Staying who we are works. */
    if (!set_ugid_try(uid, gid, SET_UGID_FLAG_NONE, why))
	msg_fatal("no-op switch failed: %s", vstring_str(why));
    /* Anything else is not permitted. */
    if (set_ugid_try(uid, other_gid, SET_UGID_FLAG_NONE, why))
	msg_fatal("group switch succeeded");
    msg_info("%s", vstring_str(why));
    if (set_ugid_try(other_uid, gid, SET_UGID_FLAG_NONE, why))
	msg_fatal("user switch succeeded");
    msg_info("%s", vstring_str(why));
    vstring_free(why);
}

/* drop_child - as root: real drop; then the unprivileged checks */
static void drop_child(void *context)
{
    uid_t   ruid, euid, suid;
    gid_t   rgid, egid, sgid;
    gid_t   groups[4];
    int     ngroups;

    (void) context;
    if (geteuid() == 0) {
	set_ugid(NOBODY, NOBODY);
	if (getresuid(&ruid, &euid, &suid) < 0 || getresgid(&rgid, &egid, &sgid) < 0)
	    msg_fatal("getres*id: %m");
	if (ruid != NOBODY || euid != NOBODY || suid != NOBODY
	    || rgid != NOBODY || egid != NOBODY || sgid != NOBODY)
	    msg_fatal("ids not changed");
	ngroups = getgroups(4, groups);
	if (ngroups != 1 || groups[0] != NOBODY)
	    msg_fatal("supplementary groups not reset (%d)", ngroups);
	if (setuid(0) == 0 || seteuid(0) == 0)
	    msg_fatal("regained root");
	msg_info("dropped");
    }
    unprivileged_checks();
}

/* test_drop - real drop as root, refusals as anyone */
static void test_drop(void **state)
{
    TEST_CHILD_RESULT result;
    VSTRING *expect = vstring_alloc(100);
    uid_t   uid = geteuid() == 0 ? NOBODY : getuid();
    gid_t   gid = geteuid() == 0 ? NOBODY : getgid();

    (void) state;
    test_child_run(drop_child, NULL, 10000, &result);
    vstring_sprintf(expect, "%s" "setgid(%ld): Operation not permitted\n"
		    "setuid(%ld): Operation not permitted\n",
		    geteuid() == 0 ? "dropped\n" : "",
		    (long) (gid == 1 ? 2 : 1), (long) (uid == 1 ? 2 : 1));
    assert_string_equal(result.output, vstring_str(expect));
    assert_true(test_child_exited(&result, 0));
    test_child_free(&result);
    vstring_free(expect);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_refuse_root),
	cmocka_unit_test(test_fatal),
	cmocka_unit_test(test_drop),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
