/*
 * spawn_command - run a command in a child process and wait for it
 *
 * DESCRIPTION
 *	See spawn_command.h. Between fork() and exec() the child uses no
 *	msg(3) output: it shares the parent's log configuration and
 *	cleanup hook, and a fatal error there could run the parent's
 *	cleanup. Its reasons go back to the parent over a pipe instead,
 *	and the child leaves with _exit().
 */
#include "sys_defs.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "msg.h"
#include "vstring.h"
#include "clean_env.h"
#include "set_ugid.h"
#include "exec_command.h"
#include "timed_wait.h"
#include "fork_child.h"
#include "spawn_command.h"

#define SPAWN_COMMAND_REASON_MAX 512	/* bytes of child error text */
#define SPAWN_COMMAND_EXEC_FAIL	127	/* child exit code, as the shell */

/* spawn_command_init - default request */
void    spawn_command_init(SPAWN_COMMAND *request)
{
    memset(request, 0, sizeof(*request));
    request->uid = (uid_t) -1;
    request->gid = (gid_t) -1;
    request->stdin_fd = -1;
    request->stdout_fd = -1;
    request->stderr_fd = -1;
}

/* spawn_command_child_fail - report a reason to the parent and exit */
static NORETURN spawn_command_child_fail(int report_fd, const char *reason)
{
    size_t  len = strlen(reason);
    ssize_t ignored;

    if (len > SPAWN_COMMAND_REASON_MAX)
	len = SPAWN_COMMAND_REASON_MAX;
    ignored = write(report_fd, reason, len);
    (void) ignored;
    _exit(SPAWN_COMMAND_EXEC_FAIL);
}

/* spawn_command_child_fds - connect descriptors 0, 1 and 2 */
static bool spawn_command_child_fds(const SPAWN_COMMAND *request, VSTRING *why)
{
    int     want[3];
    int     temp[3];
    int     n;
    int     fl;

    want[0] = request->stdin_fd;
    want[1] = request->stdout_fd;
    want[2] = request->stderr_fd;

    /*
     * Copy every source out of the 0-2 range first, so that connecting
     * one target cannot clobber the source of another.
     */
    for (n = 0; n < 3; n++) {
	temp[n] = -1;
	if (want[n] >= 0 && want[n] != n
	    && (temp[n] = fcntl(want[n], F_DUPFD_CLOEXEC, 3)) < 0) {
	    vstring_sprintf(why, "dup descriptor %d: %m", want[n]);
	    return false;
	}
    }
    for (n = 0; n < 3; n++) {
	if (want[n] < 0)
	    continue;
	if (want[n] == n) {
	    if ((fl = fcntl(n, F_GETFD)) < 0
		|| fcntl(n, F_SETFD, fl & ~FD_CLOEXEC) < 0) {
		vstring_sprintf(why, "descriptor %d: %m", n);
		return false;
	    }
	} else if (dup2(temp[n], n) < 0) {
	    vstring_sprintf(why, "dup2: %m");
	    return false;
	}
    }
    return true;
}

/* spawn_command_child - set up and execute; never returns */
static NORETURN spawn_command_child(const SPAWN_COMMAND *request, int report_fd)
{
    VSTRING *why = vstring_alloc(100);
    sigset_t all;
    uid_t   uid;
    gid_t   gid;

    (void) setsid();
    (void) signal(SIGPIPE, SIG_DFL);
    (void) signal(SIGCHLD, SIG_DFL);
    sigemptyset(&all);
    (void) sigprocmask(SIG_SETMASK, &all, NULL);

    /* The report pipe must stay clear of descriptors 0-2. */
    if (report_fd < 3) {
	int     moved = fcntl(report_fd, F_DUPFD_CLOEXEC, 3);

	if (moved < 0)
	    _exit(SPAWN_COMMAND_EXEC_FAIL);
	report_fd = moved;
    }
    if (!spawn_command_child_fds(request, why))
	spawn_command_child_fail(report_fd, vstring_str(why));
    if (request->export_list != NULL)
	clean_env(request->export_list);
    if (request->env != NULL)
	update_env(request->env);
    if (request->uid != (uid_t) -1 || request->gid != (gid_t) -1) {
	uid = request->uid != (uid_t) -1 ? request->uid : getuid();
	gid = request->gid != (gid_t) -1 ? request->gid : getgid();
	if (!set_ugid_try(uid, gid, SET_UGID_FLAG_NONE, why))
	    spawn_command_child_fail(report_fd, vstring_str(why));
    }
    if (request->argv != NULL) {
	(void) execvp(request->argv[0], (char *const *) request->argv);
	vstring_sprintf(why, "execvp %s: %m", request->argv[0]);
    } else {
	exec_command_try(request->command, why);
    }
    spawn_command_child_fail(report_fd, vstring_str(why));
}

/* spawn_command_status - decode the wait status */
static void spawn_command_status(SPAWN_STATUS *status, pid_t pid,
				         int wait_status, bool timed_out)
{
    memset(status, 0, sizeof(*status));
    status->pid = pid;
    status->wait_status = wait_status;
    status->timed_out = timed_out;
    if (WIFEXITED(wait_status)) {
	status->exited = true;
	status->exit_code = WEXITSTATUS(wait_status);
    } else if (WIFSIGNALED(wait_status)) {
	status->signaled = true;
	status->signal = WTERMSIG(wait_status);
    }
}

/* spawn_command_reap - wait for the child without a limit */
static pid_t spawn_command_reap(pid_t pid, int *wait_status)
{
    pid_t   result;

    while ((result = waitpid(pid, wait_status, 0)) < 0 && errno == EINTR)
	 /* void */ ;
    return result;
}

/* spawn_command - fork, execute, wait */
bool    spawn_command(const SPAWN_COMMAND *request, SPAWN_STATUS *status,
		              VSTRING *why)
{
    SPAWN_STATUS dummy;
    int     report[2];
    char    reason[SPAWN_COMMAND_REASON_MAX + 1];
    size_t  reason_len = 0;
    ssize_t n;
    pid_t   pid;
    pid_t   result;
    int     wait_status = 0;
    bool    timed_out = false;

    if (request->argv == NULL && request->command == NULL)
	msg_panic("spawn_command: no command");
    if (request->argv != NULL && request->argv[0] == NULL)
	msg_panic("spawn_command: empty argument vector");
    if (why == NULL)
	msg_panic("spawn_command: null error buffer");
    if (status == NULL)
	status = &dummy;
    memset(status, 0, sizeof(*status));

    if (pipe2(report, O_CLOEXEC) < 0) {
	vstring_sprintf(why, "pipe: %m");
	return false;
    }
    if ((pid = fork_child()) < 0) {
	vstring_sprintf(why, "fork: %m");
	(void) close(report[0]);
	(void) close(report[1]);
	return false;
    }
    if (pid == 0) {
	(void) close(report[0]);
	spawn_command_child(request, report[1]);
    }

    /*
     * Parent. The report pipe reaches end-of-file when the child
     * executes the command (close-on-exec) or exits. Until then the
     * child runs only our own setup code, which does not block.
     */
    (void) close(report[1]);
    for (;;) {
	n = read(report[0], reason + reason_len,
		 SPAWN_COMMAND_REASON_MAX - reason_len);
	if (n < 0 && errno == EINTR)
	    continue;
	if (n <= 0)
	    break;
	reason_len += n;
	if (reason_len >= SPAWN_COMMAND_REASON_MAX)
	    break;
    }
    reason[reason_len] = 0;
    (void) close(report[0]);

    if (request->time_limit > 0) {
	result = timed_wait(pid, &wait_status, 0, request->time_limit);
	if (result < 0 && errno == ETIMEDOUT) {
	    timed_out = true;
	    (void) kill(-pid, SIGKILL);
	    (void) kill(pid, SIGKILL);
	    result = spawn_command_reap(pid, &wait_status);
	}
    } else {
	result = spawn_command_reap(pid, &wait_status);
    }
    if (result < 0) {
	vstring_sprintf(why, "wait for process %ld: %m", (long) pid);
	status->pid = pid;
	return false;
    }
    spawn_command_status(status, pid, wait_status, timed_out);
    if (reason_len > 0) {
	vstring_strcpy(why, reason);
	return false;
    }
    return true;
}
