/*
 * pass_send - hand a descriptor to a "pass" endpoint
 *
 * DESCRIPTION
 *	See connect.h.
 */
#include "sys_defs.h"

#include <errno.h>
#include <unistd.h>

#include "iostuff.h"
#include "connect.h"

/* pass_send - connect to path and send fd */
int     pass_send(const char *path, int fd, int timeout)
{
    int     sock;
    int     status;
    int     saved_errno;

    if ((sock = unix_connect(path, BLOCKING, timeout)) < 0)
	return -1;
    if ((status = write_wait(sock, timeout > 0 ? timeout : -1)) == 0)
	status = unix_send_fd(sock, fd);
    saved_errno = errno;
    (void) close(sock);
    errno = saved_errno;
    return status;
}
