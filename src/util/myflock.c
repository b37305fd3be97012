/*
 * myflock - lock or unlock an open file, with fcntl() or flock()
 *
 * DESCRIPTION
 *	See myflock.h.
 */
#include "sys_defs.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>

#include "msg.h"
#include "myflock.h"

/* myflock_flock - one flock() call */
static int myflock_flock(int fd, int operation)
{
    static const int ops[] = {LOCK_UN, LOCK_SH, LOCK_EX};
    int     op = ops[operation & (MYFLOCK_OP_SHARED | MYFLOCK_OP_EXCLUSIVE)];

    if (operation & MYFLOCK_OP_NOWAIT)
	op |= LOCK_NB;
    return flock(fd, op);
}

/* myflock_fcntl - one fcntl() call */
static int myflock_fcntl(int fd, int operation)
{
    static const short types[] = {F_UNLCK, F_RDLCK, F_WRLCK};
    struct flock lock;

    memset(&lock, 0, sizeof(lock));
    lock.l_type = types[operation & (MYFLOCK_OP_SHARED | MYFLOCK_OP_EXCLUSIVE)];
    lock.l_whence = SEEK_SET;
    lock.l_start = 0;
    lock.l_len = 0;				/* whole file */
    return fcntl(fd, (operation & MYFLOCK_OP_NOWAIT) ? F_SETLK : F_SETLKW, &lock);
}

/* myflock - lock, or unlock, a whole file */
int     myflock(int fd, int lock_style, int operation)
{
    int     status;

    if ((operation & ~MYFLOCK_OP_BITS) != 0
	|| (operation & (MYFLOCK_OP_SHARED | MYFLOCK_OP_EXCLUSIVE))
	== (MYFLOCK_OP_SHARED | MYFLOCK_OP_EXCLUSIVE))
	msg_panic("myflock: improper operation type: 0x%x", (unsigned) operation);
    if (lock_style != MYFLOCK_STYLE_FLOCK && lock_style != MYFLOCK_STYLE_FCNTL)
	msg_panic("myflock: unsupported lock style: 0x%x", (unsigned) lock_style);

    for (;;) {
	status = (lock_style == MYFLOCK_STYLE_FLOCK) ?
	    myflock_flock(fd, operation) : myflock_fcntl(fd, operation);
	if (status == 0)
	    return MYFLOCK_OK;
	if (errno == EINTR)
	    continue;
	if ((operation & MYFLOCK_OP_NOWAIT)
	    && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EACCES)) {
	    errno = EAGAIN;
	    return MYFLOCK_BUSY;
	}
	return MYFLOCK_ERROR;
    }
}
