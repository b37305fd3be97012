/*
 * fifo_trigger - wake up a FIFO server
 *
 * DESCRIPTION
 *	See trigger.h. The FIFO is opened non-blocking, so that a missing
 *	reader gives ENXIO at once instead of hanging the client.
 */
#include "sys_defs.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "iostuff.h"
#include "trigger.h"

/* fifo_trigger - open, send, close */
int     fifo_trigger(const char *path, const char *buf, size_t len,
		             int timeout)
{
    int     fd;
    int     status = 0;
    int     saved_errno;

    if ((fd = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC, 0)) < 0)
	return -1;
    if (write_buf(fd, buf, len, timeout) < 0)
	status = -1;
    saved_errno = errno;
    (void) close(fd);
    errno = saved_errno;
    return status;
}
