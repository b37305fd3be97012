/*
 * discard - the discard mail delivery agent
 *
 * SYNOPSIS
 *	discard [generic daemon options]
 *
 * DESCRIPTION
 *	discard(8) is a single_server(3) delivery agent, as Postfix's:
 *	it reads one delivery request from qmgr(8) per connection
 *	(docs/internals/delivery.md, section 2) and pretends to deliver
 *	every recipient. The request's next hop is the reason: it is
 *	logged as the text of each status=sent line, with relay=none
 *	("transport_maps: example.com discard:no such list" gives
 *	"status=sent (no such list)"; an empty next hop gives "?").
 *
 *	The reason may start with an RFC 3463 code; a 2.X.X code is
 *	the recipient's status, any other class is ignored with
 *	Postfix's warning ("sent: ignoring dsn code ...") and 2.0.0
 *	used, which is also the default.
 *
 *	Each recipient is reported with sent() (which also writes the
 *	trace log when the request or the recipient asks for it) and
 *	then marked done in the queue file. The queue file's content is
 *	never read.
 *
 * DIAGNOSTICS
 *	Warnings from deliver_request(3) about malformed requests, and
 *	the dsn code warning above. When a recipient's status cannot be
 *	recorded, the whole request is answered "deferred" (qmgr tries
 *	those recipients again).
 */
#include "sys_defs.h"

#include "msg.h"
#include "mymalloc.h"
#include "vstream.h"
#include "vstring.h"
#include "bounce_client.h"
#include "deliver_request.h"
#include "dsn.h"
#include "dsn_split.h"
#include "single_server.h"

#define DISCARD_RELAY		"none"
#define DISCARD_MISSING_TEXT	"queue file is missing"

/* discard_defer_all - the queue file is gone: try again later */
static int discard_defer_all(DELIVER_REQUEST *req)
{
    DSN     dsn;
    int     status = DEL_STAT_OK;
    int     n;

    dsn_simple(&dsn, "4.3.0", DISCARD_MISSING_TEXT);
    for (n = 0; n < req->rcpt_list.len; n++)
	if (defer_append(req, req->rcpt_list.info + n, DISCARD_RELAY,
			 &dsn) != 0)
	    status = DEL_STAT_DEFER;
    return status;
}

/* discard_deliver - report every recipient as sent, mark it done */
static int discard_deliver(DELIVER_REQUEST *req)
{
    VSTRING *code = vstring_alloc(16);
    const char *text;
    DSN     dsn;
    int     status = DEL_STAT_OK;
    int     n;

    text = dsn_split(req->nexthop, "2.0.0", code);
    dsn_class_fix("sent", code, '2');
    dsn_simple(&dsn, vstring_str(code), *text ? text : "?");
    for (n = 0; n < req->rcpt_list.len; n++) {
	RECIPIENT *rcpt = req->rcpt_list.info + n;

	if (sent(req, rcpt, DISCARD_RELAY, &dsn) == 0)
	    deliver_completed(req, rcpt);
	else
	    status = DEL_STAT_DEFER;
    }
    vstring_free(code);
    return status;
}

/* discard_service - one delivery request */
static void discard_service(VSTREAM *client, const char *service, char **argv)
{
    DELIVER_REQUEST *req;
    int     status;

    if (deliver_request_read(client, &req) < 0)
	return;
    status = req->fp ? discard_deliver(req) : discard_defer_all(req);
    if (status != DEL_STAT_OK && req->reason == 0)
	req->reason = mystrdup("4.3.0 cannot record delivery status");
    (void) deliver_request_done(client, req, status);
}

/* main - hand over to the skeleton */
int     main(int argc, char **argv)
{
    single_server_main(argc, argv, discard_service, (MAIL_SERVER_OPTS *) 0);
}
