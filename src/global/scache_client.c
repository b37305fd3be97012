/*
 * scache_client - talk to the connection cache, scache(8)
 *
 * SYNOPSIS
 *	See scache_client.h.
 *
 * DESCRIPTION
 *	One connection per SCACHE_CLIENT, made at the first request and
 *	kept open; each exchange has a deadline of
 *	$connection_cache_protocol_timeout. A failed exchange closes the
 *	connection and is tried once more on a new one after one second,
 *	as Postfix's client does (a connection that the server closed
 *	after $max_idle or a reload is noticed before a request is sent,
 *	and does not count as a failure).
 *	Nothing here blocks a delivery for long: a cache that is not
 *	reachable only means that connections are not reused.
 *
 * DIAGNOSTICS
 *	Warnings, once per failed attempt: "connect to private/scache:
 *	<error>" (Postfix's words) and "problem talking to service
 *	private/scache: <reason>".
 */
#include "sys_defs.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>

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
#include "scache_client.h"

struct SCACHE_CLIENT {
    char   *endpoint;			/* "private/scache" */
    VSTREAM *fp;			/* the connection, or NULL */
    ATTR_LIST *reply;
    VSTRING *why;
    bool    failed;			/* the last request failed */
};

/* scache_carrier_send - the byte before a list, with a descriptor or not */
int     scache_carrier_send(int sock, int fd, int timeout, VSTRING *why)
{
    ssize_t n;

    if (write_wait(sock, timeout) < 0) {
	vstring_sprintf(why, "timeout");
	return (-2);
    }
    if (fd >= 0) {
	if (unix_send_fd(sock, fd) < 0) {
	    vstring_sprintf(why, "send descriptor: %m");
	    return (-2);
	}
	return (0);
    }
    while ((n = send(sock, "", 1, MSG_NOSIGNAL)) < 0 && errno == EINTR)
	 /* void */ ;
    if (n != 1) {
	vstring_sprintf(why, "send: %m");
	return (-2);
    }
    return (0);
}

/* scache_carrier_recv - the byte before a list, and its descriptor */
int     scache_carrier_recv(int sock, int timeout, VSTRING *why)
{
    int     fd;

    if (read_wait(sock, timeout) < 0) {
	vstring_sprintf(why, "timeout");
	errno = ETIMEDOUT;
	return (-2);
    }
    if ((fd = unix_recv_fd(sock)) >= 0)
	return (fd);
    if (errno == EBADMSG)
	return (-1);
    if (errno == ECONNRESET)
	vstring_sprintf(why, "end of input");
    else
	vstring_sprintf(why, "receive: %m");
    return (-2);
}

/* scache_client_open - a client for a service (NULL: the parameter) */
SCACHE_CLIENT *scache_client_open(const char *service)
{
    SCACHE_CLIENT *sc = mymalloc(sizeof(*sc));
    VSTRING *endpoint = vstring_alloc(50);

    vstring_sprintf(endpoint, "private/%s",
		    service ? service : VAR_STR(connection_cache_service_name));
    sc->endpoint = vstring_export(endpoint);
    sc->fp = 0;
    sc->reply = attr_list_create();
    sc->why = vstring_alloc(100);
    sc->failed = false;
    return (sc);
}

/* scache_client_disconnect - drop the connection */
static void scache_client_disconnect(SCACHE_CLIENT *sc)
{
    if (sc->fp != 0) {
	(void) vstream_fclose(sc->fp);
	sc->fp = 0;
    }
}

/* scache_client_close - disconnect and free */
void    scache_client_close(SCACHE_CLIENT *sc)
{
    scache_client_disconnect(sc);
    attr_list_free(sc->reply);
    vstring_free(sc->why);
    myfree(sc->endpoint);
    myfree(sc);
}

/* scache_client_connect - a new connection, greeting checked */
static bool scache_client_connect(SCACHE_CLIENT *sc, int timeout)
{
    char   *path = mail_endpoint_path(sc->endpoint);
    ATTR_LIST *greeting;
    bool    ok;
    int     fd;

    if ((fd = unix_connect(path, BLOCKING, timeout)) < 0) {
	vstring_sprintf(sc->why, "connect to %s: %m", sc->endpoint);
	myfree(path);
	return (false);
    }
    sc->fp = vstream_fdopen(fd, O_RDWR);
    vstream_set_path(sc->fp, path);
    myfree(path);
    vstream_set_timeout(sc->fp, timeout);
    vstream_start_deadline(sc->fp);
    greeting = attr_list_create();
    ok = attr_proto_expect(sc->fp, SCACHE_PROTOCOL, greeting, sc->why);
    attr_list_free(greeting);
    if (!ok)
	scache_client_disconnect(sc);
    return (ok);
}

/* scache_client_alive - the connection exists and was not closed */
static bool scache_client_alive(SCACHE_CLIENT *sc)
{
    if (sc->fp == 0)
	return (false);
    /* The service never speaks first: readable means closed or broken. */
    if (vstream_peek(sc->fp) > 0 || readable(vstream_fileno(sc->fp))) {
	scache_client_disconnect(sc);
	return (false);
    }
    return (true);
}

/* scache_client_exchange - one request and reply; the passed fd or -1/-2 */
static int scache_client_exchange(SCACHE_CLIENT *sc, const ATTR_LIST *request,
				          int send_fd, int *status)
{
    int     timeout = (int) VAR_TIME(connection_cache_protocol_timeout);
    int     sock;
    int     fd;
    const char *reason = "";
    ATTR_WANT want[] = {
	{ATTR_STATUS, ATTR_TYPE_INT, ATTR_REQUIRED, status},
	{ATTR_REASON, ATTR_TYPE_STR, ATTR_OPTIONAL, &reason},
    };

    if (!scache_client_alive(sc) && !scache_client_connect(sc, timeout))
	return (-2);
    sock = vstream_fileno(sc->fp);
    vstream_set_timeout(sc->fp, timeout);
    vstream_start_deadline(sc->fp);
    if (scache_carrier_send(sock, send_fd, timeout, sc->why) < 0)
	goto broken;
    if (!attr_list_write(sc->fp, request) || vstream_fflush(sc->fp) != 0) {
	vstring_sprintf(sc->why, vstream_ftimeout(sc->fp) ? "timeout" : "%m");
	goto broken;
    }
    if ((fd = scache_carrier_recv(sock, timeout, sc->why)) == -2)
	goto broken;
    if (!attr_list_read(sc->fp, sc->reply, NULL, sc->why)
	|| !attr_list_take(sc->reply, want, ARRAY_LEN(want), sc->why)) {
	if (fd >= 0)
	    (void) close(fd);
	goto broken;
    }
    if (*status != 0 && fd >= 0) {
	(void) close(fd);
	fd = -1;
    }
    if (*status != 0 && *reason)
	msg_warn("%s: request refused: %s", sc->endpoint, excerpt(reason));
    return (fd);

broken:
    scache_client_disconnect(sc);
    return (-2);
}

/* scache_client_call - a request with one retry; the passed fd or -1/-2 */
static int scache_client_call(SCACHE_CLIENT *sc, const ATTR_LIST *request,
			              int send_fd, int *status)
{
    int     attempt;
    int     fd;

    for (attempt = 0; attempt < 2; attempt++) {
	if (attempt > 0)
	    sleep(1);
	VSTRING_RESET(sc->why);
	VSTRING_TERMINATE(sc->why);
	if ((fd = scache_client_exchange(sc, request, send_fd, status)) != -2) {
	    sc->failed = false;
	    return (fd);
	}
	if (strncmp(vstring_str(sc->why), "connect to ", 11) == 0)
	    msg_warn("%s", vstring_str(sc->why));
	else
	    msg_warn("problem talking to service %s: %s", sc->endpoint,
		     vstring_str(sc->why));
    }
    sc->failed = true;
    return (-2);
}

/* scache_client_failed - the last request did not reach the service */
bool    scache_client_failed(const SCACHE_CLIENT *sc)
{
    return (sc->failed);
}

/* scache_client_save - a save request; 0 or -1 */
static int scache_client_save(SCACHE_CLIENT *sc, ATTR_LIST *request, int fd)
{
    int     status = -1;
    int     got;

    got = scache_client_call(sc, request, fd, &status);
    attr_list_free(request);
    if (got >= 0)
	(void) close(got);
    return (got != -2 && status == 0 ? 0 : -1);
}

/* scache_client_find - a find request: the descriptor and properties */
static int scache_client_find(SCACHE_CLIENT *sc, const char *kind,
			              const char *label, const char *name1,
			              VSTRING *prop1, const char *name2,
			              VSTRING *prop2)
{
    ATTR_LIST *request = attr_proto_request(SCACHE_PROTOCOL, kind);
    const char *value1;
    const char *value2 = 0;
    int     status = -1;
    int     fd;

    attr_list_add_str(request, SCACHE_ATTR_LABEL, label);
    fd = scache_client_call(sc, request, -1, &status);
    attr_list_free(request);
    if (fd < 0)
	return (-1);
    if ((value1 = attr_list_find_str(sc->reply, name1)) == 0
	|| (name2 != 0
	    && (value2 = attr_list_find_str(sc->reply, name2)) == 0)) {
	msg_warn("%s: %s reply without properties", sc->endpoint, kind);
	(void) close(fd);
	return (-1);
    }
    vstring_strcpy(prop1, value1);
    if (value2 != 0)
	vstring_strcpy(prop2, value2);
    return (fd);
}

/* scache_save_endp - hand a connection to the cache */
int     scache_save_endp(SCACHE_CLIENT *sc, int ttl, const char *endp_label,
			         const char *endp_prop, int fd)
{
    ATTR_LIST *request = attr_proto_request(SCACHE_PROTOCOL,
					    SCACHE_REQ_SAVE_ENDP);

    attr_list_add_int(request, SCACHE_ATTR_TTL, ttl);
    attr_list_add_str(request, SCACHE_ATTR_LABEL, endp_label);
    attr_list_add_str(request, SCACHE_ATTR_PROP, endp_prop);
    return (scache_client_save(sc, request, fd));
}

/* scache_find_endp - a cached connection to an endpoint */
int     scache_find_endp(SCACHE_CLIENT *sc, const char *endp_label,
			         VSTRING *endp_prop)
{
    return (scache_client_find(sc, SCACHE_REQ_FIND_ENDP, endp_label,
			       SCACHE_ATTR_PROP, endp_prop,
			       (const char *) 0, (VSTRING *) 0));
}

/* scache_save_dest - bind a destination to an endpoint */
int     scache_save_dest(SCACHE_CLIENT *sc, int ttl, const char *dest_label,
			         const char *dest_prop, const char *endp_label)
{
    ATTR_LIST *request = attr_proto_request(SCACHE_PROTOCOL,
					    SCACHE_REQ_SAVE_DEST);

    attr_list_add_int(request, SCACHE_ATTR_TTL, ttl);
    attr_list_add_str(request, SCACHE_ATTR_LABEL, dest_label);
    attr_list_add_str(request, SCACHE_ATTR_PROP, dest_prop);
    attr_list_add_str(request, SCACHE_ATTR_ENDP_LABEL, endp_label);
    return (scache_client_save(sc, request, -1));
}

/* scache_find_dest - a cached connection to a logical destination */
int     scache_find_dest(SCACHE_CLIENT *sc, const char *dest_label,
			         VSTRING *dest_prop, VSTRING *endp_prop)
{
    return (scache_client_find(sc, SCACHE_REQ_FIND_DEST, dest_label,
			       SCACHE_ATTR_DEST_PROP, dest_prop,
			       SCACHE_ATTR_ENDP_PROP, endp_prop));
}
