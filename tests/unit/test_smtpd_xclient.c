/*
 * test_smtpd_xclient - unit tests for the XCLIENT/XFORWARD attribute parsers
 *
 * Table-driven: each case is the attribute part of a command and the
 * reply that Postfix 3.7 gives (observed on Debian's Postfix 3.7.11 with
 * inet_protocols = ipv4), or NULL when the command is accepted, with
 * what the parser then keeps.
 */
#include "sys_defs.h"

#include <stdio.h>
#include <string.h>

#include "mymalloc.h"
#include "argv.h"
#include "stringops.h"
#include "smtpd.h"
#include "smtpd_xclient.h"
#include "test_params.h"
#include "test_support.h"

typedef struct CASE {
    const char *args;			/* after the command word */
    const char *reply;			/* NULL: accepted */
} CASE;

static const CASE xclient_cases[] = {
    {"NAME", "501 5.5.4 Error: attribute=value expected"},
    {"NAME=", "501 5.5.4 Error: attribute=value expected"},
    {"=x", "501 5.5.4 Error: attribute=value expected"},
    {"FOO=bar", "501 5.5.4 Bad XCLIENT attribute name: FOO"},
    {"ADDR=300.1.1.1", "501 5.5.4 Bad ADDR syntax: 300.1.1.1"},
    {"ADDR=foo", "501 5.5.4 Bad ADDR syntax: foo"},
    {"ADDR=[1.2.3.4]", "501 5.5.4 Bad ADDR syntax: [1.2.3.4]"},
    {"ADDR=IPV6:2001:db8::1", "501 5.5.4 Bad ADDR syntax: IPV6:2001:db8::1"},
    {"PORT=abc", "501 5.5.4 Bad PORT syntax: abc"},
    {"PORT=-1", "501 5.5.4 Bad PORT syntax: -1"},
    {"PORT=100000", "501 5.5.4 Bad PORT syntax: 100000"},
    {"PORT=99999", NULL},
    {"PORT=01234", NULL},
    {"PROTO=FOO", "501 5.5.4 Bad PROTO syntax: FOO"},
    {"PROTO=esmtp", NULL},
    {"NAME=bad..name", "501 5.5.4 Bad NAME syntax: bad..name"},
    {"NAME=a=b", "501 5.5.4 Bad NAME syntax: a=b"},
    {"NAME=a_b.example", NULL},
    {"NAME=ok.example ADDR=bad", "501 5.5.4 Bad ADDR syntax: bad"},
    {"DESTPORT=x", "501 5.5.4 Bad DESTPORT syntax: x"},
    {"HELO=a+20b", NULL},
    {"HELO=a+2", NULL},
    {"name=a.b ADDR=10.1.2.3", NULL},
    {"NAME=[unavailable] ADDR=[UNAVAILABLE] PORT=[Unavailable]", NULL},
    {"REVERSE_NAME=[TEMPUNAVAIL] NAME=n.example", NULL},
    {"LOGIN=joe DESTADDR=10.9.9.9 DESTPORT=25", NULL},
};

static const CASE xforward_cases[] = {
    {"NAME", "501 5.5.4 Error: attribute=value expected"},
    {"FOO=x", "501 5.5.4 Bad XFORWARD attribute name: FOO"},
    {"NAME=bad..name", "501 5.5.4 Bad NAME syntax: bad..name"},
    {"ADDR=300.1.1.1", "501 5.5.4 Bad ADDR syntax: 300.1.1.1"},
    {"PORT=abc", "501 5.5.4 Bad PORT syntax: abc"},
    {"SOURCE=FOO", "501 5.5.4 Bad SOURCE syntax: FOO"},
    {"SOURCE=local", NULL},
    {"PROTO=a+20b", NULL},
    {"HELO=bad..helo", NULL},
    {"IDENT=a+20b", NULL},
    {"NAME=[unavailable]", NULL},
    {"name=up.example ADDR=192.0.2.1 PORT=4321 PROTO=ESMTP "
    "HELO=uphelo.example IDENT=ABC123 SOURCE=REMOTE", NULL},
};

/* split - the command words of one case */
static ARGV *split(const char *command, const char *args)
{
    ARGV   *argv = argv_split(args, " ");

    argv_insert_one(argv, 0, command);
    return (argv);
}

/* setup - IPv4 only, as the observed instance */
static int setup(void **state)
{
    (void) state;
    test_set_param("inet_protocols", "ipv4");
    return (0);
}

/* test_xclient_table - replies of every case */
static void test_xclient_table(void **state)
{
    SMTPD_XCLIENT_ARGS args;
    const char *reply;
    size_t  i;
    ARGV   *argv;

    (void) state;
    for (i = 0; i < ARRAY_LEN(xclient_cases); i++) {
	argv = split("XCLIENT", xclient_cases[i].args);
	reply = smtpd_xclient_parse((int) argv->argc, argv->argv, &args);
	if (xclient_cases[i].reply == NULL) {
	    if (reply != NULL)
		fail_msg("\"%s\": %s", xclient_cases[i].args, reply);
	} else {
	    if (reply == NULL || strcmp(reply, xclient_cases[i].reply) != 0)
		fail_msg("\"%s\": got \"%s\" want \"%s\"",
			 xclient_cases[i].args, reply ? reply : "(accepted)",
			 xclient_cases[i].reply);
	}
	smtpd_xclient_args_free(&args);
	argv_free(argv);
    }
}

/* test_xclient_values - what an accepted command keeps */
static void test_xclient_values(void **state)
{
    SMTPD_XCLIENT_ARGS args;
    ARGV   *argv;

    (void) state;
    argv = split("XCLIENT", "NAME=[unavailable] ADDR=[UNAVAILABLE] "
		 "PORT=[unavailable] PROTO=esmtp HELO=a+20b LOGIN=joe "
		 "REVERSE_NAME=[tempunavail]");
    assert_null(smtpd_xclient_parse((int) argv->argc, argv->argv, &args));
    assert_string_equal(args.name, "unknown");
    assert_int_equal(args.name_status, SMTPD_PEER_CODE_PERM);
    assert_string_equal(args.reverse_name, "unknown");
    assert_int_equal(args.reverse_status, SMTPD_PEER_CODE_TEMP);
    assert_string_equal(args.addr, "unknown");
    assert_string_equal(args.port, "unknown");
    assert_string_equal(args.proto, "ESMTP");
    assert_string_equal(args.helo, "a?b");
    assert_string_equal(args.login, "joe");
    assert_true(args.helo_given && args.login_given);
    assert_null(args.destaddr);
    smtpd_xclient_args_free(&args);
    argv_free(argv);

    /* not xtext: the raw value */
    argv = split("XCLIENT", "HELO=a+2 NAME=Mixed.Example");
    assert_null(smtpd_xclient_parse((int) argv->argc, argv->argv, &args));
    assert_string_equal(args.helo, "a+2");
    assert_string_equal(args.name, "Mixed.Example");
    assert_int_equal(args.name_status, SMTPD_PEER_CODE_OK);
    smtpd_xclient_args_free(&args);
    argv_free(argv);

    /* too long after decoding */
    argv = split("XCLIENT", "HELO=x");
    myfree(argv->argv[1]);
    argv->argv[1] = mymalloc(300);
    memset(argv->argv[1], 'h', 299);
    argv->argv[1][299] = 0;
    memcpy(argv->argv[1], "HELO=", 5);
    assert_string_equal(smtpd_xclient_parse((int) argv->argc, argv->argv,
					    &args),
			"501 5.5.4 Error: attribute value too long");
    smtpd_xclient_args_free(&args);
    argv_free(argv);
}

/* test_xforward_table - replies of every case, and the kept values */
static void test_xforward_table(void **state)
{
    SMTPD_XFORWARD_ARGS args;
    const char *reply;
    size_t  i;
    ARGV   *argv;

    (void) state;
    for (i = 0; i < ARRAY_LEN(xforward_cases); i++) {
	argv = split("XFORWARD", xforward_cases[i].args);
	reply = smtpd_xforward_parse((int) argv->argc, argv->argv, &args);
	if (xforward_cases[i].reply == NULL) {
	    if (reply != NULL)
		fail_msg("\"%s\": %s", xforward_cases[i].args, reply);
	} else {
	    if (reply == NULL || strcmp(reply, xforward_cases[i].reply) != 0)
		fail_msg("\"%s\": got \"%s\" want \"%s\"",
			 xforward_cases[i].args, reply ? reply : "(accepted)",
			 xforward_cases[i].reply);
	}
	smtpd_xforward_args_free(&args);
	argv_free(argv);
    }
    argv = split("XFORWARD", "PROTO=a+20b IDENT=q+0d NAME=[unavailable] "
		 "ADDR=192.0.2.1");
    assert_null(smtpd_xforward_parse((int) argv->argc, argv->argv, &args));
    assert_string_equal(args.value[SMTPD_XFORWARD_PROTO], "a?b");
    assert_string_equal(args.value[SMTPD_XFORWARD_IDENT], "q?");
    assert_null(args.value[SMTPD_XFORWARD_NAME]);
    assert_true(args.given[SMTPD_XFORWARD_NAME]);
    assert_string_equal(args.value[SMTPD_XFORWARD_ADDR], "192.0.2.1");
    assert_false(args.given[SMTPD_XFORWARD_HELO]);
    smtpd_xforward_args_free(&args);
    argv_free(argv);

    /* PROTO: at most 64 bytes */
    argv = split("XFORWARD", "PROTO=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
		 "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
    assert_string_equal(smtpd_xforward_parse((int) argv->argc, argv->argv,
					     &args),
			"501 5.5.4 Bad PROTO syntax: xxxxxxxxxxxxxxxxxxxxxxxx"
			"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
    smtpd_xforward_args_free(&args);
    argv_free(argv);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test_setup(test_xclient_table, setup),
	cmocka_unit_test_setup(test_xclient_values, setup),
	cmocka_unit_test_setup(test_xforward_table, setup),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
