/*
 * sane_accept - accept(2) without the surprises
 *
 * DESCRIPTION
 *	See sane_accept.h. The list of per-client errors follows the
 *	advice in the Linux accept(2) manual page.
 */
#include "sys_defs.h"

#include <errno.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "sane_accept.h"

static const int sane_accept_transient[] = {
    ECONNABORTED, ECONNRESET, EPROTO, ENETDOWN, ENOPROTOOPT, EHOSTDOWN,
    ENONET, EHOSTUNREACH, EOPNOTSUPP, ENETUNREACH, ETIMEDOUT,
};

/* sane_accept - accept, retrying signals and hiding per-client errors */
int     sane_accept(int sock, struct sockaddr *sa, socklen_t *len)
{
    struct sockaddr_storage local_ss;
    socklen_t local_len = sizeof(local_ss);
    int     fd;
    int     on = 1;
    size_t  n;

    if (sa == NULL || len == NULL) {
	sa = (struct sockaddr *) &local_ss;
	len = &local_len;
    }
    for (;;) {
	if ((fd = accept4(sock, sa, len, SOCK_CLOEXEC)) >= 0)
	    break;
	if (errno == EINTR)
	    continue;
	for (n = 0; n < ARRAY_LEN(sane_accept_transient); n++) {
	    if (errno == sane_accept_transient[n]) {
		errno = EAGAIN;
		break;
	    }
	}
	return -1;
    }
    if (sa->sa_family == AF_INET || sa->sa_family == AF_INET6)
	(void) setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof(on));
    return fd;
}
