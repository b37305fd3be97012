/*
 * postkick - send a trigger request to a Postfix service
 *
 * SYNOPSIS
 *	postkick [-c config_dir] [-v] class service request
 *
 * DESCRIPTION
 *	postkick sends the bytes of request to the local endpoint
 *	$queue_directory/class/service, so that shell scripts can wake up
 *	a daemon: "postkick public pickup W", "postkick public qmgr I".
 *	class is normally public or private. What a request means is up
 *	to the service; the queue manager, for example, knows W (wake
 *	up), I (scan the incoming queue), D (deferred queue), A (ignore
 *	delivery backoff) and F (flush dead destinations).
 *
 *	The request goes out with mail_trigger_flags(3), the code that
 *	postdrop and cleanup use to wake services: the endpoint's file
 *	type decides how it is reached (a FIFO with fifo_trigger(), a
 *	UNIX-domain socket with unix_trigger(), see trigger(3)), within
 *	trigger_timeout. postkick runs in the queue directory, so the
 *	endpoint is named class/service in messages. The request is sent
 *	as is, without a terminator; postkick does not wait for an answer.
 *
 *	Options: -c config_dir (read main.cf there), -v (more verbose;
 *	MAIL_VERBOSE in the environment does the same). After main.cf is
 *	read, the name=value entries of import_environment are set in
 *	the environment.
 *
 *	This program needs no privileges; whether the caller may write to
 *	the endpoint is up to its file permissions.
 *
 * DIAGNOSTICS
 *	Problems go to standard error. Exit status 0 when the request was
 *	delivered to the endpoint; 1 otherwise, after the warnings
 *	"unable to look up <class>/<service>: <error>" or "<class>/<service>
 *	is not a socket or a fifo" (when that is the reason), and "Cannot
 *	contact class <class> service <service> - perhaps the mail system
 *	is down". Fatal (exit 1): usage, main.cf errors, "chdir
 *	<queue_directory>: <error>".
 */
#include "sys_defs.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "msg.h"
#include "open_std_fds.h"
#include "msg_output.h"
#include "argv.h"
#include "clean_env.h"
#include "stringops.h"
#include "excerpt.h"
#include "mail_trigger.h"
#include "mail_conf.h"
#include "mail_params.h"
#include "mail_parm_split.h"

/* postkick_usage - explain and exit */
static NORETURN postkick_usage(const char *progname)
{
    msg_fatal("usage: %s [-c config_dir] [-v] class service request", progname);
}

/* main - parse, configure, kick */
int     main(int argc, char **argv)
{
    const char *progname = "postkick";
    ARGV   *import_env;
    int     ch;

    open_std_fds();
    msg_stderr_init(progname);
    argv[0] = (char *) progname;		/* also for getopt() messages */
    if (getenv("MAIL_VERBOSE") != NULL)
	msg_verbose = 1;

    while ((ch = getopt(argc, argv, "+c:v")) != -1) {
	switch (ch) {
	case 'c':
	    mail_conf_set_dir(optarg);
	    break;
	case 'v':
	    msg_verbose++;
	    break;
	default:
	    postkick_usage(progname);
	}
    }
    if (argc - optind != 3)
	postkick_usage(progname);

    mail_conf_read();
    import_env = mail_parm_split("import_environment",
				 VAR_STR(import_environment));
    update_env((const char *const *) import_env->argv);
    argv_free(import_env);
    if (chdir(VAR_STR(queue_directory)) < 0)
	msg_fatal("chdir %s: %m", VAR_STR(queue_directory));

    /* A server that goes away mid-write must not kill us silently. */
    signal(SIGPIPE, SIG_IGN);
    if (mail_trigger_flags(argv[optind], argv[optind + 1], argv[optind + 2],
			   strlen(argv[optind + 2]),
			   MAIL_TRIGGER_FLAG_CALLER_REPORTS) < 0) {
	msg_warn("Cannot contact class %s service %s - perhaps the mail system is down",
		 excerpt(argv[optind]), excerpt(argv[optind + 1]));
	exit(1);
    }
    if (msg_verbose)
	msg_info("sent request \"%s\" to %s/%s", excerpt(argv[optind + 2]),
		 excerpt(argv[optind]), excerpt(argv[optind + 1]));
    exit(0);
}
