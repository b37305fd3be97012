/*
 * mail_server - what the three daemon skeletons have in common
 *
 * DESCRIPTION
 *	See mail_server.h. A process runs one server, so the state lives
 *	in one static MAIL_SERVER that mail_server_init() fills in and
 *	returns.
 */
#include "sys_defs.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "msg.h"
#include "msg_output.h"
#include "mymalloc.h"
#include "stringops.h"
#include "excerpt.h"
#include "iostuff.h"
#include "listen.h"
#include "sane_accept.h"
#include "chroot_uid.h"
#include "mail_conf.h"
#include "mail_params.h"
#include "mail_params_default.h"
#include "maillog_client.h"
#include "dict.h"
#include "dict_nbdb.h"
#include "master_proto.h"
#include "mail_flow.h"
#include "debug_process.h"
#include "exclusive_wait.h"
#include "mail_server.h"

#define MAIL_SERVER_PASS_TIMEOUT	10	/* seconds to receive an fd */

static MAIL_SERVER mail_server_state;
static bool mail_server_initialized;

/* mail_server_service_name - the master.cf service name */
const char *mail_server_service_name(void)
{
    return mail_server_initialized ? mail_server_state.args.service_name : NULL;
}

/* mail_server_option_arg - the argument of an option, or NULL */
static const char *mail_server_option_arg(const char *cluster, int *index,
					          int argc, char **argv)
{
    if (cluster[1] != 0)
	return cluster + 1;
    if (*index + 1 < argc)
	return argv[++*index];
    return NULL;
}

/* mail_server_add_setting - remember one "name=value" override */
static bool mail_server_add_setting(MAIL_SERVER_ARGS *args, const char *text,
				            VSTRING *why)
{
    char   *copy = mystrdup(text);
    char   *name;
    char   *value;
    const char *err;
    char   *setting;

    if ((err = split_nameval(copy, &name, &value)) != NULL) {
	vstring_sprintf(why, "invalid \"-o %s\" option value: %s",
			excerpt(text), err);
	myfree(copy);
	return false;
    }
    setting = concatenate(name, "=", value, (char *) 0);
    argv_add(args->settings, setting, (char *) 0);
    myfree(setting);
    myfree(copy);
    return true;
}

/* mail_server_take_arg - handle an option that has an argument */
static bool mail_server_take_arg(MAIL_SERVER_ARGS *args, int option,
				         const char *value, VSTRING *why)
{
    char   *setting;

    switch (option) {
    case 'i':
    case 'm':
	setting = concatenate(option == 'i' ? "max_idle" : "max_use", "=",
			      value, (char *) 0);
	argv_add(args->settings, setting, (char *) 0);
	myfree(setting);
	return true;
    case 'n':
	myfree(args->service_name);
	args->service_name = mystrdup(value);
	return true;
    case 'o':
	return mail_server_add_setting(args, value, why);
    case 's':
	if (!alldig(value) || strlen(value) > 4 || atoi(value) <= 0) {
	    vstring_sprintf(why, "invalid socket_count: %s", excerpt(value));
	    return false;
	}
	args->socket_count = atoi(value);
	return true;
    case 't':
	myfree(args->transport);
	args->transport = mystrdup(value);
	return true;
    default:
	msg_panic("mail_server_take_arg: option %c", option);
    }
}

/* mail_server_args_parse - the generic daemon command line */
bool    mail_server_args_parse(MAIL_SERVER_ARGS *args, int argc, char **argv,
			               VSTRING *why)
{
    const char *cp;
    const char *value;
    int     i;

    memset(args, 0, sizeof(*args));
    args->socket_count = 1;
    args->service_name = mystrdup(argc > 0 ? base_name(argv[0]) : "");
    args->settings = argv_alloc(4);
    args->args = argv_alloc(4);
    for (i = 1; i < argc; i++) {
	if (argv[i][0] != '-' || argv[i][1] == 0)
	    break;
	if (strcmp(argv[i], "--") == 0) {
	    i++;
	    break;
	}
	for (cp = argv[i] + 1; *cp != 0; cp++) {
	    switch (*cp) {
	    case 'c':
		args->chroot = true;
		continue;
	    case 'd':
		args->foreground = true;
		continue;
	    case 'D':
		args->debug = true;
		continue;
	    case 'l':
		args->solitary = true;
		continue;
	    case 'S':
		args->stand_alone = true;
		continue;
	    case 'u':
		args->unprivileged = true;
		continue;
	    case 'v':
		args->verbose++;
		continue;
	    case 'V':
		args->log_stderr = true;
		continue;
	    case 'z':
		args->unlimited = true;
		continue;
	    case 'i':
	    case 'm':
	    case 'n':
	    case 'o':
	    case 's':
	    case 't':
		if ((value = mail_server_option_arg(cp, &i, argc, argv)) == NULL) {
		    vstring_sprintf(why, "option requires an argument -- %c", *cp);
		    return false;
		}
		if (!mail_server_take_arg(args, *cp, value, why))
		    return false;
		break;
	    default:
		vstring_sprintf(why, "invalid option: %c", *cp);
		return false;
	    }
	    break;				/* the argument used up the rest */
	}
    }
    for (; i < argc; i++)
	argv_add(args->args, argv[i], (char *) 0);
    return true;
}

/* mail_server_args_free - release a parsed command line */
void    mail_server_args_free(MAIL_SERVER_ARGS *args)
{
    myfree(args->service_name);
    myfree(args->transport);
    if (args->settings)
	argv_free(args->settings);
    if (args->args)
	argv_free(args->args);
    memset(args, 0, sizeof(*args));
}

/* mail_server_args_apply - install -i, -m and -o settings */
void    mail_server_args_apply(const MAIL_SERVER_ARGS *args)
{
    size_t  n;
    char   *copy;
    char   *value;

    for (n = 0; n < args->settings->argc; n++) {
	copy = mystrdup(args->settings->argv[n]);
	if ((value = split_at(copy, '=')) == NULL)
	    msg_panic("mail_server_args_apply: bad setting \"%s\"", copy);
	mail_conf_update(copy, value);
	myfree(copy);
    }
}

/* mail_server_check_flags - the service's needs against master.cf */
static void mail_server_check_flags(const MAIL_SERVER *server)
{
    const MAIL_SERVER_ARGS *args = &server->args;
    int     flags = server->opts.flags;

    if (args->stand_alone)
	return;
    if ((flags & MAIL_SERVER_FLAG_SOLITARY) && !args->solitary)
	msg_fatal("service %s requires a process limit of 1",
		  excerpt(args->service_name));
    if ((flags & MAIL_SERVER_FLAG_UNLIMITED) && !args->unlimited)
	msg_fatal("service %s requires a process limit of 0",
		  excerpt(args->service_name));
    if ((flags & MAIL_SERVER_FLAG_PRIVILEGED) && args->unprivileged)
	msg_fatal("service %s requires privileged operation",
		  excerpt(args->service_name));
    if ((flags & MAIL_SERVER_FLAG_UNPRIVILEGED) && !args->unprivileged)
	msg_fatal("service %s requires unprivileged operation",
		  excerpt(args->service_name));
}

/* mail_server_check_transport - the transport that master gave us */
static int mail_server_check_transport(const MAIL_SERVER *server,
				               int transports)
{
    int     code;

    if (server->args.stand_alone)
	return -1;
    if (server->args.transport == NULL)
	msg_fatal("no transport type specified");
    if ((code = master_xport_code(server->args.transport)) < 0
	|| (transports & MASTER_XPORT_MASK(code)) == 0)
	msg_fatal("unsupported transport type: %s",
		  excerpt(server->args.transport));
    return code;
}

/* mail_server_watchdog_time - the skeleton's watchdog timeout */
static int mail_server_watchdog_time(const MAIL_SERVER_OPTS *opts,
				             int watchdog_default)
{
    const MAIL_PARAM *param;

    if (opts->watchdog_param != NULL) {
	if ((param = mail_param_find(opts->watchdog_param)) == NULL
	    || param->type != MAIL_PARAM_TIME)
	    msg_panic("mail_server: bad watchdog parameter \"%s\"",
		      opts->watchdog_param);
	return mail_conf_get_time(param->name, mail_param_default_text(param),
				  param->time_unit, param->min, param->max);
    }
    return watchdog_default > 0 ? watchdog_default : VAR_TIME(daemon_timeout);
}

/* mail_server_drop_privileges - chroot and user switch per master.cf */
static void mail_server_drop_privileges(const MAIL_SERVER *server)
{
    char   *root_dir = NULL;
    char   *user_name = NULL;

    if (server->args.chroot)
	root_dir = mystrdup(VAR_STR(queue_directory));
    if (server->args.unprivileged)
	user_name = mystrdup(VAR_STR(mail_owner));
    if (geteuid() == 0) {
	if (root_dir != NULL || user_name != NULL) {
	    (void) maillog_client_connect();
	    chroot_uid(root_dir, user_name);
	    if (root_dir != NULL)
		dict_watch_chroot(root_dir);
	}
    } else if (root_dir != NULL) {
	msg_warn("not running as root: no chroot to %s", root_dir);
    }
    myfree(root_dir);
    myfree(user_name);
}

/* mail_server_init - everything before the first client */
MAIL_SERVER *mail_server_init(const char *skeleton, int argc, char **argv,
			              const MAIL_SERVER_OPTS *opts,
			              int transports, int watchdog_default)
{
    static const MAIL_SERVER_OPTS no_opts;
    MAIL_SERVER *server = &mail_server_state;
    const char *progname = argc > 0 ? base_name(argv[0]) : skeleton;
    VSTRING *why = vstring_alloc(100);
    const char *text;
    bool    args_ok;

    if (mail_server_initialized)
	msg_panic("%s: already initialized", skeleton);
    mail_server_initialized = true;
    memset(server, 0, sizeof(*server));
    server->skeleton = skeleton;
    server->progname = progname;
    server->opts = opts ? *opts : no_opts;
    if (getenv("MAIL_VERBOSE") != NULL)
	msg_verbose = 1;
    signal(SIGPIPE, SIG_IGN);
    signal(SIGXFSZ, SIG_IGN);

    /*
     * Configuration first, then the command line that overrides it, then
     * logging, so that "-o syslog_name=..." and the like take effect.
     */
    mail_params_set_process_name(progname);
    mail_conf_read();
    args_ok = mail_server_args_parse(&server->args, argc, argv, why);
    if (args_ok)
	mail_server_args_apply(&server->args);
    mail_conf_update("service_name", server->args.service_name);
    maillog_client_init(progname, MAILLOG_CLIENT_FLAG_NONE);
    if (server->args.log_stderr)
	msg_stderr_init(progname);
    if (!args_ok)
	msg_fatal("%s", vstring_str(why));
    vstring_free(why);
    msg_verbose += server->args.verbose;
    if (msg_verbose)
	msg_info("daemon started");

    if (!server->args.foreground && !server->args.stand_alone
	&& isatty(STDIN_FILENO)) {
	msg_stderr_init(progname);
	msg_fatal("do not run this command by hand");
    }
    mail_server_check_flags(server);
    server->transport = mail_server_check_transport(server, transports);
    if ((text = getenv(MASTER_GEN_NAME)) != NULL) {
	if (!master_generation_parse(text, &server->generation))
	    msg_fatal("bad generation: %s", excerpt(text));
	if (msg_verbose)
	    msg_info("process generation: %s (%o)", excerpt(text),
		     server->generation);
    }
    if (server->args.debug || getenv("MAIL_DEBUG") != NULL)
	debug_process();

    if (chdir(VAR_STR(queue_directory)) < 0)
	msg_fatal("chdir(\"%s\"): %m", VAR_STR(queue_directory));
    /* A missing hash: or btree: file is nbdb_reindexd(8)'s business. */
    dict_nbdb_client(NBDB_CLIENT_DAEMON);
    if (server->opts.pre_init)
	server->opts.pre_init(server->args.service_name, server->args.args->argv);
    tzset();
    mail_server_drop_privileges(server);
    if (server->opts.post_init)
	server->opts.post_init(server->args.service_name, server->args.args->argv);

    server->use_limit = (server->opts.flags & MAIL_SERVER_FLAG_NO_USE_LIMIT) ?
	0 : (int) VAR_INT(max_use);
    server->idle_limit = (server->opts.flags & MAIL_SERVER_FLAG_NO_IDLE_LIMIT) ?
	0 : VAR_TIME(max_idle);
    server->watchdog_time = mail_server_watchdog_time(&server->opts,
						      watchdog_default);
    server->watchdog = watchdog_create((unsigned) server->watchdog_time,
				       NULL, NULL);
    return server;
}

/* mail_server_abort - the master closed the status channel */
static void mail_server_abort(int event, void *context)
{
    (void) event;
    if (msg_verbose)
	msg_info("master disconnect -- exiting");
    mail_server_exit((MAIL_SERVER *) context);
}

/* mail_server_idle_event - max_idle expired */
static void mail_server_idle_event(int event, void *context)
{
    (void) event;
    if (msg_verbose)
	msg_info("idle timeout -- exiting");
    mail_server_exit((MAIL_SERVER *) context);
}

/* mail_server_need_fd - a descriptor that master must have passed */
static void mail_server_need_fd(const MAIL_SERVER *server, int fd)
{
    if (fcntl(fd, F_GETFD) < 0) {
	msg_stderr_init(server->progname);
	msg_fatal("descriptor %d is not open: this program must be run "
		  "by master(8), or with -S", fd);
    }
    (void) close_on_exec(fd, CLOSE_ON_EXEC);
}

/* mail_server_start - serve clients from the master's listeners */
void    mail_server_start(MAIL_SERVER *server, EVENTS_NOTIFY_FN accept_fn,
			          bool exclusive)
{
    int     fd;

    mail_server_need_fd(server, MASTER_STATUS_FD);
    for (fd = MASTER_LISTEN_FD; fd < MASTER_LISTEN_FD + server->args.socket_count;
	 fd++)
	mail_server_need_fd(server, fd);
    (void) close_on_exec(MASTER_FLOW_READ, CLOSE_ON_EXEC);
    (void) close_on_exec(MASTER_FLOW_WRITE, CLOSE_ON_EXEC);
    server->pid = (int) getpid();
    server->accept_fn = accept_fn;
    if (exclusive && server->transport >= 0)
	server->exclusive = exclusive_wait_create(MASTER_LISTEN_FD,
						  server->args.socket_count,
						  MASTER_STATUS_FD);
    if (server->exclusive == NULL)
	events_enable_read(MASTER_STATUS_FD, mail_server_abort, server);
    mail_server_listen(server, true);
    mail_server_idle_timer(server, true);
}

/* mail_server_listen - turn the accept callbacks on or off */
void    mail_server_listen(MAIL_SERVER *server, bool on)
{
    int     fd;

    if (on == server->listening || (on && server->retired))
	return;
    server->listening = on;
    if (server->exclusive != NULL)
	return;				/* mail_server_wait() checks the flag */
    for (fd = MASTER_LISTEN_FD; fd < MASTER_LISTEN_FD + server->args.socket_count;
	 fd++) {
	if (on)
	    events_enable_read(fd, server->accept_fn, (void *) (intptr_t) fd);
	else
	    events_disable_readwrite(fd);
    }
}

/*
 * mail_server_quiet - no status reports needed. With a process limit of
 * 1 (-l) master can start no other process, so busy and idle reports
 * change nothing there once the first client was served (master counts
 * that one, to tell a later crash from a start-up failure). postlogd
 * would otherwise send two reports per log line.
 */
static bool mail_server_quiet(const MAIL_SERVER *server)
{
    return server->args.solitary && server->reported;
}

/* mail_server_busy - tell the master that we serve a client */
void    mail_server_busy(MAIL_SERVER *server)
{
    if (server->transport >= 0 && !mail_server_quiet(server))
	(void) master_notify(server->pid, server->generation,
			     MASTER_STAT_TAKEN);
}

/* mail_server_idle - tell the master that we can take a client */
bool    mail_server_idle(MAIL_SERVER *server)
{
    if (server->transport < 0 || server->retired || mail_server_quiet(server))
	return true;
    server->reported = true;
    return master_notify(server->pid, server->generation,
			 MASTER_STAT_AVAIL) == 0;
}

/* mail_server_retire - take no more clients */
static void mail_server_retire(MAIL_SERVER *server)
{
    server->retired = true;
    mail_server_listen(server, false);
}

/* mail_server_used - count a client, retire when it is time */
void    mail_server_used(MAIL_SERVER *server)
{
    const char *table;

    if (server->use_count < INT_MAX)
	server->use_count++;
    if (server->retired)
	return;
    if (server->use_limit > 0 && server->use_count >= server->use_limit) {
	if (msg_verbose)
	    msg_info("use limit %d reached -- retiring", server->use_limit);
	mail_server_retire(server);
    } else if ((table = dict_changed_name()) != NULL) {
	msg_info("table %s has changed -- restarting", table);
	mail_server_retire(server);
    }
}

/* mail_server_done - has the process retired? */
bool    mail_server_done(const MAIL_SERVER *server)
{
    return server->retired;
}

/* mail_server_idle_timer - start or stop the max_idle timer */
void    mail_server_idle_timer(MAIL_SERVER *server, bool on)
{
    if (server->idle_limit <= 0)
	return;
    if (on)
	events_request_timer(mail_server_idle_event, server, server->idle_limit);
    else
	(void) events_cancel_timer(mail_server_idle_event, server);
}

/* mail_server_flow_delay - take a flow token or pause */
void    mail_server_flow_delay(const MAIL_SERVER *server)
{
    struct timespec ts;

    if ((server->opts.flags & MAIL_SERVER_FLAG_IN_FLOW_DELAY) == 0
	|| server->transport < 0 || mail_flow_get(1) >= 0)
	return;
    ts.tv_sec = VAR_TIME(in_flow_delay);
    ts.tv_nsec = 0;
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
	 /* void */ ;
}

/* mail_server_accept - accept one client on a listener */
int     mail_server_accept(MAIL_SERVER *server, int listen_fd)
{
    switch (server->transport) {
    case MASTER_XPORT_INET:
    case MASTER_XPORT_UNIX:
	return sane_accept(listen_fd, NULL, NULL);
    case MASTER_XPORT_PASS:
	return pass_accept(listen_fd, MAIL_SERVER_PASS_TIMEOUT);
    default:
	msg_panic("%s: cannot accept on transport %d", server->skeleton,
		  server->transport);
    }
}

/* mail_server_stdio - the -S client stream */
VSTREAM *mail_server_stdio(void)
{
    VSTREAM *fp = vstream_fdopen(STDIN_FILENO, O_RDWR);

    vstream_set_path(fp, "stdin");
    vstream_set_write_fd(fp, STDOUT_FILENO);
    return fp;
}

/* mail_server_wait - one wait in the exclusive set, at most delay seconds */
static void mail_server_wait(MAIL_SERVER *server, int delay)
{
    int     ready[4];
    time_t  due = events_next_due();
    time_t  now = time((time_t *) 0);
    int     n;
    int     i;

    if (due >= 0 && (delay < 0 || due - now < delay))
	delay = due <= now ? 0 : (int) (due - now);
    n = exclusive_wait(server->exclusive, delay < 0 ? -1 : delay * 1000,
		       ready, sizeof(ready) / sizeof(ready[0]));
    for (i = 0; i < n; i++) {
	if (ready[i] == MASTER_STATUS_FD)
	    mail_server_abort(EVENT_READ, server);
	else if (server->listening)
	    server->accept_fn(EVENT_READ, (void *) (intptr_t) ready[i]);
    }
    /* Timers (max_idle) run from the event loop, without waiting. */
    if (due >= 0 && time((time_t *) 0) >= due)
	events_loop(0);
}

/* mail_server_run - the event loop */
void    mail_server_run(MAIL_SERVER *server, bool (*has_clients) (void))
{
    int     limit = server->watchdog_time > 2 ? server->watchdog_time / 2 : 1;
    int     delay;

    /*
     * Waiting for events is not being stuck: each wait is at most half
     * the watchdog time, so that only a callback that takes too long
     * makes the watchdog fire.
     */
    while (!server->retired || (has_clients != NULL && has_clients())) {
	watchdog_start(server->watchdog);
	delay = server->opts.loop ?
	    server->opts.loop(server->args.service_name, server->args.args->argv)
	    : -1;
	delay = delay < 0 || delay > limit ? limit : delay;
	if (server->exclusive != NULL)
	    mail_server_wait(server, delay);
	else
	    events_loop(delay);
    }
}

/* mail_server_exit - voluntary termination */
NORETURN mail_server_exit(MAIL_SERVER *server)
{
    if (server->opts.on_exit)
	server->opts.on_exit(server->args.service_name, server->args.args->argv);
    exit(0);
}
