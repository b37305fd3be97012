/*
 * anvil_client - talk to the anvil(8) connection and rate limit service
 *
 * SYNOPSIS
 *	See anvil_client.h.
 *
 * DESCRIPTION
 *	The anvil conversation of docs/internals/protocols.md: one
 *	connection per ANVIL_CLIENT, kept open between requests, greeted
 *	once with the protocol name; each request is answered by one
 *	reply. Each exchange (and each connection set-up) has a deadline
 *	of $ipc_timeout.
 *
 *	A failed connect, a timeout, a lost connection or a malformed
 *	reply closes the connection; as Postfix's client does, the
 *	request is then sent once more on a new connection after a pause
 *	of one second, and when that fails too the call returns
 *	ANVIL_STAT_FAIL (the caller then does not limit).
 *
 *	The kept connection matters: anvil(8) ends the connection count
 *	that a client stream registered when the stream closes, so a
 *	process that crashes does not leave its clients counted.
 *
 * DIAGNOSTICS
 *	Warnings for each failed attempt, with Postfix's words: "connect
 *	to <endpoint>: <error>" (connect failed) and "problem talking to
 *	server <endpoint>: <error or reason>".
 */
#include "sys_defs.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "msg.h"
#include "mymalloc.h"
#include "excerpt.h"
#include "connect.h"
#include "iostuff.h"
#include "vstream.h"
#include "vstring.h"
#include "mail_params.h"
#include "mail_endpoint.h"
#include "attr_list.h"
#include "anvil_proto.h"
#include "anvil_client.h"

struct ANVIL_CLIENT {
    char   *endpoint;			/* as given, for diagnostics */
    VSTREAM *fp;			/* the connection, or NULL */
};

/* anvil_client_create - a client for endpoint (NULL: private/anvil) */
ANVIL_CLIENT *anvil_client_create(const char *endpoint)
{
    ANVIL_CLIENT *client = mymalloc(sizeof(*client));

    client->endpoint = mystrdup(endpoint ? endpoint : "private/" ANVIL_SERVICE);
    client->fp = 0;
    return (client);
}

/* anvil_client_close - drop the connection */
static void anvil_client_close(ANVIL_CLIENT *client)
{
    if (client->fp != 0) {
	(void) vstream_fclose(client->fp);
	client->fp = 0;
    }
}

/* anvil_client_free - close and release */
void    anvil_client_free(ANVIL_CLIENT *client)
{
    anvil_client_close(client);
    myfree(client->endpoint);
    myfree(client);
}

/* anvil_client_open - a new connection, greeting checked */
static bool anvil_client_open(ANVIL_CLIENT *client, VSTRING *why)
{
    int     timeout = (int) VAR_TIME(ipc_timeout);
    char   *path = mail_endpoint_path(client->endpoint);
    ATTR_LIST *greeting;
    bool    ok;
    int     fd;

    anvil_client_close(client);
    if ((fd = unix_connect(path, BLOCKING, timeout)) < 0) {
	int     saved_errno = errno;

	msg_warn("connect to %s: %m", client->endpoint);
	errno = saved_errno;
	vstring_sprintf(why, "%m");
	myfree(path);
	return (false);
    }
    client->fp = vstream_fdopen(fd, O_RDWR);
    vstream_set_path(client->fp, path);
    myfree(path);
    vstream_set_timeout(client->fp, timeout);
    vstream_start_deadline(client->fp);
    greeting = attr_list_create();
    ok = attr_proto_expect(client->fp, ANVIL_PROTO_NAME, greeting, why);
    attr_list_free(greeting);
    if (!ok)
	anvil_client_close(client);
    return (ok);
}

/* anvil_client_alive - the connection exists and was not closed */
static bool anvil_client_alive(ANVIL_CLIENT *client)
{
    if (client->fp == 0)
	return (false);
    /* The service never speaks first: readable means closed or broken. */
    if (vstream_peek(client->fp) > 0 || readable(vstream_fileno(client->fp))) {
	anvil_client_close(client);
	return (false);
    }
    return (true);
}

/* anvil_client_exchange - one request and its reply; false: failed */
static bool anvil_client_exchange(ANVIL_CLIENT *client,
				          const ATTR_LIST *request,
				          ATTR_LIST *reply, const ATTR_WANT *want,
				          size_t count, VSTRING *why)
{
    int     status = -1;
    const char *reason = "";
    ATTR_WANT status_want[] = {
	{ATTR_STATUS, ATTR_TYPE_INT, ATTR_REQUIRED, &status},
	{ATTR_REASON, ATTR_TYPE_STR, ATTR_OPTIONAL, &reason},
    };

    if (!anvil_client_alive(client) && !anvil_client_open(client, why))
	return (false);
    vstream_set_timeout(client->fp, (int) VAR_TIME(ipc_timeout));
    vstream_start_deadline(client->fp);
    if (!attr_list_write(client->fp, request) || vstream_fflush(client->fp) != 0) {
	vstring_sprintf(why, vstream_ftimeout(client->fp) ?
			"timeout" : "%m");
	anvil_client_close(client);
	return (false);
    }
    if (!attr_list_read(client->fp, reply, NULL, why)
	|| !attr_list_take(reply, status_want, ARRAY_LEN(status_want), why)) {
	anvil_client_close(client);
	return (false);
    }
    if (status != 0) {
	vstring_sprintf(why, "request refused: %s", excerpt(reason));
	anvil_client_close(client);
	return (false);
    }
    if (!attr_list_take(reply, want, count, why)) {
	anvil_client_close(client);
	return (false);
    }
    return (true);
}

/* anvil_client_call - a request with one retry; ANVIL_STAT_* */
static int anvil_client_call(ANVIL_CLIENT *client, const char *kind,
			             const char *service, const char *addr,
			             const ATTR_WANT *want, size_t count)
{
    ATTR_LIST *request = attr_proto_request(ANVIL_PROTO_NAME, kind);
    ATTR_LIST *reply = attr_list_create();
    VSTRING *ident = vstring_alloc(100);
    VSTRING *why = vstring_alloc(100);
    int     result = ANVIL_STAT_FAIL;
    int     attempt;

    vstring_sprintf(ident, "%s:%s", service, addr);
    attr_list_add_str(request, ANVIL_ATTR_IDENT, vstring_str(ident));
    for (attempt = 0; attempt < 2; attempt++) {
	if (attempt > 0)
	    sleep(1);
	VSTRING_RESET(why);
	VSTRING_TERMINATE(why);
	if (anvil_client_exchange(client, request, reply, want, count, why)) {
	    result = ANVIL_STAT_OK;
	    break;
	}
	msg_warn("problem talking to server %s: %s", client->endpoint,
		 vstring_str(why));
    }
    attr_list_free(request);
    attr_list_free(reply);
    vstring_free(ident);
    vstring_free(why);
    return (result);
}

/* anvil_client_connect - register a connection; its count and rate */
int     anvil_client_connect(ANVIL_CLIENT *client, const char *service,
			             const char *addr, int *count, int *rate)
{
    ATTR_WANT want[] = {
	{ANVIL_ATTR_COUNT, ATTR_TYPE_INT, ATTR_REQUIRED, count},
	{ANVIL_ATTR_RATE, ATTR_TYPE_INT, ATTR_REQUIRED, rate},
    };

    return (anvil_client_call(client, ANVIL_REQ_CONNECT, service, addr,
			      want, ARRAY_LEN(want)));
}

/* anvil_client_disconnect - unregister a connection */
int     anvil_client_disconnect(ANVIL_CLIENT *client, const char *service,
				        const char *addr)
{
    return (anvil_client_call(client, ANVIL_REQ_DISCONNECT, service, addr,
			      NULL, 0));
}

/* anvil_client_rate - one rate request */
static int anvil_client_rate(ANVIL_CLIENT *client, const char *kind,
			             const char *service, const char *addr,
			             int *rate)
{
    ATTR_WANT want[] = {
	{ANVIL_ATTR_RATE, ATTR_TYPE_INT, ATTR_REQUIRED, rate},
    };

    return (anvil_client_call(client, kind, service, addr, want,
			      ARRAY_LEN(want)));
}

/* anvil_client_mail - count a MAIL command */
int     anvil_client_mail(ANVIL_CLIENT *client, const char *service,
			          const char *addr, int *rate)
{
    return (anvil_client_rate(client, ANVIL_REQ_MESSAGE, service, addr, rate));
}

/* anvil_client_rcpt - count a RCPT command */
int     anvil_client_rcpt(ANVIL_CLIENT *client, const char *service,
			          const char *addr, int *rate)
{
    return (anvil_client_rate(client, ANVIL_REQ_RECIPIENT, service, addr, rate));
}

/* anvil_client_newtls - count a new TLS session */
int     anvil_client_newtls(ANVIL_CLIENT *client, const char *service,
			            const char *addr, int *rate)
{
    return (anvil_client_rate(client, ANVIL_REQ_NEWTLS, service, addr, rate));
}

/* anvil_client_newtls_status - the new TLS session rate, not counting */
int     anvil_client_newtls_status(ANVIL_CLIENT *client, const char *service,
				           const char *addr, int *rate)
{
    return (anvil_client_rate(client, ANVIL_REQ_NEWTLS_REPORT, service, addr,
			      rate));
}

/* anvil_client_auth - count an AUTH command */
int     anvil_client_auth(ANVIL_CLIENT *client, const char *service,
			          const char *addr, int *rate)
{
    return (anvil_client_rate(client, ANVIL_REQ_AUTH, service, addr, rate));
}

/* anvil_client_lookup - every counter */
int     anvil_client_lookup(ANVIL_CLIENT *client, const char *service,
			            const char *addr, ANVIL_COUNTS *counts)
{
    ATTR_WANT want[] = {
	{ANVIL_ATTR_COUNT, ATTR_TYPE_INT, ATTR_REQUIRED, &counts->count},
	{ANVIL_ATTR_RATE, ATTR_TYPE_INT, ATTR_REQUIRED, &counts->rate},
	{ANVIL_ATTR_MAIL, ATTR_TYPE_INT, ATTR_REQUIRED, &counts->mail},
	{ANVIL_ATTR_RCPT, ATTR_TYPE_INT, ATTR_REQUIRED, &counts->rcpt},
	{ANVIL_ATTR_NEWTLS, ATTR_TYPE_INT, ATTR_REQUIRED, &counts->newtls},
	{ANVIL_ATTR_AUTH, ATTR_TYPE_INT, ATTR_REQUIRED, &counts->auth},
    };

    return (anvil_client_call(client, ANVIL_REQ_LOOKUP, service, addr, want,
			      ARRAY_LEN(want)));
}
