/*
 * trigger_server - skeleton for daemons driven by triggers or datagrams
 *
 * DESCRIPTION
 *	See trigger_server.h. Listeners are non-blocking (master(8)
 *	creates them so), so a read that another process won finds
 *	nothing and is ignored.
 */
#include "sys_defs.h"

#include <errno.h>
#include <stdint.h>
#include <sys/socket.h>
#include <unistd.h>

#include "msg.h"
#include "iostuff.h"
#include "events.h"
#include "master_proto.h"
#include "mail_server.h"
#include "trigger_server.h"

#define TRIGGER_SERVER_WATCHDOG	1000	/* default watchdog, seconds */
#define TRIGGER_SERVER_WAIT	10	/* seconds for a client's bytes */
#define TRIGGER_SERVER_DGRAM_BATCH 64	/* datagrams per wake-up */

static MAIL_SERVER *trigger_server;
static TRIGGER_SERVER_FN trigger_server_service;
static char trigger_server_buf[TRIGGER_SERVER_BUF_SIZE + 1];

/* trigger_server_deliver - hand one trigger to the service */
static void trigger_server_deliver(ssize_t len)
{
    trigger_server_buf[len] = 0;
    mail_server_busy(trigger_server);
    mail_server_flow_delay(trigger_server);
    trigger_server_service(trigger_server_buf, len,
			   trigger_server->args.service_name,
			   trigger_server->args.args->argv);
    mail_server_used(trigger_server);
    if (!mail_server_idle(trigger_server)) {
	if (msg_verbose)
	    msg_info("master disconnect -- exiting");
	mail_server_exit(trigger_server);
    }
}

/* trigger_server_read - read once from fd, recv for datagrams */
static ssize_t trigger_server_read(int fd, bool datagram)
{
    ssize_t len;

    do {
	len = datagram ?
	    recv(fd, trigger_server_buf, TRIGGER_SERVER_BUF_SIZE, MSG_DONTWAIT) :
	    read(fd, trigger_server_buf, TRIGGER_SERVER_BUF_SIZE);
    } while (len < 0 && errno == EINTR);
    if (len < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
	msg_warn("read trigger: %m");
    return len;
}

/* trigger_server_accept - a listener is readable */
static void trigger_server_accept(int event, void *context)
{
    int     listen_fd = (int) (intptr_t) context;
    ssize_t len;
    int     fd;
    int     n;

    (void) event;
    mail_server_idle_timer(trigger_server, false);
    if (trigger_server->opts.pre_accept)
	trigger_server->opts.pre_accept(trigger_server->args.service_name,
					trigger_server->args.args->argv);
    switch (trigger_server->transport) {
    case MASTER_XPORT_FIFO:
	if ((len = trigger_server_read(listen_fd, false)) > 0)
	    trigger_server_deliver(len);
	break;
    case MASTER_XPORT_UNIX_DGRAM:
	/* Take what is queued (up to a bound) before waiting again. */
	for (n = 0; n < TRIGGER_SERVER_DGRAM_BATCH
	     && !mail_server_done(trigger_server); n++) {
	    if ((len = trigger_server_read(listen_fd, true)) < 0)
		break;
	    trigger_server_deliver(len);
	}
	break;
    default:
	if ((fd = mail_server_accept(trigger_server, listen_fd)) < 0) {
	    if (errno != EAGAIN)
		msg_warn("accept connection: %m");
	    break;
	}
	if (read_wait(fd, TRIGGER_SERVER_WAIT) == 0
	    && (len = trigger_server_read(fd, false)) >= 0)
	    trigger_server_deliver(len);
	(void) close(fd);
	break;
    }
    if (!mail_server_done(trigger_server))
	mail_server_idle_timer(trigger_server, true);
}

/* trigger_server_main - the daemon's main program */
NORETURN trigger_server_main(int argc, char **argv, TRIGGER_SERVER_FN service,
			             const MAIL_SERVER_OPTS *opts)
{
    ssize_t len;

    trigger_server_service = service;
    trigger_server = mail_server_init("trigger_server", argc, argv, opts,
				      MASTER_XPORT_MASK(MASTER_XPORT_INET)
				      | MASTER_XPORT_MASK(MASTER_XPORT_UNIX)
				      | MASTER_XPORT_MASK(MASTER_XPORT_UNIX_DGRAM)
				      | MASTER_XPORT_MASK(MASTER_XPORT_FIFO)
				      | MASTER_XPORT_MASK(MASTER_XPORT_PASS),
				      TRIGGER_SERVER_WATCHDOG);
    if (trigger_server->args.stand_alone) {
	if ((len = trigger_server_read(STDIN_FILENO, false)) >= 0)
	    trigger_server_deliver(len);
	mail_server_exit(trigger_server);
    }
    mail_server_start(trigger_server, trigger_server_accept, false);
    mail_server_run(trigger_server, NULL);
    mail_server_exit(trigger_server);
}
