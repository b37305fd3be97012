/*
 * virtual_mailbox - deliver to a UNIX mailbox file
 *
 * SYNOPSIS
 *	See virtual.h.
 *
 * DESCRIPTION
 *	The mailbox is opened (created when missing: mode 0600, owned by
 *	the user) and locked with $virtual_mailbox_lock (mbox_lock(3)),
 *	all with the user's effective ids, so that the file system checks
 *	the user's rights. The message goes at the end, as Postfix's
 *	virtual(8) writes it: From_ line, Return-Path:, X-Original-To:,
 *	Delivered-To:, ">From " quoting, an empty line at the end. After a
 *	failed write the file is cut back to its old length.
 *
 *	The parent directory is not created (Postfix's behaviour); the
 *	dot lock then fails: "unable to create lock file ...".
 *
 * DIAGNOSTICS
 *	Failures in why, prefixed "delivery failed to mailbox <path>: ":
 *	4.2.0 for open and lock errors, the mail_copy(3) status for write
 *	errors (5.2.2 when the file would grow beyond
 *	$virtual_mailbox_limit).
 */
#include "sys_defs.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "msg.h"
#include "set_eugid.h"
#include "vstream.h"
#include "vstring.h"
#include "mail_copy.h"
#include "mbox_lock.h"
#include "virtual.h"

#define VIRTUAL_MAILBOX_FLAGS	(MAIL_COPY_MBOX | MAIL_COPY_RETURN_PATH \
				 | MAIL_COPY_DELIVERED | MAIL_COPY_ORIG_RCPT)

/* virtual_mailbox - append the message to the user's mailbox file */
int     virtual_mailbox(DELIVER_REQUEST *req, RECIPIENT *rcpt,
			        const VIRTUAL_USER *user, DSN_BUF *why)
{
    VSTRING *reason = vstring_alloc(100);
    MBOX_LOCK *mp;
    struct stat st;
    int     result = -1;
    off_t   old_size;

    if (getuid() == 0)
	set_eugid(user->uid, user->gid);
    mp = mbox_lock_open(user->path, O_APPEND | O_WRONLY | O_CREAT,
			S_IRUSR | S_IWUSR, &st, (uid_t) -1, (gid_t) -1,
			virtual_mailbox_lock_mask, reason);
    if (mp == 0) {
	dsb_simple(why, "4.2.0", "delivery failed to mailbox %s: %s",
		   user->path, vstring_str(reason));
	goto done;
    }
    old_size = st.st_size;
    if (mail_copy(req, rcpt->address, *rcpt->orig_addr ? rcpt->orig_addr
		  : rcpt->address, mp->fp, VIRTUAL_MAILBOX_FLAGS, "\n",
		  why) != 0) {
	if (ftruncate(vstream_fileno(mp->fp), old_size) < 0)
	    msg_warn("truncate %s to %ld bytes: %m", user->path,
		     (long) old_size);
	vstring_sprintf_prepend(why->reason, "delivery failed to mailbox %s: ",
				user->path);
	vstream_clearerr(mp->fp);
	(void) mbox_lock_close(mp);
	goto done;
    }
    if (mbox_lock_close(mp) != 0) {
	dsb_simple(why, "4.2.0", "delivery failed to mailbox %s: "
		   "error writing message: %m", user->path);
	goto done;
    }
    dsb_simple(why, "2.0.0", "delivered to mailbox");
    result = 0;

done:
    if (getuid() == 0)
	set_eugid(0, 0);
    vstring_free(reason);
    return result;
}
