/*
 * test_exec_command - unit tests for exec_command(3)
 *
 * The commands write to standard error, which test_child(3) collects.
 */
#include "sys_defs.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "msg.h"
#include "vstring.h"
#include "exec_command.h"
#include "test_support.h"
#include "test_child.h"

/* test_needs_shell - which commands go through /bin/sh */
static void test_needs_shell(void **state)
{
    static const struct {
	const char *command;
	bool    shell;
    } cases[] = {
	{"/usr/bin/procmail -a x", false},
	{"prog --opt=1", true},
	{"prog arg\targ2", false},
	{"prog 'quoted arg'", true},
	{"prog \"x\"", true},
	{"prog $HOME", true},
	{"prog `id`", true},
	{"prog | other", true},
	{"prog > file", true},
	{"prog < file", true},
	{"prog && other", true},
	{"prog; other", true},
	{"prog *", true},
	{"prog ~/x", true},
	{"prog # comment", true},
	{"prog\nother", true},
	{"prog a\\ b", true},
	{"(prog)", true},
	{"prog {a,b}", true},
	{"prog [ab]", true},
	{"prog !x", true},
	{"prog 100%", false},
	{"", false},
    };
    size_t  n;

    (void) state;
    for (n = 0; n < ARRAY_LEN(cases); n++)
	if (exec_command_needs_shell(cases[n].command) != cases[n].shell)
	    fail_msg("exec_command_needs_shell(\"%s\") != %d",
		     cases[n].command, cases[n].shell);
}

/* test_try_failures - failures that return to the caller */
static void test_try_failures(void **state)
{
    VSTRING *why = vstring_alloc(10);

    (void) state;
    exec_command_try(" \t ", why);
    assert_string_equal(vstring_str(why), "empty command");
    exec_command_try("/nonexistent/prog arg", why);
    assert_string_equal(vstring_str(why),
			"execvp /nonexistent/prog: No such file or directory");
    assert_int_equal(errno, ENOENT);
    {
	char   *saved = getenv("PATH") ? strdup(getenv("PATH")) : NULL;

	/* A PATH of our own: the host's may have unreadable entries. */
	setenv("PATH", "/nonexistent-postel-a:/nonexistent-postel-b", 1);
	exec_command_try("no-such-program-for-postel-tests", why);
	assert_string_equal(vstring_str(why), "execvp no-such-program-for-"
			    "postel-tests: No such file or directory");
	if (saved) {
	    setenv("PATH", saved, 1);
	    free(saved);
	}
    }
    vstring_free(why);
}

/* exec_child - run the command with stdout going to stderr */
static void exec_child(void *context)
{
    if (dup2(STDERR_FILENO, STDOUT_FILENO) < 0)
	_exit(98);
    exec_command((const char *) context);
}

/* run - exec a command in a child, return its output (caller frees) */
static void run(const char *command, int exit_code, const char *output)
{
    TEST_CHILD_RESULT result;

    test_child_run(exec_child, (void *) command, 10000, &result);
    if (!test_child_exited(&result, exit_code))
	fail_msg("\"%s\": bad exit status, output \"%s\"", command,
		 result.output);
    assert_string_equal(result.output, output);
    test_child_free(&result);
}

/* test_exec - direct and shell execution, fatal failure */
static void test_exec(void **state)
{
    (void) state;
    run("echo  hello \t world", 0, "hello world\n");
    run("echo 'a  b'", 0, "a  b\n");
    run("echo a; echo b; exit 3", 3, "a\nb\n");
    run("/nonexistent/prog arg", 1,
	"fatal: execvp /nonexistent/prog: No such file or directory\n");
    run("", 1, "fatal: empty command\n");
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_needs_shell),
	cmocka_unit_test(test_try_failures),
	cmocka_unit_test(test_exec),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
