/*
 * mail_server - what the three daemon skeletons have in common
 *
 * SYNOPSIS
 *	#include "mail_server.h"
 *
 *	typedef void (*MAIL_SERVER_INIT_FN)(const char *service, char **argv);
 *	typedef int (*MAIL_SERVER_LOOP_FN)(const char *service, char **argv);
 *	typedef void (*MAIL_SERVER_ACCEPT_FN)(const char *service, char **argv);
 *	typedef void (*MAIL_SERVER_EXIT_FN)(const char *service, char **argv);
 *	typedef void (*MAIL_SERVER_DISCONNECT_FN)(VSTREAM *client,
 *				const char *service, char **argv);
 *
 *	typedef struct MAIL_SERVER_OPTS {
 *	    int	    flags;
 *	    MAIL_SERVER_INIT_FN pre_init;
 *	    MAIL_SERVER_INIT_FN post_init;
 *	    MAIL_SERVER_LOOP_FN loop;
 *	    MAIL_SERVER_ACCEPT_FN pre_accept;
 *	    MAIL_SERVER_DISCONNECT_FN pre_disconnect;
 *	    MAIL_SERVER_EXIT_FN on_exit;
 *	    const char *watchdog_param;
 *	    MAIL_SERVER_DISCONNECT_FN post_accept;
 *	} MAIL_SERVER_OPTS;
 *
 *	Daemon code (see single_server.h, multi_server.h, trigger_server.h):
 *
 *	const char *mail_server_service_name(void);
 *
 *	Skeleton code:
 *
 *	bool	mail_server_args_parse(MAIL_SERVER_ARGS *args, int argc,
 *				char **argv, VSTRING *why);
 *	void	mail_server_args_free(MAIL_SERVER_ARGS *args);
 *	void	mail_server_args_apply(const MAIL_SERVER_ARGS *args);
 *
 *	MAIL_SERVER *mail_server_init(const char *skeleton, int argc,
 *				char **argv, const MAIL_SERVER_OPTS *opts,
 *				int transports, int watchdog_default);
 *	void	mail_server_start(MAIL_SERVER *server,
 *				EVENTS_NOTIFY_FN accept_fn, bool exclusive);
 *	void	mail_server_listen(MAIL_SERVER *server, bool on);
 *	void	mail_server_busy(MAIL_SERVER *server);
 *	bool	mail_server_idle(MAIL_SERVER *server);
 *	void	mail_server_used(MAIL_SERVER *server);
 *	bool	mail_server_done(const MAIL_SERVER *server);
 *	void	mail_server_idle_timer(MAIL_SERVER *server, bool on);
 *	void	mail_server_flow_delay(const MAIL_SERVER *server);
 *	int	mail_server_accept(MAIL_SERVER *server, int listen_fd);
 *	VSTREAM	*mail_server_stdio(void);
 *	void	mail_server_run(MAIL_SERVER *server, bool (*has_clients)(void));
 *	NORETURN mail_server_exit(MAIL_SERVER *server);
 *
 * DESCRIPTION
 *	A Postfix-style daemon is only its service logic: its main()
 *	hands that logic to one of three skeletons, which do everything
 *	else the same way:
 *
 *	single_server(3): one client connection per process at a time
 *	(smtpd, smtp, local, cleanup...). multi_server(3): many client
 *	connections per process (trivial-rewrite, scache, anvil,
 *	proxymap...). trigger_server(3): short trigger messages or
 *	datagrams (pickup, qmgr, postlogd).
 *
 *	Each skeleton's *_main() function takes the program's argc and
 *	argv, its service function, and a MAIL_SERVER_OPTS (NULL: all
 *	defaults), and never returns. The options are:
 *
 *	flags: zero or more of
 *	  MAIL_SERVER_FLAG_SOLITARY: master.cf must give a process limit
 *	    of 1 (qmgr, postlogd); fatal "service <name> requires a
 *	    process limit of 1" otherwise.
 *	  MAIL_SERVER_FLAG_UNLIMITED: the process limit must be 0
 *	    (cleanup); fatal "... requires a process limit of 0".
 *	  MAIL_SERVER_FLAG_PRIVILEGED: the service must run with root
 *	    privileges (master.cf unprivileged field n: local, pipe,
 *	    virtual); fatal "service <name> requires privileged operation".
 *	  MAIL_SERVER_FLAG_UNPRIVILEGED: the service must run as
 *	    mail_owner (unprivileged field y); fatal "service <name>
 *	    requires unprivileged operation".
 *	  MAIL_SERVER_FLAG_IN_FLOW_DELAY: take a mail flow token (see
 *	    mail_flow(3)) for each client, or pause $in_flow_delay
 *	    seconds when there is none (smtpd, qmqpd, pickup).
 *	  MAIL_SERVER_FLAG_NO_USE_LIMIT: ignore max_use (resident
 *	    services such as qmgr and postlogd).
 *	  MAIL_SERVER_FLAG_NO_IDLE_LIMIT: ignore max_idle.
 *	pre_init(service, argv): called once after main.cf, the command
 *	  line and logging are set up, in the queue directory, before the
 *	  process gives up root privileges and enters a chroot jail: the
 *	  place to open files that the jail hides.
 *	post_init(service, argv): called once after the privilege drop,
 *	  before the first client.
 *	loop(service, argv): called before each wait for events; returns
 *	  the longest time to wait in seconds (-1: no limit).
 *	pre_accept(service, argv): called before a new client is
 *	  accepted (or a trigger read).
 *	post_accept(client, service, argv): multi_server only; called
 *	with each new client stream (also the -S one) before its first
 *	request, for a service that greets its clients first. It may call
 *	multi_server_disconnect().
 *
 *	pre_disconnect(client, service, argv): multi_server only; called
 *	  before a client connection is closed.
 *	on_exit(service, argv): called before a voluntary exit (max_use,
 *	  max_idle, master going away or reloading, a changed table).
 *	watchdog_param: the name of a time parameter that overrides the
 *	  skeleton's watchdog timeout (e.g. "postlogd_watchdog_timeout");
 *	  NULL keeps the default ($daemon_timeout for single and multi
 *	  servers, 1000s for trigger servers, as in Postfix).
 *
 *	In every hook and service call, service is the master.cf service
 *	name and argv the command-line arguments left after the options
 *	(null-terminated).
 *
 *	mail_server_service_name() returns the service name, for daemon
 *	code that wants it.
 *
 * COMMAND LINE
 *	master(8) starts each daemon with the options below (see
 *	master(5) and docs/internals/master-protocol.md); an
 *	administrator adds -o, -v and -D in master.cf, and tests use -S.
 *
 *	-c	chroot to $queue_directory (master.cf chroot field y)
 *	-d	foreground: allow standard input to be a terminal
 *	-D	run $debugger_command on this process after start-up
 *	-i time	override max_idle
 *	-l	the process limit is 1 (needed by SOLITARY services)
 *	-m count override max_use
 *	-n name	the master.cf service name (default: the program name)
 *	-o name=value override a main.cf parameter (repeatable; also
 *		"-o { name = value }" from master.cf)
 *	-s count the number of listening descriptors (6, 7, ...)
 *	-S	stand-alone: serve one client on standard input/output and
 *		exit (trigger servers read one trigger from standard input)
 *	-t type	the transport: inet, unix, unix-dgram, fifo or pass
 *	-u	run as $mail_owner (master.cf unprivileged field y)
 *	-v	more verbose logging (repeatable)
 *	-V	also log to standard error
 *	-z	the process limit is 0 (needed by UNLIMITED services)
 *
 * START-UP
 *	mail_server_init() does, in this order: read main.cf (from
 *	$MAIL_CONFIG or the built-in directory); parse the command line
 *	(mail_server_args_parse()); apply -i, -m and -o settings in
 *	command-line order with mail_conf_update() and set
 *	service_name; set up logging with maillog_client_init() as
 *	"$syslog_name/<program>" (so a master.cf "-o syslog_name=..."
 *	takes effect); refuse a terminal on standard input unless -d or
 *	-S ("do not run this command by hand"); check the flags against
 *	-l, -z and -u; check the transport against the skeleton's
 *	(transports is a set of MASTER_XPORT_MASK() bits): "no transport
 *	type specified", "unsupported transport type: <type>"; read the
 *	generation from the environment; run the debugger for -D; chdir
 *	to $queue_directory; make dict_nbdb(3) ask the nbdb_reindexd
 *	service for missing hash:/btree: files (NBDB_CLIENT_DAEMON); call
 *	pre_init; then drop privileges: as root,
 *	chroot to $queue_directory for -c and switch to $mail_owner for
 *	-u (chroot_uid(3)); when not running as root, nothing changes
 *	(unprivileged mode, DESIGN.md section 5), and -c only gives a
 *	warning "not running as root: no chroot to <dir>"; call
 *	post_init; create the watchdog (watchdog_default seconds, or
 *	$daemon_timeout when it is 0, unless opts names a parameter).
 *
 *	mail_server_start() makes the process serve: it enables accept_fn
 *	(called as accept_fn(EVENT_READ, context) with the descriptor
 *	number as context) on every listening descriptor, watches the
 *	status channel (it becomes readable when master(8) closes its
 *	end: after "postfix reload", or when the master dies; the process
 *	then exits through mail_server_exit()), and starts the max_idle
 *	timer. With exclusive true (single_server(3)) the process waits
 *	for clients in an exclusive_wait(3) set instead of the event loop
 *	when the system has one: the kernel then wakes one idle process
 *	per new client rather than all of them. While it waits there,
 *	only the listeners, the status channel and timers are watched; a
 *	service must not leave other descriptors enabled between
 *	clients. Because the skeletons call service functions from the
 *	event loop, a client being served is finished before the process
 *	notices that the master went away. mail_server_listen() turns the
 *	accept callbacks off and on.
 *
 *	mail_server_busy() and mail_server_idle() send MASTER_STAT_TAKEN
 *	and MASTER_STAT_AVAIL on the status channel. Once the process
 *	has retired (max_use reached) it reports itself busy for good,
 *	so that master(8) starts another process when clients wait.
 *	A process with a limit of 1 (-l) reports only its first client:
 *	master can start no other process for it anyway, and needs just
 *	to know that it served one (throttling, master_spawn(3)).
 *	mail_server_idle() returns false when the master is gone.
 *	mail_server_used() counts one client; it then checks
 *	dict_changed_name() and, when a cached table changed, logs
 *	"table <name> has changed -- restarting" and retires.
 *	mail_server_done() is true when the process has retired.
 *	mail_server_idle_timer() starts or stops the max_idle timer
 *	(expiry ends the process). mail_server_flow_delay() implements
 *	MAIL_SERVER_FLAG_IN_FLOW_DELAY. mail_server_accept() accepts one
 *	connection on a stream or pass listener according to the
 *	transport, returns the client descriptor (blocking mode,
 *	close-on-exec) or -1 (with errno; EAGAIN when another process was
 *	faster). mail_server_stdio() makes the -S stream (reads standard
 *	input, writes standard output). mail_server_run() is the event
 *	loop: it calls loop and waits for events, restarting the watchdog
 *	each time (a wait lasts at most half the watchdog time, so that
 *	only a callback that takes too long trips the watchdog), until the process has retired and has_clients (NULL:
 *	none) says that the skeleton has no client left. mail_server_exit() calls on_exit and exits with status 0.
 *
 * DIAGNOSTICS
 *	Fatal errors with Postfix's words: "invalid option: <c>",
 *	"invalid \"-o <text>\" option value: <why>", "invalid
 *	socket_count: <n>", "no transport type specified",
 *	"unsupported transport type: <type>", "bad generation: <text>",
 *	"do not run this command by hand", the flag checks above, and
 *	chroot/user switch failures. Info (verbose): "idle timeout --
 *	exiting", "master disconnect -- exiting".
 */
#ifndef MAIL_SERVER_H
#define MAIL_SERVER_H

#include "sys_defs.h"
#include "argv.h"
#include "events.h"
#include "vstream.h"
#include "vstring.h"
#include "watchdog.h"

typedef void (*MAIL_SERVER_INIT_FN) (const char *service, char **argv);
typedef int (*MAIL_SERVER_LOOP_FN) (const char *service, char **argv);
typedef void (*MAIL_SERVER_ACCEPT_FN) (const char *service, char **argv);
typedef void (*MAIL_SERVER_EXIT_FN) (const char *service, char **argv);
typedef void (*MAIL_SERVER_DISCONNECT_FN) (VSTREAM *client,
				               const char *service, char **argv);

typedef struct MAIL_SERVER_OPTS {
    int     flags;			/* MAIL_SERVER_FLAG_* */
    MAIL_SERVER_INIT_FN pre_init;	/* before the privilege drop */
    MAIL_SERVER_INIT_FN post_init;	/* after the privilege drop */
    MAIL_SERVER_LOOP_FN loop;		/* before each wait for events */
    MAIL_SERVER_ACCEPT_FN pre_accept;	/* before each new client */
    MAIL_SERVER_DISCONNECT_FN pre_disconnect;	/* multi_server only */
    MAIL_SERVER_EXIT_FN on_exit;	/* before a voluntary exit */
    const char *watchdog_param;		/* time parameter, or NULL */
    MAIL_SERVER_DISCONNECT_FN post_accept;	/* multi_server only */
} MAIL_SERVER_OPTS;

#define MAIL_SERVER_FLAG_SOLITARY	(1<<0)
#define MAIL_SERVER_FLAG_UNLIMITED	(1<<1)
#define MAIL_SERVER_FLAG_PRIVILEGED	(1<<2)
#define MAIL_SERVER_FLAG_UNPRIVILEGED	(1<<3)
#define MAIL_SERVER_FLAG_IN_FLOW_DELAY	(1<<4)
#define MAIL_SERVER_FLAG_NO_USE_LIMIT	(1<<5)
#define MAIL_SERVER_FLAG_NO_IDLE_LIMIT	(1<<6)

/* The parsed command line. */
typedef struct MAIL_SERVER_ARGS {
    bool    chroot;			/* -c */
    bool    foreground;			/* -d */
    bool    debug;			/* -D */
    bool    solitary;			/* -l */
    bool    unlimited;			/* -z */
    bool    unprivileged;		/* -u */
    bool    stand_alone;		/* -S */
    bool    log_stderr;			/* -V */
    int     verbose;			/* number of -v */
    int     socket_count;		/* -s, default 1 */
    char   *service_name;		/* -n, default: program name */
    char   *transport;			/* -t, or NULL */
    ARGV   *settings;			/* "name=value" from -i, -m, -o */
    ARGV   *args;			/* arguments after the options */
} MAIL_SERVER_ARGS;

/* The state of the one server in this process. */
typedef struct MAIL_SERVER {
    MAIL_SERVER_ARGS args;
    MAIL_SERVER_OPTS opts;
    const char *skeleton;		/* for diagnostics */
    const char *progname;		/* base name of argv[0] */
    int     transport;			/* MASTER_XPORT_*, -1 for -S */
    unsigned generation;		/* from the environment */
    int     use_count;			/* clients served */
    int     use_limit;			/* 0: none */
    int     idle_limit;			/* seconds, 0: none */
    int     watchdog_time;		/* seconds */
    bool    retired;			/* take no more clients */
    bool    listening;			/* accept callbacks on */
    EVENTS_NOTIFY_FN accept_fn;		/* skeleton's accept callback */
    struct EXCLUSIVE_WAIT *exclusive;	/* NULL: wait in events_loop() */
    int     pid;			/* for master_notify() */
    bool    reported;			/* AVAIL sent once */
    WATCHDOG *watchdog;
} MAIL_SERVER;

extern const char *mail_server_service_name(void);

extern bool mail_server_args_parse(MAIL_SERVER_ARGS *args, int argc,
				           char **argv, VSTRING *why);
extern void mail_server_args_free(MAIL_SERVER_ARGS *args);
extern void mail_server_args_apply(const MAIL_SERVER_ARGS *args);
extern MAIL_SERVER *mail_server_init(const char *skeleton, int argc,
				             char **argv,
				             const MAIL_SERVER_OPTS *opts,
				             int transports, int watchdog_default);
extern void mail_server_start(MAIL_SERVER *server, EVENTS_NOTIFY_FN accept_fn,
			              bool exclusive);
extern void mail_server_listen(MAIL_SERVER *server, bool on);
extern void mail_server_busy(MAIL_SERVER *server);
extern bool mail_server_idle(MAIL_SERVER *server);
extern void mail_server_used(MAIL_SERVER *server);
extern bool mail_server_done(const MAIL_SERVER *server);
extern void mail_server_idle_timer(MAIL_SERVER *server, bool on);
extern void mail_server_flow_delay(const MAIL_SERVER *server);
extern int mail_server_accept(MAIL_SERVER *server, int listen_fd);
extern VSTREAM *mail_server_stdio(void);
extern void mail_server_run(MAIL_SERVER *server, bool (*has_clients) (void));
extern NORETURN mail_server_exit(MAIL_SERVER *server);

#endif
