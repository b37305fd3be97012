/*
 * attr_call - one request to an attribute-list service on a new connection
 *
 * DESCRIPTION
 *	See attr_call.h.
 */
#include "sys_defs.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>

#include "connect.h"
#include "iostuff.h"
#include "vstream.h"
#include "vstring.h"
#include "mail_params.h"
#include "attr_list.h"
#include "attr_call.h"

/* attr_call - connect, expect the greeting, send, read the reply */
bool    attr_call(const char *path, const char *name, const char *protocol,
		          const ATTR_LIST *request, ATTR_LIST *reply,
		          VSTRING *why)
{
    int     timeout = (int) VAR_TIME(ipc_timeout);
    VSTREAM *fp;
    int     fd;
    bool    ok = false;

    if ((fd = unix_connect(path, BLOCKING, timeout)) < 0) {
	vstring_sprintf(why, "connect to %s: %s", name, strerror(errno));
	return (false);
    }
    fp = vstream_fdopen(fd, O_RDWR);
    vstream_set_path(fp, path);
    vstream_set_timeout(fp, timeout);
    vstream_start_deadline(fp);
    attr_list_clear(reply);
    if (!attr_proto_expect(fp, protocol, reply, why)) {
	/* why says what was wrong with the greeting */
    } else if (!attr_list_write(fp, request) || vstream_fflush(fp) != 0) {
	vstring_strcpy(why, vstream_ftimeout(fp) ? "timeout" : "write error");
    } else {
	attr_list_clear(reply);
	ok = attr_list_read(fp, reply, NULL, why);
    }
    (void) vstream_fclose(fp);
    return (ok);
}
