/*
 * sys_exits - what a <sysexits.h> exit status means for a delivery
 *
 * SYNOPSIS
 *	#include "sys_exits.h"
 *
 *	const char *sys_exits_status(int code, const char **text);
 *
 * DESCRIPTION
 *	sys_exits_status() returns the DSN status ("5.1.1", "4.3.0", ...)
 *	that Postfix's local(8) and pipe(8) give a command's exit status
 *	code from <sysexits.h> (64 EX_USAGE to 78 EX_CONFIG), and sets
 *	*text to Postfix's text for it ("user unknown", "temporary
 *	failure", ...); NULL (and *text untouched) for any other code.
 */
#ifndef SYS_EXITS_H
#define SYS_EXITS_H

extern const char *sys_exits_status(int code, const char **text);

#endif
