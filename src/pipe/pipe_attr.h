/*
 * pipe_attr - the command attributes of a pipe(8) service
 *
 * SYNOPSIS
 *	#include "pipe_attr.h"
 *
 *	typedef struct PIPE_ATTR { ... } PIPE_ATTR;	(below)
 *
 *	bool	pipe_attr_parse(char **args, const char *mail_owner,
 *				PIPE_ATTR *attr, VSTRING *why);
 *	void	pipe_attr_free(PIPE_ATTR *attr);
 *	int	pipe_attr_copy_flags(int pipe_flags);
 *
 * DESCRIPTION
 *	pipe_attr_parse() reads the master.cf arguments that follow the
 *	generic daemon options (pipe(8) man page, COMMAND ATTRIBUTE
 *	SYNTAX): flags=, user=name[:group] (required), size=, eol=,
 *	null_sender=, directory=, chroot= and argv= (required, last:
 *	every later argument belongs to the command; master(8) has
 *	already removed "{ }" grouping braces). A repeated attribute
 *	replaces the earlier value. The result is true with attr filled
 *	in (pipe_attr_free()), or false with Postfix's reason in why and
 *	nothing to free.
 *
 *	pipe_attr_copy_flags() maps the content flags B D F O R . > to
 *	mail_copy(3) flags.
 *
 *	This module looks nothing up but the user and group.
 *
 * DIAGNOSTICS
 *	Reasons: "unknown flag: <c> (ignored)", "unknown attribute name:
 *	<text>", "get_service_attr: bad size= value: <text>", "missing
 *	user= command-line attribute", "missing argv= command-line
 *	attribute", "user= command-line attribute specifies root
 *	privileges", "user= command-line attribute specifies mail system
 *	owner <name>", "user= command-line attribute specifies privileged
 *	group id 0", and the lookup reasons of command_user(3).
 */
#ifndef PIPE_ATTR_H
#define PIPE_ATTR_H

#include "sys_defs.h"
#include <sys/types.h>
#include "argv.h"
#include "vstring.h"

#define PIPE_FLAG_BLANK		(1<<0)	/* B: blank line at the end */
#define PIPE_FLAG_DELIVERED	(1<<1)	/* D: Delivered-To:, loop check */
#define PIPE_FLAG_FROM		(1<<2)	/* F: From_ line */
#define PIPE_FLAG_ORIG_RCPT	(1<<3)	/* O: X-Original-To: */
#define PIPE_FLAG_RETURN_PATH	(1<<4)	/* R: Return-Path: */
#define PIPE_FLAG_FINAL		(1<<5)	/* X: final delivery */
#define PIPE_FLAG_FOLD_HOST	(1<<6)	/* h: lowercase domains */
#define PIPE_FLAG_QUOTE		(1<<7)	/* q: RFC 822 quoting */
#define PIPE_FLAG_FOLD_USER	(1<<8)	/* u: lowercase local parts */
#define PIPE_FLAG_DOT		(1<<9)	/* .: dot stuffing */
#define PIPE_FLAG_QUOTE_FROM	(1<<10)	/* >: >From quoting */

#define PIPE_DEFAULT_NULL_SENDER "MAILER-DAEMON"

typedef struct PIPE_ATTR {
    int     flags;			/* PIPE_FLAG_* */
    uid_t   uid;			/* user= */
    gid_t   gid;			/* user=...[:group] */
    char   *user;			/* the user name, for messages */
    long    size_limit;			/* size=, 0: none */
    char   *eol;			/* eol=, escapes done; default "\n" */
    char   *null_sender;		/* null_sender= */
    char   *directory;			/* directory=, or NULL */
    char   *chroot;			/* chroot=, or NULL */
    ARGV   *argv;			/* argv=, program first */
} PIPE_ATTR;

extern bool pipe_attr_parse(char **args, const char *mail_owner,
			            PIPE_ATTR *attr, VSTRING *why);
extern void pipe_attr_free(PIPE_ATTR *attr);
extern int pipe_attr_copy_flags(int pipe_flags);

#endif
