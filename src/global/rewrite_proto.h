/*
 * rewrite_proto - names and codes of the trivial-rewrite(8) protocol
 *
 * SYNOPSIS
 *	#include "rewrite_proto.h"
 *
 * DESCRIPTION
 *	The protocol name, requests, attribute names and result flags
 *	of the rewrite service (docs/internals/protocols.md, "rewrite").
 *	rewrite_client.h is the client; src/trivial-rewrite/ the server.
 */
#ifndef REWRITE_PROTO_H
#define REWRITE_PROTO_H

#define REWRITE_PROTO_NAME	"rewrite"
#define REWRITE_SERVICE		"rewrite"	/* private/rewrite */

#define REWRITE_REQ_REWRITE	"rewrite"
#define REWRITE_REQ_RESOLVE	"resolve"
#define REWRITE_REQ_RESOLVE_VERIFY "resolve_verify"
#define REWRITE_REQ_RESOLVE_SENDER "resolve_sender"

#define REWRITE_ATTR_RULE	"rule"		/* local or remote */
#define REWRITE_ATTR_ADDRESS	"address"
#define REWRITE_ATTR_SENDER	"sender"
#define REWRITE_ATTR_FLAGS	"flags"
#define REWRITE_ATTR_TRANSPORT	"transport"
#define REWRITE_ATTR_NEXTHOP	"nexthop"
#define REWRITE_ATTR_RECIPIENT	"recipient"

#define REWRITE_RULE_LOCAL	"local"
#define REWRITE_RULE_REMOTE	"remote"

#define RESOLVE_FLAG_FINAL	(1<<0)
#define RESOLVE_FLAG_ROUTED	(1<<1)
#define RESOLVE_FLAG_ERROR	(1<<2)
#define RESOLVE_FLAG_FAIL	(1<<3)

#define RESOLVE_CLASS_LOCAL	(1<<8)
#define RESOLVE_CLASS_ALIAS	(1<<9)
#define RESOLVE_CLASS_VIRTUAL	(1<<10)
#define RESOLVE_CLASS_RELAY	(1<<11)
#define RESOLVE_CLASS_DEFAULT	(1<<12)
#define RESOLVE_CLASS_MASK	(0x1f<<8)

#endif
