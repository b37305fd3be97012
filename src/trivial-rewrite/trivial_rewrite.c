/*
 * trivial_rewrite - the address rewriting and resolving service
 *
 * SYNOPSIS
 *	trivial-rewrite [generic daemon options]
 *
 * DESCRIPTION
 *	trivial-rewrite(8) is a multi_server(3) daemon behind
 *	private/rewrite. It speaks the "rewrite" protocol of
 *	docs/internals/protocols.md: it greets each new client with
 *	{protocol=rewrite} and then answers any number of requests, one
 *	attribute list each:
 *
 *	{protocol=rewrite, request=rewrite, rule=local|remote, address=a}
 *	-> {flags=0, address=<rewritten>} (rewrite_address(3));
 *
 *	{protocol=rewrite, request=resolve|resolve_verify|resolve_sender,
 *	sender=s, address=a}
 *	-> {flags, transport, nexthop, recipient} (resolve_address(3)).
 *
 *	Tables are opened before the privilege drop (pre_init). A changed
 *	main.cf is picked up by a new process: the skeleton makes this one
 *	exit when master(8) reloads, when $max_use clients were served, or
 *	after $max_idle seconds without clients.
 *
 *	This file does no address work of its own; it does not cache
 *	answers (the client library does).
 *
 * DIAGNOSTICS
 *	Warnings: "<stream>: bad request: <reason>" for a malformed
 *	message, a wrong protocol, an unknown request or rule, or a
 *	missing attribute; the client then gets {status=-1, reason} and
 *	the connection is closed. With -v, each request and answer is
 *	logged.
 */
#include "sys_defs.h"

#include <string.h>

#include "msg.h"
#include "mymalloc.h"
#include "vstring.h"
#include "vstream.h"
#include "excerpt.h"
#include "mail_params.h"
#include "attr_list.h"
#include "rewrite_proto.h"
#include "multi_server.h"
#include "trivial_rewrite.h"

/* Bounds of one request (docs/internals/protocols.md). */
static const ATTR_LIMITS trivial_rewrite_limits = {
    .value_limit = TRIVIAL_REWRITE_VALUE_LIMIT,
    .count_limit = 16,
    .depth_limit = 1,
};

/* trivial_rewrite_rewrite - one rewrite request; false: refused */
static bool trivial_rewrite_rewrite(const ATTR_LIST *request, ATTR_LIST *reply,
				            VSTRING *why)
{
    static VSTRING *result;
    const char *rule = NULL;
    const char *address = NULL;
    ATTR_WANT want[] = {
	{REWRITE_ATTR_RULE, ATTR_TYPE_STR, ATTR_REQUIRED, &rule},
	{REWRITE_ATTR_ADDRESS, ATTR_TYPE_STR, ATTR_REQUIRED, &address},
    };

    if (result == NULL)
	result = vstring_alloc(100);
    if (!attr_list_take(request, want, ARRAY_LEN(want), why))
	return false;
    if (!rewrite_address(rule, address, result)) {
	vstring_sprintf(why, "unknown rule \"%s\"", excerpt(rule));
	return false;
    }
    if (msg_verbose)
	msg_info("rewrite %s \"%s\" -> \"%s\"", rule, excerpt(address),
		 excerpt(vstring_str(result)));
    attr_list_add_int(reply, REWRITE_ATTR_FLAGS, 0);
    attr_list_add_str(reply, REWRITE_ATTR_ADDRESS, vstring_str(result));
    return true;
}

/* trivial_rewrite_resolve - one resolve request; false: refused */
static bool trivial_rewrite_resolve(const char *kind, const ATTR_LIST *request,
				            ATTR_LIST *reply, VSTRING *why)
{
    static RESOLVE_RESULT result;
    static bool ready;
    const char *sender = "";
    const char *address = NULL;
    ATTR_WANT want[] = {
	{REWRITE_ATTR_SENDER, ATTR_TYPE_STR, ATTR_OPTIONAL, &sender},
	{REWRITE_ATTR_ADDRESS, ATTR_TYPE_STR, ATTR_REQUIRED, &address},
    };

    if (!ready) {
	resolve_result_init(&result);
	ready = true;
    }
    if (!attr_list_take(request, want, ARRAY_LEN(want), why))
	return false;
    resolve_address(kind, sender, address, &result);
    if (msg_verbose)
	msg_info("%s \"%s\" sender \"%s\" -> flags %#x transport \"%s\" "
		 "nexthop \"%s\" recipient \"%s\"", kind, excerpt(address),
		 excerpt(sender), (unsigned) result.flags,
		 vstring_str(result.transport), excerpt(vstring_str(result.nexthop)),
		 excerpt(vstring_str(result.recipient)));
    attr_list_add_int(reply, REWRITE_ATTR_FLAGS, result.flags);
    attr_list_add_str(reply, REWRITE_ATTR_TRANSPORT, vstring_str(result.transport));
    attr_list_add_str(reply, REWRITE_ATTR_NEXTHOP, vstring_str(result.nexthop));
    attr_list_add_str(reply, REWRITE_ATTR_RECIPIENT, vstring_str(result.recipient));
    return true;
}

/* trivial_rewrite_service - read and answer one request */
static void trivial_rewrite_service(VSTREAM *client, const char *service,
				            char **argv)
{
    static ATTR_LIST *request;
    static ATTR_LIST *reply;
    static VSTRING *why;
    const char *kind;
    bool    ok;

    (void) service;
    (void) argv;
    if (request == NULL) {
	request = attr_list_create();
	reply = attr_list_create();
	why = vstring_alloc(100);
    }
    if (!multi_server_attr_read(client, request, &trivial_rewrite_limits,
				REWRITE_PROTO_NAME, why))
	return;
    attr_list_clear(reply);
    if ((kind = attr_list_find_str(request, ATTR_REQUEST)) == NULL) {
	vstring_strcpy(why, "missing attribute " ATTR_REQUEST);
	ok = false;
    } else if (strcmp(kind, REWRITE_REQ_REWRITE) == 0) {
	ok = trivial_rewrite_rewrite(request, reply, why);
    } else if (strcmp(kind, REWRITE_REQ_RESOLVE) == 0
	       || strcmp(kind, REWRITE_REQ_RESOLVE_VERIFY) == 0
	       || strcmp(kind, REWRITE_REQ_RESOLVE_SENDER) == 0) {
	ok = trivial_rewrite_resolve(kind, request, reply, why);
    } else {
	vstring_sprintf(why, "unknown request \"%s\"", excerpt(kind));
	ok = false;
    }
    if (!ok) {
	multi_server_attr_refuse(client, vstring_str(why));
	return;
    }
    multi_server_attr_reply(client, reply);
}

/* trivial_rewrite_greet - announce the protocol to a new client */
static void trivial_rewrite_greet(VSTREAM *client, const char *service,
				          char **argv)
{
    (void) service;
    (void) argv;
    multi_server_attr_greet(client, REWRITE_PROTO_NAME);
}

/* trivial_rewrite_pre_init - open the tables before the privilege drop */
static void trivial_rewrite_pre_init(const char *service, char **argv)
{
    (void) service;
    (void) argv;
    resolve_address_init();
}

/* main - hand over to the skeleton */
int     main(int argc, char **argv)
{
    static const MAIL_SERVER_OPTS opts = {
	.pre_init = trivial_rewrite_pre_init,
	.post_accept = trivial_rewrite_greet,
    };

    multi_server_main(argc, argv, trivial_rewrite_service, &opts);
}
