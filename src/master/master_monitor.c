/*
 * master_monitor - "master -w": wait until the daemon has started
 *
 * SYNOPSIS
 *	#include "master.h"
 *
 *	int	master_monitor(int time_limit);
 *
 * DESCRIPTION
 *	master_monitor() forks. The child returns the write end of a
 *	pipe and goes on to become the master daemon; when its
 *	initialization has succeeded it writes one null byte on that
 *	descriptor and closes it. The parent stays in the foreground,
 *	waits at most time_limit seconds for that byte, and exits with
 *	status 0 when it arrives. When the child exits first (a fatal
 *	error during start-up) or time runs out, the parent exits with a
 *	fatal error; after a timeout it kills the child first.
 *
 *	The parent never returns.
 *
 * DIAGNOSTICS
 *	Fatal (Postfix's words): "daemon initialization failure -- see
 *	logs for details", "<error> while waiting for daemon
 *	initialization". Panic: time_limit <= 0.
 */
#include "sys_defs.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include "msg.h"
#include "iostuff.h"
#include "master.h"

/* master_monitor - fork, and wait in the parent */
int     master_monitor(int time_limit)
{
    int     pipes[2];
    char    buf[1];
    pid_t   pid;
    ssize_t n;

    if (time_limit <= 0)
	msg_panic("master_monitor: bad time limit: %d", time_limit);
    if (pipe2(pipes, O_CLOEXEC) < 0)
	msg_fatal("pipe: %m");
    switch (pid = fork()) {
    case -1:
	msg_fatal("fork: %m");
    case 0:
	(void) close(pipes[0]);
	return pipes[1];
    default:
	(void) close(pipes[1]);
	n = timed_read(pipes[0], buf, sizeof(buf), time_limit);
	if (n == 1)
	    exit(0);
	if (n < 0 && errno == ETIMEDOUT) {
	    (void) kill(pid, SIGKILL);
	    msg_fatal("%m while waiting for daemon initialization");
	}
	if (n < 0)
	    msg_fatal("%m while waiting for daemon initialization");
	msg_fatal("daemon initialization failure -- see logs for details");
    }
}
