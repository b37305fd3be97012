/*
 * local_state - the state of one local(8) delivery, and its reports
 *
 * SYNOPSIS
 *	#include "local.h"
 *
 *	LOCAL_STATE *local_state_root(LOCAL_REQUEST *lreq, RECIPIENT *rcpt,
 *				const char *delimiters, bool *any_deferred);
 *	LOCAL_STATE *local_state_child(const LOCAL_STATE *parent,
 *				const char *address, int context);
 *	void	local_state_free(LOCAL_STATE *state);
 *	void	local_state_set_user(LOCAL_STATE *state, const char *name,
 *				uid_t uid, gid_t gid, const char *home,
 *				const char *shell);
 *	bool	local_state_privs(LOCAL_STATE *state, const char *path);
 *
 *	bool	local_dup_filter(LOCAL_STATE *state, const char *key);
 *	bool	local_delivered_loop(LOCAL_STATE *state);
 *
 *	int	local_sent(LOCAL_STATE *state, const char *fmt, ...);
 *	int	local_bounce(LOCAL_STATE *state, const char *status,
 *				const char *fmt, ...);
 *	int	local_defer(LOCAL_STATE *state, const char *status,
 *				const char *fmt, ...);
 *	int	local_status(LOCAL_STATE *state, DSN_BUF *why);
 *	void	local_expand_attr(const LOCAL_STATE *state,
 *				LOCAL_EXPAND_ATTR *attr);
 *
 * DESCRIPTION
 *	local_state_root() makes the state for one recipient of a
 *	request: the address split with recipient_delimiter, Delivered-To
 *	address = the recipient (frozen_delivered_to), the envelope
 *	sender, the privileges of default_privs (there is no user context
 *	yet), and a new duplicate filter. local_state_child() makes the
 *	state for one destination found while expanding an alias,
 *	.forward or :include: file: the parent's privileges, owner,
 *	sender and filter, one level deeper (an expansion itself, made
 *	the same way, stays at its parent's level: as in Postfix, each
 *	alias hop counts one level). With frozen_delivered_to=no
 *	the child's Delivered-To address is its own address.
 *
 *	local_state_set_user() sets the user context (a passwd entry or
 *	the owner of an alias table or include file).
 *	local_state_privs() sets the context from the owner of a file
 *	(an alias table, an :include: file): the file owner's uid and
 *	gid, or default_privs when root owns it (Postfix's DELIVERY
 *	RIGHTS); false when the file cannot be examined.
 *
 *	local_dup_filter() returns true when key was delivered before in
 *	this recipient's expansion (then the caller skips it), and
 *	remembers it otherwise, up to $duplicate_filter_limit keys.
 *
 *	local_delivered_loop() returns true when the message already
 *	carries a Delivered-To: header with this delivery's address
 *	(case-insensitive; delivered_hdr(3)): the headers are read once
 *	per request, up to $header_size_limit bytes.
 *
 *	local_sent(), local_bounce() and local_defer() report the outcome
 *	of one delivery (a mailbox, a command, a file, a forward) for the
 *	request's recipient through sent(), bounce_append() and
 *	defer_append(), with the reason formatted from fmt; they return
 *	LOCAL_OK or LOCAL_DEFER (the status could not be recorded, or the
 *	outcome is a deferral). local_status() does the same for a
 *	DSN_BUF that a helper filled (mail_copy(3), mbox_lock(3)): the
 *	status class decides between defer and bounce.
 *
 *	local_expand_attr() fills the names for local_expand() (forward_path,
 *	command_execution_directory, mailbox_command).
 *
 * DIAGNOSTICS
 *	Warnings: a missing default_privs account (fatal in Postfix; here
 *	the recipient is deferred).
 */
#include "sys_defs.h"

#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "msg.h"
#include "mymalloc.h"
#include "mypwd.h"
#include "set_eugid.h"
#include "stringops.h"
#include "vstring.h"
#include "bounce_client.h"
#include "delivered_hdr.h"
#include "mail_params.h"
#include "local.h"


/* local_user_free - release a user context */
static void local_user_free(LOCAL_USER *user)
{
    if (user->name)
	myfree(user->name);
    if (user->home)
	myfree(user->home);
    if (user->shell)
	myfree(user->shell);
    memset(user, 0, sizeof(*user));
}

/* local_state_set_user - set the user context of a delivery */
void    local_state_set_user(LOCAL_STATE *state, const char *name, uid_t uid,
			             gid_t gid, const char *home,
			             const char *shell)
{
    local_user_free(&state->user);
    state->user.name = name ? mystrdup(name) : 0;
    state->user.uid = uid;
    state->user.gid = gid;
    state->user.home = mystrdup(home ? home : "");
    state->user.shell = mystrdup(shell ? shell : "");
}

/* local_default_privs - use the default_privs account */
static bool local_default_privs(LOCAL_STATE *state)
{
    MYPWD  *pw = mypwnam(VAR_STR(default_privs));

    if (pw == 0) {
	msg_warn("unknown %s account: %s", PARAM_NAME(default_privs),
		 VAR_STR(default_privs));
	return false;
    }
    if (pw->pw_uid == 0) {
	msg_warn("%s: the %s account must not have root privileges",
		 VAR_STR(default_privs), PARAM_NAME(default_privs));
	mypwfree(pw);
	return false;
    }
    /* No user context: $home and friends stay empty. */
    local_state_set_user(state, 0, pw->pw_uid, pw->pw_gid, "", "");
    mypwfree(pw);
    return true;
}

/* local_state_privs - privileges of the owner of a file (NULL: none) */
bool    local_state_privs(LOCAL_STATE *state, const char *path)
{
    struct stat st;

    if (path == 0)
	return local_default_privs(state);
    if (stat(path, &st) < 0)
	return false;
    if (st.st_uid == 0)
	return local_default_privs(state);
    local_state_set_user(state, 0, st.st_uid, st.st_gid, "", "");
    return true;
}

/* local_privs_enter - act with a user's privileges (as root) */
bool    local_privs_enter(const LOCAL_USER *user)
{
    VSTRING *why;
    bool    ok;

    /* Unprivileged mode (DESIGN.md section 5): we are who we are. */
    if (getuid() != 0 || user->uid == (uid_t) -1)
	return true;
    why = vstring_alloc(100);
    ok = set_eugid_try(user->uid, user->gid, why);
    if (!ok)
	msg_warn("%s", vstring_str(why));
    vstring_free(why);
    return ok;
}

/* local_privs_leave - back to root */
void    local_privs_leave(void)
{
    if (getuid() == 0)
	set_eugid(0, 0);
}

/* local_state_root - the state for one recipient of a request */
LOCAL_STATE *local_state_root(LOCAL_REQUEST *lreq, RECIPIENT *rcpt,
			              const char *delimiters,
			              bool *any_deferred)
{
    LOCAL_STATE *state = mycalloc(1, sizeof(*state));

    state->lreq = lreq;
    state->rcpt = rcpt;
    local_addr_split(&state->addr, rcpt->address, delimiters);
    state->delivered = mystrdup(rcpt->address);
    state->sender = mystrdup(lreq->request->sender);
    state->context = LOCAL_CTX_NONE;
    state->level = 0;
    state->root = true;
    state->dups = htable_create(10);
    state->dup_count = mycalloc(1, sizeof(int));
    state->any_deferred = any_deferred;
    state->why = dsb_create();
    if (!local_default_privs(state))
	local_state_set_user(state, 0, (uid_t) -1, (gid_t) -1, "", "");
    return state;
}

/* local_state_child - the state for one destination of an expansion */
LOCAL_STATE *local_state_child(const LOCAL_STATE *parent,
			               const char *address, int context)
{
    LOCAL_STATE *state = mycalloc(1, sizeof(*state));

    state->lreq = parent->lreq;
    state->rcpt = parent->rcpt;
    local_addr_split(&state->addr, address,
		     VAR_STR(recipient_delimiter));
    state->delivered = mystrdup(VAR_BOOL(frozen_delivered_to) ?
				parent->delivered : address);
    state->sender = mystrdup(parent->sender);
    state->context = context;
    state->path_context = parent->path_context | (context & LOCAL_CTX_MASK);
    state->level = parent->level + 1;
    state->owner = parent->owner ? mystrdup(parent->owner) : 0;
    state->dups = parent->dups;
    state->dup_count = parent->dup_count;
    state->any_deferred = parent->any_deferred;
    state->why = dsb_create();
    local_state_set_user(state, parent->user.name, parent->user.uid,
			 parent->user.gid, parent->user.home,
			 parent->user.shell);
    return state;
}

/* local_state_free - release a state; the root frees the shared parts */
void    local_state_free(LOCAL_STATE *state)
{
    if (state->root) {
	htable_free(state->dups, (void (*) (void *)) 0);
	myfree(state->dup_count);
    }
    local_addr_free(&state->addr);
    myfree(state->delivered);
    myfree(state->sender);
    if (state->owner)
	myfree(state->owner);
    if (state->unmatched)
	myfree(state->unmatched);
    local_user_free(&state->user);
    dsb_free(state->why);
    myfree(state);
}

/* local_state_unmatched - propagate the address extension to members */
void    local_state_unmatched(LOCAL_STATE *exp, const LOCAL_STATE *state,
			              int context)
{
    size_t  len = strlen(state->addr.user);

    if (exp->unmatched) {
	myfree(exp->unmatched);
	exp->unmatched = 0;
    }
    /* The delimiter that the address used, and the extension. */
    if (state->addr.extension && (local_config.propagate_mask & context)
	&& state->addr.local[len] != 0)
	exp->unmatched = mystrdup(state->addr.local + len);
}

/* local_dup_filter - true when key was handled already */
bool    local_dup_filter(LOCAL_STATE *state, const char *key)
{
    char   *folded = lowercase(mystrdup(key));
    bool    seen;

    seen = htable_find(state->dups, folded) != 0;
    if (!seen && *state->dup_count < VAR_INT(duplicate_filter_limit)) {
	htable_enter(state->dups, folded, (void *) state->dups);
	*state->dup_count += 1;
    }
    myfree(folded);
    return seen;
}

/* local_delivered_loop - has this address been delivered to already? */
bool    local_delivered_loop(LOCAL_STATE *state)
{
    LOCAL_REQUEST *lreq = state->lreq;
    DELIVER_REQUEST *req = lreq->request;

    /* The headers are read once per request (delivered_hdr(3)). */
    if (lreq->delivered_to == 0)
	lreq->delivered_to = delivered_hdr_init(req->fp, req->data_offset,
					(size_t) VAR_INT(header_size_limit));
    return delivered_hdr_find(lreq->delivered_to, state->delivered);
}

/* local_status_rcpt - the recipient that a status line names */
RECIPIENT *local_status_rcpt(LOCAL_STATE *state, RECIPIENT *tmp)
{
    /*
     * As Postfix's local(8) logs it: the offset of the request's
     * recipient (whose R record the outcome is about), to= the address
     * being delivered now (an alias expansion's member), orig_to= the
     * request recipient's original address (or the recipient itself).
     */
    *tmp = *state->rcpt;
    if (state->level > 0) {
	tmp->address = state->addr.address;
	if (*state->rcpt->orig_addr == 0)
	    tmp->orig_addr = state->rcpt->address;
    }
    return tmp;
}

/* local_report - send one outcome to the status functions */
static int local_report(LOCAL_STATE *state, DSN *dsn)
{
    RECIPIENT tmp;
    DELIVER_REQUEST *req = state->lreq->request;
    int     rc;

    local_status_rcpt(state, &tmp);
    if (dsn->status[0] == '2')
	rc = sent(req, &tmp, LOCAL_RELAY, dsn);
    else if (dsn->status[0] == '5')
	rc = bounce_append(req, &tmp, LOCAL_RELAY, dsn);
    else
	rc = defer_append(req, &tmp, LOCAL_RELAY, dsn);
    if (rc != 0)
	state->lreq->unrecorded = true;
    if (rc != 0 || (dsn->status[0] != '2' && dsn->status[0] != '5')) {
	*state->any_deferred = true;
	return LOCAL_DEFER;
    }
    return LOCAL_OK;
}

/* local_status - report a DSN_BUF that a helper filled */
int     local_status(LOCAL_STATE *state, DSN_BUF *why)
{
    DSN     dsn;

    if (VSTRING_LEN(why->status) == 0)
	vstring_strcpy(why->status, "4.3.0");
    dsb_dsn(why, &dsn);
    if (dsn.action == 0 || *dsn.action == 0)
	dsn.action = dsn_action_of(dsn.status);
    return local_report(state, &dsn);
}

/* local_vreport - format a reason and report it with a status */
static int local_vreport(LOCAL_STATE *state, const char *status,
			         const char *fmt, va_list ap)
{
    VSTRING *reason = vstring_alloc(100);
    DSN     dsn;
    int     rc;

    vstring_vsprintf(reason, fmt, ap);
    dsn_simple(&dsn, status, vstring_str(reason));
    rc = local_report(state, &dsn);
    vstring_free(reason);
    return rc;
}

/* local_sent - report a successful delivery */
int     local_sent(LOCAL_STATE *state, const char *fmt,...)
{
    va_list ap;
    int     rc;

    va_start(ap, fmt);
    rc = local_vreport(state, "2.0.0", fmt, ap);
    va_end(ap);
    return rc;
}

/* local_bounce - report a permanent failure */
int     local_bounce(LOCAL_STATE *state, const char *status,
		             const char *fmt,...)
{
    va_list ap;
    int     rc;

    va_start(ap, fmt);
    rc = local_vreport(state, status, fmt, ap);
    va_end(ap);
    return rc;
}

/* local_defer - report a temporary failure */
int     local_defer(LOCAL_STATE *state, const char *status,
		            const char *fmt,...)
{
    va_list ap;
    int     rc;

    va_start(ap, fmt);
    rc = local_vreport(state, status, fmt, ap);
    va_end(ap);
    return rc;
}

/* local_expand_attr - the names that local patterns may use */
void    local_expand_attr(const LOCAL_STATE *state, LOCAL_EXPAND_ATTR *attr)
{
    attr->user = state->user.name ? state->addr.user : 0;
    attr->home = state->user.home;
    attr->shell = state->user.shell;
    attr->recipient = state->addr.address;
    attr->extension = state->addr.extension;
    attr->domain = state->addr.domain;
    attr->local = state->addr.local;
    attr->recipient_delimiter = VAR_STR(recipient_delimiter);
}
