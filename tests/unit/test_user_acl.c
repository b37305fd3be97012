/*
 * test_user_acl - unit tests for user_acl(3)
 *
 * DESCRIPTION
 *	authorized_submit_users lists: names, !names, type:table,
 *	/file/name (nested, with comments), empty lists, errors.
 */
#include "sys_defs.h"

#include <string.h>
#include <unistd.h>

#include "mymalloc.h"
#include "stringops.h"
#include "vstring.h"
#include "user_acl.h"
#include "test_support.h"

typedef struct CASE {
    const char *list;
    const char *login;
    int     expect;
} CASE;

/* test_lists - the table */
static void test_lists(void **state)
{
    static const CASE cases[] = {
	{"static:anyone", "joe", USER_ACL_ALLOW},
	{"", "joe", USER_ACL_DENY},
	{"joe", "joe", USER_ACL_ALLOW},
	{"joe", "jo", USER_ACL_DENY},
	{"ann, joe", "joe", USER_ACL_ALLOW},
	{"ann joe", "joe", USER_ACL_ALLOW},
	{"!joe, static:anyone", "joe", USER_ACL_DENY},
	{"!joe, static:anyone", "ann", USER_ACL_ALLOW},
	{"!!joe", "joe", USER_ACL_ALLOW},
	{"inline:{joe=1, ann=2}", "ann", USER_ACL_ALLOW},
	{"inline:{joe=1, ann=2}", "bob", USER_ACL_DENY},
	{"!inline:{joe=1}, static:x", "joe", USER_ACL_DENY},
	{"Joe", "joe", USER_ACL_DENY},
	{"fail:x", "joe", USER_ACL_ERROR},
	{"joe, fail:x", "joe", USER_ACL_ALLOW},
    };

    (void) state;
    for (size_t n = 0; n < ARRAY_LEN(cases); n++) {
	int     got = user_acl_match("test", cases[n].list, cases[n].login);

	if (got != cases[n].expect)
	    fail_msg("case %zu (%s, %s): got %d, want %d", n, cases[n].list,
		     cases[n].login, got, cases[n].expect);
    }
}

/* test_files - /file/name patterns */
static void test_files(void **state)
{
    char   *dir = test_tempdir();
    char   *users = concatenate(dir, "/users", (char *) 0);
    char   *outer = concatenate(dir, "/outer", (char *) 0);
    char   *missing = concatenate(dir, "/missing", (char *) 0);
    char   *list;

    (void) state;
    test_write_file(users, "# comment joe\nann\n!bob\n\ncarl dave\n");
    assert_int_equal(user_acl_match("t", users, "ann"), USER_ACL_ALLOW);
    assert_int_equal(user_acl_match("t", users, "dave"), USER_ACL_ALLOW);
    assert_int_equal(user_acl_match("t", users, "joe"), USER_ACL_DENY);
    list = concatenate(users, ", static:anyone", (char *) 0);
    assert_int_equal(user_acl_match("t", list, "bob"), USER_ACL_DENY);
    assert_int_equal(user_acl_match("t", list, "eve"), USER_ACL_ALLOW);
    myfree(list);
    list = concatenate("!", users, ", static:anyone", (char *) 0);
    assert_int_equal(user_acl_match("t", list, "ann"), USER_ACL_DENY);
    myfree(list);

    /* A file that names itself: bounded nesting, an error. */
    test_write_file(outer, outer);
    test_capture_start();
    assert_int_equal(user_acl_match("t", outer, "ann"), USER_ACL_ERROR);
    assert_non_null(strstr(test_capture_text(), "nested too deep"));
    test_capture_stop();

    test_capture_start();
    assert_int_equal(user_acl_match("t", missing, "ann"), USER_ACL_ERROR);
    assert_non_null(strstr(test_capture_text(), "cannot read"));
    test_capture_stop();
    test_remove_tree(dir);
    myfree(users);
    myfree(outer);
    myfree(missing);
    myfree(dir);
}

/* test_login - uid to name */
static void test_login(void **state)
{
    VSTRING *buf = vstring_alloc(10);

    (void) state;
    assert_string_equal(user_acl_login(buf, 0), "root");
    assert_string_equal(user_acl_login(buf, 1234567), "unknown");
    vstring_free(buf);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_lists),
	cmocka_unit_test(test_files),
	cmocka_unit_test(test_login),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
