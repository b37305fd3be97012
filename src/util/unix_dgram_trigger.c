/*
 * unix_dgram_trigger - wake up an AF_UNIX datagram server
 *
 * DESCRIPTION
 *	See trigger.h.
 */
#include "sys_defs.h"

#include <errno.h>
#include <unistd.h>
#include <sys/socket.h>

#include "iostuff.h"
#include "connect.h"
#include "trigger.h"

/* unix_dgram_trigger - send one datagram */
int     unix_dgram_trigger(const char *path, const char *buf, size_t len,
			           int timeout)
{
    int     sock;
    int     status = -1;
    int     saved_errno;
    ssize_t n;

    if ((sock = unix_dgram_connect(path, NON_BLOCKING)) < 0)
	return -1;
    for (;;) {
	if ((n = send(sock, buf, len, MSG_NOSIGNAL)) >= 0) {
	    status = 0;
	    break;
	}
	if (errno == EINTR)
	    continue;
	if (errno != EAGAIN && errno != EWOULDBLOCK)
	    break;
	if (write_wait(sock, timeout > 0 ? timeout : -1) < 0)
	    break;
    }
    saved_errno = errno;
    (void) close(sock);
    errno = saved_errno;
    return status;
}
