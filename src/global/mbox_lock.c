/*
 * mbox_lock - open and lock a UNIX-style mailbox the configured ways
 *
 * DESCRIPTION
 *	See mbox_lock.h. The dot lock comes before the open so that a
 *	mail reader that holds "<path>.lock" while it rewrites the mailbox
 *	(and may replace the file) is never raced; the kernel locks can
 *	only be taken on the open file.
 */
#include "sys_defs.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "msg.h"
#include "excerpt.h"
#include "mymalloc.h"
#include "name_mask.h"
#include "vstring.h"
#include "vstream.h"
#include "iostuff.h"
#include "safe_open.h"
#include "myflock.h"
#include "dot_lockfile.h"
#include "mail_params.h"
#include "mbox_lock.h"

#define MBOX_LOCK_PARAM	"mailbox_delivery_lock"

/* The order of "postconf -l". */
static const NAME_MASK mbox_lock_table[] = {
    {"flock", MBOX_LOCK_FLOCK},
    {"fcntl", MBOX_LOCK_FCNTL},
    {"dotlock", MBOX_LOCK_DOTLOCK},
    {0, 0},
};

static const char *const mbox_lock_name_list[] = {
    "flock", "fcntl", "dotlock", 0,
};

/* mbox_lock_mask - method names to MBOX_LOCK_* bits, or -1 */
int     mbox_lock_mask(const char *methods, VSTRING *why)
{
    unsigned mask = 0;

    if (!name_mask_opt(MBOX_LOCK_PARAM, mbox_lock_table, methods,
		       NAME_MASK_RETURN, &mask, why)) {
	if (why)
	    vstring_sprintf_append(why, " in \"%s\"", excerpt(methods));
	return -1;
    }
    return (int) mask;
}

/* mbox_lock_names - supported method names, null-terminated */
const char *const *mbox_lock_names(void)
{
    return mbox_lock_name_list;
}

/* mbox_lock_kernel - one kernel lock, retried while busy */
static int mbox_lock_kernel(int fd, int style, int attempts, int delay)
{
    int     n;

    for (n = 1; /* void */ ; n++) {
	if (myflock(fd, style, MYFLOCK_OP_EXCLUSIVE | MYFLOCK_OP_NOWAIT) == 0)
	    return 0;
	if (errno != EAGAIN || n >= attempts)
	    return -1;
	sleep((unsigned) delay);
    }
}

/* mbox_lock_dot - take the dot lock; false when the open must fail */
static bool mbox_lock_dot(MBOX_LOCK *mp, int lock_mask, VSTRING *why)
{
    struct stat st;
    int     err;

    /*
     * stat(), not lstat(): a root-owned symlink to /dev/null must not
     * lead to /dev/null.lock. safe_open() judges the link itself later.
     */
    if (stat(mp->path, &st) == 0 ? !S_ISREG(st.st_mode) : errno != ENOENT)
	return true;
    if (dot_lockfile(mp->path, (int) VAR_INT(deliver_lock_attempts),
		     VAR_TIME(deliver_lock_delay), VAR_TIME(stale_lock_time),
		     NULL) == 0) {
	mp->locked |= MBOX_LOCK_DOTLOCK;
	return true;
    }
    err = errno;
    vstring_sprintf(why, "unable to create lock file %s.lock: %s",
		    mp->path, strerror(err));
    if (err != EEXIST && (lock_mask & MBOX_LOCK_DOTLOCK_MAY_FAIL)) {
	msg_warn("%s", vstring_str(why));
	return true;
    }
    errno = err == EEXIST ? EAGAIN : err;
    return false;
}

/* mbox_lock_free - undo whatever mbox_lock_open() has done so far */
static void mbox_lock_free(MBOX_LOCK *mp)
{
    int     saved_errno = errno;

    if (mp->fp)
	(void) vstream_fclose(mp->fp);
    if (mp->locked & MBOX_LOCK_DOTLOCK)
	dot_unlockfile(mp->path);
    myfree(mp->path);
    myfree(mp);
    errno = saved_errno;
}

/* mbox_lock_open - open the mailbox and take the configured locks */
MBOX_LOCK *mbox_lock_open(const char *path, int flags, mode_t mode,
			          struct stat *st, uid_t user, gid_t group,
			          int lock_mask, VSTRING *why)
{
    MBOX_LOCK *mp = mymalloc(sizeof(*mp));
    struct stat fst;
    int     attempts = (int) VAR_INT(deliver_lock_attempts);
    int     delay = VAR_TIME(deliver_lock_delay);
    int     fd;
    int     err;
    static const struct {
	int     bit;
	int     style;
    } kernel_locks[] = {
	{MBOX_LOCK_FLOCK, MYFLOCK_STYLE_FLOCK},
	{MBOX_LOCK_FCNTL, MYFLOCK_STYLE_FCNTL},
    };
    size_t  n;

    mp->path = mystrdup(path);
    mp->fp = NULL;
    mp->locked = 0;

    if ((lock_mask & MBOX_LOCK_DOTLOCK) && !mbox_lock_dot(mp, lock_mask, why)) {
	mbox_lock_free(mp);
	return NULL;
    }

    /* safe_open() opens non-blocking, so a FIFO cannot hang us. */
    if ((mp->fp = safe_open(path, flags, mode, &fst, user, group, why)) == NULL) {
	mbox_lock_free(mp);
	return NULL;
    }
    fd = vstream_fileno(mp->fp);
    (void) close_on_exec(fd, CLOSE_ON_EXEC);

    if (S_ISREG(fst.st_mode)) {
	for (n = 0; n < ARRAY_LEN(kernel_locks); n++) {
	    if ((lock_mask & kernel_locks[n].bit) == 0)
		continue;
	    if (mbox_lock_kernel(fd, kernel_locks[n].style, attempts, delay) < 0) {
		err = errno;
		vstring_sprintf(why, "unable to lock for exclusive access: %s",
				strerror(err));
		mbox_lock_free(mp);
		errno = err;
		return NULL;
	    }
	    mp->locked |= kernel_locks[n].bit;
	}
    }
    if (st)
	*st = fst;
    return mp;
}

/* mbox_lock_close - close the mailbox and release every lock */
int     mbox_lock_close(MBOX_LOCK *mp)
{
    int     status = vstream_fclose(mp->fp);

    mp->fp = NULL;
    if (mp->locked & MBOX_LOCK_DOTLOCK)
	dot_unlockfile(mp->path);
    myfree(mp->path);
    myfree(mp);
    return status;
}
