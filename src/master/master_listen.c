/*
 * master_listen - open and close a service's listening endpoints
 *
 * SYNOPSIS
 *	#include "master.h"
 *
 *	bool	master_listen_init(MASTER_SERV *serv, VSTRING *why);
 *	void	master_listen_cleanup(MASTER_SERV *serv, bool remove);
 *
 * DESCRIPTION
 *	master_listen_init() creates the endpoints of a service, all in
 *	non-blocking mode with close-on-exec (children get them through
 *	dup2()): an AF_UNIX stream socket for unix and pass services, an
 *	AF_UNIX datagram socket for unix-dgram, a FIFO with mode 0622 for
 *	fifo (all three under the queue directory, which is the working
 *	directory), and one TCP socket per address for inet services.
 *	Local endpoints are created with the effective user and group of
 *	$mail_owner (when master(8) runs as root), so that they belong
 *	to the mail system as in Postfix; access to them is controlled by
 *	the modes of the private/ and public/ directories. The listen
 *	backlog is the larger of the process limit and
 *	$default_process_limit. On failure, what was opened is closed
 *	again and the reason is in why.
 *
 *	master_listen_cleanup() stops watching and closes the endpoints;
 *	with remove, it also removes the socket or FIFO file of a local
 *	service.
 *
 * DIAGNOSTICS
 *	Errors from listen(3) in why, e.g. "bind private/x: No such file
 *	or directory", "bind 127.0.0.1:25: Address already in use".
 */
#include "sys_defs.h"

#include <errno.h>
#include <unistd.h>

#include "msg.h"
#include "vstring.h"
#include "events.h"
#include "iostuff.h"
#include "listen.h"
#include "set_eugid.h"
#include "master_proto.h"
#include "master.h"

/* master_listen_as_owner - switch to mail_owner for file creation */
static void master_listen_as_owner(bool on)
{
    if (!master_privileged)
	return;
    if (on)
	set_eugid(var_master_owner_uid, var_master_owner_gid);
    else
	set_eugid(0, 0);
}

/* master_listen_init - open all endpoints of a service */
bool    master_listen_init(MASTER_SERV *serv, VSTRING *why)
{
    MASTER_LISTENERS *lp = &serv->listeners;
    int     backlog = serv->pool.limit > var_master_proc_limit ?
    serv->pool.limit : var_master_proc_limit;
    int     n;
    int     fd = -1;

    for (n = 0; n < lp->count; n++) {
	switch (serv->transport) {
	case MASTER_XPORT_UNIX:
	case MASTER_XPORT_PASS:
	    master_listen_as_owner(true);
	    fd = unix_listen(serv->endpoint, backlog, NON_BLOCKING, why);
	    master_listen_as_owner(false);
	    break;
	case MASTER_XPORT_UNIX_DGRAM:
	    master_listen_as_owner(true);
	    fd = unix_dgram_listen(serv->endpoint, NON_BLOCKING, why);
	    master_listen_as_owner(false);
	    break;
	case MASTER_XPORT_FIFO:
	    master_listen_as_owner(true);
	    fd = fifo_listen(serv->endpoint, 0622, NON_BLOCKING, why);
	    master_listen_as_owner(false);
	    break;
	case MASTER_XPORT_INET:
	    fd = inet_listen(lp->inet_addrs->argv[n], backlog, NON_BLOCKING, why);
	    break;
	default:
	    msg_panic("master_listen_init: bad type %d", serv->transport);
	}
	if (fd < 0) {
	    master_listen_cleanup(serv, false);
	    return false;
	}
	lp->fds[n] = fd;
	if (msg_verbose)
	    msg_info("master_listen_init: %s fd %d",
		     serv->transport == MASTER_XPORT_INET ?
		     lp->inet_addrs->argv[n] : serv->endpoint, fd);
    }
    return true;
}

/* master_listen_cleanup - close all endpoints of a service */
void    master_listen_cleanup(MASTER_SERV *serv, bool remove)
{
    MASTER_LISTENERS *lp = &serv->listeners;
    int     n;

    for (n = 0; n < lp->count; n++) {
	if (lp->fds[n] < 0)
	    continue;
	events_disable_readwrite(lp->fds[n]);
	if (close(lp->fds[n]) < 0)
	    msg_warn("master_listen_cleanup: close listener socket %d: %m",
		     lp->fds[n]);
	lp->fds[n] = -1;
    }
    lp->watched = false;
    if (remove && serv->transport != MASTER_XPORT_INET
	&& unlink(serv->endpoint) < 0 && errno != ENOENT)
	msg_warn("remove %s: %m", serv->endpoint);
}
