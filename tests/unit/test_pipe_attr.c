/*
 * test_pipe_attr - unit tests for pipe_attr(3)
 *
 * "USER" in a case stands for "user=<an ordinary account>" taken from
 * the host's password file. Expected reasons are those that Debian's
 * pipe(8) (Postfix 3.7) logs for the same master.cf arguments.
 */
#include "sys_defs.h"

#include <string.h>

#include "argv.h"
#include "mymalloc.h"
#include "stringops.h"
#include "vstring.h"
#include "mail_copy.h"
#include "pipe_attr.h"
#include "test_support.h"

#define MAX_ARGS	8

static char *user_attr;
static uid_t user_uid;
static gid_t user_gid;

/* make_args - a case's arguments with USER replaced */
static void make_args(const char *const *in, char **out)
{
    size_t  n;

    if (user_attr == NULL)
	user_attr = concatenate("user=", test_ordinary_user(&user_uid,
							   &user_gid),
				(char *) 0);
    for (n = 0; in[n] != NULL; n++) {
	assert_true(n + 1 < MAX_ARGS);
	out[n] = (char *) (strcmp(in[n], "USER") == 0 ? user_attr : in[n]);
    }
    out[n] = NULL;
}

/* test_refused - bad attributes give Postfix's reasons */
static void test_refused(void **state)
{
    static const struct {
	const char *args[MAX_ARGS];
	const char *reason;
    } cases[] = {
	{{"argv=/bin/true", NULL}, "missing user= command-line attribute"},
	{{"USER", NULL}, "missing argv= command-line attribute"},
	{{"flags=H", "USER", "argv=/bin/true", NULL},
	"unknown flag: H (ignored)"},
	{{"flags=Fx", "USER", "argv=/bin/true", NULL},
	"unknown flag: x (ignored)"},
	{{"group=daemon", "USER", "argv=/bin/true", NULL},
	"unknown attribute name: group=daemon"},
	{{"foo=bar", "USER", "argv=/bin/true", NULL},
	"unknown attribute name: foo=bar"},
	{{"size=abc", "USER", "argv=/bin/true", NULL},
	"get_service_attr: bad size= value: abc"},
	{{"size=", "USER", "argv=/bin/true", NULL},
	"get_service_attr: bad size= value: "},
	{{"user=root", "argv=/bin/true", NULL},
	"user= command-line attribute specifies root privileges"},
	{{"user=no-such-user-here", "argv=/bin/true", NULL},
	"unknown user name: no-such-user-here"},
    };
    VSTRING *why = vstring_alloc(10);
    PIPE_ATTR attr;
    char   *args[MAX_ARGS];
    size_t  n;

    for (n = 0; n < sizeof(cases) / sizeof(cases[0]); n++) {
	make_args(cases[n].args, args);
	assert_false(pipe_attr_parse(args, NULL, &attr, why));
	assert_string_equal(vstring_str(why), cases[n].reason);
    }
    vstring_free(why);
}

/* test_mail_owner - the mail system owner is refused by name */
static void test_mail_owner(void **state)
{
    VSTRING *why = vstring_alloc(10);
    const char *name;
    PIPE_ATTR attr;
    char   *args[MAX_ARGS];
    const char *in[] = {"USER", "argv=/bin/true", NULL};

    make_args(in, args);
    name = strchr(user_attr, '=') + 1;
    assert_false(pipe_attr_parse(args, name, &attr, why));
    assert_true(strncmp(vstring_str(why), "user= command-line attribute "
			"specifies mail system owner ", 57) == 0);
    vstring_free(why);
}

/* test_accepted - every attribute and flag */
static void test_accepted(void **state)
{
    const char *in[] = {"flags=BDFORXhqu.>", "USER", "size=1000",
	"eol=\\r\\n", "null_sender=", "directory=/tmp",
	"argv=/bin/echo", NULL};
    const char *in2[] = {"USER", "argv=/bin/cat", "flags=x", "{a b}", NULL};
    VSTRING *why = vstring_alloc(10);
    PIPE_ATTR attr;
    char   *args[MAX_ARGS];
    char   *joined;

    make_args(in, args);
    assert_true(pipe_attr_parse(args, "no-such-owner", &attr, why));
    assert_int_equal(attr.flags, PIPE_FLAG_BLANK | PIPE_FLAG_DELIVERED
		     | PIPE_FLAG_FROM | PIPE_FLAG_ORIG_RCPT
		     | PIPE_FLAG_RETURN_PATH | PIPE_FLAG_FINAL
		     | PIPE_FLAG_FOLD_HOST | PIPE_FLAG_QUOTE
		     | PIPE_FLAG_FOLD_USER | PIPE_FLAG_DOT
		     | PIPE_FLAG_QUOTE_FROM);
    assert_int_equal(attr.uid, user_uid);
    assert_int_equal(attr.gid, user_gid);
    assert_int_equal(attr.size_limit, 1000);
    assert_string_equal(attr.eol, "\r\n");
    assert_string_equal(attr.null_sender, "");
    assert_string_equal(attr.directory, "/tmp");
    assert_null(attr.chroot);
    assert_int_equal(pipe_attr_copy_flags(attr.flags),
		     MAIL_COPY_FROM | MAIL_COPY_RETURN_PATH
		     | MAIL_COPY_DELIVERED | MAIL_COPY_ORIG_RCPT
		     | MAIL_COPY_QUOTE | MAIL_COPY_DOT | MAIL_COPY_BLANK);
    pipe_attr_free(&attr);

    /* Defaults; everything after argv= is the command's. */
    make_args(in2, args);
    assert_true(pipe_attr_parse(args, NULL, &attr, why));
    assert_int_equal(attr.flags, 0);
    assert_string_equal(attr.eol, "\n");
    assert_string_equal(attr.null_sender, "MAILER-DAEMON");
    assert_null(attr.directory);
    assert_int_equal(attr.size_limit, 0);
    joined = argv_join(attr.argv, "|");
    assert_string_equal(joined, "/bin/cat|flags=x|{a b}");
    myfree(joined);
    pipe_attr_free(&attr);
    assert_null(attr.argv);
    vstring_free(why);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_refused),
	cmocka_unit_test(test_mail_owner),
	cmocka_unit_test(test_accepted),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
