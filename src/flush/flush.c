/*
 * flush - the fast flush server: per-destination logs of deferred mail
 *
 * SYNOPSIS
 *	flush [generic daemon options]
 *
 * DESCRIPTION
 *	The daemon of docs/man/man8/flush.8, on the single_server(3)
 *	skeleton (master.cf "flush unix n - n 1000? 0 flush"), serving
 *	public/$flush_service_name with the protocol of flush_proto.h
 *	(docs/internals/protocols.md, section "flush"). It keeps, for
 *	each destination that matches $fast_flush_domains, a log of the
 *	queue IDs of its deferred mail (flush_log(3)), and on request
 *	hands that mail back to qmgr(8):
 *
 *	add site queue_id: append the ID to the site's log.
 *
 *	send_site site (ETRN, postqueue -s): trigger "F" on
 *	public/$queue_service_name (qmgr forgets dead destinations and,
 *	as Postfix's, should not hold these messages back for
 *	$defer_transports), then for each ID of the log, emptied as it
 *	is read: a file in incoming/ is touched; a file in deferred/ is
 *	touched and moved to incoming/. When some file was handed over,
 *	trigger "I" (incoming queue scan).
 *
 *	send_file queue_id (postqueue -i): the same for one message, and
 *	a file taken from deferred/ also gets the group read permission,
 *	the mark with which Postfix's flush tells qmgr to deliver that
 *	message now whatever $defer_transports says. Then "I".
 *
 *	refresh (also what master(8)'s wakeup trigger "W" means): the
 *	logs that are not empty and were not read for
 *	$fast_flush_refresh_time are sent as by send_site; empty logs not
 *	changed for $fast_flush_purge_time are removed. purge: every
 *	non-empty log is sent, and old empty ones removed. The reply
 *	goes out before the work is done.
 *
 *	Files in active/ (being delivered) and hold/ are left alone; a
 *	message that is deferred again is added again by its delivery
 *	agent (defer_append()).
 *
 * DIAGNOSTICS
 *	Warnings: "<client>: bad request: <reason>" (answered with status
 *	-1 and the connection closed); failures to append to or read a
 *	log, to touch, mark or move a queue file, to trigger qmgr
 *	(mail_trigger(3)); "fast_flush_domains: table lookup error for
 *	<site>". With -v, one line per request and per message handed
 *	over.
 */
#include "sys_defs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "msg.h"
#include "mymalloc.h"
#include "excerpt.h"
#include "argv.h"
#include "myflock.h"
#include "vstream.h"
#include "vstring.h"
#include "mail_params.h"
#include "mail_queue.h"
#include "mail_trigger.h"
#include "queue_id.h"
#include "attr_list.h"
#include "flush_clnt.h"
#include "single_server.h"
#include "flush_log.h"

#define FLUSH_TRIGGER_WAKEUP	'W'	/* master(8)'s wakeup byte */
#define FLUSH_QMGR_FORGET	"F"	/* qmgr: forget dead destinations */
#define FLUSH_QMGR_INCOMING	"I"	/* qmgr: scan incoming/ */
#define FLUSH_MARK		S_IRGRP	/* "deliver now" mark of a file */

/* Bounds of one request (docs/internals/protocols.md). */
static const ATTR_LIMITS flush_limits = {
    .value_limit = FLUSH_VALUE_MAX,
    .count_limit = 8,
    .depth_limit = 1,
};

/* flush_reply - send a status (and reason) */
static void flush_reply(VSTREAM *client, int status, const char *reason)
{
    ATTR_LIST *reply = attr_list_create();

    attr_list_add_int(reply, FLUSH_ATTR_STATUS, status);
    if (reason)
	attr_list_add_str(reply, ATTR_REASON, reason);
    if (!attr_list_write(client, reply) || vstream_fflush(client) != 0)
	msg_warn("%s: cannot send reply: %s", vstream_path(client),
		 vstream_ftimeout(client) ? "timeout" : "write error");
    attr_list_free(reply);
}

/* flush_refuse - log and answer a bad request */
static void flush_refuse(VSTREAM *client, const char *reason)
{
    msg_warn("%s: bad request: %s", vstream_path(client), reason);
    flush_reply(client, -1, reason);
}

/* flush_kick - send qmgr a trigger */
static void flush_kick(const char *request)
{
    (void) mail_trigger(MAIL_QUEUE_PUBLIC, VAR_STR(queue_service_name),
			request, strlen(request));
}

/* flush_one - hand one message to qmgr; true when it was found */
static bool flush_one(const char *id, bool mark, VSTRING *path, VSTRING *why)
{
    static const char *const deferred[] = {MAIL_QUEUE_DEFERRED, 0};
    struct stat st;

    /* Already waiting in incoming/: only make it current. */
    if (utimensat(AT_FDCWD, mail_queue_path(path, MAIL_QUEUE_INCOMING, id),
		  (struct timespec *) 0, 0) == 0)
	return (true);
    if (mail_queue_find(path, id, deferred) == 0)
	return (false);
    if (mark && stat(vstring_str(path), &st) == 0
	&& chmod(vstring_str(path), (st.st_mode & 07777) | FLUSH_MARK) < 0)
	msg_warn("%s: cannot mark for delivery: %m", vstring_str(path));
    if (utimensat(AT_FDCWD, vstring_str(path), (struct timespec *) 0, 0) < 0) {
	if (errno != ENOENT)
	    msg_warn("%s: cannot update time stamps: %m", vstring_str(path));
	return (false);
    }
    if (!mail_queue_rename(id, MAIL_QUEUE_DEFERRED, MAIL_QUEUE_INCOMING, why)) {
	/* qmgr may have taken it meanwhile. */
	if (errno != ENOENT)
	    msg_warn("%s: %s", id, vstring_str(why));
	return (false);
    }
    if (msg_verbose)
	msg_info("%s: moved to %s", id, MAIL_QUEUE_INCOMING);
    return (true);
}

/* flush_send_log - hand over every message of one log; count them */
static size_t flush_send_log(const char *path)
{
    VSTRING *buf = vstring_alloc(100);
    VSTRING *why = vstring_alloc(100);
    size_t  count = 0;
    ARGV   *ids;

    if ((ids = flush_log_take(path, why)) == 0) {
	msg_warn("%s", vstring_str(why));
    } else {
	for (size_t i = 0; i < ids->argc; i++)
	    count += flush_one(ids->argv[i], false, buf, why);
	argv_free(ids);
    }
    vstring_free(why);
    vstring_free(buf);
    return (count);
}

/* flush_request_add - "add site queue_id" */
static int flush_request_add(const char *site, const char *id)
{
    VSTRING *path = vstring_alloc(100);
    VSTRING *why = vstring_alloc(100);
    int     status;

    if (flush_log_path(path, site) == 0 || !queue_id_valid(id))
	status = FLUSH_STAT_BAD;
    else if ((status = flush_eligible(site)) == FLUSH_STAT_OK
	     && !flush_log_append(vstring_str(path), id, why)) {
	msg_warn("%s", vstring_str(why));
	status = FLUSH_STAT_FAIL;
    }
    vstring_free(why);
    vstring_free(path);
    return (status);
}

/* flush_request_site - "send_site site" */
static int flush_request_site(const char *site)
{
    VSTRING *path = vstring_alloc(100);
    int     status;

    if (flush_log_path(path, site) == 0) {
	status = FLUSH_STAT_BAD;
    } else if ((status = flush_eligible(site)) == FLUSH_STAT_OK) {
	flush_kick(FLUSH_QMGR_FORGET);
	if (flush_send_log(vstring_str(path)) > 0)
	    flush_kick(FLUSH_QMGR_INCOMING);
    }
    vstring_free(path);
    return (status);
}

/* flush_request_file - "send_file queue_id" */
static int flush_request_file(const char *id)
{
    VSTRING *path = vstring_alloc(100);
    VSTRING *why = vstring_alloc(100);
    int     status = FLUSH_STAT_OK;

    if (!queue_id_valid(id))
	status = FLUSH_STAT_BAD;
    else if (flush_one(id, true, path, why))
	flush_kick(FLUSH_QMGR_INCOMING);
    vstring_free(why);
    vstring_free(path);
    return (status);
}

/* flush_remove_empty - remove a log that is still empty */
static void flush_remove_empty(const char *path)
{
    struct stat st;
    int     fd;

    if ((fd = open(path, O_RDONLY | O_CLOEXEC, 0)) < 0)
	return;
    if (myflock(fd, MYFLOCK_STYLE_FLOCK, MYFLOCK_OP_EXCLUSIVE) == 0
	&& fstat(fd, &st) == 0 && st.st_size == 0) {
	if (unlink(path) < 0 && errno != ENOENT)
	    msg_warn("remove %s: %m", path);
	else if (msg_verbose)
	    msg_info("%s: removed", path);
    }
    (void) close(fd);
}

/* flush_maintain - "refresh" (all false) or "purge" (all true) */
static void flush_maintain(bool all)
{
    time_t  now = time((time_t *) 0);
    VSTRING *path = vstring_alloc(100);
    size_t  count = 0;
    bool    forgot = false;
    struct dirent *dp;
    struct stat st;
    DIR    *dir;

    if ((dir = opendir(MAIL_QUEUE_FLUSH)) == 0) {
	msg_warn("open directory %s: %m", MAIL_QUEUE_FLUSH);
	vstring_free(path);
	return;
    }
    while ((dp = readdir(dir)) != 0) {
	if (dp->d_name[0] == '.')
	    continue;
	vstring_sprintf(path, "%s/%s", MAIL_QUEUE_FLUSH, dp->d_name);
	if (lstat(vstring_str(path), &st) < 0 || !S_ISREG(st.st_mode))
	    continue;
	if (st.st_size == 0) {
	    if (st.st_mtime + VAR_TIME(fast_flush_purge_time) < now)
		flush_remove_empty(vstring_str(path));
	} else if (all
		   || st.st_atime + VAR_TIME(fast_flush_refresh_time) < now) {
	    if (!forgot) {
		flush_kick(FLUSH_QMGR_FORGET);
		forgot = true;
	    }
	    count += flush_send_log(vstring_str(path));
	}
    }
    (void) closedir(dir);
    if (count > 0)
	flush_kick(FLUSH_QMGR_INCOMING);
    vstring_free(path);
}

/* flush_request - read, check and serve one request */
static void flush_request(VSTREAM *client)
{
    ATTR_LIST *req = attr_list_create();
    VSTRING *why = vstring_alloc(100);
    const char *request = 0;
    const char *site = 0;
    const char *id = 0;
    ATTR_WANT want[] = {
	{ATTR_REQUEST, ATTR_TYPE_STR, ATTR_REQUIRED, &request},
	{FLUSH_ATTR_SITE, ATTR_TYPE_STR, ATTR_OPTIONAL, &site},
	{FLUSH_ATTR_QUEUE_ID, ATTR_TYPE_STR, ATTR_OPTIONAL, &id},
    };
    bool    need_site;
    bool    need_id;

    if (!attr_list_read(client, req, &flush_limits, why)) {
	msg_warn("%s: bad request: %s", vstream_path(client),
		 vstring_str(why));
    } else if (!attr_proto_check(req, FLUSH_PROTOCOL, why)
	       || !attr_list_take(req, want, ARRAY_LEN(want), why)) {
	flush_refuse(client, vstring_str(why));
    } else {
	need_site = strcmp(request, FLUSH_REQ_ADD) == 0
	    || strcmp(request, FLUSH_REQ_SEND_SITE) == 0;
	need_id = strcmp(request, FLUSH_REQ_ADD) == 0
	    || strcmp(request, FLUSH_REQ_SEND_FILE) == 0;
	if (msg_verbose)
	    msg_info("request %s site %s queue_id %s", excerpt(request),
		     site ? excerpt(site) : "(none)", id ? id : "(none)");
	if (need_site && site == 0) {
	    flush_refuse(client, "missing attribute " FLUSH_ATTR_SITE);
	} else if (need_id && id == 0) {
	    flush_refuse(client, "missing attribute " FLUSH_ATTR_QUEUE_ID);
	} else if (strcmp(request, FLUSH_REQ_ADD) == 0) {
	    flush_reply(client, flush_request_add(site, id), 0);
	} else if (strcmp(request, FLUSH_REQ_SEND_SITE) == 0) {
	    flush_reply(client, flush_request_site(site), 0);
	} else if (strcmp(request, FLUSH_REQ_SEND_FILE) == 0) {
	    flush_reply(client, flush_request_file(id), 0);
	} else if (strcmp(request, FLUSH_REQ_REFRESH) == 0
		   || strcmp(request, FLUSH_REQ_PURGE) == 0) {
	    /* The client does not wait for the work. */
	    flush_reply(client, FLUSH_STAT_OK, 0);
	    flush_maintain(strcmp(request, FLUSH_REQ_PURGE) == 0);
	} else {
	    vstring_sprintf(why, "unknown request \"%s\"", excerpt(request));
	    flush_refuse(client, vstring_str(why));
	}
    }
    attr_list_free(req);
    vstring_free(why);
}

/* flush_service - one client: a request, or master(8)'s wakeup */
static void flush_service(VSTREAM *client, const char *service, char **argv)
{
    const unsigned char *data;
    bool    greeted;

    (void) service;
    if (argv[0] != 0)
	msg_fatal("unexpected command-line argument: %s", argv[0]);
    greeted = attr_proto_greet(client, FLUSH_PROTOCOL, 0);

    /*
     * master(8) sends one byte and hangs up (so the greeting may fail
     * with EPIPE, the byte still waiting to be read); no attribute list
     * starts with it.
     */
    if (!greeted)
	vstream_clearerr(client);
    if (vstream_peek_data(client, &data) > 0
	&& data[0] == FLUSH_TRIGGER_WAKEUP) {
	if (msg_verbose)
	    msg_info("wakeup: refresh");
	flush_maintain(false);
	return;
    }
    if (!greeted) {
	msg_warn("%s: cannot send greeting", vstream_path(client));
	return;
    }
    flush_request(client);
}

/* flush_pre_init - open $fast_flush_domains before a chroot */
static void flush_pre_init(const char *service, char **argv)
{
    (void) service;
    (void) argv;
    flush_init();
}

/* main - hand over to the skeleton */
int     main(int argc, char **argv)
{
    static const MAIL_SERVER_OPTS opts = {
	.pre_init = flush_pre_init,
    };

    single_server_main(argc, argv, flush_service, &opts);
}
