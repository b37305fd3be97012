/*
 * mail_params_default - host- and build-dependent parameter defaults
 *
 * SYNOPSIS
 *	#include "mail_params_default.h"
 *
 *	const char *mail_params_default_myhostname(void);
 *	const char *mail_params_default_mydomain(void);
 *	const char *mail_params_default_mynetworks(void);
 *	const char *mail_params_default_process_id(void);
 *	const char *mail_params_default_process_name(void);
 *	const char *mail_params_default_mail_version(void);
 *	const char *mail_params_default_mail_release_date(void);
 *	const char *mail_params_default_<directory>(void);
 *	void	mail_params_set_process_name(const char *name);
 *
 * DESCRIPTION
 *	These compute the defaults that `postconf -d` cannot take from a
 *	fixed table:
 *
 *	myhostname: the host name; when it has no dot, ".$mydomain" is
 *	appended (mydomain as set in main.cf, else "localdomain").
 *	mydomain: $myhostname without its first label, or "localdomain".
 *	mynetworks: from mynetworks_style (host, subnet or class) and the
 *	addresses of the local interfaces (see mynetworks(3)).
 *	process_id: this process's PID; process_name: the program name set
 *	with mail_params_set_process_name() (default "postfix").
 *	mail_version, mail_release_date and the directory parameters
 *	(config_directory, queue_directory, daemon_directory,
 *	command_directory, data_directory, meta_directory, shlib_directory,
 *	manpage_directory, sendmail_path, mailq_path, newaliases_path,
 *	html_directory, readme_directory) come from the build
 *	configuration.
 *
 *	Each result stays valid for the life of the process (values are
 *	computed once and cached, except process_id which follows fork()).
 */
#ifndef MAIL_PARAMS_DEFAULT_H
#define MAIL_PARAMS_DEFAULT_H

extern const char *mail_params_default_myhostname(void);
extern const char *mail_params_default_mydomain(void);
extern const char *mail_params_default_mynetworks(void);
extern const char *mail_params_default_process_id(void);
extern const char *mail_params_default_process_name(void);
extern const char *mail_params_default_mail_version(void);
extern const char *mail_params_default_mail_release_date(void);
extern const char *mail_params_default_config_directory(void);
extern const char *mail_params_default_queue_directory(void);
extern const char *mail_params_default_daemon_directory(void);
extern const char *mail_params_default_command_directory(void);
extern const char *mail_params_default_data_directory(void);
extern const char *mail_params_default_meta_directory(void);
extern const char *mail_params_default_shlib_directory(void);
extern const char *mail_params_default_manpage_directory(void);
extern const char *mail_params_default_sendmail_path(void);
extern const char *mail_params_default_mailq_path(void);
extern const char *mail_params_default_newaliases_path(void);
extern const char *mail_params_default_html_directory(void);
extern const char *mail_params_default_readme_directory(void);
extern void mail_params_set_process_name(const char *name);

#endif
