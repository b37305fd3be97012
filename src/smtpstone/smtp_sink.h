/*
 * smtp_sink - private interface of smtp-sink(1)
 *
 * SYNOPSIS
 *	#include "smtp_sink.h"
 *
 *	extern SINK_OPTIONS sink_opt;
 *	extern SINK_COUNTERS sink_count;
 *
 *	void	sink_session_create(struct event_base *base, int fd,
 *				const char *client_addr);
 *	void	sink_command_flags(const char *names, int flag);
 *	void	sink_command_delay(const char *spec);
 *
 *	void	sink_session_ended(void);
 *	bool	sink_message_received(void);
 *	void	sink_exit(void);
 *
 *	SINK_DUMP *sink_dump_open(const char *client_addr, const char *proto,
 *				const char *helo_args, const char *mail_args,
 *				const ARGV *rcpt_args);
 *	void	sink_dump_line(SINK_DUMP *dump, const char *text, size_t len,
 *				bool line_end);
 *	void	sink_dump_close(SINK_DUMP *dump);
 *	void	sink_dump_abort(SINK_DUMP *dump);
 *
 * DESCRIPTION
 *	smtp_sink.c holds the command line, the listener and the counters;
 *	smtp_sink_session.c the per-connection protocol and the command
 *	table (-f -q -Q -r -s -W); smtp_sink_dump.c the -d/-D capture
 *	files.
 *
 *	sink_session_create() takes an accepted connection.
 *	sink_command_flags() marks the named commands (comma or space
 *	separated, case-insensitive, CONNECT and "." included) with a
 *	SINK_CMD_* flag, and sink_command_delay() parses one -W value;
 *	both terminate on an unknown command name.
 *
 *	sink_session_ended() and sink_message_received() update and print
 *	(-c) the counters. sink_session_ended() terminates the process
 *	after -n sessions; sink_message_received() returns true after -M
 *	messages, and the session then finishes its output and calls
 *	sink_exit(), which prints the last counters and exits.
 *
 *	sink_dump_open() starts the capture of one transaction (NULL when
 *	neither -d nor -D is in effect); sink_dump_line() adds content
 *	(line_end false: a piece of an overlong line); sink_dump_close()
 *	writes it to its file and sink_dump_abort() forgets it.
 */
#ifndef SMTP_SINK_H
#define SMTP_SINK_H

#include "sys_defs.h"

#include "argv.h"
#include "vstring.h"

struct event_base;

typedef struct SINK_OPTIONS {
    bool    counters;			/* -c */
    bool    lmtp;			/* -L */
    bool    esmtp;			/* not -e */
    bool    pix;			/* -P */
    bool    ann_8bitmime;		/* not -8 */
    bool    ann_auth;			/* not -a */
    bool    ann_xclient;		/* not -C */
    bool    ann_xforward;		/* not -F */
    bool    ann_enhanced;		/* not -E */
    bool    ann_dsn;			/* not -N */
    bool    ann_pipelining;		/* not -p, -f, -r */
    const char *hostname;		/* -h */
    const char *soft_reply;		/* -b */
    const char *hard_reply;		/* -B */
    const char *dump_single;		/* -d template */
    const char *dump_multi;		/* -D template */
    VSTRING *dump_start;		/* -S, unescaped */
    int     abort_delay;		/* -A, -1: off */
    int     data_read_delay;		/* -H */
    int     data_delay;			/* -w */
    int     timeout;			/* -t */
    int     window;			/* -T */
    int     max_sessions;		/* -m */
    int     max_messages;		/* -M, 0: no limit */
    int     max_session_count;		/* -n, 0: no limit */
    bool    syslog;			/* some command has -s */
} SINK_OPTIONS;

typedef struct SINK_COUNTERS {
    int     sessions;			/* ended sessions */
    int     quits;			/* QUIT commands */
    int     messages;			/* accepted messages */
    int     active;			/* open sessions */
} SINK_COUNTERS;

 /*
  * Command flags (-f -r -q -Q -s).
  */
#define SINK_CMD_HARD	(1<<0)		/* -f: 5xx reply */
#define SINK_CMD_SOFT	(1<<1)		/* -r: 4xx reply */
#define SINK_CMD_DROP	(1<<2)		/* -q: disconnect, no reply */
#define SINK_CMD_421	(1<<3)		/* -Q: 421 and disconnect */
#define SINK_CMD_LOG	(1<<4)		/* -s: syslog */

extern SINK_OPTIONS sink_opt;
extern SINK_COUNTERS sink_count;

extern void sink_session_create(struct event_base *base, int fd,
				        const char *client_addr);
extern void sink_command_flags(const char *names, int flag);
extern void sink_command_delay(const char *spec);

extern void sink_session_ended(void);
extern bool sink_message_received(void);
extern NORETURN sink_exit(void);

typedef struct SINK_DUMP SINK_DUMP;

extern SINK_DUMP *sink_dump_open(const char *client_addr, const char *proto,
				         const char *helo_args,
				         const char *mail_args,
				         const ARGV *rcpt_args);
extern void sink_dump_line(SINK_DUMP *dump, const char *text, size_t len,
			           bool line_end);
extern void sink_dump_close(SINK_DUMP *dump);
extern void sink_dump_abort(SINK_DUMP *dump);

#endif
