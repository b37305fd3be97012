/*
 * sane_connect - connect(2) without the surprises
 *
 * DESCRIPTION
 *	See sane_connect.h.
 */
#include "sys_defs.h"

#include <errno.h>
#include <poll.h>
#include <sys/socket.h>

#include "sane_connect.h"

/* sane_connect - connect, finishing an interrupted connect properly */
int     sane_connect(int sock, const struct sockaddr *sa, socklen_t len)
{
    struct pollfd pfd;
    int     type;
    int     on = 1;
    int     err;
    socklen_t optlen = sizeof(type);

    if ((sa->sa_family == AF_INET || sa->sa_family == AF_INET6)
	&& getsockopt(sock, SOL_SOCKET, SO_TYPE, &type, &optlen) == 0
	&& type == SOCK_STREAM)
	(void) setsockopt(sock, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof(on));
    if (connect(sock, sa, len) == 0)
	return 0;
    if (errno != EINTR)
	return -1;

    /* A local connect is all or nothing: just try again. */
    if (sa->sa_family == AF_UNIX) {
	while (connect(sock, sa, len) < 0)
	    if (errno != EINTR)
		return -1;
	return 0;
    }

    /* The connection attempt goes on; wait for its outcome. */
    for (;;) {
	pfd.fd = sock;
	pfd.events = POLLOUT;
	pfd.revents = 0;
	if (poll(&pfd, 1, -1) >= 0)
	    break;
	if (errno != EINTR)
	    return -1;
    }
    optlen = sizeof(err);
    if (getsockopt(sock, SOL_SOCKET, SO_ERROR, &err, &optlen) < 0)
	return -1;
    if (err != 0) {
	errno = err;
	return -1;
    }
    return 0;
}
