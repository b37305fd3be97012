/*
 * single_server - skeleton for daemons that serve one client at a time
 *
 * DESCRIPTION
 *	See single_server.h. The service runs from inside the accept
 *	callback, so the event loop (and with it the master-disconnect
 *	and idle-timer callbacks) waits until the client is done.
 */
#include "sys_defs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>

#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "events.h"
#include "vstream.h"
#include "mail_params.h"
#include "master_proto.h"
#include "mail_server.h"
#include "single_server.h"

static MAIL_SERVER *single_server;
static SINGLE_SERVER_FN single_server_service;

/* single_server_serve - one client from start to end */
static void single_server_serve(int fd)
{
    VSTREAM *stream;
    char   *path;

    if (msg_verbose)
	msg_info("connection established");
    stream = vstream_fdopen(fd, O_RDWR);
    path = concatenate(single_server->args.service_name, " socket", (char *) 0);
    vstream_set_path(stream, path);
    myfree(path);
    vstream_set_timeout(stream, VAR_TIME(ipc_timeout));
    mail_server_busy(single_server);
    mail_server_flow_delay(single_server);
    single_server_service(stream, single_server->args.service_name,
			  single_server->args.args->argv);
    (void) vstream_fclose(stream);
    if (msg_verbose)
	msg_info("connection closed");
    mail_server_used(single_server);
    if (!mail_server_idle(single_server)) {
	if (msg_verbose)
	    msg_info("master disconnect -- exiting");
	mail_server_exit(single_server);
    }
    mail_server_idle_timer(single_server, true);
}

/* single_server_accept - a listener is readable */
static void single_server_accept(int event, void *context)
{
    int     listen_fd = (int) (intptr_t) context;
    int     fd;

    (void) event;
    mail_server_idle_timer(single_server, false);
    if (single_server->opts.pre_accept)
	single_server->opts.pre_accept(single_server->args.service_name,
				       single_server->args.args->argv);
    if ((fd = mail_server_accept(single_server, listen_fd)) < 0) {
	if (errno != EAGAIN)
	    msg_warn("accept connection: %m");
	mail_server_idle_timer(single_server, true);
	return;
    }
    single_server_serve(fd);
}

/* single_server_main - the daemon's main program */
NORETURN single_server_main(int argc, char **argv, SINGLE_SERVER_FN service,
			            const MAIL_SERVER_OPTS *opts)
{
    VSTREAM *stream;

    single_server_service = service;
    single_server = mail_server_init("single_server", argc, argv, opts,
				     MASTER_XPORT_MASK(MASTER_XPORT_INET)
				     | MASTER_XPORT_MASK(MASTER_XPORT_UNIX)
				     | MASTER_XPORT_MASK(MASTER_XPORT_PASS), 0);
    if (single_server->args.stand_alone) {
	stream = mail_server_stdio();
	service(stream, single_server->args.service_name,
		single_server->args.args->argv);
	(void) vstream_fflush(stream);
	(void) vstream_fdclose(stream);
	mail_server_exit(single_server);
    }
    mail_server_start(single_server, single_server_accept, true);
    mail_server_run(single_server, NULL);
    mail_server_exit(single_server);
}
