/*
 * bounce - the bounce(8) daemon: delivery status logs and notifications
 *
 * SYNOPSIS
 *	bounce [generic daemon options]
 *
 * DESCRIPTION
 *	One program serves the services private/bounce, private/defer
 *	and private/trace (three master.cf entries); the master.cf
 *	service name is the queue directory that holds its per-message
 *	logs. The protocol is docs/internals/delivery.md, section 3:
 *	after the greeting "s protocol=bounce" a client sends requests
 *	(attribute lists that start with the protocol and "i request"),
 *	each answered with "i status" (and "s reason" when refused):
 *
 *	APPEND (1) adds one recipient outcome to the log of queue_id
 *	(bounce_log.c) and answers 0 only after fsync(), 1 when the log
 *	could not be written. FLUSH (2), WARN (3) and TRACE (4) send a
 *	notification (bounce_service.c) and answer 0, or 1 when it could
 *	not be queued.
 *
 *	A request of another protocol, without a valid queue ID or queue
 *	name, with a malformed recipient, or of a kind that this service
 *	does not serve, is answered with status -1 and a reason, and the
 *	connection is closed; the process keeps serving.
 *
 *	The templates of $bounce_template_file (or the built-in ones) are
 *	read at start-up, before a chroot.
 *
 * DIAGNOSTICS
 *	Warnings: "<stream>: bad request: <reason>", "<id>: cannot append
 *	to the <service> log: <reason>", and those of the other modules.
 *	Fatal: an unreadable $bounce_template_file.
 */
#include "sys_defs.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>

#include "msg.h"
#include "mymalloc.h"
#include "vstream.h"
#include "vstring.h"
#include "attr_list.h"
#include "mail_params.h"
#include "mail_queue.h"
#include "queue_id.h"
#include "deliver_proto.h"
#include "deliver_request.h"
#include "bounce_proto.h"
#include "bounce_template.h"
#include "single_server.h"
#include "bounce.h"

 /*
  * Requests carry one recipient; values are bounded by the attribute
  * reader, and cut to BOUNCE_FIELD_MAX in the log.
  */
static const ATTR_LIMITS bounce_limits = {
    .value_limit = 4 * BOUNCE_FIELD_MAX,
    .count_limit = 64,
    .depth_limit = 2,
};

/* bounce_reply - send status (and reason) */
static bool bounce_reply(VSTREAM *client, int status, const char *reason)
{
    ATTR_LIST *reply = attr_list_create();
    bool    ok;

    attr_list_add_int(reply, BOUNCE_ATTR_STATUS, status);
    if (reason)
	attr_list_add_str(reply, ATTR_REASON, reason);
    ok = attr_list_write(client, reply) && vstream_fflush(client) == 0;
    attr_list_free(reply);
    if (!ok)
	msg_warn("%s: cannot send reply: %m", vstream_path(client));
    return (ok);
}

/* bounce_refuse - log and answer a bad request */
static void bounce_refuse(VSTREAM *client, const char *reason)
{
    msg_warn("%s: bad request: %s", vstream_path(client), reason);
    (void) bounce_reply(client, -1, reason);
}

/* bounce_queue_id_ok - is this a queue ID we may use in a path? */
static bool bounce_queue_id_ok(const char *id, VSTRING *why)
{
    if (!queue_id_valid(id)) {
	vstring_sprintf(why, "bad queue_id");
	return (false);
    }
    return (true);
}

/* bounce_append - APPEND: one recipient into the log */
static bool bounce_append(VSTREAM *client, const char *service,
			          const ATTR_LIST *req, VSTRING *why)
{
    const char *queue_id = 0;
    const ATTR_LIST *rcpt = 0;
    const char *address = 0;
    const char *orig_rcpt = "";
    const char *dsn_orcpt = "";
    int     dsn_notify = 0;
    long    offset = 0;
    const char *status = 0;
    const char *action = "";
    const char *reason = "";
    const char *dtype = "";
    const char *dtext = "";
    const char *mtype = "";
    const char *mname = "";
    const char *relay = "";
    long    time_log = 0;
    int     flags = 0;
    ATTR_WANT want[] = {
	{DELIVER_ATTR_FLAGS, ATTR_TYPE_INT, ATTR_OPTIONAL, &flags},
	{DELIVER_ATTR_QUEUE_ID, ATTR_TYPE_STR, ATTR_REQUIRED, &queue_id},
	{DELIVER_ATTR_RCPT, ATTR_TYPE_LIST, ATTR_REQUIRED, &rcpt},
	{BOUNCE_ATTR_STATUS, ATTR_TYPE_STR, ATTR_REQUIRED, &status},
	{BOUNCE_ATTR_ACTION, ATTR_TYPE_STR, ATTR_OPTIONAL, &action},
	{BOUNCE_ATTR_REASON, ATTR_TYPE_STR, ATTR_OPTIONAL, &reason},
	{BOUNCE_ATTR_DTYPE, ATTR_TYPE_STR, ATTR_OPTIONAL, &dtype},
	{BOUNCE_ATTR_DTEXT, ATTR_TYPE_STR, ATTR_OPTIONAL, &dtext},
	{BOUNCE_ATTR_MTYPE, ATTR_TYPE_STR, ATTR_OPTIONAL, &mtype},
	{BOUNCE_ATTR_MNAME, ATTR_TYPE_STR, ATTR_OPTIONAL, &mname},
	{BOUNCE_ATTR_RELAY, ATTR_TYPE_STR, ATTR_OPTIONAL, &relay},
	{BOUNCE_ATTR_TIME_LOG, ATTR_TYPE_LONG, ATTR_OPTIONAL, &time_log},
    };
    ATTR_WANT rcpt_want[] = {
	{DELIVER_ATTR_ADDRESS, ATTR_TYPE_STR, ATTR_REQUIRED, &address},
	{DELIVER_ATTR_ORIG_RCPT, ATTR_TYPE_STR, ATTR_OPTIONAL, &orig_rcpt},
	{DELIVER_ATTR_DSN_ORCPT, ATTR_TYPE_STR, ATTR_OPTIONAL, &dsn_orcpt},
	{DELIVER_ATTR_DSN_NOTIFY, ATTR_TYPE_INT, ATTR_OPTIONAL, &dsn_notify},
	{DELIVER_ATTR_OFFSET, ATTR_TYPE_LONG, ATTR_OPTIONAL, &offset},
    };
    BOUNCE_LOG log;
    BOUNCE_ENTRY *e;
    bool    ok;

    if (!attr_list_take(req, want, sizeof(want) / sizeof(want[0]), why)
	|| !bounce_queue_id_ok(queue_id, why)
	|| !attr_list_take(rcpt, rcpt_want,
			   sizeof(rcpt_want) / sizeof(rcpt_want[0]), why)) {
	bounce_refuse(client, vstring_str(why));
	return (false);
    }
    if (*address == 0 || strlen(address) > DELIVER_MAX_ADDR) {
	bounce_refuse(client, "bad recipient address");
	return (false);
    }
    if (*status == 0 || dsn_notify < 0 || dsn_notify > 15 || offset < 0) {
	bounce_refuse(client, "bad status, dsn_notify or offset");
	return (false);
    }
    bounce_log_init(&log);
    e = bounce_log_add(&log);
    bounce_entry_set(&e->address, address);
    bounce_entry_set(&e->orig_rcpt, orig_rcpt);
    bounce_entry_set(&e->dsn_orcpt, dsn_orcpt);
    e->dsn_notify = dsn_notify;
    e->offset = offset;
    bounce_entry_set(&e->status, status);
    bounce_entry_set(&e->action, action);
    bounce_entry_set(&e->reason, reason);
    bounce_entry_set(&e->dtype, dtype);
    bounce_entry_set(&e->dtext, dtext);
    bounce_entry_set(&e->mtype, mtype);
    bounce_entry_set(&e->mname, mname);
    bounce_entry_set(&e->relay, relay);
    e->time_log = time_log > 0 ? time_log : (long) time((time_t *) 0);
    ok = bounce_log_append(service, queue_id, e, why);
    if (!ok)
	msg_warn("%s: cannot append to the %s log: %s", queue_id, service,
		 vstring_str(why));
    bounce_log_free(&log);
    return (bounce_reply(client, ok ? 0 : 1, 0));
}

/* bounce_notify - FLUSH, WARN or TRACE */
static bool bounce_notify(VSTREAM *client, const char *service, int request,
			          const ATTR_LIST *req, VSTRING *why)
{
    BOUNCE_REQUEST br;
    const char *encoding = "";
    const char *dsn_envid = "";
    ATTR_WANT want[] = {
	{DELIVER_ATTR_FLAGS, ATTR_TYPE_INT, ATTR_OPTIONAL, &br.flags},
	{DELIVER_ATTR_QUEUE_NAME, ATTR_TYPE_STR, ATTR_REQUIRED, &br.queue_name},
	{DELIVER_ATTR_QUEUE_ID, ATTR_TYPE_STR, ATTR_REQUIRED, &br.queue_id},
	{DELIVER_ATTR_ENCODING, ATTR_TYPE_STR, ATTR_OPTIONAL, &encoding},
	{DELIVER_ATTR_SMTPUTF8, ATTR_TYPE_INT, ATTR_OPTIONAL, &br.smtputf8},
	{DELIVER_ATTR_SENDER, ATTR_TYPE_STR, ATTR_REQUIRED, &br.sender},
	{DELIVER_ATTR_DSN_ENVID, ATTR_TYPE_STR, ATTR_OPTIONAL, &dsn_envid},
	{DELIVER_ATTR_DSN_RET, ATTR_TYPE_INT, ATTR_OPTIONAL, &br.dsn_ret},
    };
    int     status;

    memset(&br, 0, sizeof(br));
    if (!attr_list_take(req, want, sizeof(want) / sizeof(want[0]), why)
	|| !bounce_queue_id_ok(br.queue_id, why)) {
	bounce_refuse(client, vstring_str(why));
	return (false);
    }
    if (!mail_queue_name_ok(br.queue_name)) {
	bounce_refuse(client, "bad queue_name");
	return (false);
    }
    if (strlen(br.sender) > DELIVER_MAX_ADDR || strlen(dsn_envid) > 100
	|| strlen(encoding) > 20) {
	bounce_refuse(client, "sender, dsn_envid or encoding too long");
	return (false);
    }
    br.encoding = encoding;
    br.dsn_envid = dsn_envid;
    status = bounce_notify_service(service, request, &br);
    if (status < 0) {
	vstring_sprintf(why, "request %d is not served by the %s service",
			request, service);
	bounce_refuse(client, vstring_str(why));
	return (false);
    }
    return (bounce_reply(client, status, 0));
}

/* bounce_service - serve one client until it hangs up */
static void bounce_service(VSTREAM *client, const char *service, char **argv)
{
    ATTR_LIST *req = attr_list_create();
    VSTRING *why = vstring_alloc(100);
    int     request;
    bool    more = true;

    if (argv[0] != 0)
	msg_fatal("unexpected command-line argument: %s", argv[0]);
    if (!mail_queue_name_ok(service))
	msg_fatal("service name \"%s\" cannot be a log directory name",
		  service);
    if (!attr_proto_greet(client, BOUNCE_PROTOCOL, 0)) {
	msg_warn("%s: cannot send greeting: %m", vstream_path(client));
	more = false;
    }
    while (more) {
	if (!attr_list_read(client, req, &bounce_limits, why)) {
	    /* A client that hangs up between requests is normal. */
	    if (strcmp(vstring_str(why), "end of input") != 0)
		msg_warn("%s: bad request: %s", vstream_path(client),
			 vstring_str(why));
	    break;
	}
	if (!attr_proto_check(req, BOUNCE_PROTOCOL, why)) {
	    bounce_refuse(client, vstring_str(why));
	    break;
	}
	if (!attr_list_find_int(req, BOUNCE_ATTR_REQUEST, &request)) {
	    bounce_refuse(client, "missing attribute request");
	    break;
	}
	switch (request) {
	case BOUNCE_REQ_APPEND:
	    more = bounce_append(client, service, req, why);
	    break;
	case BOUNCE_REQ_FLUSH:
	case BOUNCE_REQ_WARN:
	case BOUNCE_REQ_TRACE:
	    more = bounce_notify(client, service, request, req, why);
	    break;
	default:
	    vstring_sprintf(why, "unknown request %d", request);
	    bounce_refuse(client, vstring_str(why));
	    more = false;
	    break;
	}
    }
    attr_list_free(req);
    vstring_free(why);
}

/* bounce_pre_init - read the templates before a chroot hides them */
static void bounce_pre_init(const char *service, char **argv)
{
    const char *path = VAR_STR(bounce_template_file);
    VSTREAM *fp;

    bounce_templates = bounce_templates_create();
    if (*path != 0) {
	if ((fp = vstream_fopen(path, O_RDONLY, 0)) == 0)
	    msg_fatal("open %s: %m", path);
	bounce_templates_load(bounce_templates, fp);
	(void) vstream_fclose(fp);
    }
}

int     main(int argc, char **argv)
{
    static const MAIL_SERVER_OPTS opts = {
	.pre_init = bounce_pre_init,
    };

    single_server_main(argc, argv, bounce_service, &opts);
}
