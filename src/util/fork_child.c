/*
 * fork_child - fork() without letting the parent's signal handlers run in the child
 *
 * DESCRIPTION
 *	See fork_child.h. The signal mask is process-wide state that both
 *	sides get from the moment of the fork, so blocking everything just
 *	before fork() closes the window between the fork and the child's
 *	own reset, whichever process the scheduler runs first.
 */
#include "sys_defs.h"

#include <errno.h>
#include <signal.h>
#include <unistd.h>

#include "fork_child.h"

/* fork_child_reset_handlers - caught signals back to their default action */
static void fork_child_reset_handlers(void)
{
    struct sigaction current;
    int     sig;

    for (sig = 1; sig < NSIG; sig++) {
	if (sig == SIGKILL || sig == SIGSTOP)
	    continue;
	if (sigaction(sig, (struct sigaction *) 0, &current) < 0)
	    continue;				/* not a valid signal number */
	if ((current.sa_flags & SA_SIGINFO) == 0
	    && (current.sa_handler == SIG_DFL || current.sa_handler == SIG_IGN))
	    continue;
	(void) signal(sig, SIG_DFL);
    }
}

/* fork_child - fork(), with handlers reset in the child before any signal */
pid_t   fork_child(void)
{
    sigset_t all;
    sigset_t saved;
    pid_t   pid;
    int     saved_errno;

    sigfillset(&all);
    (void) sigprocmask(SIG_BLOCK, &all, &saved);
    pid = fork();
    saved_errno = errno;
    if (pid == 0)
	fork_child_reset_handlers();
    (void) sigprocmask(SIG_SETMASK, &saved, (sigset_t *) 0);
    errno = saved_errno;
    return pid;
}
