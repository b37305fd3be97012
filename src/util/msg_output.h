/*
 * msg_output - standard outputs for the msg(3) module
 *
 * SYNOPSIS
 *	void	msg_stderr_init(const char *progname);
 *	void	msg_stderr_enable(bool on);
 *	void	msg_syslog_init(const char *ident, int logopt, int facility);
 *	void	msg_syslog_enable(bool on);
 *	bool	msg_syslog_set_facility(const char *name);
 *	int	msg_syslog_facility_code(const char *name);
 *
 * DESCRIPTION
 *	msg_stderr_init() makes diagnostics go to standard error as
 *	"progname: warning: text". progname is used as given: programs
 *	pass the base name of argv[0], postlog(1) its whole tag
 *	("postfix/postfix-script"), as Postfix shows them. msg_stderr_enable() turns that output
 *	off and on again (daemons turn it off once syslog is set up).
 *
 *	msg_syslog_init() (re)opens syslog with the given ident (the caller
 *	composes "syslog_name/progname") and registers the syslog output.
 *	Informational messages are logged at LOG_INFO, warnings at
 *	LOG_WARNING, errors at LOG_ERR, fatal at LOG_CRIT and panics at
 *	LOG_ALERT, each with the "label: " prefix that Postfix uses.
 *	msg_syslog_enable() turns the syslog output off and on again.
 *	msg_syslog_set_facility() changes the facility by name ("mail",
 *	"local0"...) and returns false for an unknown name;
 *	msg_syslog_facility_code() converts a name, or returns -1.
 */
#ifndef MSG_OUTPUT_H
#define MSG_OUTPUT_H

#include "sys_defs.h"

extern void msg_stderr_init(const char *progname);
extern void msg_stderr_enable(bool on);
extern void msg_syslog_init(const char *ident, int logopt, int facility);
extern void msg_syslog_enable(bool on);
extern bool msg_syslog_set_facility(const char *name);
extern int msg_syslog_facility_code(const char *name);

#endif
