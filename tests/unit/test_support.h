/*
 * test_support - helpers shared by the cmocka unit tests
 *
 * SYNOPSIS
 *	#include "test_support.h"
 *
 *	void	test_capture_start(void);
 *	const char *test_capture_text(void);
 *	void	test_capture_stop(void);
 *	char	*test_tempdir(void);
 *	char	*test_shared_tempdir(void);
 *	int	test_shared_setup(void **state);
 *	int	test_shared_teardown(void **state);
 *	void	test_write_file(const char *path, const char *text);
 *	bool	test_file_exists(const char *path);
 *	char	*test_file_content(const char *path);
 *	void	test_remove_tree(const char *dir);
 *	const char *test_ordinary_user(uid_t *uid, gid_t *gid);
 *
 * DESCRIPTION
 *	test_capture_start() registers a msg(3) output that appends every
 *	message as "label: text\n" (or "text\n" for info) to a buffer that
 *	test_capture_text() returns; test_capture_stop() removes it and
 *	clears the buffer. test_tempdir() creates a fresh directory under
 *	$TMPDIR (removed by the caller's teardown if it wishes; the test
 *	runner's temp area is disposable).
 *
 *	A test that runs code under another account (as root: nobody) puts
 *	what that account needs in test_shared_tempdir(): a fresh directory
 *	under /tmp with mode 0755, so the account can reach it wherever
 *	the source tree and $TMPDIR live (a checkout in root's home is
 *	private). test_shared_setup() and test_shared_teardown() are cmocka
 *	fixtures: the first makes such a directory and stores its name in
 *	*state; the second removes it and everything in it, also after a
 *	failed test.
 *
 *	test_write_file() creates or
 *	replaces a file with the given text, failing the test on error.
 *	test_file_exists() tells whether path exists (stat(2) succeeds).
 *	test_file_content() returns a file's whole content (free it with
 *	myfree()); a file that cannot be opened is a fatal error.
 *	test_remove_tree() removes a directory and everything below it
 *	(errors are ignored: the test runner's temp area is disposable).
 *	test_ordinary_user() returns the name and ids of an account of the
 *	host whose user and group ids are both non-zero (the first in the
 *	password file), so that tests need not assume which accounts exist;
 *	it fails the test when there is none.
 *
 *	To test msg_fatal() paths, see test_child.h.
 */
#ifndef TEST_SUPPORT_H
#define TEST_SUPPORT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <sys/types.h>
#include <cmocka.h>

extern void test_capture_start(void);
extern const char *test_capture_text(void);
extern void test_capture_stop(void);
extern char *test_tempdir(void);
extern char *test_shared_tempdir(void);
extern int test_shared_setup(void **state);
extern int test_shared_teardown(void **state);
extern void test_write_file(const char *path, const char *text);
extern bool test_file_exists(const char *path);
extern char *test_file_content(const char *path);
extern void test_remove_tree(const char *dir);
extern const char *test_ordinary_user(uid_t *uid, gid_t *gid);

#endif
