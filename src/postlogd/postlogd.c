/*
 * postlogd - the internal log server
 *
 * SYNOPSIS
 *	postlogd [generic daemon options]
 *
 * DESCRIPTION
 *	postlogd(8) writes the log records of all mail system programs to
 *	$maillog_file when that parameter is not empty (see
 *	MAILLOG_README). Programs send each record, already formatted
 *	("<time> <host> <ident>[<pid>]: <text>"), as one datagram to the
 *	unix-dgram service $postlog_service_name (maillog_client(3));
 *	postlogd appends it as one line. Because one process writes
 *	everything, records from different programs never mix.
 *
 *	postlogd runs on the trigger_server(3) skeleton with a process
 *	limit of 1, ignoring max_use, with $postlogd_watchdog_timeout as
 *	its watchdog time. The master.cf entry is:
 *
 *	    postlog unix-dgram n - n - 1 postlogd
 *
 *	The file is opened before the process gives up privileges
 *	(created with $maillog_file_permissions when missing);
 *	"/dev/stdout" means the standard output that master(8) passed on
 *	(master -s or -i, as for "postfix start-fg"). Log rotation
 *	("postfix logrotate") renames the file and then reloads: the
 *	reload ends this process, and its successor opens a new file.
 *	postlogd also notices a renamed or removed file by itself (it
 *	compares the file with the path at most once a second) and opens
 *	the path again when it may.
 *
 *	When the file cannot be written, the record goes to syslog
 *	instead. postlogd's own diagnostics are written to the same file
 *	directly (or to syslog), never sent to itself. Before it exits
 *	(master reloading or stopping with SIGTERM, idle time), it writes
 *	the records that are still queued.
 *
 *	Records are cut at MAILLOG_RECORD_LIMIT bytes; a record that ends
 *	with newlines loses them, and other control characters were
 *	already replaced by the sender.
 *
 * DIAGNOSTICS
 *	Fatal: maillog_file outside maillog_file_prefixes (from
 *	maillog_client(3)), a maillog_file that cannot be opened at
 *	start-up. Warnings (to syslog): a write error, a failed reopen.
 */
#include "sys_defs.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "msg.h"
#include "msg_output.h"
#include "mymalloc.h"
#include "stringops.h"
#include "excerpt.h"
#include "vstring.h"
#include "vstream.h"
#include "safe_open.h"
#include "mail_params.h"
#include "maillog_client.h"
#include "master_proto.h"
#include "trigger_server.h"

#define POSTLOGD_CHECK_INTERVAL	1	/* seconds between rename checks */

static char *postlogd_path;		/* $maillog_file, or NULL */
static volatile int postlogd_fd = -1;	/* where records go */
static struct stat postlogd_st;		/* what postlogd_fd is */
static time_t postlogd_checked;		/* last rename check */
static bool postlogd_warned;		/* one write warning at a time */
static char *postlogd_ident;		/* for our own diagnostics */
static char *postlogd_host;

/* postlogd_open - open (or create) the log file */
static int postlogd_open(const char *path, VSTRING *why)
{
    VSTREAM *fp;
    struct stat st;
    char   *end;
    long    mode;
    int     fd;

    if (strcmp(path, "/dev/stdout") == 0) {
	if ((fd = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3)) < 0) {
	    vstring_sprintf(why, "dup standard output: %m");
	    return -1;
	}
	memset(&st, 0, sizeof(st));
    } else {
	mode = strtol(VAR_STR(maillog_file_permissions), &end, 8);
	if (*end != 0 || (mode != 0600 && mode != 0644)) {
	    msg_warn("bad %s value \"%s\": using 0600",
		     PARAM_NAME(maillog_file_permissions),
		     excerpt(VAR_STR(maillog_file_permissions)));
	    mode = 0600;
	}
	if ((fp = safe_open(path, O_WRONLY | O_CREAT | O_APPEND, (mode_t) mode,
			    &st, (uid_t) -1, (gid_t) -1, why)) == NULL)
	    return -1;
	fd = fcntl(vstream_fileno(fp), F_DUPFD_CLOEXEC, 3);
	(void) vstream_fclose(fp);
	if (fd < 0) {
	    vstring_sprintf(why, "dup: %m");
	    return -1;
	}
    }
    postlogd_st = st;
    return fd;
}

/* postlogd_check_rename - reopen when the path names another file */
static void postlogd_check_rename(void)
{
    VSTRING *why;
    struct stat st;
    time_t  now = time(NULL);
    int     fd;

    if (postlogd_path == NULL || strcmp(postlogd_path, "/dev/stdout") == 0
	|| now - postlogd_checked < POSTLOGD_CHECK_INTERVAL)
	return;
    postlogd_checked = now;
    if (postlogd_fd >= 0 && stat(postlogd_path, &st) == 0
	&& st.st_dev == postlogd_st.st_dev && st.st_ino == postlogd_st.st_ino)
	return;
    why = vstring_alloc(100);
    if ((fd = postlogd_open(postlogd_path, why)) >= 0) {
	if (postlogd_fd >= 0)
	    (void) close(postlogd_fd);
	postlogd_fd = fd;
    } else if (!postlogd_warned) {
	syslog(LOG_WARNING, "warning: reopen %s: %s", postlogd_path,
	       vstring_str(why));
	postlogd_warned = true;
    }
    vstring_free(why);
}

/* postlogd_write - append one record; syslog when that fails */
static void postlogd_write(const char *buf, size_t len)
{
    struct iovec iov[2];
    ssize_t n;

    while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == 0))
	len--;
    if (len > MAILLOG_RECORD_LIMIT)
	len = MAILLOG_RECORD_LIMIT;
    if (postlogd_fd >= 0) {
	iov[0].iov_base = (void *) buf;
	iov[0].iov_len = len;
	iov[1].iov_base = (void *) "\n";
	iov[1].iov_len = 1;
	do {
	    n = writev(postlogd_fd, iov, 2);
	} while (n < 0 && errno == EINTR);
	if (n == (ssize_t) len + 1) {
	    postlogd_warned = false;
	    return;
	}
	if (!postlogd_warned) {
	    syslog(LOG_WARNING, "warning: write %s: %s", postlogd_path,
		   n < 0 ? strerror(errno) : "short write");
	    postlogd_warned = true;
	}
    }
    syslog(LOG_INFO, "%.*s", (int) len, buf);
}

/* postlogd_service - one datagram is one record */
static void postlogd_service(char *buf, ssize_t len, const char *service,
			             char **argv)
{
    (void) service;
    (void) argv;
    if (len <= 0)
	return;
    postlogd_check_rename();
    postlogd_write(buf, (size_t) len);
}

/* postlogd_self - our own diagnostics, straight to the file */
static void postlogd_self(int level, const char *text, void *context)
{
    VSTRING *buf = vstring_alloc(200);
    const char *label = msg_level_label(level);
    char    stamp[32];
    time_t  now = time(NULL);
    struct tm tm;

    (void) context;
    localtime_r(&now, &tm);
    strftime(stamp, sizeof(stamp), "%b %d %H:%M:%S", &tm);
    vstring_sprintf(buf, "%s %s %s[%ld]: %s%s%s", stamp, postlogd_host,
		    postlogd_ident, (long) getpid(), label, *label ? ": " : "",
		    text);
    postlogd_write(vstring_str(buf), VSTRING_LEN(buf));
    vstring_free(buf);
}

/* postlogd_drain_queue - write what is queued (async-signal-safe) */
static void postlogd_drain_queue(void)
{
    static char buf[MAILLOG_RECORD_LIMIT + 2];
    struct iovec iov[2];
    ssize_t len;

    while ((len = recv(MASTER_LISTEN_FD, buf, sizeof(buf), MSG_DONTWAIT)) >= 0) {
	while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == 0))
	    len--;
	if (len > MAILLOG_RECORD_LIMIT)
	    len = MAILLOG_RECORD_LIMIT;
	if (len == 0 || postlogd_fd < 0)
	    continue;
	iov[0].iov_base = buf;
	iov[0].iov_len = (size_t) len;
	iov[1].iov_base = (void *) "\n";
	iov[1].iov_len = 1;
	(void) writev(postlogd_fd, iov, 2);
    }
}

/* postlogd_sigterm - master is stopping: write what is queued, go */
static void postlogd_sigterm(int sig)
{
    (void) sig;
    postlogd_drain_queue();
    _exit(0);
}

/* postlogd_on_exit - reload or idle exit: leave nothing behind */
static void postlogd_on_exit(const char *service, char **argv)
{
    (void) service;
    (void) argv;
    postlogd_drain_queue();
}

/* postlogd_pre_init - open the file while we have privileges */
static void postlogd_pre_init(const char *service, char **argv)
{
    VSTRING *why = vstring_alloc(100);
    const char *file = VAR_STR(maillog_file);
    const char *host = getenv("POSTLOG_HOSTNAME");

    (void) service;
    postlogd_ident = concatenate(VAR_STR(syslog_name), "/postlogd", (char *) 0);
    postlogd_host = mystrdup(host && *host ? host : VAR_STR(myhostname));

    /*
     * From here on, our own diagnostics must not be sent to ourselves:
     * they go to the file once it is open, to syslog before that.
     */
    msg_output_clear();
    msg_output_add(postlogd_self, NULL);
    if (argv[0] != NULL)
	msg_fatal("unexpected command-line argument: %s", excerpt(argv[0]));
    if (*file != 0) {
	postlogd_path = mystrdup(file);
	if ((postlogd_fd = postlogd_open(file, why)) < 0)
	    msg_fatal("open %s: %s", file, vstring_str(why));
	postlogd_checked = time(NULL);
    }
    vstring_free(why);
}

/* postlogd_post_init - the SIGTERM drain */
static void postlogd_post_init(const char *service, char **argv)
{
    struct sigaction sa;

    (void) service;
    (void) argv;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = postlogd_sigterm;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGTERM, &sa, NULL) < 0)
	msg_fatal("sigaction SIGTERM: %m");
}

/* main - hand over to the skeleton */
int     main(int argc, char **argv)
{
    static const MAIL_SERVER_OPTS opts = {
	.flags = MAIL_SERVER_FLAG_SOLITARY | MAIL_SERVER_FLAG_NO_USE_LIMIT,
	.pre_init = postlogd_pre_init,
	.post_init = postlogd_post_init,
	.on_exit = postlogd_on_exit,
	.watchdog_param = "postlogd_watchdog_timeout",
    };

    trigger_server_main(argc, argv, postlogd_service, &opts);
}
