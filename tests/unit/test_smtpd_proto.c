/*
 * test_smtpd_proto - unit tests for the smtpd(8) protocol core parsers
 *
 * DESCRIPTION
 *	Table-driven tests of smtpd_cmd_split(), smtpd_mail_split(),
 *	smtpd_mail_addr(), smtpd_mail_xtext(), smtpd_mail_params() and
 *	smtpd_rcpt_params(), and of the reply formatting of
 *	smtpd_chat_reply() (multi-line replies, smtpd_reject_footer,
 *	soft_bounce) on a stream that writes to a temporary file, and of
 *	smtpd_helo_ehlo_mask().
 */
#include "sys_defs.h"

#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include "mymalloc.h"
#include "argv.h"
#include "stringops.h"
#include "vstring.h"
#include "vstream.h"
#include "mail_conf.h"
#include "mail_params.h"
#include "rec_type.h"
#include "smtpd.h"
#include "smtpd_check.h"
#include "test_support.h"

/* test_cmd_split - words, quotes and brackets */
static void test_cmd_split(void **unused)
{
    static const struct {
	const char *line;
	const char *joined;
    } cases[] = {
	{"EHLO x", "EHLO|x"},
	{"  MAIL   FROM:<a@b>  SIZE=1 ", "MAIL|FROM:<a@b>|SIZE=1"},
	{"RCPT TO:<\"a b\"@c> NOTIFY=NEVER", "RCPT|TO:<\"a b\"@c>|NOTIFY=NEVER"},
	{"MAIL FROM:<a b@c>", "MAIL|FROM:<a b@c>"},
	{"VRFY \"x \\\" y\"", "VRFY|\"x \\\" y\""},
	{"\t", ""},
    };
    size_t  n;

    for (n = 0; n < ARRAY_LEN(cases); n++) {
	ARGV   *argv = smtpd_cmd_split(cases[n].line);
	char   *joined = argv_join(argv, "|");

	assert_string_equal(joined, cases[n].joined);
	myfree(joined);
	argv_free(argv);
    }
}

/* test_mail_addr - address syntax as Postfix 3.7 accepts it */
static void test_mail_addr(void **unused)
{
    static const struct {
	const char *line;		/* command line */
	const char *keyword;
	bool    strict;
	int     split;			/* smtpd_mail_split() result */
	int     status;			/* smtpd_mail_addr() result */
	const char *addr;
    } cases[] = {
	{"MAIL FROM:<a@b>", "FROM:", false, 0, 0, "a@b"},
	{"MAIL FROM:<>", "FROM:", false, 0, 0, ""},
	{"MAIL FROM: <a@b>", "FROM:", true, 0, 0, "a@b"},
	{"MAIL FROM:a@b", "FROM:", false, 0, 0, "a@b"},
	{"MAIL FROM:a@b", "FROM:", true, 0, -1, ""},
	{"MAIL FROM:<@x,@y:a@b>", "FROM:", false, 0, 0, "a@b"},
	{"RCPT TO:<\"a b\"@c>", "TO:", false, 0, 0, "a b@c"},
	{"RCPT TO:<a b@c>", "TO:", false, 0, -1, ""},
	{"RCPT TO:<a<b>@c>", "TO:", false, 0, -1, ""},
	{"RCPT TO:<a@b", "TO:", false, 0, -2, ""},
	{"RCPT TO:<a@b>>", "TO:", false, 0, 0, "a@b"},
	{"rcpt to:<a@b>", "TO:", false, 0, 0, "a@b"},
	{"MAIL FROM:", "FROM:", false, -1, 0, ""},
	{"MAIL FROM", "FROM:", false, -1, 0, ""},
	{"MAIL", "FROM:", false, -1, 0, ""},
	{"MAIL TO:<a@b>", "FROM:", false, -1, 0, ""},
    };
    VSTRING *addr = vstring_alloc(10);
    size_t  n;

    for (n = 0; n < ARRAY_LEN(cases); n++) {
	ARGV   *argv = smtpd_cmd_split(cases[n].line);
	const char *text = 0;
	int     first = 0;
	int     split = smtpd_mail_split((int) argv->argc, argv->argv,
					 cases[n].keyword, &text, &first);

	assert_int_equal(split, cases[n].split);
	if (split == 0) {
	    assert_int_equal(smtpd_mail_addr(text, cases[n].strict, addr),
			     cases[n].status);
	    if (cases[n].status == 0)
		assert_string_equal(vstring_str(addr), cases[n].addr);
	}
	argv_free(argv);
    }
    vstring_free(addr);
}

/* test_xtext - RFC 3461 decoding */
static void test_xtext(void **unused)
{
    VSTRING *out = vstring_alloc(10);

    assert_int_equal(smtpd_mail_xtext(out, "a+2Bb"), 0);
    assert_string_equal(vstring_str(out), "a+b");
    assert_int_equal(smtpd_mail_xtext(out, "x+40y"), 0);
    assert_string_equal(vstring_str(out), "x@y");
    assert_int_equal(smtpd_mail_xtext(out, "a+ZZ"), -1);
    assert_int_equal(smtpd_mail_xtext(out, "a+2"), -1);
    assert_int_equal(smtpd_mail_xtext(out, "a=b"), -1);
    vstring_free(out);
}

/* params_reply - the reply of the MAIL or RCPT parameter parser ("ok",
 * "ok XVERP=xy" when MAIL asked for VERP) */
static char *params_reply(const char *words, bool rcpt, bool verp_ok)
{
    ARGV   *argv = argv_split(words, " ");
    const char *reply;
    char   *copy;

    if (rcpt) {
	SMTPD_RCPT_ARGS args;

	reply = smtpd_rcpt_params(argv->argv, &args);
	copy = mystrdup(reply ? reply : "ok");
	smtpd_rcpt_args_free(&args);
    } else {
	SMTPD_MAIL_ARGS args;

	reply = smtpd_mail_params(argv->argv, verp_ok, &args);
	copy = reply ? mystrdup(reply) : args.verp ?
	    concatenate("ok XVERP=", args.verp, (char *) 0) : mystrdup("ok");
	smtpd_mail_args_free(&args);
    }
    argv_free(argv);
    return (copy);
}

/* test_params - ESMTP parameters with Postfix's replies */
static void test_params(void **unused)
{
    static const struct {
	const char *words;
	bool    rcpt;
	const char *reply;
	bool    verp_ok;		/* client may ask for VERP */
    } cases[] = {
	{"SIZE=100 BODY=8BITMIME RET=HDRS ENVID=a+2Bb AUTH=<>", false, "ok", false},
	{"BODY=BINARYMIME", false, "555 5.5.4 Unsupported option: BODY=BINARYMIME", false},
	{"SIZE=x", false, "501 5.5.4 Bad message size syntax", false},
	{"SIZE=", false, "501 5.5.4 Bad message size syntax", false},
	{"SIZE=1 SIZE=2", false, "ok", false},
	{"RET=X", false, "501 5.5.4 Bad RET parameter syntax", false},
	{"RET=FULL RET=HDRS", false, "501 5.5.4 Bad RET parameter syntax", false},
	{"ENVID=a+ZZ", false, "501 5.5.4 Bad ENVID parameter syntax", false},
	{"ENVID=a ENVID=b", false, "501 5.5.4 Bad ENVID parameter syntax", false},
	{"XVERP", false, "555 5.5.4 Unsupported option: XVERP", false},
	{"XVERP=-=", false, "555 5.5.4 Unsupported option: XVERP=-=", false},
	{"XVERP", false, "ok XVERP=+=", true},
	{"XVERP=-=", false, "ok XVERP=-=", true},
	{"xverp=++", false, "ok XVERP=++", true},
	{"XVERP=-= XVERP=+-", false, "ok XVERP=+-", true},
	{"XVERP=-= XVERP", false, "ok XVERP=+=", true},
	{"XVERP=ab", false, "501 5.5.4 Error: XVERP needs two characters from -=+", true},
	{"XVERP=+", false, "501 5.5.4 Error: XVERP needs two characters from -=+", true},
	{"XVERP=+=+", false, "501 5.5.4 Error: XVERP needs two characters from -=+", true},
	{"XVERP=", false, "501 5.5.4 Error: XVERP needs two characters from -=+", true},
	{"XVERP=+2B+3D", false, "501 5.5.4 Error: XVERP needs two characters from -=+", true},
	{"XVERP=ab SIZE=x", false, "501 5.5.4 Error: XVERP needs two characters from -=+", true},
	{"SIZE=x XVERP=ab", false, "501 5.5.4 Bad message size syntax", true},
	{"XVERPX", false, "555 5.5.4 Unsupported option: XVERPX", true},
	{"FOO=bar", false, "555 5.5.4 Unsupported option: FOO=bar", false},
	{"NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;x+40y", true, "ok", false},
	{"NOTIFY=NEVER", true, "ok", false},
	{"NOTIFY=X", true, "501 5.5.4 Error: Bad NOTIFY parameter syntax", false},
	{"NOTIFY=NEVER,SUCCESS", true, "501 5.5.4 Error: Bad NOTIFY parameter syntax", false},
	{"NOTIFY=SUCCESS NOTIFY=DELAY", true, "501 5.5.4 Error: Bad NOTIFY parameter syntax", false},
	{"ORCPT=x", true, "501 5.5.4 Error: Bad ORCPT parameter syntax", false},
	{"ORCPT=foo;x", true, "ok", false},
	{"ORCPT=rfc822;a+ZZ", true, "501 5.5.4 Error: Bad ORCPT parameter syntax", false},
	{"ORCPT=rfc822;a ORCPT=rfc822;b", true, "501 5.5.4 Error: Bad ORCPT parameter syntax", false},
	{"FOO", true, "555 5.5.4 Unsupported option: FOO", false},
    };
    size_t  n;

    test_capture_start();
    for (n = 0; n < ARRAY_LEN(cases); n++) {
	char   *reply = params_reply(cases[n].words, cases[n].rcpt,
				     cases[n].verp_ok);

	assert_string_equal(reply, cases[n].reply);
	myfree(reply);
    }
    test_capture_stop();
}

/* chat_output - run one reply through smtpd_chat_reply(); return output */
static char *chat_output(const char *reply)
{
    char   *dir = test_tempdir();
    char   *path = concatenate(dir, "/out", (char *) 0);
    VSTREAM *fp = vstream_fopen(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    SMTPD_STATE *state;
    VSTRING *buf = vstring_alloc(100);
    int     ch;

    assert_non_null(fp);
    state = smtpd_state_create(fp, "smtp", SMTPD_FLAG_STANDALONE);
    smtpd_state_set_peer(state, "host", "host", "192.0.2.1", "1234",
			 SMTPD_PEER_CODE_OK, SMTPD_PEER_CODE_OK);
    smtpd_chat_reply(state, "%s", reply);
    vstream_fflush(fp);
    vstream_fseek(fp, 0, SEEK_SET);
    while ((ch = VSTREAM_GETC(fp)) != VSTREAM_EOF)
	VSTRING_ADDCH(buf, ch);
    VSTRING_TERMINATE(buf);
    smtpd_state_free(state);
    vstream_fclose(fp);
    unlink(path);
    test_remove_tree(dir);
    myfree(path);
    myfree(dir);
    return (vstring_export(buf));
}

/* test_chat_reply - multi-line replies and the reject footer */
static void test_chat_reply(void **unused)
{
    char   *out;

    mail_conf_update("smtpd_error_sleep_time", "0");
    out = chat_output("250-host\n250-PIPELINING\n250-CHUNKING");
    assert_string_equal(out, "250-host\r\n250-PIPELINING\r\n250 CHUNKING\r\n");
    myfree(out);

    mail_conf_update("myhostname", "mx.example");
    mail_conf_update("smtpd_reject_footer",
		     "\\c. Call ($client_address at $server_name)\\nline two");
    mail_params_reset();
    out = chat_output("550 5.1.1 <u@d>: User unknown");
    assert_string_equal(out, "550-5.1.1 <u@d>: User unknown. Call "
			"(192.0.2.1 at mx.example)\r\n550 5.1.1 line two\r\n");
    myfree(out);
    out = chat_output("503 Error: MAIL transaction in progress");
    assert_string_equal(out, "503-Error: MAIL transaction in progress. Call "
			"(192.0.2.1 at mx.example)\r\n503 line two\r\n");
    myfree(out);
    out = chat_output("250 2.0.0 Ok");
    assert_string_equal(out, "250 2.0.0 Ok\r\n");
    myfree(out);

    mail_conf_update("smtpd_reject_footer", "Footer");
    mail_params_reset();
    out = chat_output("554 5.7.1 Rejected");
    assert_string_equal(out, "554-5.7.1 Rejected\r\n554 5.7.1 Footer\r\n");
    myfree(out);
    mail_conf_update("smtpd_reject_footer", "");
    mail_conf_update("soft_bounce", "yes");
    mail_params_reset();
    out = chat_output("554 5.7.1 Rejected\n554 5.7.1 second line");
    assert_string_equal(out, "454-4.7.1 Rejected\r\n454 4.7.1 second line\r\n");
    myfree(out);
    out = chat_output("500 Syntax: ETRN domain");
    assert_string_equal(out, "400 Syntax: ETRN domain\r\n");
    myfree(out);
    mail_conf_update("soft_bounce", "no");
    mail_params_reset();
}

/* test_ehlo_mask - keyword names to bits; unknown names ignored */
static void test_ehlo_mask(void **unused)
{
    assert_int_equal(smtpd_helo_ehlo_mask("pipelining, SIZE foo"),
		     SMTPD_EHLO_PIPELINING | SMTPD_EHLO_SIZE);
    assert_int_equal(smtpd_helo_ehlo_mask("silent-discard,dsn"),
		     SMTPD_EHLO_SILENT | SMTPD_EHLO_DSN);
    assert_int_equal(smtpd_helo_ehlo_mask(""), 0);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_cmd_split),
	cmocka_unit_test(test_mail_addr),
	cmocka_unit_test(test_xtext),
	cmocka_unit_test(test_params),
	cmocka_unit_test(test_chat_reply),
	cmocka_unit_test(test_ehlo_mask),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
