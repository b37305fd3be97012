/*
 * bounce_proto - names of the bounce service protocol
 *
 * DESCRIPTION
 *	docs/internals/delivery.md, section 3 ("The bounce service
 *	protocol"): the services private/bounce, private/defer and
 *	private/trace, all served by bounce(8); protocol name "bounce";
 *	the request codes and attribute names below. The recipient and
 *	message attributes have the names of the delivery request
 *	(deliver_request.h, delivery.md section 2).
 */
#ifndef BOUNCE_PROTO_H
#define BOUNCE_PROTO_H

#define BOUNCE_PROTOCOL		"bounce"

#define BOUNCE_SERVICE_BOUNCE	"bounce"
#define BOUNCE_SERVICE_DEFER	"defer"
#define BOUNCE_SERVICE_TRACE	"trace"

#define BOUNCE_REQ_APPEND	1	/* one recipient into the log */
#define BOUNCE_REQ_FLUSH	2	/* send the notification, drop the log */
#define BOUNCE_REQ_WARN		3	/* delay warning, keep the log */
#define BOUNCE_REQ_TRACE	4	/* delivery report, drop the log */

#define BOUNCE_ATTR_REQUEST	"request"
#define BOUNCE_ATTR_STATUS	"status"	/* reply: 0 or 1; APPEND: dsn */
#define BOUNCE_ATTR_ACTION	"action"
#define BOUNCE_ATTR_REASON	"reason"
#define BOUNCE_ATTR_DTYPE	"dtype"
#define BOUNCE_ATTR_DTEXT	"dtext"
#define BOUNCE_ATTR_MTYPE	"mtype"
#define BOUNCE_ATTR_MNAME	"mname"
#define BOUNCE_ATTR_RELAY	"relay"
#define BOUNCE_ATTR_TIME_LOG	"time_log"

#endif
