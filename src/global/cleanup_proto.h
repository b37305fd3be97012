/*
 * cleanup_proto - names and codes of the cleanup(8) service protocol
 *
 * SYNOPSIS
 *	#include "cleanup_proto.h"
 *
 * DESCRIPTION
 *	The protocol name, attribute names, request flags and reply
 *	status bits of the cleanup service, as described in
 *	docs/internals/protocols.md ("cleanup"). cleanup_client.h is
 *	the client side; src/cleanup/ the server.
 */
#ifndef CLEANUP_PROTO_H
#define CLEANUP_PROTO_H

#define CLEANUP_PROTO_NAME	"cleanup"
#define CLEANUP_SERVICE		"cleanup"	/* public/cleanup */

#define CLEANUP_ATTR_QUEUE_ID	"queue_id"	/* greeting, reply */
#define CLEANUP_ATTR_FLAGS	"flags"		/* request */
#define CLEANUP_ATTR_STATUS	"status"	/* reply */
#define CLEANUP_ATTR_REASON	"reason"	/* reply */

/* postdrop -r greets as this protocol (queue_id, as cleanup). */
#define POSTDROP_PROTO_NAME	"postdrop"

/* Payload of the Z record of cleanup_client_abort(): drop, log nothing. */
#define CLEANUP_ABORT_PAYLOAD	"abort"

/* Request flags. */
#define CLEANUP_FLAG_BOUNCE	(1<<0)	/* keep rejected mail, bounce it */
#define CLEANUP_FLAG_FILTER	(1<<1)	/* header/body checks */
#define CLEANUP_FLAG_HOLD	(1<<2)	/* put on hold */
#define CLEANUP_FLAG_DISCARD	(1<<3)	/* accept and drop */
#define CLEANUP_FLAG_BCC_OK	(1<<4)	/* automatic BCC */
#define CLEANUP_FLAG_MAP_OK	(1<<5)	/* canonical and virtual maps */
#define CLEANUP_FLAG_EXTRACT	(1<<6)	/* recipients from headers */
#define CLEANUP_FLAG_SMTPUTF8	(1<<7)	/* client asked for SMTPUTF8 */
#define CLEANUP_FLAG_UNKNOWN_CHECK (1<<8)	/* reserved for smtpd */
#define CLEANUP_FLAG_UTF8_DETECT (1<<9)	/* SMTPUTF8 when UTF-8 is found */

#define CLEANUP_FLAG_MASK_EXTERNAL \
	(CLEANUP_FLAG_FILTER | CLEANUP_FLAG_BCC_OK | CLEANUP_FLAG_MAP_OK)

/* Reply status bits; 0 is success. */
#define CLEANUP_STAT_OK		0
#define CLEANUP_STAT_BAD	(1<<0)	/* malformed records */
#define CLEANUP_STAT_WRITE	(1<<1)	/* queue file write error */
#define CLEANUP_STAT_SIZE	(1<<2)	/* message_size_limit */
#define CLEANUP_STAT_CONT	(1<<3)	/* content rejected */
#define CLEANUP_STAT_HOPS	(1<<4)	/* hopcount_limit */
#define CLEANUP_STAT_RCPT	(1<<5)	/* no recipients */
#define CLEANUP_STAT_DEFER	(1<<6)	/* DEFER by a check */
#define CLEANUP_STAT_PROXY	(1<<7)	/* reserved */

#endif
