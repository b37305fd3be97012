/*
 * unix_listen - listen on an AF_UNIX stream socket
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
#include "listen.h"

/* unix_listen_fail - report, clean up, keep errno */
static int unix_listen_fail(int sock, VSTRING *why, const char *what,
			            const char *path)
{
    int     saved_errno = errno;

    if (why != NULL)
	vstring_sprintf(why, "%s %s: %s", what, path, strerror(saved_errno));
    if (sock >= 0)
	(void) close(sock);
    errno = saved_errno;
    return -1;
}

/* unix_bind_socket - AF_UNIX socket of the given type bound at path */
int     unix_bind_socket(int socktype, const char *path, VSTRING *why)
{
    struct sockaddr_un sun;
    int     sock;

    if (strlen(path) >= sizeof(sun.sun_path)) {
	errno = ENAMETOOLONG;
	return unix_listen_fail(-1, why, "bind", path);
    }
    memset(&sun, 0, sizeof(sun));
    sun.sun_family = AF_UNIX;
    memcpy(sun.sun_path, path, strlen(path) + 1);
    if ((sock = socket(AF_UNIX, socktype | SOCK_CLOEXEC, 0)) < 0)
	return unix_listen_fail(-1, why, "socket", path);
    if (unlink(path) < 0 && errno != ENOENT)
	return unix_listen_fail(sock, why, "remove old", path);
    if (bind(sock, (struct sockaddr *) &sun, sizeof(sun)) < 0)
	return unix_listen_fail(sock, why, "bind", path);
    if (chmod(path, 0666) < 0)
	return unix_listen_fail(sock, why, "chmod", path);
    return sock;
}

/* unix_listen - AF_UNIX stream listener at path */
int     unix_listen(const char *path, int backlog, int block_mode, VSTRING *why)
{
    int     sock;

    if ((sock = unix_bind_socket(SOCK_STREAM, path, why)) < 0)
	return -1;
    if (listen(sock, backlog) < 0)
	return unix_listen_fail(sock, why, "listen", path);
    if (non_blocking(sock, block_mode) < 0)
	return unix_listen_fail(sock, why, "set blocking mode", path);
    return sock;
}
