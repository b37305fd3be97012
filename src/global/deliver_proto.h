/*
 * deliver_proto - names of the delivery request protocol
 *
 * DESCRIPTION
 *	docs/internals/delivery.md, section 2: the attribute names of the
 *	request that qmgr(8) sends to a delivery agent, of the agent's
 *	reply, and of the nested recipient and result lists. The bounce
 *	service protocol (bounce_proto.h) uses the same names for the
 *	message and recipient attributes. deliver_request.c reads and
 *	writes them; other modules that carry a recipient use these names.
 */
#ifndef DELIVER_PROTO_H
#define DELIVER_PROTO_H

 /*
  * Request: message attributes.
  */
#define DELIVER_ATTR_FLAGS		"flags"
#define DELIVER_ATTR_QUEUE_NAME		"queue_name"
#define DELIVER_ATTR_QUEUE_ID		"queue_id"
#define DELIVER_ATTR_DATA_OFFSET	"data_offset"
#define DELIVER_ATTR_DATA_SIZE		"data_size"
#define DELIVER_ATTR_NEXTHOP		"nexthop"
#define DELIVER_ATTR_ENCODING		"encoding"
#define DELIVER_ATTR_SMTPUTF8		"smtputf8"
#define DELIVER_ATTR_SENDER		"sender"
#define DELIVER_ATTR_DSN_ENVID		"dsn_envid"
#define DELIVER_ATTR_DSN_RET		"dsn_ret"
#define DELIVER_ATTR_TIME_ARRIVAL	"time_arrival"
#define DELIVER_ATTR_TIME_ACTIVE	"time_active"
#define DELIVER_ATTR_TIME_HANDOFF	"time_handoff"
#define DELIVER_ATTR_CLIENT_NAME	"client_name"
#define DELIVER_ATTR_CLIENT_ADDR	"client_addr"
#define DELIVER_ATTR_CLIENT_PORT	"client_port"
#define DELIVER_ATTR_CLIENT_PROTO	"client_proto"
#define DELIVER_ATTR_CLIENT_HELO	"client_helo"
#define DELIVER_ATTR_SASL_METHOD	"sasl_method"
#define DELIVER_ATTR_SASL_USERNAME	"sasl_username"
#define DELIVER_ATTR_SASL_SENDER	"sasl_sender"
#define DELIVER_ATTR_LOG_IDENT		"log_ident"
#define DELIVER_ATTR_REWRITE_CONTEXT	"rewrite_context"

 /*
  * Request: one nested list per recipient.
  */
#define DELIVER_ATTR_RCPT		"rcpt"
#define DELIVER_ATTR_ADDRESS		"address"
#define DELIVER_ATTR_ORIG_RCPT		"orig_rcpt"
#define DELIVER_ATTR_DSN_ORCPT		"dsn_orcpt"
#define DELIVER_ATTR_DSN_NOTIFY		"dsn_notify"
#define DELIVER_ATTR_OFFSET		"offset"

 /*
  * Reply.
  */
#define DELIVER_ATTR_STATUS		"status"
#define DELIVER_ATTR_REASON		"reason"
#define DELIVER_ATTR_DEAD		"dead"
#define DELIVER_ATTR_RESULT		"result"	/* nested, per recipient */
#define DELIVER_ATTR_OUTCOME		"outcome"
#define DELIVER_ATTR_DSN_STATUS		"dsn_status"

#endif
