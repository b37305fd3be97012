/*
 * msg_stats - the time stamps of one delivery, and the delay= texts
 *
 * SYNOPSIS
 *	See msg_stats.h.
 *
 * DESCRIPTION
 *	Differences are computed in microseconds with integer arithmetic,
 *	so that the same stamps always print the same text.
 *
 *	The number format (postconf(5), delay_logging_resolution_limit,
 *	and Debian's Postfix 3.7 log lines): 10 seconds and more are
 *	whole seconds, rounded; below that, two significant digits, but
 *	never more than $delay_logging_resolution_limit (0-6, default 2)
 *	digits after the decimal point; a value that rounds to zero is
 *	"0"; trailing zeros and a trailing decimal point are dropped.
 *
 *	What it does not do: read the clock for anything but an unset
 *	deliver_done.
 *
 * DIAGNOSTICS
 *	None; a delay_logging_resolution_limit outside 0-6 is taken as
 *	the nearest bound.
 */
#include "sys_defs.h"

#include <string.h>
#include <sys/time.h>

#include "vstring.h"
#include "mail_params.h"
#include "msg_stats.h"

#define MSG_STATS_USEC		1000000L
#define MSG_STATS_WHOLE_USEC	(10 * MSG_STATS_USEC)	/* whole seconds */
#define MSG_STATS_MAX_DIGITS	6	/* resolution limit bound */

/* msg_stats_init - zero every stamp */
MSG_STATS *msg_stats_init(MSG_STATS *stats)
{
    memset(stats, 0, sizeof(*stats));
    return stats;
}

/* msg_stats_usec - microseconds since the epoch */
long    msg_stats_usec(const struct timeval *tv)
{
    return (long) tv->tv_sec * MSG_STATS_USEC + (long) tv->tv_usec;
}

/* msg_stats_tv - a timeval from microseconds since the epoch */
struct timeval msg_stats_tv(long usec)
{
    struct timeval tv;

    if (usec < 0)
	usec = 0;
    tv.tv_sec = (time_t) (usec / MSG_STATS_USEC);
    tv.tv_usec = (suseconds_t) (usec % MSG_STATS_USEC);
    return tv;
}

/* msg_stats_set - a stamp was given (not all zero) */
static bool msg_stats_set(const struct timeval *tv)
{
    return tv->tv_sec != 0 || tv->tv_usec != 0;
}

/* msg_stats_diff - later - earlier in microseconds, 0 when negative */
static long msg_stats_diff(const struct timeval *later,
			           const struct timeval *earlier)
{
    long    diff = msg_stats_usec(later) - msg_stats_usec(earlier);

    return diff > 0 ? diff : 0;
}

/* msg_stats_resolution - $delay_logging_resolution_limit, clamped */
static int msg_stats_resolution(void)
{
    long    limit = VAR_INT(delay_logging_resolution_limit);

    if (limit < 0)
	return 0;
    if (limit > MSG_STATS_MAX_DIGITS)
	return MSG_STATS_MAX_DIGITS;
    return (int) limit;
}

/* msg_stats_number - append one delay in Postfix's format */
static void msg_stats_number(VSTRING *buf, long usec, int resolution)
{
    long    scale = 1;
    long    limit = MSG_STATS_USEC;	/* values below have 1 more digit */
    int     digits = 1;
    long    scaled;
    char    frac[MSG_STATS_MAX_DIGITS + 1];
    int     n;

    if (usec >= MSG_STATS_WHOLE_USEC) {
	vstring_sprintf_append(buf, "%ld",
			       (usec + MSG_STATS_USEC / 2) / MSG_STATS_USEC);
	return;
    }
    /* Two significant digits: one decimal from 1s, two from 0.1s, ... */
    while (usec < limit && digits < MSG_STATS_MAX_DIGITS) {
	limit /= 10;
	digits++;
    }
    if (digits > resolution)
	digits = resolution;
    for (n = 0; n < digits; n++)
	scale *= 10;
    scaled = (usec * scale + MSG_STATS_USEC / 2) / MSG_STATS_USEC;
    if (scaled == 0) {
	vstring_strcat(buf, "0");
	return;
    }
    vstring_sprintf_append(buf, "%ld", scaled / scale);
    if (digits == 0 || scaled % scale == 0)
	return;
    for (n = digits - 1; n >= 0; n--) {
	frac[n] = '0' + (char) (scaled % 10);
	scaled /= 10;
    }
    while (digits > 0 && frac[digits - 1] == '0')
	digits--;
    frac[digits] = 0;
    vstring_sprintf_append(buf, ".%s", frac);
}

/* msg_stats_delays - "delay=D, delays=a/b/c/d" */
const char *msg_stats_delays(VSTRING *buf, const MSG_STATS *stats)
{
    int     resolution = msg_stats_resolution();
    struct timeval done = stats->deliver_done;
    const struct timeval *setup_end;
    long    conn_delay;

    if (!msg_stats_set(&done))
	(void) gettimeofday(&done, (struct timezone *) 0);
    if (msg_stats_set(&stats->conn_setup_done)) {
	conn_delay = msg_stats_diff(&stats->conn_setup_done,
				    &stats->agent_handoff);
	setup_end = &stats->conn_setup_done;
    } else {
	conn_delay = 0;
	setup_end = &stats->agent_handoff;
    }
    vstring_strcpy(buf, "delay=");
    msg_stats_number(buf, msg_stats_diff(&done, &stats->incoming_arrival),
		     resolution);
    vstring_strcat(buf, ", delays=");
    msg_stats_number(buf, msg_stats_diff(&stats->active_arrival,
					 &stats->incoming_arrival),
		     resolution);
    vstring_strcat(buf, "/");
    msg_stats_number(buf, msg_stats_diff(&stats->agent_handoff,
					 &stats->active_arrival),
		     resolution);
    vstring_strcat(buf, "/");
    msg_stats_number(buf, conn_delay, resolution);
    vstring_strcat(buf, "/");
    msg_stats_number(buf, msg_stats_diff(&done, setup_end), resolution);
    return vstring_str(buf);
}
