/*
 * trigger_send - the part of the stream triggers they all share
 *
 * DESCRIPTION
 *	See trigger.h.
 */
#include "sys_defs.h"

#include <errno.h>
#include <unistd.h>

#include "iostuff.h"
#include "trigger.h"

/* trigger_send_close - send the request on a connected socket, close it */
int     trigger_send_close(int sock, const char *buf, size_t len, int timeout)
{
    int     status = 0;
    int     saved_errno;

    if (sock < 0)
	return -1;
    if (write_buf(sock, buf, len, timeout) < 0)
	status = -1;
    saved_errno = errno;
    (void) close(sock);
    errno = saved_errno;
    return status;
}
