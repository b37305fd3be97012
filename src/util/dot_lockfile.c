/*
 * dot_lockfile - lock a file by creating "name.lock"
 *
 * DESCRIPTION
 *	See dot_lockfile.h. The number of stale lock removals per call is
 *	bounded too, so two processes that keep removing each other's
 *	fresh locks (clock skew on a shared file system) cannot loop
 *	forever.
 */
#include "sys_defs.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "vstring.h"
#include "dot_lockfile.h"

#define DOT_LOCKFILE_MAX_STALE	10	/* stale removals per call */

/* dot_lockfile - create path.lock, with retries */
int     dot_lockfile(const char *path, int attempts, int delay,
		             int stale_time, VSTRING *why)
{
    char   *lock_file = concatenate(path, ".lock", (char *) 0);
    struct stat st;
    int     tries = 0;
    int     stale_removed = 0;
    int     fd;
    int     err;

    if (attempts < 1)
	attempts = 1;
    for (;;) {
	fd = open(lock_file, O_WRONLY | O_CREAT | O_EXCL | O_NOCTTY, 0600);
	if (fd >= 0) {
	    (void) close(fd);
	    myfree(lock_file);
	    return 0;
	}
	err = errno;
	if (err != EEXIST) {
	    if (why)
		vstring_sprintf(why, "cannot create lock file %s: %m", lock_file);
	    break;
	}
	if (stale_time > 0 && stale_removed < DOT_LOCKFILE_MAX_STALE
	    && lstat(lock_file, &st) == 0
	    && st.st_mtime <= time((time_t *) 0) - stale_time) {
	    msg_warn("removing stale lock file %s", lock_file);
	    stale_removed++;
	    if (unlink(lock_file) < 0 && errno != ENOENT) {
		err = errno;
		if (why)
		    vstring_sprintf(why, "cannot remove stale lock file %s: %m",
				    lock_file);
		break;
	    }
	    continue;
	}
	if (++tries >= attempts) {
	    if (why)
		vstring_sprintf(why, "lock file %s exists", lock_file);
	    break;
	}
	if (delay > 0)
	    sleep((unsigned) delay);
    }
    myfree(lock_file);
    errno = err;
    return -1;
}

/* dot_unlockfile - remove path.lock */
void    dot_unlockfile(const char *path)
{
    char   *lock_file = concatenate(path, ".lock", (char *) 0);

    if (unlink(lock_file) < 0 && errno != ENOENT)
	msg_warn("remove %s: %m", lock_file);
    myfree(lock_file);
}
