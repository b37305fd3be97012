/*
 * test_spawn_attr - unit tests for spawn_attr(3)
 *
 * The account for user= is taken from the host's password file at run
 * time (any account with non-zero user and group ids); "USER" in a
 * case stands for "user=<that account>". Expected reasons are those
 * of Debian's spawn(8) (Postfix 3.7) for the same master.cf arguments.
 */
#include "sys_defs.h"

#include <string.h>

#include "argv.h"
#include "mymalloc.h"
#include "stringops.h"
#include "vstring.h"
#include "spawn_attr.h"
#include "test_support.h"

#define MAX_ARGS	8

static char *user_attr;			/* "user=<name>" */
static uid_t user_uid;
static gid_t user_gid;

/* find_user - an ordinary account for user= */
static void find_user(void)
{
    if (user_attr == NULL)
	user_attr = concatenate("user=", test_ordinary_user(&user_uid,
							   &user_gid),
				(char *) 0);
}

/* make_args - a case's arguments with USER replaced */
static void make_args(const char *const *in, char **out)
{
    size_t  n;

    for (n = 0; in[n] != NULL; n++) {
	assert_true(n + 1 < MAX_ARGS);
	out[n] = (char *) (strcmp(in[n], "USER") == 0 ? user_attr : in[n]);
    }
    out[n] = NULL;
}

/* test_refused - missing and unknown attributes */
static void test_refused(void **state)
{
    static const struct {
	const char *args[MAX_ARGS];
	const char *reason;
    } cases[] = {
	{{NULL}, "missing user= attribute"},
	{{"argv=/bin/true", NULL}, "missing user= attribute"},
	{{"USER", NULL}, "missing argv= attribute"},
	{{"USER", "foo=bar", "argv=/bin/true", NULL},
	"unknown attribute name: foo=bar"},
	{{"argv", NULL}, "unknown attribute name: argv"},
	{{"User=x", "argv=/bin/true", NULL}, "unknown attribute name: User=x"},
	{{"user=no-such-user-postel-test", "argv=/bin/true", NULL},
	"unknown user name: no-such-user-postel-test"},
	{{"USER", "user=root", "argv=/bin/true", NULL},
	"request to deliver as root"},
    };
    char   *args[MAX_ARGS];
    VSTRING *why = vstring_alloc(100);
    SPAWN_ATTR attr;
    size_t  n;

    (void) state;
    find_user();
    for (n = 0; n < ARRAY_LEN(cases); n++) {
	make_args(cases[n].args, args);
	VSTRING_RESET(why);
	if (spawn_attr_parse(args, NULL, &attr, why))
	    fail_msg("case %zu was accepted", n);
	assert_string_equal(vstring_str(why), cases[n].reason);
    }
    vstring_free(why);
}

/* test_accepted - the command after argv=, whatever follows */
static void test_accepted(void **state)
{
    static const struct {
	const char *args[MAX_ARGS];
	const char *command;		/* argv joined with "|" */
    } cases[] = {
	{{"USER", "argv=/bin/true", NULL}, "/bin/true"},
	{{"USER", "argv=/usr/bin/python3", "/x/policy.py", "-v", NULL},
	"/usr/bin/python3|/x/policy.py|-v"},
	/* Attributes after argv= are the command's arguments. */
	{{"USER", "argv=/bin/echo", "user=root", "foo=bar", NULL},
	"/bin/echo|user=root|foo=bar"},
	{{"USER", "USER", "argv=cmd", "a b", NULL}, "cmd|a b"},
	/* An empty program is accepted; executing it fails. */
	{{"USER", "argv=", NULL}, ""},
    };
    char   *args[MAX_ARGS];
    VSTRING *why = vstring_alloc(100);
    SPAWN_ATTR attr;
    char   *joined;
    size_t  n;

    (void) state;
    find_user();
    for (n = 0; n < ARRAY_LEN(cases); n++) {
	make_args(cases[n].args, args);
	if (!spawn_attr_parse(args, NULL, &attr, why))
	    fail_msg("case %zu: %s", n, vstring_str(why));
	assert_int_equal(attr.uid, user_uid);
	assert_int_equal(attr.gid, user_gid);
	joined = argv_join(attr.argv, "|");
	assert_string_equal(joined, cases[n].command);
	myfree(joined);
	spawn_attr_free(&attr);
	assert_null(attr.argv);
    }
    vstring_free(why);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_refused),
	cmocka_unit_test(test_accepted),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
