/*
 * master_status - the status channel from children to master(8)
 *
 * SYNOPSIS
 *	#include "master.h"
 *
 *	void	master_status_init(MASTER_SERV *serv);
 *	void	master_status_cleanup(MASTER_SERV *serv);
 *
 * DESCRIPTION
 *	Each service has one status channel: a connected pair of AF_UNIX
 *	SOCK_SEQPACKET sockets. All children of the service share the
 *	child end (descriptor MASTER_STATUS_FD), and send MASTER_STATUS
 *	records on it when they become busy or idle (master_proto(3));
 *	master(8) reads the other end. Closing the master end makes the
 *	child end report end-of-file, which tells the children to exit
 *	once they are idle: that is how a reload, or the death of the
 *	master, reaches them.
 *
 *	master_status_init() creates the channel and starts reading it.
 *	master_status_cleanup() closes both ends; the children that used
 *	it are retired (master_retire_children()).
 *
 *	A record from a process that is not (or no longer) a child of
 *	this service is ignored; so is a record whose generation does
 *	not match the child's (a recycled process id).
 *
 * DIAGNOSTICS
 *	Warnings: "service <name>(<endpoint>): child (pid <n>) sent
 *	partial status update (<n> bytes)", "master_status_event: ignoring
 *	unknown status: <n> allegedly from pid: <pid>". Info: "ignoring
 *	status update from child pid <pid> generation <gen>". Fatal: no
 *	socket pair.
 */
#include "sys_defs.h"

#include <errno.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

#include "msg.h"
#include "htable.h"
#include "events.h"
#include "iostuff.h"
#include "master_proto.h"
#include "master.h"

/* master_status_event - read one status record */
static void master_status_event(int event, void *context)
{
    MASTER_SERV *serv = context;
    MASTER_STATUS status;
    MASTER_PROC *proc;
    char    key[32];
    ssize_t n;

    (void) event;
    n = recv(serv->status.master_end, &status, sizeof(status), MSG_DONTWAIT);
    if (n < 0) {
	if (errno != EAGAIN && errno != EINTR)
	    msg_warn("master_status_event: read: %m");
	return;
    }
    if (n != (ssize_t) sizeof(status)) {
	msg_warn("service %s(%s): child (pid %d) sent partial status update "
		 "(%d bytes)", serv->service, serv->endpoint,
		 n >= (ssize_t) sizeof(int) ? status.pid : 0, (int) n);
	return;
    }
    if (msg_verbose)
	msg_info("master_status_event: pid %d gen %u avail %d",
		 status.pid, status.gen, status.avail);
    snprintf(key, sizeof(key), "%ld", (long) status.pid);
    if (master_child_table == NULL
	|| (proc = htable_find(master_child_table, key)) == NULL
	|| proc->serv != serv || proc->retired) {
	if (msg_verbose)
	    msg_info("master_status_event: process id not found: %d", status.pid);
	return;
    }
    if (proc->generation != status.gen) {
	msg_info("ignoring status update from child pid %d generation %u",
		 status.pid, status.gen);
	return;
    }
    switch (status.avail) {
    case MASTER_STAT_AVAIL:
	if (!proc->idle) {
	    proc->served++;
	    master_avail_child_idle(proc);
	}
	break;
    case MASTER_STAT_TAKEN:
	if (proc->idle)
	    master_avail_child_busy(proc);
	break;
    default:
	msg_warn("master_status_event: ignoring unknown status: %d "
		 "allegedly from pid: %d", status.avail, status.pid);
	break;
    }
}

/* master_status_init - create and watch a service's status channel */
void    master_status_init(MASTER_SERV *serv)
{
    int     pair[2];

    if (serv->status.master_end >= 0 || serv->status.child_end >= 0)
	msg_panic("master_status_init: status events already enabled");
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) < 0)
	msg_fatal("master_status_init: socketpair: %m");
    serv->status.master_end = pair[0];
    serv->status.child_end = pair[1];
    events_enable_read(serv->status.master_end, master_status_event, serv);
}

/* master_status_cleanup - close a service's status channel */
void    master_status_cleanup(MASTER_SERV *serv)
{
    if (serv->status.master_end < 0 || serv->status.child_end < 0)
	msg_panic("master_status_cleanup: status events not enabled");
    events_disable_readwrite(serv->status.master_end);
    if (close(serv->status.master_end) < 0)
	msg_warn("master_status_cleanup: close status descriptor (read side): %m");
    if (close(serv->status.child_end) < 0)
	msg_warn("master_status_cleanup: close status descriptor (write side): %m");
    serv->status.master_end = serv->status.child_end = -1;
    master_retire_children(serv);
}
