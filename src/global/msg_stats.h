/*
 * msg_stats - the time stamps of one delivery, and the delay= texts
 *
 * SYNOPSIS
 *	#include "msg_stats.h"
 *
 *	typedef struct MSG_STATS {
 *	    struct timeval incoming_arrival;	T record
 *	    struct timeval active_arrival;	moved into active/
 *	    struct timeval agent_handoff;	request sent by qmgr
 *	    struct timeval conn_setup_done;	agent connected (0: none)
 *	    struct timeval deliver_done;	set by the status functions
 *	    int	    reuse_count;		connection reuse (smtp)
 *	} MSG_STATS;
 *
 *	MSG_STATS *msg_stats_init(MSG_STATS *stats);
 *	const char *msg_stats_delays(VSTRING *buf, const MSG_STATS *stats);
 *	long	msg_stats_usec(const struct timeval *tv);
 *	struct timeval msg_stats_tv(long usec);
 *
 * DESCRIPTION
 *	msg_stats_init() zeroes stats.
 *
 *	msg_stats_delays() writes into buf, and returns, the part of
 *	a status line after "relay=...": "delay=D, delays=a/b/c/d" with
 *	Postfix's numbers and format: D is deliver_done - incoming_arrival;
 *	a is active_arrival - incoming_arrival (before the active queue),
 *	b agent_handoff - active_arrival (in qmgr), c conn_setup_done -
 *	agent_handoff (connection setup; 0 when conn_setup_done is 0), d
 *	deliver_done - (conn_setup_done or agent_handoff). Each number has
 *	two significant digits at most and no trailing zeros ("0.12",
 *	"3.4", "12", "0" for less than 0.005; "0.01" is the smallest
 *	non-zero value; totals >= 10 are whole seconds rounded), as
 *	Postfix prints them. A negative difference (clock step) is 0.
 *	deliver_done 0 means "now".
 *
 *	msg_stats_usec() and msg_stats_tv() convert between a timeval
 *	and microseconds since the epoch (the wire form).
 */
#ifndef MSG_STATS_H
#define MSG_STATS_H

#include "sys_defs.h"

#include <sys/time.h>

#include "vstring.h"

typedef struct MSG_STATS {
    struct timeval incoming_arrival;
    struct timeval active_arrival;
    struct timeval agent_handoff;
    struct timeval conn_setup_done;
    struct timeval deliver_done;
    int     reuse_count;
} MSG_STATS;

extern MSG_STATS *msg_stats_init(MSG_STATS *stats);
extern const char *msg_stats_delays(VSTRING *buf, const MSG_STATS *stats);
extern long msg_stats_usec(const struct timeval *tv);
extern struct timeval msg_stats_tv(long usec);

#endif
