/*
 * rewrite_client - ask trivial-rewrite(8) to rewrite or resolve addresses
 *
 * SYNOPSIS
 *	#include "rewrite_client.h"
 *
 *	typedef struct RESOLVE_REPLY {
 *	    int	    flags;
 *	    VSTRING *transport;
 *	    VSTRING *nexthop;
 *	    VSTRING *recipient;
 *	} RESOLVE_REPLY;
 *
 *	bool	rewrite_client_rewrite(const char *rule, const char *address,
 *				VSTRING *result);
 *	void	resolve_reply_init(RESOLVE_REPLY *reply);
 *	void	resolve_reply_free(RESOLVE_REPLY *reply);
 *	bool	rewrite_client_resolve(const char *request, const char *sender,
 *				const char *address, RESOLVE_REPLY *reply);
 *	void	rewrite_client_set_endpoint(const char *endpoint);
 *	const char *resolve_flag_names(VSTRING *buf, int flags);
 *
 * DESCRIPTION
 *	The client keeps one connection to the service, by default
 *	private/rewrite under the queue directory (another endpoint, such
 *	as a test server's socket, with rewrite_client_set_endpoint()),
 *	and a small cache of the most recent answers per request kind,
 *	emptied when the connection is replaced. Addresses are in
 *	internal (unquoted) form.
 *
 *	rewrite_client_rewrite() rewrites address under rule
 *	(REWRITE_RULE_LOCAL or REWRITE_RULE_REMOTE) into result.
 *	rewrite_client_resolve() resolves address with request
 *	(REWRITE_REQ_RESOLVE, _RESOLVE_VERIFY or _RESOLVE_SENDER) into
 *	reply; sender may be "" (sender-dependent lookups).
 *
 *	Both send a request again on a new connection after a lost
 *	connection or a timeout, once, and return false (after a warning)
 *	when that fails too; the caller then defers its work. A reply of
 *	the service with RESOLVE_FLAG_FAIL is returned as true with the
 *	flag set: the service answered, but a table was not available.
 *
 *	resolve_flag_names() writes the names of the RESOLVE_FLAG_* and
 *	RESOLVE_CLASS_* bits of flags into buf, comma-separated in bit
 *	order ("final,local"), or "none", and returns the text.
 */
#ifndef REWRITE_CLIENT_H
#define REWRITE_CLIENT_H

#include "sys_defs.h"
#include "vstring.h"
#include "rewrite_proto.h"

typedef struct RESOLVE_REPLY {
    int     flags;
    VSTRING *transport;
    VSTRING *nexthop;
    VSTRING *recipient;
} RESOLVE_REPLY;

extern bool rewrite_client_rewrite(const char *rule, const char *address,
				           VSTRING *result);
extern void resolve_reply_init(RESOLVE_REPLY *reply);
extern void resolve_reply_free(RESOLVE_REPLY *reply);
extern bool rewrite_client_resolve(const char *request, const char *sender,
			              const char *address, RESOLVE_REPLY *reply);
extern void rewrite_client_set_endpoint(const char *endpoint);
extern const char *resolve_flag_names(VSTRING *buf, int flags);

#endif
