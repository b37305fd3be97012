/*
 * error - the error/retry mail delivery agent
 *
 * SYNOPSIS
 *	error [generic daemon options]
 *
 * DESCRIPTION
 *	error(8) is a single_server(3) delivery agent, as Postfix's: it
 *	reads one delivery request from qmgr(8) per connection
 *	(docs/internals/delivery.md, section 2) and fails every
 *	recipient in it, with the request's next hop as the reason
 *	("transport_maps: example.com error:5.1.1 no such domain").
 *
 *	The master.cf service name selects the mode. Under the name
 *	"retry" every recipient is deferred (defer_append(): the default
 *	status is 4.0.0, a code of another class is replaced by 4.0.0
 *	with Postfix's warning "defer_append: ignoring dsn code ...").
 *	Under any other name ("error") every recipient is bounced
 *	(bounce_append(), default 5.0.0, "bounce_append: ignoring dsn
 *	code ...") and then marked done in the queue file.
 *
 *	The reason may start with an RFC 3463 code followed by
 *	whitespace; the rest is the text ("?" when empty). The log line
 *	has relay=none. The queue file's content is never read.
 *
 * DIAGNOSTICS
 *	Warnings from deliver_request(3) about malformed requests, and
 *	the dsn code warnings above. When a recipient's status cannot be
 *	recorded, the whole request is answered "deferred". Fatal: "bad
 *	error service name: <name>" when the master.cf service name is
 *	neither error nor retry (nor $error_service_name), as Postfix.
 */
#include "sys_defs.h"

#include <string.h>

#include "msg.h"
#include "mymalloc.h"
#include "vstream.h"
#include "vstring.h"
#include "mail_params.h"
#include "bounce_client.h"
#include "deliver_request.h"
#include "dsn.h"
#include "dsn_split.h"
#include "single_server.h"

#define ERROR_RELAY		"none"
#define ERROR_RETRY_SERVICE	"retry"
#define ERROR_MISSING_TEXT	"queue file is missing"

/* error_deliver - bounce or defer every recipient with the next hop text */
static int error_deliver(DELIVER_REQUEST *req, bool retry)
{
    VSTRING *code = vstring_alloc(16);
    const char *text;
    DSN     dsn;
    int     status = DEL_STAT_OK;
    int     n;

    if (req->fp == 0) {
	vstring_strcpy(code, "4.3.0");
	text = ERROR_MISSING_TEXT;
	retry = true;
    } else if (retry) {
	text = dsn_split(req->nexthop, "4.0.0", code);
	dsn_class_fix("defer_append", code, '4');
    } else {
	text = dsn_split(req->nexthop, "5.0.0", code);
	dsn_class_fix("bounce_append", code, '5');
    }
    dsn_simple(&dsn, vstring_str(code), *text ? text : "?");
    for (n = 0; n < req->rcpt_list.len; n++) {
	RECIPIENT *rcpt = req->rcpt_list.info + n;

	if (retry) {
	    if (defer_append(req, rcpt, ERROR_RELAY, &dsn) != 0)
		status = DEL_STAT_DEFER;
	} else if (bounce_append(req, rcpt, ERROR_RELAY, &dsn) == 0) {
	    deliver_completed(req, rcpt);
	} else {
	    status = DEL_STAT_DEFER;
	}
    }
    vstring_free(code);
    return status;
}

/* error_service - one delivery request */
static void error_service(VSTREAM *client, const char *service, char **argv)
{
    DELIVER_REQUEST *req;
    int     status;

    if (deliver_request_read(client, &req) < 0)
	return;
    status = error_deliver(req, strcmp(service, ERROR_RETRY_SERVICE) == 0);
    if (status != DEL_STAT_OK && req->reason == 0)
	req->reason = mystrdup("4.3.0 cannot record delivery status");
    (void) deliver_request_done(client, req, status);
}

/* error_pre_init - the service name must say error or retry */
static void error_pre_init(const char *service, char **argv)
{
    (void) argv;
    if (strcmp(service, ERROR_RETRY_SERVICE) != 0
	&& strcmp(service, "error") != 0
	&& strcmp(service, VAR_STR(error_service_name)) != 0)
	msg_fatal("bad error service name: %s", service);
}

/* main - hand over to the skeleton */
int     main(int argc, char **argv)
{
    static const MAIL_SERVER_OPTS opts = {
	.pre_init = error_pre_init,
    };

    single_server_main(argc, argv, error_service, &opts);
}
