/*
 * test_mail_conf - unit tests for mail_conf(3) and mail_params(3)
 */
#include "sys_defs.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "mail_conf.h"
#include "mail_params.h"
#include "mail_params_default.h"
#include "test_support.h"
#include "test_child.h"

static char *test_dir;

/* write_main_cf - create main.cf in a fresh directory and read it */
static void write_main_cf(const char *text)
{
    char   *path;

    if (test_dir == NULL)
	test_dir = test_tempdir();
    path = concatenate(test_dir, "/main.cf", (char *) 0);
    test_write_file(path, text);
    mail_conf_clear();
    mail_conf_set_dir(test_dir);
    mail_conf_read();
    myfree(path);
}

/* test_syntax - continuation, comments, duplicates, read-only names */
static void test_syntax(void **state)
{
    (void) state;
    test_capture_start();
    write_main_cf("# comment\n"
		  "myhostname = a\n"
		  "  b\n"
		  "# inside\n"
		  "\n"
		  "   c\n"
		  "mydomain=example.com   \n"
		  "process_id = 1\n"
		  "myhostname = last.example\n");
    assert_string_equal(mail_conf_lookup("mydomain"), "example.com");
    assert_string_equal(mail_conf_lookup("myhostname"), "last.example");
    assert_int_equal(mail_conf_lookup_line("myhostname"), 9);
    assert_null(mail_conf_lookup("process_id"));
    assert_string_equal(mail_conf_lookup("config_directory"), test_dir);
    {
	char   *expect = concatenate("warning: ", test_dir,
				   "/main.cf: read-only parameter assignment:"
				     " process_id=1\n", "warning: ", test_dir,
			    "/main.cf, line 9: overriding earlier entry: "
				     "myhostname=a  b   c\n", (char *) 0);

	assert_string_equal(test_capture_text(), expect);
	myfree(expect);
    }
    test_capture_stop();
}

/* test_expansion - $name, defaults and the typed accessors */
static void test_expansion(void **state)
{
    char   *value;

    (void) state;
    write_main_cf("myhostname = mail.example.com\n"
		  "smtpd_banner = $myhostname ESMTP ${mail_name}\n"
		  "line_length_limit = 4096\n"
		  "biff = NO\n"
		  "ipc_timeout = 2m\n"
		  "user_thing = ${undefined_name:fallback}\n");
    assert_string_equal(VAR_STR(smtpd_banner), "mail.example.com ESMTP Postfix");
    assert_string_equal(VAR_STR(mydomain), "example.com");
    assert_string_equal(VAR_STR(myorigin), "mail.example.com");
    assert_int_equal(VAR_INT(line_length_limit), 4096);
    assert_false(VAR_BOOL(biff));
    assert_int_equal(VAR_TIME(ipc_timeout), 120);
    assert_int_equal(VAR_TIME(smtpd_timeout), 300);
    assert_true(VAR_BOOL(smtputf8_enable) == false);	/* level 0 */
    value = mail_conf_get_str("user_thing", "", 0, 0);
    assert_string_equal(value, "fallback");
    myfree(value);
    /* Raw parameters are not expanded. */
    assert_string_equal(VAR_STR(forward_path),
	       "$home/.forward${recipient_delimiter}${extension}, $home/.forward");
    /* Overrides win and reset the cache. */
    mail_conf_update("stress", "yes");
    assert_int_equal(VAR_TIME(smtpd_timeout), 10);
    mail_conf_update("compatibility_level", "3.6");
    assert_true(VAR_BOOL(smtputf8_enable));
    assert_string_equal(VAR_STR(smtp_tls_fingerprint_digest), "sha256");
}

/* test_table - the table agrees with itself and is findable */
static void test_table(void **state)
{
    const MAIL_PARAM *param;
    size_t  n;

    (void) state;
    assert_true(MAIL_PARAM_COUNT > 800);
    for (n = 1; n < MAIL_PARAM_COUNT; n++)
	assert_true(strcmp(mail_param_table[n - 1].name, mail_param_table[n].name) < 0);
    param = mail_param_find("2bounce_notice_recipient");
    assert_non_null(param);
    assert_string_equal(mail_param_default_text(param), "postmaster");
    assert_null(mail_param_find("no_such_parameter"));
    assert_string_equal(PARAM_NAME(smtpd_banner), "smtpd_banner");
    assert_true(mail_param_is_readonly("process_name"));
    mail_params_set_process_name("/usr/sbin/postconf");
    assert_string_equal(mail_params_default_process_name(), "postconf");
}

/* evaluate_all - use the parameters of test_bad_values */
static void evaluate_all(void *context)
{
    (void) context;
    (void) VAR_INT(line_length_limit);
    (void) VAR_TIME(ipc_timeout);
    (void) VAR_BOOL(biff);
    (void) VAR_STR(myhostname);
}

/* test_defaults_valid - every built-in default passes its own limits */
static void test_defaults_valid(void **state)
{
    size_t  n;

    (void) state;
    write_main_cf("");
    for (n = 0; n < MAIL_PARAM_COUNT; n++) {
	switch (mail_param_table[n].type) {
	case MAIL_PARAM_STR:
	case MAIL_PARAM_RAW:
	    (void) mail_param_str((int) n);
	    break;
	case MAIL_PARAM_INT:
	    (void) mail_param_int((int) n);
	    break;
	case MAIL_PARAM_BOOL:
	    (void) mail_param_bool((int) n);
	    break;
	case MAIL_PARAM_TIME:
	    (void) mail_param_time((int) n);
	    break;
	}
    }
}

/* test_bad_values - fatal errors carry Postfix's words */
static void test_bad_values(void **state)
{
    static const struct {
	const char *main_cf;
	const char *message;
    } cases[] = {
	{"line_length_limit = zz\n",
	"fatal: bad numerical configuration: line_length_limit = zz\n"},
	{"line_length_limit = 100\n",
	"fatal: invalid line_length_limit parameter value 100 < 512\n"},
	{"ipc_timeout = 5x\n",
	"fatal: parameter ipc_timeout: bad time value or unit: 5x\n"},
	{"ipc_timeout = 0\n", "fatal: invalid ipc_timeout: 0 (min 1)\n"},
	{"biff = maybe\n", "fatal: bad boolean configuration: biff = maybe\n"},
	{"myhostname =\n", "fatal: bad string length 0 < 1: myhostname = \n"},
	{"myhostname = ${x\n", "warning: truncated macro reference: \"${x\"\n"
	"fatal: dictionary mail_dict: macro processing error\n"},
    };
    size_t  n;
    TEST_CHILD_RESULT result;

    (void) state;
    for (n = 0; n < ARRAY_LEN(cases); n++) {
	write_main_cf(cases[n].main_cf);
	test_child_run(evaluate_all, NULL, 10000, &result);
	assert_string_equal(result.output, cases[n].message);
	assert_true(test_child_exited(&result, 1));
	test_child_free(&result);
    }
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_syntax),
	cmocka_unit_test(test_expansion),
	cmocka_unit_test(test_table),
	cmocka_unit_test(test_defaults_valid),
	cmocka_unit_test(test_bad_values),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
