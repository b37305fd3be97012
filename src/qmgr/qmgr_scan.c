/*
 * qmgr_scan - scans of the incoming and deferred queues
 *
 * SYNOPSIS
 *	#include "qmgr.h"
 *
 *	ARGV	*qmgr_scan_dir(const char *queue, time_t due_before);
 *	void	qmgr_scan_request(const char *queue);
 *	void	qmgr_scan_ignore_time(void);
 *	void	qmgr_scan_flush_next(void);
 *	bool	qmgr_scan_feed(void);
 *	void	qmgr_recover_active(void);
 *
 * DESCRIPTION
 *	qmgr_scan_dir() lists the queue IDs of the files in a queue
 *	directory and its hash subdirectories (names of one hexadecimal
 *	digit, at most QUEUE_ID_HASH_MAX levels deep, whatever the
 *	current hash_queue_depth: a file left by an earlier setting is
 *	found too). With due_before > 0 only files whose modification
 *	time is not later than due_before are listed (deferred/: the
 *	next retry time). Names that are not queue IDs are ignored, and
 *	so, in incoming/, are files that are not ready (no owner execute
 *	bit: cleanup is still writing them, or died doing so;
 *	docs/internals/queue-file.md section 8), with an info line under
 *	-v.
 *
 *	qmgr_scan_request() starts a scan of incoming/ or deferred/; a
 *	scan requested while one of the same queue is being fed is run
 *	again when that one ends. qmgr_scan_ignore_time() makes the next
 *	deferred scan take every file, due or not (trigger "A").
 *	qmgr_scan_flush_next() makes the next scan of each queue (and
 *	the rest of one in progress) a flush (trigger "F", sent by
 *	flush(8) and postqueue -f): the messages it takes are delivered
 *	even to a transport in $defer_transports, as with Postfix.
 *
 *	qmgr_scan_feed() moves files found by the scans into the active
 *	queue (qmgr_message_alloc()), taking from incoming/ and
 *	deferred/ in turn, while fewer than $qmgr_message_active_limit
 *	messages and $qmgr_message_recipient_limit recipients are in
 *	memory, at most QMGR_SCAN_BATCH files per call (then it asks for
 *	another scheduler run, so that deliveries start meanwhile). It
 *	returns true when it took a file. (The warning that one
 *	destination clogs the active queue is qmgr_entry(3)'s.)
 *
 *	qmgr_recover_active() moves every file in active/ back to
 *	incoming/ (qmgr restarted: those deliveries were interrupted);
 *	mail_queue_rename(3) marks each one ready on the way (a file that
 *	came from hold/, committed by the rename protocol, lacks the bit).
 *
 * DIAGNOSTICS
 *	Warnings: "open directory <path>: <error>", failed moves.
 */
#include "sys_defs.h"

#include <dirent.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "msg.h"
#include "mymalloc.h"
#include "argv.h"
#include "vstring.h"
#include "mail_params.h"
#include "mail_queue.h"
#include "queue_id.h"
#include "qmgr.h"

#define QMGR_SCAN_BATCH	100		/* files per scheduler run */

typedef struct QMGR_SCAN {
    const char *queue;
    ARGV   *todo;			/* IDs found, NULL: no scan */
    size_t  next;			/* next to feed */
    bool    again;			/* rescan when done */
    bool    flush;			/* this scan: a flush */
    bool    flush_next;			/* the next scan: a flush */
} QMGR_SCAN;

static bool qmgr_scan_all_next;		/* next deferred scan: all files */
static QMGR_SCAN qmgr_scan_incoming = {MAIL_QUEUE_INCOMING, 0, 0, false,
false, false};
static QMGR_SCAN qmgr_scan_deferred = {MAIL_QUEUE_DEFERRED, 0, 0, false,
false, false};

/* qmgr_scan_is_hash_dir - a one-character hexadecimal name */
static bool qmgr_scan_is_hash_dir(const char *name)
{
    return name[0] != 0 && name[1] == 0
	&& strchr("0123456789ABCDEF", name[0]) != 0;
}

/* qmgr_scan_walk - collect IDs below one directory of a queue */
static void qmgr_scan_walk(const char *queue, const char *dir, int depth,
			           time_t due_before, ARGV *result)
{
    DIR    *dp;
    struct dirent *dent;
    VSTRING *path = vstring_alloc(100);
    struct stat st;
    bool    check_ready = strcmp(queue, MAIL_QUEUE_INCOMING) == 0;

    if ((dp = opendir(dir)) == 0) {
	if (errno != ENOENT)
	    msg_warn("open directory %s: %m", dir);
	vstring_free(path);
	return;
    }
    while ((dent = readdir(dp)) != 0) {
	if (depth < QUEUE_ID_HASH_MAX && qmgr_scan_is_hash_dir(dent->d_name)) {
	    vstring_sprintf(path, "%s/%s", dir, dent->d_name);
	    if (stat(vstring_str(path), &st) == 0 && S_ISDIR(st.st_mode))
		qmgr_scan_walk(queue, vstring_str(path), depth + 1,
			       due_before, result);
	    continue;
	}
	if (!queue_id_valid(dent->d_name))
	    continue;
	if (due_before > 0 || check_ready) {
	    vstring_sprintf(path, "%s/%s", dir, dent->d_name);
	    if (stat(vstring_str(path), &st) < 0)
		continue;
	    if (due_before > 0 && st.st_mtime > due_before)
		continue;
	    if (!mail_queue_ready(queue, &st)) {
		if (msg_verbose)
		    msg_info("%s: not ready: skipped", vstring_str(path));
		continue;
	    }
	}
	argv_add(result, dent->d_name, (char *) 0);
    }
    (void) closedir(dp);
    vstring_free(path);
}

/* qmgr_scan_dir - list the (due) queue IDs of a queue */
ARGV   *qmgr_scan_dir(const char *queue, time_t due_before)
{
    ARGV   *result = argv_alloc(10);

    qmgr_scan_walk(queue, queue, 0, due_before, result);
    return result;
}

/* qmgr_scan_start - (re)start one scan */
static void qmgr_scan_start(QMGR_SCAN *scan)
{
    time_t  due = 0;

    if (scan->todo)
	argv_free(scan->todo);
    if (strcmp(scan->queue, MAIL_QUEUE_DEFERRED) == 0) {
	due = qmgr_scan_all_next ? 0 : time((time_t *) 0);
	qmgr_scan_all_next = false;
    }
    scan->todo = qmgr_scan_dir(scan->queue, due);
    scan->next = 0;
    scan->again = false;
    scan->flush = scan->flush_next;
    scan->flush_next = false;
    if (msg_verbose)
	msg_info("scan %s: %zu files", scan->queue, scan->todo->argc);
}

/* qmgr_scan_ignore_time - the next deferred scan takes every file */
void    qmgr_scan_ignore_time(void)
{
    qmgr_scan_all_next = true;
}

/* qmgr_scan_flush_next - the next scan of each queue is a flush */
void    qmgr_scan_flush_next(void)
{
    qmgr_scan_incoming.flush_next = true;
    qmgr_scan_deferred.flush_next = true;
    /* The rest of a scan in progress is a flush too. */
    if (qmgr_scan_incoming.todo)
	qmgr_scan_incoming.flush = true;
    if (qmgr_scan_deferred.todo)
	qmgr_scan_deferred.flush = true;
}

/* qmgr_scan_request - scan a queue now, or after the current scan */
void    qmgr_scan_request(const char *queue)
{
    QMGR_SCAN *scan = strcmp(queue, MAIL_QUEUE_DEFERRED) == 0 ?
    &qmgr_scan_deferred : &qmgr_scan_incoming;

    if (scan->todo && scan->next < scan->todo->argc)
	scan->again = true;
    else
	qmgr_scan_start(scan);
    qmgr_schedule_soon();
}

/* qmgr_scan_next - the next ID of a scan, or NULL */
static const char *qmgr_scan_next(QMGR_SCAN *scan)
{
    if (scan->todo == 0)
	return 0;
    if (scan->next >= scan->todo->argc) {
	if (scan->again) {
	    qmgr_scan_start(scan);
	    if (scan->todo->argc > 0)
		return scan->todo->argv[scan->next++];
	}
	argv_free(scan->todo);
	scan->todo = 0;
	return 0;
    }
    return scan->todo->argv[scan->next++];
}

/* qmgr_scan_feed - move found files into the active queue */
bool    qmgr_scan_feed(void)
{
    static int turn;
    QMGR_SCAN *order[2];
    const char *id;
    bool    fed = false;
    bool    progress = true;
    int     count = 0;
    int     i;

    while (progress) {
	/* Let deliveries start between batches (and the watchdog rest). */
	if (count >= QMGR_SCAN_BATCH) {
	    qmgr_schedule_soon();
	    return fed;
	}
	progress = false;
	turn = !turn;
	order[0] = turn ? &qmgr_scan_incoming : &qmgr_scan_deferred;
	order[1] = turn ? &qmgr_scan_deferred : &qmgr_scan_incoming;
	for (i = 0; i < 2; i++) {
	    if (qmgr_message_count >= VAR_INT(qmgr_message_active_limit)
	     || qmgr_recipient_count >= VAR_INT(qmgr_message_recipient_limit))
		return fed;
	    if ((id = qmgr_scan_next(order[i])) == 0)
		continue;
	    (void) qmgr_message_alloc(order[i]->queue, id, order[i]->flush);
	    fed = progress = true;
	    count++;
	}
    }
    return fed;
}

/* qmgr_recover_active - interrupted messages go back to incoming/ */
void    qmgr_recover_active(void)
{
    ARGV   *ids = qmgr_scan_dir(MAIL_QUEUE_ACTIVE, 0);
    VSTRING *why = vstring_alloc(100);
    size_t  i;

    for (i = 0; i < ids->argc; i++)
	if (!mail_queue_rename(ids->argv[i], MAIL_QUEUE_ACTIVE,
			       MAIL_QUEUE_INCOMING, why)
	    && errno != ENOENT)
	    msg_warn("%s: %s", ids->argv[i], vstring_str(why));
    vstring_free(why);
    argv_free(ids);
}
