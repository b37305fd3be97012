/*
 * debug_process - run the configured debugger on this process
 *
 * SYNOPSIS
 *	#include "debug_process.h"
 *
 *	void	debug_process(void);
 *
 * DESCRIPTION
 *	debug_process() implements the -D option of master(8) and of every
 *	daemon: it runs $debugger_command with /bin/sh (the value is
 *	expanded first, so that $process_name and $process_id name this
 *	process) and waits for it. A debugger command normally attaches
 *	to $process_id in the background and then sleeps a little, so
 *	that the debugger is ready before the process continues.
 *
 *	This module does not check what the command does.
 *
 * DIAGNOSTICS
 *	Fatal: an empty debugger_command ("no debugger_command variable
 *	set up"). Info: "running: <command>".
 */
#ifndef DEBUG_PROCESS_H
#define DEBUG_PROCESS_H

extern void debug_process(void);

#endif
