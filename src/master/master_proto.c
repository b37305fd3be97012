/*
 * master_proto - the protocol between master(8) and the daemons it runs
 *
 * DESCRIPTION
 *	See master_proto.h. Status records are fixed-size structures in
 *	host byte order: both ends run on the same machine, from the
 *	same build.
 */
#include "sys_defs.h"

#include <errno.h>
#include <limits.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "master_proto.h"

static const char *const master_xport_names[] = {
    [MASTER_XPORT_INET] = MASTER_XPORT_NAME_INET,
    [MASTER_XPORT_UNIX] = MASTER_XPORT_NAME_UNIX,
    [MASTER_XPORT_UNIX_DGRAM] = MASTER_XPORT_NAME_UNIX_DGRAM,
    [MASTER_XPORT_FIFO] = MASTER_XPORT_NAME_FIFO,
    [MASTER_XPORT_PASS] = MASTER_XPORT_NAME_PASS,
};

/* master_notify - tell the master whether this process is busy */
int     master_notify(int pid, unsigned generation, int avail)
{
    MASTER_STATUS status;
    ssize_t n;

    memset(&status, 0, sizeof(status));
    status.pid = pid;
    status.gen = generation;
    status.avail = avail;
    do {
	n = send(MASTER_STATUS_FD, &status, sizeof(status), MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
    if (n < 0 && errno == ENOTSOCK)
	n = write(MASTER_STATUS_FD, &status, sizeof(status));
    if (n != (ssize_t) sizeof(status)) {
	if (n >= 0)
	    errno = EPIPE;
	return -1;
    }
    return 0;
}

/* master_generation_parse - octal GENERATION text to a number */
bool    master_generation_parse(const char *text, unsigned *gen)
{
    unsigned long value = 0;
    const char *cp;

    if (*text == 0)
	return false;
    for (cp = text; *cp; cp++) {
	if (*cp < '0' || *cp > '7')
	    return false;
	value = value * 8 + (unsigned long) (*cp - '0');
	if (value > UINT_MAX)
	    return false;
    }
    *gen = (unsigned) value;
    return true;
}

/* master_xport_code - service type name to code */
int     master_xport_code(const char *name)
{
    size_t  n;

    for (n = 0; n < ARRAY_LEN(master_xport_names); n++)
	if (strcmp(name, master_xport_names[n]) == 0)
	    return (int) n;
    return -1;
}

/* master_xport_name - service type code to name */
const char *master_xport_name(int code)
{
    if (code < 0 || (size_t) code >= ARRAY_LEN(master_xport_names))
	return NULL;
    return master_xport_names[code];
}
