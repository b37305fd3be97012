/*
 * master - the Postfix-compatible master process
 *
 * SYNOPSIS
 *	master [-Ddistvw] [-c config_dir] [-e exit_time]
 *
 * DESCRIPTION
 *	master(8) is the resident process that runs the mail system's
 *	daemons on demand, as master.cf describes them; see
 *	docs/man/master.8 for the user's view and
 *	docs/internals/master-protocol.md for the protocol between
 *	master(8) and its children. This file holds main(): options,
 *	start-up (locks, detaching, logging), the main loop, and
 *	termination. The other master_*.c files do the rest (see
 *	master.h).
 *
 *	Start-up order: options; with -w, fork the foreground monitor;
 *	read main.cf and set up logging; clean the environment
 *	($import_environment); chdir to the queue directory; lock
 *	pid/master.pid (write our pid into it) and
 *	$data_directory/master.lock; create the flow-control pipe; start
 *	every master.cf service; detach from the terminal (unless -d, -s
 *	or -i keep descriptors); log "daemon started"; tell the monitor.
 *	Errors before detaching also go to standard error.
 *
 *	Privileges: as root, master(8) stays root and the daemons give
 *	up privileges as master.cf says. Run by another user it works in
 *	unprivileged mode: mail_owner must be that user, and everything
 *	runs as that user (DESIGN.md section 5).
 *
 *	Signals: SIGHUP reloads main.cf and master.cf ("reload --
 *	version ..."). SIGTERM stops in order: master(8) closes and
 *	removes its listeners, sends SIGTERM to its children, waits up to
 *	10 seconds for them (then SIGKILL), and terminates with the
 *	signal. SIGINT and SIGQUIT abort: children get SIGKILL at once.
 *	When master(8) leads its own process group, the group also gets
 *	SIGTERM, so that grandchildren (pipe(8) commands, say) stop too.
 *	Both then log "terminating on signal <n>", last, so that the
 *	record goes straight to $maillog_file once postlogd is gone.
 *
 * DIAGNOSTICS
 *	Fatal (Postfix's words where Postfix has them): "usage: ...",
 *	"the -t and -w options cannot be used together", "the -i option
 *	cannot be used with -D, -d, or -w", "-i is allowed only for PID 1
 *	process", "the master command must not run as a set-uid process",
 *	"the Postfix mail system is already running" (the pid file is
 *	locked), "open lock file <path>: <reason>", "cannot update lock
 *	file <path>: <error>", "chdir <dir>: <error>", "unable to set
 *	session and process group ID: <error>". Info: "daemon started --
 *	version <v>, configuration <dir>", "reload -- version <v>,
 *	configuration <dir>", "terminating on signal <n>", "master exit
 *	time has arrived".
 */
#include "sys_defs.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "msg.h"
#include "open_std_fds.h"
#include "msg_output.h"
#include "mymalloc.h"
#include "stringops.h"
#include "excerpt.h"
#include "argv.h"
#include "vstring.h"
#include "vstream.h"
#include "events.h"
#include "iostuff.h"
#include "myflock.h"
#include "open_lock.h"
#include "clean_env.h"
#include "set_eugid.h"
#include "watchdog.h"
#include "mail_conf.h"
#include "mail_params.h"
#include "mail_params_default.h"
#include "maillog_client.h"
#include "debug_process.h"
#include "master_proto.h"
#include "master.h"

#define MASTER_INIT_TIMEOUT	100	/* -w: seconds to wait for start-up */
#define MASTER_WATCHDOG_TIME	1000	/* seconds without progress */
#define MASTER_STOP_TIMEOUT	10	/* SIGTERM: seconds for children */
#define MASTER_PID_FILE		"pid/master.pid"

static VSTREAM *master_lock_fp;		/* pid/master.pid */
static VSTREAM *master_data_lock_fp;	/* $data_directory/master.lock */

/* master_usage - complain about the command line */
static NORETURN master_usage(const char *me)
{
    msg_fatal("usage: %s [-c config_dir] [-D (debug)] [-d (don't detach "
	      "from terminal)] [-e exit_time] [-i (init mode)] [-s (keep "
	      "stdout)] [-t (test)] [-v] [-w (wait for initialization)]", me);
}

/* master_exit_event - the -e time is up */
static void master_exit_event(int event, void *context)
{
    (void) event;
    (void) context;
    msg_info("master exit time has arrived");
    exit(0);
}

/* master_test_lock - -t: exit 0 when no master runs */
static NORETURN master_test_lock(void)
{
    VSTRING *why = vstring_alloc(100);
    char   *path;
    VSTREAM *fp;

    mail_conf_read();
    path = concatenate(VAR_STR(queue_directory), "/", MASTER_PID_FILE,
		       (char *) 0);
    if (access(path, F_OK) < 0)
	exit(0);
    /* A shared lock: concurrent tests must not see each other. */
    fp = open_lock(path, O_RDWR, 0644, MYFLOCK_STYLE_FLOCK,
		   MYFLOCK_OP_SHARED | MYFLOCK_OP_NOWAIT, why);
    exit(fp != NULL ? 0 : 1);
}

/* master_open_lock - lock a file, riding out a concurrent "master -t" */
static VSTREAM *master_open_lock(const char *path, VSTRING *why)
{
    const struct timespec pause = {0, 10 * 1000 * 1000};
    VSTREAM *fp;
    int     tries;

    /* A "master -t" holds its shared lock for a moment only. */
    for (tries = 0; tries < 20; tries++) {
	fp = open_lock(path, O_RDWR | O_CREAT, 0644, MYFLOCK_STYLE_FLOCK,
		       MYFLOCK_OP_EXCLUSIVE | MYFLOCK_OP_NOWAIT, why);
	if (fp != NULL || errno != EAGAIN)
	    break;
	nanosleep(&pause, NULL);
    }
    return fp;
}

/* master_write_pid - put our pid into a lock file */
static void master_write_pid(VSTREAM *fp, const char *path)
{
    if (vstream_fseek(fp, 0, SEEK_SET) < 0
	|| ftruncate(vstream_fileno(fp), 0) < 0)
	msg_fatal("cannot update lock file %s: %m", path);
    vstream_fprintf(fp, "%*lu\n", (int) sizeof(unsigned long) * 4,
		    (unsigned long) getpid());
    if (vstream_fflush(fp) != 0)
	msg_fatal("cannot update lock file %s: %m", path);
}

/* master_lock - lock the pid file and the data directory */
static void master_lock(void)
{
    VSTRING *why = vstring_alloc(100);
    char   *data_path;

    master_lock_fp = master_open_lock(MASTER_PID_FILE, why);
    if (master_lock_fp == NULL) {
	if (errno == EAGAIN)
	    msg_fatal("the Postfix mail system is already running");
	msg_fatal("open lock file %s: %s", MASTER_PID_FILE, vstring_str(why));
    }
    master_write_pid(master_lock_fp, MASTER_PID_FILE);

    data_path = concatenate(var_master_data_dir, "/master.lock", (char *) 0);
    if (master_privileged)
	set_eugid(var_master_owner_uid, var_master_owner_gid);
    master_data_lock_fp = master_open_lock(data_path, why);
    if (master_privileged)
	set_eugid(0, 0);
    if (master_data_lock_fp == NULL) {
	if (errno == EAGAIN)
	    msg_fatal("the Postfix mail system is already running");
	msg_fatal("open lock file %s: %s", data_path, vstring_str(why));
    }
    master_write_pid(master_data_lock_fp, data_path);
    myfree(data_path);
    vstring_free(why);
}

/* master_detach_stdio - point descriptors 0-2 at /dev/null */
static void master_detach_stdio(bool keep_stdout)
{
    int     fd;
    int     null_fd;

    if ((null_fd = open("/dev/null", O_RDWR)) < 0)
	msg_fatal("open /dev/null: %m");
    for (fd = 0; fd < 3; fd++) {
	if (fd == STDOUT_FILENO && keep_stdout)
	    continue;
	if (dup2(null_fd, fd) < 0)
	    msg_fatal("dup2 /dev/null: %m");
    }
    if (null_fd > 2)
	(void) close(null_fd);
}

/* master_reap_until - reap children until none is left or time is up */
static void master_reap_until(time_t deadline)
{
    struct timespec ts = {0, 50 * 1000 * 1000};

    for (;;) {
	master_reap_child();
	if (master_child_count() == 0 || time(NULL) >= deadline)
	    return;
	(void) nanosleep(&ts, NULL);
    }
}

/* master_signal_group - signal all children, and their children */
static void master_signal_group(int sig)
{
    master_signal_children(sig);

    /*
     * When we lead our process group, the whole group gets the signal
     * (we ignore it ourselves meanwhile), so that grandchildren stop
     * too; SIGKILL cannot be ignored, so they get SIGTERM instead.
     * Never in init mode: there, "our group" may be everything.
     */
    if (!master_init_mode && getpgrp() == getpid()) {
	signal(SIGTERM, SIG_IGN);
	if (kill(-getpgrp(), SIGTERM) < 0 && errno != ESRCH)
	    msg_warn("kill process group: %m");
    }
}

/* master_terminate - stop (SIGTERM) or abort (other signals) */
static NORETURN master_terminate(int sig)
{
    master_sig_reset();
    signal(SIGHUP, SIG_IGN);
    master_config_stop();
    if (sig == SIGTERM) {
	master_signal_group(SIGTERM);
	master_reap_until(time(NULL) + MASTER_STOP_TIMEOUT);
	if (master_child_count() > 0)
	    master_signal_group(SIGKILL);
    } else {
	master_signal_group(SIGKILL);
    }
    master_reap_until(time(NULL) + 2);

    /*
     * Log last: postlogd has written what it had, and with the postlog
     * socket gone, this record goes straight to $maillog_file.
     */
    msg_info("terminating on signal %d", sig);
    signal(sig, SIG_DFL);
    (void) kill(getpid(), sig);
    exit(1);
}

/* master_close_inherited - drop descriptors that our parent leaked */
static void master_close_inherited(void)
{
    open_std_fds();
    closefrom(3);
}

/* main - the master process */
int     main(int argc, char **argv)
{
    const char *progname;
    ARGV   *import_env;
    WATCHDOG *watchdog;
    bool    debug_me = getenv("MAIL_DEBUG") != NULL;
    bool    test_lock = false;
    bool    wait_flag = false;
    bool    keep_stdout = false;
    const char *config_dir = NULL;
    int     exit_time = 0;
    int     monitor_fd = -1;
    int     ch;

    umask(077);
    master_close_inherited();
    signal(SIGPIPE, SIG_IGN);
    progname = base_name(argv[0]);
    mail_params_set_process_name(progname);
    msg_stderr_init(progname);
    if (getenv("MAIL_VERBOSE") != NULL)
	msg_verbose = 1;

    while ((ch = getopt(argc, argv, "+c:Dde:istvw")) != -1) {
	switch (ch) {
	case 'c':
	    config_dir = optarg;
	    mail_conf_set_dir(optarg);
	    break;
	case 'D':
	    debug_me = true;
	    break;
	case 'd':
	    master_detach = false;
	    break;
	case 'e':
	    if (!alldig(optarg) || (exit_time = atoi(optarg)) <= 0)
		msg_fatal("bad -e exit time: %s", excerpt(optarg));
	    break;
	case 'i':
	    master_init_mode = true;
	    break;
	case 's':
	    keep_stdout = true;
	    break;
	case 't':
	    test_lock = true;
	    break;
	case 'v':
	    msg_verbose++;
	    break;
	case 'w':
	    wait_flag = true;
	    break;
	default:
	    master_usage(argv[0]);
	}
    }
    if (argc > optind)
	master_usage(argv[0]);
    if (test_lock && wait_flag)
	msg_fatal("the -t and -w options cannot be used together");
    if (master_init_mode && (debug_me || !master_detach || wait_flag))
	msg_fatal("the -i option cannot be used with -D, -d, or -w");
    if (master_init_mode && getpid() != 1)
	msg_fatal("-i is allowed only for PID 1 process");
    if (test_lock)
	master_test_lock();
    if (clean_env_unsafe())
	msg_fatal("the master command must not run as a set-uid process");
    master_privileged = (getuid() == 0);

    if (wait_flag)
	monitor_fd = master_monitor(MASTER_INIT_TIMEOUT);

    /*
     * Configuration, environment, locks, listeners. Until we detach,
     * problems also show on standard error.
     */
    master_vars_init();
    import_env = argv_split(VAR_STR(import_environment), CHARS_COMMA_SP);
    clean_env((const char *const *) import_env->argv);
    argv_free(import_env);
    /* Children must read the same configuration, whatever the filter. */
    if (config_dir != NULL && setenv("MAIL_CONFIG", config_dir, 1) < 0)
	msg_fatal("setenv: %m");
    if (chdir(var_master_queue_dir) < 0)
	msg_fatal("chdir %s: %m", var_master_queue_dir);
    master_lock();
    master_flow_init();
    if (master_detach && !master_init_mode && !debug_me
	&& setsid() < 0 && getsid(0) != getpid())
	msg_fatal("unable to set session and process group ID: %m");
    master_sig_init();
    master_config_start();

    if (master_detach)
	master_detach_stdio(keep_stdout || master_init_mode);
    if (master_detach || master_init_mode)
	msg_stderr_enable(false);
    msg_info("daemon started -- version %s, configuration %s",
	     VAR_STR(mail_version), var_master_config_dir);
    if (debug_me)
	debug_process();
    if (monitor_fd >= 0) {
	if (write(monitor_fd, "", 1) != 1)
	    msg_warn("cannot notify the foreground process: %m");
	(void) close(monitor_fd);
    }
    if (exit_time > 0)
	events_request_timer(master_exit_event, NULL, exit_time);

    /*
     * The main loop: events first, then what the signals asked for.
     */
    watchdog = watchdog_create(MASTER_WATCHDOG_TIME, NULL, NULL);
    for (;;) {
	watchdog_start(watchdog);
	events_loop(MASTER_WATCHDOG_TIME / 2);
	if (master_gotsigdeath)
	    master_terminate(master_gotsigdeath);
	if (master_gotsighup) {
	    master_gotsighup = 0;
	    msg_info("reload -- version %s, configuration %s",
		     VAR_STR(mail_version), var_master_config_dir);
	    master_vars_init();
	    (void) master_config_refresh();
	}
	if (master_gotsigchld) {
	    master_gotsigchld = 0;
	    master_reap_child();
	}
    }
}
