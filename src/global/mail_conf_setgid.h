/*
 * mail_conf_setgid - read main.cf in a set-gid command
 *
 * SYNOPSIS
 *	#include "mail_conf_setgid.h"
 *
 *	void	mail_conf_setgid_read(const char *program,
 *				const char *config_dir, bool privileged,
 *				uid_t uid, int fail_status);
 *
 * DESCRIPTION
 *	mail_conf_setgid_read() is the start-up that postdrop(1) and
 *	postqueue(1), set-gid programs, share: with config_dir (-c, or
 *	NULL), a privileged process (privileged: it has privileges its
 *	invoker uid lacks) that does not run as root may use a
 *	non-default directory only as mail_conf_checkdir() allows; the
 *	directory becomes the configuration directory and MAIL_CONFIG
 *	(for the programs it runs). Then main.cf is read, logging goes
 *	where maillog_client(3) says for program, and a privileged
 *	process keeps only the $import_environment variables.
 *
 * DIAGNOSTICS
 *	Fatal (exit status fail_status): a failed setenv(); the fatal
 *	errors of mail_conf_checkdir() and mail_conf_read().
 */
#ifndef MAIL_CONF_SETGID_H
#define MAIL_CONF_SETGID_H

#include "sys_defs.h"

#include <sys/types.h>

extern void mail_conf_setgid_read(const char *program, const char *config_dir,
				          bool privileged, uid_t uid,
				          int fail_status);

#endif
