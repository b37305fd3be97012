/*
 * inet_trigger - wake up a TCP server
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

/* inet_trigger - connect, send, hang up */
int     inet_trigger(const char *addr, const char *buf, size_t len,
		             int timeout)
{
    return trigger_send_close(inet_connect(addr, BLOCKING, timeout), buf, len, timeout);
}
