/*
 * test_clean_env - unit tests for clean_env(3)
 */
#include "sys_defs.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "msg.h"
#include "vstring.h"
#include "clean_env.h"
#include "test_support.h"
#include "test_child.h"

extern char **environ;

/* env_text - the whole environment, one entry per line */
static const char *env_text(VSTRING *buf)
{
    char  **cpp;

    VSTRING_RESET(buf);
    for (cpp = environ; cpp && *cpp; cpp++)
	vstring_sprintf_append(buf, "%s\n", *cpp);
    return vstring_str(buf);
}

/* clean_child - clean_env() and update_env() in a child */
static void clean_child(void *context)
{
    static const char *const keep[] = {
	"A", "C=override", "D=new=with=equals", "NOPE", "", "=bad", "E=", 0,
    };
    static const char *const update[] = {
	"X=1", "Y", "=z", "A=2", 0,
    };
    VSTRING *buf = vstring_alloc(100);

    (void) context;
    setenv("A", "1", 1);
    setenv("B", "2", 1);
    setenv("C", "3", 1);
    clean_env(keep);
    msg_info("after clean:\n%s", env_text(buf));
    update_env(update);
    msg_info("after update:\n%s", env_text(buf));
    clean_env(NULL);
    msg_info("empty:\n%s", env_text(buf));
    vstring_free(buf);
}

/* test_clean_env - preserve, set, update */
static void test_clean_env(void **state)
{
    TEST_CHILD_RESULT result;

    (void) state;
    test_child_run(clean_child, NULL, 10000, &result);
    assert_true(test_child_exited(&result, 0));
    /* msg(3) shows newlines as '?'. */
    assert_string_equal(result.output,
			"warning: clean_env: bad entry: \"=bad\"\n"
			"after clean:?A=1?C=override?D=new=with=equals?E=?\n"
			"warning: update_env: bad entry: \"=z\"\n"
			"after update:?A=2?C=override?D=new=with=equals?E=?X=1?\n"
			"empty:?\n");
    test_child_free(&result);
}

/* test_safe_getenv - ordinary process */
static void test_safe_getenv(void **state)
{
    (void) state;
    setenv("POSTEL_TEST_VAR", "value", 1);
    assert_false(clean_env_unsafe());
    assert_string_equal(safe_getenv("POSTEL_TEST_VAR"), "value");
    assert_null(safe_getenv("POSTEL_TEST_UNSET"));
    unsetenv("POSTEL_TEST_VAR");
}

/* setuid_child - as root, make real and effective uid differ */
static void setuid_child(void *context)
{
    (void) context;
    setenv("POSTEL_TEST_VAR", "value", 1);
    if (setresuid(65534, 0, 0) < 0)
	msg_fatal("setresuid: %m");
    if (!clean_env_unsafe())
	msg_fatal("not unsafe");
    if (safe_getenv("POSTEL_TEST_VAR") != NULL)
	msg_fatal("got a value");
    if (setresuid(0, 0, 0) < 0 || setresgid(65534, 0, 0) < 0)
	msg_fatal("setresuid/gid: %m");
    if (!clean_env_unsafe())
	msg_fatal("not unsafe with gid");
    msg_info("ok");
}

/* test_unsafe - privileged process (root only) */
static void test_unsafe(void **state)
{
    TEST_CHILD_RESULT result;

    (void) state;
    if (geteuid() != 0)
	skip();
    test_child_run(setuid_child, NULL, 10000, &result);
    assert_string_equal(result.output, "ok\n");
    assert_true(test_child_exited(&result, 0));
    test_child_free(&result);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_clean_env),
	cmocka_unit_test(test_safe_getenv),
	cmocka_unit_test(test_unsafe),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
