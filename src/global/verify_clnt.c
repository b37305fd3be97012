/*
 * verify_clnt - talk to the address verification service, verify(8)
 *
 * SYNOPSIS
 *	See verify_clnt.h.
 *
 * DESCRIPTION
 *	One connection per process, opened on the first request and kept
 *	(verify(8) answers many requests on it); a connection that the
 *	service closed (it exits after $max_idle or $max_use) is noticed
 *	before the next request and replaced. Each request has one
 *	deadline of $ipc_timeout for connect, greeting, request and reply;
 *	a failed attempt is retried once on a new connection.
 *
 *	What it does not do: wait for the service to come back (Postfix's
 *	client retries forever; ours gives up after two attempts so that
 *	smtpd can answer with a temporary error).
 *
 * DIAGNOSTICS
 *	See verify_clnt.h.
 */
#include "sys_defs.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>

#include "msg.h"
#include "mymalloc.h"
#include "excerpt.h"
#include "stringops.h"
#include "connect.h"
#include "iostuff.h"
#include "vstream.h"
#include "vstring.h"
#include "mail_params.h"
#include "mail_endpoint.h"
#include "attr_list.h"
#include "verify_clnt.h"

static VSTREAM *verify_clnt_fp;		/* the open connection, or NULL */

/* verify_clnt_disconnect - drop the connection */
static void verify_clnt_disconnect(void)
{
    if (verify_clnt_fp != 0) {
	(void) vstream_fclose(verify_clnt_fp);
	verify_clnt_fp = 0;
    }
}

/* verify_clnt_connect - a usable connection, greeting checked */
static bool verify_clnt_connect(VSTRING *why)
{
    int     timeout = (int) VAR_TIME(ipc_timeout);
    char   *endpoint;
    char   *path;
    ATTR_LIST *greeting;
    bool    ok;
    int     fd;

    /* The service never speaks first: readable means closed or broken. */
    if (verify_clnt_fp != 0 && vstream_peek(verify_clnt_fp) == 0
	&& !readable(vstream_fileno(verify_clnt_fp)))
	return (true);
    verify_clnt_disconnect();
    endpoint = concatenate("private/", VAR_STR(address_verify_service_name),
			   (char *) 0);
    path = mail_endpoint_path(endpoint);
    myfree(endpoint);
    if ((fd = unix_connect(path, BLOCKING, timeout)) < 0) {
	vstring_sprintf(why, "connect to %s: %s", path, strerror(errno));
	myfree(path);
	return (false);
    }
    verify_clnt_fp = vstream_fdopen(fd, O_RDWR);
    vstream_set_path(verify_clnt_fp, path);
    myfree(path);
    vstream_set_timeout(verify_clnt_fp, timeout);
    vstream_start_deadline(verify_clnt_fp);
    greeting = attr_list_create();
    ok = attr_proto_expect(verify_clnt_fp, VERIFY_PROTO_NAME, greeting, why);
    attr_list_free(greeting);
    if (!ok)
	verify_clnt_disconnect();
    return (ok);
}

/* verify_clnt_exchange - one attempt: 1 answered, 0 refused, -1 failed */
static int verify_clnt_exchange(const ATTR_LIST *request, ATTR_LIST *reply,
				        VSTRING *why)
{
    int     status = -1;
    const char *reason = "";
    ATTR_WANT want[] = {
	{ATTR_STATUS, ATTR_TYPE_INT, ATTR_REQUIRED, &status},
	{ATTR_REASON, ATTR_TYPE_STR, ATTR_OPTIONAL, &reason},
    };

    if (!verify_clnt_connect(why))
	return (-1);
    vstream_set_timeout(verify_clnt_fp, (int) VAR_TIME(ipc_timeout));
    vstream_start_deadline(verify_clnt_fp);
    if (!attr_list_write(verify_clnt_fp, request)
	|| vstream_fflush(verify_clnt_fp) != 0) {
	vstring_sprintf(why, "%s", vstream_ftimeout(verify_clnt_fp) ?
			"timeout" : strerror(errno));
	verify_clnt_disconnect();
	return (-1);
    }
    attr_list_clear(reply);
    if (!attr_list_read(verify_clnt_fp, reply, NULL, why)
	|| !attr_list_take(reply, want, ARRAY_LEN(want), why)) {
	verify_clnt_disconnect();
	return (-1);
    }
    if (status != 0) {
	vstring_strcpy(why, excerpt(reason));
	return (0);
    }
    return (1);
}

/* verify_clnt_call - a request with one retry; VERIFY_STAT_* */
static int verify_clnt_call(const char *kind, const char *address,
			            const ATTR_LIST *request, ATTR_LIST *reply)
{
    VSTRING *why = vstring_alloc(100);
    int     result = VERIFY_STAT_FAIL;
    int     attempt;
    int     answer;

    for (attempt = 0; attempt < 2; attempt++) {
	VSTRING_RESET(why);
	VSTRING_TERMINATE(why);
	if ((answer = verify_clnt_exchange(request, reply, why)) > 0) {
	    result = VERIFY_STAT_OK;
	    break;
	}
	if (answer == 0) {
	    msg_warn("verify service refused %s for %s: %s", kind,
		     excerpt(address), vstring_str(why));
	    result = VERIFY_STAT_BAD;
	    break;
	}
	msg_warn("problem talking to service %s: %s",
		 VAR_STR(address_verify_service_name), vstring_str(why));
    }
    vstring_free(why);
    return (result);
}

/* verify_clnt_query - the status of an address; a probe when due */
int     verify_clnt_query(const char *address, int *addr_status,
			          VSTRING *text)
{
    ATTR_LIST *request = attr_proto_request(VERIFY_PROTO_NAME,
					    VERIFY_REQ_QUERY);
    ATTR_LIST *reply = attr_list_create();
    const char *value = "";
    int     status = VERIFY_ADDR_PENDING;
    int     result;
    VSTRING *why;
    ATTR_WANT want[] = {
	{VERIFY_ATTR_ADDR_STATUS, ATTR_TYPE_INT, ATTR_REQUIRED, &status},
	{VERIFY_ATTR_TEXT, ATTR_TYPE_STR, ATTR_REQUIRED, &value},
    };

    attr_list_add_str(request, VERIFY_ATTR_ADDRESS, address);
    result = verify_clnt_call(VERIFY_REQ_QUERY, address, request, reply);
    if (result == VERIFY_STAT_OK) {
	why = vstring_alloc(100);
	if (!attr_list_take(reply, want, ARRAY_LEN(want), why)
	    || status < VERIFY_ADDR_OK || status > VERIFY_ADDR_PENDING) {
	    msg_warn("problem talking to service %s: malformed reply%s%s",
		     VAR_STR(address_verify_service_name),
		     VSTRING_LEN(why) ? ": " : "", vstring_str(why));
	    verify_clnt_disconnect();
	    result = VERIFY_STAT_FAIL;
	} else {
	    *addr_status = status;
	    vstring_strcpy(text, value);
	}
	vstring_free(why);
    }
    attr_list_free(request);
    attr_list_free(reply);
    return (result);
}

/* verify_clnt_update - record the outcome of a probe */
int     verify_clnt_update(const char *address, int addr_status,
			           const char *text)
{
    ATTR_LIST *request = attr_proto_request(VERIFY_PROTO_NAME,
					    VERIFY_REQ_UPDATE);
    ATTR_LIST *reply = attr_list_create();
    int     result;

    attr_list_add_str(request, VERIFY_ATTR_ADDRESS, address);
    attr_list_add_int(request, VERIFY_ATTR_ADDR_STATUS, addr_status);
    attr_list_add_str(request, VERIFY_ATTR_TEXT,
		      excerpt_limit(text, VERIFY_TEXT_LIMIT));
    result = verify_clnt_call(VERIFY_REQ_UPDATE, address, request, reply);
    attr_list_free(request);
    attr_list_free(reply);
    return (result);
}

/* verify_clnt_status_name - an addr_status for diagnostics */
const char *verify_clnt_status_name(int addr_status)
{
    switch (addr_status) {
    case VERIFY_ADDR_OK:
	return ("deliverable");
    case VERIFY_ADDR_DEFER:
    case VERIFY_ADDR_BOUNCE:
	return ("undeliverable");
    case VERIFY_ADDR_PENDING:
	return ("in progress");
    default:
	return ("unknown");
    }
}
