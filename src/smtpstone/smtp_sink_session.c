/*
 * smtp_sink_session - one smtp-sink(1) connection
 *
 * SYNOPSIS
 *	See smtp_sink.h.
 *
 * DESCRIPTION
 *	A session reads commands as they come (pipelined or not), answers
 *	each through the buffered output of a libevent bufferevent, and
 *	throws message content away (or hands it to the -d/-D capture).
 *	The replies are those of Postfix's smtp-sink: "250 2.1.0 Ok" for
 *	MAIL, "503 5.5.1 Error: need RCPT command" for DATA without
 *	recipients, and so on.
 *
 *	The command table carries the -f/-r/-q/-Q/-s flags and the -W
 *	delays of each command; CONNECT (the greeting) and "." (the end
 *	of the content) are commands too. A delayed command stops the
 *	reading until its timer fires, so that pipelined input waits
 *	behind it, as it would with a slow server.
 *
 *	A session is freed only at the end of a callback (sink_finish()),
 *	never in the middle of one, so that handlers may end a session
 *	freely.
 *
 *	Bounds: a command line is at most SINK_LINE_LIMIT bytes (a longer
 *	one is discarded and answered with 500); a content line longer
 *	than that is taken in pieces; -t bounds every read and write.
 *
 * DIAGNOSTICS
 *	Warnings: read or write timeout, I/O errors. Fatal: an unknown
 *	command name or a bad delay in -f -q -Q -r -s -W.
 */
#include "sys_defs.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>

#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>

#include "msg.h"
#include "mymalloc.h"
#include "argv.h"
#include "vstring.h"
#include "stringops.h"
#include "smtpstone.h"
#include "smtp_sink.h"

#define SINK_LINE_LIMIT	4096		/* command line, content piece */

typedef enum SINK_STATE {
    SINK_STATE_COMMAND,			/* reading commands */
    SINK_STATE_DATA,			/* reading content */
    SINK_STATE_WAIT,			/* a timer runs, no reading */
    SINK_STATE_CLOSE,			/* flush the output, then end */
    SINK_STATE_DEAD,			/* end at the next sink_finish() */
} SINK_STATE;

typedef enum SINK_TIMER {
    SINK_TIMER_COMMAND,			/* -W, -w: run a delayed command */
    SINK_TIMER_READ,			/* -H: resume reading content */
    SINK_TIMER_ABORT,			/* -A: 550 and disconnect */
} SINK_TIMER;

typedef struct SINK_SESSION SINK_SESSION;

typedef struct SINK_COMMAND {
    const char *name;			/* upper case */
    void    (*action) (SINK_SESSION *, const char *);
    int     flags;			/* SINK_CMD_* */
    int     delay;			/* -W seconds */
    int     odds;			/* -W odds, 0: fixed delay */
} SINK_COMMAND;

struct SINK_SESSION {
    struct bufferevent *bev;		/* the connection */
    struct event *timer;		/* delays */
    SINK_TIMER timer_purpose;
    SINK_STATE state;
    char   *client_addr;		/* for captures and messages */
    VSTRING *line;			/* command line */
    bool    skipping;			/* discarding an overlong line */
    bool    data_bol;			/* content: at the start of a line */
    bool    dot_in_data;		/* "." ends content */
    bool    in_mail;			/* MAIL accepted */
    VSTRING *mail_args;			/* MAIL arguments */
    ARGV   *rcpt_args;			/* accepted RCPT arguments */
    char   *helo_args;			/* last HELO/EHLO/LHLO arguments */
    const char *proto;			/* SMTP, ESMTP, LMTP */
    SINK_DUMP *dump;			/* capture in progress */
    const SINK_COMMAND *pending;	/* delayed command */
    char   *pending_args;
    bool    exit_after_flush;		/* -M count reached */
};

static void sink_connect(SINK_SESSION *, const char *);
static void sink_helo(SINK_SESSION *, const char *);
static void sink_ehlo(SINK_SESSION *, const char *);
static void sink_lhlo(SINK_SESSION *, const char *);
static void sink_mail(SINK_SESSION *, const char *);
static void sink_rcpt(SINK_SESSION *, const char *);
static void sink_data(SINK_SESSION *, const char *);
static void sink_dot(SINK_SESSION *, const char *);
static void sink_rset(SINK_SESSION *, const char *);
static void sink_ok(SINK_SESSION *, const char *);
static void sink_xclient(SINK_SESSION *, const char *);
static void sink_xforward(SINK_SESSION *, const char *);
static void sink_quit(SINK_SESSION *, const char *);
static void sink_process(SINK_SESSION *);
static void sink_finish(SINK_SESSION *);

static SINK_COMMAND sink_commands[] = {
    {"CONNECT", sink_connect, 0, 0, 0},
    {"HELO", sink_helo, 0, 0, 0},
    {"EHLO", sink_ehlo, 0, 0, 0},
    {"LHLO", sink_lhlo, 0, 0, 0},
    {"XCLIENT", sink_xclient, 0, 0, 0},
    {"XFORWARD", sink_xforward, 0, 0, 0},
    {"AUTH", sink_ok, 0, 0, 0},
    {"MAIL", sink_mail, 0, 0, 0},
    {"RCPT", sink_rcpt, 0, 0, 0},
    {"DATA", sink_data, 0, 0, 0},
    {".", sink_dot, 0, 0, 0},
    {"RSET", sink_rset, 0, 0, 0},
    {"NOOP", sink_ok, 0, 0, 0},
    {"VRFY", sink_ok, 0, 0, 0},
    {"QUIT", sink_quit, 0, 0, 0},
    {0, 0, 0, 0, 0},
};

#define SINK_CONNECT_CMD	(sink_commands + 0)
#define SINK_DOT_CMD		(sink_commands + 10)

/* sink_lookup - find a command by name, case-insensitively */
static SINK_COMMAND *sink_lookup(const char *name)
{
    SINK_COMMAND *cmd;

    for (cmd = sink_commands; cmd->name != NULL; cmd++)
	if (strcasecmp(cmd->name, name) == 0)
	    return cmd;
    return NULL;
}

/* sink_command_flags - mark the named commands (-f -q -Q -r -s) */
void    sink_command_flags(const char *names, int flag)
{
    ARGV   *list = argv_split(names, ", \t\r\n");
    SINK_COMMAND *cmd;
    size_t  i;

    for (i = 0; i < list->argc; i++) {
	if ((cmd = sink_lookup(list->argv[i])) == NULL)
	    msg_fatal("unknown command: %s", list->argv[i]);
	cmd->flags |= flag;
    }
    argv_free(list);
}

/* sink_command_delay - parse one -W command:delay[:odds] */
void    sink_command_delay(const char *spec)
{
    ARGV   *parts = argv_split(spec, ":");
    SINK_COMMAND *cmd;

    if (parts->argc < 2 || parts->argc > 3)
	msg_fatal("bad -W value: %s (use command:delay[:odds])", spec);
    if ((cmd = sink_lookup(parts->argv[0])) == NULL)
	msg_fatal("unknown command: %s", parts->argv[0]);
    cmd->delay = smtpstone_count(parts->argv[1], "-W delay", 0);
    if (parts->argc == 3) {
	cmd->odds = smtpstone_count(parts->argv[2], "-W odds", 1);
	if (cmd->odds > 99)
	    msg_fatal("bad -W odds: %s", parts->argv[2]);
    }
    argv_free(parts);
}

/* sink_reply - queue one reply line */
static void PRINTFLIKE(2, 3) sink_reply(SINK_SESSION *sess,
					        const char *fmt,...)
{
    struct evbuffer *out = bufferevent_get_output(sess->bev);
    va_list ap;

    va_start(ap, fmt);
    evbuffer_add_vprintf(out, fmt, ap);
    va_end(ap);
    evbuffer_add(out, "\r\n", 2);
}

/* sink_reset - end the mail transaction */
static void sink_reset(SINK_SESSION *sess)
{
    sess->in_mail = false;
    VSTRING_RESET(sess->mail_args);
    argv_truncate(sess->rcpt_args, 0);
    if (sess->dump != NULL) {
	sink_dump_abort(sess->dump);
	sess->dump = NULL;
    }
}

/* sink_close_after_flush - stop reading, end once the output is out */
static void sink_close_after_flush(SINK_SESSION *sess)
{
    bufferevent_disable(sess->bev, EV_READ);
    sess->state = SINK_STATE_CLOSE;
}

/* sink_start_timer - stop reading for a while */
static void sink_start_timer(SINK_SESSION *sess, SINK_TIMER purpose,
			             int seconds)
{
    struct timeval tv = {seconds, 0};

    bufferevent_disable(sess->bev, EV_READ);
    sess->state = SINK_STATE_WAIT;
    sess->timer_purpose = purpose;
    evtimer_add(sess->timer, &tv);
}

/* sink_unknown - the reply to a command that is not supported */
static void sink_unknown(SINK_SESSION *sess)
{
    sink_reply(sess, "500 5.5.1 Error: unknown command");
}

/* sink_connect - the greeting */
static void sink_connect(SINK_SESSION *sess, const char *args)
{
    if (sink_opt.pix)
	sink_reply(sess, "220 ********");
    else if (sink_opt.esmtp)
	sink_reply(sess, "220 %s ESMTP", sink_opt.hostname);
    else
	sink_reply(sess, "220 %s", sink_opt.hostname);
}

/* sink_set_helo - remember HELO/EHLO/LHLO arguments and protocol */
static void sink_set_helo(SINK_SESSION *sess, const char *args,
			          const char *proto)
{
    if (sess->helo_args != NULL)
	myfree(sess->helo_args);
    sess->helo_args = mystrdup(args);
    sess->proto = proto;
}

/* sink_features - the EHLO/LHLO reply */
static void sink_features(SINK_SESSION *sess)
{
    sink_reply(sess, "250-%s", sink_opt.hostname);
    if (sink_opt.ann_pipelining)
	sink_reply(sess, "250-PIPELINING");
    if (sink_opt.ann_8bitmime)
	sink_reply(sess, "250-8BITMIME");
    if (sink_opt.ann_auth)
	sink_reply(sess, "250-AUTH PLAIN LOGIN");
    if (sink_opt.ann_xclient)
	sink_reply(sess, "250-XCLIENT NAME HELO");
    if (sink_opt.ann_xforward)
	sink_reply(sess, "250-XFORWARD NAME ADDR PROTO HELO");
    if (sink_opt.ann_enhanced)
	sink_reply(sess, "250-ENHANCEDSTATUSCODES");
    if (sink_opt.ann_dsn)
	sink_reply(sess, "250-DSN");
    /* Postfix's smtp-sink ends the list with an empty keyword line. */
    sink_reply(sess, "250 ");
}

/* sink_helo - HELO (SMTP only) */
static void sink_helo(SINK_SESSION *sess, const char *args)
{
    if (sink_opt.lmtp) {
	sink_unknown(sess);
	return;
    }
    sink_set_helo(sess, args, "SMTP");
    sink_reply(sess, "250 %s", sink_opt.hostname);
}

/* sink_ehlo - EHLO (ESMTP only) */
static void sink_ehlo(SINK_SESSION *sess, const char *args)
{
    if (sink_opt.lmtp || !sink_opt.esmtp) {
	sink_unknown(sess);
	return;
    }
    sink_set_helo(sess, args, "ESMTP");
    sink_features(sess);
}

/* sink_lhlo - LHLO (LMTP only) */
static void sink_lhlo(SINK_SESSION *sess, const char *args)
{
    if (!sink_opt.lmtp) {
	sink_unknown(sess);
	return;
    }
    sink_set_helo(sess, args, "LMTP");
    sink_features(sess);
}

/* sink_address_args - the text after "FROM:" or "TO:" */
static const char *sink_address_args(const char *args)
{
    const char *colon = strchr(args, ':');

    if (colon == NULL)
	return args;
    for (colon++; *colon == ' ' || *colon == '\t'; colon++)
	 /* void */ ;
    return colon;
}

/* sink_mail - MAIL FROM */
static void sink_mail(SINK_SESSION *sess, const char *args)
{
    if (sess->in_mail) {
	sink_reply(sess, "503 5.5.1 Error: nested MAIL command");
	return;
    }
    sess->in_mail = true;
    vstring_strcpy(sess->mail_args, sink_address_args(args));
    sink_reply(sess, "250 2.1.0 Ok");
}

/* sink_rcpt - RCPT TO */
static void sink_rcpt(SINK_SESSION *sess, const char *args)
{
    if (!sess->in_mail) {
	sink_reply(sess, "503 5.5.1 Error: need MAIL command");
	return;
    }
    argv_add(sess->rcpt_args, sink_address_args(args), (char *) 0);
    sink_reply(sess, "250 2.1.5 Ok");
}

/* sink_data - DATA: start reading content */
static void sink_data(SINK_SESSION *sess, const char *args)
{
    if (sess->rcpt_args->argc == 0) {
	sink_reply(sess, "503 5.5.1 Error: need RCPT command");
	return;
    }
    sink_reply(sess, "354 End data with <CR><LF>.<CR><LF>");
    sess->dump = sink_dump_open(sess->client_addr, sess->proto,
				sess->helo_args,
				vstring_str(sess->mail_args),
				sess->rcpt_args);
    sess->state = SINK_STATE_DATA;
    sess->data_bol = true;
    if (sink_opt.abort_delay >= 0)
	sink_start_timer(sess, SINK_TIMER_ABORT, sink_opt.abort_delay);
    else if (sink_opt.data_read_delay > 0)
	sink_start_timer(sess, SINK_TIMER_READ, sink_opt.data_read_delay);
}

/* sink_dot_replies - one reply (SMTP) or one per recipient (LMTP) */
static void sink_dot_replies(SINK_SESSION *sess, const char *reply)
{
    size_t  i;

    if (!sink_opt.lmtp)
	sink_reply(sess, "%s", reply);
    else
	for (i = 0; i < sess->rcpt_args->argc; i++)
	    sink_reply(sess, "%s", reply);
}

/* sink_dot - the end of the content (or a stray "." command) */
static void sink_dot(SINK_SESSION *sess, const char *args)
{
    if (!sess->dot_in_data) {
	sink_dot_replies(sess, sink_opt.lmtp ? "250 2.2.0 Ok" : "250 2.0.0 Ok");
	return;
    }
    sess->dot_in_data = false;
    if (sess->dump != NULL) {
	sink_dump_close(sess->dump);
	sess->dump = NULL;
    }
    sink_dot_replies(sess, sink_opt.lmtp ? "250 2.2.0 Ok" : "250 2.0.0 Ok");
    sink_reset(sess);
    if (sink_message_received())
	sess->exit_after_flush = true;
}

/* sink_rset - RSET */
static void sink_rset(SINK_SESSION *sess, const char *args)
{
    sink_reset(sess);
    sink_reply(sess, "250 2.1.0 Ok");
}

/* sink_ok - NOOP, VRFY, and AUTH (accepted at once, also with -a) */
static void sink_ok(SINK_SESSION *sess, const char *args)
{
    sink_reply(sess, "250 2.0.0 Ok");
}

/* sink_xclient - XCLIENT, unless disabled with -C */
static void sink_xclient(SINK_SESSION *sess, const char *args)
{
    if (sink_opt.ann_xclient)
	sink_ok(sess, args);
    else
	sink_unknown(sess);
}

/* sink_xforward - XFORWARD, unless disabled with -F */
static void sink_xforward(SINK_SESSION *sess, const char *args)
{
    if (sink_opt.ann_xforward)
	sink_ok(sess, args);
    else
	sink_unknown(sess);
}

/* sink_quit - QUIT */
static void sink_quit(SINK_SESSION *sess, const char *args)
{
    sink_count.quits++;
    sink_reply(sess, "221 Bye");
    sink_close_after_flush(sess);
}

/* sink_execute - apply a command's flags, then its action */
static void sink_execute(SINK_SESSION *sess, const SINK_COMMAND *cmd,
			         const char *args)
{
    const char *reject = NULL;

    if (cmd->flags & SINK_CMD_LOG)
	syslog(LOG_INFO, "%s: %s%s%s", sess->client_addr, cmd->name,
	       *args ? " " : "", args);
    if (cmd->flags & SINK_CMD_DROP) {
	sess->state = SINK_STATE_DEAD;
	return;
    }
    if (cmd->flags & SINK_CMD_421) {
	sink_reply(sess, "421 4.0.0 Server closing connection");
	sink_close_after_flush(sess);
	return;
    }
    if (cmd->flags & SINK_CMD_HARD)
	reject = sink_opt.hard_reply;
    else if (cmd->flags & SINK_CMD_SOFT)
	reject = sink_opt.soft_reply;
    if (reject == NULL) {
	cmd->action(sess, args);
    } else if (cmd == SINK_DOT_CMD) {
	sink_dot_replies(sess, reject);
	if (sess->dot_in_data) {
	    sess->dot_in_data = false;
	    sink_reset(sess);
	}
    } else {
	sink_reply(sess, "%s", reject);
    }
}

/* sink_dispatch - run a command now, or after its delay */
static void sink_dispatch(SINK_SESSION *sess, const SINK_COMMAND *cmd,
			          const char *args)
{
    int     delay = cmd->delay;
    int     rolls;

    if (cmd->odds > 0) {
	for (rolls = 0; random() % 100 < cmd->odds && rolls < 1000; rolls++)
	     /* void */ ;
	delay *= rolls;
    }
    if (strcmp(cmd->name, "DATA") == 0)
	delay += sink_opt.data_delay;
    if (delay > 0) {
	sess->pending = cmd;
	sess->pending_args = mystrdup(args);
	sink_start_timer(sess, SINK_TIMER_COMMAND, delay);
	return;
    }
    sink_execute(sess, cmd, args);
}

/* sink_command - parse and dispatch one command line */
static void sink_command(SINK_SESSION *sess, char *line)
{
    const SINK_COMMAND *cmd;
    char   *args;

    if (msg_verbose)
	msg_info("%s", line);
    if (*line == 0) {
	sink_reply(sess, "500 5.5.2 Error: unknown command");
	return;
    }
    args = line + strcspn(line, " \t");
    if (*args != 0)
	*args++ = 0;
    args += strspn(args, " \t");
    if ((cmd = sink_lookup(line)) == NULL || cmd == SINK_CONNECT_CMD) {
	sink_unknown(sess);
	return;
    }
    sink_dispatch(sess, cmd, args);
}

/* sink_content - consume content; true when "." ended it */
static bool sink_content(SINK_SESSION *sess)
{
    struct evbuffer *in = bufferevent_get_input(sess->bev);
    struct evbuffer_ptr eol;
    size_t  eol_len;
    size_t  len;
    char    first[2];
    char   *piece;

    for (;;) {
	eol = evbuffer_search_eol(in, NULL, &eol_len, EVBUFFER_EOL_CRLF);
	if (eol.pos < 0) {
	    /* No line end: take an overlong line in pieces, else wait. */
	    if ((len = evbuffer_get_length(in)) <= SINK_LINE_LIMIT)
		return false;
	    len = SINK_LINE_LIMIT;
	    piece = (char *) evbuffer_pullup(in, (ssize_t) len);
	    if (piece[len - 1] == '\r')
		len--;
	    if (sess->dump != NULL)
		sink_dump_line(sess->dump, piece + (sess->data_bol
						    && piece[0] == '.'),
			       len - (sess->data_bol && piece[0] == '.'),
			       false);
	    evbuffer_drain(in, len);
	    sess->data_bol = false;
	    continue;
	}
	len = (size_t) eol.pos;
	if (sess->data_bol && len == 1
	    && evbuffer_copyout(in, first, 1) == 1 && first[0] == '.') {
	    evbuffer_drain(in, len + eol_len);
	    sess->state = SINK_STATE_COMMAND;
	    sess->dot_in_data = true;
	    if (msg_verbose)
		msg_info(".");
	    sink_dispatch(sess, SINK_DOT_CMD, "");
	    return true;
	}
	if (sess->dump != NULL) {
	    piece = (char *) evbuffer_pullup(in, (ssize_t) len);
	    if (sess->data_bol && len > 0 && piece[0] == '.')
		sink_dump_line(sess->dump, piece + 1, len - 1, true);
	    else
		sink_dump_line(sess->dump, piece, len, true);
	}
	evbuffer_drain(in, len + eol_len);
	sess->data_bol = true;
    }
}

/* sink_process - handle all complete input */
static void sink_process(SINK_SESSION *sess)
{
    struct evbuffer *in = bufferevent_get_input(sess->bev);
    int     status;

    while (sess->state == SINK_STATE_COMMAND
	   || sess->state == SINK_STATE_DATA) {
	if (sess->state == SINK_STATE_DATA) {
	    if (!sink_content(sess))
		break;
	    continue;
	}
	status = smtpstone_line(in, sess->line, SINK_LINE_LIMIT);
	if (status == 0)
	    break;
	if (status < 0) {
	    evbuffer_drain(in, evbuffer_get_length(in));
	    sess->skipping = true;
	    continue;
	}
	if (sess->skipping) {
	    sess->skipping = false;
	    sink_reply(sess, "500 5.5.2 Error: command line too long");
	    continue;
	}
	sink_command(sess, vstring_str(sess->line));
    }
}

/* sink_free - end a session */
static void sink_free(SINK_SESSION *sess)
{
    if (msg_verbose)
	msg_info("disconnect");
    if (sess->dump != NULL)
	sink_dump_abort(sess->dump);
    bufferevent_free(sess->bev);
    event_free(sess->timer);
    myfree(sess->client_addr);
    vstring_free(sess->line);
    vstring_free(sess->mail_args);
    argv_free(sess->rcpt_args);
    if (sess->helo_args != NULL)
	myfree(sess->helo_args);
    if (sess->pending_args != NULL)
	myfree(sess->pending_args);
    myfree(sess);
    sink_session_ended();
}

/* sink_finish - the end of every callback: exit, end or go on */
static void sink_finish(SINK_SESSION *sess)
{
    bool    flushed = evbuffer_get_length(bufferevent_get_output(sess->bev))
    == 0;

    if (sess->exit_after_flush && (flushed || sess->state == SINK_STATE_DEAD))
	sink_exit();
    if (sess->state == SINK_STATE_DEAD
	|| (sess->state == SINK_STATE_CLOSE && flushed))
	sink_free(sess);
}

/* sink_read_event - input arrived */
static void sink_read_event(struct bufferevent *bev, void *context)
{
    SINK_SESSION *sess = context;

    sink_process(sess);
    sink_finish(sess);
}

/* sink_write_event - the output was written */
static void sink_write_event(struct bufferevent *bev, void *context)
{
    sink_finish((SINK_SESSION *) context);
}

/* sink_other_event - end of file, error or timeout */
static void sink_other_event(struct bufferevent *bev, short what,
			             void *context)
{
    SINK_SESSION *sess = context;

    if (what & BEV_EVENT_TIMEOUT)
	msg_warn("%s timeout", (what & BEV_EVENT_READING) ? "read" : "write");
    else if ((what & BEV_EVENT_ERROR) && msg_verbose)
	msg_info("%s: %s", sess->client_addr,
		 evutil_socket_error_to_string(EVUTIL_SOCKET_ERROR()));
    sess->state = SINK_STATE_DEAD;
    sink_finish(sess);
}

/* sink_timer_event - a delay is over */
static void sink_timer_event(evutil_socket_t fd, short what, void *context)
{
    SINK_SESSION *sess = context;
    const SINK_COMMAND *cmd;
    char   *args;

    switch (sess->timer_purpose) {
    case SINK_TIMER_COMMAND:
	cmd = sess->pending;
	args = sess->pending_args;
	sess->pending = NULL;
	sess->pending_args = NULL;
	sess->state = SINK_STATE_COMMAND;
	bufferevent_enable(sess->bev, EV_READ);
	sink_execute(sess, cmd, args);
	myfree(args);
	break;
    case SINK_TIMER_READ:
	sess->state = SINK_STATE_DATA;
	bufferevent_enable(sess->bev, EV_READ);
	break;
    case SINK_TIMER_ABORT:
	sink_reply(sess, "550 This violates SMTP");
	sink_close_after_flush(sess);
	break;
    }
    sink_process(sess);
    sink_finish(sess);
}

/* sink_session_create - start a session on an accepted connection */
void    sink_session_create(struct event_base *base, int fd,
			            const char *client_addr)
{
    SINK_SESSION *sess = (SINK_SESSION *) mymalloc(sizeof(*sess));
    struct timeval tv = {sink_opt.timeout, 0};

    memset(sess, 0, sizeof(*sess));
    sess->client_addr = mystrdup(client_addr);
    sess->line = vstring_alloc(100);
    vstring_set_maxlen(sess->line, SINK_LINE_LIMIT);
    sess->mail_args = vstring_alloc(100);
    sess->rcpt_args = argv_alloc(4);
    sess->proto = "SMTP";
    sess->state = SINK_STATE_COMMAND;
    if ((sess->bev = bufferevent_socket_new(base, fd,
					    BEV_OPT_CLOSE_ON_FREE)) == NULL)
	msg_fatal("bufferevent_socket_new: %m");
    if ((sess->timer = evtimer_new(base, sink_timer_event, sess)) == NULL)
	msg_fatal("evtimer_new: %m");
    bufferevent_setcb(sess->bev, sink_read_event, sink_write_event,
		      sink_other_event, sess);
    if (sink_opt.timeout > 0)
	bufferevent_set_timeouts(sess->bev, &tv, &tv);
    bufferevent_enable(sess->bev, EV_READ | EV_WRITE);
    if (msg_verbose)
	msg_info("connect from %s", client_addr);
    sink_dispatch(sess, SINK_CONNECT_CMD, "");
    sink_process(sess);
    sink_finish(sess);
}
