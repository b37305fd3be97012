/*
 * exec_command - replace the process with a command line
 *
 * SYNOPSIS
 *	#include "exec_command.h"
 *
 *	NORETURN exec_command(const char *command);
 *	void	exec_command_try(const char *command, VSTRING *why);
 *	bool	exec_command_needs_shell(const char *command);
 *
 * DESCRIPTION
 *	exec_command_try() executes command in place of the current
 *	process. A command that contains shell syntax (see
 *	exec_command_needs_shell()) is run as /bin/sh -c command; any other
 *	command is split on whitespace and run with execvp(), which
 *	searches PATH, avoiding a shell for the common simple case. It
 *	returns only on failure, with the reason in why (which must not be
 *	NULL): "empty command", "execvp <program>: <error>" or
 *	"execl /bin/sh: <error>". errno is preserved.
 *
 *	exec_command() does the same and terminates the process with a
 *	fatal error when the command cannot be executed.
 *
 *	exec_command_needs_shell() is true when command contains any of
 *	the bytes that have a meaning to the shell: quotes, backslash,
 *	$ ` | & ; < > ( ) { } [ ] * ? ~ # ! = ^, or a newline.
 *
 *	This module does not fork; see spawn_command(3).
 */
#ifndef EXEC_COMMAND_H
#define EXEC_COMMAND_H

#include "sys_defs.h"
#include "vstring.h"

#define EXEC_COMMAND_SHELL	"/bin/sh"

extern NORETURN exec_command(const char *command);
extern void exec_command_try(const char *command, VSTRING *why);
extern bool exec_command_needs_shell(const char *command);

#endif
