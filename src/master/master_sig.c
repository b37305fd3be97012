/*
 * master_sig - the signals that master(8) acts on
 *
 * SYNOPSIS
 *	#include "master.h"
 *
 *	volatile int master_gotsighup;
 *	volatile int master_gotsigchld;
 *	volatile int master_gotsigdeath;
 *
 *	void	master_sig_init(void);
 *	void	master_sig_reset(void);
 *
 * DESCRIPTION
 *	master_sig_init() makes the event loop notice SIGHUP (reload),
 *	SIGCHLD (a child terminated), and SIGTERM, SIGINT and SIGQUIT
 *	(terminate): each only sets its flag, and the main loop acts
 *	after the event loop returns, outside signal context. The
 *	signals are delivered through libevent (events_base()), so they
 *	wake up the loop.
 *
 *	master_sig_reset() puts the default actions back before master(8)
 *	ends itself with the signal that it received. (Children start
 *	with default actions through fork_child(3).)
 *
 * DIAGNOSTICS
 *	Fatal: libevent cannot watch a signal.
 */
#include "sys_defs.h"

#include <signal.h>

#include <event2/event.h>

#include "msg.h"
#include "events.h"
#include "master.h"

volatile int master_gotsighup;
volatile int master_gotsigchld;
volatile int master_gotsigdeath;

static const int master_sig_list[] = {SIGHUP, SIGCHLD, SIGTERM, SIGINT, SIGQUIT};
static struct event *master_sig_events[ARRAY_LEN(master_sig_list)];

/* master_sig_event - note a signal */
static void master_sig_event(evutil_socket_t sig, short what, void *context)
{
    (void) what;
    (void) context;
    switch (sig) {
    case SIGHUP:
	master_gotsighup = 1;
	break;
    case SIGCHLD:
	master_gotsigchld = 1;
	break;
    default:
	if (master_gotsigdeath == 0)
	    master_gotsigdeath = (int) sig;
	break;
    }
}

/* master_sig_init - start watching signals */
void    master_sig_init(void)
{
    size_t  n;

    for (n = 0; n < ARRAY_LEN(master_sig_list); n++) {
	if ((master_sig_events[n] = evsignal_new(events_base(), master_sig_list[n],
						master_sig_event, NULL)) == NULL
	    || evsignal_add(master_sig_events[n], NULL) < 0)
	    msg_fatal("master_sig_init: cannot watch signal %d",
		      master_sig_list[n]);
    }
}

/* master_sig_reset - default actions for our signals */
void    master_sig_reset(void)
{
    size_t  n;

    for (n = 0; n < ARRAY_LEN(master_sig_list); n++)
	signal(master_sig_list[n], SIG_DFL);
}
