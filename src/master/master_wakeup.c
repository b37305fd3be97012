/*
 * master_wakeup - wake up services on a timer
 *
 * SYNOPSIS
 *	#include "master.h"
 *
 *	void	master_wakeup_init(MASTER_SERV *serv);
 *	void	master_wakeup_cleanup(MASTER_SERV *serv);
 *
 * DESCRIPTION
 *	A master.cf wakeup time N makes master(8) send a one-byte 'W'
 *	trigger to the service every N seconds, through the service's own
 *	endpoint, so that a resident trigger server (qmgr, pickup,
 *	flush...) gets to work even without outside events; if no child
 *	runs, the trigger starts one. A throttled service is skipped.
 *	"N?" means the same, but only after the service has been used
 *	once (master_spawn(3) starts the timer then).
 *
 *	master_wakeup_init() sends the first trigger at once and then
 *	every N seconds; it does nothing for services without a wakeup
 *	time and for conditional timers that have not started.
 *	master_wakeup_cleanup() stops the timer.
 *
 *	An inet service gets its trigger on its first listening address.
 *	Triggers use a one-second time limit, so that a stuck service
 *	cannot stop master(8). FIFO triggers are sent with the effective
 *	ids of $mail_owner. Pass services get no triggers (they expect
 *	descriptors).
 *
 * DIAGNOSTICS
 *	Warning: "master_wakeup_timer_event: service <name>(<endpoint>):
 *	<error>".
 */
#include "sys_defs.h"

#include <errno.h>

#include "msg.h"
#include "events.h"
#include "trigger.h"
#include "set_eugid.h"
#include "master_proto.h"
#include "master.h"

#define MASTER_WAKEUP_TIMEOUT	1	/* seconds */

/* master_wakeup_timer_event - send one trigger, schedule the next */
static void master_wakeup_timer_event(int event, void *context)
{
    MASTER_SERV *serv = context;
    static const char wakeup = MASTER_TRIGGER_WAKEUP;
    int     status = 0;

    (void) event;
    if (serv->wakeup.interval <= 0)
	return;
    if (!serv->throttle.active) {
	if (msg_verbose)
	    msg_info("master_wakeup_timer_event: service %s", serv->endpoint);
	switch (serv->transport) {
	case MASTER_XPORT_INET:
	    status = inet_trigger(serv->listeners.inet_addrs->argv[0], &wakeup, 1,
				  MASTER_WAKEUP_TIMEOUT);
	    break;
	case MASTER_XPORT_UNIX:
	    status = unix_trigger(serv->endpoint, &wakeup, 1,
				  MASTER_WAKEUP_TIMEOUT);
	    break;
	case MASTER_XPORT_UNIX_DGRAM:
	    status = unix_dgram_trigger(serv->endpoint, &wakeup, 1,
					MASTER_WAKEUP_TIMEOUT);
	    break;
	case MASTER_XPORT_FIFO:
	    if (master_privileged)
		set_eugid(var_master_owner_uid, var_master_owner_gid);
	    status = fifo_trigger(serv->endpoint, &wakeup, 1,
				  MASTER_WAKEUP_TIMEOUT);
	    if (master_privileged)
		set_eugid(0, 0);
	    break;
	case MASTER_XPORT_PASS:
	    status = 0;
	    break;
	default:
	    msg_panic("master_wakeup_timer_event: unknown service type: %d",
		      serv->transport);
	}
	if (status < 0)
	    msg_warn("master_wakeup_timer_event: service %s(%s): %m",
		     serv->service, serv->endpoint);
    }
    events_request_timer(master_wakeup_timer_event, serv, serv->wakeup.interval);
}

/* master_wakeup_init - start a service's wakeup timer */
void    master_wakeup_init(MASTER_SERV *serv)
{
    if (serv->wakeup.interval <= 0 || serv->wakeup.wait_for_child)
	return;
    if (msg_verbose)
	msg_info("master_wakeup_init: service %s time %d", serv->endpoint,
		 serv->wakeup.interval);
    master_wakeup_timer_event(EVENT_TIME, serv);
}

/* master_wakeup_cleanup - stop a service's wakeup timer */
void    master_wakeup_cleanup(MASTER_SERV *serv)
{
    (void) events_cancel_timer(master_wakeup_timer_event, serv);
}
