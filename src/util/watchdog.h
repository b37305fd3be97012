/*
 * watchdog - terminate a process that stops making progress
 *
 * SYNOPSIS
 *	#include "watchdog.h"
 *
 *	typedef void (*WATCHDOG_FN)(WATCHDOG *wp, void *context);
 *
 *	WATCHDOG *watchdog_create(unsigned timeout, WATCHDOG_FN action,
 *				void *context);
 *	void	watchdog_start(WATCHDOG *wp);
 *	void	watchdog_stop(WATCHDOG *wp);
 *	void	watchdog_pat(void);
 *	void	watchdog_destroy(WATCHDOG *wp);
 *
 * DESCRIPTION
 *	A watchdog is a SIGALRM timer that a healthy process keeps resetting
 *	("patting"); when timeout seconds pass without a pat while it runs,
 *	it fires. This is how daemons enforce daemon_timeout.
 *
 *	watchdog_create() makes a new watchdog (stopped) and makes it the
 *	current one. Watchdogs nest: the one that was current before is
 *	suspended (its alarm is taken off) until the new one is destroyed,
 *	and then resumes with the time it had left (or with a full timeout
 *	when it was started while suspended). The first watchdog
 *	installs the SIGALRM handler (with SA_RESTART); the last one to be
 *	destroyed puts the previous handler back. No other code in the
 *	process may use alarm() or SIGALRM while a watchdog exists.
 *
 *	watchdog_start() arms the watchdog for timeout seconds (restarting
 *	the count when it already runs); watchdog_stop() disarms it.
 *	watchdog_pat() restarts the count of the current watchdog when it
 *	runs, and does nothing otherwise; it is cheap (one alarm() call)
 *	and async-signal-safe.
 *
 *	When a watchdog fires:
 *
 *	- Without an action, the process terminates with the fatal error
 *	  "watchdog timeout" (through msg_fatal(), so the message is
 *	  logged and the msg(3) cleanup hook runs). Should that itself
 *	  hang (a log output that blocks), a second alarm a few seconds
 *	  later writes "fatal: watchdog timeout" to standard error and
 *	  ends the process with _exit(1).
 *	- With an action, the watchdog first re-arms itself and then calls
 *	  action(wp, context) from the signal handler, so the action must
 *	  be async-signal-safe. The action may call watchdog_stop() or
 *	  watchdog_start() on wp, or watchdog_pat(). If it has not
 *	  stopped wp, the watchdog fires again after another timeout
 *	  seconds; if the action itself is still running by then, the
 *	  process terminates as without an action.
 *
 *	watchdog_destroy() stops and frees a watchdog; it must be the
 *	current one.
 *
 * DIAGNOSTICS
 *	Fatal: "watchdog timeout". Panic: zero timeout, destroying a
 *	watchdog that is not the current one.
 */
#ifndef WATCHDOG_H
#define WATCHDOG_H

#include "sys_defs.h"

typedef struct WATCHDOG WATCHDOG;
typedef void (*WATCHDOG_FN) (WATCHDOG *wp, void *context);

extern WATCHDOG *watchdog_create(unsigned timeout, WATCHDOG_FN action,
				         void *context);
extern void watchdog_start(WATCHDOG *wp);
extern void watchdog_stop(WATCHDOG *wp);
extern void watchdog_pat(void);
extern void watchdog_destroy(WATCHDOG *wp);

#endif
