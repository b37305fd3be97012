/*
 * local_mailbox - deliver to a user's mailbox, or hand the mail on
 *
 * SYNOPSIS
 *	#include "local.h"
 *
 *	int	local_mailbox(LOCAL_STATE *state);
 *	int	local_unknown(LOCAL_STATE *state);
 *
 * DESCRIPTION
 *	local_mailbox() is the last step of the decision chain, in
 *	Postfix's order (local.8, MAILBOX DELIVERY); the *_maps tables
 *	are searched with the bare user name:
 *
 *	1. mailbox_transport_maps, then mailbox_transport: the recipient
 *	   is handed to that master.cf transport (a delivery request sent
 *	   by local(8) itself, as qmgr would), for every local recipient,
 *	   known to the password file or not;
 *	2. the user (the address without its extension) is looked up in
 *	   the password file; an unknown user goes to local_unknown();
 *	   with require_home_directory = yes a home directory that the
 *	   user cannot stat() defers the mail;
 *	3. mailbox_command_maps, then mailbox_command (as it is: no $name
 *	   is expanded, so that "$USER", "$EXTENSION", ... reach the shell,
 *	   as in Postfix): the message is piped into that command with the
 *	   user's privileges (default_privs' for root);
 *	4. home_mailbox: the file or maildir (a name ending in "/") under
 *	   the user's home directory, written with the user's privileges;
 *	5. otherwise $mail_spool_directory/<user> (a maildir when the
 *	   directory name ends in "/").
 *
 *	Mailbox files get From_, Return-Path, X-Original-To and
 *	Delivered-To, ">From " quoting and an empty line at the end;
 *	maildir files the same headers without From_.
 *
 *	local_unknown() handles a user who is not in the password file:
 *	fallback_transport_maps, then fallback_transport (a hand-over as
 *	above); luser_relay (with $user and friends expanded) gets the
 *	mail as an alias would (local_deliver_relay(): a local address
 *	is delivered in this process, another one forwarded); otherwise
 *	the recipient bounces with "5.1.1
 *	unknown user: \"<user>\"".
 *
 * DIAGNOSTICS
 *	Problems are reported as the recipient's status.
 */
#include "sys_defs.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mac_expand.h"
#include "connect.h"
#include "iostuff.h"
#include "msg.h"
#include "mymalloc.h"
#include "mypwd.h"
#include "stringops.h"
#include "vstream.h"
#include "vstring.h"
#include "bounce_client.h"
#include "deliver_request.h"
#include "mail_copy.h"
#include "mail_endpoint.h"
#include "mail_params.h"
#include "local.h"

/* local_table_lookup - a per-recipient transport or command */
static char *local_table_lookup(LOCAL_STATE *state, MAPS *maps,
				        const char *fallback, int *error)
{
    const char *value = 0;

    /* The key is the bare user name, as in Postfix. */
    *error = 0;
    if (maps) {
	value = maps_find(maps, state->addr.user, 0);
	if (value == 0 && maps->error) {
	    *error = maps->error;
	    return 0;
	}
    }
    if (value == 0)
	value = fallback;
    return (value && *value) ? mystrdup(value) : 0;
}

/* local_strdup - a copy of a string that may be NULL */
static char *local_strdup(const char *str)
{
    return mystrdup(str ? str : "");
}

/* local_pass - hand the recipient to another master.cf transport */
static int local_pass(LOCAL_STATE *state, const char *transport_spec)
{
    DELIVER_REQUEST *req = state->lreq->request;
    DELIVER_REQUEST *pass = deliver_request_alloc();
    VSTRING *why = vstring_alloc(100);
    char   *spec = mystrdup(transport_spec);
    char   *nexthop = strchr(spec, ':');
    char   *endpoint;
    VSTREAM *stream;
    char   *path;
    int     fd;
    int     status;
    int     i;

    const char *hop;

    if (nexthop)
	*nexthop++ = 0;
    if (nexthop == 0 || *nexthop == 0)
	hop = state->addr.domain[0] ? state->addr.domain :
	    VAR_STR(myhostname);
    else
	hop = nexthop;
    endpoint = concatenate("private/", spec, (char *) 0);
    path = mail_endpoint_path(endpoint);
    fd = unix_connect(path, BLOCKING, VAR_TIME(ipc_timeout));
    myfree(path);
    if (fd < 0) {
	msg_warn("connect to transport %s: %m", endpoint);
	status = local_defer(state, "4.3.0", "mail transport unavailable");
	goto done;
    }
    stream = vstream_fdopen(fd, O_RDWR);
    vstream_set_timeout(stream, VAR_TIME(ipc_timeout));
    pass->flags = req->flags;
    pass->queue_name = local_strdup(req->queue_name);
    pass->queue_id = local_strdup(req->queue_id);
    pass->data_offset = req->data_offset;
    pass->data_size = req->data_size;
    pass->nexthop = mystrdup(hop);
    pass->encoding = local_strdup(req->encoding);
    pass->smtputf8 = req->smtputf8;
    pass->sender = local_strdup(state->sender);
    pass->dsn_envid = local_strdup(req->dsn_envid);
    pass->dsn_ret = req->dsn_ret;
    pass->stats = req->stats;
    pass->client_name = local_strdup(req->client_name);
    pass->client_addr = local_strdup(req->client_addr);
    pass->client_port = local_strdup(req->client_port);
    pass->client_proto = local_strdup(req->client_proto);
    pass->client_helo = local_strdup(req->client_helo);
    pass->sasl_method = local_strdup(req->sasl_method);
    pass->sasl_username = local_strdup(req->sasl_username);
    pass->sasl_sender = local_strdup(req->sasl_sender);
    pass->log_ident = local_strdup(req->log_ident);
    pass->rewrite_context = local_strdup(req->rewrite_context);
    recipient_list_add(&pass->rcpt_list, state->rcpt->offset,
		       state->rcpt->dsn_orcpt, state->rcpt->dsn_notify,
		       *state->rcpt->orig_addr ? state->rcpt->orig_addr :
		       state->rcpt->address, state->addr.address);
    if (deliver_request_send(stream, pass) != 0
	|| deliver_request_reply(stream, pass) != 0) {
	(void) vstream_fclose(stream);
	status = local_defer(state, "4.3.0", "unknown mail transport error");
	goto done;
    }
    (void) vstream_fclose(stream);
    /* The other agent logged the outcome and marked the recipient. */
    status = LOCAL_OK;
    if (pass->status != DEL_STAT_OK) {
	status = local_defer(state, "4.3.0", "%s", pass->reason ?
			     pass->reason : "unknown mail transport error");
    } else {
	/* Pass the other agent's outcome on to qmgr. */
	for (i = 0; i < pass->result_count; i++) {
	    deliver_request_result(req, state->rcpt, pass->results[i].outcome,
				   pass->results[i].dsn_status);
	    if (pass->results[i].outcome == DELIVER_OUTCOME_DEFERRED) {
		*state->any_deferred = true;
		status = LOCAL_DEFER;
	    }
	}
    }

done:
    deliver_request_free(pass);
    myfree(endpoint);
    myfree(spec);
    vstring_free(why);
    return status;
}

/* local_unknown - a recipient who is not in the password file */
int     local_unknown(LOCAL_STATE *state)
{
    LOCAL_EXPAND_ATTR attr;
    VSTRING *relay;
    char   *transport;
    int     error;
    int     status;

    transport = local_table_lookup(state, local_config.fallback_transport_maps,
				   VAR_STR(fallback_transport), &error);
    if (error)
	return local_defer(state, "4.3.0", "table lookup failure");
    if (transport) {
	status = local_pass(state, transport);
	myfree(transport);
	return status;
    }
    if (*VAR_STR(luser_relay)) {
	relay = vstring_alloc(100);
	local_expand_attr(state, &attr);
	attr.user = state->addr.user;
	if (local_expand(relay, VAR_STR(luser_relay), &attr, 0)
	    & MAC_PARSE_ERROR) {
	    vstring_free(relay);
	    return local_defer(state, "4.3.5", "mail system configuration "
			       "error");
	}
	/* Like an alias: a local address is delivered here (Debian's way). */
	status = local_deliver_relay(state, vstring_str(relay));
	vstring_free(relay);
	return status;
    }
    return local_bounce(state, "5.1.1", "unknown user: \"%s\"",
			state->addr.user);
}

/* local_mailbox_file - the spool file, home mailbox or maildir */
static int local_mailbox_file(LOCAL_STATE *state)
{
    const char *home_mailbox = VAR_STR(home_mailbox);
    const char *spool = VAR_STR(mail_spool_directory);
    char   *path;
    int     flags = MAIL_COPY_RETURN_PATH | MAIL_COPY_ORIG_RCPT
    | MAIL_COPY_DELIVERED;
    int     status;
    bool    maildir;

    if (*home_mailbox) {
	path = concatenate(state->user.home, "/", home_mailbox, (char *) 0);
	maildir = home_mailbox[strlen(home_mailbox) - 1] == '/';
	if (maildir)
	    status = local_maildir(state, path, flags);
	else
	    status = local_mbox_file(state, path, flags | MAIL_COPY_MBOX,
				     LOCAL_MBOX_HOME);
    } else {
	maildir = *spool && spool[strlen(spool) - 1] == '/';
	path = concatenate(spool, maildir ? "" : "/", state->addr.user,
			   maildir ? "/" : "", (char *) 0);
	if (maildir)
	    status = local_maildir(state, path, flags);
	else
	    status = local_mbox_file(state, path, flags | MAIL_COPY_MBOX,
				     LOCAL_MBOX_SPOOL);
    }
    myfree(path);
    return status;
}

/* local_mailbox - deliver to the user's mailbox */
int     local_mailbox(LOCAL_STATE *state)
{
    MYPWD  *pw;
    char   *value;
    char   *key;
    int     error;
    int     status;
    bool    seen;

    value = local_table_lookup(state, local_config.mailbox_transport_maps,
			       VAR_STR(mailbox_transport), &error);
    if (error)
	return local_defer(state, "4.3.0", "table lookup failure");
    if (value) {
	status = local_pass(state, value);
	myfree(value);
	return status;
    }
    if ((error = mypwnam_err(state->addr.user, &pw)) != 0)
	return local_defer(state, "4.3.0", "user lookup error: %s",
			   strerror(error));
    if (pw == 0)
	return local_unknown(state);
    local_state_set_user(state, pw->pw_name, pw->pw_uid, pw->pw_gid,
			 pw->pw_dir, pw->pw_shell);
    mypwfree(pw);

    /* Home directories on a file server that may be away (Postfix). */
    if (VAR_BOOL(require_home_directory)) {
	struct stat st;
	int     err = 0;

	if (!local_privs_enter(&state->user))
	    return local_defer(state, "4.3.0", "cannot switch privileges");
	if (stat(state->user.home, &st) < 0)
	    err = errno;
	local_privs_leave();
	if (err)
	    return local_defer(state, "4.3.0", "cannot access home directory "
			       "%s: %s", state->user.home, strerror(err));
    }

    /* One mailbox delivery per user, however many aliases lead here. */
    key = concatenate("mailbox ", state->addr.user, (char *) 0);
    seen = local_dup_filter(state, key);
    myfree(key);
    if (seen)
	return LOCAL_OK;

    value = local_table_lookup(state, local_config.mailbox_command_maps,
			       VAR_STR(mailbox_command), &error);
    if (error)
	return local_defer(state, "4.3.0", "table lookup failure");
    if (value) {
	/* Not expanded: "$USER" and friends are for the shell (postconf.5). */
	status = local_command(state, value, true);
	myfree(value);
	return status;
    }
    return local_mailbox_file(state);
}
