/*
 * smtpd_xclient - XCLIENT and XFORWARD attribute parsing, without a session
 *
 * SYNOPSIS
 *	#include "smtpd_xclient.h"
 *
 *	const char *smtpd_xclient_parse(int argc, char **argv,
 *				SMTPD_XCLIENT_ARGS *args);
 *	void	smtpd_xclient_args_free(SMTPD_XCLIENT_ARGS *args);
 *	const char *smtpd_xforward_parse(int argc, char **argv,
 *				SMTPD_XFORWARD_ARGS *args);
 *	void	smtpd_xforward_args_free(SMTPD_XFORWARD_ARGS *args);
 *
 * DESCRIPTION
 *	The attribute part of the commands (argv[1] .. argv[argc - 1],
 *	each "name=value", values xtext), as smtpd_cmd_xclient() and
 *	smtpd_cmd_xforward() use it; a separate interface so that the fuzz
 *	target calls the parsers without a session. argv elements are
 *	modified (split at '=').
 *
 *	smtpd_xclient_parse() fills *args (zeroed first; NULL fields were
 *	not given; name and address fields are in the form smtpd keeps:
 *	"unknown" for [UNAVAILABLE]) and returns NULL, or the 501 reply
 *	for the first bad attribute (*args is then partly filled: free it
 *	all the same). smtpd_xforward_parse() does the same for XFORWARD:
 *	value[i] is NULL for [UNAVAILABLE] (or not given: see given[i]),
 *	values are sanitized ('?' for controls, space, non-ASCII).
 *	Replies stay valid until the next call.
 */
#ifndef SMTPD_XCLIENT_H
#define SMTPD_XCLIENT_H

#include "sys_defs.h"

/* XFORWARD attributes, in EHLO keyword order. */
#define SMTPD_XFORWARD_NAME	0
#define SMTPD_XFORWARD_ADDR	1
#define SMTPD_XFORWARD_PORT	2
#define SMTPD_XFORWARD_PROTO	3
#define SMTPD_XFORWARD_HELO	4
#define SMTPD_XFORWARD_IDENT	5
#define SMTPD_XFORWARD_SOURCE	6
#define SMTPD_XFORWARD_COUNT	7

typedef struct SMTPD_XCLIENT_ARGS {
    char   *name;			/* NAME, or NULL */
    int     name_status;		/* SMTPD_PEER_CODE_* */
    char   *reverse_name;		/* REVERSE_NAME, or NULL */
    int     reverse_status;
    char   *addr;			/* printable, or "unknown" */
    char   *port;
    char   *proto;			/* SMTP or ESMTP */
    char   *helo;			/* sanitized, NULL: unavailable */
    bool    helo_given;
    char   *login;			/* NULL: unavailable */
    bool    login_given;
    char   *destaddr;
    char   *destport;
} SMTPD_XCLIENT_ARGS;

typedef struct SMTPD_XFORWARD_ARGS {
    char   *value[SMTPD_XFORWARD_COUNT];	/* NULL: unavailable */
    bool    given[SMTPD_XFORWARD_COUNT];
} SMTPD_XFORWARD_ARGS;

extern const char *smtpd_xclient_parse(int argc, char **argv,
				               SMTPD_XCLIENT_ARGS *args);
extern void smtpd_xclient_args_free(SMTPD_XCLIENT_ARGS *args);
extern const char *smtpd_xforward_parse(int argc, char **argv,
				                SMTPD_XFORWARD_ARGS *args);
extern void smtpd_xforward_args_free(SMTPD_XFORWARD_ARGS *args);

#endif
