/*
 * fifo_listen - open a FIFO for triggers
 *
 * DESCRIPTION
 *	See listen.h. Opening read-write means that this process is
 *	itself a writer, so the FIFO never reports end of file and a
 *	trigger client's non-blocking open always finds a reader.
 */
#include "sys_defs.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "vstring.h"
#include "listen.h"

/* fifo_listen_fail - report, clean up, keep errno */
static int fifo_listen_fail(int fd, VSTRING *why, const char *what,
			            const char *path)
{
    int     saved_errno = errno;

    if (why != NULL)
	vstring_sprintf(why, "%s %s: %s", what, path, strerror(saved_errno));
    if (fd >= 0)
	(void) close(fd);
    errno = saved_errno;
    return -1;
}

/* fifo_listen - FIFO at path, open read-write */
int     fifo_listen(const char *path, int permissions, int block_mode,
		            VSTRING *why)
{
    struct stat st;
    int     fd;

    if (mkfifo(path, (mode_t) permissions) < 0 && errno != EEXIST)
	return fifo_listen_fail(-1, why, "create fifo", path);
    if ((fd = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC, 0)) < 0)
	return fifo_listen_fail(-1, why, "open", path);
    if (fstat(fd, &st) < 0)
	return fifo_listen_fail(fd, why, "fstat", path);
    if (!S_ISFIFO(st.st_mode)) {
	if (why != NULL)
	    vstring_sprintf(why, "open %s: not a fifo", path);
	(void) close(fd);
	errno = EINVAL;
	return -1;
    }
    if (fchmod(fd, (mode_t) permissions) < 0)
	return fifo_listen_fail(fd, why, "fchmod", path);
    if (non_blocking(fd, block_mode) < 0)
	return fifo_listen_fail(fd, why, "set blocking mode", path);
    return fd;
}
