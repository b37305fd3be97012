/*
 * test_command_user - unit tests for command_user(3)
 *
 * The accounts are taken from the host's password and group files at
 * run time (an ordinary account and group with non-zero ids, and the
 * name of group 0), so that the test does not depend on which accounts
 * the host has. Expected reasons are Postfix 3.7's (observed with
 * Debian's spawn(8)).
 */
#include "sys_defs.h"

#include <grp.h>
#include <pwd.h>
#include <string.h>

#include "mymalloc.h"
#include "vstring.h"
#include "command_user.h"
#include "test_support.h"

typedef struct ACCOUNTS {
    char   *user;			/* uid != 0, gid != 0 */
    uid_t   uid;
    gid_t   gid;
    char   *group;			/* a group with gid != 0, != user's */
    gid_t   group_gid;
    char   *root_group;			/* the name of group 0 */
} ACCOUNTS;

static ACCOUNTS acct;

/* find_accounts - pick the accounts the tests need */
static void find_accounts(void)
{
    struct group *gr;

    if (acct.user != NULL)
	return;
    acct.user = mystrdup(test_ordinary_user(&acct.uid, &acct.gid));
    setgrent();
    while ((gr = getgrent()) != NULL)
	if (gr->gr_gid != 0 && gr->gr_gid != acct.gid)
	    break;
    if (gr == NULL) {
	fail_msg("no group with a non-zero id");
	return;
    }
    acct.group = mystrdup(gr->gr_name);
    acct.group_gid = gr->gr_gid;
    endgrent();
    if ((gr = getgrgid(0)) == NULL) {
	fail_msg("no group 0");
	return;
    }
    acct.root_group = mystrdup(gr->gr_name);
}

/* expect_refusal - resolve spec and check the reason */
static void expect_refusal(const char *spec, const char *owner,
			           const char *reason)
{
    VSTRING *why = vstring_alloc(100);
    COMMAND_USER user;

    if (command_user_resolve(spec, owner, &user, why))
	fail_msg("\"%s\" was accepted", spec);
    assert_string_equal(vstring_str(why), reason);
    vstring_free(why);
}

/* expect_ids - resolve spec and check the ids */
static void expect_ids(const char *spec, const char *owner,
		               uid_t uid, gid_t gid)
{
    VSTRING *why = vstring_alloc(100);
    COMMAND_USER user;

    if (!command_user_resolve(spec, owner, &user, why))
	fail_msg("\"%s\": %s", spec, vstring_str(why));
    assert_int_equal(user.uid, uid);
    assert_int_equal(user.gid, gid);
    vstring_free(why);
}

/* test_accepted - user, user:, user:group */
static void test_accepted(void **state)
{
    VSTRING *spec = vstring_alloc(100);

    (void) state;
    find_accounts();
    expect_ids(acct.user, NULL, acct.uid, acct.gid);
    expect_ids(acct.user, "no-such-owner-postel-test", acct.uid, acct.gid);
    expect_ids(acct.user, "root", acct.uid, acct.gid);
    vstring_sprintf(spec, "%s:", acct.user);
    expect_ids(vstring_str(spec), NULL, acct.uid, acct.gid);
    vstring_sprintf(spec, "%s:%s", acct.user, acct.group);
    expect_ids(vstring_str(spec), NULL, acct.uid, acct.group_gid);
    vstring_free(spec);
}

/* test_refused - unknown names and privileged ids */
static void test_refused(void **state)
{
    VSTRING *spec = vstring_alloc(100);
    struct passwd *root = getpwuid(0);

    (void) state;
    find_accounts();
    assert_non_null(root);
    expect_refusal("no-such-user-postel-test", NULL,
		   "unknown user name: no-such-user-postel-test");
    expect_refusal("", NULL, "unknown user name: ");
    expect_refusal(":x", NULL, "unknown user name: ");
    /* Numeric ids are names like any other. */
    expect_refusal("3999999999", NULL, "unknown user name: 3999999999");
    expect_refusal(root->pw_name, NULL, "request to deliver as root");
    vstring_sprintf(spec, "%s:%s", root->pw_name, acct.group);
    expect_refusal(vstring_str(spec), NULL, "request to deliver as root");
    expect_refusal(acct.user, acct.user,
		   "request to deliver as mail system owner");
    vstring_sprintf(spec, "%s:%s", acct.user, acct.root_group);
    expect_refusal(vstring_str(spec), NULL,
		   "request to use privileged group id 0");
    vstring_sprintf(spec, "%s:no-such-group-postel-test", acct.user);
    expect_refusal(vstring_str(spec), NULL,
		   "unknown group name: no-such-group-postel-test");
    vstring_free(spec);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_accepted),
	cmocka_unit_test(test_refused),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
