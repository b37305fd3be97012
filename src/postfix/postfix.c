/*
 * postfix - the Postfix control program
 *
 * SYNOPSIS
 *	postfix [-Dv] [-c config_dir] command [argument ...]
 *
 * DESCRIPTION
 *	This program checks who runs it, reads main.cf, sets up a known
 *	environment and hands the command to $daemon_directory/postfix-script
 *	(a shell script that does the work: check, start, start-fg, stop,
 *	abort, flush, reload, status, set-permissions, upgrade-configuration,
 *	logrotate, tls). With a non-empty multi_instance_directories and no
 *	explicit instance (-c or MAIL_CONFIG), it runs the command in
 *	$multi_instance_wrapper instead, which applies it to every instance.
 *
 *	Options: -c config_dir (absolute pathname; also forces single-instance
 *	operation), -D (run daemons under debugger_command; exported as
 *	MAIL_DEBUG), -v (more verbose; repeatable; exported as MAIL_VERBOSE).
 *
 *	Privileges: the command is meant for the superuser. As root, mail_owner
 *	must be an unprivileged account and setgid_group a group of its own.
 *	An ordinary user may run it only when mail_owner names that user (the
 *	unprivileged mode in which everything runs as one account); anyone
 *	else is told to use sendmail(1).
 *
 *	Environment: after import_environment has filtered the inherited
 *	environment, this program exports PATH, MAIL_CONFIG, MAIL_LOGTAG,
 *	MAIL_VERBOSE (-v), MAIL_DEBUG (-D), POSTLOG_SERVICE and
 *	POSTLOG_HOSTNAME (when maillog_file is set), and the main.cf
 *	parameters in postfix_export_params[] under their own names. The
 *	script runs in $queue_directory when that exists, else in "/".
 *	For "start-fg" the script starts with the default handling of
 *	SIGINT, SIGQUIT and SIGTERM, even when its caller ignores them,
 *	so that it can pass them on to master.
 *
 *	After the privilege checks it prints Postfix's notice when
 *	compatibility_level is below the current level (compat_level(3)).
 *	Before "check", "start" and "start-fg" it rebuilds the missing
 *	indexed files of legacy hash: and btree: tables that main.cf and
 *	master.cf name (nbdb_reindex(3), at non_bdb_migration_level =
 *	enable-reindex; see docs/internals/non-bdb.md), so that commands
 *	such as "postmap -q" answer right after a drop-in on a Postfix
 *	configuration.
 *
 *	Otherwise this program does not check files or talk to master(8)
 *	itself; all of that is in postfix-script, so that administrators
 *	can read it.
 *
 * DIAGNOSTICS
 *	Logging goes to syslog or to the maillog_file service (falling back
 *	to writing $maillog_file directly), and also to standard error when
 *	that is a terminal. Fatal errors: usage, "-c requires absolute
 *	pathname", "malformed compatibility level syntax: \"<value>\"",
 *	the refusal "the postfix command is reserved for the
 *	superuser", bad mail_owner or setgid_group settings in Postfix's
 *	words, an empty multi_instance_wrapper, and a script or wrapper that
 *	cannot be executed. The exit status is that of the script.
 */
#include "sys_defs.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include "argv.h"
#include "clean_env.h"
#include "msg.h"
#include "open_std_fds.h"
#include "msg_output.h"
#include "mymalloc.h"
#include "mypwd.h"
#include "stringops.h"
#include "excerpt.h"
#include "mail_conf.h"
#include "mail_params.h"
#include "maillog_client.h"
#include "compat_level.h"
#include "nbdb_reindex.h"
#include "nbdb_scan.h"

#define POSTFIX_SCRIPT		"postfix-script"
#define POSTFIX_ROOT_PATH	"/bin:/usr/bin:/sbin:/usr/sbin"

 /*
  * main.cf parameters that the script receives as environment variables
  * with the same names. The first group is the list in postfix(1); the
  * rest are what postfix-script needs so that it does not depend on
  * postconf(1) for reading this instance's settings.
  */
static const char *const postfix_export_params[] = {
    "config_directory", "command_directory", "daemon_directory",
    "html_directory", "mail_owner", "mailq_path", "manpage_directory",
    "newaliases_path", "queue_directory", "readme_directory",
    "sendmail_path", "setgid_group", "data_directory",
    "compatibility_level", "meta_directory", "shlib_directory",
    "openssl_path", "sample_directory",
    /* Private to postfix-script. */
    "maillog_file", "maillog_file_compressor", "maillog_file_rotate_suffix",
    "postlog_service_name", "multi_instance_directories",
    "multi_instance_wrapper", "syslog_name",
};

/* postfix_usage - complain about the command line and exit */
static NORETURN postfix_usage(const char *progname)
{
    msg_fatal("usage: %s [-c config_dir] [-Dv] command", progname);
}

/* postfix_setenv - export one variable, fatal on failure */
static void postfix_setenv(const char *name, const char *value)
{
    if (setenv(name, value, 1) < 0)
	msg_fatal("setenv %s: %m", name);
}

/* postfix_main_cf_path - main.cf pathname for diagnostics (static) */
static const char *postfix_main_cf_path(void)
{
    static char *path;

    if (path == NULL)
	path = concatenate(VAR_STR(config_directory), "/", MAIN_CONF_FILE,
			   (char *) 0);
    return path;
}

/* postfix_check_privileged - mail_owner and setgid_group when run as root */
static void postfix_check_privileged(void)
{
    const char *owner = VAR_STR(mail_owner);
    const char *group = VAR_STR(setgid_group);
    MYPWD  *pwd;
    struct group *grp;

    if ((pwd = mypwnam(owner)) == NULL)
	msg_fatal("file %s: parameter mail_owner: unknown user name value: %s",
		  postfix_main_cf_path(), excerpt(owner));
    if (pwd->pw_uid == 0)
	msg_fatal("file %s: parameter mail_owner: user %s has privileged "
		  "user ID", postfix_main_cf_path(), excerpt(owner));
    if ((grp = getgrnam(group)) == NULL)
	msg_fatal("file %s: parameter setgid_group: unknown group name: %s",
		  postfix_main_cf_path(), excerpt(group));
    if (grp->gr_gid == 0)
	msg_fatal("file %s: parameter setgid_group: group %s has privileged "
		  "group ID", postfix_main_cf_path(), excerpt(group));
    if (grp->gr_gid == pwd->pw_gid)
	msg_fatal("file %s: parameters mail_owner and setgid_group: user %s "
		  "and group %s have the same group ID: %ld",
		  postfix_main_cf_path(), excerpt(owner), excerpt(group),
		  (long) grp->gr_gid);
    mypwfree(pwd);
}

/* postfix_check_unprivileged - an ordinary user must be mail_owner */
static void postfix_check_unprivileged(uid_t uid)
{
    MYPWD  *pwd = mypwuid(uid);
    const char *group = VAR_STR(setgid_group);

    if (pwd == NULL || strcmp(pwd->pw_name, VAR_STR(mail_owner)) != 0) {
	msg_error("to submit mail, use the Postfix sendmail command");
	msg_fatal("the postfix command is reserved for the superuser");
    }
    if (getgrnam(group) == NULL)
	msg_fatal("file %s: parameter setgid_group: unknown group name: %s",
		  postfix_main_cf_path(), excerpt(group));
    if (msg_verbose)
	msg_info("running unprivileged as mail_owner %s", pwd->pw_name);
    mypwfree(pwd);
}

/* postfix_import_list - import_environment as a list of entries */
static ARGV *postfix_import_list(void)
{
    ARGV   *fields = argv_split_quoted(VAR_STR(import_environment),
				       CHARS_COMMA_SP, CHARS_BRACE);
    ARGV   *result = argv_alloc(fields->argc + 1);
    const char *err;
    size_t  n;

    for (n = 0; n < fields->argc; n++) {
	char   *field = fields->argv[n];

	if ((err = extpar(&field, CHARS_BRACE, EXTPAR_FLAG_STRIP)) != NULL)
	    msg_fatal("parameter import_environment: %s: \"%s\"", err,
		      excerpt(fields->argv[n]));
	argv_add(result, field, ARGV_END);
    }
    argv_free(fields);
    return result;
}

/* postfix_export - clean the environment and export what the script needs */
static void postfix_export(bool verbose, bool debug)
{
    ARGV   *import = postfix_import_list();
    size_t  n;

    clean_env((const char *const *) import->argv);
    argv_free(import);

    postfix_setenv("PATH", POSTFIX_ROOT_PATH);
    postfix_setenv("MAIL_CONFIG", VAR_STR(config_directory));
    postfix_setenv("MAIL_LOGTAG", VAR_STR(syslog_name));
    if (verbose)
	postfix_setenv("MAIL_VERBOSE", "");
    else
	unsetenv("MAIL_VERBOSE");
    if (debug)
	postfix_setenv("MAIL_DEBUG", "");
    for (n = 0; n < ARRAY_LEN(postfix_export_params); n++) {
	const char *name = postfix_export_params[n];
	char   *value = mail_conf_get_str(name, mail_conf_lookup_raw(name), 0, 0);

	postfix_setenv(name, value);
	myfree(value);
    }
    if (*VAR_STR(maillog_file) != 0) {
	char   *service = concatenate(VAR_STR(queue_directory), "/public/",
				   VAR_STR(postlog_service_name), (char *) 0);

	postfix_setenv("POSTLOG_SERVICE", service);
	postfix_setenv("POSTLOG_HOSTNAME", VAR_STR(myhostname));
	myfree(service);
    } else {
	unsetenv("POSTLOG_SERVICE");
	unsetenv("POSTLOG_HOSTNAME");
    }
}

/* postfix_reindex - rebuild missing hash: and btree: files before a start */
static void postfix_reindex(const char *command)
{
    char   *master_cf;
    ARGV   *tables;

    if (strcmp(command, "check") != 0 && strcmp(command, "start") != 0
	&& strcmp(command, "start-fg") != 0)
	return;
    master_cf = concatenate(VAR_STR(config_directory), "/", MASTER_CONF_FILE,
			    (char *) 0);
    tables = nbdb_scan_tables(access(master_cf, R_OK) == 0 ? master_cf : NULL);
    (void) nbdb_reindex_list(tables);
    argv_free(tables);
    myfree(master_cf);
}

/* postfix_run_wrapper - hand the command to the multi-instance manager */
static NORETURN postfix_run_wrapper(char **command)
{
    const char *wrapper = VAR_STR(multi_instance_wrapper);
    ARGV   *args;

    if (*wrapper == 0)
	msg_fatal("multi-instance support is requested, but %s is empty",
		  PARAM_NAME(multi_instance_wrapper));
    args = argv_split(wrapper, CHARS_SPACE);
    for (; *command != NULL; command++)
	argv_add(args, *command, ARGV_END);
    execvp(args->argv[0], args->argv);
    msg_fatal("%s: %m", args->argv[0]);
}

/* postfix_run_script - hand the command to postfix-script */
static NORETURN postfix_run_script(char **command)
{
    char   *script = concatenate(VAR_STR(daemon_directory), "/",
				 POSTFIX_SCRIPT, (char *) 0);
    ARGV   *args = argv_alloc(4);

    argv_add(args, script, ARGV_END);
    for (; *command != NULL; command++)
	argv_add(args, *command, ARGV_END);

    /*
     * "start-fg" stops master when it gets an interrupt or a TERM. A
     * shell cannot trap a signal that was already ignored when it
     * started (as it is for anything started in the background of a
     * non-interactive shell), so give the script the defaults.
     */
    if (args->argc > 1 && strcmp(args->argv[1], "start-fg") == 0) {
	(void) signal(SIGINT, SIG_DFL);
	(void) signal(SIGQUIT, SIG_DFL);
	(void) signal(SIGTERM, SIG_DFL);
    }
    execv(script, args->argv);
    msg_fatal("%s: %m", script);
}

/* main - parse options, check privileges, run the script or the wrapper */
int     main(int argc, char **argv)
{
    const char *progname = base_name(argv[0]);
    bool    single_instance = false;
    bool    verbose = false;
    bool    debug = false;
    uid_t   uid;
    int     ch;

    open_std_fds();
    umask(022);
    msg_syslog_init("postfix", LOG_PID);
    if (isatty(STDERR_FILENO))
	msg_stderr_init(progname);

    /* An inherited MAIL_CONFIG names one instance, as -c does. */
    if (getenv("MAIL_CONFIG") != NULL && *getenv("MAIL_CONFIG") != 0)
	single_instance = true;

    while ((ch = getopt(argc, argv, "+c:Dv")) != -1) {
	switch (ch) {
	case 'c':
	    if (*optarg != '/')
		msg_fatal("-c requires absolute pathname");
	    mail_conf_set_dir(optarg);
	    single_instance = true;
	    break;
	case 'D':
	    debug = true;
	    break;
	case 'v':
	    msg_verbose++;
	    verbose = true;
	    break;
	default:
	    postfix_usage(progname);
	}
    }
    if (optind >= argc)
	postfix_usage(progname);

    mail_conf_read();
    uid = getuid();
    if (uid != 0 || geteuid() != 0)
	postfix_check_unprivileged(uid != 0 ? uid : geteuid());
    else
	postfix_check_privileged();
    maillog_client_init(progname, MAILLOG_CLIENT_FLAG_LOGWRITER_FALLBACK);
    compat_level_notice();

    if (single_instance || *VAR_STR(multi_instance_directories) == 0)
	postfix_reindex(argv[optind]);
    postfix_export(verbose, debug);
    if (chdir(VAR_STR(queue_directory)) < 0) {
	if (errno != ENOENT && errno != ENOTDIR)
	    msg_fatal("chdir %s: %m", VAR_STR(queue_directory));
	if (chdir("/") < 0)
	    msg_fatal("chdir /: %m");
    }
    if (!single_instance && *VAR_STR(multi_instance_directories) != 0)
	postfix_run_wrapper(argv + optind);
    postfix_run_script(argv + optind);
}
