/*
 * virtual_maildir - deliver to a qmail-style maildir
 *
 * SYNOPSIS
 *	See virtual.h.
 *
 * DESCRIPTION
 *	With the user's effective ids: the directories <path>tmp,
 *	<path>new and <path>cur are created when missing (mode 0700,
 *	parents too); the message is written to a new file in tmp (mode
 *	0600: Return-Path:, X-Original-To:, Delivered-To:, the message,
 *	no From_ line and no quoting), synced, and then linked into new
 *	under the name "<seconds>.V<device>I<inode>M<microseconds>.<host>"
 *	(hexadecimal device and inode, as Postfix names them; <host> is
 *	the system's host name with "/" and ":" written as "\057" and
 *	"\072"), and removed from tmp.
 *
 * DIAGNOSTICS
 *	Failures in why, prefixed "delivery failed to maildir <path>: ":
 *	4.2.0 for directory and file errors, the mail_copy(3) status for
 *	write errors (5.2.2 for a full disk quota or file size limit).
 */
#include "sys_defs.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "get_hostname.h"
#include "make_dirs.h"
#include "msg.h"
#include "mymalloc.h"
#include "set_eugid.h"
#include "stringops.h"
#include "vstream.h"
#include "vstring.h"
#include "mail_copy.h"
#include "virtual.h"

#define VIRTUAL_MAILDIR_FLAGS	(MAIL_COPY_RETURN_PATH | MAIL_COPY_DELIVERED \
				 | MAIL_COPY_ORIG_RCPT | MAIL_COPY_TOFILE)

/* virtual_maildir_host - the host name as a maildir file name part */
static void virtual_maildir_host(VSTRING *buf)
{
    const char *cp;

    VSTRING_RESET(buf);
    for (cp = get_hostname(); *cp; cp++) {
	if (*cp == '/')
	    vstring_strcat(buf, "\\057");
	else if (*cp == ':')
	    vstring_strcat(buf, "\\072");
	else
	    VSTRING_ADDCH(buf, *cp);
    }
    VSTRING_TERMINATE(buf);
}

/* virtual_maildir_fail - the failure text */
static int virtual_maildir_fail(DSN_BUF *why, const char *path,
				        const char *what, const char *file)
{
    dsb_simple(why, "4.2.0", "delivery failed to maildir %s: %s %s: %m",
	       path, what, file);
    return -1;
}

/* virtual_maildir_write - tmp file, content, link into new */
static int virtual_maildir_write(DELIVER_REQUEST *req, RECIPIENT *rcpt,
				         const VIRTUAL_USER *user,
				         DSN_BUF *why)
{
    static unsigned long count;
    VSTRING *host = vstring_alloc(50);
    char   *tmp_dir = concatenate(user->path, "tmp", (char *) 0);
    char   *new_dir = concatenate(user->path, "new", (char *) 0);
    char   *cur_dir = concatenate(user->path, "cur", (char *) 0);
    VSTRING *tmp_file = vstring_alloc(100);
    VSTRING *new_file = vstring_alloc(100);
    struct timeval tv;
    struct stat st;
    VSTREAM *dst;
    int     fd;
    int     result = -1;

    virtual_maildir_host(host);
    if (make_dirs(tmp_dir, 0700) < 0) {
	virtual_maildir_fail(why, user->path, "create maildir directory",
			     tmp_dir);
	goto done;
    }
    if (make_dirs(new_dir, 0700) < 0) {
	virtual_maildir_fail(why, user->path, "create maildir directory",
			     new_dir);
	goto done;
    }
    if (make_dirs(cur_dir, 0700) < 0) {
	virtual_maildir_fail(why, user->path, "create maildir directory",
			     cur_dir);
	goto done;
    }
    gettimeofday(&tv, (struct timezone *) 0);
    vstring_sprintf(tmp_file, "%s/%ld.P%ldQ%lu.%s", tmp_dir,
		    (long) tv.tv_sec, (long) getpid(), ++count,
		    vstring_str(host));
    if ((fd = open(vstring_str(tmp_file), O_WRONLY | O_CREAT | O_EXCL
		   | O_CLOEXEC, S_IRUSR | S_IWUSR)) < 0) {
	virtual_maildir_fail(why, user->path, "create maildir file",
			     vstring_str(tmp_file));
	goto done;
    }
    if (fstat(fd, &st) < 0) {
	virtual_maildir_fail(why, user->path, "stat maildir file",
			     vstring_str(tmp_file));
	(void) close(fd);
	(void) unlink(vstring_str(tmp_file));
	goto done;
    }
    dst = vstream_fdopen(fd, O_WRONLY);
    if (mail_copy(req, rcpt->address, *rcpt->orig_addr ? rcpt->orig_addr
		  : rcpt->address, dst, VIRTUAL_MAILDIR_FLAGS, "\n",
		  why) != 0) {
	vstream_clearerr(dst);
	(void) vstream_fclose(dst);
	(void) unlink(vstring_str(tmp_file));
	vstring_sprintf_prepend(why->reason, "delivery failed to maildir %s: ",
				user->path);
	goto done;
    }
    if (vstream_fclose(dst) != 0) {
	virtual_maildir_fail(why, user->path, "write maildir file",
			     vstring_str(tmp_file));
	(void) unlink(vstring_str(tmp_file));
	goto done;
    }
    vstring_sprintf(new_file, "%s/%ld.V%lxI%lxM%ld.%s", new_dir,
		    (long) tv.tv_sec, (unsigned long) st.st_dev,
		    (unsigned long) st.st_ino, (long) tv.tv_usec,
		    vstring_str(host));
    if (link(vstring_str(tmp_file), vstring_str(new_file)) < 0) {
	virtual_maildir_fail(why, user->path, "create maildir file",
			     vstring_str(new_file));
	(void) unlink(vstring_str(tmp_file));
	goto done;
    }
    if (unlink(vstring_str(tmp_file)) < 0)
	msg_warn("remove %s: %m", vstring_str(tmp_file));
    dsb_simple(why, "2.0.0", "delivered to maildir");
    result = 0;

done:
    vstring_free(host);
    vstring_free(tmp_file);
    vstring_free(new_file);
    myfree(tmp_dir);
    myfree(new_dir);
    myfree(cur_dir);
    return result;
}

/* virtual_maildir - deliver with the user's rights */
int     virtual_maildir(DELIVER_REQUEST *req, RECIPIENT *rcpt,
			        const VIRTUAL_USER *user, DSN_BUF *why)
{
    int     result;

    if (getuid() == 0)
	set_eugid(user->uid, user->gid);
    result = virtual_maildir_write(req, rcpt, user, why);
    if (getuid() == 0)
	set_eugid(0, 0);
    return result;
}
