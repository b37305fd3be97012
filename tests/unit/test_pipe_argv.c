/*
 * test_pipe_argv - unit tests for pipe_argv(3)
 *
 * The expected vectors are what Debian's pipe(8) (Postfix 3.7) passed
 * to a command for the same argv= words, flags and recipients (see
 * tests/system/test_agents.py for the live comparison).
 */
#include "sys_defs.h"

#include <string.h>

#include "argv.h"
#include "mymalloc.h"
#include "stringops.h"
#include "vstring.h"
#include "deliver_request.h"
#include "recipient_list.h"
#include "pipe_argv.h"
#include "pipe_attr.h"
#include "test_support.h"

/* make_request - a request with the fields that macros read */
static void make_request(DELIVER_REQUEST *req, const char *sender)
{
    memset(req, 0, sizeof(*req));
    req->queue_id = (char *) "EED15A96A47";
    req->nexthop = (char *) "NH.Example";
    req->sender = (char *) sender;
    req->data_size = 305;
    req->client_name = (char *) "localhost";
    req->client_addr = (char *) "127.0.0.1";
    req->client_port = (char *) "57070";
    req->client_proto = (char *) "ESMTP";
    req->client_helo = (char *) "helo.name";
    recipient_list_init(&req->rcpt_list);
    recipient_list_add(&req->rcpt_list, 100, "", 0, "Foo+Ext@Pall.example",
		       "Foo+Ext@Pall.example");
    recipient_list_add(&req->rcpt_list, 200, "", 0, "",
		       "g h@pall.example");
    recipient_list_add(&req->rcpt_list, 300, "", 0, "Orig@X.Example",
		       "x@pall.example");
}

/* expand - words joined with "|", or the failure reason */
static char *expand(const char *words, const DELIVER_REQUEST *req, int flags,
		            const char *null_sender)
{
    ARGV   *pattern = argv_split(words, " ");
    VSTRING *why = vstring_alloc(10);
    ARGV   *result;
    char   *text;

    /* "~" stands for a space inside one word. */
    for (size_t n = 0; n < pattern->argc; n++)
	for (char *cp = pattern->argv[n]; *cp; cp++)
	    if (*cp == '~')
		*cp = ' ';
    result = pipe_argv_expand(pattern, req, flags, null_sender, "+", why);
    if (result) {
	text = argv_join(result, "|");
	argv_free(result);
    } else {
	text = concatenate("ERROR ", vstring_str(why), (char *) 0);
    }
    argv_free(pattern);
    vstring_free(why);
    return text;
}

/* test_macros - every macro, per-recipient words, no flags */
static void test_macros(void **state)
{
    static const struct {
	const char *words;
	int     flags;
	const char *expect;
    } cases[] = {
	{"cmd S=${sender} N=$nexthop Z=$(size) Q=${queue_id}", 0,
	"cmd|S=s n@Src.Example|N=NH.Example|Z=305|Q=EED15A96A47"},
	{"CA=${client_address} CH=${client_helo} CN=${client_hostname} "
	    "CP=${client_port} CPR=${client_protocol} SM=${sasl_method}", 0,
	"CA=127.0.0.1|CH=helo.name|CN=localhost|CP=57070|CPR=ESMTP|SM="},
	{"R=${recipient}", 0,
	"R=Foo+Ext@Pall.example|R=g h@pall.example|R=x@pall.example"},
	{"R=${recipient}", PIPE_FLAG_QUOTE,
	"R=Foo+Ext@Pall.example|R=\"g h\"@pall.example|R=x@pall.example"},
	{"E=${extension} M=${mailbox} U=${user} D=${domain}", 0,
	"E=Ext|E=|E=|M=Foo+Ext|M=g h|M=x|U=Foo|U=g h|U=x|"
	"D=Pall.example|D=pall.example|D=pall.example"},
	{"O=${original_recipient}", 0,
	"O=Foo+Ext@Pall.example|O=g h@pall.example|O=Orig@X.Example"},
	{"${user}~x x${recipient}y $$ $user.z ${user}${domain}", 0,
	"Foo x|g h x|x x|xFoo+Ext@Pall.exampley|xg h@pall.exampley|"
	"xx@pall.exampley|$|Foo.z|g h.z|x.z|FooPall.example|"
	"g hpall.example|xpall.example"},
	{"${recipient} ${user} ${domain} ${original_recipient} ${nexthop}",
	    PIPE_FLAG_FOLD_HOST | PIPE_FLAG_FOLD_USER | PIPE_FLAG_QUOTE,
	"foo+ext@pall.example|\"g h\"@pall.example|x@pall.example|"
	"foo|g h|x|pall.example|pall.example|pall.example|"
	"foo+ext@pall.example|\"g h\"@pall.example|orig@x.example|"
	"nh.example"},
	{"S=${sender}", PIPE_FLAG_QUOTE, "S=\"s n\"@Src.Example"},
	{"${sender?yes}${sender:no}", 0, "yes"},
	{"x ${nosuch} y", 0, "ERROR unknown macro name: \"nosuch\""},
	{"x ${recipient", 0,
	"ERROR macro syntax error in \"${recipient\""},
    };
    DELIVER_REQUEST req;
    size_t  n;
    char   *got;

    make_request(&req, "s n@Src.Example");
    for (n = 0; n < sizeof(cases) / sizeof(cases[0]); n++) {
	got = expand(cases[n].words, &req, cases[n].flags, "MAILER-DAEMON");
	assert_string_equal(got, cases[n].expect);
	myfree(got);
    }
    recipient_list_free(&req.rcpt_list);
}

/* test_null_sender - replacement text, quoting, empty replacement */
static void test_null_sender(void **state)
{
    DELIVER_REQUEST req;
    char   *got;

    make_request(&req, "");
    got = expand("-f ${sender}", &req, PIPE_FLAG_QUOTE, "MAILER-DAEMON");
    assert_string_equal(got, "-f|MAILER-DAEMON");
    myfree(got);
    got = expand("-f ${sender}", &req, PIPE_FLAG_QUOTE, "");
    assert_string_equal(got, "-f|");
    myfree(got);
    got = expand("-f ${sender}", &req, PIPE_FLAG_QUOTE, "nul sender");
    assert_string_equal(got, "-f|\"nul sender\"");
    myfree(got);
    recipient_list_free(&req.rcpt_list);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_macros),
	cmocka_unit_test(test_null_sender),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
