/*
 * test_mypwd - unit tests for mypwd(3)
 *
 * Results are compared with the C library's own answers, so the test
 * does not depend on what the host's password file contains.
 */
#include "sys_defs.h"

#include <errno.h>
#include <pwd.h>
#include <string.h>
#include <unistd.h>

#include "mypwd.h"
#include "test_support.h"

/* test_mypwd_lookup - by uid, by name, private copies */
static void test_mypwd_lookup(void **state)
{
    struct passwd *pw;
    MYPWD  *by_uid;
    MYPWD  *by_name;
    MYPWD  *root;

    (void) state;
    pw = getpwuid(getuid());
    assert_non_null(pw);			/* test needs a known user */
    by_uid = mypwuid(getuid());
    assert_non_null(by_uid);
    assert_string_equal(by_uid->pw_name, pw->pw_name);
    assert_int_equal(by_uid->pw_uid, pw->pw_uid);
    assert_int_equal(by_uid->pw_gid, pw->pw_gid);
    assert_string_equal(by_uid->pw_dir, pw->pw_dir);
    assert_string_equal(by_uid->pw_shell, pw->pw_shell);

    by_name = mypwnam(by_uid->pw_name);
    assert_non_null(by_name);
    assert_ptr_not_equal(by_name, by_uid);
    assert_int_equal(by_name->pw_uid, getuid());

    /* Another lookup does not overwrite earlier results. */
    root = mypwuid(0);
    assert_non_null(root);
    assert_int_equal(root->pw_uid, 0);
    assert_int_equal(by_name->pw_uid, getuid());
    assert_string_equal(by_name->pw_name, by_uid->pw_name);

    mypwfree(root);
    mypwfree(by_name);
    mypwfree(by_uid);
    mypwfree(NULL);
}

/* test_mypwd_missing - no such user is not an error */
static void test_mypwd_missing(void **state)
{
    MYPWD  *pwd = (MYPWD *) 1;

    (void) state;
    assert_int_equal(mypwnam_err("no-such-user-for-postel-tests", &pwd), 0);
    assert_null(pwd);
    pwd = (MYPWD *) 1;
    assert_int_equal(mypwuid_err((uid_t) 3999999999U, &pwd), 0);
    assert_null(pwd);
    errno = EIO;
    assert_null(mypwnam("no-such-user-for-postel-tests"));
    assert_int_equal(errno, 0);
    assert_null(mypwnam(""));
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_mypwd_lookup),
	cmocka_unit_test(test_mypwd_missing),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
