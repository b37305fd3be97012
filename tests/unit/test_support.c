/*
 * test_support - helpers shared by the cmocka unit tests
 *
 * DESCRIPTION
 *	See test_support.h.
 */
#include "sys_defs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "msg.h"
#include "mymalloc.h"
#include "vstring.h"
#include "stringops.h"
#include "test_support.h"

static VSTRING *test_capture_buf;

/* test_capture_output - msg(3) output that appends to the buffer */
static void test_capture_output(int level, const char *text, void *context)
{
    const char *label = msg_level_label(level);

    (void) context;
    if (*label)
	vstring_sprintf_append(test_capture_buf, "%s: %s\n", label, text);
    else
	vstring_sprintf_append(test_capture_buf, "%s\n", text);
}

/* test_capture_start - begin capturing diagnostics */
void    test_capture_start(void)
{
    if (test_capture_buf == NULL)
	test_capture_buf = vstring_alloc(256);
    VSTRING_RESET(test_capture_buf);
    msg_output_clear();
    msg_output_add(test_capture_output, NULL);
}

/* test_capture_text - what has been captured so far */
const char *test_capture_text(void)
{
    return test_capture_buf ? vstring_str(test_capture_buf) : "";
}

/* test_capture_stop - stop capturing and forget the text */
void    test_capture_stop(void)
{
    msg_output_remove(test_capture_output, NULL);
    if (test_capture_buf)
	VSTRING_RESET(test_capture_buf);
}

/* test_tempdir - create a fresh temporary directory */
char   *test_tempdir(void)
{
    const char *tmp = getenv("TMPDIR");
    char   *path = concatenate(tmp && *tmp ? tmp : "/tmp", "/postel-test-XXXXXX",
			       (char *) 0);

    if (mkdtemp(path) == NULL)
	fail_msg("mkdtemp %s: %m", path);
    return path;
}

/* test_write_file - create or replace a file */
void    test_write_file(const char *path, const char *text)
{
    FILE   *fp = fopen(path, "w");

    if (fp == NULL)
	fail_msg("create %s: %m", path);
    fputs(text, fp);
    if (fclose(fp) != 0)
	fail_msg("write %s: %m", path);
}

static int test_child_fd = -1;

/* test_child_output - msg(3) output that writes to the parent */
static void test_child_output(int level, const char *text, void *context)
{
    const char *label = msg_level_label(level);
    VSTRING *line = vstring_alloc(100);
    ssize_t ignored;

    (void) context;
    if (*label)
	vstring_sprintf(line, "%s: %s\n", label, text);
    else
	vstring_sprintf(line, "%s\n", text);
    ignored = write(test_child_fd, vstring_str(line), VSTRING_LEN(line));
    (void) ignored;
    vstring_free(line);
}

/* test_run_child - run fn in a child, capturing its diagnostics */
char   *test_run_child(void (*fn) (void *), void *context, int *status)
{
    int     fds[2];
    pid_t   pid;
    VSTRING *text = vstring_alloc(100);
    char    buf[4096];
    ssize_t len;

    if (pipe(fds) < 0)
	fail_msg("pipe: %m");
    if ((pid = fork()) < 0)
	fail_msg("fork: %m");
    if (pid == 0) {
	close(fds[0]);
	test_child_fd = fds[1];
	msg_output_clear();
	msg_output_add(test_child_output, NULL);
	fn(context);
	_exit(0);
    }
    close(fds[1]);
    while ((len = read(fds[0], buf, sizeof(buf))) > 0)
	vstring_memcat(text, buf, len);
    close(fds[0]);
    if (waitpid(pid, status, 0) < 0)
	fail_msg("waitpid: %m");
    return vstring_export(text);
}
