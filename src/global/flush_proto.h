/*
 * flush_proto - the flush(8) service protocol
 *
 * SYNOPSIS
 *	#include "flush_proto.h"
 *
 * DESCRIPTION
 *	Names of the conversation between the fast flush clients
 *	(flush_clnt(3): delivery agents through defer_append(), smtpd's
 *	ETRN, postqueue -s and -i) and flush(8) on public/$flush_service_name
 *	(docs/internals/protocols.md, section "flush"). One request per
 *	connection:
 *
 *	    server: { protocol=flush }
 *	    client: { protocol=flush, request=add, site, queue_id }
 *	            { protocol=flush, request=send_site, site }
 *	            { protocol=flush, request=send_file, queue_id }
 *	            { protocol=flush, request=refresh }
 *	            { protocol=flush, request=purge }
 *	    server: { status=<FLUSH_STAT_*> }
 *
 *	A request that is not of this protocol, names no or an unknown
 *	request, or lacks an attribute it needs is answered with
 *	{status=-1, reason}.
 */
#ifndef FLUSH_PROTO_H
#define FLUSH_PROTO_H

#define FLUSH_PROTOCOL		"flush"

#define FLUSH_REQ_ADD		"add"
#define FLUSH_REQ_SEND_SITE	"send_site"
#define FLUSH_REQ_SEND_FILE	"send_file"
#define FLUSH_REQ_REFRESH	"refresh"
#define FLUSH_REQ_PURGE		"purge"

#define FLUSH_ATTR_SITE		"site"
#define FLUSH_ATTR_QUEUE_ID	"queue_id"
#define FLUSH_ATTR_STATUS	"status"

 /*
  * Request status (also the results of the flush_clnt(3) functions).
  */
#define FLUSH_STAT_OK		0	/* done (or nothing to do) */
#define FLUSH_STAT_FAIL		1	/* service unavailable or failed */
#define FLUSH_STAT_BAD		2	/* invalid site or queue ID */
#define FLUSH_STAT_DENY		3	/* site not in $fast_flush_domains */

#define FLUSH_VALUE_MAX		1024	/* longest value in a request */

#endif
