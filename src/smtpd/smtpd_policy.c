/*
 * smtpd_policy - check_policy_service: SMTPD access policy delegation
 *
 * SYNOPSIS
 *	#include "smtpd_check.h"
 *
 *	extern const SMTPD_RESTRICTION smtpd_policy_table[];
 *
 *	void	smtpd_policy_service_init(const char *service);
 *
 * DESCRIPTION
 *	check_policy_service SERVICE sends the SMTP session's attributes
 *	to a policy server as SMTPD_POLICY_README describes ("name=value"
 *	lines, an empty line) and applies the "action=..." of its reply
 *	as an access(5) action (smtpd_check_access_action()).
 *
 *	SERVICE is inet:host:port, unix:pathname (relative to the queue
 *	directory, as for a private/ service of master.cf), or, as in
 *	Postfix 3.0 and later, "{ service, name=value, ... }" where a name
 *	is one of timeout, max_idle, max_ttl, request_limit, retry_delay,
 *	try_limit, default_action, policy_context: the per-service value
 *	of the smtpd_policy_service_<name> parameter. Items are separated
 *	by space or comma; "{ name = value }" allows both in a value.
 *
 *	Each service has one cached connection per smtpd process, reused
 *	by later sessions; it is closed after an error, after
 *	request_limit requests (0: no limit), and, between SMTP sessions
 *	(as Postfix, whose timers do not run during a session), when it
 *	is older than max_ttl or was idle longer than max_idle (checked
 *	when the next session uses it). Every request, with its reply, must complete
 *	within the service's timeout; connecting too. A failed request is
 *	tried again (try_limit times in all, retry_delay apart); when all
 *	tries fail, the default action applies ("451 4.3.5 Server
 *	configuration problem").
 *
 *	The request itself is made by smtpd_policy_request.c, the reply
 *	parsed by smtpd_policy_reply.c.
 *
 * DIAGNOSTICS
 *	As Postfix: "warning: connect to SERVICE: reason", "warning:
 *	problem talking to server SERVICE: reason" (reason "Application
 *	error" for end of input or a protocol error; logged for every
 *	failed try except after "No such file or directory", end of input
 *	and broken connections, which are logged for the last try only),
 *	"warning: missing attribute action in input from SERVICE",
 *	"warning: access table inet:host:port entry  has empty value".
 *	Configuration errors are fatal, with Postfix's words: "unknown
 *	option: "name = value"", "name: bad time value or unit: text",
 *	"bad numerical configuration: name = text", "invalid name: N (min
 *	M)", "invalid transport name: T in service: S". As Postfix, they
 *	are reported when smtpd starts: smtpd_check_init() calls
 *	smtpd_policy_service_init() for each check_policy_service
 *	argument, which parses it (no connection is made).
 */
#include "sys_defs.h"
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/time.h>

#include "msg.h"
#include "mymalloc.h"
#include "vstream.h"
#include "vstring.h"
#include "htable.h"
#include "stringops.h"
#include "conv_time.h"
#include "connect.h"
#include "iostuff.h"
#include "mail_params.h"

#include "smtpd_check.h"
#include "smtpd_policy_request.h"
#include "smtpd_policy_reply.h"

/* One policy service, as named in a restriction list. */
typedef struct POLICY_SERVICE {
    char   *table;			/* "inet:host:port" as configured */
    char   *endpoint;			/* "host:port" or pathname */
    bool    is_unix;
    int     timeout;
    int     max_idle;
    int     max_ttl;
    long    request_limit;
    int     retry_delay;
    long    try_limit;
    char   *default_action;
    char   *policy_context;
    VSTREAM *stream;			/* cached connection or NULL */
    time_t  open_time;
    time_t  last_used;
    long    requests;			/* on this connection */
    const SMTPD_STATE *session;		/* session of the last use */
    struct timeval session_arrival;
} POLICY_SERVICE;

static HTABLE *policy_services;		/* by restriction argument */
static SMTPD_POLICY_REPLY *policy_reply;
static VSTRING *policy_request;

/* policy_time_option - parse a time option of a service, or die */

static int policy_time_option(const char *name, const char *value)
{
    int     seconds;

    if (!conv_time(value, &seconds, 's'))
	msg_fatal("%s: bad time value or unit: %s", name, value);
    if (seconds < 1)
	msg_fatal("invalid %s: %d (min 1)", name, seconds);
    return (seconds);
}

/* policy_int_option - parse a count option of a service, or die */

static long policy_int_option(const char *name, const char *value,
			              long min)
{
    char   *end;
    long    number;

    errno = 0;
    number = strtol(value, &end, 10);
    if (*value == 0 || *end != 0 || errno != 0)
	msg_fatal("bad numerical configuration: %s = %s", name, value);
    if (number < min)
	msg_fatal("invalid %s: %ld (min %ld)", name, number, min);
    return (number);
}

/* policy_service_option - apply one name=value of a "{...}" service */

static void policy_service_option(POLICY_SERVICE *svc, const char *spec,
				          char *option)
{
    char   *name;
    char   *value;
    const char *err;

    /* "{ name = value }": spaces and commas in the value. */
    if (*option == '{') {
	size_t  len = strlen(option);

	if (len < 2 || option[len - 1] != '}')
	    msg_fatal("policy service syntax error: %s", spec);
	option[len - 1] = 0;
	option = trim_whitespace(option + 1);
    }
    if ((err = split_nameval(option, &name, &value)) != 0)
	msg_fatal("policy service syntax error: %s: %s", spec, err);
    if (strcmp(name, "timeout") == 0) {
	svc->timeout = policy_time_option(name, value);
    } else if (strcmp(name, "max_idle") == 0) {
	svc->max_idle = policy_time_option(name, value);
    } else if (strcmp(name, "max_ttl") == 0) {
	svc->max_ttl = policy_time_option(name, value);
    } else if (strcmp(name, "retry_delay") == 0) {
	svc->retry_delay = policy_time_option(name, value);
    } else if (strcmp(name, "request_limit") == 0) {
	svc->request_limit = policy_int_option(name, value, 0);
    } else if (strcmp(name, "try_limit") == 0) {
	svc->try_limit = policy_int_option(name, value, 1);
    } else if (strcmp(name, "default_action") == 0) {
	myfree(svc->default_action);
	svc->default_action = mystrdup(value);
    } else if (strcmp(name, "policy_context") == 0) {
	myfree(svc->policy_context);
	svc->policy_context = mystrdup(value);
    } else {
	msg_fatal("unknown option: \"%s = %s\"", name, value);
    }
}

/* policy_service_create - parse a service argument */

static POLICY_SERVICE *policy_service_create(const char *spec)
{
    POLICY_SERVICE *svc = mymalloc(sizeof(*svc));
    char   *copy = mystrdup(spec);
    char   *cp = copy;
    char   *first;
    char   *option;
    size_t  len;

    cp = trim_whitespace(cp);
    len = strlen(cp);
    if (*cp == '{') {
	if (len < 2 || cp[len - 1] != '}')
	    msg_fatal("policy service syntax error: %s", spec);
	cp[len - 1] = 0;
	cp += 1;
    }
    if ((first = mystrtokq(&cp, ", \t\r\n", "{}")) == 0)
	msg_fatal("policy service syntax error: %s", spec);
    svc->table = mystrdup(first);
    if (strncmp(first, "inet:", 5) == 0 && first[5] != 0) {
	svc->endpoint = mystrdup(first + 5);
	svc->is_unix = false;
    } else if (strncmp(first, "unix:", 5) == 0 && first[5] != 0) {
	svc->endpoint = mystrdup(first + 5);
	svc->is_unix = true;
    } else {
	size_t  tlen = strcspn(first, ":");

	msg_fatal("invalid transport name: %.*s in service: %s",
		  (int) tlen, first, first);
    }
    svc->timeout = VAR_TIME(smtpd_policy_service_timeout);
    svc->max_idle = VAR_TIME(smtpd_policy_service_max_idle);
    svc->max_ttl = VAR_TIME(smtpd_policy_service_max_ttl);
    svc->request_limit = VAR_INT(smtpd_policy_service_request_limit);
    svc->retry_delay = VAR_TIME(smtpd_policy_service_retry_delay);
    svc->try_limit = VAR_INT(smtpd_policy_service_try_limit);
    svc->default_action =
	mystrdup(VAR_STR(smtpd_policy_service_default_action));
    svc->policy_context =
	mystrdup(VAR_STR(smtpd_policy_service_policy_context));
    while ((option = mystrtokq(&cp, ", \t\r\n", "{}")) != 0)
	policy_service_option(svc, spec, option);
    if (svc->try_limit < 1)
	svc->try_limit = 1;
    svc->stream = 0;
    svc->open_time = svc->last_used = 0;
    svc->requests = 0;
    svc->session = 0;
    myfree(copy);
    return (svc);
}

/* policy_service_find - the service of a restriction argument */

static POLICY_SERVICE *policy_service_find(const char *spec)
{
    POLICY_SERVICE *svc;

    if (policy_services == 0) {
	policy_services = htable_create(10);
	policy_reply = smtpd_policy_reply_create();
	policy_request = vstring_alloc(1000);
    }
    if ((svc = htable_find(policy_services, spec)) == 0) {
	svc = policy_service_create(spec);
	htable_enter(policy_services, spec, svc);
    }
    return (svc);
}

/* smtpd_policy_service_init - parse a service argument at start-up */

void    smtpd_policy_service_init(const char *spec)
{
    (void) policy_service_find(spec);
}

/* policy_disconnect - close a service's cached connection */

static void policy_disconnect(POLICY_SERVICE *svc)
{
    if (svc->stream != 0) {
	(void) vstream_fclose(svc->stream);
	svc->stream = 0;
    }
}

/* policy_connect - open a connection to a service; -1 with errno */

static int policy_connect(POLICY_SERVICE *svc)
{
    int     fd;

    fd = svc->is_unix ?
	unix_connect(svc->endpoint, BLOCKING, svc->timeout) :
	inet_connect(svc->endpoint, BLOCKING, svc->timeout);
    if (fd < 0) {
	int     saved_errno = errno;

	msg_warn("connect to %s: %m", svc->endpoint);
	errno = saved_errno;
	return (-1);
    }
    svc->stream = vstream_fdopen(fd, O_RDWR);
    vstream_set_path(svc->stream, svc->endpoint);
    vstream_set_timeout(svc->stream, svc->timeout);
    svc->open_time = time((time_t *) 0);
    svc->requests = 0;
    return (0);
}

/* policy_expired - must a cached connection be closed before this use */

static bool policy_expired(POLICY_SERVICE *svc, const SMTPD_STATE *state)
{
    time_t  start = state->arrival.tv_sec;

    if (svc->request_limit > 0 && svc->requests >= svc->request_limit)
	return (true);
    if (svc->session == state
	&& svc->session_arrival.tv_sec == state->arrival.tv_sec
	&& svc->session_arrival.tv_usec == state->arrival.tv_usec)
	return (false);

    /*
     * Postfix closes idle and old connections from timers that run only
     * between SMTP sessions: within one session a connection is kept.
     * The time between sessions ended when this session started.
     */
    return (start - svc->last_used > svc->max_idle
	    || start - svc->open_time > svc->max_ttl);
}

/* policy_try - one request/reply exchange; 0, or -1 with errno */

static int policy_try(POLICY_SERVICE *svc, const SMTPD_STATE *state,
		              const char *request, size_t len)
{
    if (svc->stream != 0 && policy_expired(svc, state))
	policy_disconnect(svc);
    if (svc->stream == 0 && policy_connect(svc) < 0)
	return (-1);
    vstream_start_deadline(svc->stream);
    if (vstream_fwrite(svc->stream, request, len) != len
	|| vstream_fflush(svc->stream) == VSTREAM_EOF) {
	int     saved_errno = vstream_ftimeout(svc->stream) ? ETIMEDOUT : errno;

	policy_disconnect(svc);
	errno = saved_errno;
	return (-1);
    }
    if (smtpd_policy_reply_read(policy_reply, svc->stream)
	!= SMTPD_POLICY_REPLY_DONE) {
	int     saved_errno = errno;

	policy_disconnect(svc);
	errno = saved_errno;
	return (-1);
    }
    svc->last_used = time((time_t *) 0);
    svc->requests += 1;
    svc->session = state;
    svc->session_arrival = state->arrival;
    if (policy_reply->action == 0) {
	msg_warn("missing attribute action in input from %s", svc->endpoint);
	policy_disconnect(svc);
	errno = 0;
	return (-1);
    }
    return (0);
}

/* policy_error_quiet - errors that Postfix reports for the last try only */

static bool policy_error_quiet(int err)
{
    return (err == 0 || err == ENOENT || err == EPIPE || err == ECONNRESET);
}

/* check_policy_service - the restriction */

static int check_policy_service(SMTPD_CHECK_CALL *call)
{
    POLICY_SERVICE *svc = policy_service_find(call->arg);
    long    count;
    int     err;
    char   *action;
    int     status;

    smtpd_policy_request_format(call, svc->policy_context, policy_request);
    for (count = 1; /* see below */ ; count++) {
	if (policy_try(svc, call->state, vstring_str(policy_request),
		       VSTRING_LEN(policy_request)) == 0) {
	    if (*policy_reply->action == 0) {
		msg_warn("access table %s entry %s has empty value",
			 svc->table, "");
		return (SMTPD_CHECK_DUNNO);
	    }
	    /* A copy: the action may name check_policy_service again. */
	    action = mystrdup(policy_reply->action);
	    status = smtpd_check_access_action(call, svc->table, "", action);
	    myfree(action);
	    return (status);
	}
	err = errno;
	if (!policy_error_quiet(err) || count >= svc->try_limit)
	    msg_warn("problem talking to server %s: %s", svc->endpoint,
		     err ? strerror(err) : "Application error");
	if (count >= svc->try_limit)
	    break;
	sleep(svc->retry_delay);
    }
    return (smtpd_check_access_action(call, svc->table, "",
				      svc->default_action));
}

const SMTPD_RESTRICTION smtpd_policy_table[] = {
    {"check_policy_service", check_policy_service, SMTPD_RESTR_ARG},
    {0, 0, 0},
};
