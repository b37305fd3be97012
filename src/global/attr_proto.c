/*
 * attr_proto - greetings and requests of attribute-list services
 *
 * SYNOPSIS
 *	See attr_list.h (attr_proto_request(), attr_proto_greet(),
 *	attr_proto_expect(), attr_proto_check()).
 *
 * DESCRIPTION
 *	The conversation rules of docs/internals/protocols.md
 *	("Conversations"): a service greets with "s protocol <name>" as
 *	its first attribute, and each request starts with the same
 *	attribute, then "s request <what>" when the service has several
 *	kinds of request.
 *
 *	A protocol attribute counts only as the first attribute of a
 *	message; a string of that name elsewhere does not make up for it.
 *
 *	This module does not connect, set time limits or log; its callers
 *	(the client modules and servers) do.
 *
 * DIAGNOSTICS
 *	Reasons in why: those of attr_list_read(), "missing attribute
 *	protocol" (no attributes, or the first is not "protocol"),
 *	"attribute protocol: expected string", "unexpected protocol
 *	<name>" (the name quoted through excerpt()).
 */
#include "sys_defs.h"

#include <string.h>

#include "msg.h"
#include "excerpt.h"
#include "vstream.h"
#include "vstring.h"
#include "attr_list.h"
#include "attr_list_private.h"

/* attr_proto_request - a list that starts with protocol (and request) */
ATTR_LIST *attr_proto_request(const char *protocol, const char *request)
{
    ATTR_LIST *list = attr_list_create();

    attr_list_add_str(list, ATTR_PROTOCOL, protocol);
    if (request != NULL)
	attr_list_add_str(list, ATTR_REQUEST, request);
    return list;
}

/* attr_proto_greet - a server's announcement, flushed */
bool    attr_proto_greet(VSTREAM *fp, const char *protocol,
			         const ATTR_LIST *more)
{
    ATTR_LIST *greeting = attr_proto_request(protocol, NULL);
    bool    ok;
    size_t  n;

    if (more != NULL)
	for (n = 0; n < more->count; n++)
	    attr_list_append_copy(greeting, more->attrs + n);
    ok = attr_list_write(fp, greeting) && vstream_fflush(fp) == 0;
    attr_list_free(greeting);
    return ok;
}

/* attr_proto_check - the first attribute names this protocol */
bool    attr_proto_check(const ATTR_LIST *request, const char *protocol,
			         VSTRING *why)
{
    const ATTR *first = request->count > 0 ? request->attrs : NULL;

    if (first == NULL || strcmp(first->name, ATTR_PROTOCOL) != 0) {
	if (why)
	    vstring_sprintf(why, "missing attribute %s", ATTR_PROTOCOL);
	return false;
    }
    if (first->type != ATTR_TYPE_STR) {
	if (why)
	    vstring_sprintf(why, "attribute %s: expected string", ATTR_PROTOCOL);
	return false;
    }
    if (strcmp(first->u.buf.bytes, protocol) != 0) {
	if (why)
	    vstring_sprintf(why, "unexpected protocol %s",
			    excerpt(first->u.buf.bytes));
	return false;
    }
    return true;
}

/* attr_proto_expect - read a greeting and check its protocol */
bool    attr_proto_expect(VSTREAM *fp, const char *protocol,
			          ATTR_LIST *greeting, VSTRING *why)
{
    return attr_list_read(fp, greeting, NULL, why)
	&& attr_proto_check(greeting, protocol, why);
}
