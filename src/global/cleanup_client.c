/*
 * cleanup_client - submit one message to the cleanup(8) service
 *
 * SYNOPSIS
 *	See cleanup_client.h.
 *
 * DESCRIPTION
 *	The cleanup conversation of docs/internals/protocols.md: the
 *	service greets with its protocol name and the queue ID, the client
 *	sends its request flags, then the message as records, and the
 *	service answers with a status, a reason and the queue ID.
 *
 *	Time limits: the greeting and the request share one deadline of
 *	$ipc_timeout; while the caller writes the message each write has
 *	$ipc_timeout (the caller may be relaying a slow SMTP client, so
 *	the whole transfer is not bounded here); the final flush and the
 *	reply share one new deadline of $ipc_timeout.
 *
 *	When the final flush fails (the service may have rejected the
 *	message and closed its end early), the client still tries to read
 *	the service's reply, and uses it when there is one.
 *
 *	Control characters in the service's reason become "?", so that
 *	a caller can quote it in an SMTP reply as it is.
 *
 *	This module does not write records (record.h does) and does not
 *	log, except a warning when the reply names another queue ID than
 *	the greeting did; the caller reports the status and reason.
 *
 * DIAGNOSTICS
 *	cleanup_client_open() reasons: "connect to <path>: <error>",
 *	"<endpoint>: <attr_proto_expect() reason>", "<endpoint>: missing
 *	attribute queue_id", "<endpoint>: bad queue ID <id>",
 *	"<endpoint>: timeout" or "<endpoint>: write error: <error>".
 *	cleanup_client_close() failure reasons (status CLEANUP_STAT_WRITE)
 *	start with "4.3.0 <endpoint>: " and say what happened ("lost
 *	connection", "timeout", "write error: <error>", a reason of
 *	attr_list_read(), "request refused: <service's reason>").
 *	Warning: "<endpoint>: queue ID <id> announced as <id>".
 */
#include "sys_defs.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "excerpt.h"
#include "connect.h"
#include "iostuff.h"
#include "vstream.h"
#include "vstring.h"
#include "mail_params.h"
#include "mail_conf.h"
#include "mail_endpoint.h"
#include "attr_list.h"
#include "record.h"
#include "rec_type.h"
#include "cleanup_proto.h"
#include "cleanup_client.h"

struct CLEANUP_CLIENT {
    VSTREAM *fp;			/* connection to the service */
    char   *endpoint;			/* as given, for messages */
    char   *queue_id;			/* from the greeting */
    pid_t   pid;			/* postdrop, or 0 */
};

#define CLEANUP_QUEUE_ID_MIN	6	/* queue-file.md section 7 */
#define CLEANUP_QUEUE_ID_MAX	40

/* cleanup_client_queue_id_ok - 6 to 40 characters of 0-9 A-Z a-z */
static bool cleanup_client_queue_id_ok(const char *id)
{
    size_t  len = strlen(id);
    size_t  n;

    if (len < CLEANUP_QUEUE_ID_MIN || len > CLEANUP_QUEUE_ID_MAX)
	return false;
    for (n = 0; n < len; n++)
	if (!((id[n] >= '0' && id[n] <= '9') || (id[n] >= 'A' && id[n] <= 'Z')
	      || (id[n] >= 'a' && id[n] <= 'z')))
	    return false;
    return true;
}

/* cleanup_client_io_error - why a write or flush failed */
static const char *cleanup_client_io_error(VSTREAM *fp, VSTRING *buf)
{
    if (vstream_ftimeout(fp))
	return vstring_str(vstring_strcpy(buf, "timeout"));
    return vstring_str(vstring_sprintf(buf, "write error: %m"));
}

/* cleanup_client_free - close, reap postdrop, free */
static void cleanup_client_free(CLEANUP_CLIENT *client)
{
    int     wstatus;

    if (client->fp != NULL)
	(void) vstream_fclose(client->fp);
    while (client->pid > 0 && waitpid(client->pid, &wstatus, 0) < 0
	   && errno == EINTR)
	 /* again */ ;
    myfree(client->endpoint);
    myfree(client->queue_id);
    myfree(client);
}

/* cleanup_client_create - a client on fd, with the greeting's deadline */
static CLEANUP_CLIENT *cleanup_client_create(int fd, const char *endpoint,
					             const char *path, pid_t pid)
{
    CLEANUP_CLIENT *client = mymalloc(sizeof(*client));

    client->fp = vstream_fdopen(fd, O_RDWR);
    client->endpoint = mystrdup(endpoint);
    client->queue_id = NULL;
    client->pid = pid;
    vstream_set_path(client->fp, path);
    vstream_set_timeout(client->fp, VAR_TIME(ipc_timeout));
    vstream_start_deadline(client->fp);
    return client;
}

/* cleanup_client_greeting - read { protocol, queue_id }; false: reason */
static bool cleanup_client_greeting(CLEANUP_CLIENT *client,
				            const char *protocol,
				            ATTR_LIST *attrs, VSTRING *reason)
{
    const char *queue_id;

    if (!attr_proto_expect(client->fp, protocol, attrs, reason))
	return false;
    if ((queue_id = attr_list_find_str(attrs, CLEANUP_ATTR_QUEUE_ID)) == NULL) {
	vstring_sprintf(reason, "missing attribute %s", CLEANUP_ATTR_QUEUE_ID);
	return false;
    }
    if (!cleanup_client_queue_id_ok(queue_id)) {
	vstring_sprintf(reason, "bad queue ID %s", excerpt(queue_id));
	return false;
    }
    client->queue_id = mystrdup(queue_id);
    return true;
}

/* cleanup_client_open - connect, check the greeting, send the request */
CLEANUP_CLIENT *cleanup_client_open(const char *endpoint, int flags,
				            VSTRING *why)
{
    int     timeout = VAR_TIME(ipc_timeout);
    CLEANUP_CLIENT *client;
    ATTR_LIST *attrs;
    VSTRING *reason;
    char   *path;
    int     fd;

    if (endpoint == NULL)
	endpoint = "public/" CLEANUP_SERVICE;
    path = mail_endpoint_path(endpoint);
    if ((fd = unix_connect(path, BLOCKING, timeout)) < 0) {
	vstring_sprintf(why, "connect to %s: %m", path);
	myfree(path);
	return NULL;
    }
    client = cleanup_client_create(fd, endpoint, path, 0);
    myfree(path);

    attrs = attr_list_create();
    reason = vstring_alloc(100);
    if (cleanup_client_greeting(client, CLEANUP_PROTO_NAME, attrs, reason)) {
	attr_list_free(attrs);
	attrs = attr_proto_request(CLEANUP_PROTO_NAME, NULL);
	attr_list_add_int(attrs, CLEANUP_ATTR_FLAGS, flags);
	if (!attr_list_write(client->fp, attrs)
	    || vstream_fflush(client->fp) != 0)
	    (void) cleanup_client_io_error(client->fp, reason);
	else
	    VSTRING_RESET(reason);
    }
    attr_list_free(attrs);
    if (VSTRING_LEN(reason) > 0) {
	vstring_sprintf(why, "%s: %s", endpoint, vstring_str(reason));
	vstring_free(reason);
	cleanup_client_free(client);
	return NULL;
    }
    vstring_free(reason);
    /* The content: a time limit per write, not for the whole. */
    vstream_set_timeout(client->fp, timeout);
    return client;
}

/* cleanup_client_open_postdrop - run postdrop -r, check its greeting */
CLEANUP_CLIENT *cleanup_client_open_postdrop(VSTRING *why)
{
    char   *path = concatenate(VAR_STR(command_directory), "/postdrop",
			       (char *) 0);
    CLEANUP_CLIENT *client;
    ATTR_LIST *attrs;
    int     fds[2];
    pid_t   pid;

    if (socketpair(AF_UNIX, SOCK_STREAM, 0, fds) < 0) {
	vstring_sprintf(why, "socketpair: %m");
	myfree(path);
	return NULL;
    }
    switch (pid = fork()) {
    case -1:
	vstring_sprintf(why, "fork: %m");
	(void) close(fds[0]);
	(void) close(fds[1]);
	myfree(path);
	return NULL;
    case 0:
	(void) close(fds[0]);
	if (dup2(fds[1], 0) < 0 || dup2(fds[1], 1) < 0)
	    msg_fatal("dup2: %m");
	if (fds[1] > 1)
	    (void) close(fds[1]);
	execl(path, "postdrop", "-r", "-c", mail_conf_dir(), (char *) 0);
	msg_fatal("execute %s: %m", path);
    default:
	break;
    }
    (void) close(fds[1]);
    client = cleanup_client_create(fds[0], "postdrop", path, pid);
    attrs = attr_list_create();
    if (!cleanup_client_greeting(client, POSTDROP_PROTO_NAME, attrs, why)) {
	vstring_sprintf_prepend(why, "%s: ", path);
	/* postdrop said why on standard error and in the log. */
	cleanup_client_free(client);
	client = NULL;
    } else {
	vstream_set_timeout(client->fp, VAR_TIME(ipc_timeout));
    }
    attr_list_free(attrs);
    myfree(path);
    return client;
}

/* cleanup_client_queue_id - the queue ID that the service announced */
const char *cleanup_client_queue_id(const CLEANUP_CLIENT *client)
{
    return client->queue_id;
}

/* cleanup_client_stream - where the caller writes the records */
VSTREAM *cleanup_client_stream(CLEANUP_CLIENT *client)
{
    return client->fp;
}

/* cleanup_client_default_reason - a reason for a status without one */
static const char *cleanup_client_default_reason(int status)
{
    static const struct {
	int     bit;
	const char *text;
    } reasons[] = {
	{CLEANUP_STAT_DEFER, "4.7.1 delivery temporarily suspended"},
	{CLEANUP_STAT_WRITE, "4.3.0 queue file write error"},
	{CLEANUP_STAT_BAD, "5.3.0 bad message format"},
	{CLEANUP_STAT_SIZE, "5.3.4 message file too big"},
	{CLEANUP_STAT_CONT, "5.7.1 message content rejected"},
	{CLEANUP_STAT_HOPS, "5.4.0 too many hops"},
	{CLEANUP_STAT_RCPT, "5.1.0 no recipients specified"},
	{CLEANUP_STAT_PROXY, "4.3.0 proxy error"},
    };
    size_t  n;

    for (n = 0; n < ARRAY_LEN(reasons); n++)
	if (status & reasons[n].bit)
	    return reasons[n].text;
    return "4.3.0 unknown cleanup service error";
}

/* cleanup_client_close - flush, read the reply, close; the status */
int     cleanup_client_close(CLEANUP_CLIENT *client, VSTRING *reason)
{
    int     timeout = VAR_TIME(ipc_timeout);
    VSTRING *write_error = vstring_alloc(50);
    VSTRING *why = vstring_alloc(100);
    ATTR_LIST *reply = attr_list_create();
    const char *text = "";
    const char *queue_id = NULL;
    int     status = 0;
    ATTR_WANT want[] = {
	{CLEANUP_ATTR_STATUS, ATTR_TYPE_INT, ATTR_REQUIRED, &status},
	{CLEANUP_ATTR_REASON, ATTR_TYPE_STR, ATTR_OPTIONAL, &text},
	{CLEANUP_ATTR_QUEUE_ID, ATTR_TYPE_STR, ATTR_OPTIONAL, &queue_id},
    };

    vstream_set_timeout(client->fp, timeout);
    vstream_start_deadline(client->fp);
    if (vstream_ferror(client->fp)) {
	/* An earlier write of the caller failed; errno is long gone. */
	vstring_strcpy(write_error, vstream_ftimeout(client->fp) ?
		       "timeout" : "write error");
    } else if (vstream_fflush(client->fp) != 0) {
	(void) cleanup_client_io_error(client->fp, write_error);
    } else if (client->pid > 0) {
	/* postdrop wants the end of input after Z before it commits. */
	(void) shutdown(vstream_fileno(client->fp), SHUT_WR);
    }
    /* The service may have answered before it closed: read anyway. */
    if (VSTRING_LEN(write_error) > 0)
	vstream_clearerr(client->fp);
    if (!attr_list_read(client->fp, reply, NULL, why)
	|| !attr_list_take(reply, want, ARRAY_LEN(want), why)) {
	/* A failed write explains a missing reply better. */
	if (VSTRING_LEN(write_error) > 0)
	    vstring_strcpy(why, vstring_str(write_error));
	else if (strcmp(vstring_str(why), "end of input") == 0)
	    vstring_strcpy(why, "lost connection");
	vstring_sprintf_prepend(why, "4.3.0 %s: ", client->endpoint);
	status = CLEANUP_STAT_WRITE;
	text = vstring_str(why);
    } else if (status < 0) {
	/* The service did not understand the request: our bug. */
	vstring_sprintf(why, "4.3.0 %s: request refused: %s",
			client->endpoint, excerpt(text));
	status = CLEANUP_STAT_WRITE;
	text = vstring_str(why);
    } else if (status != 0 && *text == 0) {
	text = cleanup_client_default_reason(status);
    } else if (status == 0 && queue_id != NULL && client->queue_id != NULL
	       && strcmp(queue_id, client->queue_id) != 0) {
	msg_warn("%s: queue ID %s announced as %s", client->endpoint,
		 excerpt(queue_id), client->queue_id);
    }
    if (reason != NULL) {
	unsigned char *cp;

	vstring_strcpy(reason, text);
	for (cp = (unsigned char *) vstring_str(reason); *cp; cp++)
	    if (*cp < 0x20 || *cp == 0x7f)
		*cp = '?';
    }
    attr_list_free(reply);
    vstring_free(why);
    vstring_free(write_error);
    cleanup_client_free(client);
    return status;
}

/* cleanup_client_abort - tell the service to drop the message, close */
void    cleanup_client_abort(CLEANUP_CLIENT *client)
{
    /* No reply is read: the service drops the file and closes. */
    /* postdrop gives up silently at the end of input between records. */
    if (client->pid == 0 && !vstream_ferror(client->fp))
	(void) record_puts(client->fp, REC_TYPE_END, CLEANUP_ABORT_PAYLOAD);
    (void) vstream_fflush(client->fp);
    (void) shutdown(vstream_fileno(client->fp), SHUT_WR);
    cleanup_client_free(client);
}
