/*
 * smtpd_policy_reply - parse the reply of an SMTPD access policy server
 *
 * SYNOPSIS
 *	#include "smtpd_policy_reply.h"
 *
 *	SMTPD_POLICY_REPLY *smtpd_policy_reply_create(void);
 *	void	smtpd_policy_reply_reset(SMTPD_POLICY_REPLY *reply);
 *	int	smtpd_policy_reply_line(SMTPD_POLICY_REPLY *reply,
 *				const char *line, size_t len);
 *	int	smtpd_policy_reply_read(SMTPD_POLICY_REPLY *reply,
 *				VSTREAM *fp);
 *	void	smtpd_policy_reply_free(SMTPD_POLICY_REPLY *reply);
 *
 * DESCRIPTION
 *	A policy reply (SMTPD_POLICY_README) is a list of "name=value"
 *	lines ended by an empty line; the attribute that matters is
 *	"action". As Postfix does, the first action wins, other attributes
 *	and lines without a name or without "=" are ignored.
 *
 *	smtpd_policy_reply_line() takes one line without its newline. It
 *	returns SMTPD_POLICY_REPLY_MORE, SMTPD_POLICY_REPLY_DONE (the empty
 *	line: reply->action is set when the reply had an action) or
 *	SMTPD_POLICY_REPLY_ERROR (too many lines: more than
 *	SMTPD_POLICY_REPLY_MAX_LINES). Bytes after a NUL are ignored.
 *
 *	smtpd_policy_reply_read() reads lines from fp (each bounded by
 *	SMTPD_POLICY_REPLY_MAX_LINE bytes; longer lines are an error)
 *	until the reply ends. It returns SMTPD_POLICY_REPLY_DONE, or
 *	SMTPD_POLICY_REPLY_ERROR with errno set (0 for end of input or a
 *	protocol error, ETIMEDOUT for a timeout).
 *
 *	reply->action is NULL until an action attribute was seen.
 */
#ifndef SMTPD_POLICY_REPLY_H
#define SMTPD_POLICY_REPLY_H

#include "sys_defs.h"
#include "vstream.h"
#include "vstring.h"

#define SMTPD_POLICY_REPLY_MAX_LINE	100000	/* bytes per attribute */
#define SMTPD_POLICY_REPLY_MAX_LINES	1000	/* attributes per reply */

#define SMTPD_POLICY_REPLY_MORE		0
#define SMTPD_POLICY_REPLY_DONE		1
#define SMTPD_POLICY_REPLY_ERROR	(-1)

typedef struct SMTPD_POLICY_REPLY {
    VSTRING *buf;			/* action storage */
    const char *action;			/* NULL or the first action */
    int     lines;			/* lines seen in this reply */
    VSTRING *line;			/* input line, for _read() */
} SMTPD_POLICY_REPLY;

extern SMTPD_POLICY_REPLY *smtpd_policy_reply_create(void);
extern void smtpd_policy_reply_reset(SMTPD_POLICY_REPLY *reply);
extern int smtpd_policy_reply_line(SMTPD_POLICY_REPLY *reply,
				           const char *line, size_t len);
extern int smtpd_policy_reply_read(SMTPD_POLICY_REPLY *reply, VSTREAM *fp);
extern void smtpd_policy_reply_free(SMTPD_POLICY_REPLY *reply);

#endif
