/*
 * smtp-source - parallelized SMTP/LMTP test generator
 *
 * SYNOPSIS
 *	smtp-source [options] [inet:]host[:port]
 *	smtp-source [options] unix:pathname
 *
 * DESCRIPTION
 *	smtp-source sends generated (or file-supplied) messages to an SMTP
 *	or LMTP server over a number of parallel sessions, one event loop
 *	(libevent) in one process. It is a load generator: the replies are
 *	checked for success, nothing more. The options are those of
 *	Postfix's smtp-source(1); see docs/man/man1/smtp-source.1.
 *
 *	Each session is a small state machine: connect, greeting, HELO
 *	(LHLO), then per message MAIL, RCPT (one per recipient), DATA and
 *	the content, and QUIT. Commands are not pipelined: each waits for
 *	the reply to the previous one, as with Postfix's program.
 *	Without -d a session carries one message; with -d it carries
 *	messages until none are left. The payload is built once and
 *	shared by reference between sessions; only the headers differ.
 *
 *	Input is bounded: a reply line may be SOURCE_LINE_LIMIT bytes, a
 *	reply SOURCE_REPLY_LINES lines.
 *
 * DIAGNOSTICS
 *	Fatal (exit status 1): a connection that cannot be made or is
 *	lost, a malformed or overlong reply, and (without -A) a reply
 *	other than the expected one, as "<stage> rejected: <reply>".
 *	With -A a rejection is a warning and the transaction is reset.
 */
#include "sys_defs.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>

#include "msg.h"
#include "msg_output.h"
#include "mymalloc.h"
#include "vstring.h"
#include "get_hostname.h"
#include "stringops.h"
#include "mail_date.h"
#include "smtpstone.h"

#define SOURCE_LINE_LIMIT	4096	/* reply line length bound */
#define SOURCE_REPLY_LINES	1000	/* lines per reply bound */
#define SOURCE_LINE_LEN		80	/* -l: bytes per generated line */

 /*
  * Command-line settings.
  */
static int opt_sessions = 1;		/* -s */
static int opt_messages = 1;		/* -m */
static int opt_recipients = 1;		/* -r */
static int opt_length = 0;		/* -l, 0: the default text */
static int opt_wait = 0;		/* -w seconds */
static int opt_random_wait = 0;		/* -R seconds */
static int opt_connect_tries = 1;	/* -C */
static int opt_window = 0;		/* -T */
static int opt_family = AF_UNSPEC;	/* -4, -6 */
static bool opt_counter;		/* -c */
static bool opt_keep_session;		/* -d */
static bool opt_lmtp;			/* -L */
static bool opt_numbered;		/* -N */
static bool opt_old_mode;		/* -o */
static bool opt_no_abort;		/* -A */
static const char *opt_sender;		/* -f */
static const char *opt_recipient;	/* -t */
static const char *opt_helo_name;	/* -M */
static const char *opt_subject;		/* -S */
static const char *opt_file;		/* -F */

 /*
  * Run-time state.
  */
static struct event_base *source_base;
static SMTPSTONE_ENDPOINT source_server;
static char *source_body;		/* payload, dot-stuffed, with "." */
static size_t source_body_len;
static bool source_headers = true;	/* generate From: To: Date: ... */
static int source_unclaimed;		/* messages not yet started */
static int source_completed;		/* DATA completed (-c) */
static int source_active;		/* sessions open */
static unsigned long source_rcpt_seq;	/* -N numbering */

typedef enum SOURCE_STATE {
    SOURCE_CONNECT,			/* waiting for connect() */
    SOURCE_BANNER,			/* waiting for the greeting */
    SOURCE_HELO,			/* HELO/LHLO sent */
    SOURCE_MAIL,			/* MAIL sent */
    SOURCE_RCPT,			/* RCPT sent */
    SOURCE_DATA,			/* DATA sent */
    SOURCE_DOT,				/* content and "." sent */
    SOURCE_RSET,			/* RSET sent after a rejection */
    SOURCE_QUIT,			/* QUIT sent */
    SOURCE_PAUSE,			/* -w/-R wait between messages */
} SOURCE_STATE;

typedef struct SOURCE_SESSION {
    struct bufferevent *bev;		/* connection */
    SOURCE_STATE state;
    int     connect_tries;		/* -C attempts made */
    int     rcpt_sent;			/* RCPTs of this transaction */
    int     dot_replies;		/* LMTP replies still due */
    int     message_id;			/* claimed message (countdown) */
    bool    have_message;		/* a claimed message is pending */
    struct event *timer;		/* -w/-R pause */
    void    (*after_pause) (struct SOURCE_SESSION *);
    VSTRING *line;			/* reply line */
    VSTRING *reply;			/* reply text so far */
    int     reply_lines;
    VSTRING *buf;			/* command formatting */
} SOURCE_SESSION;

static void source_connect(SOURCE_SESSION *);
static void source_next(SOURCE_SESSION *);

/* source_usage - the command-line summary, then exit */
static NORETURN source_usage(const char *myname)
{
    msg_fatal("usage: %s -cdLNov -A -C count -f from -F file -l length "
	      "-m count -M myhostname -r count -R interval -s sessions "
	      "-S subject -t to -T windowsize -w interval -4 -6 "
	      "[inet:]host[:port] or unix:pathname", myname);
}

/* source_stage - what a state is waiting for, for messages */
static const char *source_stage(SOURCE_STATE state)
{
    switch (state) {
    case SOURCE_CONNECT:
	return "connecting";
    case SOURCE_BANNER:
	return "reading server greeting";
    case SOURCE_HELO:
	return opt_lmtp ? "sending LHLO" : "sending HELO";
    case SOURCE_MAIL:
	return "sending sender";
    case SOURCE_RCPT:
	return "sending recipient";
    case SOURCE_DATA:
	return "sending DATA command";
    case SOURCE_DOT:
	return "sending message";
    case SOURCE_RSET:
	return "sending RSET";
    case SOURCE_QUIT:
	return "sending QUIT";
    case SOURCE_PAUSE:
	return "waiting between messages";
    }
    return "talking to server";
}

/* source_send - send one command line */
static void source_send(SOURCE_SESSION *sess, SOURCE_STATE next,
			        const char *fmt,...)
{
    va_list ap;

    va_start(ap, fmt);
    vstring_vsprintf(sess->buf, fmt, ap);
    va_end(ap);
    if (msg_verbose)
	msg_info("%s", vstring_str(sess->buf));
    vstring_strcat(sess->buf, "\r\n");
    bufferevent_write(sess->bev, vstring_str(sess->buf),
		      VSTRING_LEN(sess->buf));
    sess->state = next;
}

/* source_address - a generated address, numbered when asked */
static void source_address(VSTRING *buf, const char *address, int number)
{
    if (number > 0)
	vstring_sprintf(buf, "%d%s", number, address);
    else
	vstring_strcpy(buf, address);
}

/* source_send_rcpt - send the next RCPT of this transaction */
static void source_send_rcpt(SOURCE_SESSION *sess)
{
    VSTRING *addr = vstring_alloc(100);
    int     number;

    /* Without -N: "3foo", "2foo", "foo"; with -N a running count. */
    if (opt_numbered)
	number = (int) (++source_rcpt_seq % 1000000000UL);
    else
	number = opt_recipients - sess->rcpt_sent;
    if (!opt_numbered && number == 1)
	number = 0;
    source_address(addr, opt_recipient, number);
    sess->rcpt_sent++;
    source_send(sess, SOURCE_RCPT, "RCPT TO:<%s>", vstring_str(addr));
    vstring_free(addr);
}

/* source_send_content - the headers, then the shared payload */
static void source_send_content(SOURCE_SESSION *sess)
{
    struct evbuffer *out = bufferevent_get_output(sess->bev);
    VSTRING *date;

    if (source_headers) {
	date = mail_date(vstring_alloc(40), time(NULL));
	evbuffer_add_printf(out, "From: <%s>\r\nTo: <%s>\r\nDate: %s\r\n"
			    "Message-Id: <%04x.%04x.%04x@%s>\r\n",
			    opt_sender, opt_recipient, vstring_str(date),
			    (unsigned) getpid() & 0xffff,
			    (unsigned) bufferevent_getfd(sess->bev) & 0xffff,
			    (unsigned) sess->message_id & 0xffff,
			    opt_helo_name);
	if (opt_subject != NULL)
	    evbuffer_add_printf(out, "Subject: %s\r\n", opt_subject);
	evbuffer_add(out, "\r\n", 2);
	vstring_free(date);
    }
    evbuffer_add_reference(out, source_body, source_body_len, NULL, NULL);
    if (msg_verbose)
	msg_info(".");
    sess->state = SOURCE_DOT;
    sess->dot_replies = opt_lmtp ? sess->rcpt_sent : 1;
}

/* source_claim - take one message off the global count */
static bool source_claim(SOURCE_SESSION *sess)
{
    if (source_unclaimed <= 0)
	return false;
    sess->message_id = --source_unclaimed;
    sess->have_message = true;
    return true;
}

/* source_start_message - send MAIL FROM for the claimed message */
static void source_start_message(SOURCE_SESSION *sess)
{
    sess->rcpt_sent = 0;
    source_send(sess, SOURCE_MAIL, "MAIL FROM:<%s>", opt_sender);
}

/* source_pause_done - the -w/-R wait is over */
static void source_pause_done(evutil_socket_t fd, short what, void *context)
{
    SOURCE_SESSION *sess = context;

    sess->after_pause(sess);
}

/* source_pause - wait (-w, -R), then continue; defer: even without */
static void source_pause(SOURCE_SESSION *sess, void (*next) (SOURCE_SESSION *),
			         bool defer)
{
    struct timeval tv = {0, 0};

    if (opt_wait > 0)
	tv.tv_sec = opt_wait;
    else if (opt_random_wait > 0)
	tv.tv_sec = random() % (opt_random_wait + 1);
    if (tv.tv_sec == 0 && !defer) {
	next(sess);
	return;
    }
    if (sess->timer == NULL)
	sess->timer = evtimer_new(source_base, source_pause_done, sess);
    sess->state = SOURCE_PAUSE;
    sess->after_pause = next;
    evtimer_add(sess->timer, &tv);
}

/* source_free - forget a session */
static void source_free(SOURCE_SESSION *sess)
{
    if (sess->timer != NULL)
	event_free(sess->timer);
    vstring_free(sess->line);
    vstring_free(sess->reply);
    vstring_free(sess->buf);
    myfree(sess);
}

/* source_reconnect - a new connection when work is left, else the end */
static void source_reconnect(SOURCE_SESSION *sess)
{
    if (sess->have_message || source_claim(sess)) {
	sess->connect_tries = 0;
	source_connect(sess);
	return;
    }
    source_free(sess);
    if (--source_active == 0)
	event_base_loopexit(source_base, NULL);
}

/* source_close - end a connection; like Postfix's, wait after it */
static void source_close(SOURCE_SESSION *sess)
{
    if (sess->bev != NULL) {
	bufferevent_free(sess->bev);
	sess->bev = NULL;
    }
    /* The caller may still look at sess: free it from the event loop. */
    if (opt_keep_session) {
	sess->state = SOURCE_PAUSE;
	sess->after_pause = source_reconnect;
	if (sess->timer == NULL)
	    sess->timer = evtimer_new(source_base, source_pause_done, sess);
	event_active(sess->timer, EV_TIMEOUT, 0);
    } else {
	source_pause(sess, source_reconnect, true);
    }
}

/* source_continue - with -d: the next message, or QUIT */
static void source_continue(SOURCE_SESSION *sess)
{
    if (source_claim(sess))
	source_start_message(sess);
    else
	source_send(sess, SOURCE_QUIT, "QUIT");
}

/* source_next - after a transaction: next message or QUIT */
static void source_next(SOURCE_SESSION *sess)
{
    if (opt_keep_session)
	source_pause(sess, source_continue, false);
    else
	source_send(sess, SOURCE_QUIT, "QUIT");
}

/* source_rejected - a negative reply: fatal, or a warning with -A */
static bool source_rejected(SOURCE_SESSION *sess, const char *what)
{
    const char *reply = vstring_str(sess->reply);

    if (!opt_no_abort)
	msg_fatal("%s rejected: %s", what, reply);
    msg_warn("%s rejected: %s", what, reply);
    if (strncmp(reply, "421", 3) == 0) {
	sess->have_message = false;
	source_close(sess);
	return true;
    }
    return false;
}

/* source_reply - act on one complete reply */
static void source_reply(SOURCE_SESSION *sess)
{
    int     code = atoi(vstring_str(sess->reply));
    bool    ok = (code >= 200 && code < 300);

    switch (sess->state) {
    case SOURCE_BANNER:
	if (!ok && source_rejected(sess, "server banner"))
	    return;
	if (opt_old_mode)
	    source_start_message(sess);
	else
	    source_send(sess, SOURCE_HELO, "%s %s", opt_lmtp ? "LHLO" : "HELO",
			opt_helo_name);
	break;
    case SOURCE_HELO:
	if (!ok && source_rejected(sess, opt_lmtp ? "LHLO" : "HELO"))
	    return;
	source_start_message(sess);
	break;
    case SOURCE_MAIL:
	if (!ok) {
	    if (!source_rejected(sess, "sender"))
		source_send(sess, SOURCE_RSET, "RSET");
	    return;
	}
	source_send_rcpt(sess);
	break;
    case SOURCE_RCPT:
	if (!ok) {
	    if (!source_rejected(sess, "recipient"))
		source_send(sess, SOURCE_RSET, "RSET");
	    return;
	}
	if (sess->rcpt_sent < opt_recipients)
	    source_send_rcpt(sess);
	else
	    source_send(sess, SOURCE_DATA, "DATA");
	break;
    case SOURCE_DATA:
	if (code < 300 || code >= 400) {
	    if (!source_rejected(sess, "data"))
		source_send(sess, SOURCE_RSET, "RSET");
	    return;
	}
	source_send_content(sess);
	break;
    case SOURCE_DOT:
	if (!ok && source_rejected(sess, "end of data"))
	    return;
	if (--sess->dot_replies > 0)
	    return;
	sess->have_message = false;
	source_completed++;
	if (opt_counter) {
	    printf("%d\r", source_completed);
	    fflush(stdout);
	}
	source_next(sess);
	break;
    case SOURCE_RSET:
	sess->have_message = false;
	source_next(sess);
	break;
    case SOURCE_QUIT:
	source_close(sess);
	break;
    case SOURCE_CONNECT:
    case SOURCE_PAUSE:
	msg_fatal("unexpected reply while %s: %s", source_stage(sess->state),
		  vstring_str(sess->reply));
    }
}

/* source_read - collect reply lines; act on each complete reply */
static void source_read(struct bufferevent *bev, void *context)
{
    SOURCE_SESSION *sess = context;
    struct evbuffer *in = bufferevent_get_input(bev);
    const char *text;
    int     status;

    while (sess->bev != NULL
	   && (status = smtpstone_line(in, sess->line,
				       SOURCE_LINE_LIMIT)) != 0) {
	if (status < 0)
	    msg_fatal("reply line longer than %d bytes while %s",
		      SOURCE_LINE_LIMIT, source_stage(sess->state));
	text = vstring_str(sess->line);
	if (msg_verbose)
	    msg_info("<<< %s", text);
	if (VSTRING_LEN(sess->line) < 3 || text[0] < '1' || text[0] > '5'
	    || text[1] < '0' || text[1] > '9' || text[2] < '0'
	    || text[2] > '9' || (text[3] != 0 && text[3] != ' '
				 && text[3] != '-'))
	    msg_fatal("malformed reply while %s: %.100s",
		      source_stage(sess->state), text);
	if (++sess->reply_lines > SOURCE_REPLY_LINES)
	    msg_fatal("reply has more than %d lines while %s",
		      SOURCE_REPLY_LINES, source_stage(sess->state));
	if (text[3] == '-')
	    continue;
	/* The last line speaks for the reply. */
	vstring_strcpy(sess->reply, text);
	sess->reply_lines = 0;
	source_reply(sess);
    }
}

/* source_connect_failed - retry a refused connection (-C), or give up */
static void source_connect_failed(SOURCE_SESSION *sess, int err)
{
    if ((err == ECONNREFUSED || err == ECONNRESET)
	&& sess->connect_tries < opt_connect_tries) {
	bufferevent_free(sess->bev);
	sess->bev = NULL;
	source_connect(sess);
	return;
    }
    msg_fatal("connect: %s", strerror(err));
}

/* source_event - connected, or the connection failed or ended */
static void source_event(struct bufferevent *bev, short what, void *context)
{
    SOURCE_SESSION *sess = context;
    int     err = EVUTIL_SOCKET_ERROR();

    if (what & BEV_EVENT_CONNECTED) {
	sess->state = SOURCE_BANNER;
	smtpstone_window(bufferevent_getfd(bev), opt_window);
	return;
    }
    if (sess->state == SOURCE_CONNECT) {
	source_connect_failed(sess, err);
	return;
    }
    if (sess->state == SOURCE_QUIT) {
	source_close(sess);
	return;
    }
    msg_fatal("lost connection while %s", source_stage(sess->state));
}

/* source_connect - open a connection for a session */
static void source_connect(SOURCE_SESSION *sess)
{
    struct bufferevent *bev;
    int     sock;

    sess->connect_tries++;
    sess->state = SOURCE_CONNECT;
    if ((sock = socket(source_server.addr.ss_family, SOCK_STREAM, 0)) < 0)
	msg_fatal("socket: %m");
    smtpstone_window(sock, opt_window);
    if (evutil_make_socket_nonblocking(sock) < 0)
	msg_fatal("set non-blocking mode: %m");
    bev = bufferevent_socket_new(source_base, sock, BEV_OPT_CLOSE_ON_FREE);
    if (bev == NULL)
	msg_fatal("bufferevent_socket_new: %m");
    sess->bev = bev;
    bufferevent_setcb(bev, source_read, NULL, source_event, sess);
    bufferevent_enable(bev, EV_READ | EV_WRITE);
    if (bufferevent_socket_connect(bev, (struct sockaddr *) &source_server.addr,
				   (int) source_server.addrlen) < 0)
	source_connect_failed(sess, EVUTIL_SOCKET_ERROR());
}

/* source_session_start - create a session for the first claimed message */
static void source_session_start(void)
{
    SOURCE_SESSION *sess = (SOURCE_SESSION *) mymalloc(sizeof(*sess));

    memset(sess, 0, sizeof(*sess));
    sess->line = vstring_alloc(100);
    vstring_set_maxlen(sess->line, SOURCE_LINE_LIMIT);
    sess->reply = vstring_alloc(100);
    sess->buf = vstring_alloc(100);
    if (!source_claim(sess))
	msg_panic("source_session_start: no message to send");
    source_active++;
    source_connect(sess);
}

/* source_add_line - append one payload line with dot-stuffing and CRLF */
static void source_add_line(VSTRING *body, const char *text, size_t len)
{
    if (len > 0 && text[0] == '.')
	VSTRING_ADDCH(body, '.');
    vstring_memcat(body, text, len);
    vstring_memcat(body, "\r\n", 2);
}

/* source_file_body - the payload from -F: each line, CRLF, dot-stuffed */
static void source_file_body(VSTRING *body, const char *path)
{
    char   *data;
    struct stat st;
    ssize_t got;
    size_t  done = 0;
    const char *cp;
    const char *nl;
    const char *end;
    int     fd;

    if ((fd = open(path, O_RDONLY)) < 0)
	msg_fatal("open %s: %m", path);
    if (fstat(fd, &st) < 0)
	msg_fatal("fstat %s: %m", path);
    if (!S_ISREG(st.st_mode))
	msg_fatal("%s: not a regular file", path);
    data = mymalloc((size_t) st.st_size + 1);
    while (done < (size_t) st.st_size
	   && (got = read(fd, data + done, (size_t) st.st_size - done)) > 0)
	done += (size_t) got;
    (void) close(fd);
    if (done == 0) {
	myfree(data);
	return;
    }
    /* Each line gets CRLF; like Postfix's, one empty line follows. */
    end = data + done;
    for (cp = data; cp < end; cp = nl + 1) {
	if ((nl = memchr(cp, '\n', (size_t) (end - cp))) == NULL)
	    nl = end;
	source_add_line(body, cp, (size_t) (nl - cp));
    }
    vstring_memcat(body, "\r\n", 2);
    myfree(data);
}

/* source_build_body - the payload that every message shares */
static void source_build_body(void)
{
    VSTRING *body = vstring_alloc(opt_length > 0 ? opt_length + 100 : 200);
    VSTRING *line = vstring_alloc(SOURCE_LINE_LEN + 1);
    int     left;
    int     lineno;
    int     i;

    if (opt_file != NULL)
	source_file_body(body, opt_file);
    if (VSTRING_LEN(body) > 0) {
	source_headers = false;
    } else if (opt_length > 0) {
	/* Lines of 78 characters plus CRLF; the last line takes the rest. */
	for (left = opt_length, lineno = 1; left > SOURCE_LINE_LEN;
	     left -= SOURCE_LINE_LEN, lineno++) {
	    VSTRING_RESET(line);
	    VSTRING_ADDCH(line, '0' + lineno % 10);
	    for (i = 1; i < SOURCE_LINE_LEN - 2; i++)
		VSTRING_ADDCH(line, 'X');
	    source_add_line(body, vstring_str(line), VSTRING_LEN(line));
	}
	VSTRING_RESET(line);
	for (i = 0; i < left; i++)
	    VSTRING_ADDCH(line, 'X');
	source_add_line(body, vstring_str(line), VSTRING_LEN(line));
    } else {
	if (opt_file != NULL)
	    source_headers = false;
	for (i = 1; i <= 4; i++)
	    vstring_sprintf_append(body, "La de da de da %d.\r\n", i);
    }
    if (opt_old_mode)
	source_headers = false;
    vstring_strcat(body, ".\r\n");
    source_body_len = VSTRING_LEN(body);
    source_body = vstring_export(body);
    vstring_free(line);
}

/* main - parse the command line, run the sessions */
int     main(int argc, char **argv)
{
    const char *myname = argc > 0 ? argv[0] : "smtp-source";
    VSTRING *why = vstring_alloc(100);
    char   *sender_buf = NULL;
    char   *recipient_buf = NULL;
    int     ch;
    int     i;

    msg_stderr_init(myname);
    signal(SIGPIPE, SIG_IGN);
    while ((ch = getopt(argc, argv, "46Acdf:F:l:LM:m:Nor:R:s:S:t:T:vw:C:"))
	   > 0) {
	switch (ch) {
	case '4':
	    opt_family = AF_INET;
	    break;
	case '6':
	    opt_family = AF_INET6;
	    break;
	case 'A':
	    opt_no_abort = true;
	    break;
	case 'c':
	    opt_counter = true;
	    break;
	case 'C':
	    opt_connect_tries = smtpstone_count(optarg, "connection count", 1);
	    break;
	case 'd':
	    opt_keep_session = true;
	    break;
	case 'f':
	    opt_sender = optarg;
	    break;
	case 'F':
	    opt_file = optarg;
	    break;
	case 'l':
	    opt_length = smtpstone_count(optarg, "message length", 1);
	    break;
	case 'L':
	    opt_lmtp = true;
	    break;
	case 'm':
	    opt_messages = smtpstone_count(optarg, "message count", 1);
	    break;
	case 'M':
	    opt_helo_name = optarg;
	    break;
	case 'N':
	    opt_numbered = true;
	    break;
	case 'o':
	    opt_old_mode = true;
	    break;
	case 'r':
	    opt_recipients = smtpstone_count(optarg, "recipient count", 1);
	    break;
	case 'R':
	    opt_random_wait = smtpstone_count(optarg, "random interval", 0);
	    break;
	case 's':
	    opt_sessions = smtpstone_count(optarg, "session count", 1);
	    break;
	case 'S':
	    opt_subject = optarg;
	    break;
	case 't':
	    opt_recipient = optarg;
	    break;
	case 'T':
	    opt_window = smtpstone_count(optarg, "TCP window size", 1);
	    if (opt_window >= 65536)
		msg_fatal("bad TCP window size: %s", optarg);
	    break;
	case 'v':
	    msg_verbose++;
	    break;
	case 'w':
	    opt_wait = smtpstone_count(optarg, "wait interval", 0);
	    break;
	default:
	    source_usage(myname);
	}
    }
    if (argc - optind != 1)
	source_usage(myname);
    if (opt_helo_name == NULL)
	opt_helo_name = get_hostname();
    if (opt_sender == NULL)
	opt_sender = sender_buf = concatenate("foo@", opt_helo_name, (char *) 0);
    if (opt_recipient == NULL)
	opt_recipient = recipient_buf =
	    concatenate("foo@", opt_helo_name, (char *) 0);
    if (!smtpstone_endpoint(&source_server, argv[optind], "smtp", opt_family,
			    false, why))
	msg_fatal("%s", vstring_str(why));
    srandom((unsigned) (time(NULL) ^ getpid()));
    source_build_body();

    if ((source_base = event_base_new()) == NULL)
	msg_fatal("event_base_new failed");
    source_unclaimed = opt_messages;
    for (i = 0; i < opt_sessions && source_unclaimed > 0; i++)
	source_session_start();
    event_base_dispatch(source_base);
    if (opt_counter) {
	printf("\n");
	fflush(stdout);
    }
    event_base_free(source_base);
    smtpstone_endpoint_free(&source_server);
    myfree(source_body);
    if (sender_buf)
	myfree(sender_buf);
    if (recipient_buf)
	myfree(recipient_buf);
    vstring_free(why);
    return 0;
}
