/*
 * master_avail - when to start another child process
 *
 * SYNOPSIS
 *	#include "master.h"
 *
 *	void	master_avail_listen(MASTER_SERV *serv);
 *	void	master_avail_more(MASTER_SERV *serv, MASTER_PROC *proc);
 *	void	master_avail_less(MASTER_SERV *serv, MASTER_PROC *proc);
 *
 * DESCRIPTION
 *	The policy: while a service has an idle child, that child takes
 *	the next client and master(8) does not watch the service's
 *	listeners. When no child is idle, master(8) watches them itself,
 *	and a pending client makes it start one more child, unless the
 *	service is throttled or at its process limit.
 *
 *	master_avail_listen() applies the policy after anything changed.
 *	When all processes of a service with a process limit above 1 are
 *	busy, it logs, at most once in 1000 seconds, that the service "has
 *	reached its process limit" (single-process services such as qmgr
 *	are busy by design).
 *	master_avail_more() and master_avail_less() record that a child
 *	became idle or busy.
 *
 *	A network service that needs its last allowed process enters
 *	stress mode for 1000 seconds: children started meanwhile get
 *	"-o stress=yes" (see STRESS_README).
 *
 * DIAGNOSTICS
 *	Warnings (Postfix's words): "service \"<name>\" (<endpoint>) has
 *	reached its process limit \"<n>\": new clients may experience
 *	noticeable delays" and two lines of advice. Panic: inconsistent
 *	process counts.
 */
#include "sys_defs.h"

#include <time.h>

#include "msg.h"
#include "events.h"
#include "master_proto.h"
#include "master.h"

#define MASTER_BUSY_WARN_INTERVAL	1000	/* seconds */
#define MASTER_STRESS_TIME		1000	/* seconds */

/* master_avail_event - a listener is readable and nobody takes it */
static void master_avail_event(int event, void *context)
{
    MASTER_SERV *serv = context;
    time_t  now;

    (void) event;
    if (MASTER_THROTTLED(serv) || serv->avail_proc > 0
	|| !MASTER_LIMIT_OK(serv->max_proc, serv->total_proc)) {
	master_avail_listen(serv);
	return;
    }
    if ((serv->flags & MASTER_FLAG_LOCAL_ONLY) == 0
	&& !MASTER_LIMIT_OK(serv->max_proc, serv->total_proc + 1)) {
	now = events_time();
	serv->stress_expire_time = now + MASTER_STRESS_TIME;
    }
    master_spawn(serv);
}

/* master_avail_listen - watch the listeners when nobody else does */
void    master_avail_listen(MASTER_SERV *serv)
{
    bool    listen = false;
    time_t  now;
    int     n;

    if (MASTER_THROTTLED(serv) || serv->avail_proc > 0) {
	listen = false;
    } else if (MASTER_LIMIT_OK(serv->max_proc, serv->total_proc)) {
	listen = true;
    } else if (serv->max_proc > 1) {
	now = time(NULL);
	if (now - serv->busy_warn_time > MASTER_BUSY_WARN_INTERVAL) {
	    serv->busy_warn_time = now;
	    msg_warn("service \"%s\" (%s) has reached its process limit \"%d\": "
		     "new clients may experience noticeable delays",
		     serv->ext_name, serv->name, serv->max_proc);
	    msg_warn("to avoid this condition, increase the process count "
		     "in master.cf or reduce the service time per client");
	    msg_warn("see http://www.postfix.org/STRESS_README.html for "
		     "examples of stress-adapting configuration settings");
	}
    }
    if (listen && !MASTER_LISTENING(serv)) {
	if (msg_verbose)
	    msg_info("master_avail_listen: enable events %s", serv->name);
	for (n = 0; n < serv->listen_fd_count; n++)
	    if (serv->listen_fd[n] >= 0)
		events_enable_read(serv->listen_fd[n], master_avail_event, serv);
	serv->flags |= MASTER_FLAG_LISTEN;
    } else if (!listen && MASTER_LISTENING(serv)) {
	if (msg_verbose)
	    msg_info("master_avail_listen: disable events %s", serv->name);
	for (n = 0; n < serv->listen_fd_count; n++)
	    if (serv->listen_fd[n] >= 0)
		events_disable_readwrite(serv->listen_fd[n]);
	serv->flags &= ~MASTER_FLAG_LISTEN;
    }
}

/* master_avail_more - one more idle child */
void    master_avail_more(MASTER_SERV *serv, MASTER_PROC *proc)
{
    if (proc->avail == MASTER_STAT_AVAIL)
	msg_panic("master_avail_more: process %ld already available",
		  (long) proc->pid);
    proc->avail = MASTER_STAT_AVAIL;
    serv->avail_proc++;
    master_avail_listen(serv);
}

/* master_avail_less - one idle child fewer */
void    master_avail_less(MASTER_SERV *serv, MASTER_PROC *proc)
{
    if (proc->avail != MASTER_STAT_AVAIL)
	msg_panic("master_avail_less: process %ld not available",
		  (long) proc->pid);
    proc->avail = MASTER_STAT_TAKEN;
    if (--serv->avail_proc < 0)
	msg_panic("master_avail_less: negative count for %s", serv->name);
    master_avail_listen(serv);
}
