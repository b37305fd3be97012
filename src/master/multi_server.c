/*
 * multi_server - skeleton for daemons that serve many clients at once
 *
 * DESCRIPTION
 *	See multi_server.h. Open clients are kept in a table keyed by
 *	their stream's address, so that multi_server_disconnect() can
 *	tell a client from a stray pointer, and so that the skeleton
 *	knows when a service call closed its own stream.
 */
#include "sys_defs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "htable.h"
#include "iostuff.h"
#include "events.h"
#include "vstream.h"
#include "mail_params.h"
#include "master_proto.h"
#include "mail_server.h"
#include "multi_server.h"

static MAIL_SERVER *multi_server;
static MULTI_SERVER_FN multi_server_service;
static HTABLE *multi_server_clients;	/* open client streams */
static bool multi_server_stand_alone;

/* multi_server_key - table key for a stream */
static const char *multi_server_key(const VSTREAM *stream)
{
    static char key[2 * sizeof(void *) + 3];

    snprintf(key, sizeof(key), "%p", (const void *) stream);
    return key;
}

/* multi_server_client_count - open client connections */
int     multi_server_client_count(void)
{
    return multi_server_clients ? (int) htable_used(multi_server_clients) : 0;
}

/* multi_server_has_clients - mail_server_run() callback */
static bool multi_server_has_clients(void)
{
    return multi_server_client_count() > 0;
}

static void multi_server_execute(int event, void *context);

/* multi_server_disconnect - close one client connection */
void    multi_server_disconnect(VSTREAM *client)
{
    if (multi_server_clients == NULL
	|| !htable_delete(multi_server_clients, multi_server_key(client), NULL))
	msg_panic("multi_server_disconnect: unknown stream %p", (void *) client);
    if (msg_verbose)
	msg_info("connection closed fd %d", vstream_fileno(client));
    events_disable_readwrite(vstream_fileno(client));
    (void) events_cancel_timer(multi_server_execute, client);
    if (multi_server->opts.pre_disconnect)
	multi_server->opts.pre_disconnect(client, multi_server->args.service_name,
					  multi_server->args.args->argv);
    if (multi_server_stand_alone) {
	(void) vstream_fflush(client);
	(void) vstream_fdclose(client);
	mail_server_exit(multi_server);
    }
    (void) vstream_fclose(client);
    mail_server_used(multi_server);
    if (multi_server_client_count() == 0)
	mail_server_idle_timer(multi_server, true);
}

/* multi_server_execute - a client has sent something */
static void multi_server_execute(int event, void *context)
{
    VSTREAM *client = context;

    (void) event;

    /*
     * Input that a previous request left in the buffer counts as a new
     * request; otherwise, no bytes waiting means that the client hung up.
     */
    if (vstream_peek(client) == 0 && peekfd(vstream_fileno(client)) <= 0) {
	multi_server_disconnect(client);
	return;
    }
    mail_server_busy(multi_server);
    multi_server_service(client, multi_server->args.service_name,
			 multi_server->args.args->argv);
    if (htable_find(multi_server_clients, multi_server_key(client)) != NULL
	&& vstream_peek(client) > 0)
	events_request_timer(multi_server_execute, client, 0);
    if (!mail_server_idle(multi_server)) {
	if (msg_verbose)
	    msg_info("master disconnect -- exiting");
	mail_server_exit(multi_server);
    }
}

/* multi_server_add_client - start watching a new connection */
static void multi_server_add_client(VSTREAM *client)
{
    if (multi_server_clients == NULL)
	multi_server_clients = htable_create(16);
    htable_enter(multi_server_clients, multi_server_key(client), client);
    if (multi_server_client_count() == 1)
	mail_server_idle_timer(multi_server, false);
    events_enable_read(vstream_fileno(client), multi_server_execute, client);
    if (multi_server->opts.post_accept)
	multi_server->opts.post_accept(client, multi_server->args.service_name,
				       multi_server->args.args->argv);
}

/* multi_server_accept - a listener is readable */
static void multi_server_accept(int event, void *context)
{
    int     listen_fd = (int) (intptr_t) context;
    VSTREAM *client;
    char   *path;
    int     fd;

    (void) event;
    if (multi_server->opts.pre_accept)
	multi_server->opts.pre_accept(multi_server->args.service_name,
				      multi_server->args.args->argv);
    if ((fd = mail_server_accept(multi_server, listen_fd)) < 0) {
	if (errno != EAGAIN)
	    msg_warn("accept connection: %m");
	return;
    }
    if (msg_verbose)
	msg_info("connection established fd %d", fd);
    mail_server_flow_delay(multi_server);
    client = vstream_fdopen(fd, O_RDWR);
    path = concatenate(multi_server->args.service_name, " socket", (char *) 0);
    vstream_set_path(client, path);
    myfree(path);
    vstream_set_timeout(client, VAR_TIME(ipc_timeout));
    multi_server_add_client(client);
}

/* multi_server_attr_refuse - answer a bad request and hang up */
void    multi_server_attr_refuse(VSTREAM *client, const char *reason)
{
    ATTR_LIST *reply = attr_list_create();

    msg_warn("%s: bad request: %s", vstream_path(client), reason);
    attr_list_add_int(reply, ATTR_STATUS, -1);
    attr_list_add_str(reply, ATTR_REASON, reason);
    (void) attr_list_write(client, reply);
    (void) vstream_fflush(client);
    attr_list_free(reply);
    multi_server_disconnect(client);
}

/* multi_server_attr_read - one request of a protocol; false: client gone */
bool    multi_server_attr_read(VSTREAM *client, ATTR_LIST *request,
			               const ATTR_LIMITS *limits,
			               const char *protocol, VSTRING *why)
{
    if (!attr_list_read(client, request, limits, why)) {
	if (strcmp(vstring_str(why), "end of input") != 0)
	    msg_warn("%s: bad request: %s", vstream_path(client),
		     vstring_str(why));
	multi_server_disconnect(client);
	return (false);
    }
    if (!attr_proto_check(request, protocol, why)) {
	multi_server_attr_refuse(client, vstring_str(why));
	return (false);
    }
    return (true);
}

/* multi_server_attr_reply - send a reply; hang up when that fails */
void    multi_server_attr_reply(VSTREAM *client, const ATTR_LIST *reply)
{
    if (!attr_list_write(client, reply) || vstream_fflush(client) != 0) {
	msg_warn("%s: cannot send reply: %m", vstream_path(client));
	multi_server_disconnect(client);
    }
}

/* multi_server_attr_greet - announce the protocol; hang up on failure */
void    multi_server_attr_greet(VSTREAM *client, const char *protocol)
{
    if (!attr_proto_greet(client, protocol, NULL)) {
	msg_warn("%s: cannot send greeting: %m", vstream_path(client));
	multi_server_disconnect(client);
    }
}

/* multi_server_main - the daemon's main program */
NORETURN multi_server_main(int argc, char **argv, MULTI_SERVER_FN service,
			           const MAIL_SERVER_OPTS *opts)
{
    multi_server_service = service;
    multi_server = mail_server_init("multi_server", argc, argv, opts,
				    MASTER_XPORT_MASK(MASTER_XPORT_INET)
				    | MASTER_XPORT_MASK(MASTER_XPORT_UNIX)
				    | MASTER_XPORT_MASK(MASTER_XPORT_PASS), 0);
    if (multi_server->args.stand_alone) {
	multi_server_stand_alone = true;
	multi_server_add_client(mail_server_stdio());
	for (;;)
	    events_loop(-1);
    }
    mail_server_start(multi_server, multi_server_accept, false);
    mail_server_run(multi_server, multi_server_has_clients);
    mail_server_exit(multi_server);
}
