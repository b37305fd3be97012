/*
 * pass_accept - receive a client connection from a "pass" endpoint
 *
 * DESCRIPTION
 *	See listen.h.
 */
#include "sys_defs.h"

#include <errno.h>
#include <unistd.h>

#include "iostuff.h"
#include "sane_accept.h"
#include "listen.h"

/* pass_accept - accept a sender, receive its descriptor, hang up */
int     pass_accept(int listen_fd, int timeout)
{
    int     conn;
    int     fd = -1;
    int     saved_errno;

    if ((conn = sane_accept(listen_fd, NULL, NULL)) < 0)
	return -1;
    if (read_wait(conn, timeout) == 0)
	fd = unix_recv_fd(conn);
    saved_errno = errno;
    (void) close(conn);
    errno = saved_errno;
    return fd;
}
