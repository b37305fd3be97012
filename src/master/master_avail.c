/*
 * master_avail - when master(8) waits for clients and starts children
 *
 * SYNOPSIS
 *	#include "master.h"
 *
 *	MASTER_AVAIL_STATE master_avail_state(const MASTER_SERV *serv);
 *	void	master_avail_update(MASTER_SERV *serv);
 *
 *	void	master_avail_child_new(MASTER_PROC *proc);
 *	void	master_avail_child_idle(MASTER_PROC *proc);
 *	void	master_avail_child_busy(MASTER_PROC *proc);
 *	void	master_avail_child_retired(MASTER_PROC *proc);
 *	void	master_avail_child_detach(MASTER_PROC *proc);
 *	void	master_avail_child_gone(MASTER_PROC *proc);
 *
 *	void	master_avail_throttle(MASTER_SERV *serv);
 *	void	master_avail_unthrottle(MASTER_SERV *serv);
 *
 * DESCRIPTION
 *	The children of a service accept its clients themselves. master(8)
 *	reads a service's listeners only when a client would find no child
 *	there and master may start one. master_avail_state() tells where a
 *	service stands; the first that applies wins:
 *
 *	MASTER_AVAIL_THROTTLED	it failed at start-up and pauses (below);
 *	MASTER_AVAIL_IDLE_CHILD	an idle child will take the next client;
 *	MASTER_AVAIL_FULL	all children are busy, and the process
 *				limit allows no more;
 *	MASTER_AVAIL_WANTED	a client would need a new child.
 *
 *	master_avail_update() brings the listeners in line: master reads
 *	them in state MASTER_AVAIL_WANTED only. Call it whenever something
 *	that the state depends on has changed. A client that arrives then
 *	makes master start one child (master_spawn(3)); when that child is
 *	the last one that the limit allows, a network service (one that
 *	listens on an address other than loopback) is under stress for
 *	1000 seconds: the children started meanwhile get "-o stress=yes"
 *	(STRESS_README). In state MASTER_AVAIL_FULL, a service with a
 *	limit above 1 gets a warning, at most once in 1000 seconds (qmgr
 *	and other single-process services are full by design).
 *
 *	The child functions keep the counts of the service of proc and
 *	then update it. master_avail_child_new() counts a child that was
 *	just started; it is idle until it reports otherwise.
 *	master_avail_child_idle() and master_avail_child_busy() follow its
 *	reports, master_avail_child_gone() its death.
 *	master_avail_child_retired() is for a child whose status channel
 *	was closed at reload: it finishes its client and exits, and no
 *	longer counts as idle; the service is not updated (the reload goes
 *	on). master_avail_child_detach() cuts a child loose from a service
 *	that is about to be freed.
 *
 *	master_avail_throttle() stops a service from starting children for
 *	its throttle delay ($service_throttle_time): clients wait meanwhile.
 *	The caller decides when; master_reap_child() does so for a child
 *	that failed before it finished a client. master_avail_unthrottle()
 *	ends the pause early (at reload and when the service stops). Both
 *	return quietly when there is nothing to do.
 *
 * DIAGNOSTICS
 *	Warnings (Postfix's words): "service \"<name>\" (<endpoint>) has
 *	reached its process limit \"<n>\": new clients may experience
 *	noticeable delays", and two lines of advice. Panic: a child that is
 *	reported idle or busy twice, counts that would go negative.
 */
#include "sys_defs.h"

#include <time.h>

#include "msg.h"
#include "excerpt.h"
#include "events.h"
#include "master_proto.h"
#include "master.h"

#define MASTER_AVAIL_WARN_INTERVAL	1000	/* seconds between warnings */
#define MASTER_AVAIL_STRESS_TIME	1000	/* seconds of stress mode */

/* master_avail_room_for - may the service start this many more children? */
static bool master_avail_room_for(const MASTER_SERV *serv, int more)
{
    return serv->pool.limit == 0
	|| serv->pool.running + more <= serv->pool.limit;
}

/* master_avail_state - what a client of the service would get now */
MASTER_AVAIL_STATE master_avail_state(const MASTER_SERV *serv)
{
    if (serv->throttle.active)
	return MASTER_AVAIL_THROTTLED;
    if (serv->pool.idle > 0)
	return MASTER_AVAIL_IDLE_CHILD;
    if (!master_avail_room_for(serv, 1))
	return MASTER_AVAIL_FULL;
    return MASTER_AVAIL_WANTED;
}

/* master_avail_client - a client waits, and no child is there for it */
static void master_avail_client(int event, void *context)
{
    MASTER_SERV *serv = context;

    (void) event;
    if (master_avail_state(serv) != MASTER_AVAIL_WANTED) {
	master_avail_update(serv);
	return;
    }
    if (!serv->listeners.local_only && !master_avail_room_for(serv, 2))
	serv->pool.stress_until = events_time() + MASTER_AVAIL_STRESS_TIME;
    master_spawn(serv);
}

/* master_avail_watch - start or stop reading a service's listeners */
static void master_avail_watch(MASTER_SERV *serv, bool watch)
{
    MASTER_LISTENERS *lp = &serv->listeners;
    int     n;

    if (lp->watched == watch)
	return;
    if (msg_verbose)
	msg_info("master_avail_watch: %s: %s", serv->endpoint,
		 watch ? "waiting for clients" : "not waiting for clients");
    for (n = 0; n < lp->count; n++) {
	if (lp->fds[n] < 0)
	    continue;
	if (watch)
	    events_enable_read(lp->fds[n], master_avail_client, serv);
	else
	    events_disable_readwrite(lp->fds[n]);
    }
    lp->watched = watch;
}

/* master_avail_warn_full - say that clients wait for a process */
static void master_avail_warn_full(MASTER_SERV *serv)
{
    time_t  now = time(NULL);

    if (serv->pool.limit <= 1
	|| now - serv->pool.full_warned <= MASTER_AVAIL_WARN_INTERVAL)
	return;
    serv->pool.full_warned = now;
    msg_warn("service \"%s\" (%s) has reached its process limit \"%d\": "
	     "new clients may experience noticeable delays",
	     excerpt(serv->service), excerpt(serv->endpoint), serv->pool.limit);
    msg_warn("to avoid this condition, increase the process count "
	     "in master.cf or reduce the service time per client");
    msg_warn("see http://www.postfix.org/STRESS_README.html for "
	     "examples of stress-adapting configuration settings");
}

/* master_avail_update - read the listeners exactly when a child is wanted */
void    master_avail_update(MASTER_SERV *serv)
{
    MASTER_AVAIL_STATE state = master_avail_state(serv);

    if (state == MASTER_AVAIL_FULL)
	master_avail_warn_full(serv);
    master_avail_watch(serv, state == MASTER_AVAIL_WANTED);
}

/* master_avail_count_idle - a child stops being idle */
static void master_avail_count_idle(MASTER_PROC *proc, const char *caller)
{
    MASTER_POOL *pool = &proc->serv->pool;

    if (!proc->idle)
	msg_panic("%s: child %ld is not idle", caller, (long) proc->pid);
    if (pool->idle <= 0)
	msg_panic("%s: no idle children in %s", caller, proc->serv->endpoint);
    proc->idle = false;
    pool->idle -= 1;
}

/* master_avail_child_new - count a child that was just started */
void    master_avail_child_new(MASTER_PROC *proc)
{
    proc->serv->pool.running += 1;
    master_avail_child_idle(proc);
}

/* master_avail_child_idle - a child waits for a client */
void    master_avail_child_idle(MASTER_PROC *proc)
{
    if (proc->idle)
	msg_panic("master_avail_child_idle: child %ld is already idle",
		  (long) proc->pid);
    proc->idle = true;
    proc->serv->pool.idle += 1;
    master_avail_update(proc->serv);
}

/* master_avail_child_busy - a child took a client */
void    master_avail_child_busy(MASTER_PROC *proc)
{
    master_avail_count_idle(proc, "master_avail_child_busy");
    master_avail_update(proc->serv);
}

/* master_avail_child_retired - a child finishes up after a reload */
void    master_avail_child_retired(MASTER_PROC *proc)
{
    if (proc->idle)
	master_avail_count_idle(proc, "master_avail_child_retired");
    proc->retired = true;
}

/* master_avail_child_detach - forget the service of a child */
void    master_avail_child_detach(MASTER_PROC *proc)
{
    if (proc->idle)
	master_avail_count_idle(proc, "master_avail_child_detach");
    proc->serv->pool.running -= 1;
    proc->serv = NULL;
}

/* master_avail_child_gone - a child was reaped */
void    master_avail_child_gone(MASTER_PROC *proc)
{
    MASTER_SERV *serv = proc->serv;

    if (serv->pool.running <= 0)
	msg_panic("master_avail_child_gone: no children in %s", serv->endpoint);
    serv->pool.running -= 1;
    if (proc->idle)
	master_avail_count_idle(proc, "master_avail_child_gone");
    master_avail_update(serv);
}

/* master_avail_throttle_over - the throttle delay has passed */
static void master_avail_throttle_over(int event, void *context)
{
    (void) event;
    master_avail_unthrottle((MASTER_SERV *) context);
}

/* master_avail_throttle - pause starting children */
void    master_avail_throttle(MASTER_SERV *serv)
{
    if (serv->throttle.active)
	return;
    serv->throttle.active = true;
    events_request_timer(master_avail_throttle_over, serv, serv->throttle.delay);
    if (msg_verbose)
	msg_info("master_avail_throttle: %s for %d seconds", serv->program,
		 serv->throttle.delay);
    master_avail_update(serv);
}

/* master_avail_unthrottle - start children again */
void    master_avail_unthrottle(MASTER_SERV *serv)
{
    if (!serv->throttle.active)
	return;
    serv->throttle.active = false;
    (void) events_cancel_timer(master_avail_throttle_over, serv);
    if (msg_verbose)
	msg_info("master_avail_unthrottle: %s", serv->program);
    master_avail_update(serv);
}
