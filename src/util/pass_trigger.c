/*
 * pass_trigger - wake up a "pass" server
 *
 * DESCRIPTION
 *	See trigger.h.
 */
#include "sys_defs.h"

#include <errno.h>
#include <unistd.h>

#include "iostuff.h"
#include "connect.h"
#include "trigger.h"

/* pass_trigger - pass one end of a pipe, write into the other */
int     pass_trigger(const char *path, const char *buf, size_t len,
		             int timeout)
{
    int     pair[2];
    int     status;
    int     saved_errno;

    if (duplex_pipe(pair) < 0)
	return -1;
    status = pass_send(path, pair[0], timeout);
    if (status == 0 && write_buf(pair[1], buf, len, timeout) < 0)
	status = -1;
    saved_errno = errno;
    (void) close(pair[0]);
    (void) close(pair[1]);
    errno = saved_errno;
    return status;
}
