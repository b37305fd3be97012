/*
 * test_mail_conf_checkdir - unit tests for mail_conf_checkdir(3)
 */
#include "sys_defs.h"

#include <string.h>
#include <unistd.h>

#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "vstring.h"
#include "mail_conf_checkdir.h"
#include "test_support.h"
#include "test_child.h"

static char *default_dir;
static const char *check_dir;

/* check_in_child - run the check for check_dir */
static void check_in_child(void *context)
{
    (void) context;
    mail_conf_checkdir(default_dir, check_dir);
}

/* test_checkdir - listed directories pass, others are fatal */
static void test_checkdir(void **state)
{
    static const struct {
	const char *dir;
	bool    trusted;
    } cases[] = {
	{"/etc/postfix-a", true},		/* alternate, first */
	{"/etc/postfix-b", true},		/* alternate, after comma */
	{"/etc/postfix-c", true},		/* continuation line */
	{"/etc/postfix-m", true},		/* multi_instance_directories */
	{"/etc/postfix-x", false},
	{"/etc/postfix", false},		/* prefix of a listed one */
	{"$config_directory", false},		/* no expansion: literal */
	{"/etc/postfix-a/", false},		/* exact match only */
    };
    char   *main_cf;
    VSTRING *expect = vstring_alloc(100);
    TEST_CHILD_RESULT result;
    size_t  n;

    (void) state;
    default_dir = test_tempdir();
    main_cf = concatenate(default_dir, "/main.cf", (char *) 0);
    test_write_file(main_cf,
		    "# trusted instances\n"
		    "alternate_config_directories = /etc/postfix-a,"
		    "/etc/postfix-b\n"
		    "    /etc/postfix-c\n"
		    "myhostname = x.example\n"
		    "multi_instance_directories = /etc/postfix-m\n"
		    "broken line without equals\n");
    for (n = 0; n < ARRAY_LEN(cases); n++) {
	check_dir = cases[n].dir;
	test_child_run(check_in_child, NULL, 10000, &result);
	if (cases[n].trusted) {
	    assert_string_equal(result.output, "");
	    assert_true(test_child_exited(&result, 0));
	} else {
	    vstring_sprintf(expect,
			    "error: untrusted configuration directory name: %s\n"
			    "fatal: specify \"alternate_config_directories = %s\""
			    " in %s\n", cases[n].dir, cases[n].dir, main_cf);
	    assert_string_equal(result.output, vstring_str(expect));
	    assert_true(test_child_exited(&result, 1));
	}
	test_child_free(&result);
    }

    /* The default directory itself needs no main.cf entry at all. */
    unlink(main_cf);
    mail_conf_checkdir(default_dir, default_dir);

    /* Without the default main.cf nothing else is trusted. */
    check_dir = "/etc/postfix-a";
    test_child_run(check_in_child, NULL, 10000, &result);
    vstring_sprintf(expect, "fatal: open file %s: No such file or directory\n",
		    main_cf);
    assert_string_equal(result.output, vstring_str(expect));
    assert_true(test_child_exited(&result, 1));
    test_child_free(&result);

    rmdir(default_dir);
    myfree(default_dir);
    myfree(main_cf);
    vstring_free(expect);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_checkdir),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
