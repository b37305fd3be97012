/*
 * msg_output - standard outputs for the msg(3) module
 *
 * SYNOPSIS
 *	void	msg_stderr_init(const char *progname);
 *	void	msg_stderr_enable(bool on);
 *	bool	msg_syslog_set_facility(const char *name);
 *	void	msg_syslog_init(const char *ident, int logopt);
 *	void	msg_syslog_enable(bool on);
 *
 * DESCRIPTION
 *	msg_stderr_init() makes diagnostics go to standard error as
 *	"progname: warning: text". progname is used as given: programs
 *	pass the base name of argv[0], postlog(1) its whole tag
 *	("postfix/postfix-script"), as Postfix shows them. msg_stderr_enable() turns that output
 *	off and on again (daemons turn it off once syslog is set up).
 *
 *	msg_syslog_set_facility() chooses the syslog facility by name
 *	("mail", "local0"...; the syslog_facility parameter) for every
 *	later msg_syslog_init(), and returns false (changing nothing) for an
 *	unknown name. The facility is "mail" until then.
 *
 *	msg_syslog_init() (re)opens syslog with the given ident (the caller
 *	composes "syslog_name/progname") and that facility, which is then
 *	also the facility of plain syslog(3) calls in the process, and
 *	registers the syslog output.
 *	Informational messages are logged at LOG_INFO, warnings at
 *	LOG_WARNING, errors at LOG_ERR, fatal at LOG_CRIT and panics at
 *	LOG_ALERT, each with the "label: " prefix that Postfix uses.
 *	msg_syslog_enable() turns the syslog output off and on again.
 */
#ifndef MSG_OUTPUT_H
#define MSG_OUTPUT_H

#include "sys_defs.h"

extern void msg_stderr_init(const char *progname);
extern void msg_stderr_enable(bool on);
extern bool msg_syslog_set_facility(const char *name);
extern void msg_syslog_init(const char *ident, int logopt);
extern void msg_syslog_enable(bool on);

#endif
