/*
 * unix_trigger - wake up an AF_UNIX stream server
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

/* unix_trigger - connect, send, hang up */
int     unix_trigger(const char *path, const char *buf, size_t len,
		             int timeout)
{
    int     sock;
    int     status = 0;
    int     saved_errno;

    if ((sock = unix_connect(path, BLOCKING, timeout)) < 0)
	return -1;
    if (write_buf(sock, buf, len, timeout) < 0)
	status = -1;
    saved_errno = errno;
    (void) close(sock);
    errno = saved_errno;
    return status;
}
