/*
 * postdrop - store a message from sendmail(1) in the maildrop queue
 *
 * SYNOPSIS
 *	postdrop [-rv] [-c config_dir]
 *
 * DESCRIPTION
 *	The command of docs/man/man1/postdrop.1. It reads the records of
 *	one maildrop file (docs/internals/queue-file.md section 6) from
 *	standard input, as sendmail(1) writes them, checks each one
 *	(queue_file_read(3) for the structure, maildrop_check(3) for the
 *	data, message_size_limit for the content), and copies it to a new
 *	file in $queue_directory/maildrop made by mail_queue_create(3).
 *	Only when the Z record has arrived is the file synced and renamed
 *	to its queue ID (mail_queue_commit(3)); then pickup(8) is woken
 *	with a "W" trigger on public/$pickup_service_name.
 *
 *	postdrop is meant to be set-gid $setgid_group when the mail
 *	system runs as root: it then cleans its environment, accepts a
 *	non-default configuration directory only as Postfix does
 *	(mail_conf_checkdir(3), unless run by root), honours -v only for
 *	root, and makes the file mode 0644 so that pickup (running as
 *	$mail_owner) can read a file owned by the submitting user. Run by
 *	an ordinary user without privileges it makes mode 0600 files.
 *
 *	The temporary file is removed after any error, and when the
 *	process gets SIGHUP, SIGINT, SIGQUIT, SIGTERM or SIGPIPE before
 *	the rename.
 *
 *	With -r postdrop also talks on standard output, for a client that
 *	must know the queue ID before it has written everything (smtpd -S
 *	through cleanup_client_open_postdrop(3)): right after the file is
 *	made it sends the attribute list { protocol=postdrop,
 *	queue_id=<ID> }, and after the commit { status=0, reason= } (the
 *	cleanup reply, protocols.md "postdrop -r"). Errors end the process
 *	as without -r, so the client sees the end of input instead of a
 *	reply. sendmail(1) runs postdrop -r with standard output on
 *	/dev/null.
 *
 *	Input that ends where a record could start before the end record
 *	(empty input included) is a submission that was given up: as
 *	Postfix's postdrop, nothing is queued and the exit status is 0.
 *
 * DIAGNOSTICS
 *	Problems go to standard error and to the mail log:
 *	"fatal: User <login>(<uid>) is not allowed to submit mail",
 *	"warning: uid=<uid>: <what is wrong>" followed by "fatal:
 *	uid=<uid>: malformed input", queue file errors, usage: exit status
 *	1, as Postfix's postdrop. "fatal: uid=<uid>: message file too
 *	big": exit status 4 (CLEANUP_STAT_SIZE, as Postfix's postdrop
 *	exits; sendmail(1) reports it as "message file too big"). Exit
 *	status 0 once the message is safely in the maildrop queue, even
 *	when pickup could not be woken (a warning; pickup also scans the
 *	queue every minute).
 */
#include "sys_defs.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
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
#include "queue_file_read.h"
#include "record.h"
#include "rec_type.h"
#include "maildrop_check.h"
#include "cleanup_proto.h"
#include "attr_list.h"
#include "user_acl.h"
#include "postel_config.h"

/*
 * Exit status: as Postfix's postdrop, 1 for every error but a message that
 * is too big, which gets the cleanup status for it.
 */
#define POSTDROP_EXIT_FAIL	1
#define POSTDROP_EXIT_SIZE	CLEANUP_STAT_SIZE	/* 4 */

/* The temporary file to remove on a signal or fatal error. */
static char postdrop_temp[PATH_MAX];

typedef struct POSTDROP_COPY {
    VSTREAM *out;			/* the new maildrop file */
    long    content_size;		/* L data + 1, P data */
    long    size_limit;			/* message_size_limit, 0: none */
    VSTRING *why;			/* what was wrong */
    int     exit_status;		/* for an error found here */
} POSTDROP_COPY;

/* postdrop_remove - remove the temporary file (async-signal-safe) */
static void postdrop_remove(void)
{
    if (postdrop_temp[0] != 0) {
	(void) unlink(postdrop_temp);
	postdrop_temp[0] = 0;
    }
}

/* postdrop_signal - a signal before the rename: remove the file, exit */
static void postdrop_signal(int sig)
{
    postdrop_remove();
    signal(sig, SIG_DFL);
    _exit(POSTDROP_EXIT_FAIL);
}

/* postdrop_usage - explain and exit */
static NORETURN postdrop_usage(void)
{
    msg_fatal_status(POSTDROP_EXIT_FAIL,
		     "usage: postdrop [-rv] [-c config_dir]");
}

/* postdrop_copy_record - check one record and copy it to the file */
static bool postdrop_copy_record(int type, const char *data, size_t len,
				         off_t offset, void *context)
{
    POSTDROP_COPY *copy = context;

    if (!maildrop_check_record(type, data, len, copy->why)) {
	copy->exit_status = POSTDROP_EXIT_FAIL;
	return false;
    }
    if (type == REC_TYPE_LINE || type == REC_TYPE_PART) {
	copy->content_size += (long) len + (type == REC_TYPE_LINE);
	if (copy->size_limit > 0 && copy->content_size > copy->size_limit) {
	    vstring_strcpy(copy->why, "message file too big");
	    copy->exit_status = POSTDROP_EXIT_SIZE;
	    return false;
	}
    }
    if (record_put(copy->out, type, data, len) != type) {
	vstring_sprintf(copy->why, "error writing %s: %m",
			vstream_path(copy->out));
	copy->exit_status = POSTDROP_EXIT_FAIL;
	return false;
    }
    return true;
}

/* postdrop_talk - -r: the greeting (protocol) or the reply (status) */
static void postdrop_talk(const char *protocol, const char *id, int status)
{
    ATTR_LIST *attrs = attr_list_create();

    attr_list_add_str(attrs, CLEANUP_ATTR_QUEUE_ID, id);
    if (protocol) {
	if (!attr_proto_greet(VSTREAM_OUT, protocol, attrs))
	    msg_fatal_status(POSTDROP_EXIT_FAIL, "write greeting: %m");
    } else {
	attr_list_add_int(attrs, CLEANUP_ATTR_STATUS, status);
	attr_list_add_str(attrs, CLEANUP_ATTR_REASON, "");
	/* The file is queued: a client that went away changes nothing. */
	if (!attr_list_write(VSTREAM_OUT, attrs))
	    msg_warn("write reply: %m");
    }
    (void) vstream_fflush(VSTREAM_OUT);
    attr_list_free(attrs);
}

/* postdrop_signals - remove the temporary file on these signals */
static void postdrop_signals(void)
{
    static const int sigs[] = {SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGPIPE};
    struct sigaction action;

    memset(&action, 0, sizeof(action));
    action.sa_handler = postdrop_signal;
    sigemptyset(&action.sa_mask);
    for (size_t i = 0; i < ARRAY_LEN(sigs); i++)
	sigaddset(&action.sa_mask, sigs[i]);
    for (size_t i = 0; i < ARRAY_LEN(sigs); i++)
	if (sigaction(sigs[i], &action, (struct sigaction *) 0) < 0)
	    msg_fatal_status(POSTDROP_EXIT_FAIL, "sigaction: %m");
}

/* main - check, copy, commit, wake pickup */
int     main(int argc, char **argv)
{
    bool    privileged;
    uid_t   uid = getuid();
    const char *config_dir = 0;
    char   *env_config_dir = 0;
    int     verbose = 0;
    VSTRING *login = vstring_alloc(32);
    VSTRING *why = vstring_alloc(100);
    MAIL_QUEUE_FILE *qf;
    POSTDROP_COPY copy;
    QUEUE_FILE_INFO info;
    sigset_t block;
    sigset_t saved;
    bool    talk = false;
    char   *queue_id;
    int     ch;

    umask(077);
    open_std_fds();
    argv[0] = (char *) "postdrop";
    msg_stderr_init("postdrop");
    msg_cleanup(postdrop_remove);

    /* A set-gid process must not be steered by its invoker. */
    privileged = clean_env_unsafe();
    if (!privileged && getenv("MAIL_VERBOSE"))
	msg_verbose = 1;
    if (getenv("MAIL_CONFIG"))
	config_dir = env_config_dir = mystrdup(getenv("MAIL_CONFIG"));
    if (privileged)
	clean_env((const char *const[]) {"TZ", (char *) 0});

    while ((ch = getopt(argc, argv, "+c:rv")) != -1) {
	switch (ch) {
	case 'c':
	    config_dir = optarg;
	    break;
	case 'r':
	    talk = true;
	    break;
	case 'v':
	    verbose++;
	    break;
	default:
	    postdrop_usage();
	}
    }
    if (optind != argc)
	postdrop_usage();
    if (!privileged || uid == 0)
	msg_verbose += verbose;
    mail_conf_setgid_read("postdrop", config_dir, privileged, uid,
			  POSTDROP_EXIT_FAIL);

    user_acl_login(login, uid);
    switch (user_acl_match("authorized_submit_users",
			   VAR_STR(authorized_submit_users),
			   vstring_str(login))) {
    case USER_ACL_ALLOW:
	break;
    case USER_ACL_ERROR:
	msg_fatal_status(POSTDROP_EXIT_FAIL, "%s(%ld): unable to check "
			 "authorized_submit_users", vstring_str(login),
			 (long) uid);
    default:
	msg_fatal_status(POSTDROP_EXIT_FAIL, "User %s(%ld) is not allowed to submit mail",
			 vstring_str(login), (long) uid);
    }
    if (chdir(VAR_STR(queue_directory)) < 0)
	msg_fatal_status(POSTDROP_EXIT_FAIL, "chdir %s: %m",
			 excerpt(VAR_STR(queue_directory)));

    /*
     * Empty input: nothing to queue, not an error (as Postfix). A client
     * of -r waits for the greeting: no look ahead then.
     */
    if (!talk && (ch = VSTREAM_GETC(VSTREAM_IN)) == VSTREAM_EOF) {
	if (vstream_ferror(VSTREAM_IN))
	    msg_fatal_status(POSTDROP_EXIT_FAIL,
			     "uid=%ld: error reading the input: %m", (long) uid);
	exit(0);
    }
    if (!talk)
	vstream_ungetc(VSTREAM_IN, ch);

    /* Create the file with the signals held, so that none is left behind. */
    sigemptyset(&block);
    sigaddset(&block, SIGHUP);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGQUIT);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGPIPE);
    sigprocmask(SIG_BLOCK, &block, &saved);
    postdrop_signals();
    qf = mail_queue_create(MAIL_QUEUE_MAILDROP, privileged ? 0644 : 0600, why);
    if (qf == 0) {
	sigprocmask(SIG_SETMASK, &saved, (sigset_t *) 0);
	msg_fatal_status(POSTDROP_EXIT_FAIL, "uid=%ld: %s", (long) uid,
			 vstring_str(why));
    }
    if (strlen(qf->path) >= sizeof(postdrop_temp))
	msg_panic("temporary path too long: %s", qf->path);
    strcpy(postdrop_temp, qf->path);
    sigprocmask(SIG_SETMASK, &saved, (sigset_t *) 0);
    if (msg_verbose)
	msg_info("queue file %s (%s)", qf->path, qf->id);
    queue_id = mystrdup(qf->id);		/* qf is gone after the commit */
    if (talk)
	postdrop_talk(POSTDROP_PROTO_NAME, queue_id, -1);

    /* Check and copy. */
    memset(&copy, 0, sizeof(copy));
    copy.out = qf->fp;
    copy.size_limit = VAR_INT(message_size_limit);
    copy.why = vstring_alloc(100);
    copy.exit_status = POSTDROP_EXIT_FAIL;
    queue_file_info_init(&info);
    vstream_set_path(VSTREAM_IN, "stdin");
    if (!queue_file_read(VSTREAM_IN, QUEUE_FILE_KIND_MAILDROP,
			 QUEUE_FILE_LIMIT, postdrop_copy_record, &copy,
			 &info)) {
	const char *reason = (info.error == QUEUE_FILE_ERR_CALLER ?
			      vstring_str(copy.why) : vstring_str(info.why));

	/* Given up where a record could start: nothing, as Postfix. */
	if (info.error == QUEUE_FILE_ERR_NO_END) {
	    postdrop_remove();
	    exit(0);
	}
	if (info.error == QUEUE_FILE_ERR_READ)
	    msg_fatal_status(POSTDROP_EXIT_FAIL,
			     "uid=%ld: error reading the input: %s",
			     (long) uid, reason);
	if (info.error == QUEUE_FILE_ERR_CALLER
	    && copy.exit_status == POSTDROP_EXIT_SIZE)
	    msg_fatal_status(POSTDROP_EXIT_SIZE,
			     "uid=%ld: message file too big", (long) uid);
	if (info.error == QUEUE_FILE_ERR_CALLER
	    && strncmp(reason, "error writing ", 14) == 0)
	    msg_fatal_status(POSTDROP_EXIT_FAIL, "uid=%ld: %s", (long) uid,
			     reason);
	msg_warn("uid=%ld: %s", (long) uid, reason);
	msg_fatal_status(POSTDROP_EXIT_FAIL, "uid=%ld: malformed input",
			 (long) uid);
    }
    queue_file_info_free(&info);

    /* Commit: after this the file is the message, whatever happens. */
    sigprocmask(SIG_BLOCK, &block, &saved);
    if (!mail_queue_commit(qf, why)) {
	postdrop_temp[0] = 0;			/* commit removed it */
	sigprocmask(SIG_SETMASK, &saved, (sigset_t *) 0);
	msg_fatal_status(POSTDROP_EXIT_FAIL, "uid=%ld: %s", (long) uid,
			 vstring_str(why));
    }
    postdrop_temp[0] = 0;
    sigprocmask(SIG_SETMASK, &saved, (sigset_t *) 0);

    signal(SIGPIPE, SIG_IGN);
    if (talk)
	postdrop_talk((const char *) 0, queue_id, 0);
    (void) mail_trigger("public", VAR_STR(pickup_service_name), "W", 1);
    myfree(queue_id);
    vstring_free(copy.why);
    vstring_free(why);
    vstring_free(login);
    if (env_config_dir)
	myfree(env_config_dir);
    exit(0);
}
