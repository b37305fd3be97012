/*
 * test_child - run test code in a forked child process
 *
 * SYNOPSIS
 *	#include "test_child.h"
 *
 *	typedef struct TEST_CHILD_RESULT {
 *	    int     wait_status;
 *	    bool    killed;
 *	    char   *output;
 *	} TEST_CHILD_RESULT;
 *
 *	void	test_child_run(void (*fn)(void *), void *context,
 *				int limit_ms, TEST_CHILD_RESULT *result);
 *	void	test_child_free(TEST_CHILD_RESULT *result);
 *	bool	test_child_exited(const TEST_CHILD_RESULT *result, int code);
 *
 * DESCRIPTION
 *	test_child_run() forks; the child sends its msg(3) diagnostics (as
 *	"label: text\n") and its standard error to a pipe, calls
 *	fn(context) and exits with status 0 when fn returns. The parent
 *	collects the output (result->output, null-terminated) and the wait
 *	status; a child that runs longer than limit_ms milliseconds is
 *	killed with SIGKILL (result->killed). In the child, msg_fatal() ends
 *	the process with _exit(1) (through the msg(3) cleanup hook, so no
 *	exit handlers and no leak report run); msg_panic() still aborts.
 *	Code in the child must not use
 *	cmocka assertions: it reports problems with msg_fatal() or an exit
 *	status.
 *
 *	test_child_exited() is true when the child exited with code.
 *	test_child_free() releases the output.
 */
#ifndef TEST_CHILD_H
#define TEST_CHILD_H

#include "sys_defs.h"

typedef struct TEST_CHILD_RESULT {
    int     wait_status;
    bool    killed;
    char   *output;
} TEST_CHILD_RESULT;

extern void test_child_run(void (*fn) (void *), void *context, int limit_ms,
			           TEST_CHILD_RESULT *result);
extern void test_child_free(TEST_CHILD_RESULT *result);
extern bool test_child_exited(const TEST_CHILD_RESULT *result, int code);

#endif
