/*
 * test_smtpd_policy - unit tests for the policy delegation protocol:
 * smtpd_policy_reply(3) (the reply parser) and smtpd_policy_request(3)
 * (the request of check_policy_service)
 */
#include "sys_defs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mymalloc.h"
#include "stringops.h"
#include "vstream.h"
#include "vstring.h"
#include "mail_params.h"
#include "smtpd_policy_reply.h"
#include "smtpd_policy_request.h"
#include "test_params.h"
#include "test_support.h"

/* parse_text - feed a whole text to the line parser */
static int parse_text(SMTPD_POLICY_REPLY *reply, const char *text,
		              size_t len)
{
    const char *cp = text;
    const char *end = text + len;
    const char *nl;
    int     status = SMTPD_POLICY_REPLY_MORE;

    smtpd_policy_reply_reset(reply);
    while (cp < end && (nl = memchr(cp, '\n', end - cp)) != 0) {
	status = smtpd_policy_reply_line(reply, cp, nl - cp);
	if (status != SMTPD_POLICY_REPLY_MORE)
	    break;
	cp = nl + 1;
    }
    return (status);
}

/* test_reply_lines - first action wins, junk is ignored */
static void test_reply_lines(void **state)
{
    static const struct {
	const char *text;
	int     status;
	const char *action;		/* NULL: none */
    } cases[] = {
	{"action=DUNNO\n\n", SMTPD_POLICY_REPLY_DONE, "DUNNO"},
	{"action=REJECT go away\n\n", SMTPD_POLICY_REPLY_DONE, "REJECT go away"},
	{"action=REJECT x\naction=OK\n\n", SMTPD_POLICY_REPLY_DONE, "REJECT x"},
	{"garbage\naction=REJECT one\n\n", SMTPD_POLICY_REPLY_DONE, "REJECT one"},
	{"=x\naction=OK\n\n", SMTPD_POLICY_REPLY_DONE, "OK"},
	{"foo=bar\n\n", SMTPD_POLICY_REPLY_DONE, 0},
	{"action=\n\n", SMTPD_POLICY_REPLY_DONE, ""},
	{"actions=OK\n\n", SMTPD_POLICY_REPLY_DONE, 0},
	{"Action=OK\n\n", SMTPD_POLICY_REPLY_DONE, 0},
	{"action=a=b\n\n", SMTPD_POLICY_REPLY_DONE, "a=b"},
	{"\n", SMTPD_POLICY_REPLY_DONE, 0},
	{"action=OK\n", SMTPD_POLICY_REPLY_MORE, "OK"},
    };
    SMTPD_POLICY_REPLY *reply = smtpd_policy_reply_create();
    size_t  n;
    int     status;

    (void) state;
    for (n = 0; n < ARRAY_LEN(cases); n++) {
	status = parse_text(reply, cases[n].text, strlen(cases[n].text));
	if (status != cases[n].status)
	    fail_msg("\"%s\": status %d", cases[n].text, status);
	if (cases[n].action == 0)
	    assert_null(reply->action);
	else if (reply->action == 0)
	    fail_msg("\"%s\": no action", cases[n].text);
	else
	    assert_string_equal(reply->action, cases[n].action);
    }
    /* A NUL ends the line's content. */
    status = parse_text(reply, "action=OK\0junk\n\n", 16);
    assert_int_equal(status, SMTPD_POLICY_REPLY_DONE);
    assert_string_equal(reply->action, "OK");
    smtpd_policy_reply_free(reply);
}

/* test_reply_line_limit - too many lines is an error */
static void test_reply_line_limit(void **state)
{
    SMTPD_POLICY_REPLY *reply = smtpd_policy_reply_create();
    int     n;
    int     status = SMTPD_POLICY_REPLY_MORE;

    (void) state;
    for (n = 0; n <= SMTPD_POLICY_REPLY_MAX_LINES; n++) {
	status = smtpd_policy_reply_line(reply, "x=y", 3);
	if (status != SMTPD_POLICY_REPLY_MORE)
	    break;
    }
    assert_int_equal(status, SMTPD_POLICY_REPLY_ERROR);
    assert_int_equal(n, SMTPD_POLICY_REPLY_MAX_LINES);
    smtpd_policy_reply_free(reply);
}

/* read_text - smtpd_policy_reply_read() of a text written to a pipe */
static int read_text(SMTPD_POLICY_REPLY *reply, const char *text,
		             size_t len, int *err)
{
    int     fds[2];
    VSTREAM *fp;
    int     status;

    assert_int_equal(pipe(fds), 0);
    if (len > 0) {
	/* Larger texts: from a file, so the writer cannot block. */
	char   *dir = test_tempdir();
	char   *path = concatenate(dir, "/reply", (char *) 0);
	VSTREAM *out = vstream_fopen(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	assert_non_null(out);
	assert_int_equal(vstream_fwrite(out, text, len), len);
	assert_int_equal(vstream_fclose(out), 0);
	close(fds[0]);
	close(fds[1]);
	fds[0] = open(path, O_RDONLY);
	assert_true(fds[0] >= 0);
	unlink(path);
	myfree(path);
	test_remove_tree(dir);
	myfree(dir);
    } else {
	close(fds[1]);
    }
    fp = vstream_fdopen(fds[0], O_RDONLY);
    vstream_set_timeout(fp, 10);
    status = smtpd_policy_reply_read(reply, fp);
    *err = errno;
    vstream_fclose(fp);
    return (status);
}

/* test_reply_read - whole replies from a stream, with bounds */
static void test_reply_read(void **state)
{
    SMTPD_POLICY_REPLY *reply = smtpd_policy_reply_create();
    VSTRING *big = vstring_alloc(200000);
    int     err;

    (void) state;
    assert_int_equal(read_text(reply, "x=1\naction=HOLD\n\n", 17, &err),
		     SMTPD_POLICY_REPLY_DONE);
    assert_string_equal(reply->action, "HOLD");
    /* End of input before the empty line. */
    assert_int_equal(read_text(reply, "action=OK\n", 10, &err),
		     SMTPD_POLICY_REPLY_ERROR);
    assert_int_equal(err, 0);
    assert_int_equal(read_text(reply, "", 0, &err),
		     SMTPD_POLICY_REPLY_ERROR);
    assert_int_equal(err, 0);
    /* A 5000-byte action is fine (Postfix takes it), 100001 is not. */
    vstring_strcpy(big, "action=DUNNO ");
    while (VSTRING_LEN(big) < 5000)
	vstring_strcat(big, "x");
    vstring_strcat(big, "\n\n");
    assert_int_equal(read_text(reply, vstring_str(big), VSTRING_LEN(big), &err),
		     SMTPD_POLICY_REPLY_DONE);
    assert_int_equal(strlen(reply->action), 4993);
    vstring_strcpy(big, "action=DUNNO ");
    while (VSTRING_LEN(big) < SMTPD_POLICY_REPLY_MAX_LINE + 10)
	vstring_strcat(big, "y");
    vstring_strcat(big, "\n\n");
    assert_int_equal(read_text(reply, vstring_str(big), VSTRING_LEN(big), &err),
		     SMTPD_POLICY_REPLY_ERROR);
    vstring_free(big);
    smtpd_policy_reply_free(reply);
}

static char *owned[20];
static int nowned;

/* W - a writable copy of a constant, freed at the end of the test */
static char *W(const char *text)
{
    return (owned[nowned++] = mystrdup(text));
}

/* test_request - the attributes, in Debian Postfix 3.7's order */
static void test_request(void **state)
{
    SMTPD_STATE st;
    SMTPD_CHECK_CALL call;
    VSTRING *req = vstring_alloc(100);
    VSTRING *expect = vstring_alloc(100);
    char   *instance;

    (void) state;
    test_set_param("compatibility_level", "3.6");
    memset(&st, 0, sizeof(st));
    memset(&call, 0, sizeof(call));
    call.state = &st;
    call.stage = SMTPD_STAGE_HELO;
    st.where = "HELO";
    st.protocol = W("SMTP");
    st.addr = W("127.0.0.1");
    st.name = W("localhost");
    st.reverse_name = W("localhost");
    st.port = W("39684");
    st.server_addr = W("127.0.0.1");
    st.server_port = W("25");
    st.helo_name = W("client.example");

    smtpd_policy_request_format(&call, "", req);
    vstring_sprintf(expect,
		    "request=smtpd_access_policy\nprotocol_state=HELO\n"
		    "protocol_name=SMTP\nclient_address=127.0.0.1\n"
		    "client_name=localhost\nclient_port=39684\n"
		    "reverse_client_name=localhost\nserver_address=127.0.0.1\n"
		    "server_port=25\nhelo_name=client.example\nsender=\n"
		    "recipient=\nrecipient_count=0\nqueue_id=\ninstance=\n"
		    "size=0\netrn_domain=\nstress=\nsasl_method=\n"
		    "sasl_username=\nsasl_sender=\nccert_subject=\n"
		    "ccert_issuer=\nccert_fingerprint=\n"
		    "ccert_pubkey_fingerprint=\nencryption_protocol=\n"
		    "encryption_cipher=\nencryption_keysize=0\n"
		    "policy_context=\ncompatibility_level=3.6\n"
		    "mail_version=%s\n\n", VAR_STR(mail_version));
    assert_string_equal(vstring_str(req), vstring_str(expect));

    /* RCPT: recipient, instance (stable within the transaction). */
    call.stage = SMTPD_STAGE_RECIPIENT;
    st.where = "RCPT";
    st.protocol = W("ESMTP");
    st.sender = W("s@x.example");
    st.recipient = W("a@test.example");
    st.msg_size = 100;
    st.rcpt_count = 2;
    smtpd_policy_request_format(&call, "ctx1", req);
    assert_non_null(st.instance);
    instance = mystrdup(st.instance);
    assert_non_null(strstr(vstring_str(req), "\nprotocol_state=RCPT\n"
			   "protocol_name=ESMTP\n"));
    assert_non_null(strstr(vstring_str(req), "\nsender=s@x.example\n"
			   "recipient=a@test.example\nrecipient_count=0\n"));
    assert_non_null(strstr(vstring_str(req), "\nsize=100\n"));
    assert_non_null(strstr(vstring_str(req), "\npolicy_context=ctx1\n"));
    smtpd_policy_request_format(&call, "", req);
    assert_string_equal(st.instance, instance);

    /* DATA with two recipients: no recipient; END-OF-MESSAGE: size. */
    call.stage = SMTPD_STAGE_DATA;
    smtpd_policy_request_format(&call, "", req);
    assert_non_null(strstr(vstring_str(req), "\nprotocol_state=DATA\n"));
    assert_non_null(strstr(vstring_str(req), "\nrecipient_count=2\n"));
    assert_non_null(strstr(vstring_str(req), "\nrecipient=\n"));
    call.stage = SMTPD_STAGE_EOD;
    st.rcpt_count = 1;
    st.act_size = 4321;
    smtpd_policy_request_format(&call, "", req);
    assert_non_null(strstr(vstring_str(req),
			   "\nprotocol_state=END-OF-MESSAGE\n"));
    assert_non_null(strstr(vstring_str(req), "\nrecipient=a@test.example\n"));
    assert_non_null(strstr(vstring_str(req), "\nsize=4321\n"));

    /* ETRN. */
    call.stage = SMTPD_STAGE_ETRN;
    st.etrn_name = W("foo.example");
    smtpd_policy_request_format(&call, "", req);
    assert_non_null(strstr(vstring_str(req), "\nprotocol_state=ETRN\n"));
    assert_non_null(strstr(vstring_str(req), "\netrn_domain=foo.example\n"));

    myfree(instance);
    myfree(st.instance);
    while (nowned > 0)
	myfree(owned[--nowned]);
    vstring_free(req);
    vstring_free(expect);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_reply_lines),
	cmocka_unit_test(test_reply_line_limit),
	cmocka_unit_test(test_reply_read),
	cmocka_unit_test(test_request),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
