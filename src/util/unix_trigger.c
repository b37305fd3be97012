/*
 * unix_trigger - wake up an AF_UNIX stream server
 *
 * DESCRIPTION
 *	See trigger.h.
 */
#include "sys_defs.h"

#include <errno.h>
#include <unistd.h>

#include "iostuff.h"
#include "connect.h"
#include "trigger.h"

/* unix_trigger - connect, send, hang up */
int     unix_trigger(const char *path, const char *buf, size_t len,
		             int timeout)
{
    return trigger_send_close(unix_connect(path, BLOCKING, timeout), buf, len, timeout);
}
