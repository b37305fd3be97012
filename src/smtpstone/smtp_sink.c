/*
 * smtp-sink - parallelized SMTP/LMTP test server
 *
 * SYNOPSIS
 *	smtp-sink [options] [inet:][host]:port backlog
 *	smtp-sink [options] unix:pathname backlog
 *
 * DESCRIPTION
 *	smtp-sink accepts SMTP or LMTP connections and throws the mail
 *	away (or captures it, -d/-D). One process, one libevent loop, at
 *	most -m sessions at a time; further connections wait in the
 *	kernel's listen queue. The options are those of Postfix's
 *	smtp-sink(1); see docs/man/man1/smtp-sink.1.
 *
 *	This file holds the command line, the listener, privileges (-R,
 *	-u) and the counters (-c, -M, -n). The protocol is in
 *	smtp_sink_session.c, the capture files in smtp_sink_dump.c.
 *
 *	The -c counters are written to stdout as
 *	"sess=N quit=N mesg=N" followed by a carriage return, whenever a
 *	session ends or a message is accepted (the format that
 *	mta-bench.sh and Postfix's smtp-sink use).
 *
 * DIAGNOSTICS
 *	Fatal: bad options, a socket that cannot be opened, running as
 *	root without -u.
 */
#include "sys_defs.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <event2/event.h>

#include "msg.h"
#include "msg_output.h"
#include "mymalloc.h"
#include "vstring.h"
#include "stringops.h"
#include "iostuff.h"
#include "listen.h"
#include "myaddrinfo.h"
#include "chroot_uid.h"
#include "smtpstone.h"
#include "smtp_sink.h"

SINK_OPTIONS sink_opt = {
    .esmtp = true,
    .ann_8bitmime = true,
    .ann_auth = true,
    .ann_xclient = true,
    .ann_xforward = true,
    .ann_enhanced = true,
    .ann_dsn = true,
    .ann_pipelining = true,
    .hostname = "smtp-sink",
    .soft_reply = "450 4.3.0 Error: command failed",
    .hard_reply = "500 5.3.0 Error: command failed",
    .abort_delay = -1,
    .timeout = 100,
    .max_sessions = 256,
};

SINK_COUNTERS sink_count;

static struct event_base *sink_base;
static struct event *sink_listen_event;
static bool sink_listening;
static int sink_listen_fd = -1;

/* sink_usage - the command-line summary, then exit */
static NORETURN sink_usage(const char *myname)
{
    msg_fatal("usage: %s [-468aCcEeFLNpPv] [-A delay] [-b soft_bounce_reply] "
	      "[-B hard_bounce_reply] [-d dump-template] [-D dump-template] "
	      "[-f commands] [-h hostname] [-H delay] [-m max_concurrency] "
	      "[-M message_count] [-n session_count] [-q commands] "
	      "[-Q commands] [-r commands] [-R root-dir] [-s commands] "
	      "[-S start-string] [-t timeout] [-T windowsize] [-u user] "
	      "[-w delay] [-W command:delay[:odds]] "
	      "[inet:][host]:port backlog", myname);
}

/* sink_print_counters - the -c line */
static void sink_print_counters(void)
{
    if (sink_opt.counters) {
	printf("sess=%d quit=%d mesg=%d\r", sink_count.sessions,
	       sink_count.quits, sink_count.messages);
	fflush(stdout);
    }
}

/* sink_exit - terminate after -M messages or -n sessions */
NORETURN sink_exit(void)
{
    if (sink_opt.counters) {
	printf("\n");
	fflush(stdout);
    }
    exit(0);
}

/* sink_listen_resume - accept connections again */
static void sink_listen_resume(void)
{
    if (!sink_listening && sink_count.active < sink_opt.max_sessions) {
	event_add(sink_listen_event, NULL);
	sink_listening = true;
    }
}

/* sink_session_ended - count a session; -n termination */
void    sink_session_ended(void)
{
    sink_count.sessions++;
    sink_count.active--;
    sink_print_counters();
    if (sink_opt.max_session_count > 0
	&& sink_count.sessions >= sink_opt.max_session_count)
	sink_exit();
    sink_listen_resume();
}

/* sink_message_received - count a message; true after -M messages */
bool    sink_message_received(void)
{
    sink_count.messages++;
    sink_print_counters();
    return (sink_opt.max_messages > 0
	    && sink_count.messages >= sink_opt.max_messages);
}

/* sink_client_addr - the client address as the capture shows it */
static void sink_client_addr(VSTRING *buf, const struct sockaddr *sa,
			             socklen_t len)
{
    MAI_HOSTADDR_STR addr;
    struct sockaddr_in sin;

    if (sa->sa_family == AF_INET6 && sockaddr_unmap_v4(sa, &sin)) {
	sa = (struct sockaddr *) &sin;
	len = sizeof(sin);
    }
    if (sa->sa_family != AF_INET && sa->sa_family != AF_INET6)
	vstring_strcpy(buf, "local");
    else if (sockaddr_to_hostaddr(sa, len, &addr, NULL, 0) != 0)
	vstring_strcpy(buf, "unknown");
    else if (sa->sa_family == AF_INET6)
	vstring_sprintf(buf, "ipv6:%s", addr.buf);
    else
	vstring_strcpy(buf, addr.buf);
}

/* sink_accept - take waiting connections, up to the -m limit */
static void sink_accept(evutil_socket_t listen_fd, short what, void *context)
{
    VSTRING *addr = vstring_alloc(60);
    struct sockaddr_storage ss;
    socklen_t len;
    int     fd;

    while (sink_count.active < sink_opt.max_sessions) {
	len = sizeof(ss);
	if ((fd = accept4(listen_fd, (struct sockaddr *) &ss, &len,
			  SOCK_NONBLOCK | SOCK_CLOEXEC)) < 0) {
	    if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR
		&& errno != ECONNABORTED)
		msg_warn("accept: %m");
	    break;
	}
	sink_count.active++;
	sink_client_addr(addr, (struct sockaddr *) &ss, len);
	sink_session_create(sink_base, fd, vstring_str(addr));
    }
    if (sink_count.active >= sink_opt.max_sessions && sink_listening) {
	event_del(sink_listen_event);
	sink_listening = false;
    }
    vstring_free(addr);
}

/* sink_open_inet - a TCP listener */
static int sink_open_inet(const SMTPSTONE_ENDPOINT *ep, int backlog)
{
    int     fd;
    int     on = 1;
    int     off = 0;

    if ((fd = socket(ep->addr.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
	msg_fatal("socket: %m");
    if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) < 0)
	msg_warn("setsockopt SO_REUSEADDR: %m");
    if (ep->addr.ss_family == AF_INET6
	&& setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off)) < 0)
	msg_warn("setsockopt IPV6_V6ONLY: %m");
    smtpstone_window(fd, sink_opt.window);
    if (bind(fd, (const struct sockaddr *) &ep->addr, ep->addrlen) < 0)
	msg_fatal("bind %s: %m", ep->label);
    if (listen(fd, backlog) < 0)
	msg_fatal("listen: %m");
    non_blocking(fd, NON_BLOCKING);
    return fd;
}

/* sink_open - the listener for "unix:path" or "[inet:][host]:port" */
static int sink_open(const char *where, int backlog, int family)
{
    SMTPSTONE_ENDPOINT ep;
    VSTRING *why = vstring_alloc(100);
    int     fd;

    if (strncmp(where, "unix:", 5) == 0) {
	if ((fd = unix_listen(where + 5, backlog, NON_BLOCKING, why)) < 0)
	    msg_fatal("%s", vstring_str(why));
    } else {
	if (!smtpstone_endpoint(&ep, where, NULL, family, true, why))
	    msg_fatal("%s", vstring_str(why));
	fd = sink_open_inet(&ep, backlog);
	smtpstone_endpoint_free(&ep);
    }
    vstring_free(why);
    return fd;
}

/* main - parse the command line, listen, serve */
int     main(int argc, char **argv)
{
    const char *myname = argc > 0 ? argv[0] : "smtp-sink";
    const char *root_dir = NULL;
    const char *user = NULL;
    int     family = AF_UNSPEC;
    int     backlog;
    int     ch;

    msg_stderr_init(myname);
    signal(SIGPIPE, SIG_IGN);
    while ((ch = getopt(argc, argv,
	   "468aA:b:B:cCd:D:eEf:Fh:H:Lm:M:n:NpPq:Q:r:R:s:S:t:T:u:vw:W:")) > 0) {
	switch (ch) {
	case '4':
	    family = AF_INET;
	    break;
	case '6':
	    family = AF_INET6;
	    break;
	case '8':
	    sink_opt.ann_8bitmime = false;
	    break;
	case 'a':
	    sink_opt.ann_auth = false;
	    break;
	case 'A':
	    sink_opt.abort_delay = smtpstone_count(optarg, "-A delay", 0);
	    break;
	case 'b':
	    if (optarg[0] != '4' || strlen(optarg) < 3)
		msg_fatal("bad soft-bounce reply: %s", optarg);
	    sink_opt.soft_reply = optarg;
	    break;
	case 'B':
	    if (optarg[0] != '5' || strlen(optarg) < 3)
		msg_fatal("bad hard-bounce reply: %s", optarg);
	    sink_opt.hard_reply = optarg;
	    break;
	case 'c':
	    sink_opt.counters = true;
	    break;
	case 'C':
	    sink_opt.ann_xclient = false;
	    break;
	case 'd':
	    sink_opt.dump_single = optarg;
	    break;
	case 'D':
	    sink_opt.dump_multi = optarg;
	    break;
	case 'e':
	    sink_opt.esmtp = false;
	    break;
	case 'E':
	    sink_opt.ann_enhanced = false;
	    break;
	case 'f':
	    sink_command_flags(optarg, SINK_CMD_HARD);
	    sink_opt.ann_pipelining = false;
	    break;
	case 'F':
	    sink_opt.ann_xforward = false;
	    break;
	case 'h':
	    sink_opt.hostname = optarg;
	    break;
	case 'H':
	    sink_opt.data_read_delay = smtpstone_count(optarg, "-H delay", 0);
	    break;
	case 'L':
	    sink_opt.lmtp = true;
	    break;
	case 'm':
	    sink_opt.max_sessions = smtpstone_count(optarg, "-m count", 1);
	    break;
	case 'M':
	    sink_opt.max_messages = smtpstone_count(optarg, "-M count", 1);
	    break;
	case 'n':
	    sink_opt.max_session_count = smtpstone_count(optarg, "-n count", 1);
	    break;
	case 'N':
	    sink_opt.ann_dsn = false;
	    break;
	case 'p':
	    sink_opt.ann_pipelining = false;
	    break;
	case 'P':
	    sink_opt.pix = true;
	    sink_opt.esmtp = false;
	    break;
	case 'q':
	    sink_command_flags(optarg, SINK_CMD_DROP);
	    break;
	case 'Q':
	    sink_command_flags(optarg, SINK_CMD_421);
	    break;
	case 'r':
	    sink_command_flags(optarg, SINK_CMD_SOFT);
	    sink_opt.ann_pipelining = false;
	    break;
	case 'R':
	    root_dir = optarg;
	    break;
	case 's':
	    sink_command_flags(optarg, SINK_CMD_LOG);
	    sink_opt.syslog = true;
	    break;
	case 'S':
	    sink_opt.dump_start = unescape(vstring_alloc(100), optarg);
	    break;
	case 't':
	    sink_opt.timeout = smtpstone_count(optarg, "-t timeout", 1);
	    break;
	case 'T':
	    sink_opt.window = smtpstone_count(optarg, "TCP window size", 1);
	    if (sink_opt.window >= 65536)
		msg_fatal("bad TCP window size: %s", optarg);
	    break;
	case 'u':
	    user = optarg;
	    break;
	case 'v':
	    msg_verbose++;
	    break;
	case 'w':
	    sink_opt.data_delay = smtpstone_count(optarg, "-w delay", 0);
	    break;
	case 'W':
	    sink_command_delay(optarg);
	    break;
	default:
	    sink_usage(myname);
	}
    }
    if (argc - optind != 2)
	sink_usage(myname);
    if (sink_opt.dump_single != NULL && sink_opt.dump_multi != NULL)
	msg_fatal("use only one of -d or -D, but not both");
    if (getuid() == 0 && user == NULL)
	msg_fatal("-u option is required if running as root");
    backlog = smtpstone_count(argv[optind + 1], "backlog", 1);
    if (sink_opt.syslog)
	openlog("smtp-sink", LOG_PID, LOG_MAIL);

    sink_listen_fd = sink_open(argv[optind], backlog, family);
    if (root_dir != NULL || user != NULL)
	chroot_uid(root_dir, user);
    srandom((unsigned) (time(NULL) ^ getpid()));

    if ((sink_base = event_base_new()) == NULL)
	msg_fatal("event_base_new failed");
    sink_listen_event = event_new(sink_base, sink_listen_fd,
				  EV_READ | EV_PERSIST, sink_accept, NULL);
    if (sink_listen_event == NULL)
	msg_fatal("event_new failed");
    sink_listen_resume();
    event_base_dispatch(sink_base);
    msg_fatal("event loop ended unexpectedly");
}
