/*
 * mail_conf - read main.cf and evaluate parameter values
 *
 * SYNOPSIS
 *	#include "mail_conf.h"
 *
 *	void	mail_conf_set_dir(const char *dir);
 *	const char *mail_conf_dir(void);
 *	void	mail_conf_read(void);
 *	void	mail_conf_read_file(const char *path);
 *	void	mail_conf_update(const char *name, const char *value);
 *	void	mail_conf_clear(void);
 *
 *	const char *mail_conf_lookup(const char *name);
 *	int	mail_conf_lookup_line(const char *name);
 *	const char *mail_conf_lookup_raw(const char *name);
 *	char	*mail_conf_expand(const char *text);
 *	const char *mail_conf_eval(const char *text);
 *	void	mail_conf_walk(MAIL_CONF_WALK_FN fn, void *context);
 *
 *	char	*mail_conf_get_str(const char *name, const char *defval, long min, long max);
 *	char	*mail_conf_get_raw(const char *name, const char *defval, long min, long max);
 *	long	mail_conf_get_int(const char *name, const char *defval, long min, long max);
 *	bool	mail_conf_get_bool(const char *name, const char *defval);
 *	int	mail_conf_get_time(const char *name, const char *defval, int unit, long min, long max);
 *
 * DESCRIPTION
 *	This module holds the settings of main.cf plus command-line
 *	overrides, and evaluates values the way Postfix does.
 *
 *	mail_conf_set_dir() chooses the configuration directory (the -c
 *	option of every command); otherwise mail_conf_read() uses
 *	$MAIL_CONFIG, else the compiled-in config_directory. When the
 *	directory was chosen explicitly, config_directory counts as set in
 *	main.cf, as with Postfix. mail_conf_read() reads main.cf from there
 *	and is fatal when the file cannot be opened.
 *	mail_conf_read_file() reads one file into the settings.
 *	mail_conf_update() sets or overrides one value (-o name=value).
 *	mail_conf_clear() forgets everything (before a re-read).
 *
 *	mail_conf_lookup() returns the value as written in main.cf (or by
 *	an override), NULL when not set; mail_conf_lookup_line() its line
 *	number (0 for overrides or unset names). mail_conf_lookup_raw()
 *	falls back to the built-in default text of a known parameter.
 *	mail_conf_expand() expands $name references recursively, using
 *	mail_conf_lookup_raw() for each name (undefined names expand to
 *	nothing) and returns a new string; a $name syntax error or too deep
 *	nesting is fatal, with Postfix's message "dictionary mail_dict:
 *	macro processing error" after the expander's warning. A value is
 *	expanded when a program uses it, so that an unused setting that
 *	refers to itself is no error. mail_conf_eval() does the same into a
 *	buffer that is overwritten by the next call. mail_conf_walk()
 *	visits the explicit settings in file order.
 *
 *	The mail_conf_get_*() functions evaluate a parameter by name (the
 *	explicit setting, else defval), convert it and check limits (0 for
 *	max means none). They serve parameters whose names are made at run
 *	time (e.g. <transport>_destination_concurrency_limit) and back
 *	mail_params(3). String results are allocated (free with myfree).
 *
 * DIAGNOSTICS
 *	Warnings: "<file>, line <n>: overriding earlier entry: name=old",
 *	"<file>: read-only parameter assignment: name=value".
 *	Fatal: unreadable main.cf, "<file>, line <n>: missing '=' after
 *	attribute name: "text"", macro errors, and the value errors listed
 *	in mail_params(3).
 */
#ifndef MAIL_CONF_H
#define MAIL_CONF_H

#include "sys_defs.h"

typedef void (*MAIL_CONF_WALK_FN) (const char *name, const char *value,
				           void *context);

extern void mail_conf_set_dir(const char *dir);
extern const char *mail_conf_dir(void);
extern void mail_conf_read(void);
extern void mail_conf_read_file(const char *path);
extern void mail_conf_update(const char *name, const char *value);
extern void mail_conf_clear(void);
extern const char *mail_conf_lookup(const char *name);
extern int mail_conf_lookup_line(const char *name);
extern const char *mail_conf_lookup_raw(const char *name);
extern char *mail_conf_expand(const char *text);
extern const char *mail_conf_eval(const char *text);
extern void mail_conf_walk(MAIL_CONF_WALK_FN fn, void *context);
extern char *mail_conf_get_str(const char *name, const char *defval,
			               long min, long max);
extern char *mail_conf_get_raw(const char *name, const char *defval,
			               long min, long max);
extern long mail_conf_get_int(const char *name, const char *defval,
			              long min, long max);
extern bool mail_conf_get_bool(const char *name, const char *defval);
extern int mail_conf_get_time(const char *name, const char *defval, int unit,
			              long min, long max);

#define MAIN_CONF_FILE	"main.cf"
#define MASTER_CONF_FILE "master.cf"
#define MAIL_CONF_LINE_LIMIT (4 * 1024 * 1024)	/* longest logical line */
#define MAIL_CONF_DICT_NAME	"mail_dict"	/* Postfix's name, in messages */

#endif
