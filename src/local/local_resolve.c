/*
 * local_resolve - decide what to do with one local recipient
 *
 * SYNOPSIS
 *	#include "local.h"
 *
 *	int	local_deliver(LOCAL_STATE *state);
 *	int	local_deliver_list(LOCAL_STATE *state, const char *list,
 *				int context, const char *origin);
 *	int	local_deliver_token(LOCAL_STATE *state, const char *token,
 *				int context);
 *	int	local_deliver_relay(LOCAL_STATE *state, const char *address);
 *
 * DESCRIPTION
 *	local_deliver() is local(8)'s decision chain for the address in
 *	state (local.8, "SYSTEM-WIDE AND USER-LEVEL ALIASING"): the
 *	Delivered-To loop check (once, for the request's recipient), the
 *	alias database, the user's .forward file, and finally the mailbox
 *	(local_mailbox(), which also handles unknown users). When the
 *	request's recipient asked for NOTIFY=SUCCESS and an alias or
 *	.forward file expands it, the success notice gets one "expanded"
 *	entry ("alias expanded") instead of one per delivery. Addresses
 *	that an alias expands into itself ("user: user, ...") skip the
 *	alias lookup; those that a .forward file lists for its own user
 *	skip the .forward file too, so the mail reaches the mailbox.
 *
 *	local_deliver_list() delivers to each destination of an alias
 *	value or the contents of a .forward or :include: file (split with
 *	local_list_next()). origin names the list for warnings. At most LOCAL_MAX_LIST_ITEMS
 *	destinations are taken.
 *
 *	local_deliver_token() delivers to one destination: "|command"
 *	(local_command()), "/file" (local_file()), ":include:/path"
 *	(local_include()), or an address. An address that resolves (with
 *	trivial-rewrite) to this local(8) service is delivered in this
 *	process when only aliases led to it, when it is the user's own
 *	address in a .forward file, or, past a .forward or :include:
 *	file, when it has an alias itself (which is expanded here); every
 *	other address is forwarded (resubmitted through cleanup(8):
 *	local_forward_append()), as Postfix does.
 *
 *	local_deliver_relay() delivers to the luser_relay address of an
 *	unknown user as if an alias named it.
 *
 * DIAGNOSTICS
 *	Warnings: too many destinations in one list (the rest is
 *	ignored); "alias database loop for <name>" when an expansion is
 *	nested deeper than LOCAL_MAX_LEVEL (that destination bounces with
 *	5.4.6, as in Postfix, where mutually recursive aliases end up). A
 *	trivial-rewrite failure defers the recipient.
 */
#include "sys_defs.h"

#include <string.h>
#include <strings.h>

#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "vstring.h"
#include "mail_params.h"
#include "mail_server.h"
#include "bounce_client.h"
#include "dsn.h"
#include "rewrite_client.h"
#include "rewrite_proto.h"
#include "local.h"

/* local_expansion - an alias or .forward step; one trace for SUCCESS */
static int local_expansion(LOCAL_STATE *state,
			           int (*step) (LOCAL_STATE *, int *),
			           int *found)
{
    RECIPIENT *rcpt = state->rcpt;
    RECIPIENT tmp;
    bool    traced = state->root && (rcpt->dsn_notify & DSN_NOTIFY_SUCCESS)
    && (state->lreq->request->flags & DEL_REQ_FLAG_VERIFY) == 0;
    DSN     dsn;
    int     status;

    /*
     * NOTIFY=SUCCESS for a recipient that an alias or .forward file
     * expands: one "expanded" entry ("alias expanded") in the success
     * notice instead of one per delivery, as Debian's local(8) reports
     * it (the deliveries are still logged).
     */
    if (traced)
	rcpt->dsn_notify &= ~DSN_NOTIFY_SUCCESS;
    status = step(state, found);
    if (traced && *found && status == LOCAL_OK) {
	/* SUCCESS stays off for the forwarding (local.c restores it). */
	state->success_traced = true;
	dsn_simple(&dsn, "2.0.0", "alias expanded");
	dsn.action = "expanded";
	tmp = *rcpt;
	tmp.dsn_notify |= DSN_NOTIFY_SUCCESS;
	if (trace_append(state->lreq->request, &tmp, LOCAL_RELAY, &dsn) != 0) {
	    state->lreq->unrecorded = true;
	    *state->any_deferred = true;
	    status = LOCAL_DEFER;
	}
    } else if (traced) {
	rcpt->dsn_notify |= DSN_NOTIFY_SUCCESS;
    }
    return status;
}

/* local_deliver - aliases, .forward, mailbox for the address in state */
int     local_deliver(LOCAL_STATE *state)
{
    int     found = 0;
    int     status;

    /* Mutually recursive aliases end here (Postfix's words). */
    if (state->level > LOCAL_MAX_LEVEL) {
	msg_warn("alias database loop for %s", state->addr.local);
	return local_bounce(state, "5.4.6", "alias database loop for %s",
			    state->addr.local);
    }
    if (state->level == 0) {
	if (local_delivered_loop(state))
	    return local_bounce(state, "5.4.6", "mail forwarding loop for %s",
				state->delivered);
    }
    if ((state->context & LOCAL_CTX_SELF_ALIAS) == 0) {
	status = local_expansion(state, local_alias, &found);
	if (found)
	    return status;
    }
    if ((state->context & LOCAL_CTX_SELF_FORWARD) == 0) {
	status = local_expansion(state, local_dot_forward, &found);
	if (found)
	    return status;
    }
    return local_mailbox(state);
}

/* local_is_local - does address resolve to this local(8) service? */
static int local_is_local(const char *address, VSTRING *canon)
{
    RESOLVE_REPLY reply;
    const char *service = mail_server_service_name();
    int     result;

    if (!rewrite_client_rewrite(REWRITE_RULE_LOCAL, address, canon))
	return -1;
    resolve_reply_init(&reply);
    if (!rewrite_client_resolve(REWRITE_REQ_RESOLVE, "", vstring_str(canon),
				&reply)
	|| (reply.flags & RESOLVE_FLAG_FAIL)) {
	resolve_reply_free(&reply);
	return -1;
    }
    result = (reply.flags & RESOLVE_CLASS_LOCAL)
	&& strcmp(vstring_str(reply.transport), service ? service : "local") == 0;
    vstring_strcpy(canon, vstring_str(reply.recipient));
    resolve_reply_free(&reply);
    return result;
}

/* local_concat_free - head + a + b; head is freed */
static char *local_concat_free(char *head, const char *a, const char *b)
{
    char   *result = concatenate(head, a, b, (char *) 0);

    myfree(head);
    return result;
}

/* local_deliver_address - one address from an expansion */
static int local_deliver_address(LOCAL_STATE *state, const char *address,
				         int context)
{
    VSTRING *canon = vstring_alloc(100);
    LOCAL_STATE *child;
    VSTRING *key;
    LOCAL_ADDR split;
    char   *with_ext = 0;
    int     is_local;
    int     status;
    int     known;
    bool    self;
    bool    in_process;

    /* propagate_unmatched_extensions: user@domain becomes user+ext@... */
    if (state->unmatched) {
	const char *at = strrchr(address, '@');

	if (at) {
	    with_ext = mystrndup(address, (size_t) (at - address));
	    with_ext = local_concat_free(with_ext, state->unmatched, at);
	} else {
	    with_ext = concatenate(address, state->unmatched, (char *) 0);
	}
	address = with_ext;
    }
    is_local = local_is_local(address, canon);
    if (with_ext)
	myfree(with_ext);
    if (is_local < 0) {
	vstring_free(canon);
	return local_defer(state, "4.3.0", "address resolver failure");
    }
    /* The user's own name, with or without the extension. */
    local_addr_split(&split, vstring_str(canon), VAR_STR(recipient_delimiter));
    self = is_local && (strcmp(split.local, state->addr.local) == 0
			|| strcmp(split.local, state->addr.user) == 0);

    /*
     * Only aliases on the way here: every local address is delivered in
     * this process. Past a .forward or :include: file, an address with
     * an alias is still expanded here, but one that would go to a
     * .forward file or a mailbox is forwarded (as Debian's local(8)
     * does: its own delivery status record).
     */
    in_process = is_local && (self || (state->path_context & LOCAL_CTX_MASK
				       & ~LOCAL_CTX_ALIAS) == 0);
    if (is_local && !in_process) {
	if ((known = local_alias_known(&split)) < 0) {
	    local_addr_free(&split);
	    vstring_free(canon);
	    return local_defer(state, "4.3.0", "alias database unavailable");
	}
	in_process = known > 0;
    }
    local_addr_free(&split);

    if (in_process) {
	child = local_state_child(state, vstring_str(canon), context);
	if (self)
	    child->context |= (context == LOCAL_CTX_ALIAS ?
			       LOCAL_CTX_SELF_ALIAS :
			       LOCAL_CTX_SELF_ALIAS | LOCAL_CTX_SELF_FORWARD);
	/* The same address at the same depth is delivered once. */
	key = vstring_alloc(100);
	vstring_sprintf(key, "recipient %d %s", child->level,
			child->addr.address);
	if (local_dup_filter(child, vstring_str(key)))
	    status = LOCAL_OK;
	else
	    status = local_deliver(child);
	vstring_free(key);
	local_state_free(child);
    } else {
	if (local_dup_filter(state, vstring_str(canon)))
	    status = LOCAL_OK;
	else
	    status = local_forward_append(state, vstring_str(canon));
    }
    vstring_free(canon);
    return status;
}

/* local_deliver_token - one destination of an alias or .forward file */
int     local_deliver_token(LOCAL_STATE *state, const char *token,
			            int context)
{
    switch (local_token_kind(token)) {
    case LOCAL_TOKEN_COMMAND:
	return local_command(state, token + 1, false);
    case LOCAL_TOKEN_FILE:
	return local_file(state, token);
    case LOCAL_TOKEN_INCLUDE:
	return local_include(state, trim_whitespace((char *) token + 9));
    default:
	/* "\\user" (sendmail's "no more aliasing") is just "user" here. */
	if (*token == '\\' && token[1])
	    token++;
	return local_deliver_address(state, token, context);
    }
}

/* local_deliver_list - deliver to every destination of a list */
int     local_deliver_list(LOCAL_STATE *state, const char *list, int context,
			           const char *origin)
{
    char   *copy = mystrdup(list);
    char   *cp = copy;
    char   *item;
    int     count = 0;
    int     status = LOCAL_OK;

    while ((item = local_list_next(&cp)) != 0) {
	if (*item == 0)
	    continue;
	if (++count > LOCAL_MAX_LIST_ITEMS) {
	    msg_warn("%s: more than %d destinations in %s; the rest is "
		     "ignored", state->lreq->request->queue_id,
		     LOCAL_MAX_LIST_ITEMS, origin);
	    break;
	}
	status |= local_deliver_token(state, item, context);
    }
    myfree(copy);
    return status;
}

/* local_deliver_relay - the luser_relay address, as if from an alias */
int     local_deliver_relay(LOCAL_STATE *state, const char *address)
{
    return local_deliver_address(state, address, LOCAL_CTX_ALIAS);
}
