/*
 * master_spawn - start, reap and signal the children of master(8)
 *
 * SYNOPSIS
 *	#include "master.h"
 *
 *	HTABLE	*master_child_table;
 *
 *	void	master_spawn(MASTER_SERV *serv);
 *	void	master_reap_child(void);
 *	void	master_detach_children(MASTER_SERV *serv, int sig);
 *	void	master_retire_children(MASTER_SERV *serv);
 *	void	master_signal_children(int sig);
 *	int	master_child_count(void);
 *
 * DESCRIPTION
 *	Every child that master(8) runs has a MASTER_PROC record in
 *	master_child_table, found by process id, until it is reaped.
 *
 *	master_spawn() runs one more daemon process for a service, when
 *	master_avail(3) wants one. The new process starts with default
 *	signal actions, and no signal is lost in between (fork_child(3)):
 *	a SIGTERM that master sends it at once still stops it. In it, the
 *	descriptors of master_proto(3) are set up (flow-control pipe, the service's status
 *	channel, its listeners, in that order), the environment gets
 *	GENERATION (a number that no other child of this master has), and
 *	$daemon_directory/<command> is executed with the options of
 *	master_ent_exec_args(), "-o stress=yes" while the service is under
 *	stress. master counts the new process as idle. The first child of
 *	a service with an "N?" wakeup time starts its wakeup timer. When
 *	fork() fails, the service is throttled.
 *
 *	master_reap_child() collects the exit status of every child that
 *	has terminated, logs the unexpected ones (a non-zero exit status,
 *	or a signal that master did not send), and removes them. A child
 *	that failed in this way before it finished a single client suggests
 *	a broken service (a bad command, a configuration error): master
 *	throttles it ("bad command startup -- throttling"), unless the
 *	child belongs to a service that is gone or was retired at reload.
 *	In init mode (-i), master is PID 1 and also collects orphans that
 *	the kernel hands over; those go silently, while an unknown child
 *	is a warning otherwise.
 *
 *	master_detach_children() is for a service that goes away: its
 *	children are kept in the table (they are reaped later, and a
 *	signal that master sends them now, when sig is not 0, is not
 *	logged as a failure), but no longer belong to the service.
 *	master_retire_children() is for a service whose status channel was
 *	replaced at reload: its children finish their client and exit.
 *	master_signal_children() sends a signal to every child;
 *	master_child_count() is the number of children not yet reaped.
 *
 *	This module does not decide when a child is needed, or how long a
 *	service pauses (master_avail(3)).
 *
 * DIAGNOSTICS
 *	Warnings: "process <path> pid <pid> exit status <n>", "process
 *	<path> pid <pid> killed by signal <n>", "<path>: bad command
 *	startup -- throttling", "master_spawn: fork: <error> --
 *	throttling", "master_reap_child: unknown pid: <pid>", "kill process
 *	<pid>: <error>". In the child: fatal "master_spawn: exec <path>:
 *	<error>".
 */
#include "sys_defs.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "msg.h"
#include "mymalloc.h"
#include "htable.h"
#include "argv.h"
#include "fork_child.h"
#include "events.h"
#include "master_proto.h"
#include "master.h"

HTABLE *master_child_table;

/* master_child_key - table key for a process id */
static const char *master_child_key(pid_t pid)
{
    static char key[32];

    snprintf(key, sizeof(key), "%ld", (long) pid);
    return key;
}

/* master_child_setup - in the child: descriptors, exec */
static NORETURN master_child_setup(MASTER_SERV *serv, ARGV *args,
				           unsigned generation)
{
    int     count = 3 + serv->listeners.count;
    int    *source = mymalloc(sizeof(int) * (size_t) count);
    int     high = MASTER_LISTEN_FD + serv->listeners.count;
    char    gen[32];
    int     n;
    int     fd;

    msg_cleanup(NULL);

    /*
     * Copy every source above the highest target first, so that no
     * dup2() can overwrite a source that is still needed, whatever the
     * descriptor numbers. The copies are close-on-exec; dup2() clears
     * that flag on the targets.
     */
    source[0] = master_flow_pipe[0];
    source[1] = master_flow_pipe[1];
    source[2] = serv->status.child_end;
    for (n = 0; n < serv->listeners.count; n++)
	source[3 + n] = serv->listeners.fds[n];
    for (n = 0; n < count; n++)
	if ((source[n] = fcntl(source[n], F_DUPFD_CLOEXEC, high)) < 0)
	    msg_fatal("master_spawn: dup: %m");
    for (n = 0; n < count; n++) {
	fd = n < 3 ? MASTER_FLOW_READ + n : MASTER_LISTEN_FD + n - 3;
	if (dup2(source[n], fd) < 0)
	    msg_fatal("master_spawn: dup2 %d: %m", fd);
    }
    snprintf(gen, sizeof(gen), "%o", generation);
    if (setenv(MASTER_GEN_NAME, gen, 1) < 0)
	msg_fatal("master_spawn: setenv: %m");
    execv(serv->program, args->argv);
    msg_fatal("master_spawn: exec %s: %m", serv->program);
}

/* master_spawn - start one more child for a service */
void    master_spawn(MASTER_SERV *serv)
{
    static unsigned generation;
    MASTER_PROC *proc;
    ARGV   *args;
    pid_t   pid;

    if (master_avail_state(serv) != MASTER_AVAIL_WANTED)
	msg_panic("master_spawn: %s needs no child now", serv->endpoint);
    if (master_child_table == NULL)
	master_child_table = htable_create(64);

    args = master_ent_exec_args(serv, serv->pool.stress_until > events_time());
    generation++;
    /* Not plain fork(): a SIGTERM that reaches a child this early must
     * stop it, not run libevent's handler in it (fork_child(3)). */
    if ((pid = fork_child()) == 0)
	master_child_setup(serv, args, generation);
    argv_free(args);
    if (pid < 0) {
	msg_warn("master_spawn: fork: %m -- throttling");
	master_avail_throttle(serv);
	return;
    }
    if (msg_verbose)
	msg_info("master_spawn: %s pid %ld", serv->program, (long) pid);
    proc = mycalloc(1, sizeof(*proc));
    proc->pid = pid;
    proc->generation = generation;
    proc->serv = serv;
    proc->program = mystrdup(serv->program);
    htable_enter(master_child_table, master_child_key(pid), proc);
    master_avail_child_new(proc);
    if (serv->wakeup.wait_for_child) {
	serv->wakeup.wait_for_child = false;
	master_wakeup_init(serv);
    }
}

/* master_startup_failure - did a child fail before it served anyone? */
static bool master_startup_failure(const MASTER_PROC *proc, int status)
{
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
	return false;				/* a normal exit */
    if (WIFSIGNALED(status) && WTERMSIG(status) == proc->kill_signal)
	return false;				/* we stopped it */
    return proc->serv != NULL && !proc->retired && proc->served == 0;
}

/* master_report_exit - log an exit status that master did not ask for */
static void master_report_exit(const MASTER_PROC *proc, int status)
{
    if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
	msg_warn("process %s pid %ld exit status %d",
		 proc->program, (long) proc->pid, WEXITSTATUS(status));
    if (WIFSIGNALED(status) && WTERMSIG(status) != proc->kill_signal)
	msg_warn("process %s pid %ld killed by signal %d",
		 proc->program, (long) proc->pid, WTERMSIG(status));
}

/* master_reap_child - collect terminated children */
void    master_reap_child(void)
{
    MASTER_PROC *proc;
    pid_t   pid;
    int     status;

    while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
	if (msg_verbose)
	    msg_info("master_reap_child: pid %ld", (long) pid);
	if (master_child_table == NULL
	    || (proc = htable_find(master_child_table,
				   master_child_key(pid))) == NULL) {
	    if (!master_init_mode)
		msg_warn("master_reap_child: unknown pid: %ld", (long) pid);
	    continue;
	}
	master_report_exit(proc, status);
	if (master_startup_failure(proc, status)
	    && !proc->serv->throttle.active) {
	    msg_warn("%s: bad command startup -- throttling",
		     proc->serv->program);
	    master_avail_throttle(proc->serv);
	}
	(void) htable_delete(master_child_table, master_child_key(pid), NULL);
	if (proc->serv != NULL)
	    master_avail_child_gone(proc);
	myfree(proc->program);
	myfree(proc);
    }
}

/* master_child_list - a snapshot of the child table */
static HTABLE_INFO **master_child_list(void)
{
    if (master_child_table == NULL)
	master_child_table = htable_create(64);
    return htable_list(master_child_table);
}

/* master_detach_children - let go of the children of a removed service */
void    master_detach_children(MASTER_SERV *serv, int sig)
{
    HTABLE_INFO **list = master_child_list();
    HTABLE_INFO **ht;
    MASTER_PROC *proc;

    for (ht = list; *ht; ht++) {
	proc = (*ht)->value;
	if (proc->serv != serv)
	    continue;
	master_avail_child_detach(proc);
	if (sig != 0) {
	    proc->kill_signal = sig;
	    if (kill(proc->pid, sig) < 0 && errno != ESRCH)
		msg_warn("kill process %ld: %m", (long) proc->pid);
	}
    }
    myfree(list);
}

/* master_retire_children - children whose status channel is gone */
void    master_retire_children(MASTER_SERV *serv)
{
    HTABLE_INFO **list = master_child_list();
    HTABLE_INFO **ht;
    MASTER_PROC *proc;

    for (ht = list; *ht; ht++) {
	proc = (*ht)->value;
	if (proc->serv == serv && !proc->retired)
	    master_avail_child_retired(proc);
    }
    myfree(list);
}

/* master_signal_children - send a signal to every child */
void    master_signal_children(int sig)
{
    HTABLE_INFO **list = master_child_list();
    HTABLE_INFO **ht;
    MASTER_PROC *proc;

    for (ht = list; *ht; ht++) {
	proc = (*ht)->value;
	proc->kill_signal = sig;
	if (kill(proc->pid, sig) < 0 && errno != ESRCH)
	    msg_warn("kill process %ld: %m", (long) proc->pid);
    }
    myfree(list);
}

/* master_child_count - children not yet reaped */
int     master_child_count(void)
{
    return master_child_table ? (int) htable_used(master_child_table) : 0;
}
