/*
 * open_std_fds - make sure descriptors 0, 1 and 2 are open
 *
 * DESCRIPTION
 *	See open_std_fds.h.
 */
#include "sys_defs.h"

#include <errno.h>
#include <fcntl.h>

#include "msg.h"
#include "open_std_fds.h"

/* open_std_fds - open /dev/null on closed standard descriptors */
void    open_std_fds(void)
{
    int     fd;

    for (fd = 0; fd < 3; fd++) {
	if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
	    continue;
	/* The lowest free number is fd, since 0 .. fd-1 are open. */
	if (open("/dev/null", O_RDWR) != fd)
	    msg_fatal("open /dev/null: %m");
    }
}
