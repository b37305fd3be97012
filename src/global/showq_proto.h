/*
 * showq_proto - the showq(8) service protocol
 *
 * SYNOPSIS
 *	#include "showq_proto.h"
 *
 * DESCRIPTION
 *	Attribute names of the conversation between postqueue(1) (client)
 *	and showq(8) on public/showq (docs/internals/delivery.md, section
 *	"showq"). The client sends nothing: showq greets with
 *	{protocol=showq}, then sends one list per message
 *	(record=message), one or more lists with its recipients
 *	(record=recipients, each recipient a nested "rcpt" list) and,
 *	after the last message, {record=end, count=<messages>}.
 */
#ifndef SHOWQ_PROTO_H
#define SHOWQ_PROTO_H

#define SHOWQ_PROTOCOL		"showq"
#define SHOWQ_SERVICE		"showq"	/* public/showq */

#define SHOWQ_ATTR_RECORD	"record"
#define SHOWQ_RECORD_MESSAGE	"message"
#define SHOWQ_RECORD_RECIPIENTS	"recipients"
#define SHOWQ_RECORD_END	"end"

#define SHOWQ_ATTR_QUEUE_NAME	"queue_name"
#define SHOWQ_ATTR_QUEUE_ID	"queue_id"
#define SHOWQ_ATTR_ARRIVAL	"arrival_time"	/* l: seconds */
#define SHOWQ_ATTR_SIZE		"message_size"	/* l: bytes */
#define SHOWQ_ATTR_EXPIRE	"forced_expire"	/* i: 0 or 1 */
#define SHOWQ_ATTR_SENDER	"sender"
#define SHOWQ_ATTR_RCPT		"rcpt"		/* h: address, [reason] */
#define SHOWQ_ATTR_ADDRESS	"address"
#define SHOWQ_ATTR_REASON	"reason"	/* absent: none known */
#define SHOWQ_ATTR_COUNT	"count"		/* i: messages listed */

#define SHOWQ_RCPT_BATCH	200	/* recipients in one list */
#define SHOWQ_VALUE_MAX		(64 * 1024)	/* longest value sent */

#endif
