/*
 * spawn - run an external command for each connection (inetd-like)
 *
 * SYNOPSIS
 *	spawn [generic daemon options] user=username[:groupname]
 *		argv=command [argument...]
 *
 * DESCRIPTION
 *	spawn(8) is a single_server(3) daemon, as Postfix's spawn: for each
 *	connection that master(8) hands over (a UNIX-domain or TCP socket)
 *	it runs the master.cf command with its standard input, output and
 *	error connected to that connection, waits for it, and takes the
 *	next connection. A typical use is a policy server written for
 *	standard input and output (SMTPD_POLICY_README) behind
 *	check_policy_service unix:private/<service>.
 *
 *	For each connection:
 *
 *	-  The command attributes are parsed (spawn_attr(3)); a missing or
 *	   bad attribute is a fatal error, so that master(8) logs the
 *	   failure and throttles the service.
 *	-  The time limit is $<service>_time_limit (default
 *	   $command_time_limit, at least 1s).
 *	-  The command runs with spawn_command(3): in the queue directory,
 *	   in a session of its own, with the user and group ids of user=
 *	   (as root; otherwise with spawn's own ids and a warning, as in
 *	   the unprivileged mode of DESIGN.md section 5), an environment
 *	   of $export_environment plus PATH=/usr/bin:/bin (set last, as
 *	   Postfix does), no other open descriptors, and a connection in
 *	   blocking mode (as any program expects of its standard input and
 *	   output, whatever the stream timeouts did to it). The program is
 *	   found with execvp(3) on that PATH; no shell sees the arguments.
 *	-  When the time limit passes, the command's whole process group
 *	   is killed (SIGKILL), so that a grandchild that holds the
 *	   connection open goes too (Postfix kills only the command).
 *
 *	spawn(8) never reads or writes the connection itself, and limits
 *	nothing but the command's run time (no resource limits, no
 *	concurrency beyond the master.cf process limit).
 *
 * DIAGNOSTICS
 *	Fatal, in Postfix's words: "service <name> requires privileged
 *	operation" (master.cf unprivileged field not n), the spawn_attr(3)
 *	and command_user(3) reasons, and bad time limit values.
 *	Warnings: "command <program> exit status <n>", "command <program>
 *	killed by signal <n>", "<program>: process id <pid>: command time
 *	limit exceeded", and "spawn_command: <reason>" when the command
 *	could not be started (the exit status line follows; it is 127
 *	where Postfix's child exits with status 1). Once per process when
 *	not running as root: "not running as root: command runs with user
 *	id <uid>, not <user= uid>".
 */
#include "sys_defs.h"

#include <unistd.h>

#include "argv.h"
#include "iostuff.h"
#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "vstream.h"
#include "vstring.h"
#include "spawn_command.h"
#include "mail_conf.h"
#include "mail_params.h"
#include "mail_parm_split.h"
#include "single_server.h"
#include "spawn_attr.h"

#define SPAWN_TIME_LIMIT_SUFFIX	"_time_limit"
#define SPAWN_PATH		"PATH=/usr/bin:/bin"

/* spawn_time_limit - $<service>_time_limit, default $command_time_limit */
static int spawn_time_limit(const char *service)
{
    char   *name = concatenate(service, SPAWN_TIME_LIMIT_SUFFIX, (char *) 0);
    char   *defval = concatenate("$", PARAM_NAME(command_time_limit),
				 (char *) 0);
    int     limit;

    limit = mail_conf_get_time(name, defval, 's', 1, 0);
    myfree(defval);
    myfree(name);
    return limit;
}

/* spawn_report - log how the command ended, when that was not normal */
static void spawn_report(const char *program, const SPAWN_STATUS *status)
{
    if (status->timed_out)
	msg_warn("%s: process id %ld: command time limit exceeded",
		 program, (long) status->pid);
    else if (status->signaled)
	msg_warn("command %s killed by signal %d", program, status->signal);
    else if (status->exited && status->exit_code != 0)
	msg_warn("command %s exit status %d", program, status->exit_code);
    else if (msg_verbose)
	msg_info("command %s exit status 0", program);
}

/* spawn_service - run the command on one connection */
static void spawn_service(VSTREAM *client, const char *service, char **argv)
{
    static const char *const env[] = {SPAWN_PATH, 0};
    static bool warned_unprivileged;
    SPAWN_ATTR attr;
    SPAWN_COMMAND request;
    SPAWN_STATUS status;
    VSTRING *why = vstring_alloc(100);
    ARGV   *export_list;
    int     fd = vstream_fileno(client);

    if (!spawn_attr_parse(argv, VAR_STR(mail_owner), &attr, why))
	msg_fatal("%s", vstring_str(why));
    export_list = mail_parm_split(PARAM_NAME(export_environment),
				  VAR_STR(export_environment));

    /*
     * The stream's deadlines made the descriptor non-blocking; the
     * command expects ordinary blocking standard input and output (and
     * the flag belongs to the shared open file, not to our descriptor).
     */
    if (non_blocking(fd, BLOCKING) < 0)
	msg_warn("make connection blocking: %m");

    spawn_command_init(&request);
    request.argv = (const char *const *) attr.argv->argv;
    request.export_list = (const char *const *) export_list->argv;
    request.env = env;
    request.stdin_fd = request.stdout_fd = request.stderr_fd = fd;
    request.time_limit = spawn_time_limit(service);
    if (geteuid() == 0) {
	request.uid = attr.uid;
	request.gid = attr.gid;
    } else if (!warned_unprivileged) {
	msg_warn("not running as root: command runs with user id %ld, "
		 "not %ld", (long) geteuid(), (long) attr.uid);
	warned_unprivileged = true;
    }
    if (msg_verbose)
	msg_info("%s: running %s as uid=%ld gid=%ld, time limit %ds",
		 service, attr.argv->argv[0],
		 (long) (request.uid != (uid_t) -1 ? request.uid : geteuid()),
		 (long) (request.gid != (gid_t) -1 ? request.gid : getegid()),
		 request.time_limit);

    if (!spawn_command(&request, &status, why))
	msg_warn("spawn_command: %s", vstring_str(why));
    if (status.pid > 0)
	spawn_report(attr.argv->argv[0], &status);

    argv_free(export_list);
    spawn_attr_free(&attr);
    vstring_free(why);
}

/* main - hand over to the skeleton */
int     main(int argc, char **argv)
{
    static const MAIL_SERVER_OPTS opts = {
	.flags = MAIL_SERVER_FLAG_PRIVILEGED,
    };

    single_server_main(argc, argv, spawn_service, &opts);
}
