/*
 * unix_send_fd - send a file descriptor over an AF_UNIX socket
 *
 * DESCRIPTION
 *	See iostuff.h. The descriptor travels as SCM_RIGHTS ancillary
 *	data with one byte of ordinary data, because some systems drop
 *	ancillary data that comes without any.
 */
#include "sys_defs.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "iostuff.h"

/* unix_send_fd - pass a descriptor to the peer */
int     unix_send_fd(int sock, int fd)
{
    union {
	struct cmsghdr align;
	char    buf[CMSG_SPACE(sizeof(int))];
    }       control;
    struct msghdr msg;
    struct cmsghdr *cmsg;
    struct iovec iov;
    char    byte = 0;
    ssize_t n;

    memset(&msg, 0, sizeof(msg));
    memset(&control, 0, sizeof(control));
    iov.iov_base = &byte;
    iov.iov_len = 1;
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control.buf;
    msg.msg_controllen = sizeof(control.buf);
    cmsg = CMSG_FIRSTHDR(&msg);
    cmsg->cmsg_level = SOL_SOCKET;
    cmsg->cmsg_type = SCM_RIGHTS;
    cmsg->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));

    while ((n = sendmsg(sock, &msg, MSG_NOSIGNAL)) < 0 && errno == EINTR)
	 /* void */ ;
    return n == 1 ? 0 : -1;
}
