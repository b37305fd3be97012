/*
 * spawn_command - run a command in a child process and wait for it
 *
 * SYNOPSIS
 *	#include "spawn_command.h"
 *
 *	typedef struct SPAWN_COMMAND {
 *	    const char *const *argv;	 program and arguments, or NULL
 *	    const char *command;	 command line, used when argv is NULL
 *	    uid_t   uid;		 (uid_t) -1: keep
 *	    gid_t   gid;		 (gid_t) -1: keep
 *	    const char *const *export_list;  clean_env() list; NULL: keep all
 *	    const char *const *env;	 "name=value" settings, or NULL
 *	    int     stdin_fd;		 -1: inherit
 *	    int     stdout_fd;		 -1: inherit
 *	    int     stderr_fd;		 -1: inherit
 *	    int     time_limit;		 seconds; 0: no limit
 *	} SPAWN_COMMAND;
 *
 *	typedef struct SPAWN_STATUS {
 *	    pid_t   pid;
 *	    int     wait_status;	 raw waitpid() status
 *	    bool    exited;		 exit_code is valid
 *	    int     exit_code;
 *	    bool    signaled;		 signal is valid
 *	    int     signal;
 *	    bool    timed_out;		 killed after time_limit
 *	} SPAWN_STATUS;
 *
 *	void	spawn_command_init(SPAWN_COMMAND *request);
 *	bool	spawn_command(const SPAWN_COMMAND *request,
 *				SPAWN_STATUS *status, VSTRING *why);
 *
 * DESCRIPTION
 *	spawn_command_init() fills a request with the defaults shown above
 *	(no command, keep ids and environment, inherit descriptors, no time
 *	limit). The caller then sets what it needs.
 *
 *	spawn_command() forks. The child starts a new session (and so a
 *	new process group), sets SIGPIPE and SIGCHLD back to their
 *	defaults and unblocks all signals, connects the given descriptors
 *	to its standard input, output and error, applies export_list with
 *	clean_env(3) and then env with update_env(3), switches to uid and
 *	gid with set_ugid(3) when either is not -1 (a -1 half is taken from
 *	the current process), and executes argv with execvp() or command
 *	with exec_command(3).
 *
 *	The parent waits for the child. With a time limit, it kills the
 *	child's whole process group with SIGKILL when the limit passes and
 *	reports timed_out. The result describes how the child ended.
 *
 *	The result is true when the command was started and has ended (in
 *	any way: check status). It is false, with the reason in why (which
 *	must not be NULL), when fork() failed or the child could not set
 *	itself up or execute the command; the child's failure is passed
 *	back over a close-on-exec pipe, so why holds the child's own
 *	reason ("execvp <program>: <error>", a set_ugid(3) text, ...), and
 *	status (when not NULL) still describes the child's exit.
 *
 *	This module does not capture the command's output (pass a pipe or
 *	file as stdout_fd) and does not close other descriptors (open them
 *	close-on-exec).
 *
 * DIAGNOSTICS
 *	Panic: neither argv nor command given. Other problems are returned
 *	in why: "fork: <error>", "pipe: <error>", "dup2: <error>", "wait
 *	for process <pid>: <error>", or the child's reason.
 */
#ifndef SPAWN_COMMAND_H
#define SPAWN_COMMAND_H

#include "sys_defs.h"
#include "vstring.h"

typedef struct SPAWN_COMMAND {
    const char *const *argv;		/* program and arguments, or NULL */
    const char *command;		/* command line (argv == NULL) */
    uid_t   uid;			/* (uid_t) -1: keep */
    gid_t   gid;			/* (gid_t) -1: keep */
    const char *const *export_list;	/* clean_env() list; NULL: keep all */
    const char *const *env;		/* name=value settings, or NULL */
    int     stdin_fd;			/* -1: inherit */
    int     stdout_fd;			/* -1: inherit */
    int     stderr_fd;			/* -1: inherit */
    int     time_limit;			/* seconds; 0: no limit */
} SPAWN_COMMAND;

typedef struct SPAWN_STATUS {
    pid_t   pid;			/* the child */
    int     wait_status;		/* raw waitpid() status */
    bool    exited;			/* exit_code is valid */
    int     exit_code;
    bool    signaled;			/* signal is valid */
    int     signal;
    bool    timed_out;			/* killed after time_limit */
} SPAWN_STATUS;

extern void spawn_command_init(SPAWN_COMMAND *request);
extern bool spawn_command(const SPAWN_COMMAND *request, SPAWN_STATUS *status,
			          VSTRING *why);

#endif
