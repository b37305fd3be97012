/*
 * safe_open - open or create a file without symlink or hard link tricks
 *
 * DESCRIPTION
 *	See safe_open.h. Opening an existing file compares what lstat()
 *	sees under the name with what fstat() sees on the descriptor, so a
 *	name that is replaced between the two calls is detected. Creation
 *	relies on O_CREAT|O_EXCL, which the kernel refuses for any existing
 *	name, symbolic links included.
 */
#include "sys_defs.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "msg.h"
#include "vstring.h"
#include "vstream.h"
#include "safe_open.h"

#define SAFE_OPEN_ATTEMPTS	5	/* create/open races before giving up */

/* safe_open_fail - record the reason and errno, close fd; returns NULL */
static VSTREAM *PRINTFLIKE(4, 5) safe_open_fail(VSTRING *why, int fd,
					               int err,
					               const char *fmt,...)
{
    va_list ap;

    va_start(ap, fmt);
    errno = err;
    vstring_vsprintf(why, fmt, ap);
    va_end(ap);
    if (fd >= 0)
	(void) close(fd);
    errno = err;
    return NULL;
}

/* safe_open_finish - restore O_NONBLOCK, wrap the descriptor */
static VSTREAM *safe_open_finish(const char *path, int fd, int flags,
				         struct stat *fst, struct stat *st,
				         VSTRING *why)
{
    VSTREAM *fp;
    int     fl;

    if ((flags & O_NONBLOCK) == 0) {
	if ((fl = fcntl(fd, F_GETFL)) < 0
	    || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) < 0)
	    return safe_open_fail(why, fd, errno,
				  "cannot clear non-blocking mode: %m");
    }
    if (st != NULL)
	*st = *fst;
    fp = vstream_fdopen(fd, flags);
    vstream_set_path(fp, path);
    return fp;
}

/* safe_open_exist - open an existing file; NULL with ENOENT if absent */
static VSTREAM *safe_open_exist(const char *path, int flags, struct stat *st,
				        uid_t user, gid_t group, VSTRING *why)
{
    struct stat lst;
    struct stat fst;
    int     fd;
    int     err;

    /*
     * Open first, then compare with lstat(): the other order leaves a
     * window in which the name can be replaced after it was checked.
     * O_NOFOLLOW makes the common symlink case fail early.
     */
    fd = open(path, (flags & ~(O_CREAT | O_EXCL | O_TRUNC))
	      | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);
    if (fd < 0) {
	err = errno;
	if (err == ELOOP && lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode))
	    return safe_open_fail(why, -1, ELOOP, "file is a symbolic link");
	return safe_open_fail(why, -1, err, "cannot open file: %m");
    }
    if (fstat(fd, &fst) < 0)
	return safe_open_fail(why, fd, errno, "cannot fstat file: %m");
    if (lstat(path, &lst) < 0)
	return safe_open_fail(why, fd, errno, "cannot lstat file: %m");
    if (S_ISLNK(lst.st_mode))
	return safe_open_fail(why, fd, ELOOP, "file is a symbolic link");
    if (lst.st_dev != fst.st_dev || lst.st_ino != fst.st_ino)
	return safe_open_fail(why, fd, EPERM, "file status changed unexpectedly");
    if (!S_ISREG(fst.st_mode))
	return safe_open_fail(why, fd, EPERM, "file is not a regular file");
    if (fst.st_nlink != 1)
	return safe_open_fail(why, fd, EPERM, "file has %lu hard links",
			      (unsigned long) fst.st_nlink);
    if (user != (uid_t) -1 && fst.st_uid != user)
	return safe_open_fail(why, fd, EPERM, "file has owner %ld, not %ld",
			      (long) fst.st_uid, (long) user);
    if (group != (gid_t) -1 && fst.st_gid != group)
	return safe_open_fail(why, fd, EPERM, "file has group %ld, not %ld",
			      (long) fst.st_gid, (long) group);
    if ((flags & O_TRUNC) && (flags & O_ACCMODE) != O_RDONLY) {
	if (ftruncate(fd, 0) < 0)
	    return safe_open_fail(why, fd, errno, "cannot truncate file: %m");
	fst.st_size = 0;
    }
    return safe_open_finish(path, fd, flags, &fst, st, why);
}

/* safe_open_create - create a new file */
static VSTREAM *safe_open_create(const char *path, int flags, mode_t mode,
				         struct stat *st, uid_t user,
				         gid_t group, VSTRING *why)
{
    struct stat fst;
    int     fd;

    fd = open(path, flags | O_CREAT | O_EXCL | O_NONBLOCK | O_NOCTTY, mode);
    if (fd < 0)
	return safe_open_fail(why, -1, errno, "cannot create file exclusively: %m");
    if ((user != (uid_t) -1 || group != (gid_t) -1)
	&& fchown(fd, user, group) < 0) {
	int     err = errno;

	(void) unlink(path);
	return safe_open_fail(why, fd, err, "cannot change file ownership: %m");
    }
    if (fstat(fd, &fst) < 0)
	return safe_open_fail(why, fd, errno, "cannot fstat file: %m");
    return safe_open_finish(path, fd, flags, &fst, st, why);
}

/* safe_open - open or create a file safely */
VSTREAM *safe_open(const char *path, int flags, mode_t mode,
		           struct stat *st, uid_t user, gid_t group,
		           VSTRING *why)
{
    VSTREAM *fp;
    int     attempt;

    if (why == NULL)
	msg_panic("safe_open: null error buffer");
    switch (flags & (O_CREAT | O_EXCL)) {
    case O_CREAT | O_EXCL:
	return safe_open_create(path, flags, mode, st, user, group, why);
    case O_CREAT:
	for (attempt = 0; attempt < SAFE_OPEN_ATTEMPTS; attempt++) {
	    fp = safe_open_exist(path, flags, st, user, group, why);
	    if (fp != NULL || errno != ENOENT)
		return fp;
	    fp = safe_open_create(path, flags, mode, st, user, group, why);
	    if (fp != NULL || errno != EEXIST)
		return fp;
	}
	return safe_open_fail(why, -1, EAGAIN,
			      "file keeps appearing and disappearing");
    case 0:
	return safe_open_exist(path, flags, st, user, group, why);
    default:
	return safe_open_fail(why, -1, EINVAL, "O_EXCL without O_CREAT");
    }
}
