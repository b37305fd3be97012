/*
 * unix_dgram_listen - receive datagrams on an AF_UNIX socket
 *
 * DESCRIPTION
 *	See listen.h.
 */
#include "sys_defs.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include "vstring.h"
#include "iostuff.h"
#include "listen.h"

/* unix_dgram_listen - AF_UNIX datagram endpoint at path */
int     unix_dgram_listen(const char *path, int block_mode, VSTRING *why)
{
    int     sock;
    int     saved_errno;

    if ((sock = unix_bind_socket(SOCK_DGRAM, path, why)) < 0)
	return -1;
    if (non_blocking(sock, block_mode) < 0) {
	saved_errno = errno;
	if (why != NULL)
	    vstring_sprintf(why, "set blocking mode %s: %s", path,
			    strerror(saved_errno));
	(void) close(sock);
	errno = saved_errno;
	return -1;
    }
    return sock;
}
