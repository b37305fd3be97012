/*
 * master_spawn - child process birth and death
 *
 * SYNOPSIS
 *	#include "master.h"
 *
 *	void	master_spawn(MASTER_SERV *serv);
 *	void	master_reap_child(void);
 *	void	master_detach_children(MASTER_SERV *serv, int sig);
 *	void	master_retire_children(MASTER_SERV *serv);
 *	void	master_signal_children(int sig);
 *	int	master_child_count(void);
 *	void	master_throttle(MASTER_SERV *serv);
 *	void	master_unthrottle(MASTER_SERV *serv);
 *
 * DESCRIPTION
 *	master_spawn() starts one child for a service (master_avail(3)
 *	decides when). The child gets the flow-control pipe, the service's
 *	status channel and listeners on the fixed descriptors of
 *	master_proto(3), GENERATION in its environment, and runs
 *	$daemon_directory/<command> with the arguments of
 *	master_ent_exec_args(). The new child counts as idle until it
 *	reports otherwise. A service with a conditional wakeup timer
 *	("N?") gets its timer now, at its first child.
 *
 *	master_reap_child() collects every child that has terminated. An
 *	abnormal termination is logged ("process <path> pid <pid> exit
 *	status <n>" or "... killed by signal <n>", except for signals
 *	that master(8) sent itself); when the child never reported that it
 *	finished a client, the service is taken to be broken ("<path>: bad
 *	command startup -- throttling") and no new process is started for
 *	$service_throttle_time seconds. In init mode (-i), unknown
 *	children are orphans that the kernel gave to PID 1, and are
 *	reaped silently; otherwise they get a warning.
 *
 *	master_detach_children() cuts the children of a removed service
 *	loose (sending them sig when it is not 0): they are reaped later,
 *	without warnings for that signal. master_retire_children() is
 *	for a service whose status channel is replaced at reload: its
 *	children finish their work and exit, and no longer count as
 *	idle. master_signal_children() sends a signal to every child, and
 *	master_child_count() counts the children that are still there.
 *
 *	master_throttle() suspends process creation for a service for its
 *	throttle delay; master_unthrottle() ends that early.
 *
 * DIAGNOSTICS
 *	Warnings as described; "master_spawn: fork: <error> -- throttling".
 *	In the child: fatal "master_spawn: exec <path>: <error>".
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

/* master_unthrottle_event - the throttle delay is over */
static void master_unthrottle_event(int event, void *context)
{
    (void) event;
    master_unthrottle((MASTER_SERV *) context);
}

/* master_unthrottle - allow process creation again */
void    master_unthrottle(MASTER_SERV *serv)
{
    if (!MASTER_THROTTLED(serv))
	return;
    serv->flags &= ~MASTER_FLAG_THROTTLE;
    (void) events_cancel_timer(master_unthrottle_event, serv);
    if (msg_verbose)
	msg_info("throttle released for command %s", serv->path);
    master_avail_listen(serv);
}

/* master_throttle - suspend process creation for a while */
void    master_throttle(MASTER_SERV *serv)
{
    if (MASTER_THROTTLED(serv))
	return;
    serv->flags |= MASTER_FLAG_THROTTLE;
    events_request_timer(master_unthrottle_event, serv, serv->throttle_delay);
    if (msg_verbose)
	msg_info("throttling command %s", serv->path);
    master_avail_listen(serv);
}

/* master_child_setup - in the child: descriptors, signals, exec */
static NORETURN master_child_setup(MASTER_SERV *serv, ARGV *args,
				           unsigned generation)
{
    int     count = 3 + serv->listen_fd_count;
    int    *source = mymalloc(sizeof(int) * (size_t) count);
    int     high = MASTER_LISTEN_FD + serv->listen_fd_count;
    char    gen[32];
    int     n;
    int     fd;

    msg_cleanup(NULL);
    master_sig_reset();
    signal(SIGALRM, SIG_DFL);

    /*
     * Copy every source above the highest target first, so that no
     * dup2() can overwrite a source that is still needed, whatever the
     * descriptor numbers. The copies are close-on-exec; dup2() clears
     * that flag on the targets.
     */
    source[0] = master_flow_pipe[0];
    source[1] = master_flow_pipe[1];
    source[2] = serv->status_fd[1];
    for (n = 0; n < serv->listen_fd_count; n++)
	source[3 + n] = serv->listen_fd[n];
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
    execv(serv->path, args->argv);
    msg_fatal("master_spawn: exec %s: %m", serv->path);
}

/* master_spawn - start one more child for a service */
void    master_spawn(MASTER_SERV *serv)
{
    static unsigned generation;
    MASTER_PROC *proc;
    ARGV   *args;
    pid_t   pid;
    bool    stress;

    if (!MASTER_LIMIT_OK(serv->max_proc, serv->total_proc))
	msg_panic("master_spawn: at process limit %d", serv->total_proc);
    if (serv->avail_proc > 0)
	msg_panic("master_spawn: processes available: %d", serv->avail_proc);
    if (MASTER_THROTTLED(serv))
	msg_panic("master_spawn: throttled service: %s", serv->path);
    if (master_child_table == NULL)
	master_child_table = htable_create(64);

    stress = serv->stress_expire_time > events_time();
    args = master_ent_exec_args(serv, stress);
    generation++;
    switch (pid = fork()) {
    case -1:
	msg_warn("master_spawn: fork: %m -- throttling");
	argv_free(args);
	master_throttle(serv);
	return;
    case 0:
	master_child_setup(serv, args, generation);
    default:
	break;
    }
    argv_free(args);
    if (msg_verbose)
	msg_info("spawn command %s; pid %ld", serv->path, (long) pid);
    proc = mycalloc(1, sizeof(*proc));
    proc->pid = pid;
    proc->gen = generation;
    proc->serv = serv;
    proc->path = mystrdup(serv->path);
    proc->avail = MASTER_STAT_TAKEN;
    htable_enter(master_child_table, master_child_key(pid), proc);
    serv->total_proc++;
    master_avail_more(serv, proc);
    if (serv->flags & MASTER_FLAG_CONDWAKE) {
	serv->flags &= ~MASTER_FLAG_CONDWAKE;
	if (msg_verbose)
	    msg_info("start conditional timer for %s", serv->name);
	master_wakeup_init(serv);
    }
}

/* master_delete_child - forget a child that is gone */
static void master_delete_child(MASTER_PROC *proc)
{
    MASTER_SERV *serv = proc->serv;

    (void) htable_delete(master_child_table, master_child_key(proc->pid), NULL);
    if (serv != NULL) {
	serv->total_proc--;
	if (proc->avail == MASTER_STAT_AVAIL && !proc->retired)
	    master_avail_less(serv, proc);
	else
	    master_avail_listen(serv);
    }
    myfree(proc->path);
    myfree(proc);
}

/* master_reap_child - collect terminated children */
void    master_reap_child(void)
{
    MASTER_PROC *proc;
    MASTER_SERV *serv;
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
	serv = proc->serv;
	if (!(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
	    if (WIFEXITED(status))
		msg_warn("process %s pid %ld exit status %d",
			 proc->path, (long) pid, WEXITSTATUS(status));
	    if (WIFSIGNALED(status) && WTERMSIG(status) != proc->kill_signal)
		msg_warn("process %s pid %ld killed by signal %d",
			 proc->path, (long) pid, WTERMSIG(status));
	    if (serv != NULL && proc->use_count == 0 && !proc->retired
		&& !MASTER_THROTTLED(serv)
		&& !(WIFSIGNALED(status) && WTERMSIG(status) == proc->kill_signal)) {
		msg_warn("%s: bad command startup -- throttling", serv->path);
		master_throttle(serv);
	    }
	}
	master_delete_child(proc);
    }
}

/* master_child_list - a snapshot of the child table */
static HTABLE_INFO **master_child_list(void)
{
    if (master_child_table == NULL)
	master_child_table = htable_create(64);
    return htable_list(master_child_table);
}

/* master_detach_children - forget the children of a removed service */
void    master_detach_children(MASTER_SERV *serv, int sig)
{
    HTABLE_INFO **list = master_child_list();
    HTABLE_INFO **ht;
    MASTER_PROC *proc;

    for (ht = list; *ht; ht++) {
	proc = (*ht)->value;
	if (proc->serv != serv)
	    continue;
	proc->serv = NULL;
	if (sig != 0) {
	    proc->kill_signal = sig;
	    if (kill(proc->pid, sig) < 0 && errno != ESRCH)
		msg_warn("kill process %ld: %m", (long) proc->pid);
	}
    }
    myfree(list);
    serv->total_proc = 0;
    serv->avail_proc = 0;
}

/* master_retire_children - children whose status channel is gone */
void    master_retire_children(MASTER_SERV *serv)
{
    HTABLE_INFO **list = master_child_list();
    HTABLE_INFO **ht;
    MASTER_PROC *proc;

    for (ht = list; *ht; ht++) {
	proc = (*ht)->value;
	if (proc->serv != serv || proc->retired)
	    continue;
	if (proc->avail == MASTER_STAT_AVAIL)
	    serv->avail_proc--;
	proc->retired = true;
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
