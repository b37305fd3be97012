/*
 * local - the local(8) delivery agent
 *
 * SYNOPSIS
 *	local [generic daemon options]
 *
 * DESCRIPTION
 *	local(8) delivers mail for local recipients, as Postfix's local(8)
 *	does (docs/man/man8/local.8): aliases, .forward files, :include:
 *	files, commands, files, mbox and maildir mailboxes, mailbox
 *	commands and transports, and forwarding by resubmission.
 *
 *	It is a single_server(3) daemon behind the master.cf entry "local
 *	unix - n n - - local": it must run with root privileges (it
 *	delivers with the privileges of each recipient). For each
 *	connection it reads one delivery request (deliver_request(3),
 *	docs/internals/delivery.md section 2), delivers to each
 *	recipient in turn, and answers with the outcomes. A recipient is
 *	marked done in the queue file (deliver_completed()) when nothing
 *	of its delivery was deferred; its forwarded addresses are
 *	resubmitted before that. A request whose queue file is missing
 *	defers every recipient.
 *
 *	The files of this program:
 *	local.c (this one: the request loop and configuration),
 *	local_state.c, local_resolve.c, local_alias.c, local_forward.c,
 *	local_mailbox.c, local_command.c, local_file.c, local_addr.c.
 *
 * DIAGNOSTICS
 *	Fatal: bad allow_mail_to_commands, allow_mail_to_files,
 *	prepend_delivered_header or mailbox_delivery_lock values.
 *	Warnings: malformed requests (the connection is closed without a
 *	reply; qmgr defers the recipients).
 */
#include "sys_defs.h"

#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "msg.h"
#include "mymalloc.h"
#include "vstream.h"
#include "vstring.h"
#include "bounce_client.h"
#include "deliver_request.h"
#include "delivered_hdr.h"
#include "dict.h"
#include "dsn.h"
#include "mail_params.h"
#include "maps.h"
#include "mbox_lock.h"
#include "single_server.h"
#include "local.h"

LOCAL_CONFIG local_config;

/* local_deliver_one - deliver to one recipient of a request */
static int local_deliver_one(LOCAL_REQUEST *lreq, RECIPIENT *rcpt)
{
    DELIVER_REQUEST *req = lreq->request;
    LOCAL_STATE *state;
    bool    any_deferred = false;
    int     status;

    state = local_state_root(lreq, rcpt, VAR_STR(recipient_delimiter),
			     &any_deferred);
    status = local_deliver(state);
    status |= local_forward_finish(state);
    if (state->success_traced)
	rcpt->dsn_notify |= DSN_NOTIFY_SUCCESS;
    if (!any_deferred && status == LOCAL_OK)
	deliver_completed(req, rcpt);
    local_state_free(state);
    return any_deferred ? LOCAL_DEFER : status;
}

/* local_defer_all - defer every recipient: the queue file is missing */
static bool local_defer_all(DELIVER_REQUEST *req, const char *reason)
{
    DSN     dsn;
    int     i;
    bool    unrecorded = false;

    dsn_simple(&dsn, "4.3.0", reason);
    for (i = 0; i < req->rcpt_list.len; i++)
	if (defer_append(req, req->rcpt_list.info + i, "local", &dsn) != 0)
	    unrecorded = true;
    return unrecorded;
}

/* local_service - one delivery request */
static void local_service(VSTREAM *client, const char *service, char **argv)
{
    DELIVER_REQUEST *req;
    LOCAL_REQUEST lreq;
    int     i;

    if (deliver_request_read(client, &req) != 0 || req == 0)
	return;
    memset(&lreq, 0, sizeof(lreq));
    lreq.request = req;
    if (req->fp == 0) {
	lreq.unrecorded = local_defer_all(req, "queue file is missing");
    } else {
	for (i = 0; i < req->rcpt_list.len; i++)
	    (void) local_deliver_one(&lreq, req->rcpt_list.info + i);
    }
    if (lreq.delivered_to)
	delivered_hdr_free(lreq.delivered_to);
    local_forward_discard(&lreq);
    if (lreq.unrecorded) {
	/* qmgr defers what we could not record (delivery.md section 2). */
	req->reason = mystrdup("4.3.0 cannot record the delivery status");
	(void) deliver_request_done(client, req, DEL_STAT_DEFER);
    } else {
	(void) deliver_request_done(client, req, DEL_STAT_OK);
    }
}

/* local_maps - open a table list, or NULL when the parameter is empty */
static MAPS *local_maps(const char *name, const char *value, int flags)
{
    return *value ? maps_create(name, value, flags) : 0;
}

/* local_pre_init - parse the configuration, open tables as root */
static void local_pre_init(const char *service, char **argv)
{
    VSTRING *why = vstring_alloc(100);
    struct rlimit rl;
    long    limit = VAR_INT(mailbox_size_limit);

    local_config.cmd_mask =
	local_context_mask(PARAM_NAME(allow_mail_to_commands),
			   VAR_STR(allow_mail_to_commands));
    local_config.file_mask =
	local_context_mask(PARAM_NAME(allow_mail_to_files),
			   VAR_STR(allow_mail_to_files));
    local_config.deliver_hdr_mask =
	local_deliver_hdr_mask(VAR_STR(prepend_delivered_header));
    local_config.propagate_mask =
	local_propagate_mask(VAR_STR(propagate_unmatched_extensions));
    local_config.lock_mask = mbox_lock_mask(VAR_STR(mailbox_delivery_lock),
					    why);
    if (local_config.lock_mask < 0)
	msg_fatal("%s", vstring_str(why));
    /* No regexp $1 substitution in aliases: that would be a hole. */
    local_config.alias_maps =
	local_maps(PARAM_NAME(alias_maps), VAR_STR(alias_maps),
		   DICT_FLAG_LOCK | DICT_FLAG_FOLD_FIX | DICT_FLAG_NO_REGSUB);
    local_config.mailbox_transport_maps =
	local_maps(PARAM_NAME(mailbox_transport_maps),
		   VAR_STR(mailbox_transport_maps),
		   DICT_FLAG_LOCK | DICT_FLAG_FOLD_FIX);
    local_config.mailbox_command_maps =
	local_maps(PARAM_NAME(mailbox_command_maps),
		   VAR_STR(mailbox_command_maps),
		   DICT_FLAG_LOCK | DICT_FLAG_FOLD_FIX);
    local_config.fallback_transport_maps =
	local_maps(PARAM_NAME(fallback_transport_maps),
		   VAR_STR(fallback_transport_maps),
		   DICT_FLAG_LOCK | DICT_FLAG_FOLD_FIX);

    /*
     * mailbox_size_limit is the file size limit of this process and of
     * the commands it runs: a write past it fails with EFBIG, which
     * becomes "5.2.2 mailbox full".
     */
    if (limit > 0) {
	rl.rlim_cur = rl.rlim_max = (rlim_t) limit;
	if (setrlimit(RLIMIT_FSIZE, &rl) < 0)
	    msg_warn("set file size limit to %ld: %m", limit);
	signal(SIGXFSZ, SIG_IGN);
    }
    vstring_free(why);
}

/* main - hand over to the skeleton */
int     main(int argc, char **argv)
{
    static const MAIL_SERVER_OPTS opts = {
	.flags = MAIL_SERVER_FLAG_PRIVILEGED,
	.pre_init = local_pre_init,
    };

    single_server_main(argc, argv, local_service, &opts);
}
