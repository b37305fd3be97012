/*
 * unix_recv_fd - receive a file descriptor over an AF_UNIX socket
 *
 * DESCRIPTION
 *	See iostuff.h. Any extra descriptors that a confused or hostile
 *	peer sends along are closed, so they cannot leak.
 */
#include "sys_defs.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>

#include "iostuff.h"

#define MAX_FDS	8			/* room for a peer that sends more */

/* unix_recv_fd - receive one descriptor from the peer */
int     unix_recv_fd(int sock)
{
    union {
	struct cmsghdr align;
	char    buf[CMSG_SPACE(MAX_FDS * sizeof(int))];
    }       control;
    struct msghdr msg;
    struct cmsghdr *cmsg;
    struct iovec iov;
    char    byte;
    ssize_t n;
    int     result = -1;
    int     fds[MAX_FDS];
    size_t  count;
    size_t  i;

    memset(&msg, 0, sizeof(msg));
    iov.iov_base = &byte;
    iov.iov_len = 1;
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control.buf;
    msg.msg_controllen = sizeof(control.buf);

    while ((n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC)) < 0 && errno == EINTR)
	 /* void */ ;
    if (n < 0)
	return -1;
    if (n == 0) {
	errno = ECONNRESET;
	return -1;
    }
    for (cmsg = CMSG_FIRSTHDR(&msg); cmsg; cmsg = CMSG_NXTHDR(&msg, cmsg)) {
	if (cmsg->cmsg_level != SOL_SOCKET || cmsg->cmsg_type != SCM_RIGHTS
	    || cmsg->cmsg_len < CMSG_LEN(0))
	    continue;
	count = (cmsg->cmsg_len - CMSG_LEN(0)) / sizeof(int);
	if (count > MAX_FDS)
	    count = MAX_FDS;
	memcpy(fds, CMSG_DATA(cmsg), count * sizeof(int));
	for (i = 0; i < count; i++) {
	    if (result < 0)
		result = fds[i];
	    else
		(void) close(fds[i]);
	}
    }
    if (result < 0)
	errno = EBADMSG;
    return result;
}
