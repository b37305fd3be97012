/*
 * local_forward - .forward and :include: files; mail forwarding
 *
 * SYNOPSIS
 *	#include "local.h"
 *
 *	int	local_dot_forward(LOCAL_STATE *state, int *found);
 *	int	local_include(LOCAL_STATE *state, const char *path);
 *
 *	int	local_forward_append(LOCAL_STATE *state, const char *address);
 *	int	local_forward_finish(LOCAL_STATE *root);
 *	void	local_forward_discard(LOCAL_REQUEST *lreq);
 *
 * DESCRIPTION
 *	local_dot_forward() looks for the user's .forward file: when the
 *	user (the address without extension) is in the password file,
 *	forward_path is expanded with the user's names (filtered with
 *	forward_expansion_filter) and each resulting path is tried in
 *	turn, read with the user's privileges. The first file that
 *	exists and is not empty is delivered to with the user's
 *	privileges and context "forward" (*found = 1); an empty file
 *	means "do not forward" (*found = 0: the mailbox gets the mail).
 *
 *	local_include() delivers to the destinations in an :include:
 *	file (context "include"), read with the current privileges or,
 *	without a user context, with the privileges of the file's owner
 *	(default_privs when root owns it).
 *
 *	Both read at most LOCAL_MAX_INCLUDE_SIZE bytes of a file.
 *
 *	local_forward_append() remembers an address to forward to, with
 *	the sender of the current state (an owner- alias may have changed
 *	it) and the Delivered-To address; for an address probe it only
 *	reports "forwards to <address>". local_forward_finish() submits,
 *	for each distinct sender, one new message to cleanup(8) with those
 *	recipients (each with the request recipient's original address
 *	as its O record, its ORCPT, and its NOTIFY without SUCCESS, which
 *	the forwarding itself answers: NEVER when nothing is left), the
 *	request's ENVID and RET, a "Received: by $myhostname ($mail_name)
 *	id <new queue id>; <date>" header, a "Delivered-To:" header when
 *	prepend_delivered_header has "forward", and the original content;
 *	then it reports one "forwarded as <queue id>" for the request's
 *	recipient per message, as Postfix does, or defers the recipient
 *	when the submission failed. local_forward_discard() drops what is
 *	pending.
 *
 * DIAGNOSTICS
 *	Warnings: unreadable .forward files (the recipient is deferred),
 *	files longer than the limit (the rest is ignored).
 */
#include "sys_defs.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "mac_expand.h"
#include "msg.h"
#include "mymalloc.h"
#include "mypwd.h"
#include "safe_open.h"
#include "stringops.h"
#include "vstream.h"
#include "vstring.h"
#include "bounce_client.h"
#include "cleanup_client.h"
#include "cleanup_proto.h"
#include "mail_date.h"
#include "mail_params.h"
#include "record.h"
#include "rec_type.h"
#include "local.h"

typedef struct LOCAL_FWD_ENTRY {
    char   *sender;			/* envelope sender of the new message */
    char   *address;			/* forward to */
    char   *delivered;			/* Delivered-To value */
} LOCAL_FWD_ENTRY;

struct LOCAL_FWD {
    LOCAL_FWD_ENTRY *entries;
    int     count;
    int     avail;
};

/* local_read_file - read a small file with the current privileges */
static char *local_read_file(const char *path, int *err, bool *truncated)
{
    VSTRING *why = vstring_alloc(100);
    VSTRING *buf = vstring_alloc(1024);
    VSTREAM *fp;
    char    chunk[4096];
    size_t  n;

    *truncated = false;
    fp = safe_open(path, O_RDONLY, 0, (struct stat *) 0, (uid_t) -1,
		   (gid_t) -1, why);
    if (fp == 0) {
	*err = errno ? errno : EACCES;
	vstring_free(why);
	vstring_free(buf);
	return 0;
    }
    while ((n = vstream_fread(fp, chunk, sizeof(chunk))) > 0) {
	if (VSTRING_LEN(buf) + n > LOCAL_MAX_INCLUDE_SIZE) {
	    *truncated = true;
	    break;
	}
	vstring_memcat(buf, chunk, n);
    }
    *err = vstream_ferror(fp) ? EIO : 0;
    (void) vstream_fclose(fp);
    vstring_free(why);
    if (*err) {
	vstring_free(buf);
	return 0;
    }
    VSTRING_TERMINATE(buf);
    return vstring_export(buf);
}

/* local_blank - true when a file holds only white space */
static bool local_blank(const char *text)
{
    for (; *text; text++)
	if (*text != ' ' && *text != '\t' && *text != '\n' && *text != '\r')
	    return false;
    return true;
}

/* local_forward_for_extension - is path the .forward of one extension? */
static bool local_forward_for_extension(LOCAL_STATE *exp, const char *path)
{
    LOCAL_EXPAND_ATTR attr;
    VSTRING *paths = vstring_alloc(100);
    char   *cp;
    char   *item;
    bool    specific = true;

    if (exp->addr.extension == 0) {
	vstring_free(paths);
	return false;
    }
    local_expand_attr(exp, &attr);
    attr.extension = 0;
    (void) local_expand(paths, VAR_STR(forward_path), &attr,
			VAR_STR(forward_expansion_filter));
    cp = vstring_str(paths);
    while ((item = mystrtok(&cp, ", \t\r\n")) != 0)
	if (strcmp(item, path) == 0)
	    specific = false;
    vstring_free(paths);
    return specific;
}

/* local_dot_forward - deliver through the user's .forward file */
int     local_dot_forward(LOCAL_STATE *state, int *found)
{
    MYPWD  *pw;
    LOCAL_STATE *exp;
    LOCAL_EXPAND_ATTR attr;
    VSTRING *paths = vstring_alloc(100);
    char   *copy;
    char   *cp;
    char   *path;
    char   *text = 0;
    int     err = 0;
    int     status = LOCAL_OK;
    bool    truncated;
    int     lookup_err;

    *found = 0;
    if ((lookup_err = mypwnam_err(state->addr.user, &pw)) != 0) {
	*found = 1;
	vstring_free(paths);
	return local_defer(state, "4.3.0", "user lookup error");
    }
    if (pw == 0) {
	vstring_free(paths);
	return LOCAL_OK;
    }
    exp = local_state_child(state, state->addr.address, LOCAL_CTX_FORWARD);
    exp->level = state->level;
    local_state_set_user(exp, pw->pw_name, pw->pw_uid, pw->pw_gid,
			 pw->pw_dir, pw->pw_shell);
    mypwfree(pw);
    local_expand_attr(exp, &attr);
    if (local_expand(paths, VAR_STR(forward_path), &attr,
		     VAR_STR(forward_expansion_filter)) & MAC_PARSE_ERROR) {
	local_state_free(exp);
	vstring_free(paths);
	*found = 1;
	return local_defer(state, "4.3.5", "mail system configuration error");
    }
    copy = vstring_export(paths);
    cp = copy;
    while ((path = mystrtok(&cp, ", \t\r\n")) != 0) {
	if (!local_privs_enter(&exp->user)) {
	    *found = 1;
	    status = local_defer(state, "4.3.0", "cannot switch privileges");
	    break;
	}
	text = local_read_file(path, &err, &truncated);
	local_privs_leave();
	if (text == 0) {
	    if (err == ENOENT || err == ENOTDIR)
		continue;
	    msg_warn("cannot open file %s: %s", path, strerror(err));
	    *found = 1;
	    status = local_defer(state, "4.2.0",
				 "cannot open forward file %s: %s",
				 path, strerror(err));
	    break;
	}
	if (truncated)
	    msg_warn("%s: file %s is longer than %d bytes; the rest is "
		     "ignored", state->lreq->request->queue_id, path,
		     LOCAL_MAX_INCLUDE_SIZE);
	if (!local_blank(text)) {
	    *found = 1;
	    /* A file for all extensions passes the extension on. */
	    if (!local_forward_for_extension(exp, path))
		local_state_unmatched(exp, state, LOCAL_CTX_FORWARD);
	    status = local_deliver_list(exp, text, LOCAL_CTX_FORWARD, path);
	}
	myfree(text);
	break;
    }
    myfree(copy);
    local_state_free(exp);
    return status;
}

/* local_include - deliver to the destinations in an :include: file */
int     local_include(LOCAL_STATE *state, const char *path)
{
    LOCAL_STATE *exp;
    struct stat st;
    char   *text;
    char   *key;
    int     err;
    int     status;
    bool    truncated;

    if (*path != '/')
	return local_bounce(state, "5.3.5",
			    ":include: path is not absolute: %s", path);
    key = concatenate(":include:", state->context & LOCAL_CTX_INCLUDE ?
		      "nested " : "", path, (char *) 0);
    if (local_dup_filter(state, key)) {
	myfree(key);
	return LOCAL_OK;
    }
    myfree(key);
    exp = local_state_child(state, state->addr.address, LOCAL_CTX_INCLUDE);
    exp->level = state->level;
    if (state->unmatched && (local_config.propagate_mask & LOCAL_CTX_INCLUDE))
	exp->unmatched = mystrdup(state->unmatched);
    if (stat(path, &st) < 0) {
	msg_warn("unable to lookup :include: file %s: %m", path);
	local_state_free(exp);
	return local_bounce(state, "5.3.5", "mail system configuration error");
    }
    if (exp->user.name == 0 && !local_state_privs(exp, path)) {
	local_state_free(exp);
	return local_bounce(state, "5.3.5", "mail system configuration error");
    }
    if (!local_privs_enter(&exp->user)) {
	local_state_free(exp);
	return local_defer(state, "4.3.0", "cannot switch privileges");
    }
    text = local_read_file(path, &err, &truncated);
    local_privs_leave();
    if (text == 0) {
	local_state_free(exp);
	if (err == EAGAIN || err == EIO)
	    return local_defer(state, "4.3.0",
			       "cannot open include file %s: %s",
			       path, strerror(err));
	return local_bounce(state, "5.3.0", "cannot open include file %s: %s",
			    path, strerror(err));
    }
    if (truncated)
	msg_warn("%s: file %s is longer than %d bytes; the rest is ignored",
		 state->lreq->request->queue_id, path,
		 LOCAL_MAX_INCLUDE_SIZE);
    status = local_deliver_list(exp, text, LOCAL_CTX_INCLUDE, path);
    myfree(text);
    local_state_free(exp);
    return status;
}

/* local_forward_notify - NOTIFY of a forwarded copy: no SUCCESS again */
static int local_forward_notify(int notify)
{

    /*
     * The original recipient's success is reported when it is forwarded
     * ("relayed"); the copy asks for the rest, or for nothing (NEVER),
     * as Debian's local(8) writes it.
     */
    if (notify & DSN_NOTIFY_SUCCESS) {
	notify &= ~DSN_NOTIFY_SUCCESS;
	if ((notify & ~DSN_NOTIFY_NEVER) == 0)
	    notify = DSN_NOTIFY_NEVER;
    }
    return (notify);
}

/* local_forward_append - remember one address to forward to */
int     local_forward_append(LOCAL_STATE *state, const char *address)
{
    LOCAL_REQUEST *lreq = state->lreq;
    struct LOCAL_FWD *fwd;
    LOCAL_FWD_ENTRY *entry;

    /* An address probe: report the destination, resubmit nothing. */
    if (lreq->request->flags & DEL_REQ_FLAG_VERIFY) {
	RECIPIENT tmp = *state->rcpt;
	DSN     dsn;
	VSTRING *reason = vstring_alloc(100);
	int     rc;

	tmp.address = (char *) address;
	if (*tmp.orig_addr == 0)
	    tmp.orig_addr = state->rcpt->address;
	vstring_sprintf(reason, "forwards to %s", address);
	dsn_simple(&dsn, "2.0.0", vstring_str(reason));
	rc = sent(lreq->request, &tmp, "local", &dsn);
	vstring_free(reason);
	if (rc != 0) {
	    lreq->unrecorded = true;
	    *state->any_deferred = true;
	}
	return rc == 0 ? LOCAL_OK : LOCAL_DEFER;
    }
    if (lreq->forward == 0)
	lreq->forward = mycalloc(1, sizeof(*lreq->forward));
    fwd = lreq->forward;
    if (fwd->count >= DELIVER_MAX_RCPT)
	return local_defer(state, "4.3.0",
			   "too many forwarding destinations");
    if (fwd->count == fwd->avail) {
	fwd->avail = fwd->avail ? 2 * fwd->avail : 4;
	fwd->entries = myrealloc(fwd->entries,
				 fwd->avail * sizeof(*fwd->entries));
    }
    entry = fwd->entries + fwd->count++;
    entry->sender = mystrdup(state->sender);
    entry->address = mystrdup(address);
    entry->delivered = mystrdup(state->delivered);
    return LOCAL_OK;
}

/* local_forward_discard - forget the pending forwards */
void    local_forward_discard(LOCAL_REQUEST *lreq)
{
    struct LOCAL_FWD *fwd = lreq->forward;
    int     i;

    if (fwd == 0)
	return;
    for (i = 0; i < fwd->count; i++) {
	myfree(fwd->entries[i].sender);
	myfree(fwd->entries[i].address);
	myfree(fwd->entries[i].delivered);
    }
    if (fwd->entries)
	myfree(fwd->entries);
    myfree(fwd);
    lreq->forward = 0;
}

/* local_copy_content - copy the queue file's content records */
static bool local_copy_content(DELIVER_REQUEST *req, VSTREAM *dst,
			               VSTRING *why)
{
    VSTRING *data = vstring_alloc(1024);
    int     type;
    bool    ok = true;

    if (vstream_fseek(req->fp, req->data_offset, SEEK_SET) < 0) {
	vstring_sprintf(why, "seek queue file: %m");
	vstring_free(data);
	return false;
    }
    type = record_get(req->fp, data, 64 * 1024);
    if (type != REC_TYPE_MESSAGE) {
	vstring_sprintf(why, "no message content record");
	vstring_free(data);
	return false;
    }
    for (;;) {
	type = record_get(req->fp, data, 64 * 1024);
	if (type < 0) {
	    vstring_sprintf(why, "read queue file: %s", record_error(type));
	    ok = false;
	    break;
	}
	if (type != REC_TYPE_LINE && type != REC_TYPE_PART)
	    break;
	if (record_put(dst, type, vstring_str(data), VSTRING_LEN(data)) < 0) {
	    vstring_sprintf(why, "write to cleanup: %m");
	    ok = false;
	    break;
	}
    }
    vstring_free(data);
    return ok;
}

/* local_forward_send - one new message for the entries of one sender */
static int local_forward_send(LOCAL_STATE *root, const char *sender,
			              bool *done)
{
    struct LOCAL_FWD *fwd = root->lreq->forward;
    DELIVER_REQUEST *req = root->lreq->request;
    VSTRING *why = vstring_alloc(100);
    VSTRING *hdr = vstring_alloc(100);
    CLEANUP_CLIENT *client;
    VSTREAM *dst;
    const char *orig;
    char   *queue_id = 0;
    int     status = LOCAL_OK;
    int     i;
    bool    ok;
    RECIPIENT tmp;
    DSN     dsn;

    orig = *root->rcpt->orig_addr ? root->rcpt->orig_addr :
	root->rcpt->address;
    client = cleanup_client_open("public/" CLEANUP_SERVICE,
				 CLEANUP_FLAG_MAP_OK, why);
    ok = client != 0;
    if (ok) {
	dst = cleanup_client_stream(client);
	queue_id = mystrdup(cleanup_client_queue_id(client));
	record_fprintf(dst, REC_TYPE_TIME, "%ld.%06ld",
		       (long) req->stats.incoming_arrival.tv_sec,
		       (long) req->stats.incoming_arrival.tv_usec);
	record_puts(dst, REC_TYPE_FROM, sender);
	if (req->dsn_ret)
	    record_fprintf(dst, REC_TYPE_DSN_RET, "%d", req->dsn_ret);
	if (req->dsn_envid && *req->dsn_envid)
	    record_puts(dst, REC_TYPE_DSN_ENVID, req->dsn_envid);
	for (i = 0; i < fwd->count; i++) {
	    if (done[i] || strcmp(fwd->entries[i].sender, sender) != 0)
		continue;
	    if (*root->rcpt->dsn_orcpt)
		record_puts(dst, REC_TYPE_DSN_ORCPT, root->rcpt->dsn_orcpt);
	    if (root->rcpt->dsn_notify || root->success_traced)
		record_fprintf(dst, REC_TYPE_DSN_NOTIFY, "%d",
			       local_forward_notify(root->rcpt->dsn_notify
				     | (root->success_traced ?
					DSN_NOTIFY_SUCCESS : 0)));
	    record_puts(dst, REC_TYPE_ORCP, orig);
	    record_puts(dst, REC_TYPE_RCPT, fwd->entries[i].address);
	}
	record_puts(dst, REC_TYPE_MESSAGE, "");
	/* As Debian's local(8): a Received: header with the new ID first. */
	record_fprintf(dst, REC_TYPE_LINE, "Received: by %s (%s)",
		       VAR_STR(myhostname), VAR_STR(mail_name));
	record_fprintf(dst, REC_TYPE_LINE, "\tid %s; %s", queue_id,
		       vstring_str(mail_date(hdr, time((time_t *) 0))));
	if (local_config.deliver_hdr_mask & LOCAL_DELIVER_HDR_FORWARD) {
	    for (i = 0; i < fwd->count; i++)
		if (!done[i] && strcmp(fwd->entries[i].sender, sender) == 0)
		    break;
	    vstring_sprintf(hdr, "Delivered-To: %s",
			    fwd->entries[i].delivered);
	    record_puts(dst, REC_TYPE_LINE, vstring_str(hdr));
	}
	ok = local_copy_content(req, dst, why);
	if (ok) {
	    record_puts(dst, REC_TYPE_EXTRACT, "");
	    record_puts(dst, REC_TYPE_END, "");
	    ok = cleanup_client_close(client, why) == CLEANUP_STAT_OK;
	} else {
	    cleanup_client_abort(client);
	}
    }
    /*
     * As Postfix logs it: one line for the new message, naming the
     * request's recipient, however many addresses it went to.
     */
    for (i = 0; i < fwd->count; i++)
	if (strcmp(fwd->entries[i].sender, sender) == 0)
	    done[i] = true;
    tmp = *root->rcpt;
    if (ok) {
	vstring_sprintf(hdr, "forwarded as %s", queue_id);
	dsn_simple(&dsn, "2.0.0", vstring_str(hdr));
	if (sent(req, &tmp, "local", &dsn) != 0) {
	    root->lreq->unrecorded = true;
	    *root->any_deferred = true;
	    status = LOCAL_DEFER;
	}
    } else {
	vstring_sprintf(hdr, "cannot forward mail: %s", vstring_str(why));
	dsn_simple(&dsn, "4.3.0", vstring_str(hdr));
	if (defer_append(req, &tmp, "local", &dsn) != 0)
	    root->lreq->unrecorded = true;
	*root->any_deferred = true;
	status = LOCAL_DEFER;
    }
    if (queue_id)
	myfree(queue_id);
    vstring_free(why);
    vstring_free(hdr);
    return status;
}

/* local_forward_finish - submit the pending forwards of one recipient */
int     local_forward_finish(LOCAL_STATE *root)
{
    struct LOCAL_FWD *fwd = root->lreq->forward;
    bool   *done;
    int     status = LOCAL_OK;
    int     i;

    if (fwd == 0 || fwd->count == 0) {
	local_forward_discard(root->lreq);
	return LOCAL_OK;
    }
    done = mycalloc(fwd->count, sizeof(*done));
    for (i = 0; i < fwd->count; i++)
	if (!done[i])
	    status |= local_forward_send(root, fwd->entries[i].sender, done);
    myfree(done);
    local_forward_discard(root->lreq);
    return status;
}
