/*
 * postsuper_struct - structure repair (-s, -S) and purge (-p) of a queue
 *
 * SYNOPSIS
 *	#include "postsuper.h"
 *
 *	See postsuper.h.
 *
 * DESCRIPTION
 *	postsuper_structure() walks one queue directory with
 *	queue_scan(3) and, for every entry:
 *
 *	- a temporary file ("tmp.<pid>.<n>"), and a file in incoming/ that
 *	  is not ready (no owner execute bit), are left to the purge;
 *	- another name that is not a queue ID is reported ("bogus file
 *	  name: <path>") and left alone;
 *	- in a message queue (not in bounce, defer, trace), a file whose
 *	  name does not match its inode (queue-file.md section 7: the
 *	  short form ends in the inode number; with -S the long form's
 *	  inode part is checked too), or a long name while
 *	  enable_long_queue_ids is off, gets the name its inode and the
 *	  microseconds of its old name give it; the per-message logs
 *	  (bounce, defer, trace) follow it. Counted in postsuper_renamed.
 *	  A name that is taken already is reported and left alone;
 *	- a file that is not where hash_queue_names and hash_queue_depth
 *	  put it is moved there;
 *	- afterwards, hash directories below the current depth (or all,
 *	  for a queue that is no longer hashed) are removed when empty.
 *
 *	Moves use link() and unlink(), never rename(), so that an
 *	existing file is never replaced.
 *
 *	In maildrop, only names are checked.
 *
 *	postsuper_purge() removes temporary files, and files in incoming/
 *	that are not ready, when they are older than $ipc_timeout: their
 *	writer died (queue-file.md section 8), and its client never got a
 *	success reply. A younger file that is not ready is reported and
 *	left alone. A not-ready file in incoming/ that reads as a whole
 *	queue file (one from an earlier build, which marked files
 *	complete by renaming them, or one whose writer died after the
 *	last record) is marked ready instead, whatever its age: a
 *	duplicate at worst, never a loss. With
 *	report (-p without -s), it warns, as Postfix's -p does, about a
 *	name with a character other than a letter, digit or "_" ("bogus
 *	file name"), except our temporary files.
 *
 * DIAGNOSTICS
 *	Warnings: "bogus file name: <path>", "<path>: cannot rename to
 *	<new>: <error>", "<path>: cannot remove: <error>". Info:
 *	"<path>: removed old temporary file", "<path>: removed old
 *	unfinished queue file", "<path>: unfinished queue file: left
 *	alone", "<path>: complete queue file marked ready". Warning:
 *	"<path>: cannot mark ready: <error>".
 */
#include "sys_defs.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "make_dirs.h"
#include "vstring.h"
#include "mail_params.h"
#include "mail_queue.h"
#include "queue_id.h"
#include "queue_file_read.h"
#include "vstream.h"
#include "queue_scan.h"
#include "postsuper.h"

long    postsuper_renamed;

 /* The base-52 digits of long queue IDs (queue-file.md section 7). */
static const char postsuper_digits[] =
"0123456789BCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz";

/* postsuper_digit - value of one base-52 digit, -1 if none */
static int postsuper_digit(int ch)
{
    const char *cp = strchr(postsuper_digits, ch);

    return (ch != 0 && cp ? (int) (cp - postsuper_digits) : -1);
}

/* postsuper_long_parts - seconds, microseconds and inode of a long ID */
static bool postsuper_long_parts(const char *id, struct timeval *tv,
				         unsigned long long *inode)
{
    const char *sep = strrchr(id, 'z');
    long long sec = 0;
    long    usec = 0;
    size_t  head;

    if (sep == 0 || (head = sep - id) < 10 || sep[1] == 0)
	return (false);
    for (size_t i = 0; i < head; i++) {
	int     d = postsuper_digit(id[i]);

	if (d < 0)
	    return (false);
	if (i < head - 4)
	    sec = sec * 52 + d;
	else
	    usec = usec * 52 + d;
    }
    *inode = 0;
    for (const char *cp = sep + 1; *cp; cp++) {
	int     d = postsuper_digit(*cp);

	if (d < 0 || d >= 51)
	    return (false);
	*inode = *inode * 51 + d;
    }
    tv->tv_sec = (time_t) sec;
    tv->tv_usec = usec;
    return (usec < 1000000);
}

/* postsuper_expected_id - the name a message file should have, or NULL */
static const char *postsuper_expected_id(VSTRING *buf, const char *id,
					         ino_t inode, bool strict)
{
    struct timeval tv = {0, 0};
    unsigned long long id_inode;

    if (queue_id_is_long(id)) {
	if (!postsuper_long_parts(id, &tv, &id_inode))
	    return (0);
	if (!VAR_BOOL(enable_long_queue_ids))
	    return (queue_id_make(buf, inode, &tv, false));
	if (strict && id_inode != (unsigned long long) inode)
	    return (queue_id_make(buf, inode, &tv, true));
	return (0);
    }
    /* Short form: 5 hexadecimal microsecond digits, then the inode. */
    if (strlen(id) < 6)
	return (0);
    for (int i = 0; i < 5; i++) {
	int     ch = id[i];

	tv.tv_usec = tv.tv_usec * 16 + (ch >= 'A' ? ch - 'A' + 10 : ch - '0');
    }
    if (tv.tv_usec >= 1000000)
	tv.tv_usec %= 1000000;
    queue_id_make(buf, inode, &tv, false);
    return (strcmp(vstring_str(buf), id) == 0 ? 0 : vstring_str(buf));
}

/* postsuper_move - link a file to its new path, then unlink the old */
static bool postsuper_move(const char *queue, const char *old_path,
			           const char *new_id, const char *new_path)
{
    VSTRING *dir = vstring_alloc(64);
    bool    ok = true;

    mail_queue_dir(dir, queue, new_id);
    if (strcmp(vstring_str(dir), queue) != 0)
	(void) make_dirs(vstring_str(dir), 0700);
    if (link(old_path, new_path) < 0) {
	msg_warn("%s: cannot rename to %s: %m", old_path, new_path);
	ok = false;
    } else if (unlink(old_path) < 0) {
	/* Never leave the message under two names. */
	msg_warn("%s: cannot remove: %m", old_path);
	if (unlink(new_path) < 0)
	    msg_warn("%s: cannot remove: %m", new_path);
	ok = false;
    }
    vstring_free(dir);
    return (ok);
}

/* postsuper_rename_logs - the per-message logs follow a renamed file */
static void postsuper_rename_logs(const char *old_id, const char *new_id)
{
    static const char *const logs[] = {
	MAIL_QUEUE_BOUNCE, MAIL_QUEUE_DEFER, MAIL_QUEUE_TRACE, 0,
    };
    VSTRING *old_path = vstring_alloc(64);
    VSTRING *new_path = vstring_alloc(64);

    for (int i = 0; logs[i]; i++) {
	const char *one[] = {logs[i], 0};

	if (mail_queue_find(old_path, old_id, one) == 0)
	    continue;
	mail_queue_path(new_path, logs[i], new_id);
	(void) postsuper_move(logs[i], vstring_str(old_path), new_id,
			      vstring_str(new_path));
    }
    vstring_free(old_path);
    vstring_free(new_path);
}

/* postsuper_is_log_queue - bounce, defer, trace: named by message ID */
static bool postsuper_is_log_queue(const char *queue)
{
    return (strcmp(queue, MAIL_QUEUE_BOUNCE) == 0
	    || strcmp(queue, MAIL_QUEUE_DEFER) == 0
	    || strcmp(queue, MAIL_QUEUE_TRACE) == 0);
}

/* postsuper_struct_file - check the name and place of one file */
static void postsuper_struct_file(const char *queue, const char *path,
				          const char *name, int depth,
				          void *context)
{
    bool    strict = *(bool *) context;
    VSTRING *expect = vstring_alloc(64);
    VSTRING *new_path = vstring_alloc(64);
    const char *new_id = 0;
    struct stat st;

    (void) depth;
    if (strncmp(name, "tmp.", 4) == 0)
	goto done;
    if (!queue_id_valid(name)) {
	msg_warn("bogus file name: %s", path);
	goto done;
    }
    /* maildrop: names only (postdrop's files are not renamed or moved). */
    if (strcmp(queue, MAIL_QUEUE_MAILDROP) == 0)
	goto done;
    if (lstat(path, &st) < 0 || !S_ISREG(st.st_mode))
	goto done;
    /* cleanup is writing it, or died doing so: the purge decides. */
    if (!mail_queue_ready(queue, &st))
	goto done;
    if (!postsuper_is_log_queue(queue))
	new_id = postsuper_expected_id(expect, name, st.st_ino, strict);
    if (new_id) {
	mail_queue_path(new_path, queue, new_id);
	if (postsuper_move(queue, path, new_id, vstring_str(new_path))) {
	    postsuper_rename_logs(name, new_id);
	    postsuper_renamed++;
	}
	goto done;
    }
    mail_queue_path(new_path, queue, name);
    if (strcmp(vstring_str(new_path), path) != 0)
	(void) postsuper_move(queue, path, name, vstring_str(new_path));

done:
    vstring_free(expect);
    vstring_free(new_path);
}

/* postsuper_struct_dir - remove a hash directory that is not used now */
static void postsuper_struct_dir(const char *queue, const char *path,
				         int depth, void *context)
{
    long    want = mail_queue_hashed(queue) ? VAR_INT(hash_queue_depth) : 0;

    (void) context;
    if (want > QUEUE_ID_HASH_MAX)
	want = QUEUE_ID_HASH_MAX;
    if (depth > want && rmdir(path) < 0 && errno != ENOTEMPTY
	&& errno != EEXIST && errno != ENOENT)
	msg_warn("%s: cannot remove: %m", path);
}

/* postsuper_structure - -s and -S for one queue */
void    postsuper_structure(const char *queue, bool strict)
{
    (void) queue_scan(queue, postsuper_struct_file, postsuper_struct_dir,
		      &strict);
}

/* postsuper_complete - does a file read as a whole queue file */
static bool postsuper_complete(const char *path)
{
    QUEUE_FILE_INFO info;
    VSTREAM *fp;
    bool    ok;

    if ((fp = vstream_fopen(path, O_RDONLY, 0)) == 0)
	return false;
    queue_file_info_init(&info);
    ok = queue_file_read(fp, QUEUE_FILE_KIND_QUEUE, QUEUE_FILE_LIMIT,
			 0, 0, &info);
    queue_file_info_free(&info);
    (void) vstream_fclose(fp);
    return ok;
}

/* postsuper_purge_file - remove a dead writer's temporary file */
static void postsuper_purge_file(const char *queue, const char *path,
				         const char *name, int depth,
				         void *context)
{
    bool    report = *(bool *) context;
    bool    unfinished;
    struct stat st;

    (void) depth;
    /* As Postfix's -p: a name with other than letters, digits, "_". */
    if (report && strncmp(name, "tmp.", 4) != 0
	&& name[strspn(name, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
		       "abcdefghijklmnopqrstuvwxyz_")] != 0) {
	msg_warn("bogus file name: %s", path);
	return;
    }
    /* A temporary name anywhere; in incoming/, an ID that is not ready. */
    unfinished = strncmp(name, "tmp.", 4) != 0;
    if (unfinished && (strcmp(queue, MAIL_QUEUE_INCOMING) != 0
		       || !queue_id_valid(name)))
	return;
    if (lstat(path, &st) < 0 || !S_ISREG(st.st_mode)
	|| (unfinished && mail_queue_ready(queue, &st)))
	return;
    /*
     * A not-ready file that is whole anyway was left by an earlier build
     * (which marked files complete by their name, not the mode), or its
     * writer died after the last record: deliver it rather than lose it.
     * The worst case is a duplicate of a message the client will retry.
     */
    if (unfinished && postsuper_complete(path)) {
	if (chmod(path, (st.st_mode & 07777) | S_IXUSR) < 0)
	    msg_warn("%s: cannot mark ready: %m", path);
	else
	    msg_info("%s: complete queue file marked ready", path);
	return;
    }
    if (st.st_mtime > time((time_t *) 0) - VAR_TIME(ipc_timeout)) {
	if (unfinished)
	    msg_info("%s: unfinished queue file: left alone", path);
	return;
    }
    if (unlink(path) < 0) {
	if (errno != ENOENT)
	    msg_warn("%s: cannot remove: %m", path);
	return;
    }
    msg_info("%s: removed old %s", path, unfinished ?
	     "unfinished queue file" : "temporary file");
}

/* postsuper_purge - -p for one queue */
void    postsuper_purge(const char *queue, bool report)
{
    (void) queue_scan(queue, postsuper_purge_file, 0, &report);
}
