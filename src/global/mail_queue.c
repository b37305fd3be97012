/*
 * mail_queue - queue directories, queue file paths, creation and moves
 *
 * DESCRIPTION
 *	See mail_queue.h and docs/internals/queue-file.md sections 7-8:
 *	the rename protocol (mail_queue_create()) and the ready-bit
 *	protocol (mail_queue_enter()) share one commit function.
 */
#include "sys_defs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/time.h>
#include <dirent.h>
#include <unistd.h>

#include "make_dirs.h"
#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "vstream.h"
#include "vstring.h"
#include "vstring_vstream.h"
#include "mail_params.h"
#include "queue_id.h"
#include "mail_queue.h"

#define MAIL_QUEUE_HASH_MODE	0700	/* hashed subdirectories */
#define MAIL_QUEUE_MOUNTINFO	"/proc/self/mountinfo"

const char *const mail_queue_all[] = {
    MAIL_QUEUE_MAILDROP, MAIL_QUEUE_INCOMING, MAIL_QUEUE_ACTIVE,
    MAIL_QUEUE_DEFERRED, MAIL_QUEUE_HOLD, MAIL_QUEUE_CORRUPT,
    MAIL_QUEUE_BOUNCE, MAIL_QUEUE_DEFER, MAIL_QUEUE_TRACE,
    MAIL_QUEUE_FLUSH, MAIL_QUEUE_SAVED, MAIL_QUEUE_PRIVATE,
    MAIL_QUEUE_PUBLIC, MAIL_QUEUE_PID, 0,
};

const char *const mail_queue_msg[] = {
    MAIL_QUEUE_INCOMING, MAIL_QUEUE_ACTIVE, MAIL_QUEUE_DEFERRED,
    MAIL_QUEUE_HOLD, MAIL_QUEUE_MAILDROP, MAIL_QUEUE_CORRUPT,
    MAIL_QUEUE_SAVED, 0,
};

static unsigned long mail_queue_counter;	/* temporary file names */

/* mail_queue_name_ok - can this be a queue directory name */
bool    mail_queue_name_ok(const char *queue)
{
    const char *cp;

    if (*queue == 0 || strlen(queue) > MAIL_QUEUE_NAME_MAX)
	return false;
    for (cp = queue; *cp; cp++)
	if (!((*cp >= '0' && *cp <= '9') || (*cp >= 'A' && *cp <= 'Z')
	      || (*cp >= 'a' && *cp <= 'z') || *cp == '_' || *cp == '-'))
	    return false;
    return true;
}

/* mail_queue_hashed - is a queue listed in hash_queue_names */
bool    mail_queue_hashed(const char *queue)
{
    char   *saved = mystrdup(VAR_STR(hash_queue_names));
    char   *bp = saved;
    char   *name;
    bool    found = false;

    while ((name = mystrtok(&bp, ", \t\r\n")) != 0) {
	if (strcmp(name, queue) == 0) {
	    found = true;
	    break;
	}
    }
    myfree(saved);
    return found;
}

/* mail_queue_check - refuse bad names from the program itself */
static void mail_queue_check(const char *myname, const char *queue,
			             const char *id)
{
    if (!mail_queue_name_ok(queue))
	msg_panic("%s: bad queue name \"%s\"", myname, queue);
    if (id != 0 && !queue_id_valid(id))
	msg_panic("%s: bad queue ID \"%s\"", myname, id);
}

/* mail_queue_depth - the hash depth of a queue, 0 when not hashed */
static int mail_queue_depth(const char *queue)
{
    long    depth;

    if (!mail_queue_hashed(queue))
	return 0;
    depth = VAR_INT(hash_queue_depth);
    return depth > QUEUE_ID_HASH_MAX ? QUEUE_ID_HASH_MAX : (int) depth;
}

/* mail_queue_dir - the directory of a queue file */
const char *mail_queue_dir(VSTRING *buf, const char *queue, const char *id)
{
    VSTRING *hash = vstring_alloc(20);
    int     depth;

    mail_queue_check("mail_queue_dir", queue, id);
    depth = mail_queue_depth(queue);
    vstring_strcpy(buf, queue);
    if (depth > 0) {
	queue_id_hash(hash, id, depth);
	VSTRING_ADDCH(buf, '/');
	/* The hash part ends in "/"; the directory name does not. */
	vstring_strncat(buf, vstring_str(hash), VSTRING_LEN(hash) - 1);
    }
    vstring_free(hash);
    return vstring_str(buf);
}

/* mail_queue_path - the path of a queue file */
const char *mail_queue_path(VSTRING *buf, const char *queue, const char *id)
{
    mail_queue_dir(buf, queue, id);
    VSTRING_ADDCH(buf, '/');
    vstring_strcat(buf, id);
    return vstring_str(buf);
}

/* mail_queue_open - open an existing queue file */
VSTREAM *mail_queue_open(const char *queue, const char *id, int flags,
			         mode_t mode)
{
    VSTRING *path = vstring_alloc(100);
    VSTREAM *fp;

    mail_queue_path(path, queue, id);
    fp = vstream_fopen(vstring_str(path), flags, mode);
    if (fp == 0 && errno == ENOENT && mail_queue_depth(queue) > 0) {
	/* A file left unhashed before hash_queue_names changed. */
	vstring_sprintf(path, "%s/%s", queue, id);
	fp = vstream_fopen(vstring_str(path), flags, mode);
    }
    vstring_free(path);
    return fp;
}

/* mail_queue_free - release a MAIL_QUEUE_FILE */
static void mail_queue_free(MAIL_QUEUE_FILE *qf)
{
    myfree(qf->queue);
    myfree(qf->path);
    myfree(qf);
}

/* mail_queue_new - a new file under a temporary name, and its queue ID */
static MAIL_QUEUE_FILE *mail_queue_new(const char *myname, const char *queue,
				               mode_t mode, VSTRING *why)
{
    VSTRING *path = vstring_alloc(100);
    VSTRING *id = vstring_alloc(QUEUE_ID_MAX_LEN + 1);
    MAIL_QUEUE_FILE *qf;
    struct timeval tv;
    struct stat st;
    int     fd;

    mail_queue_check(myname, queue, 0);
    vstring_sprintf(path, "%s/tmp.%ld.%lu", queue, (long) getpid(),
		    ++mail_queue_counter);
    if ((fd = open(vstring_str(path), O_RDWR | O_CREAT | O_EXCL, mode)) < 0) {
	vstring_sprintf(why, "create file %s: %m", vstring_str(path));
	vstring_free(path);
	vstring_free(id);
	return 0;
    }
    if (fchmod(fd, mode) < 0 || fstat(fd, &st) < 0) {
	vstring_sprintf(why, "set up file %s: %m", vstring_str(path));
	(void) close(fd);
	(void) unlink(vstring_str(path));
	vstring_free(path);
	vstring_free(id);
	return 0;
    }
    gettimeofday(&tv, 0);
    queue_id_make(id, st.st_ino, &tv, VAR_BOOL(enable_long_queue_ids));

    qf = (MAIL_QUEUE_FILE *) mymalloc(sizeof(*qf));
    qf->fp = vstream_fdopen(fd, O_RDWR);
    vstream_set_path(qf->fp, vstring_str(path));
    snprintf(qf->id, sizeof(qf->id), "%s", vstring_str(id));
    qf->queue = mystrdup(queue);
    qf->path = vstring_export(path);
    qf->mode = mode;
    qf->entered = false;
    vstring_free(id);
    return qf;
}

/* mail_queue_create - make a new file under a temporary name */
MAIL_QUEUE_FILE *mail_queue_create(const char *queue, mode_t mode,
				           VSTRING *why)
{
    return mail_queue_new("mail_queue_create", queue, mode, why);
}

/* mail_queue_place - rename a file to its final path in qf->queue */
static bool mail_queue_place(MAIL_QUEUE_FILE *qf, const char *dir,
			             const char *path, VSTRING *why)
{
    struct stat st;

    if (make_dirs(dir, MAIL_QUEUE_HASH_MODE) < 0) {
	vstring_sprintf(why, "create directory %s: %m", dir);
	return false;
    }
    if (lstat(path, &st) == 0) {
	errno = EEXIST;
	vstring_sprintf(why, "rename file %s: %s: %m", qf->path, path);
	return false;
    }
    if (rename(qf->path, path) < 0) {
	vstring_sprintf(why, "rename file %s: %s: %m", qf->path, path);
	return false;
    }
    myfree(qf->path);
    qf->path = mystrdup(path);
    return true;
}

/* mail_queue_enter - make a new file under its final name, not ready */
MAIL_QUEUE_FILE *mail_queue_enter(const char *queue, mode_t mode,
				          VSTRING *why)
{
    VSTRING *dir = vstring_alloc(100);
    VSTRING *path = vstring_alloc(100);
    MAIL_QUEUE_FILE *qf;

    if (mode & MAIL_QUEUE_MODE_READY)
	msg_panic("mail_queue_enter: mode 0%o is \"ready\" already",
		  (unsigned) mode);
    if ((qf = mail_queue_new("mail_queue_enter", queue, mode, why)) != 0) {
	mail_queue_dir(dir, queue, qf->id);
	mail_queue_path(path, queue, qf->id);
	if (mail_queue_place(qf, vstring_str(dir), vstring_str(path), why)) {
	    vstream_set_path(qf->fp, qf->path);
	    qf->entered = true;
	} else {
	    mail_queue_abort(qf);
	    qf = 0;
	}
    }
    vstring_free(dir);
    vstring_free(path);
    return qf;
}

/*
 * mail_queue_sync_dir - fsync a directory. A directory that we may write
 * but not read (maildrop, mode 1730, for postdrop) cannot be opened;
 * then syncfs() on the file's descriptor commits its file system,
 * directory included.
 */
static int mail_queue_sync_dir(const char *dir, int file_fd)
{
    int     fd;
    int     status;

    if ((fd = open(dir, O_RDONLY | O_DIRECTORY)) < 0)
	return errno == EACCES ? syncfs(file_fd) : -1;
    status = fsync(fd);
    if (close(fd) < 0)
	status = -1;
    return status;
}

/* mail_queue_mountinfo_type - the file system type of a device, or 0 */
static char *mail_queue_mountinfo_type(dev_t dev)
{
    VSTREAM *fp;
    VSTRING *line = vstring_alloc(200);
    char    want[64];
    char   *type = 0;
    char   *bp;
    char   *field;
    char   *sep;

    if ((fp = vstream_fopen(MAIL_QUEUE_MOUNTINFO, O_RDONLY, 0)) == 0) {
	vstring_free(line);
	return 0;
    }
    snprintf(want, sizeof(want), "%u:%u", major(dev), minor(dev));
    /* "id parent major:minor root mount options... - type source ..." */
    while (type == 0 && vstring_get_nonl(line, fp) != VSTREAM_EOF) {
	bp = vstring_str(line);
	(void) mystrtok(&bp, " ");
	(void) mystrtok(&bp, " ");
	if ((field = mystrtok(&bp, " ")) == 0 || strcmp(field, want) != 0)
	    continue;
	if ((sep = strstr(bp ? bp : "", " - ")) == 0)
	    continue;
	bp = sep + 3;
	if ((field = mystrtok(&bp, " ")) != 0)
	    type = mystrdup(field);
    }
    (void) vstream_fclose(fp);
    vstring_free(line);
    return type;
}

/*
 * mail_queue_ext_journal - has the ext3/ext4 file system on dev a
 * journal? Without one (ext4 can be made so, and ext2 volumes mount as
 * ext4) nothing orders metadata, and a name needs its directory fsync.
 * The kernel says so in /sys/fs/ext4/<disk>/journal_task ("<none>"), or,
 * on kernels without that file, by a /proc/fs/jbd2/<disk>-<inode> entry.
 */
static bool mail_queue_ext_journal(dev_t dev)
{
    char    link[64];
    char    target[512];
    char    path[600];
    char    text[32];
    const char *disk;
    ssize_t len;
    int     fd;
    DIR    *dp;
    struct dirent *dent;
    bool    found = false;

    snprintf(link, sizeof(link), "/sys/dev/block/%u:%u", major(dev),
	     minor(dev));
    if ((len = readlink(link, target, sizeof(target) - 1)) <= 0)
	return false;
    target[len] = 0;
    disk = strrchr(target, '/') ? strrchr(target, '/') + 1 : target;
    snprintf(path, sizeof(path), "/sys/fs/ext4/%s/journal_task", disk);
    if ((fd = open(path, O_RDONLY)) >= 0) {
	len = read(fd, text, sizeof(text) - 1);
	(void) close(fd);
	if (len <= 0)
	    return false;
	text[len] = 0;
	return strncmp(text, "<none>", 6) != 0;
    }
    if ((dp = opendir("/proc/fs/jbd2")) == 0)
	return false;
    len = (ssize_t) strlen(disk);
    while (!found && (dent = readdir(dp)) != 0)
	found = strncmp(dent->d_name, disk, (size_t) len) == 0
	    && dent->d_name[len] == '-';
    (void) closedir(dp);
    return found;
}

/* mail_queue_names_ordered - does an fsync() of a file commit its name? */
bool    mail_queue_names_ordered(const char *dir)
{
    static const char *const ordered[] = {"ext3", "ext4", "xfs", "btrfs", 0};
    static bool cached;
    static dev_t cached_dev;
    static bool cached_answer;
    const char *const *cpp;
    struct stat st;
    char   *type;

    if (stat(dir, &st) < 0)
	return false;
    if (cached && st.st_dev == cached_dev)
	return cached_answer;
    type = mail_queue_mountinfo_type(st.st_dev);
    cached_answer = false;
    for (cpp = ordered; type != 0 && *cpp; cpp++)
	if (strcmp(type, *cpp) == 0)
	    cached_answer = true;
    if (cached_answer && strncmp(type, "ext", 3) == 0
	&& !mail_queue_ext_journal(st.st_dev))
	cached_answer = false;
    cached = true;
    cached_dev = st.st_dev;
    if (msg_verbose)
	msg_info("%s: file system type %s%s: %s", dir,
		 type ? type : "unknown",
		 type && !cached_answer && strncmp(type, "ext", 3) == 0 ?
		 " without a journal" : "",
		 cached_answer ? "names are committed in order"
		 : "directories are synced");
    if (type)
	myfree(type);
    return cached_answer;
}

/* mail_queue_mark_ready - the ready bit and one fsync() of the file */
static bool mail_queue_mark_ready(MAIL_QUEUE_FILE *qf, const char *dir,
				          VSTRING *why)
{
    int     fd = vstream_fileno(qf->fp);
    struct stat st;

    /*
     * Removed while not ready? Checked before the file becomes ready:
     * from then on qmgr may take it, deliver it and remove it even
     * before our fsync() returns, and that is no failure.
     */
    if (fstat(fd, &st) < 0) {
	vstring_sprintf(why, "stat file %s: %m", qf->path);
	return false;
    }
    if (st.st_nlink == 0) {
	vstring_sprintf(why, "file %s was removed", qf->path);
	return false;
    }
    if (fchmod(fd, qf->mode | MAIL_QUEUE_MODE_READY) < 0) {
	vstring_sprintf(why, "set mode of file %s: %m", qf->path);
	return false;
    }
    if (fsync(fd) < 0) {
	vstring_sprintf(why, "sync file %s: %m", qf->path);
	return false;
    }
    if (!mail_queue_names_ordered(dir)
	&& mail_queue_sync_dir(dir, fd) < 0) {
	vstring_sprintf(why, "sync directory %s: %m", dir);
	return false;
    }
    return true;
}

/* mail_queue_commit - make the file durable under its queue ID */
bool    mail_queue_commit(MAIL_QUEUE_FILE *qf, VSTRING *why)
{
    VSTRING *dir = vstring_alloc(100);
    VSTRING *path = vstring_alloc(100);
    bool    ok = false;

    /* The file stays open until its directory entry is on disk. */
    mail_queue_dir(dir, qf->queue, qf->id);
    mail_queue_path(path, qf->queue, qf->id);
    if (qf->entered && strcmp(qf->path, vstring_str(path)) == 0) {
	/* Named early: one journal commit makes it ready and durable. */
	if (vstream_fflush(qf->fp) == VSTREAM_EOF)
	    vstring_sprintf(why, "write file %s: %m", qf->path);
	else
	    ok = mail_queue_mark_ready(qf, vstring_str(dir), why);
    } else if (vstream_fsync(qf->fp) == VSTREAM_EOF) {
	vstring_sprintf(why, "write file %s: %m", qf->path);
    } else if (mail_queue_place(qf, vstring_str(dir), vstring_str(path),
				why)) {
	if (mail_queue_sync_dir(vstring_str(dir),
				vstream_fileno(qf->fp)) < 0)
	    /* The file is in place: a retry makes a duplicate, not a loss. */
	    vstring_sprintf(why, "sync directory %s: %m", vstring_str(dir));
	else
	    ok = true;
    }
    if (vstream_fclose(qf->fp) == VSTREAM_EOF && ok) {
	vstring_sprintf(why, "close file %s: %m", vstring_str(path));
	ok = false;
    }
    qf->fp = 0;
    if (!ok && (qf->entered || strcmp(qf->path, vstring_str(path)) != 0))
	(void) unlink(qf->path);
    mail_queue_free(qf);
    vstring_free(dir);
    vstring_free(path);
    return ok;
}

/* mail_queue_abort - discard a file being written */
void    mail_queue_abort(MAIL_QUEUE_FILE *qf)
{
    if (qf->fp != 0)
	(void) vstream_fclose(qf->fp);
    (void) unlink(qf->path);
    mail_queue_free(qf);
}

/* mail_queue_ready - is a file complete? (incoming/: the ready bit) */
bool    mail_queue_ready(const char *queue, const struct stat *st)
{
    return strcmp(queue, MAIL_QUEUE_INCOMING) != 0
	|| (st->st_mode & MAIL_QUEUE_MODE_READY) != 0;
}

/* mail_queue_rename - move a file between queues */
bool    mail_queue_rename(const char *id, const char *old_queue,
			          const char *new_queue, VSTRING *why)
{
    VSTRING *old_path = vstring_alloc(100);
    VSTRING *new_path = vstring_alloc(100);
    VSTRING *new_dir = vstring_alloc(100);
    struct stat st;
    int     status;
    int     saved_errno;

    mail_queue_check("mail_queue_rename", old_queue, id);
    mail_queue_check("mail_queue_rename", new_queue, id);
    mail_queue_path(old_path, old_queue, id);
    mail_queue_path(new_path, new_queue, id);
    mail_queue_dir(new_dir, new_queue, id);
    if (access(vstring_str(old_path), F_OK) < 0 && errno == ENOENT
	&& mail_queue_depth(old_queue) > 0)
	vstring_sprintf(old_path, "%s/%s", old_queue, id);
    /* Every other queue holds complete files; incoming/ says so. */
    if (strcmp(new_queue, MAIL_QUEUE_INCOMING) == 0
	&& strcmp(old_queue, MAIL_QUEUE_INCOMING) != 0
	&& stat(vstring_str(old_path), &st) == 0 && S_ISREG(st.st_mode)
	&& !mail_queue_ready(new_queue, &st)
	&& chmod(vstring_str(old_path),
		 (st.st_mode & 07777) | MAIL_QUEUE_MODE_READY) < 0
	&& errno != ENOENT) {
	saved_errno = errno;
	vstring_sprintf(why, "set mode of %s: %m", vstring_str(old_path));
	vstring_free(old_path);
	vstring_free(new_path);
	vstring_free(new_dir);
	errno = saved_errno;
	return false;
    }
    status = rename(vstring_str(old_path), vstring_str(new_path));
    if (status < 0 && errno == ENOENT
	&& access(vstring_str(old_path), F_OK) == 0) {
	/* The source is there: the hashed directories are missing. */
	if (make_dirs(vstring_str(new_dir), MAIL_QUEUE_HASH_MODE) < 0) {
	    saved_errno = errno;
	    vstring_sprintf(why, "create directory %s: %m",
			    vstring_str(new_dir));
	    errno = saved_errno;
	    status = -2;
	} else {
	    status = rename(vstring_str(old_path), vstring_str(new_path));
	}
    }
    if (status == -1) {
	saved_errno = errno;
	vstring_sprintf(why, "rename %s to %s: %m", vstring_str(old_path),
			vstring_str(new_path));
	errno = saved_errno;
    }
    vstring_free(old_path);
    vstring_free(new_path);
    vstring_free(new_dir);
    return status == 0;
}

/* mail_queue_remove - unlink a queue file */
int     mail_queue_remove(const char *queue, const char *id)
{
    VSTRING *path = vstring_alloc(100);
    int     status;

    mail_queue_path(path, queue, id);
    status = unlink(vstring_str(path));
    if (status < 0 && errno == ENOENT && mail_queue_depth(queue) > 0) {
	vstring_sprintf(path, "%s/%s", queue, id);
	status = unlink(vstring_str(path));
    }
    vstring_free(path);
    return status;
}

/* mail_queue_find - look for a queue ID in a list of queues */
const char *mail_queue_find(VSTRING *path, const char *id,
			            const char *const *queues)
{
    const char *const *qp;
    struct stat st;

    if (!queue_id_valid(id))
	return 0;
    for (qp = queues; *qp; qp++) {
	mail_queue_path(path, *qp, id);
	if (lstat(vstring_str(path), &st) == 0 && S_ISREG(st.st_mode))
	    return vstring_str(path);
	if (mail_queue_depth(*qp) > 0) {
	    vstring_sprintf(path, "%s/%s", *qp, id);
	    if (lstat(vstring_str(path), &st) == 0 && S_ISREG(st.st_mode))
		return vstring_str(path);
	}
    }
    return 0;
}
