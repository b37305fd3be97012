/*
 * smtpd_policy_reply - parse the reply of an SMTPD access policy server
 *
 * SYNOPSIS
 *	See smtpd_policy_reply.h.
 *
 * DESCRIPTION
 *	The parser is kept apart from the client (smtpd_policy.c) so that
 *	unit tests and the fuzz target (tests/fuzz/fuzz_policy_reply.c)
 *	reach it without a server. It never stores more than one action
 *	and bounds both the line length and the number of lines.
 *
 * DIAGNOSTICS
 *	None; the caller logs ("missing attribute action in input from
 *	...", "problem talking to server ...").
 */
#include "sys_defs.h"
#include <errno.h>
#include <string.h>

#include "mymalloc.h"
#include "vstring_vstream.h"

#include "smtpd_policy_reply.h"

#define POLICY_ACTION_NAME	"action"

/* smtpd_policy_reply_create - make an empty reply */

SMTPD_POLICY_REPLY *smtpd_policy_reply_create(void)
{
    SMTPD_POLICY_REPLY *reply = mymalloc(sizeof(*reply));

    reply->buf = vstring_alloc(100);
    reply->line = vstring_alloc(100);
    reply->action = 0;
    reply->lines = 0;
    return (reply);
}

/* smtpd_policy_reply_reset - forget the previous reply */

void    smtpd_policy_reply_reset(SMTPD_POLICY_REPLY *reply)
{
    reply->action = 0;
    reply->lines = 0;
    VSTRING_RESET(reply->buf);
    VSTRING_TERMINATE(reply->buf);
}

/* smtpd_policy_reply_line - take one "name=value" line */

int     smtpd_policy_reply_line(SMTPD_POLICY_REPLY *reply, const char *line,
				        size_t len)
{
    const char *nul = memchr(line, 0, len);
    const char *eq;
    size_t  name_len = sizeof(POLICY_ACTION_NAME) - 1;

    if (nul != 0)
	len = nul - line;
    if (len == 0) {
	reply->lines = 0;
	return (SMTPD_POLICY_REPLY_DONE);
    }
    if (++reply->lines > SMTPD_POLICY_REPLY_MAX_LINES)
	return (SMTPD_POLICY_REPLY_ERROR);
    if ((eq = memchr(line, '=', len)) == 0 || eq == line)
	return (SMTPD_POLICY_REPLY_MORE);
    if (reply->action == 0 && (size_t) (eq - line) == name_len
	&& memcmp(line, POLICY_ACTION_NAME, name_len) == 0) {
	vstring_memcpy(reply->buf, eq + 1, len - (eq + 1 - line));
	VSTRING_TERMINATE(reply->buf);
	reply->action = vstring_str(reply->buf);
    }
    return (SMTPD_POLICY_REPLY_MORE);
}

/* smtpd_policy_reply_read - read one whole reply from a stream */

int     smtpd_policy_reply_read(SMTPD_POLICY_REPLY *reply, VSTREAM *fp)
{
    int     last;
    int     status;

    smtpd_policy_reply_reset(reply);
    for (;;) {
	last = vstring_get_nonl_bound(reply->line, fp,
				      SMTPD_POLICY_REPLY_MAX_LINE);
	if (last == VSTREAM_EOF || last != '\n') {
	    errno = vstream_ftimeout(fp) ? ETIMEDOUT : 0;
	    return (SMTPD_POLICY_REPLY_ERROR);
	}
	status = smtpd_policy_reply_line(reply, vstring_str(reply->line),
					 VSTRING_LEN(reply->line));
	if (status != SMTPD_POLICY_REPLY_MORE) {
	    errno = 0;
	    return (status);
	}
    }
}

/* smtpd_policy_reply_free - destroy a reply */

void    smtpd_policy_reply_free(SMTPD_POLICY_REPLY *reply)
{
    vstring_free(reply->buf);
    vstring_free(reply->line);
    myfree(reply);
}
