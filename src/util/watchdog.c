/*
 * watchdog - terminate a process that stops making progress
 *
 * DESCRIPTION
 *	See watchdog.h. The signal handler unblocks SIGALRM before it does
 *	anything that could hang (the action, or msg_fatal()), so that the
 *	alarm it re-armed can still interrupt it; a flag tells the nested
 *	invocation that the first one is stuck.
 */
#include "sys_defs.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "msg.h"
#include "mymalloc.h"
#include "watchdog.h"

#define WATCHDOG_GRACE	5		/* seconds for a fatal exit */

struct WATCHDOG {
    unsigned timeout;			/* seconds */
    WATCHDOG_FN action;			/* NULL: fatal error */
    void   *context;			/* action argument */
    volatile sig_atomic_t armed;	/* running */
    WATCHDOG *saved;			/* suspended watchdog */
    unsigned saved_left;		/* its remaining seconds */
};

static WATCHDOG *volatile watchdog_current;
static volatile sig_atomic_t watchdog_busy;	/* handler in action/exit */
static struct sigaction watchdog_old_action;	/* before the first watchdog */

/* watchdog_die - last-resort exit from a stuck handler */
static NORETURN watchdog_die(void)
{
    static const char text[] = "fatal: watchdog timeout\n";
    ssize_t ignored;

    ignored = write(STDERR_FILENO, text, sizeof(text) - 1);
    (void) ignored;
    _exit(1);
}

/* watchdog_unblock - let SIGALRM interrupt the handler itself */
static void watchdog_unblock(void)
{
    sigset_t mask;

    sigemptyset(&mask);
    sigaddset(&mask, SIGALRM);
    (void) sigprocmask(SIG_UNBLOCK, &mask, NULL);
}

/* watchdog_event - SIGALRM handler */
static void watchdog_event(int sig)
{
    WATCHDOG *wp = watchdog_current;
    int     saved_errno = errno;

    (void) sig;
    if (watchdog_busy)
	watchdog_die();
    if (wp == NULL || !wp->armed) {
	errno = saved_errno;
	return;
    }
    watchdog_busy = 1;
    if (wp->action == NULL) {
	alarm(WATCHDOG_GRACE);
	watchdog_unblock();
	msg_fatal("watchdog timeout");
    }
    alarm(wp->timeout);
    watchdog_unblock();
    wp->action(wp, wp->context);
    watchdog_busy = 0;
    errno = saved_errno;
}

/* watchdog_create - make a new, current, stopped watchdog */
WATCHDOG *watchdog_create(unsigned timeout, WATCHDOG_FN action, void *context)
{
    WATCHDOG *wp;
    struct sigaction sa;

    if (timeout == 0)
	msg_panic("watchdog_create: zero timeout");
    wp = mymalloc(sizeof(*wp));
    wp->timeout = timeout;
    wp->action = action;
    wp->context = context;
    wp->armed = 0;
    wp->saved = watchdog_current;
    wp->saved_left = alarm(0);
    if (wp->saved == NULL) {
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = watchdog_event;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGALRM, &sa, &watchdog_old_action) < 0)
	    msg_fatal("watchdog_create: sigaction: %m");
    }
    watchdog_current = wp;
    return wp;
}

/* watchdog_start - arm for a full timeout */
void    watchdog_start(WATCHDOG *wp)
{
    wp->armed = 1;
    if (wp == watchdog_current)
	alarm(wp->timeout);
}

/* watchdog_stop - disarm */
void    watchdog_stop(WATCHDOG *wp)
{
    wp->armed = 0;
    if (wp == watchdog_current)
	alarm(0);
}

/* watchdog_pat - restart the count of the current watchdog */
void    watchdog_pat(void)
{
    WATCHDOG *wp = watchdog_current;

    if (wp != NULL && wp->armed)
	alarm(wp->timeout);
}

/* watchdog_destroy - stop, free, resume the previous watchdog */
void    watchdog_destroy(WATCHDOG *wp)
{
    WATCHDOG *prev;

    if (wp != watchdog_current)
	msg_panic("watchdog_destroy: watchdog is not the current one");
    alarm(0);
    prev = wp->saved;
    watchdog_current = prev;
    if (prev == NULL) {
	if (sigaction(SIGALRM, &watchdog_old_action, NULL) < 0)
	    msg_warn("watchdog_destroy: sigaction: %m");
    } else if (prev->armed) {
	/* No time left on record: it was started while suspended. */
	alarm(wp->saved_left > 0 ? wp->saved_left : prev->timeout);
    }
    myfree(wp);
}
