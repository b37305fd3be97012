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

#include "connect.h"

/* unix_dgram_connect - datagram socket aimed at path */
int     unix_dgram_connect(const char *path, int block_mode)
{
    /* A datagram connect() does not wait, so no time limit applies. */
    return unix_socket_connect(SOCK_DGRAM, path, block_mode, 0);
}
