/*
 * sendmail - private interface of the sendmail(1) modules
 *
 * SYNOPSIS
 *	#include "sendmail.h"
 *
 *	int	sendmail_post(VSTREAM *in, VSTREAM *out,
 *				const SENDMAIL_POST *post, VSTRING *why);
 *
 *	void	sendmail_extract(ARGV *rcpts, const char *value);
 *	bool	sendmail_extract_header(const char *header, int *kind,
 *				const char **value);
 *
 *	int	sendmail_notify_parse(const char *text);
 *
 * DESCRIPTION
 *	sendmail_post() (sendmail_post.c) reads a message from in and
 *	writes it to out as the records of a maildrop file
 *	(docs/internals/queue-file.md section 6), from Q to Z: the
 *	envelope of post (a V record with post->verp_delims), the content one line per L record (longer lines
 *	as P records ending with an L, at most post->line_limit bytes
 *	each), and with post->extract the recipients of the To:, Cc: and
 *	Bcc: headers (or, when the message has any Resent-To:, Resent-Cc:
 *	or Resent-Bcc: header, of those only) after the X record. Line
 *	endings follow post->fix_line_endings; without post->ignore_dots
 *	a line with only "." ends the message. It returns SENDMAIL_POST_OK,
 *	or an error code with the reason in why: SENDMAIL_POST_TOO_BIG
 *	(more than post->size_limit content bytes), SENDMAIL_POST_NO_RCPT
 *	(no recipient at all), SENDMAIL_POST_HEADER (with post->extract,
 *	a header longer than post->header_limit: "unable to extract
 *	recipients: message header length exceeds safety limit", as
 *	Postfix's sendmail refuses it), SENDMAIL_POST_READ (input error)
 *	or SENDMAIL_POST_WRITE (output error). After an error the records
 *	written so far lack their Z: the reader must discard them.
 *	Without post->read_content no content is read; with post->probe
 *	(sendmail -bv) the content is the three headers that Postfix's
 *	sendmail writes for a probe: "From: <sender>" (not for the null
 *	sender), "Subject: probe", "To:" with the recipients, one per
 *	line, in external form.
 *
 *	sendmail_extract() (sendmail_extract.c) appends the addresses of
 *	one header value, in internal form, to rcpts (groups are
 *	expanded, comments and phrases dropped, "<>" skipped).
 *	sendmail_extract_header() tells whether a header line (the first
 *	line of a header, "Name: value") is a recipient header, and
 *	which kind (SENDMAIL_HDR_PLAIN: To/Cc/Bcc, SENDMAIL_HDR_RESENT:
 *	Resent-To/-Cc/-Bcc), and where its value starts.
 *
 *	sendmail_notify_parse() parses a -N value ("never", or a comma
 *	list of "success", "failure", "delay") into a REC_DSN_NOTIFY_*
 *	mask; -1 when it is bad.
 */
#ifndef SENDMAIL_H
#define SENDMAIL_H

#include "sys_defs.h"
#include "argv.h"
#include "vstream.h"
#include "vstring.h"

#define SENDMAIL_FIX_ALWAYS	0	/* strip CR before every LF */
#define SENDMAIL_FIX_STRICT	1	/* only when line 1 ends in CRLF */
#define SENDMAIL_FIX_NEVER	2	/* keep CR */

typedef struct SENDMAIL_POST {
    const char *sender;			/* envelope sender, "" for <> */
    const char *full_name;		/* or NULL */
    const char *encoding;		/* "7bit", "8bit" or NULL */
    const char *rewrite_context;	/* "local" or "remote" */
    int     dsn_ret;			/* 0 or REC_DSN_RET_* */
    const char *dsn_envid;		/* or NULL */
    int     dsn_notify;			/* 0 or REC_DSN_NOTIFY_* mask */
    int     trace_flags;		/* 0 or MAILDROP_TRACE_* */
    const char *verp_delims;		/* -XV: two characters, or NULL */
    const ARGV *rcpts;			/* command-line recipients */
    bool    extract;			/* -t */
    bool    ignore_dots;		/* -i, -oi */
    bool    read_content;		/* false: no content */
    bool    probe;			/* -bv: From/Subject/To content */
    int     fix_line_endings;		/* SENDMAIL_FIX_* */
    size_t  line_limit;			/* data bytes per L/P record */
    long    size_limit;			/* content bytes, 0: none */
    size_t  header_limit;		/* bytes in one header, for -t */
    struct timeval arrival;		/* T record */
} SENDMAIL_POST;

#define SENDMAIL_POST_OK	0
#define SENDMAIL_POST_TOO_BIG	1
#define SENDMAIL_POST_NO_RCPT	2
#define SENDMAIL_POST_READ	3
#define SENDMAIL_POST_WRITE	4
#define SENDMAIL_POST_HEADER	5

#define SENDMAIL_HDR_PLAIN	1
#define SENDMAIL_HDR_RESENT	2

extern int sendmail_post(VSTREAM *in, VSTREAM *out,
			         const SENDMAIL_POST *post, VSTRING *why);
extern void sendmail_extract(ARGV *rcpts, const char *value);
extern bool sendmail_extract_header(const char *header, int *kind,
				            const char **value);
extern int sendmail_notify_parse(const char *text);

#endif
