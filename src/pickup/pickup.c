/*
 * pickup - feed the maildrop queue to cleanup(8)
 *
 * SYNOPSIS
 *	pickup [generic daemon options]
 *
 * DESCRIPTION
 *	The daemon of docs/man/man8/pickup.8, on the trigger_server(3)
 *	skeleton: master(8) wakes it every 60 seconds (master.cf), and
 *	postdrop(1) wakes it after each new file. Whatever the trigger
 *	says, pickup scans $queue_directory/maildrop and, for each file
 *	whose name is a queue ID:
 *
 *	- opens it without following links, refuses anything but a
 *	  regular file with one link, or a file larger than postdrop
 *	  could have written under message_size_limit (4 bytes per
 *	  content byte plus 64 MB), and notes the owner's uid;
 *	- checks the whole file (pickup_check());
 *	- connects to public/$cleanup_service_name with the flags of
 *	  pickup_cleanup_flags() and copies the records
 *	  (pickup_copy()), with Postfix's "Received: by $myhostname
 *	  ($mail_name, from userid <uid>)" header first in the content
 *	  (pickup_received(): the queue ID that cleanup announced, the
 *	  file's modification time as the date);
 *	- logs "<queue ID>: uid=<uid> from=<sender>" and removes the file
 *	  once cleanup has replied success (the message is then safe in
 *	  incoming/).
 *
 *	A file that fails the checks is removed with a warning: it would
 *	never pass. A message that cleanup refuses for good (it was asked
 *	to bounce content rejections, so this means malformed records) is
 *	removed with a warning too (a header/body checks REJECT becomes
 *	a non-delivery notification inside cleanup, which then answers
 *	success; see cleanup_bounce.c). When cleanup cannot be reached, or
 *	fails for a temporary reason, the file stays for the next scan,
 *	and the scan stops. A temporary file of postdrop ("tmp.*") whose
 *	last change is older than $ipc_timeout belonged to a writer that
 *	died, and is removed.
 *
 *	What it does not do: flow control tokens (in_flow_delay), which
 *	wait for qmgr; any reading of the trigger data.
 *
 * DIAGNOSTICS
 *	Warnings: "maildrop/<file>: uid=<uid> from=<<sender>>: <reason>:
 *	file removed", "maildrop/<file>: not a regular file: removed",
 *	"maildrop/<file>: uid=<uid> from=<<sender>>: <cleanup reason>:
 *	will retry", "maildrop/<file>: uid=<uid>: file size <n> is out of
 *	bounds: file removed", "maildrop/<file>: removing stale temporary file",
 *	"open maildrop/<file>: <error>", "opendir maildrop: <error>".
 *	Info: "<queue ID>: uid=<uid> from=<<sender>>".
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
#include "argv.h"
#include "stringops.h"
#include "excerpt.h"
#include "vstream.h"
#include "vstring.h"
#include "mail_params.h"
#include "mail_queue.h"
#include "queue_id.h"
#include "cleanup_client.h"
#include "trigger_server.h"
#include "pickup.h"

#define PICKUP_OK	0		/* done with the file */
#define PICKUP_RETRY	1		/* stop the scan, try later */

/* pickup_remove - remove a maildrop file after a warning */
static void pickup_remove(const char *path)
{
    if (unlink(path) < 0 && errno != ENOENT)
	msg_warn("remove %s: %m", path);
}

/* pickup_deliver - send one checked file to cleanup */
static int pickup_deliver(const char *path, VSTREAM *fp,
			          const struct stat *st, PICKUP_INFO *info)
{
    uid_t   uid = st->st_uid;
    ARGV   *received = argv_alloc(2);
    VSTRING *why = vstring_alloc(100);
    char   *endpoint = concatenate("public/", VAR_STR(cleanup_service_name),
				   (char *) 0);
    CLEANUP_CLIENT *client;
    char   *queue_id;
    int     status;
    int     result = PICKUP_OK;
    bool    copied;
    bool    write_error;

    client = cleanup_client_open(endpoint,
				 pickup_cleanup_flags(VAR_STR(receive_override_options),
						      info->extract,
						      VAR_BOOL(smtputf8_enable) ?
				      VAR_STR(smtputf8_autodetect_classes) : ""),
				 why);
    if (client == 0) {
	msg_warn("%s: uid=%ld from=<%s>: %s: will retry", path, (long) uid,
		 vstring_str(info->sender), vstring_str(why));
	result = PICKUP_RETRY;
    } else {
	queue_id = mystrdup(cleanup_client_queue_id(client));
	/* As Postfix's pickup: before cleanup logs anything of its own. */
	msg_info("%s: uid=%ld from=<%s>", queue_id, (long) uid,
		 vstring_str(info->sender));
	pickup_received(received, VAR_STR(myhostname), VAR_STR(mail_name),
			(long) uid, queue_id, st->st_mtime);
	copied = (vstream_fseek(fp, 0, SEEK_SET) == 0
		  && pickup_copy(fp, cleanup_client_stream(client), received,
				 why));
	write_error = vstream_ferror(cleanup_client_stream(client));
	if (!copied)
	    msg_warn("%s: uid=%ld from=<%s>: %s", path, (long) uid,
		     vstring_str(info->sender), vstring_str(why));
	/* A partial message lacks its Z: cleanup throws it away. */
	status = cleanup_client_close(client, why);
	if (!copied) {
	    if (write_error) {
		msg_warn("%s: will retry", path);
		result = PICKUP_RETRY;
	    } else {
		msg_warn("%s: file removed", path);
		pickup_remove(path);
	    }
	} else if (status == CLEANUP_STAT_OK) {
	    pickup_remove(path);
	} else if (status & (CLEANUP_STAT_WRITE | CLEANUP_STAT_DEFER)) {
	    msg_warn("%s: uid=%ld from=<%s>: %s: will retry", path, (long) uid,
		     vstring_str(info->sender), vstring_str(why));
	    result = PICKUP_RETRY;
	} else {
	    msg_warn("%s: uid=%ld from=<%s>: %s: file removed", path,
		     (long) uid, vstring_str(info->sender), vstring_str(why));
	    pickup_remove(path);
	}
	myfree(queue_id);
    }
    argv_free(received);
    myfree(endpoint);
    vstring_free(why);
    return result;
}

/*
 * A maildrop file holds at most message_size_limit content bytes (postdrop
 * checks); as records, each content byte costs at most 4 file bytes (an
 * empty line is "L0 \n"), and the envelope gets a generous allowance.
 * Anything larger was not written by postdrop, and is not read twice.
 */
#define PICKUP_ENVELOPE_ALLOWANCE	(64L * 1024 * 1024)

/* pickup_too_big - is a file larger than postdrop could have made it */
static bool pickup_too_big(off_t size)
{
    long    limit = VAR_INT(message_size_limit);

    if (limit <= 0 || limit > (LONG_MAX - PICKUP_ENVELOPE_ALLOWANCE) / 4)
	return false;
    return size > 4 * limit + PICKUP_ENVELOPE_ALLOWANCE;
}

/* pickup_file - check one maildrop file and hand it over */
static int pickup_file(const char *name)
{
    char   *path = concatenate(MAIL_QUEUE_MAILDROP, "/", name, (char *) 0);
    PICKUP_INFO info;
    VSTRING *why;
    VSTREAM *fp;
    struct stat st;
    int     fd;
    int     result = PICKUP_OK;

    if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)) < 0) {
	if (errno == ELOOP) {
	    msg_warn("%s: not a regular file: removed", path);
	    pickup_remove(path);
	} else if (errno != ENOENT) {
	    msg_warn("open %s: %m", path);
	}
	myfree(path);
	return PICKUP_OK;
    }
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_nlink != 1) {
	msg_warn("%s: not a regular file: removed", path);
	close(fd);
	pickup_remove(path);
	myfree(path);
	return PICKUP_OK;
    }
    if (pickup_too_big(st.st_size)) {
	msg_warn("%s: uid=%ld: file size %lld is out of bounds: file removed",
		 path, (long) st.st_uid, (long long) st.st_size);
	close(fd);
	pickup_remove(path);
	myfree(path);
	return PICKUP_OK;
    }
    fp = vstream_fdopen(fd, O_RDONLY);
    vstream_set_path(fp, path);
    pickup_info_init(&info);
    why = vstring_alloc(100);
    if (!pickup_check(fp, &info, why)) {
	if (info.read_error) {
	    msg_warn("%s: uid=%ld from=<%s>: %s: will retry", path,
		     (long) st.st_uid, vstring_str(info.sender),
		     vstring_str(why));
	} else {
	    msg_warn("%s: uid=%ld from=<%s>: %s: file removed", path,
		     (long) st.st_uid, vstring_str(info.sender),
		     vstring_str(why));
	    pickup_remove(path);
	}
    } else {
	result = pickup_deliver(path, fp, &st, &info);
    }
    vstring_free(why);
    pickup_info_free(&info);
    vstream_fclose(fp);
    myfree(path);
    return result;
}

/* pickup_stale - remove a dead postdrop's temporary file */
static void pickup_stale(const char *name)
{
    char   *path = concatenate(MAIL_QUEUE_MAILDROP, "/", name, (char *) 0);
    struct stat st;

    if (lstat(path, &st) == 0 && S_ISREG(st.st_mode)
	&& st.st_mtime < time((time_t *) 0) - VAR_TIME(ipc_timeout)) {
	msg_warn("%s: removing stale temporary file", path);
	pickup_remove(path);
    }
    myfree(path);
}

/* pickup_scan - one pass over the maildrop queue */
static void pickup_scan(void)
{
    DIR    *dir;
    struct dirent *dp;
    ARGV   *names = argv_alloc(16);

    if ((dir = opendir(MAIL_QUEUE_MAILDROP)) == 0) {
	msg_warn("opendir %s: %m", MAIL_QUEUE_MAILDROP);
	argv_free(names);
	return;
    }
    /* Collect first: the directory changes while we work. */
    while ((dp = readdir(dir)) != 0) {
	if (queue_id_valid(dp->d_name))
	    argv_add(names, dp->d_name, (char *) 0);
	else if (strncmp(dp->d_name, "tmp.", 4) == 0)
	    pickup_stale(dp->d_name);
    }
    closedir(dir);
    argv_sort(names);
    for (size_t i = 0; i < names->argc; i++)
	if (pickup_file(names->argv[i]) == PICKUP_RETRY)
	    break;
    argv_free(names);
}

/* pickup_service - a trigger or wakeup: scan */
static void pickup_service(char *buf, ssize_t len, const char *service,
			           char **argv)
{
    (void) buf;
    (void) len;
    (void) service;
    (void) argv;
    pickup_scan();
}

/* main - hand over to the skeleton */
int     main(int argc, char **argv)
{
    static const MAIL_SERVER_OPTS opts = {
	.flags = 0,
    };

    trigger_server_main(argc, argv, pickup_service, &opts);
}
