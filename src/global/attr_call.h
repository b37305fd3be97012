#ifndef _ATTR_CALL_H_INCLUDED_
#define _ATTR_CALL_H_INCLUDED_

/*
 * attr_call - one request to an attribute-list service on a new connection
 *
 * SYNOPSIS
 *	#include "attr_call.h"
 *
 *	bool	attr_call(const char *path, const char *name,
 *			const char *protocol, const ATTR_LIST *request,
 *			ATTR_LIST *reply, VSTRING *why);
 *
 * DESCRIPTION
 *	attr_call() connects to the UNIX-domain socket path, reads the
 *	service's greeting and checks that it names protocol, sends
 *	request, reads one reply list into reply (cleared first) and
 *	closes the connection. The whole exchange must end within
 *	$ipc_timeout. It returns true when a reply was read; the caller
 *	then takes its attributes (attr_list_take()) and judges them.
 *
 *	name is how the service appears in the connect failure reason
 *	(the path, or an endpoint such as "public/flush").
 *
 *	What it does not do: log (the caller words the warning), keep a
 *	connection for later requests, or retry.
 *
 * DIAGNOSTICS
 *	On failure, why holds "connect to <name>: <error>", a greeting
 *	problem (attr_proto_expect()), "timeout" or "write error", or a
 *	reading problem (attr_list_read()).
 */
#include <stdbool.h>

#include "vstring.h"
#include "attr_list.h"

extern bool attr_call(const char *, const char *, const char *,
		              const ATTR_LIST *, ATTR_LIST *, VSTRING *);

#endif
