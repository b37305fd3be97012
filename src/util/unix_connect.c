/*
 * unix_connect - connect to an AF_UNIX stream socket
 *
 * DESCRIPTION
 *	See connect.h.
 */
#include "sys_defs.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "connect.h"

/* unix_connect - connected AF_UNIX stream socket */
int     unix_connect(const char *path, int block_mode, int timeout)
{
    struct sockaddr_un sun;
    int     sock;
    int     saved_errno;

    if (strlen(path) >= sizeof(sun.sun_path)) {
	errno = ENAMETOOLONG;
	return -1;
    }
    memset(&sun, 0, sizeof(sun));
    sun.sun_family = AF_UNIX;
    memcpy(sun.sun_path, path, strlen(path) + 1);
    if ((sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
	return -1;
    if (timed_connect(sock, (struct sockaddr *) &sun, sizeof(sun), timeout) < 0
	|| non_blocking(sock, block_mode) < 0) {
	saved_errno = errno;
	(void) close(sock);
	errno = saved_errno;
	return -1;
    }
    return sock;
}
