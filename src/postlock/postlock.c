/*
 * postlock - lock a mailbox file and run a command while it is locked
 *
 * SYNOPSIS
 *	postlock [-c config_dir] [-l lock_style] [-v] file command...
 *
 * DESCRIPTION
 *	postlock opens file (creating it, mode 0600, when it does not
 *	exist), locks it with the methods of mailbox_delivery_lock (or of
 *	the -l option: a list of flock, fcntl and dotlock), runs command
 *	(directly with execvp(), no shell) and releases the locks when the
 *	command has ended. The locking is that of the local(8) delivery
 *	agent, see mbox_lock(3), so a command such as a mail reader's
 *	helper can safely rewrite the mailbox.
 *
 *	Options: -c config_dir (read main.cf there), -l lock_style,
 *	-v (more verbose; MAIL_VERBOSE in the environment does the same).
 *	After main.cf is read, the name=value entries of
 *	import_environment are set in the environment.
 *
 *	The command runs in a child process while postlock itself holds
 *	the locks (fcntl() locks belong to a process). The mailbox
 *	descriptor is not passed to the command.
 *
 *	This program does not write to the file and does not run with
 *	privileges; the caller needs read/write access to the file (and
 *	write access to its directory for dotlock).
 *
 * DIAGNOSTICS
 *	Problems go to standard error. The exit status is that of the
 *	command (1 when it was killed by a signal, or when it could not
 *	be executed: "execvp <command>: <error>"), or 75 (EX_TEMPFAIL)
 *	when postlock itself fails: usage, "unknown mailbox_delivery_lock
 *	value ...", "open file <file>: <reason>" (including a lock that
 *	stayed busy for deliver_lock_attempts tries), fork failure after
 *	fork_attempts tries.
 */
#include "sys_defs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sysexits.h>
#include <unistd.h>

#include "msg.h"
#include "open_std_fds.h"
#include "msg_output.h"
#include "mymalloc.h"
#include "argv.h"
#include "clean_env.h"
#include "vstring.h"
#include "mail_conf.h"
#include "mail_params.h"
#include "mail_parm_split.h"
#include "mbox_lock.h"

static MBOX_LOCK *postlock_mbox;	/* locked mailbox, or NULL */

/* postlock_tempfail - every failure of postlock itself is temporary */
static void postlock_tempfail(void)
{
    if (postlock_mbox != NULL) {
	(void) mbox_lock_close(postlock_mbox);
	postlock_mbox = NULL;
    }
    exit(EX_TEMPFAIL);
}

/* postlock_usage - explain and exit */
static NORETURN postlock_usage(const char *progname)
{
    msg_fatal("usage: %s [-c config_dir] [-l lock_style] [-v] folder command...",
	      progname);
}

/* postlock_run - fork, execute the command, return its exit status */
static int postlock_run(char **command)
{
    pid_t   pid;
    int     status;
    int     count;

    for (count = 1; (pid = fork()) < 0; count++) {
	msg_warn("fork %s: %m", command[0]);
	if (count >= VAR_INT(fork_attempts))
	    msg_fatal("fork %s: giving up after %d attempts", command[0], count);
	sleep((unsigned) VAR_TIME(fork_delay));
    }
    if (pid == 0) {
	(void) msg_cleanup(NULL);
	execvp(command[0], command);
	msg_fatal("execvp %s: %m", command[0]);
    }
    while (waitpid(pid, &status, 0) < 0)
	if (errno != EINTR)
	    msg_fatal("waitpid: %m");
    return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

/* main - parse, lock, run, unlock */
int     main(int argc, char **argv)
{
    const char *progname = "postlock";
    const char *lock_style = NULL;
    const char *folder;
    ARGV   *import_env;
    VSTRING *why;
    int     lock_mask;
    int     exit_status;
    int     ch;

    umask(022);
    open_std_fds();
    msg_stderr_init(progname);
    (void) msg_cleanup(postlock_tempfail);
    if (getenv("MAIL_VERBOSE") != NULL)
	msg_verbose = 1;

    /* "+": options of the command are not ours. */
    while ((ch = getopt(argc, argv, "+c:l:v")) != -1) {
	switch (ch) {
	case 'c':
	    mail_conf_set_dir(optarg);
	    break;
	case 'l':
	    lock_style = optarg;
	    break;
	case 'v':
	    msg_verbose++;
	    break;
	default:
	    postlock_usage(argv[0]);
	}
    }
    if (argc - optind < 2)
	postlock_usage(argv[0]);
    folder = argv[optind];

    mail_conf_read();
    import_env = mail_parm_split("import_environment",
				 VAR_STR(import_environment));
    update_env((const char *const *) import_env->argv);
    argv_free(import_env);

    why = vstring_alloc(100);
    if (lock_style == NULL)
	lock_style = VAR_STR(mailbox_delivery_lock);
    if ((lock_mask = mbox_lock_mask(lock_style, why)) < 0)
	msg_fatal("%s", vstring_str(why));
    if ((postlock_mbox = mbox_lock_open(folder, O_APPEND | O_WRONLY | O_CREAT,
			     S_IRUSR | S_IWUSR, NULL, (uid_t) -1, (gid_t) -1,
			     lock_mask, why)) == NULL)
	msg_fatal("open file %s: %s", folder, vstring_str(why));
    if (msg_verbose)
	msg_info("locked %s (%s)", folder, lock_style);
    vstring_free(why);

    exit_status = postlock_run(argv + optind + 1);
    (void) mbox_lock_close(postlock_mbox);
    postlock_mbox = NULL;
    exit(exit_status);
}
