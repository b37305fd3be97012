/*
 * unix_connect - connect to an AF_UNIX stream or datagram socket
 *
 * DESCRIPTION
 *	See connect.h. unix_socket_connect() does the work for both
 *	unix_connect() and unix_dgram_connect() (in its own file).
 */
#include "sys_defs.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "connect.h"

/* unix_socket_connect - connected AF_UNIX socket of the given type */
int     unix_socket_connect(int socktype, const char *path, int block_mode,
			            int timeout)
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
    if ((sock = socket(AF_UNIX, socktype | SOCK_CLOEXEC, 0)) < 0)
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

/* unix_connect - connected AF_UNIX stream socket */
int     unix_connect(const char *path, int block_mode, int timeout)
{
    return unix_socket_connect(SOCK_STREAM, path, block_mode, timeout);
}
