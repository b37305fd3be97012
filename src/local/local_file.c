/*
 * local_file - deliver a message to a file: mbox or maildir
 *
 * SYNOPSIS
 *	#include "local.h"
 *
 *	int	local_file(LOCAL_STATE *state, const char *path);
 *	int	local_mbox_file(LOCAL_STATE *state, const char *path,
 *				int copy_flags, int kind);
 *	int	local_maildir(LOCAL_STATE *state, const char *path,
 *				int copy_flags);
 *
 * DESCRIPTION
 *	local_file() delivers to "/file" from an alias, .forward or
 *	:include: file: allow_mail_to_files must name the context ("5.7.1
 *	mail to file is restricted" otherwise); a path ending in "/" is a
 *	maildir, anything else an mbox file; "/dev/null" takes the mail
 *	without a write. The delivery runs with the user context's
 *	privileges (default_privs' instead of root's). The status is
 *	"delivered to file: <path>" or "delivered to maildir".
 *
 *	local_mbox_file() appends to an mbox file: opened (created mode
 *	0600 when missing) with mbox_lock(3) and the mailbox_delivery_lock
 *	methods (a dot lock that cannot be created is only a warning,
 *	except for the spool), positioned at the end; the message is
 *	written with mail_copy(3) (From_, Return-Path, X-Original-To,
 *	Delivered-To, ">From " quoting, an empty line at the end, fsync);
 *	on failure the file is truncated back to its old size. kind is
 *	LOCAL_MBOX_FILE (a /file destination: "delivered to file: <path>"),
 *	LOCAL_MBOX_HOME (home_mailbox) or LOCAL_MBOX_SPOOL (the user's
 *	spool mailbox, opened and created with root privileges for the
 *	user, as the spool directory may not be writable by users); the
 *	two mailbox kinds report "delivered to mailbox" and, with
 *	strict_mailbox_ownership, defer when the file has another owner.
 *	A file and a home mailbox are opened with the user context's
 *	privileges. An address probe (DEL_REQ_FLAG_VERIFY) opens nothing
 *	and reports "delivers to mailbox", "delivers to file: <path>" or
 *	"delivers to maildir".
 *
 *	local_maildir() creates path/tmp, path/new and path/cur when they
 *	are missing (mode 0700), writes the message to a new file in tmp/
 *	(Delivered-To, X-Original-To, Return-Path per copy_flags, no
 *	From_ line), fsyncs it, and links it into new/ under its unique
 *	name (local_maildir_name()), then removes the tmp/ name.
 *
 *	After a delivery to an mbox mailbox, with biff = yes, a
 *	"user@offset" datagram goes to the local biff (comsat) service,
 *	as Postfix sends it.
 *
 *	Write errors map to DSN codes as Postfix does: EDQUOT and EFBIG
 *	(mailbox_size_limit is the process's file size limit) bounce with
 *	"5.2.2 mailbox full"; a busy lock, a full disk and the like defer.
 *
 * DIAGNOSTICS
 *	Problems are reported as the recipient's status; mbox_lock(3)
 *	warns about a dot lock it could not make.
 */
#include "sys_defs.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "get_hostname.h"
#include "iostuff.h"
#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "vstream.h"
#include "vstring.h"
#include "mail_copy.h"
#include "mail_params.h"
#include "mbox_lock.h"
#include "local.h"

/* local_errno_dsn - a DSN status for a file system error */
static const char *local_errno_dsn(int err, const char *def)
{
    switch (err) {
    case EDQUOT:
    case EFBIG:
	return "5.2.2";
    case EAGAIN:
    case ESTALE:
    case ENOSPC:
    case EIO:
    case EINTR:
	return "4.2.0";
    default:
	return def;
    }
}

/* local_orig_to - the X-Original-To address */
static const char *local_orig_to(const LOCAL_STATE *state)
{
    return *state->rcpt->orig_addr ? state->rcpt->orig_addr :
	state->rcpt->address;
}

/* local_biff - tell comsat(8) that new mail is at offset in a mailbox */
static void local_biff(const char *user, long offset)
{
    static int sock = -1;
    static struct sockaddr_in sin;
    VSTRING *note;

    /*
     * Postfix's biff notice: a "user@offset" datagram to the local biff
     * service (udp port 512). Nobody listening is no error.
     */
    if (sock < 0) {
	struct servent *sp = getservbyname("biff", "udp");

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = sp ? (in_port_t) sp->s_port : htons(512);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((sock = socket(AF_INET, SOCK_DGRAM, 0)) < 0) {
	    msg_warn("biff: socket: %m");
	    return;
	}
	(void) close_on_exec(sock, 1);
	(void) non_blocking(sock, NON_BLOCKING);
    }
    note = vstring_alloc(100);
    vstring_sprintf(note, "%s@%ld", user, offset);
    (void) sendto(sock, vstring_str(note), VSTRING_LEN(note) + 1, 0,
		  (struct sockaddr *) &sin, sizeof(sin));
    vstring_free(note);
}

/* local_mbox_file - append to an mbox file */
int     local_mbox_file(LOCAL_STATE *state, const char *path, int copy_flags,
			        int kind)
{
    bool    spool = (kind == LOCAL_MBOX_SPOOL);
    bool    mailbox = (kind != LOCAL_MBOX_FILE);
    DELIVER_REQUEST *req = state->lreq->request;
    VSTRING *why;
    MBOX_LOCK *mp;
    struct stat st;
    off_t   end;
    int     lock_mask = local_config.lock_mask;
    int     status;
    int     err;
    bool    entered = false;
    int     attempt;

    /* An address probe: say what would happen. */
    if (req->flags & DEL_REQ_FLAG_VERIFY)
	return mailbox ? local_sent(state, "delivers to mailbox")
	    : local_sent(state, "delivers to file: %s", path);
    why = vstring_alloc(100);
    if (!spool)
	lock_mask |= MBOX_LOCK_DOTLOCK_MAY_FAIL;
    if (!spool) {
	if (!local_privs_enter(&state->user)) {
	    vstring_free(why);
	    return local_defer(state, "4.3.0", "cannot switch privileges");
	}
	entered = true;
    }

    /*
     * An existing file is opened as it is (its owner is checked below,
     * with Postfix's words); a new one is created for the recipient. A
     * file that appears in between is opened on the second round.
     */
    for (attempt = 0;; attempt++) {
	mp = mbox_lock_open(path, O_APPEND | O_WRONLY, 0, &st, (uid_t) -1,
			    (gid_t) -1, lock_mask, why);
	if (mp != 0 || errno != ENOENT || attempt > 0)
	    break;
	mp = mbox_lock_open(path, O_APPEND | O_WRONLY | O_CREAT | O_EXCL,
			    S_IRUSR | S_IWUSR, &st,
			    spool ? state->user.uid : (uid_t) -1,
			    spool ? state->user.gid : (gid_t) -1,
			    lock_mask, why);
	if (mp != 0 || errno != EEXIST)
	    break;
    }
    if (mp == 0) {
	err = errno;
	if (entered)
	    local_privs_leave();
	if (err == EAGAIN)
	    status = local_defer(state, "4.2.0", "cannot update mailbox %s "
				 "for user %s. %s", path,
				 state->addr.user, vstring_str(why));
	else if (mailbox)
	    status = local_bounce(state, local_errno_dsn(err, "5.2.0"),
				  "cannot update mailbox %s for user %s. %s",
				  path, state->addr.user, vstring_str(why));
	else
	    status = local_bounce(state, local_errno_dsn(err, "5.2.0"),
				  "cannot append message to file %s: %s",
				  path, vstring_str(why));
	vstring_free(why);
	return status;
    }
    if (mailbox && S_ISREG(st.st_mode) && st.st_uid != state->user.uid
	&& VAR_BOOL(strict_mailbox_ownership)) {
	(void) mbox_lock_close(mp);
	if (entered)
	    local_privs_leave();
	vstring_free(why);
	return local_defer(state, "4.2.0", "cannot update mailbox %s for "
			   "user %s. destination %s is not owned by recipient",
			   path, state->addr.user, path);
    }
    end = vstream_fseek(mp->fp, 0, SEEK_END);
    if (S_ISREG(st.st_mode) && end < 0) {
	(void) mbox_lock_close(mp);
	if (entered)
	    local_privs_leave();
	vstring_free(why);
	return local_defer(state, "4.2.0", "seek %s: %s", path,
			   strerror(errno));
    }
    if (mail_copy(req, state->delivered, local_orig_to(state), mp->fp,
		  copy_flags, "\n", state->why) != 0) {
	if (S_ISREG(st.st_mode) && end >= 0
	    && ftruncate(vstream_fileno(mp->fp), end) < 0)
	    msg_warn("truncate %s: %m", path);
	(void) mbox_lock_close(mp);
	if (entered)
	    local_privs_leave();
	vstring_free(why);
	vstring_sprintf_prepend(state->why->reason, mailbox ?
				"cannot update mailbox %s for user %s. " :
				"cannot append message to file %s: ",
				path, state->addr.user);
	return local_status(state, state->why);
    }
    if (mbox_lock_close(mp) != 0) {
	if (entered)
	    local_privs_leave();
	vstring_free(why);
	return local_defer(state, local_errno_dsn(errno, "4.2.0"),
			   "cannot append message to file %s: %s", path,
			   strerror(errno));
    }
    if (entered)
	local_privs_leave();
    vstring_free(why);
    if (mailbox && VAR_BOOL(biff) && end >= 0)
	local_biff(state->addr.user, (long) end);
    return mailbox ? local_sent(state, "delivered to mailbox")
	: local_sent(state, "delivered to file: %s", path);
}

/* local_mkdir - make a maildir subdirectory when it is missing */
static bool local_mkdir(const char *dir, const char *sub, VSTRING *why)
{
    char   *path = concatenate(dir, sub, (char *) 0);
    bool    ok = true;

    if (mkdir(path, 0700) < 0 && errno != EEXIST) {
	vstring_sprintf(why, "create maildir file %s: %s", path,
			strerror(errno));
	ok = false;
    }
    myfree(path);
    return ok;
}

/* local_maildir - deliver to a maildir */
int     local_maildir(LOCAL_STATE *state, const char *path, int copy_flags)
{
    static long count;
    DELIVER_REQUEST *req = state->lreq->request;
    VSTRING *why = vstring_alloc(100);
    VSTRING *host = vstring_alloc(100);
    VSTRING *name = vstring_alloc(100);
    char   *dir = mystrdup(path);
    char   *tmp_path = 0;
    char   *new_path = 0;
    struct timeval tv;
    struct stat st;
    VSTREAM *fp;
    int     fd;
    int     status;
    int     err;
    size_t  len;

    if (req->flags & DEL_REQ_FLAG_VERIFY) {
	status = local_sent(state, "delivers to maildir");
	goto free_all;
    }

    /* The directory without its trailing slashes. */
    len = strlen(dir);
    while (len > 1 && dir[len - 1] == '/')
	dir[--len] = 0;

    if (!local_privs_enter(&state->user)) {
	status = local_defer(state, "4.3.0", "cannot switch privileges");
	goto free_all;
    }
    if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
	vstring_sprintf(why, "create maildir file %s: %s", dir,
			strerror(errno));
	err = errno;
	goto fail;
    }
    if (!local_mkdir(dir, "/tmp", why) || !local_mkdir(dir, "/new", why)
	|| !local_mkdir(dir, "/cur", why)) {
	err = errno;
	goto fail;
    }
    local_maildir_hostname(host, get_hostname());
    gettimeofday(&tv, (struct timezone *) 0);
    local_maildir_name(name, (long) tv.tv_sec, (long) tv.tv_usec,
		       (long) getpid(), ++count, 0, 0, vstring_str(host));
    tmp_path = concatenate(dir, "/tmp/", vstring_str(name), (char *) 0);
    if ((fd = open(tmp_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
		   0600)) < 0) {
	err = errno;
	vstring_sprintf(why, "create maildir file %s: %s", tmp_path,
			strerror(err));
	goto fail;
    }
    fp = vstream_fdopen(fd, O_WRONLY);
    if (fstat(fd, &st) < 0) {
	err = errno;
	vstring_sprintf(why, "create maildir file %s: %s", tmp_path,
			strerror(err));
	(void) vstream_fclose(fp);
	(void) unlink(tmp_path);
	goto fail;
    }
    if (mail_copy(req, state->delivered, local_orig_to(state), fp,
		  copy_flags | MAIL_COPY_TOFILE, "\n", state->why) != 0) {
	(void) vstream_fclose(fp);
	(void) unlink(tmp_path);
	local_privs_leave();
	vstring_sprintf_prepend(state->why->reason,
				"maildir delivery failed: ");
	status = local_status(state, state->why);
	goto free_all;
    }
    if (vstream_fclose(fp) != 0) {
	err = errno;
	vstring_sprintf(why, "write maildir file %s: %s", tmp_path,
			strerror(err));
	(void) unlink(tmp_path);
	goto fail;
    }
    local_maildir_name(name, (long) tv.tv_sec, (long) tv.tv_usec,
		       (long) getpid(), count, (unsigned long) st.st_dev,
		       (unsigned long) st.st_ino, vstring_str(host));
    new_path = concatenate(dir, "/new/", vstring_str(name), (char *) 0);
    if (link(tmp_path, new_path) < 0) {
	err = errno;
	vstring_sprintf(why, "link to %s: %s", new_path, strerror(err));
	(void) unlink(tmp_path);
	goto fail;
    }
    (void) unlink(tmp_path);
    local_privs_leave();
    status = local_sent(state, "delivered to maildir");
    goto free_all;

fail:
    local_privs_leave();
    if (local_errno_dsn(err, "4.2.0")[0] == '5')
	status = local_bounce(state, "5.2.2", "maildir delivery failed: %s",
			      vstring_str(why));
    else
	status = local_defer(state, local_errno_dsn(err, "4.2.0"),
			     "maildir delivery failed: %s", vstring_str(why));

free_all:
    myfree(dir);
    if (tmp_path)
	myfree(tmp_path);
    if (new_path)
	myfree(new_path);
    vstring_free(why);
    vstring_free(host);
    vstring_free(name);
    return status;
}

/* local_file - deliver to a /file destination */
int     local_file(LOCAL_STATE *state, const char *path)
{
    LOCAL_STATE *privs = 0;
    LOCAL_STATE *target = state;
    char   *key;
    int     flags;
    int     status;
    bool    seen;

    if ((state->context & LOCAL_CTX_MASK & ~local_config.file_mask) != 0)
	return local_bounce(state, "5.7.1", "mail to file is restricted");
    key = concatenate("file ", path, (char *) 0);
    seen = local_dup_filter(state, key);
    myfree(key);
    if (seen)
	return LOCAL_OK;
    if (strcmp(path, "/dev/null") == 0)
	return local_sent(state, "delivered to file: %s", path);

    /* Never as root: default_privs instead. */
    if (state->user.uid == 0 || state->user.uid == (uid_t) -1) {
	privs = local_state_child(state, state->addr.address, state->context);
	if (!local_state_privs(privs, (const char *) 0)) {
	    local_state_free(privs);
	    return local_defer(state, "4.3.5",
			       "mail system configuration error");
	}
	target = privs;
    }
    flags = MAIL_COPY_ORIG_RCPT;
    if (local_config.deliver_hdr_mask & LOCAL_DELIVER_HDR_FILE)
	flags |= MAIL_COPY_DELIVERED;
    if (path[strlen(path) - 1] == '/') {
	status = local_maildir(target, path, flags | MAIL_COPY_RETURN_PATH);
    } else {
	status = local_mbox_file(target, path, flags | MAIL_COPY_MBOX
				 | MAIL_COPY_RETURN_PATH, LOCAL_MBOX_FILE);
    }
    if (privs)
	local_state_free(privs);
    return status;
}
