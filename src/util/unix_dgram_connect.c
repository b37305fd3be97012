/*
 * unix_dgram_connect - AF_UNIX datagram socket with a destination
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

#include "sane_connect.h"
#include "connect.h"

/* unix_dgram_connect - datagram socket aimed at path */
int     unix_dgram_connect(const char *path, int block_mode)
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
    if ((sock = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0)
	return -1;
    if (sane_connect(sock, (struct sockaddr *) &sun, sizeof(sun)) < 0
	|| non_blocking(sock, block_mode) < 0) {
	saved_errno = errno;
	(void) close(sock);
	errno = saved_errno;
	return -1;
    }
    return sock;
}
