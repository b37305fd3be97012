/*
 * msg_output - standard outputs for the msg(3) module
 *
 * DESCRIPTION
 *	See msg_output.h. The stderr output writes each line with a single
 *	write() so that lines from concurrent processes do not interleave.
 */
#include "sys_defs.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>
#include <unistd.h>

#include "msg.h"
#include "msg_output.h"
#include "mymalloc.h"

static char *msg_stderr_progname;
static bool msg_stderr_active;
static char *msg_syslog_ident;
static int msg_syslog_facility = LOG_MAIL;
static bool msg_syslog_active;

/* msg_stderr_print - write "progname: label: text" to stderr */
static void msg_stderr_print(int level, const char *text, void *context)
{
    const char *label = msg_level_label(level);
    size_t  len;
    char   *line;
    ssize_t ignored;

    (void) context;
    if (!msg_stderr_active)
	return;
    len = strlen(msg_stderr_progname) + strlen(label) + strlen(text) + 8;
    line = mymalloc(len);
    if (*label)
	snprintf(line, len, "%s: %s: %s\n", msg_stderr_progname, label, text);
    else
	snprintf(line, len, "%s: %s\n", msg_stderr_progname, text);
    ignored = write(STDERR_FILENO, line, strlen(line));
    (void) ignored;
    myfree(line);
}

/* msg_stderr_init - log to standard error with a program name prefix */
void msg_stderr_init(const char *progname)
{
    myfree(msg_stderr_progname);
    msg_stderr_progname = mystrdup(progname);
    msg_stderr_active = true;
    msg_output_add(msg_stderr_print, NULL);
}

/* msg_stderr_enable - turn the stderr output on or off */
void msg_stderr_enable(bool on)
{
    msg_stderr_active = on;
}

/* msg_syslog_print - send one message to syslog */
static void msg_syslog_print(int level, const char *text, void *context)
{
    static const int priorities[] = {
	LOG_INFO, LOG_WARNING, LOG_ERR, LOG_CRIT, LOG_ALERT,
    };
    const char *label = msg_level_label(level);

    (void) context;
    if (!msg_syslog_active)
	return;
    if (level < MSG_INFO || level > MSG_PANIC)
	level = MSG_PANIC;
    if (*label)
	syslog(msg_syslog_facility | priorities[level], "%s: %s", label, text);
    else
	syslog(msg_syslog_facility | priorities[level], "%s", text);
}

/* msg_syslog_init - log to syslog under the given ident */
void msg_syslog_init(const char *ident, int logopt)
{
    char   *old = msg_syslog_ident;

    /* openlog() keeps the pointer, so the new copy must outlive it. */
    msg_syslog_ident = mystrdup(ident);
    openlog(msg_syslog_ident, logopt, msg_syslog_facility);
    myfree(old);
    msg_syslog_active = true;
    msg_output_add(msg_syslog_print, NULL);
}

/* msg_syslog_enable - turn the syslog output on or off */
void    msg_syslog_enable(bool on)
{
    msg_syslog_active = on;
}

static const struct {
    const char *name;
    int     code;
} msg_facilities[] = {
    {"auth", LOG_AUTH}, {"authpriv", LOG_AUTHPRIV}, {"cron", LOG_CRON},
    {"daemon", LOG_DAEMON}, {"ftp", LOG_FTP}, {"kern", LOG_KERN},
    {"lpr", LOG_LPR}, {"mail", LOG_MAIL}, {"news", LOG_NEWS},
    {"syslog", LOG_SYSLOG}, {"user", LOG_USER}, {"uucp", LOG_UUCP},
    {"local0", LOG_LOCAL0}, {"local1", LOG_LOCAL1}, {"local2", LOG_LOCAL2},
    {"local3", LOG_LOCAL3}, {"local4", LOG_LOCAL4}, {"local5", LOG_LOCAL5},
    {"local6", LOG_LOCAL6}, {"local7", LOG_LOCAL7},
};

/* msg_syslog_set_facility - the facility of later msg_syslog_init() calls */
bool    msg_syslog_set_facility(const char *name)
{
    size_t  n;

    for (n = 0; n < ARRAY_LEN(msg_facilities); n++) {
	if (strcasecmp(msg_facilities[n].name, name) == 0) {
	    msg_syslog_facility = msg_facilities[n].code;
	    return true;
	}
    }
    return false;
}
