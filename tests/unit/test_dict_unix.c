/*
 * test_dict_unix - unit tests for dict_unix(3)
 *
 * DESCRIPTION
 *	postconf(1) -m: unix:passwd.byname returns a passwd(5) entry and
 *	unix:group.byname a group(5) entry. Postfix 3.7 answers "postmap
 *	-q root unix:passwd.byname" with "root:x:0:0:root:/root:/bin/bash"
 *	on this system; the expected text is built here from getpwnam(3)
 *	so that the test does not depend on the host's accounts.
 */
#include "sys_defs.h"

#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>

#include "vstring.h"
#include "dict.h"
#include "dict_unix.h"
#include "test_dict_support.h"

/* test_unix_passwd - the entry of the root account */
static void test_unix_passwd(void **state)
{
    struct passwd *pw = getpwuid(0);
    VSTRING *expect = vstring_alloc(100);
    TEST_DICT_QUERY q[4] = {{0}};

    (void) state;
    assert_non_null(pw);
    vstring_sprintf(expect, "%s:%s:0:%ld:%s:%s:%s", pw->pw_name, pw->pw_passwd,
		    (long) pw->pw_gid, pw->pw_gecos, pw->pw_dir, pw->pw_shell);
    q[0].key = pw->pw_name;
    q[0].result = vstring_str(expect);
    q[1].key = "no-such-user-postel-test";
    q[1].result = "NOTFOUND";
    test_dict_expect("unix:passwd.byname", 0, NULL, q, "");
    /* Keys are folded like those of any fixed-string table. */
    if (strcmp(pw->pw_name, "root") == 0) {
	q[0].key = "ROOT";
	q[1].key = NULL;
	test_dict_expect("unix:passwd.byname", DICT_FLAG_FOLD_FIX, NULL, q, "");
    }
    vstring_free(expect);
}

/* test_unix_group - a group entry with its member list */
static void test_unix_group(void **state)
{
    struct group *gr = getgrgid(0);
    VSTRING *expect = vstring_alloc(100);
    TEST_DICT_QUERY q[3] = {{0}};
    char  **cpp;

    (void) state;
    assert_non_null(gr);
    vstring_sprintf(expect, "%s:%s:0:", gr->gr_name, gr->gr_passwd);
    for (cpp = gr->gr_mem; *cpp; cpp++)
	vstring_sprintf_append(expect, "%s%s", cpp == gr->gr_mem ? "" : ",", *cpp);
    q[0].key = gr->gr_name;
    q[0].result = vstring_str(expect);
    q[1].key = "no-such-group-postel-test";
    q[1].result = "NOTFOUND";
    test_dict_expect("unix:group.byname", 0, NULL, q, "");
    vstring_free(expect);
}

/* test_unix_unknown - unknown table names */
static void test_unix_unknown(void **state)
{
    static const TEST_DICT_QUERY q[] = {{"root", "CONFIG",
    "warning: unix:foo is unavailable. unknown table: unix:foo\n"}, {0}};

    (void) state;
    test_dict_expect("unix:foo", 0, NULL, q, q[0].log);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_unix_passwd),
	cmocka_unit_test(test_unix_group),
	cmocka_unit_test(test_unix_unknown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
