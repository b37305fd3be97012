/*
 * smtp_session - one connection to a server: state, replies, protocol
 *
 * SYNOPSIS
 *	#include "smtp_session.h"
 *
 *	typedef struct SMTP_SESSION { ... } SMTP_SESSION;	(below)
 *	typedef struct SMTP_RESP { ... } SMTP_RESP;
 *
 *	Sessions (smtp_session.c):
 *	SMTP_SESSION *smtp_session_alloc(VSTREAM *stream,
 *				const SMTP_ADDR *addr);
 *	void	smtp_session_free(SMTP_SESSION *session);
 *	int	smtp_session_passivate(SMTP_SESSION *session, VSTRING *prop);
 *	SMTP_SESSION *smtp_session_activate(int fd, const char *prop,
 *				VSTRING *why);
 *
 *	Replies (smtp_reply.c):
 *	int	smtp_reply_read(SMTP_SESSION *session, SMTP_RESP *resp);
 *	int	smtp_reply_parse(SMTP_RESP *resp, const char *lines[],
 *				int count);
 *	void	smtp_resp_init(SMTP_RESP *resp);
 *	void	smtp_resp_free(SMTP_RESP *resp);
 *
 *	The conversation (smtp_proto.c):
 *	int	smtp_helo(SMTP_STATE *state);
 *	int	smtp_xfer(SMTP_STATE *state);
 *	int	smtp_rset(SMTP_STATE *state);
 *	int	smtp_quit(SMTP_STATE *state);
 *
 * DESCRIPTION
 *	A session is one open connection (a fresh one from
 *	smtp_connect_addr(), or one taken back from the connection
 *	cache). It knows the peer (name, address, port, the "name[addr]"
 *	and "name[addr]:port" forms of the log lines), the server's
 *	features from EHLO/LHLO, the SIZE limit, how often and since
 *	when it has been used, and its per-session deadlines. The TLS
 *	place (next issue): tls_context stays NULL for now; a session
 *	that is cached keeps it together with the socket.
 *
 *	smtp_session_passivate() writes the session's properties (peer,
 *	features, size limit, reuse count, connect time, helo name)
 *	into prop for the connection cache, detaches and returns the
 *	socket, and frees the session. smtp_session_activate() makes a
 *	session from a cached socket and those properties; NULL with
 *	why set when prop is malformed (the caller closes fd).
 *
 *	smtp_reply_read() reads one whole reply within the stage's
 *	deadline: every line up to the first final "NNN text" line (a
 *	line without a code is kept and logged as a non-ESMTP response,
 *	as Postfix does), at most $line_length_limit bytes per line
 *	(longer lines are truncated, not refused; the joined text too),
 *	SMTP_REPLY_MAX_LINES lines kept (the first and the last). resp->code is the 3-digit code of
 *	the last line, resp->dsn the enhanced status code of the last
 *	line when its class matches, else derived from the code (2.0.0,
 *	4.0.0, 5.0.0), resp->str the text joined as Postfix's smtp(8)
 *	logs multi-line replies (the lines as received, codes included,
 *	one space between them: "550-5.1.1 a 550 5.1.1 b"), after
 *	smtp_reply_filter; resp->lines the lines kept. It returns
 *	0, or SMTP_ERR_EOF / SMTP_ERR_TIME (the caller then calls
 *	smtp_stream_except()). A reply without a final line (endless)
 *	counts as 450 4.5.0 and marks the session broken.
 *	smtp_reply_parse() is the pure part, for tests and fuzzing;
 *	smtp_reply_filter_reset() forgets the opened filter (tests).
 *	smtp_session_deadline() bounds each read and write of the
 *	session (the stage timeouts).
 *
 *	Session flags set by smtp_proto: broken (lost, timed out, 421,
 *	protocol error: never reuse, never QUIT), quit_sent (QUIT went
 *	out, e.g. with the end of data: smtp_quit() does nothing),
 *	pix_flags (PIX workarounds configured for the server; the dot
 *	delay also depends on each message's age), debug (debug_peer_list
 *	matched: the conversation is logged), log_id (the queue ID in
 *	warnings). smtp_xfer() adds one to reuse_count per transaction.
 *
 *	smtp_helo() reads the greeting (smtp_skip_5xx_greeting), sends
 *	EHLO/HELO (LHLO for LMTP; smtp_always_send_ehlo,
 *	smtp_never_send_ehlo, smtp_helo_name, lmtp_lhlo_name) and parses
 *	the features (smtp_discard_ehlo_keywords and _maps). It returns
 *	0, or -1 after smtp_sess_fail()/smtp_stream_except().
 *	smtp_xfer() sends one mail transaction for the open recipients:
 *	XFORWARD when enabled, MAIL FROM (SIZE, BODY, SMTPUTF8, RET,
 *	ENVID), RCPT TO (NOTIFY, ORCPT), DATA or BDAT, the content
 *	(smtp_content.h) and the end of data, with PIPELINING batching
 *	as Postfix batches, and reports every recipient it tried through
 *	smtp_status. It returns 0 when the session may be reused
 *	(RSET-able), -1 when it must be closed. When the session is not
 *	to be cached (no SMTP_MISC_FLAG_CONN_STORE) smtp_xfer() sends
 *	QUIT itself (with the end of data or the RSET when pipelining,
 *	as Debian's smtp(8)) and returns -1.
 *	smtp_rset() sends RSET before the next transaction on a reused
 *	session; smtp_quit() sends QUIT (smtp_skip_quit_response).
 */
#ifndef SMTP_SESSION_H
#define SMTP_SESSION_H

#include <time.h>

#include "sys_defs.h"
#include "vstream.h"
#include "vstring.h"
#include "smtp.h"
#include "smtp_addr.h"

/* Server features (session->features). */
#define SMTP_FEATURE_ESMTP	(1<<0)	/* EHLO/LHLO accepted */
#define SMTP_FEATURE_8BITMIME	(1<<1)
#define SMTP_FEATURE_PIPELINING	(1<<2)
#define SMTP_FEATURE_SIZE	(1<<3)
#define SMTP_FEATURE_STARTTLS	(1<<4)
#define SMTP_FEATURE_AUTH	(1<<5)
#define SMTP_FEATURE_DSN	(1<<6)
#define SMTP_FEATURE_XFORWARD_NAME	(1<<7)
#define SMTP_FEATURE_XFORWARD_ADDR	(1<<8)
#define SMTP_FEATURE_XFORWARD_PROTO	(1<<9)
#define SMTP_FEATURE_XFORWARD_HELO	(1<<10)
#define SMTP_FEATURE_XFORWARD_DOMAIN	(1<<11)
#define SMTP_FEATURE_XFORWARD_PORT	(1<<12)
#define SMTP_FEATURE_XFORWARD_IDENT	(1<<13)
#define SMTP_FEATURE_SMTPUTF8	(1<<14)
#define SMTP_FEATURE_CHUNKING	(1<<15)
#define SMTP_FEATURE_BINARYMIME	(1<<16)
#define SMTP_FEATURE_ENHANCEDSTATUSCODES (1<<17)

typedef struct SMTP_SESSION {
    VSTREAM *stream;			/* the connection */
    char   *host;			/* server name */
    char   *addr;			/* printable address; unix: the path */
    unsigned port;			/* host byte order */
    char   *namaddr;			/* "host[addr]" */
    char   *namaddrport;		/* "host[addr]:port" */
    char   *helo;			/* the name the server greeted with */
    int     features;			/* SMTP_FEATURE_* */
    off_t   size_limit;			/* SIZE value, 0: none */
    int     reuse_count;		/* transactions done before this */
    time_t  connect_time;		/* when the connection was made */
    int     reused;			/* taken from the connection cache */
    void   *tls_context;		/* next issue; NULL */
    VSTRING *buffer;			/* reply text */
    VSTRING *scratch;
    /* Protocol state (smtp_session.c, smtp_proto.c). */
    int     debug;			/* debug_peer_level if debug_peer_list
					 * matched, else 0 */
    int     broken;			/* lost, timed out, 421, out of step:
					 * never reuse, never QUIT */
    int     quit_sent;			/* QUIT went out already */
    int     pix_flags;			/* SMTP_PIX_* for this server */
    const char *log_id;			/* queue ID for warnings, or NULL */
} SMTP_SESSION;

/* session->pix_flags (smtp_pix_workarounds). */
#define SMTP_PIX_DISABLE_ESMTP	(1<<0)
#define SMTP_PIX_DELAY_DOTCRLF	(1<<1)

typedef struct SMTP_RESP {
    int     code;			/* 3-digit reply code */
    char    dsn[16];			/* enhanced status code */
    VSTRING *str;			/* the reply text, joined */
    VSTRING *dsn_buf;
    struct ARGV *lines;			/* the lines as received (filtered) */
} SMTP_RESP;

/* Bounds on replies. */
#define SMTP_REPLY_MAX_LINES	1000

extern SMTP_SESSION *smtp_session_alloc(VSTREAM *stream, const SMTP_ADDR *addr);
extern void smtp_session_free(SMTP_SESSION *session);
extern int smtp_session_passivate(SMTP_SESSION *session, VSTRING *prop);
extern SMTP_SESSION *smtp_session_activate(int fd, const char *prop,
					           VSTRING *why);

extern void smtp_resp_init(SMTP_RESP *resp);
extern void smtp_resp_free(SMTP_RESP *resp);
extern int smtp_reply_read(SMTP_SESSION *session, SMTP_RESP *resp);
extern int smtp_reply_parse(SMTP_RESP *resp, const char *lines[], int count);
extern void smtp_reply_filter_reset(void);
extern void smtp_session_deadline(SMTP_SESSION *session, int seconds);

extern int smtp_helo(SMTP_STATE *state);
extern int smtp_xfer(SMTP_STATE *state);
extern int smtp_rset(SMTP_STATE *state);
extern int smtp_quit(SMTP_STATE *state);

#endif
