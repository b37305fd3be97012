/*
 * anvil - connection count and request rate service
 *
 * SYNOPSIS
 *	anvil [generic daemon options]
 *
 * DESCRIPTION
 *	anvil(8) is a multi_server(3) daemon behind private/anvil. It
 *	speaks the "anvil" protocol of docs/internals/protocols.md: it
 *	greets each new client with {protocol=anvil} and then answers any
 *	number of requests {protocol=anvil, request=<what>, ident=<id>},
 *	where ident names a (service, client) pair such as
 *	"smtp:192.0.2.1". The counters themselves are anvil_table(3).
 *
 *	request=connect -> {status=0, count, rate}: one more simultaneous
 *	connection and one more connection in this time unit. As with
 *	Postfix's anvil, each client stream (one smtpd process) holds at
 *	most one connection: a connect for another ident first ends the
 *	stream's previous one, a connect for the same ident only counts
 *	the rate, and when the stream closes its connection ends.
 *	request=disconnect -> {status=0}.
 *	request=message|recipient|newtls|auth -> {status=0, rate}.
 *	request=newtls_report -> {status=0, rate} without counting.
 *	request=lookup -> {status=0, count, rate, mail, rcpt, newtls, auth}.
 *
 *	Entries without connections are dropped one time unit
 *	($anvil_rate_time_unit) after their window started. Every
 *	$anvil_status_update_time seconds, and when the process exits
 *	voluntarily, the maxima seen since the last report are logged.
 *
 * DIAGNOSTICS
 *	Info: "statistics: max connection rate N/Ts for (ident) at date"
 *	and the other statistics lines. Warnings: "unrecognized request:
 *	\"x\", ignored" (answered {status=-1}, the connection stays);
 *	"<stream>: bad request: <reason>" for a malformed message, a
 *	wrong protocol or a missing ident: the client gets {status=-1,
 *	reason} and the connection is closed.
 */
#include "sys_defs.h"

#include <string.h>
#include <time.h>

#include "msg.h"
#include "mymalloc.h"
#include "htable.h"
#include "vstring.h"
#include "vstream.h"
#include "events.h"
#include "excerpt.h"
#include "mail_params.h"
#include "attr_list.h"
#include "anvil_proto.h"
#include "multi_server.h"
#include "anvil_table.h"

/* Bounds of one request (docs/internals/protocols.md). */
static const ATTR_LIMITS anvil_limits = {
    .value_limit = ANVIL_IDENT_LIMIT,
    .count_limit = 8,
    .depth_limit = 1,
};

static ANVIL_TABLE *anvil_table;
static HTABLE *anvil_owners;		/* stream -> ident of its connection */

/* anvil_stream_key - the key of a client stream in anvil_owners */
static const char *anvil_stream_key(VSTREAM *stream)
{
    static VSTRING *key;

    if (key == 0)
	key = vstring_alloc(30);
    vstring_sprintf(key, "%p", (void *) stream);
    return (vstring_str(key));
}

/* anvil_release - end the connection that a stream holds, if any */
static void anvil_release(VSTREAM *stream)
{
    const char *key = anvil_stream_key(stream);
    char   *ident;

    if ((ident = htable_find(anvil_owners, key)) != 0) {
	anvil_table_disconnect(anvil_table, ident, time((time_t *) 0));
	(void) htable_delete(anvil_owners, key, myfree);
    }
}

/* anvil_log_line - one status line */
static void anvil_log_line(const char *line, void *context)
{
    (void) context;
    msg_info("%s", line);
}

/* anvil_status_timer - log the maxima, then wait for the next report */
static void anvil_status_timer(int event, void *context)
{
    (void) event;
    anvil_table_status(anvil_table, anvil_log_line, context);
    events_request_timer(anvil_status_timer, context,
			 (int) VAR_TIME(anvil_status_update_time));
}

/* anvil_expire_timer - drop idle entries once per time unit */
static void anvil_expire_timer(int event, void *context)
{
    size_t  dropped;

    (void) event;
    dropped = anvil_table_expire(anvil_table, time((time_t *) 0));
    if (msg_verbose && dropped > 0)
	msg_info("expired %lu entries, %lu left", (unsigned long) dropped,
		 (unsigned long) anvil_table_size(anvil_table));
    events_request_timer(anvil_expire_timer, context,
			 (int) VAR_TIME(anvil_rate_time_unit));
}

/* anvil_connect - a new connection of this stream */
static void anvil_connect(VSTREAM *client, const char *ident, time_t now,
			          ATTR_LIST *reply)
{
    const char *key = anvil_stream_key(client);
    char   *owned = htable_find(anvil_owners, key);
    int     count;
    int     rate;
    int     rates[ANVIL_EVENT_COUNT];

    if (owned != 0 && strcmp(owned, ident) == 0) {
	anvil_table_rate_only(anvil_table, ident, now, &rate);
	anvil_table_lookup(anvil_table, ident, now, &count, rates);
    } else {
	if (owned != 0)
	    anvil_release(client);
	anvil_table_connect(anvil_table, ident, now, &count, &rate);
	htable_enter(anvil_owners, anvil_stream_key(client), mystrdup(ident));
    }
    attr_list_add_int(reply, ATTR_STATUS, 0);
    attr_list_add_int(reply, ANVIL_ATTR_COUNT, count);
    attr_list_add_int(reply, ANVIL_ATTR_RATE, rate);
}

/* anvil_disconnect - the end of this stream's connection */
static void anvil_disconnect(VSTREAM *client, const char *ident,
			             ATTR_LIST *reply)
{
    const char *owned = htable_find(anvil_owners, anvil_stream_key(client));

    if (owned != 0 && strcmp(owned, ident) == 0)
	anvil_release(client);
    attr_list_add_int(reply, ATTR_STATUS, 0);
}

/* anvil_lookup - every counter of an ident */
static void anvil_lookup(const char *ident, time_t now, ATTR_LIST *reply)
{
    int     count;
    int     rates[ANVIL_EVENT_COUNT];

    anvil_table_lookup(anvil_table, ident, now, &count, rates);
    attr_list_add_int(reply, ATTR_STATUS, 0);
    attr_list_add_int(reply, ANVIL_ATTR_COUNT, count);
    attr_list_add_int(reply, ANVIL_ATTR_RATE, rates[ANVIL_EVENT_CONNECT]);
    attr_list_add_int(reply, ANVIL_ATTR_MAIL, rates[ANVIL_EVENT_MAIL]);
    attr_list_add_int(reply, ANVIL_ATTR_RCPT, rates[ANVIL_EVENT_RCPT]);
    attr_list_add_int(reply, ANVIL_ATTR_NEWTLS, rates[ANVIL_EVENT_NEWTLS]);
    attr_list_add_int(reply, ANVIL_ATTR_AUTH, rates[ANVIL_EVENT_AUTH]);
}

/* anvil_rate_reply - count (or peek at) one event and answer its rate */
static void anvil_rate_reply(ANVIL_EVENT event, bool count,
			             const char *ident, time_t now,
			             ATTR_LIST *reply)
{
    int     rate;

    rate = count ? anvil_table_event(anvil_table, event, ident, now) :
	anvil_table_peek(anvil_table, event, ident, now);
    attr_list_add_int(reply, ATTR_STATUS, 0);
    attr_list_add_int(reply, ANVIL_ATTR_RATE, rate);
}

/* anvil_dispatch - answer one request; false: unknown request */
static bool anvil_dispatch(VSTREAM *client, const char *kind,
			           const char *ident, ATTR_LIST *reply)
{
    time_t  now = time((time_t *) 0);

    if (strcmp(kind, ANVIL_REQ_CONNECT) == 0)
	anvil_connect(client, ident, now, reply);
    else if (strcmp(kind, ANVIL_REQ_DISCONNECT) == 0)
	anvil_disconnect(client, ident, reply);
    else if (strcmp(kind, ANVIL_REQ_MESSAGE) == 0)
	anvil_rate_reply(ANVIL_EVENT_MAIL, true, ident, now, reply);
    else if (strcmp(kind, ANVIL_REQ_RECIPIENT) == 0)
	anvil_rate_reply(ANVIL_EVENT_RCPT, true, ident, now, reply);
    else if (strcmp(kind, ANVIL_REQ_NEWTLS) == 0)
	anvil_rate_reply(ANVIL_EVENT_NEWTLS, true, ident, now, reply);
    else if (strcmp(kind, ANVIL_REQ_NEWTLS_REPORT) == 0)
	anvil_rate_reply(ANVIL_EVENT_NEWTLS, false, ident, now, reply);
    else if (strcmp(kind, ANVIL_REQ_AUTH) == 0)
	anvil_rate_reply(ANVIL_EVENT_AUTH, true, ident, now, reply);
    else if (strcmp(kind, ANVIL_REQ_LOOKUP) == 0)
	anvil_lookup(ident, now, reply);
    else
	return (false);
    return (true);
}

/* anvil_service - read and answer one request */
static void anvil_service(VSTREAM *client, const char *service, char **argv)
{
    static ATTR_LIST *request;
    static ATTR_LIST *reply;
    static VSTRING *why;
    const char *kind = 0;
    const char *ident = 0;
    ATTR_WANT want[] = {
	{ATTR_REQUEST, ATTR_TYPE_STR, ATTR_REQUIRED, &kind},
	{ANVIL_ATTR_IDENT, ATTR_TYPE_STR, ATTR_REQUIRED, &ident},
    };

    (void) service;
    (void) argv;
    if (request == 0) {
	request = attr_list_create();
	reply = attr_list_create();
	why = vstring_alloc(100);
    }
    if (!multi_server_attr_read(client, request, &anvil_limits,
				ANVIL_PROTO_NAME, why))
	return;
    if (!attr_list_take(request, want, ARRAY_LEN(want), why)) {
	multi_server_attr_refuse(client, vstring_str(why));
	return;
    }
    attr_list_clear(reply);
    if (!anvil_dispatch(client, kind, ident, reply)) {
	msg_warn("unrecognized request: \"%s\", ignored", excerpt(kind));
	attr_list_add_int(reply, ATTR_STATUS, -1);
	attr_list_add_str(reply, ATTR_REASON, "unrecognized request");
    } else if (msg_verbose) {
	msg_info("%s %s", kind, excerpt(ident));
    }
    multi_server_attr_reply(client, reply);
}

/* anvil_greet - announce the protocol to a new client */
static void anvil_greet(VSTREAM *client, const char *service, char **argv)
{
    (void) service;
    (void) argv;
    multi_server_attr_greet(client, ANVIL_PROTO_NAME);
}

/* anvil_pre_disconnect - a closed stream ends its connection */
static void anvil_pre_disconnect(VSTREAM *client, const char *service,
				         char **argv)
{
    (void) service;
    (void) argv;
    anvil_release(client);
}

/* anvil_post_init - the table and the timers */
static void anvil_post_init(const char *service, char **argv)
{
    (void) service;
    (void) argv;
    anvil_table = anvil_table_create((int) VAR_TIME(anvil_rate_time_unit));
    anvil_owners = htable_create(100);
    events_request_timer(anvil_status_timer, 0,
			 (int) VAR_TIME(anvil_status_update_time));
    events_request_timer(anvil_expire_timer, 0,
			 (int) VAR_TIME(anvil_rate_time_unit));
}

/* anvil_on_exit - the last report */
static void anvil_on_exit(const char *service, char **argv)
{
    (void) service;
    (void) argv;
    if (anvil_table)
	anvil_table_status(anvil_table, anvil_log_line, 0);
}

/* main - hand over to the skeleton */
int     main(int argc, char **argv)
{
    static const MAIL_SERVER_OPTS opts = {
	.post_init = anvil_post_init,
	.post_accept = anvil_greet,
	.pre_disconnect = anvil_pre_disconnect,
	.on_exit = anvil_on_exit,
    };

    multi_server_main(argc, argv, anvil_service, &opts);
}
