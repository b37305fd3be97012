/*
 * maillog_client - send a program's logging to syslog or to postlogd
 *
 * DESCRIPTION
 *	See maillog_client.h. The postlog output keeps one connected
 *	datagram socket and reconnects after a failure (postlogd restarts
 *	when master reloads).
 */
#include "sys_defs.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "msg.h"
#include "msg_output.h"
#include "mymalloc.h"
#include "argv.h"
#include "stringops.h"
#include "excerpt.h"
#include "vstring.h"
#include "connect.h"
#include "mail_conf.h"
#include "mail_params.h"
#include "maillog_client.h"

typedef struct MAILLOG_CLIENT {
    char   *ident;			/* syslog_name/progname */
    char   *hostname;
    char   *service_path;		/* postlogd socket */
    char   *file;			/* maillog_file, for the fallback */
    int     flags;
    int     sock;			/* connected datagram socket, or -1 */
    int     file_fd;			/* fallback file, or -1 */
    bool    congested;			/* last wait for room timed out */
} MAILLOG_CLIENT;

#define MAILLOG_CLIENT_WAIT_MS	500	/* longest wait for a full socket */

static MAILLOG_CLIENT maillog_client = {.sock = -1,.file_fd = -1};
static bool maillog_output_registered;

/* maillog_client_service_path - the postlogd socket path */
const char *maillog_client_service_path(void)
{
    static char *path;
    const char *env = getenv("POSTLOG_SERVICE");

    myfree(path);
    if (env != NULL && *env != 0)
	path = mystrdup(env);
    else
	path = concatenate(VAR_STR(queue_directory), "/public/",
			   VAR_STR(postlog_service_name), (char *) 0);
    return path;
}

/* maillog_client_prefix_ok - maillog_file within maillog_file_prefixes? */
bool    maillog_client_prefix_ok(const char *path)
{
    ARGV   *prefixes = argv_split(VAR_STR(maillog_file_prefixes), CHARS_COMMA_SP);
    size_t  n;
    bool    ok = false;

    for (n = 0; n < prefixes->argc && !ok; n++)
	ok = strncmp(path, prefixes->argv[n], strlen(prefixes->argv[n])) == 0;
    argv_free(prefixes);
    return ok;
}

/* maillog_client_format - one complete log record */
static void maillog_client_format(VSTRING *buf, int level, const char *text)
{
    char    stamp[32];
    time_t  now = time(NULL);
    struct tm tm;
    const char *label = msg_level_label(level);

    localtime_r(&now, &tm);
    strftime(stamp, sizeof(stamp), "%b %d %H:%M:%S", &tm);
    vstring_sprintf(buf, "%s %s %s[%ld]: %s%s%s", stamp,
		    maillog_client.hostname, maillog_client.ident,
		    (long) getpid(), label, *label ? ": " : "", text);
    if (VSTRING_LEN(buf) > MAILLOG_RECORD_LIMIT)
	vstring_truncate(buf, MAILLOG_RECORD_LIMIT);
}

/* maillog_client_wait - wait for room in postlogd's socket */
static bool maillog_client_wait(int sock, struct timespec *deadline)
{
    struct pollfd pfd;
    struct timespec now;
    long    left_ms;
    int     n;

    clock_gettime(CLOCK_MONOTONIC, &now);
    left_ms = (deadline->tv_sec - now.tv_sec) * 1000
	+ (deadline->tv_nsec - now.tv_nsec) / 1000000;
    if (left_ms <= 0)
	return false;
    pfd.fd = sock;
    pfd.events = POLLOUT;
    pfd.revents = 0;
    n = poll(&pfd, 1, (int) left_ms);
    return n > 0 || (n < 0 && errno == EINTR);
}

/* maillog_client_send - try postlogd; false when it is unreachable */
static bool maillog_client_send(const VSTRING *buf)
{
    struct timespec deadline;
    bool    may_wait;
    int     attempt;

    may_wait = !maillog_client.congested
	&& !(maillog_client.flags & MAILLOG_CLIENT_FLAG_LOGWRITER_FALLBACK);
    if (may_wait) {
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_nsec += (MAILLOG_CLIENT_WAIT_MS % 1000) * 1000000L;
	deadline.tv_sec += MAILLOG_CLIENT_WAIT_MS / 1000
	    + deadline.tv_nsec / 1000000000L;
	deadline.tv_nsec %= 1000000000L;
    }
    for (attempt = 0; attempt < 2; /* see below */ ) {
	if (maillog_client.sock < 0
	    && (maillog_client.sock = unix_dgram_connect(maillog_client.service_path,
							 0)) < 0)
	    return false;
	if (send(maillog_client.sock, vstring_str(buf), VSTRING_LEN(buf),
		 MSG_NOSIGNAL | MSG_DONTWAIT) >= 0) {
	    maillog_client.congested = false;
	    return true;
	}
	/* A full socket: postlogd is behind. Reconnecting would not help. */
	if (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS
	    || errno == EINTR) {
	    if (errno != EINTR && (!may_wait
			     || !maillog_client_wait(maillog_client.sock, &deadline))) {
		if (may_wait)
		    maillog_client.congested = true;
		return false;
	    }
	    continue;
	}
	close(maillog_client.sock);
	maillog_client.sock = -1;
	attempt++;
    }
    return false;
}

/* maillog_client_connect - connect to postlogd now, before a chroot */
bool    maillog_client_connect(void)
{
    if (maillog_client.ident == NULL || maillog_client.sock >= 0)
	return true;
    maillog_client.sock = unix_dgram_connect(maillog_client.service_path, 0);
    return maillog_client.sock >= 0;
}

/* maillog_client_write - append a record to maillog_file directly */
static bool maillog_client_write(VSTRING *buf)
{
    ssize_t written;

    if (maillog_client.file_fd < 0) {
	if (strcmp(maillog_client.file, "/dev/stdout") == 0)
	    maillog_client.file_fd = dup(STDOUT_FILENO);
	else
	    maillog_client.file_fd = open(maillog_client.file,
				       O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC,
					  0600);
	if (maillog_client.file_fd < 0)
	    return false;
    }
    VSTRING_ADDCH(buf, '\n');
    written = write(maillog_client.file_fd, vstring_str(buf), VSTRING_LEN(buf));
    vstring_truncate(buf, VSTRING_LEN(buf) - 1);
    return written == (ssize_t) VSTRING_LEN(buf) + 1;
}

/* maillog_client_syslog - last resort when postlogd is not there */
static void maillog_client_syslog(int level, const char *text)
{
    static const int priorities[] = {
	LOG_INFO, LOG_WARNING, LOG_ERR, LOG_CRIT, LOG_ALERT,
    };
    const char *label = msg_level_label(level);

    syslog(priorities[level < 0 || level > MSG_PANIC ? MSG_PANIC : level],
	   "%s%s%s", label, *label ? ": " : "", text);
}

/* maillog_client_output - msg(3) output for maillog_file logging */
static void maillog_client_output(int level, const char *text, void *context)
{
    static VSTRING *buf;

    (void) context;
    if (maillog_client.ident == NULL)
	return;
    if (buf == NULL)
	buf = vstring_alloc(200);
    maillog_client_format(buf, level, text);
    if (maillog_client_send(buf))
	return;
    if ((maillog_client.flags & MAILLOG_CLIENT_FLAG_LOGWRITER_FALLBACK)
	&& maillog_client_write(buf))
	return;
    maillog_client_syslog(level, text);
}

/* maillog_client_reset - forget the previous setup */
static void maillog_client_reset(void)
{
    myfree(maillog_client.ident);
    myfree(maillog_client.hostname);
    myfree(maillog_client.service_path);
    myfree(maillog_client.file);
    maillog_client.ident = maillog_client.hostname = NULL;
    maillog_client.service_path = maillog_client.file = NULL;
    if (maillog_client.sock >= 0)
	close(maillog_client.sock);
    if (maillog_client.file_fd >= 0)
	close(maillog_client.file_fd);
    maillog_client.sock = maillog_client.file_fd = -1;
    maillog_client.congested = false;
}

/* maillog_client_init - choose syslog or postlogd for this program */
void    maillog_client_init(const char *progname, int flags)
{
    const char *file = VAR_STR(maillog_file);
    const char *env_host = getenv("POSTLOG_HOSTNAME");
    char   *ident;

    maillog_client_reset();
    /* Also the facility of the syslog fallback of maillog_file logging. */
    if (!msg_syslog_set_facility(VAR_STR(syslog_facility)))
	msg_fatal("file %s/%s: parameter %s: unrecognized value: %s",
		  VAR_STR(config_directory), MAIN_CONF_FILE,
		  PARAM_NAME(syslog_facility), excerpt(VAR_STR(syslog_facility)));
    if (flags & MAILLOG_CLIENT_FLAG_IDENT_AS_IS)
	ident = mystrdup(progname);
    else
	ident = concatenate(VAR_STR(syslog_name), "/", base_name(progname),
			    (char *) 0);
    if (*file == 0) {
	if (maillog_output_registered) {
	    msg_output_remove(maillog_client_output, NULL);
	    maillog_output_registered = false;
	}
	msg_syslog_init(ident, LOG_PID | LOG_NDELAY);
	myfree(ident);
	return;
    }
    if (!maillog_client_prefix_ok(file))
	msg_fatal("%s: maillog_file value \"%s\" does not match any "
		  "maillog_file_prefixes value: \"%s\"", progname, excerpt(file),
		  excerpt(VAR_STR(maillog_file_prefixes)));
    maillog_client.ident = ident;
    /* Like syslogd, records show the host name without its domain. */
    maillog_client.hostname = mystrdup(env_host && *env_host ?
				       env_host : VAR_STR(myhostname));
    (void) split_at(maillog_client.hostname, '.');
    maillog_client.service_path = mystrdup(maillog_client_service_path());
    maillog_client.file = mystrdup(file);
    maillog_client.flags = flags;
    msg_syslog_init(ident, LOG_PID | LOG_NDELAY);
    msg_syslog_enable(false);
    if (!maillog_output_registered) {
	msg_output_add(maillog_client_output, NULL);
	maillog_output_registered = true;
    }
}
