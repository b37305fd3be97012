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
 *	authorized_flush_users allows. -i and -s need the flush(8)
 *	service, which this release does not have: postqueue checks what
 *	Postfix checks first (the site must match fast_flush_domains),
 *	then reports the service as unreachable in Postfix's words.
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
 *	- mail system is down", "Flush service is not configured for
 *	destination \"<site>\"", and those of postqueue_show(3).
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
#include "connect.h"
#include "iostuff.h"
#include "vstream.h"
#include "vstring.h"
#include "mail_conf.h"
#include "mail_conf_setgid.h"
#include "mail_params.h"
#include "mail_parm_split.h"
#include "maillog_client.h"
#include "mail_queue.h"
#include "mail_trigger.h"
#include "queue_id.h"
#include "domain_list.h"
#include "table_search.h"
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

/* postqueue_flush_service - -i and -s: the flush(8) service */
static void postqueue_flush_service(void)
{
    char   *endpoint = concatenate(MAIL_QUEUE_PUBLIC, "/",
				   VAR_STR(flush_service_name), (char *) 0);
    int     fd;

    if ((fd = unix_connect(endpoint, BLOCKING, VAR_TIME(ipc_timeout))) < 0) {
	msg_warn("connect to %s: %m", endpoint);
	msg_fatal_status(EX_UNAVAILABLE,
			 "Cannot flush mail queue - mail system is down");
    }
    (void) close(fd);

    /*
     * flush(8) is not part of this release, so there is no protocol to
     * talk to whatever listens there.
     */
    msg_fatal_status(EX_UNAVAILABLE, "%s: the flush(8) service is not "
		     "available in this release", endpoint);
}

/* postqueue_site_ok - is the site eligible for the fast flush service? */
static void postqueue_site_ok(const char *site)
{
    DOMAIN_LIST *list;
    int     match;

    list = domain_list_create("fast_flush_domains",
			      VAR_STR(fast_flush_domains),
			      table_search_parent_match(
				VAR_STR(parent_domain_matches_subdomains),
				"fast_flush_domains"));
    match = domain_list_match(list, site);
    domain_list_free(list);
    if (match == DOMAIN_LIST_ERROR)
	msg_fatal_status(EX_UNAVAILABLE, "fast_flush_domains: table lookup "
			 "error for \"%s\"", excerpt(site));
    if (match != DOMAIN_LIST_MATCH)
	msg_fatal_status(EX_UNAVAILABLE, "Flush service is not configured "
			 "for destination \"%s\"", excerpt(site));
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
	if (!queue_id_valid(arg))
	    msg_fatal_status(EX_UNAVAILABLE, "invalid queue ID: \"%s\"",
			     excerpt(arg));
	postqueue_flush_service();
	break;
    case POSTQUEUE_MODE_SITE:
	postqueue_allowed("authorized_flush_users",
			  VAR_STR(authorized_flush_users),
			  "flush the mail queue");
	postqueue_site_ok(arg);
	postqueue_flush_service();
	break;
    }
    if (env_config_dir)
	myfree(env_config_dir);
    exit(0);
}
