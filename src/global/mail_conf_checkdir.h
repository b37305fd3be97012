/*
 * mail_conf_checkdir - may a privileged command use this config directory?
 *
 * SYNOPSIS
 *	#include "mail_conf_checkdir.h"
 *
 *	void	mail_conf_checkdir(const char *default_dir,
 *				const char *config_dir);
 *
 * DESCRIPTION
 *	A command that runs with set-gid (or set-uid) privileges must not
 *	let its invoker choose an arbitrary configuration directory with
 *	-c or MAIL_CONFIG: main.cf decides which files the command opens
 *	with its privileges. Postfix accepts a non-default directory only
 *	when the default main.cf lists it in alternate_config_directories
 *	or multi_instance_directories.
 *
 *	mail_conf_checkdir() reads default_dir/main.cf (the compiled-in
 *	config_directory in production; tests pass their own) and returns
 *	when config_dir is listed in one of those two parameters. Values
 *	are taken literally, as Postfix does: elements separated by commas
 *	or whitespace, no $name expansion. A config_dir equal to
 *	default_dir is always accepted.
 *
 *	The caller decides when the check applies (Postfix: a non-default
 *	directory, a process with privileges that its invoker does not
 *	have, and an effective user that is not root). This module does
 *	not touch the settings of mail_conf(3).
 *
 * DIAGNOSTICS
 *	Fatal: "open file <default_dir>/main.cf: <error>", or the error
 *	"untrusted configuration directory name: <config_dir>" followed by
 *	the fatal "specify \"alternate_config_directories = <config_dir>\"
 *	in <default_dir>/main.cf".
 */
#ifndef MAIL_CONF_CHECKDIR_H
#define MAIL_CONF_CHECKDIR_H

#include "sys_defs.h"

extern void mail_conf_checkdir(const char *default_dir, const char *config_dir);

#endif
