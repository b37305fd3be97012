/*
 * mail_flow - mail flow-control tokens shared by all daemons
 *
 * DESCRIPTION
 *	See mail_flow.h. Tokens are 'T' bytes; their value does not matter.
 */
#include "sys_defs.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "msg.h"
#include "iostuff.h"
#include "master_proto.h"
#include "mail_flow.h"

#define MAIL_FLOW_CHUNK	1024

/* mail_flow_get - take count tokens */
ssize_t mail_flow_get(ssize_t count)
{
    char    buf[MAIL_FLOW_CHUNK];
    ssize_t left;
    ssize_t n;

    if (count <= 0)
	msg_panic("mail_flow_get: bad count %ld", (long) count);
    if (mail_flow_count() < count)
	return -1;
    for (left = count; left > 0; left -= n) {
	n = read(MASTER_FLOW_READ, buf,
		 left > (ssize_t) sizeof(buf) ? sizeof(buf) : (size_t) left);
	if (n <= 0) {
	    if (n < 0 && errno == EINTR) {
		n = 0;
		continue;
	    }
	    return -1;
	}
    }
    if (msg_verbose)
	msg_info("mail_flow_get: %ld tokens", (long) count);
    return count;
}

/* mail_flow_put - add count tokens */
ssize_t mail_flow_put(ssize_t count)
{
    char    buf[MAIL_FLOW_CHUNK];
    ssize_t left;
    ssize_t n;

    if (count <= 0)
	msg_panic("mail_flow_put: bad count %ld", (long) count);
    memset(buf, 'T', sizeof(buf));
    for (left = count; left > 0; left -= n) {
	n = write(MASTER_FLOW_WRITE, buf,
		  left > (ssize_t) sizeof(buf) ? sizeof(buf) : (size_t) left);
	if (n <= 0) {
	    if (n < 0 && errno == EINTR) {
		n = 0;
		continue;
	    }
	    return -1;
	}
    }
    if (msg_verbose)
	msg_info("mail_flow_put: %ld tokens", (long) count);
    return count;
}

/* mail_flow_count - tokens available */
ssize_t mail_flow_count(void)
{
    return peekfd(MASTER_FLOW_READ);
}
