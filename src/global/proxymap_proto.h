/*
 * proxymap_proto - names and codes of the proxymap(8) protocol
 *
 * SYNOPSIS
 *	#include "proxymap_proto.h"
 *
 * DESCRIPTION
 *	The protocol name, requests, attribute names and status codes of
 *	the proxymap and proxywrite services (docs/internals/protocols.md,
 *	"proxymap"). dict_proxy(3) is the client; src/proxymap/ the server.
 *
 *	Every request names its table ("type:name", without "proxy:") and
 *	the client's dictionary flags; the server opens the table on first
 *	use and keeps it open. Replies carry a PROXY_STAT_* status.
 */
#ifndef PROXYMAP_PROTO_H
#define PROXYMAP_PROTO_H

#define PROXYMAP_PROTO_NAME	"proxymap"

#define PROXY_REQ_OPEN		"open"
#define PROXY_REQ_LOOKUP	"lookup"
#define PROXY_REQ_UPDATE	"update"
#define PROXY_REQ_DELETE	"delete"
#define PROXY_REQ_SEQUENCE	"sequence"

#define PROXY_ATTR_TABLE	"table"		/* type:name */
#define PROXY_ATTR_FLAGS	"flags"		/* DICT_FLAG_* */
#define PROXY_ATTR_KEY		"key"
#define PROXY_ATTR_VALUE	"value"
#define PROXY_ATTR_FUNCTION	"function"	/* DICT_SEQ_FUN_* */
#define PROXY_ATTR_STATUS	"status"	/* PROXY_STAT_* */

 /*
  * Status codes of a reply. A request that is not of this protocol gets
  * the common {status=-1, reason} refusal and the connection is closed.
  */
#define PROXY_STAT_OK		0	/* done; value (and key) follow */
#define PROXY_STAT_NOKEY	1	/* not found, or end of sequence */
#define PROXY_STAT_RETRY	2	/* temporary error */
#define PROXY_STAT_BAD		3	/* malformed request */
#define PROXY_STAT_DENY		4	/* table not approved */
#define PROXY_STAT_CONFIG	5	/* table configuration error */

#define PROXY_PREFIX		"proxy:"
#define PROXY_PREFIX_LEN	(sizeof(PROXY_PREFIX) - 1)

#endif
