/*
 * nbdb_proto - the request protocol of the nbdb_reindexd service
 *
 * SYNOPSIS
 *	#include "nbdb_proto.h"
 *
 *	bool	nbdb_proto_read(VSTREAM *fp, ARGV *attrs, VSTRING *why);
 *	const char *nbdb_proto_get(const ARGV *attrs, const char *name);
 *	bool	nbdb_proto_write(VSTREAM *fp, const char *name, ...);
 *
 *	bool	nbdb_proto_request(const char *service_path,
 *				const char *table, int timeout, VSTRING *why);
 *
 * DESCRIPTION
 *	A message is a list of attributes, one "name=value" line each,
 *	ended by an empty line. Names are lower-case letters and "_",
 *	at most NBDB_PROTO_NAME_LIMIT bytes; a line is at most
 *	NBDB_PROTO_LINE_LIMIT bytes, newline included; a message has at most
 *	NBDB_PROTO_ATTR_LIMIT attributes. The exchange (see
 *	docs/internals/protocols.md):
 *
 *	server: protocol=nbdb_reindex
 *	client: request=reindex, table=hash:/path (or btree:/path)
 *	server: status=ok, or status=fail and reason=<text>
 *
 *	Readers skip attributes that they do not know, and check that the
 *	ones that they need are there.
 *
 *	nbdb_proto_read() reads one message into attrs (emptied first) as
 *	"name=value" strings, and returns false with the reason in why for
 *	end of input, a timeout, an overlong line, a malformed line, a null
 *	byte, or too many attributes. nbdb_proto_get() returns the value of
 *	the first attribute called name, or NULL.
 *
 *	nbdb_proto_write() writes one message from a null-terminated list
 *	of name and value pairs, and flushes the stream. Control characters
 *	in a value become "?", and a value is cut so that its line fits the
 *	limit. The result is false after a write error.
 *
 *	nbdb_proto_request() is the client: it connects to the UNIX-domain
 *	socket service_path, checks the greeting, sends a reindex request
 *	for table, and reads the answer, all within timeout seconds. It
 *	returns true when the service reports success (the indexed file now
 *	exists), else false with the reason in why: the service's reason,
 *	or what went wrong on the way ("connect to <path>: <error>",
 *	"<path>: unexpected greeting", "<path>: timeout", ...).
 *
 * DIAGNOSTICS
 *	Nothing is logged; everything is returned in why (which must not be
 *	NULL).
 */
#ifndef NBDB_PROTO_H
#define NBDB_PROTO_H

#include "sys_defs.h"
#include "argv.h"
#include "vstream.h"
#include "vstring.h"

#define NBDB_PROTO_NAME		"nbdb_reindex"	/* protocol announcement */
#define NBDB_SERVICE_NAME	"nbdb_reindexd"	/* master.cf service */
#define NBDB_SERVICE_CLASS	"private"	/* socket directory */

/* Attribute names. */
#define NBDB_ATTR_PROTOCOL	"protocol"
#define NBDB_ATTR_REQUEST	"request"
#define NBDB_ATTR_TABLE		"table"
#define NBDB_ATTR_STATUS	"status"
#define NBDB_ATTR_REASON	"reason"

/* Attribute values. */
#define NBDB_REQUEST_REINDEX	"reindex"
#define NBDB_STATUS_OK		"ok"
#define NBDB_STATUS_FAIL	"fail"

/* Bounds. */
#define NBDB_PROTO_LINE_LIMIT	2048
#define NBDB_PROTO_NAME_LIMIT	32
#define NBDB_PROTO_ATTR_LIMIT	16

extern bool nbdb_proto_read(VSTREAM *fp, ARGV *attrs, VSTRING *why);
extern const char *nbdb_proto_get(const ARGV *attrs, const char *name);
extern bool nbdb_proto_write(VSTREAM *fp, const char *name,...);
extern bool nbdb_proto_request(const char *service_path, const char *table,
			               int timeout, VSTRING *why);

#endif
