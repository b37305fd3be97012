/*
 * scache - the shared connection cache server
 *
 * SYNOPSIS
 *	scache [generic daemon options]
 *
 * DESCRIPTION
 *	scache(8) is a multi_server(3) daemon behind private/scache (one
 *	process: master.cf's process limit 1). It keeps open connections
 *	that delivery agents hand to it after a mail transaction, so that
 *	the same or another agent process can take one back for the next
 *	delivery. It speaks the "scache" protocol of
 *	docs/internals/smtp-client.md, section 4: after the greeting
 *	{protocol=scache}, each request and each reply is one carrier
 *	byte, sent with sendmsg() and carrying the descriptor as
 *	SCM_RIGHTS when there is one, followed by an attribute list.
 *
 *	request=save_endp {ttl, label, prop} + descriptor -> {status}
 *	request=find_endp {label} -> {status, prop} (+ descriptor)
 *	request=save_dest {ttl, label, prop, endp_label} -> {status}
 *	request=find_dest {label} -> {status, dest_prop, endp_prop}
 *		(+ descriptor)
 *
 *	A find answers status 0 with the descriptor, or status -1 (none
 *	cached). The tables are scache_table(3). A ttl is capped by
 *	$connection_cache_ttl_limit; at most $default_process_limit
 *	connections are cached (the oldest goes first). A cached
 *	connection that becomes readable (the server hung up or said
 *	something on its own, e.g. a 421 idle timeout) is closed. Every
 *	$connection_cache_status_update_time seconds, and when the
 *	process exits, the statistics of the interval are logged.
 *
 * DIAGNOSTICS
 *	Info: the statistics lines (scache_table(3)). Warnings:
 *	"<stream>: bad request: <reason>" (answered {status=-1, reason},
 *	then the connection is closed), "unrecognized request".
 */
#include "sys_defs.h"

#include <errno.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include "msg.h"
#include "mymalloc.h"
#include "vstring.h"
#include "vstream.h"
#include "events.h"
#include "excerpt.h"
#include "mail_params.h"
#include "attr_list.h"
#include "scache_client.h"
#include "multi_server.h"
#include "scache_table.h"

/* Bounds of one request. */
static const ATTR_LIMITS scache_limits = {
    .value_limit = SCACHE_VALUE_LIMIT,
    .count_limit = 10,
    .depth_limit = 1,
};

static SCACHE_TABLE *scache_table;

/* scache_close_fd - the tables give up a descriptor */
static void scache_close_fd(int fd, void *context)
{
    (void) context;
    events_disable_readwrite(fd);
    if (close(fd) < 0)
	msg_warn("close cached connection: %m");
}

/* scache_expire_event - close what has expired, wait for the next */
static void scache_expire_event(int event, void *context)
{
    time_t  now = time((time_t *) 0);
    time_t  next;

    (void) event;
    if ((next = scache_table_expire(scache_table, now)) != 0)
	events_request_timer(scache_expire_event, context,
			     next > now ? (int) (next - now) : 1);
}

/* scache_dead_event - a cached connection became readable: drop it */
static void scache_dead_event(int event, void *context)
{
    int     fd = (int) (long) context;

    (void) event;
    if (msg_verbose)
	msg_info("cached connection fd %d became readable: closing", fd);
    if (!scache_table_drop_fd(scache_table, fd))
	events_disable_readwrite(fd);
}

/* scache_ttl - a client's ttl, capped */
static int scache_ttl(int ttl)
{
    int     limit = (int) VAR_TIME(connection_cache_ttl_limit);

    return (ttl > limit ? limit : ttl);
}

/* scache_serve_save_endp - cache a connection */
static void scache_serve_save_endp(const char *label, const char *prop,
				           int ttl, int fd, ATTR_LIST *reply)
{
    time_t  now = time((time_t *) 0);
    struct stat st;

    if ((ttl = scache_ttl(ttl)) <= 0
	|| fstat(fd, &st) < 0 || !S_ISSOCK(st.st_mode)) {
	(void) close(fd);
	attr_list_add_int(reply, ATTR_STATUS, -1);
	attr_list_add_str(reply, ATTR_REASON, ttl <= 0 ? "bad ttl" :
			  "descriptor is not a socket");
	return;
    }
    scache_table_save_endp(scache_table, label, prop, fd, now + ttl);
    events_enable_read(fd, scache_dead_event, (void *) (long) fd);
    scache_expire_event(0, 0);
    attr_list_add_int(reply, ATTR_STATUS, 0);
}

/* scache_serve_save_dest - bind a destination to an endpoint */
static void scache_serve_save_dest(const char *label, const char *prop,
				           const char *endp_label, int ttl,
				           ATTR_LIST *reply)
{
    time_t  now = time((time_t *) 0);

    if ((ttl = scache_ttl(ttl)) <= 0) {
	attr_list_add_int(reply, ATTR_STATUS, -1);
	attr_list_add_str(reply, ATTR_REASON, "bad ttl");
	return;
    }
    scache_table_save_dest(scache_table, label, prop, endp_label, now + ttl);
    scache_expire_event(0, 0);
    attr_list_add_int(reply, ATTR_STATUS, 0);
}

/* scache_found - a find's answer; returns the descriptor to pass */
static int scache_found(int fd, ATTR_LIST *reply)
{
    if (fd < 0) {
	attr_list_add_int(reply, ATTR_STATUS, -1);
	return (-1);
    }
    events_disable_readwrite(fd);
    attr_list_add_int(reply, ATTR_STATUS, 0);
    return (fd);
}

/* scache_refuse - refuse a request in the framing of the protocol */
static void scache_refuse(VSTREAM *client, const char *reason, VSTRING *why)
{
    int     sock = vstream_fileno(client);
    int     timeout = (int) VAR_TIME(connection_cache_protocol_timeout);

    if (scache_carrier_send(sock, -1, timeout, why) < 0) {
	msg_warn("%s: %s", vstream_path(client), vstring_str(why));
	multi_server_disconnect(client);
	return;
    }
    multi_server_attr_refuse(client, reason);
}

/* scache_dispatch - answer one request; returns a descriptor to pass */
static int scache_dispatch(VSTREAM *client, ATTR_LIST *request, int *fd,
			           ATTR_LIST *reply, VSTRING *why)
{
    static VSTRING *prop1;
    static VSTRING *prop2;
    const char *kind = 0;
    const char *label = 0;
    const char *prop = "";
    const char *endp_label = 0;
    int     ttl = 0;
    int     found;
    ATTR_WANT want[] = {
	{ATTR_REQUEST, ATTR_TYPE_STR, ATTR_REQUIRED, &kind},
	{SCACHE_ATTR_LABEL, ATTR_TYPE_STR, ATTR_REQUIRED, &label},
	{SCACHE_ATTR_PROP, ATTR_TYPE_STR, ATTR_OPTIONAL, &prop},
	{SCACHE_ATTR_TTL, ATTR_TYPE_INT, ATTR_OPTIONAL, &ttl},
	{SCACHE_ATTR_ENDP_LABEL, ATTR_TYPE_STR, ATTR_OPTIONAL, &endp_label},
    };

    if (prop1 == 0) {
	prop1 = vstring_alloc(100);
	prop2 = vstring_alloc(100);
    }
    if (!attr_list_take(request, want, ARRAY_LEN(want), why)) {
	scache_refuse(client, vstring_str(why), why);
	return (-2);
    }
    if (strcmp(kind, SCACHE_REQ_SAVE_ENDP) == 0) {
	if (*fd < 0) {
	    scache_refuse(client, "save_endp without descriptor", why);
	    return (-2);
	}
	scache_serve_save_endp(label, prop, ttl, *fd, reply);
	*fd = -1;
	return (-1);
    }
    if (*fd >= 0) {
	msg_warn("%s: unexpected descriptor with request \"%s\", closed",
		 vstream_path(client), excerpt(kind));
	(void) close(*fd);
	*fd = -1;
    }
    if (strcmp(kind, SCACHE_REQ_SAVE_DEST) == 0) {
	if (endp_label == 0) {
	    scache_refuse(client, "missing attribute " SCACHE_ATTR_ENDP_LABEL,
			  why);
	    return (-2);
	}
	scache_serve_save_dest(label, prop, endp_label, ttl, reply);
	return (-1);
    }
    if (strcmp(kind, SCACHE_REQ_FIND_ENDP) == 0) {
	found = scache_found(scache_table_find_endp(scache_table, label,
						    prop1), reply);
	if (found >= 0)
	    attr_list_add_str(reply, SCACHE_ATTR_PROP, vstring_str(prop1));
	return (found);
    }
    if (strcmp(kind, SCACHE_REQ_FIND_DEST) == 0) {
	found = scache_found(scache_table_find_dest(scache_table, label,
						    prop1, prop2), reply);
	if (found >= 0) {
	    attr_list_add_str(reply, SCACHE_ATTR_DEST_PROP, vstring_str(prop1));
	    attr_list_add_str(reply, SCACHE_ATTR_ENDP_PROP, vstring_str(prop2));
	}
	return (found);
    }
    msg_warn("unrecognized request: \"%s\", ignored", excerpt(kind));
    attr_list_add_int(reply, ATTR_STATUS, -1);
    attr_list_add_str(reply, ATTR_REASON, "unrecognized request");
    return (-1);
}

/* scache_service - read and answer one request */
static void scache_service(VSTREAM *client, const char *service, char **argv)
{
    static ATTR_LIST *request;
    static ATTR_LIST *reply;
    static VSTRING *why;
    int     fd;
    int     pass_fd;
    int     sock = vstream_fileno(client);
    int     timeout = (int) VAR_TIME(connection_cache_protocol_timeout);

    (void) service;
    (void) argv;
    if (request == 0) {
	request = attr_list_create();
	reply = attr_list_create();
	why = vstring_alloc(100);
    }
    /* The carrier byte must not sit in the stream buffer (see above). */
    if (vstream_peek(client) > 0) {
	scache_refuse(client, "request sent before the reply", why);
	return;
    }
    if ((fd = scache_carrier_recv(sock, timeout, why)) == -2) {
	if (msg_verbose || errno != ECONNRESET)
	    msg_info("%s: %s", vstream_path(client), vstring_str(why));
	multi_server_disconnect(client);
	return;
    }
    if (!multi_server_attr_read(client, request, &scache_limits,
				SCACHE_PROTOCOL, why)) {
	if (fd >= 0)
	    (void) close(fd);
	return;
    }
    attr_list_clear(reply);
    if ((pass_fd = scache_dispatch(client, request, &fd, reply, why)) == -2) {
	if (fd >= 0)
	    (void) close(fd);
	return;
    }
    if (scache_carrier_send(sock, pass_fd, timeout, why) < 0) {
	msg_warn("%s: %s", vstream_path(client), vstring_str(why));
	if (pass_fd >= 0)
	    (void) close(pass_fd);
	multi_server_disconnect(client);
	return;
    }
    if (pass_fd >= 0)
	(void) close(pass_fd);
    multi_server_attr_reply(client, reply);
}

/* scache_greet - announce the protocol to a new client */
static void scache_greet(VSTREAM *client, const char *service, char **argv)
{
    (void) service;
    (void) argv;
    multi_server_attr_greet(client, SCACHE_PROTOCOL);
}

/* scache_log_line - one statistics line */
static void scache_log_line(const char *line, void *context)
{
    (void) context;
    msg_info("%s", line);
}

/* scache_status_event - log the statistics, then wait for the next */
static void scache_status_event(int event, void *context)
{
    (void) event;
    scache_table_status(scache_table, time((time_t *) 0),
			scache_log_line, context);
    events_request_timer(scache_status_event, context,
			 (int) VAR_TIME(connection_cache_status_update_time));
}

/* scache_post_init - the tables and the statistics timer */
static void scache_post_init(const char *service, char **argv)
{
    int     limit = (int) VAR_INT(default_process_limit);

    (void) service;
    (void) argv;
    scache_table = scache_table_create(limit > 0 ? limit : 1,
				       scache_close_fd, 0);
    scache_table_stats_reset(scache_table, time((time_t *) 0));
    events_request_timer(scache_status_event, 0,
			 (int) VAR_TIME(connection_cache_status_update_time));
}

/* scache_on_exit - the last statistics */
static void scache_on_exit(const char *service, char **argv)
{
    (void) service;
    (void) argv;
    if (scache_table)
	scache_table_status(scache_table, time((time_t *) 0),
			    scache_log_line, 0);
}

/* main - hand over to the skeleton */
int     main(int argc, char **argv)
{
    static const MAIL_SERVER_OPTS opts = {
	.post_init = scache_post_init,
	.post_accept = scache_greet,
	.on_exit = scache_on_exit,
    };

    multi_server_main(argc, argv, scache_service, &opts);
}
