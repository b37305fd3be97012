/*
 * test_support - helpers shared by the cmocka unit tests
 *
 * DESCRIPTION
 *	See test_support.h.
 */
#include "sys_defs.h"

#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "msg.h"
#include "mymalloc.h"
#include "vstring.h"
#include "vstream.h"
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

/* test_shared_tempdir - a fresh directory that every account can reach */
char   *test_shared_tempdir(void)
{
    static const char top[] = "/tmp";
    char   *path = concatenate(top, "/postel-shared-XXXXXX", (char *) 0);
    struct stat st;

    if (stat(top, &st) < 0 || (st.st_mode & S_IXOTH) == 0)
	fail_msg("%s is not searchable by every account", top);
    if (mkdtemp(path) == NULL)
	fail_msg("mkdtemp %s: %m", path);
    if (chmod(path, 0755) < 0)
	fail_msg("chmod %s: %m", path);
    return path;
}

/* test_shared_setup - cmocka fixture: *state = test_shared_tempdir() */
int     test_shared_setup(void **state)
{
    *state = test_shared_tempdir();
    return 0;
}

/* test_shared_teardown - cmocka fixture: remove the directory in *state */
int     test_shared_teardown(void **state)
{
    test_remove_tree(*state);
    myfree(*state);
    *state = NULL;
    return 0;
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


/* test_file_exists - does path exist? */
bool    test_file_exists(const char *path)
{
    struct stat st;

    return stat(path, &st) == 0;
}

/* test_file_content - a file's whole content (fatal when unreadable) */
char   *test_file_content(const char *path)
{
    VSTREAM *fp = vstream_fopen(path, O_RDONLY, 0);
    VSTRING *buf;
    int     ch;

    if (fp == 0)
	msg_fatal("open %s: %m", path);
    buf = vstring_alloc(100);
    while ((ch = VSTREAM_GETC(fp)) != VSTREAM_EOF)
	VSTRING_ADDCH(buf, ch);
    VSTRING_TERMINATE(buf);
    (void) vstream_fclose(fp);
    return vstring_export(buf);
}

/* test_remove_tree - rm -rf dir */
void    test_remove_tree(const char *dir)
{
    char   *cmd = concatenate("rm -rf '", dir, "'", (char *) 0);

    (void) system(cmd);
    myfree(cmd);
}

/* test_ordinary_user - an account with non-zero user and group ids */
const char *test_ordinary_user(uid_t *uid, gid_t *gid)
{
    static char *name;
    static uid_t found_uid;
    static gid_t found_gid;
    struct passwd *pw;

    if (name == NULL) {
	setpwent();
	while ((pw = getpwent()) != NULL)
	    if (pw->pw_uid != 0 && pw->pw_gid != 0)
		break;
	if (pw != NULL) {
	    name = mystrdup(pw->pw_name);
	    found_uid = pw->pw_uid;
	    found_gid = pw->pw_gid;
	}
	endpwent();
	if (name == NULL)
	    fail_msg("no account with non-zero user and group ids");
    }
    *uid = found_uid;
    *gid = found_gid;
    return name;
}
