/*
 * qmgr_feedback - the scheduler's arithmetic
 *
 * SYNOPSIS
 *	#include "qmgr.h"
 *
 *	bool	qmgr_feedback_parse(const char *text, QMGR_FEEDBACK *fb);
 *	double	qmgr_feedback_value(const QMGR_FEEDBACK *fb, double window);
 *
 *	void	qmgr_window_init(QMGR_WINDOW *window, int initial);
 *	void	qmgr_window_success(QMGR_WINDOW *window,
 *				const QMGR_FEEDBACK *fb, int limit,
 *				int busy, int initial);
 *	bool	qmgr_window_failure(QMGR_WINDOW *window,
 *				const QMGR_FEEDBACK *fb, int cohort_limit);
 *
 *	long	qmgr_backoff_delay(long age, long minimal, long maximal);
 *	bool	qmgr_expired(long age, bool null_sender,
 *				long max_lifetime, long bounce_lifetime);
 *
 * DESCRIPTION
 *	Pure functions, without I/O or globals, so that the unit tests
 *	(tests/unit/test_qmgr_feedback.c) drive them directly.
 *
 *	qmgr_feedback_parse() reads a concurrency feedback setting:
 *	a number in [0..1], optionally followed by "/concurrency" or
 *	"/sqrt_concurrency" (postconf(5)); false when the text is not
 *	one of these. qmgr_feedback_value() evaluates it for a window.
 *
 *	The window functions implement the Postfix 2.5 concurrency
 *	scheduler as SCHEDULER_README describes it: after a success the
 *	failed cohort count is reset and the window grows by one for
 *	each whole unit of accumulated positive feedback (never beyond
 *	limit, 0 meaning none; not at all while the window is already
 *	at least busy + initial, so that negative feedback is not
 *	delayed). After a failure, 1/window pseudo-cohorts are counted as
 *	failed; when cohort_limit (> 0) of them have failed, the window
 *	drops to 0 and qmgr_window_failure() returns true (the
 *	destination is dead); otherwise the window shrinks by one for
 *	each whole unit of negative feedback, never below 1.
 *
 *	qmgr_backoff_delay() is how long a deferred message waits before
 *	its next attempt: its age in the queue (so that attempts happen
 *	at roughly doubling ages), within [minimal, maximal].
 *
 *	qmgr_expired() tells whether a message of that age (seconds
 *	since arrival) is past its queue lifetime: bounce_lifetime for
 *	the null sender, max_lifetime for others. A lifetime of 0
 *	returns mail after its first failed attempt.
 *
 * DIAGNOSTICS
 *	None.
 */
#include "sys_defs.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "qmgr.h"

/* qmgr_feedback_parse - "x", "x/concurrency" or "x/sqrt_concurrency" */
bool    qmgr_feedback_parse(const char *text, QMGR_FEEDBACK *fb)
{
    char   *end;
    double  value;

    while (*text == ' ' || *text == '\t')
	text++;
    if (*text == 0)
	return false;
    value = strtod(text, &end);
    if (end == text || !(value >= 0 && value <= 1))
	return false;
    while (*end == ' ' || *end == '\t')
	end++;
    if (*end == 0) {
	fb->divide = QMGR_FEEDBACK_CONST;
    } else if (*end == '/') {
	end++;
	while (*end == ' ' || *end == '\t')
	    end++;
	if (strncmp(end, "concurrency", 11) == 0) {
	    fb->divide = QMGR_FEEDBACK_WINDOW;
	    end += 11;
	} else if (strncmp(end, "sqrt_concurrency", 16) == 0) {
	    fb->divide = QMGR_FEEDBACK_SQRT;
	    end += 16;
	} else {
	    return false;
	}
	while (*end == ' ' || *end == '\t')
	    end++;
	if (*end != 0)
	    return false;
    } else {
	return false;
    }
    fb->numerator = value;
    return true;
}

/* qmgr_feedback_value - the feedback for a given window */
double  qmgr_feedback_value(const QMGR_FEEDBACK *fb, double window)
{
    if (window < 1)
	window = 1;
    switch (fb->divide) {
    case QMGR_FEEDBACK_WINDOW:
	return fb->numerator / window;
    case QMGR_FEEDBACK_SQRT:
	return fb->numerator / sqrt(window);
    default:
	return fb->numerator;
    }
}

/* qmgr_window_init - a fresh destination */
void    qmgr_window_init(QMGR_WINDOW *window, int initial)
{
    window->concurrency = initial > 0 ? initial : 1;
    window->success = 0;
    window->failure = 0;
    window->fail_cohorts = 0;
}

/* qmgr_window_success - positive feedback after a good delivery */
void    qmgr_window_success(QMGR_WINDOW *window, const QMGR_FEEDBACK *fb,
			            int limit, int busy, int initial)
{
    window->fail_cohorts = 0;
    if (window->concurrency < 1)
	window->concurrency = 1;		/* revived */
    if (window->concurrency >= busy + (initial > 0 ? initial : 1))
	return;
    window->success += qmgr_feedback_value(fb, window->concurrency);
    while (window->success >= 1) {
	window->concurrency += 1;
	window->failure = 0;
	window->success -= 1;
    }
    if (limit > 0 && window->concurrency > limit)
	window->concurrency = limit;
}

/* qmgr_window_failure - negative feedback; true when now dead */
bool    qmgr_window_failure(QMGR_WINDOW *window, const QMGR_FEEDBACK *fb,
			            int cohort_limit)
{
    if (window->concurrency > 0) {
	window->fail_cohorts += 1.0 / window->concurrency;
	/* Guard against rounding: N failures at window N are one cohort. */
	if (cohort_limit > 0
	    && window->fail_cohorts + 1e-9 >= (double) cohort_limit) {
	    window->concurrency = 0;
	    return true;
	}
    }
    if (window->concurrency > 0) {
	window->failure -= qmgr_feedback_value(fb, window->concurrency);
	while (window->failure < 0) {
	    window->concurrency -= 1;
	    window->failure += 1;
	    window->success = 0;
	}
	if (window->concurrency < 1)
	    window->concurrency = 1;
    }
    return window->concurrency == 0;
}

/* qmgr_backoff_delay - wait before the next attempt of a deferred message */
long    qmgr_backoff_delay(long age, long minimal, long maximal)
{
    long    delay = age > 0 ? age : 0;

    if (maximal < minimal)
	maximal = minimal;
    if (delay > maximal)
	delay = maximal;
    if (delay < minimal)
	delay = minimal;
    return delay;
}

/* qmgr_expired - past the queue lifetime? */
bool    qmgr_expired(long age, bool null_sender, long max_lifetime,
		             long bounce_lifetime)
{
    long    lifetime = null_sender ? bounce_lifetime : max_lifetime;

    return age >= lifetime;
}
