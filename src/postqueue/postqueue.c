/*
 * postqueue - list or flush the mail queue
 *
 * SYNOPSIS
 *	postqueue [-v] [-c config_dir] -f
 *	postqueue [-v] [-c config_dir] -i queue_id
 *	postqueue [-v] [-c config_dir] -j
 *	postqueue [-v] [-c config_dir] -p
 *	postqueue [-v] [-c config_dir] -s site
 *
 * DESCRIPTION
 *	The command of docs/man/man1/postqueue.1; mailq(1) and sendmail
 *	-bp run "postqueue -p", sendmail -q runs "postqueue -f".
 *
 *	-p and -j list the queue (postqueue_show(3)) for the users that
 *	authorized_mailq_users allows. -f asks qmgr(8) to deliver all
 *	queued mail, with the trigger Postfix's postqueue sends: "FADI"
 *	(forget dead destinations, ignore backoff, scan deferred and
 *	incoming) on public/$queue_service_name, then "W" on
 *	public/$pickup_service_name; for the users that
 *	authorized_flush_users allows. -s asks flush(8) to deliver the
 *	mail recorded for a site (it must match fast_flush_domains), -i
 *	one deferred message (flush_clnt(3)); the same users may.
 *
 *	postqueue is meant to be set-gid $setgid_group, so that it can
 *	reach the public services. Then, as postdrop(1): the environment
 *	is cleaned, a non-default configuration directory (-c or
 *	MAIL_CONFIG) must be listed in the default main.cf
 *	(mail_conf_checkdir(3)) unless the invoker is root, and -v works
 *	for root only.
 *
 * DIAGNOSTICS
 *	Problems go to standard error and to the mail log. As Postfix's
 *	postqueue, every fatal error exits with status 69
 *	(EX_UNAVAILABLE): "usage: postqueue -f | postqueue -i queueid |
 *	postqueue -j | postqueue -p | postqueue -s site", "User <login>(
 *	<uid>) is not allowed to view the mail queue", "User <login>(<uid>)
 *	is not allowed to flush the mail queue", "Cannot flush mail queue
 *	- mail system is down" (qmgr or flush(8) unreachable: flush_clnt(3)
 *	warns "connect to public/flush: <error>" first), "Flush service is
 *	not configured for destination \"<site>\"", "Cannot flush mail
 *	queue - invalid destination: \"<site>\"", "Cannot flush queue ID -
 *	invalid name: \"<id>\"", and those of postqueue_show(3).
 */
#include "sys_defs.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "msg.h"
#include "msg_output.h"
#include "mymalloc.h"
#include "open_std_fds.h"
#include "clean_env.h"
#include "stringops.h"
#include "argv.h"
#include "excerpt.h"
#include "vstream.h"
#include "vstring.h"
#include "mail_conf.h"
#include "mail_conf_setgid.h"
#include "mail_params.h"
#include "mail_parm_split.h"
#include "maillog_client.h"
#include "mail_queue.h"
#include "mail_trigger.h"
#include "flush_clnt.h"
#include "user_acl.h"
#include "postel_config.h"
#include "postqueue.h"

#define POSTQUEUE_MODE_NONE	0
#define POSTQUEUE_MODE_LIST	1	/* -p */
#define POSTQUEUE_MODE_JSON	2	/* -j */
#define POSTQUEUE_MODE_FLUSH	3	/* -f */
#define POSTQUEUE_MODE_FILE	4	/* -i */
#define POSTQUEUE_MODE_SITE	5	/* -s */

/* postqueue_usage - explain and exit */
static NORETURN postqueue_usage(void)
{
    msg_fatal_status(EX_UNAVAILABLE, "usage: postqueue -f | postqueue -i "
		     "queueid | postqueue -j | postqueue -p | postqueue -s "
		     "site");
}

/* postqueue_allowed - check an access list for the invoking user */
static void postqueue_allowed(const char *title, const char *list,
			              const char *what)
{
    VSTRING *login = vstring_alloc(32);
    uid_t   uid = getuid();

    user_acl_login(login, uid);
    switch (user_acl_match(title, list, vstring_str(login))) {
    case USER_ACL_ALLOW:
	break;
    case USER_ACL_ERROR:
	msg_fatal_status(EX_UNAVAILABLE, "%s(%ld): unable to check %s",
			 vstring_str(login), (long) uid, title);
    default:
	msg_fatal_status(EX_UNAVAILABLE, "User %s(%ld) is not allowed to %s",
			 vstring_str(login), (long) uid, what);
    }
    vstring_free(login);
}

/* postqueue_flush - ask qmgr to deliver everything now */
static void postqueue_flush(void)
{
    static const char qmgr_request[] = "FADI";

    if (mail_trigger(MAIL_QUEUE_PUBLIC, VAR_STR(queue_service_name),
		     qmgr_request, sizeof(qmgr_request) - 1) < 0)
	msg_fatal_status(EX_UNAVAILABLE,
			 "Cannot flush mail queue - mail system is down");
    /* Mail waiting in the maildrop queue too; pickup's failure is harmless. */
    (void) mail_trigger_flags(MAIL_QUEUE_PUBLIC, VAR_STR(pickup_service_name),
			      "W", 1, MAIL_TRIGGER_FLAG_CALLER_REPORTS);
}

/* postqueue_flush_failed - the fatal error for a failed flush request */
static NORETURN postqueue_flush_failed(int status, bool site,
				               const char *arg)
{
    switch (status) {
    case FLUSH_STAT_BAD:
	if (site)
	    msg_fatal_status(EX_UNAVAILABLE, "Cannot flush mail queue - "
			     "invalid destination: \"%s\"", excerpt(arg));
	msg_fatal_status(EX_UNAVAILABLE, "Cannot flush queue ID - invalid "
			 "name: \"%s\"", excerpt(arg));
    case FLUSH_STAT_DENY:
	msg_fatal_status(EX_UNAVAILABLE, "Flush service is not configured "
			 "for destination \"%s\"", excerpt(arg));
    default:
	msg_fatal_status(EX_UNAVAILABLE,
			 "Cannot flush mail queue - mail system is down");
    }
}

/* postqueue_flush_site - -s: deliver the mail queued for a site */
static void postqueue_flush_site(const char *site)
{
    int     status;

    if ((status = flush_send_site(site)) != FLUSH_STAT_OK)
	postqueue_flush_failed(status, true, site);
}

/* postqueue_flush_file - -i: deliver one deferred message */
static void postqueue_flush_file(const char *queue_id)
{
    int     status;

    if ((status = flush_send_file(queue_id)) != FLUSH_STAT_OK)
	postqueue_flush_failed(status, false, queue_id);
}

/* main - parse, configure, act */
int     main(int argc, char **argv)
{
    bool    privileged;
    uid_t   uid = getuid();
    const char *config_dir = 0;
    char   *env_config_dir = 0;
    const char *arg = 0;
    int     mode = POSTQUEUE_MODE_NONE;
    int     verbose = 0;
    int     ch;

    umask(077);
    open_std_fds();
    argv[0] = (char *) "postqueue";
    msg_stderr_init("postqueue");

    /* A set-gid process must not be steered by its invoker. */
    privileged = clean_env_unsafe();
    if (!privileged && getenv("MAIL_VERBOSE"))
	msg_verbose = 1;
    if (getenv("MAIL_CONFIG"))
	config_dir = env_config_dir = mystrdup(getenv("MAIL_CONFIG"));
    if (privileged)
	clean_env((const char *const[]) {"TZ", (char *) 0});

    while ((ch = getopt(argc, argv, "+c:fi:jps:v")) != -1) {
	int     next = POSTQUEUE_MODE_NONE;

	switch (ch) {
	case 'c':
	    config_dir = optarg;
	    break;
	case 'f':
	    next = POSTQUEUE_MODE_FLUSH;
	    break;
	case 'i':
	    next = POSTQUEUE_MODE_FILE;
	    arg = optarg;
	    break;
	case 'j':
	    next = POSTQUEUE_MODE_JSON;
	    break;
	case 'p':
	    next = POSTQUEUE_MODE_LIST;
	    break;
	case 's':
	    next = POSTQUEUE_MODE_SITE;
	    arg = optarg;
	    break;
	case 'v':
	    verbose++;
	    break;
	default:
	    postqueue_usage();
	}
	if (next != POSTQUEUE_MODE_NONE) {
	    if (mode != POSTQUEUE_MODE_NONE)
		postqueue_usage();
	    mode = next;
	}
    }
    if (optind != argc || mode == POSTQUEUE_MODE_NONE)
	postqueue_usage();
    if (!privileged || uid == 0)
	msg_verbose += verbose;
    mail_conf_setgid_read("postqueue", config_dir, privileged, uid,
			  EX_UNAVAILABLE);
    if (chdir(VAR_STR(queue_directory)) < 0)
	msg_fatal_status(EX_UNAVAILABLE, "chdir %s: %m",
			 excerpt(VAR_STR(queue_directory)));
    /* A server that goes away mid-conversation must not kill us silently. */
    signal(SIGPIPE, SIG_IGN);

    switch (mode) {
    case POSTQUEUE_MODE_LIST:
    case POSTQUEUE_MODE_JSON:
	postqueue_allowed("authorized_mailq_users",
			  VAR_STR(authorized_mailq_users),
			  "view the mail queue");
	postqueue_show(mode == POSTQUEUE_MODE_JSON ? POSTQUEUE_FORMAT_JSON :
		       POSTQUEUE_FORMAT_MAILQ);
	break;
    case POSTQUEUE_MODE_FLUSH:
	postqueue_allowed("authorized_flush_users",
			  VAR_STR(authorized_flush_users),
			  "flush the mail queue");
	postqueue_flush();
	break;
    case POSTQUEUE_MODE_FILE:
	postqueue_allowed("authorized_flush_users",
			  VAR_STR(authorized_flush_users),
			  "flush the mail queue");
	postqueue_flush_file(arg);
	break;
    case POSTQUEUE_MODE_SITE:
	postqueue_allowed("authorized_flush_users",
			  VAR_STR(authorized_flush_users),
			  "flush the mail queue");
	postqueue_flush_site(arg);
	break;
    }
    if (env_config_dir)
	myfree(env_config_dir);
    exit(0);
}
