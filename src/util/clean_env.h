/*
 * clean_env - control the environment that a process passes on
 *
 * SYNOPSIS
 *	#include "clean_env.h"
 *
 *	void	clean_env(const char *const *preserve_list);
 *	void	update_env(const char *const *list);
 *	const char *safe_getenv(const char *name);
 *	bool	clean_env_unsafe(void);
 *
 * DESCRIPTION
 *	clean_env() empties the environment except for the variables named
 *	in the null-terminated preserve_list (as Postfix's
 *	import_environment): a "name" entry keeps that variable when it is
 *	set, and a "name=value" entry sets the variable to value whether or
 *	not it was set before. Later entries win.
 *
 *	update_env() sets every "name=value" entry of the null-terminated
 *	list (as Postfix's export_environment and the environment of a
 *	spawned command); entries without '=' are ignored.
 *
 *	safe_getenv() is getenv() for code that may run set-uid or
 *	set-gid: it returns NULL when clean_env_unsafe() is true, so that
 *	the invoking user cannot steer a privileged program through its
 *	environment.
 *
 *	clean_env_unsafe() is true when the process runs with privileges
 *	it did not get from its invoker: the kernel's AT_SECURE flag
 *	(set-uid, set-gid, file capabilities), or real and effective user
 *	or group ids that differ.
 *
 *	This module does not decide which variables are wanted; callers
 *	pass the lists from their configuration.
 *
 * DIAGNOSTICS
 *	Warnings: "clean_env: bad entry: \"<entry>\"" and "update_env: bad
 *	entry: \"<entry>\"" for an entry with an empty name. Fatal: out of
 *	memory while setting a variable.
 */
#ifndef CLEAN_ENV_H
#define CLEAN_ENV_H

#include "sys_defs.h"

extern void clean_env(const char *const *preserve_list);
extern void update_env(const char *const *list);
extern const char *safe_getenv(const char *name);
extern bool clean_env_unsafe(void);

#endif
