/*
 * postqueue_show - list the mail queue through showq(8)
 *
 * SYNOPSIS
 *	#include "postqueue.h"
 *
 *	void	postqueue_show(int format);
 *
 * DESCRIPTION
 *	postqueue_show() connects to public/$showq_service_name (the
 *	caller has made the queue directory the current directory),
 *	reads the listing in the showq protocol (showq_proto.h) and
 *	writes it with postqueue_format(3).
 *
 *	When the service cannot be reached and the invoker is the
 *	super-user (or, in unprivileged mode, the mail_owner), it warns
 *	"Mail system is down -- accessing queue directly (Connect to the
 *	Postfix showq service: <error>)", as Postfix does, and runs
 *	$daemon_directory/showq in stand-alone mode (-S -u) on one end of
 *	a socket pair instead. Anyone else gets Postfix's fatal error
 *	"Queue report unavailable - mail system is down".
 *
 *	Every read has the deadline $ipc_timeout; attribute lists are
 *	read with the default limits of attr_list(3).
 *
 * DIAGNOSTICS
 *	Fatal errors (exit status 69, EX_UNAVAILABLE, as Postfix's
 *	postqueue): the ones above, "showq service: <reason>" for a
 *	broken or malformed conversation, "execute <path>: <error>" (from
 *	the child), "write error: <error>" on standard output.
 */
#include "sys_defs.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <sysexits.h>
#include <unistd.h>

#include "msg.h"
#include "mymalloc.h"
#include "mypwd.h"
#include "stringops.h"
#include "connect.h"
#include "iostuff.h"
#include "vstream.h"
#include "vstring.h"
#include "attr_list.h"
#include "mail_params.h"
#include "mail_queue.h"
#include "showq_proto.h"
#include "postqueue.h"

/* postqueue_owner_is_root - is the mail_owner root (unprivileged mode)? */
static bool postqueue_owner_is_root(void)
{
    MYPWD  *pw;
    bool    root;

    if ((pw = mypwnam(VAR_STR(mail_owner))) == 0)
	return (false);
    root = (pw->pw_uid == 0);
    mypwfree(pw);
    return (root);
}

/* postqueue_may_run_showq - may this user read the queue directly? */
static bool postqueue_may_run_showq(void)
{
    uid_t   uid = getuid();
    MYPWD  *pw;
    bool    ok;

    if (uid == 0)
	return (true);
    if ((pw = mypwnam(VAR_STR(mail_owner))) == 0)
	return (false);
    ok = (pw->pw_uid == uid);
    mypwfree(pw);
    return (ok);
}

/* postqueue_showq_child - run showq stand-alone on a socket pair */
static int postqueue_showq_child(pid_t *pid)
{
    int     pair[2];
    char   *path;

    if (socketpair(AF_UNIX, SOCK_STREAM, 0, pair) < 0)
	msg_fatal_status(EX_UNAVAILABLE, "socketpair: %m");
    path = concatenate(VAR_STR(daemon_directory), "/showq", (char *) 0);
    switch (*pid = fork()) {
    case -1:
	msg_fatal_status(EX_UNAVAILABLE, "fork: %m");
    case 0:
	(void) close(pair[0]);
	if (dup2(pair[1], 0) < 0 || dup2(pair[1], 1) < 0)
	    msg_fatal_status(EX_UNAVAILABLE, "dup2: %m");
	if (pair[1] > 1)
	    (void) close(pair[1]);
	/* -u: as root, switch to the mail_owner as master.cf would. */
	if (getuid() == 0 && !postqueue_owner_is_root())
	    execl(path, "showq", "-S", "-u", (char *) 0);
	else
	    execl(path, "showq", "-S", (char *) 0);
	msg_fatal_status(EX_UNAVAILABLE, "execute %s: %m", path);
    default:
	(void) close(pair[1]);
	myfree(path);
	return (pair[0]);
    }
}

/* postqueue_rcpts - format the recipients of one recipients list */
static void postqueue_rcpts(POSTQUEUE_FORMAT *fmt, const ATTR_LIST *list)
{
    for (size_t i = 0; i < attr_list_count(list); i++) {
	const ATTR_LIST *rcpt;
	const char *address;

	if (attr_list_type(list, i) != ATTR_TYPE_LIST
	    || strcmp(attr_list_name(list, i), SHOWQ_ATTR_RCPT) != 0)
	    continue;
	rcpt = attr_list_list_at(list, i);
	if ((address = attr_list_find_str(rcpt, SHOWQ_ATTR_ADDRESS)) == 0)
	    continue;
	postqueue_format_rcpt(fmt, address,
			      attr_list_find_str(rcpt, SHOWQ_ATTR_REASON));
    }
}

/* postqueue_show - list the queue */
void    postqueue_show(int format)
{
    char   *endpoint = concatenate(MAIL_QUEUE_PUBLIC, "/",
				   VAR_STR(showq_service_name), (char *) 0);
    VSTRING *why = vstring_alloc(100);
    ATTR_LIST *list = attr_list_create();
    POSTQUEUE_FORMAT fmt;
    VSTREAM *stream;
    pid_t   pid = 0;
    int     fd;
    bool    done = false;

    if ((fd = unix_connect(endpoint, BLOCKING, VAR_TIME(ipc_timeout))) < 0) {
	int     saved_errno = errno;	/* the check below may change it */

	if (!postqueue_may_run_showq())
	    msg_fatal_status(EX_UNAVAILABLE,
			     "Queue report unavailable - mail system is down");
	errno = saved_errno;
	msg_warn("Mail system is down -- accessing queue directly "
		 "(Connect to the Postfix showq service: %m)");
	fd = postqueue_showq_child(&pid);
    }
    stream = vstream_fdopen(fd, O_RDWR);
    vstream_set_path(stream, endpoint);
    vstream_set_timeout(stream, VAR_TIME(ipc_timeout));
    if (!attr_proto_expect(stream, SHOWQ_PROTOCOL, list, why))
	msg_fatal_status(EX_UNAVAILABLE, "showq service: %s",
			 vstring_str(why));

    postqueue_format_begin(&fmt, VSTREAM_OUT, format,
			   VAR_BOOL(enable_long_queue_ids));
    while (!done) {
	const char *record;

	if (!attr_list_read(stream, list, (ATTR_LIMITS *) 0, why))
	    msg_fatal_status(EX_UNAVAILABLE, "showq service: %s",
			     vstring_str(why));
	if ((record = attr_list_find_str(list, SHOWQ_ATTR_RECORD)) == 0)
	    msg_fatal_status(EX_UNAVAILABLE, "showq service: missing "
			     "attribute %s", SHOWQ_ATTR_RECORD);
	if (strcmp(record, SHOWQ_RECORD_MESSAGE) == 0)
	    postqueue_format_message(&fmt, list);
	else if (strcmp(record, SHOWQ_RECORD_RECIPIENTS) == 0)
	    postqueue_rcpts(&fmt, list);
	else if (strcmp(record, SHOWQ_RECORD_END) == 0)
	    done = true;
	/* Other records: a newer showq; skip them. */
    }
    postqueue_format_end(&fmt);
    if (vstream_fflush(VSTREAM_OUT) != 0)
	msg_fatal_status(EX_UNAVAILABLE, "write error: %m");

    (void) vstream_fclose(stream);
    if (pid > 0) {
	int     status;

	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
	     /* void */ ;
    }
    attr_list_free(list);
    vstring_free(why);
    myfree(endpoint);
}
