/*
 * open_lock - open a file safely and lock it
 *
 * DESCRIPTION
 *	See open_lock.h.
 */
#include "sys_defs.h"

#include <errno.h>
#include <fcntl.h>

#include "msg.h"
#include "vstring.h"
#include "vstream.h"
#include "safe_open.h"
#include "myflock.h"
#include "open_lock.h"

/* open_lock - open a file and lock it */
VSTREAM *open_lock(const char *path, int flags, mode_t mode,
		           int lock_style, int lock_op, VSTRING *why)
{
    VSTREAM *fp;
    int     status;
    int     err;

    if ((fp = safe_open(path, flags, mode, NULL, (uid_t) -1, (gid_t) -1,
			why)) == NULL) {
	err = errno;
	vstring_sprintf_prepend(why, "%s: ", path);
	errno = err;
	return NULL;
    }
    if (fcntl(vstream_fileno(fp), F_SETFD, FD_CLOEXEC) < 0)
	msg_warn("%s: cannot set close-on-exec flag: %m", path);
    if ((status = myflock(vstream_fileno(fp), lock_style, lock_op)) < 0) {
	err = errno;
	if (status == MYFLOCK_BUSY)
	    vstring_sprintf(why, "%s: file is locked by another process", path);
	else
	    vstring_sprintf(why, "%s: cannot lock file: %m", path);
	(void) vstream_fclose(fp);
	errno = err;
	return NULL;
    }
    return fp;
}
