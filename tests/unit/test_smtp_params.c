/*
 * test_smtp_params - unit tests for smtp_params(3): SMTP or LMTP by
 * program name, and the smtp_/lmtp_ twin of each parameter
 */
#include "sys_defs.h"

#include <string.h>

#include "mail_conf.h"
#include "mail_params.h"
#include "smtp.h"
#include "test_support.h"

/* setup - no settings, SMTP mode */
static int setup(void **state)
{
    (void) state;
    mail_conf_clear();
    smtp_params_init("smtp", "smtp");
    return 0;
}

/* teardown - forget the settings */
static int teardown(void **state)
{
    (void) state;
    mail_conf_clear();
    smtp_params_init("smtp", "smtp");
    return 0;
}

/* test_mode_by_name - the program name decides; the service only without one */
static void test_mode_by_name(void **state)
{
    static const struct {
	const char *service;
	const char *argv0;
	int     smtp;
    }       cases[] = {
	{"smtp", "smtp", 1},
	{"lmtp", "lmtp", 0},
	{"lmtp", "/usr/libexec/postfix/lmtp", 0},
	{"smtp", "/usr/libexec/postfix/smtp", 1},
	/* As Postfix: "relay unix ... smtp" and "x unix ... lmtp". */
	{"relay", "/usr/libexec/postfix/smtp", 1},
	{"dovecot", "/usr/libexec/postfix/lmtp", 0},
	/* The service name does not turn smtp into lmtp. */
	{"lmtp", "/usr/libexec/postfix/smtp", 1},
	/* Not "lmtp" exactly. */
	{"smtp", "/x/lmtp.old", 1},
	{"smtp", "/lmtp/smtp", 1},
	/* No program name (tests): the service name. */
	{"lmtp", 0, 0},
	{"lmtp", "", 0},
	{"smtp", 0, 1},
	{0, 0, 1},
    };
    size_t  n;

    (void) state;
    for (n = 0; n < sizeof(cases) / sizeof(cases[0]); n++) {
	smtp_params_init(cases[n].service, cases[n].argv0);
	assert_int_equal(smtp_mode, cases[n].smtp);
    }
}

/* test_defaults - the twins' own defaults */
static void test_defaults(void **state)
{
    (void) state;
    smtp_params_init("smtp", "smtp");
    assert_string_equal(SMTP_STR(tcp_port), "smtp");
    assert_int_equal(SMTP_TIME(connect_timeout), 30);
    assert_string_equal(SMTP_PARAM_NAME(connect_timeout),
			"smtp_connect_timeout");
    smtp_params_init("lmtp", "lmtp");
    assert_string_equal(SMTP_STR(tcp_port), "24");
    assert_int_equal(SMTP_TIME(connect_timeout), 0);
    assert_string_equal(SMTP_PARAM_NAME(connect_timeout),
			"lmtp_connect_timeout");
}

/* test_twins - each mode reads its own twin of every type */
static void test_twins(void **state)
{
    static const struct {
	const char *argv0;
	long    session_limit;
	bool    skip_5xx;
	int     done_timeout;
	const char *fallback;
	const char *helo_name;
    }       modes[] = {
	{"smtp", 7, false, 120, "[a.example]", "h.example"},
	{"lmtp", 3, true, 5, "unix:/x", "l.example"},
    };
    size_t  n;

    (void) state;
    mail_conf_update("smtp_mx_session_limit", "7");
    mail_conf_update("lmtp_mx_session_limit", "3");
    mail_conf_update("smtp_skip_5xx_greeting", "no");
    mail_conf_update("lmtp_skip_5xx_greeting", "yes");
    mail_conf_update("smtp_data_done_timeout", "2m");
    mail_conf_update("lmtp_data_done_timeout", "5s");
    mail_conf_update("smtp_fallback_relay", "[a.example]");
    mail_conf_update("lmtp_fallback_relay", "unix:/x");
    mail_conf_update("smtp_helo_name", "h.example");
    mail_conf_update("lmtp_lhlo_name", "l.example");
    for (n = 0; n < sizeof(modes) / sizeof(modes[0]); n++) {
	smtp_params_init("any", modes[n].argv0);
	assert_int_equal(SMTP_INT(mx_session_limit), modes[n].session_limit);
	assert_int_equal(SMTP_BOOL(skip_5xx_greeting), modes[n].skip_5xx);
	assert_int_equal(SMTP_TIME(data_done_timeout), modes[n].done_timeout);
	assert_string_equal(SMTP_STR(fallback_relay), modes[n].fallback);
	assert_string_equal(smtp_param_str(STR_PARAM_smtp_helo_name,
					   STR_PARAM_lmtp_lhlo_name),
			    modes[n].helo_name);
    }
}

/* test_no_twin - a negative lmtp index reads the smtp_ parameter */
static void test_no_twin(void **state)
{
    (void) state;
    mail_conf_update("smtp_never_send_ehlo", "yes");
    mail_conf_update("smtp_mx_address_limit", "9");
    smtp_params_init("lmtp", "lmtp");
    assert_true(smtp_param_bool(BOOL_PARAM_smtp_never_send_ehlo, -1));
    assert_int_equal(smtp_param_int(INT_PARAM_smtp_mx_address_limit, -1), 9);
    assert_string_equal(smtp_param_str(STR_PARAM_smtp_tcp_port, -1), "smtp");
    assert_int_equal(smtp_param_time(TIME_PARAM_smtp_connect_timeout, -1), 30);
}

/* test_override - a later setting (master.cf -o) is seen after a reset */
static void test_override(void **state)
{
    (void) state;
    smtp_params_init("lmtp", "lmtp");
    assert_string_equal(SMTP_STR(tcp_port), "24");
    mail_conf_update("lmtp_tcp_port", "2424");
    assert_string_equal(SMTP_STR(tcp_port), "2424");
    smtp_params_init("smtp", "smtp");
    assert_string_equal(SMTP_STR(tcp_port), "smtp");
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test_setup_teardown(test_mode_by_name, setup, teardown),
	cmocka_unit_test_setup_teardown(test_defaults, setup, teardown),
	cmocka_unit_test_setup_teardown(test_twins, setup, teardown),
	cmocka_unit_test_setup_teardown(test_no_twin, setup, teardown),
	cmocka_unit_test_setup_teardown(test_override, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
