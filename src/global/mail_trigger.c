/*
 * mail_trigger - wake up a service in the queue directory
 *
 * DESCRIPTION
 *	See mail_trigger.h. The file type is looked up with stat() each
 *	time, because master.cf may change a service from a FIFO to a
 *	socket (postfix reload). A FIFO that nobody reads (the service is
 *	not running) fails at once with ENXIO instead of blocking, and a
 *	socket without a listener fails with ECONNREFUSED; either way the
 *	sender only loses the wake-up (qmgr scans incoming/ on its own).
 */
#include "sys_defs.h"

#include <errno.h>
#include <sys/stat.h>

#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "excerpt.h"
#include "trigger.h"
#include "mail_params.h"
#include "mail_endpoint.h"
#include "mail_trigger.h"

/* mail_trigger_send_failed - report a failed send as flags say */
static void mail_trigger_send_failed(const char *path, int flags)
{
    if ((flags & MAIL_TRIGGER_FLAG_CALLER_REPORTS) == 0)
	msg_warn("unable to trigger %s: %m", excerpt(path));
    else if (msg_verbose)
	msg_info("trigger %s: %m", excerpt(path));
}

/* mail_trigger_flags - send request to class/service; 0 or -1 */
int     mail_trigger_flags(const char *class, const char *service,
			           const char *request, size_t len, int flags)
{
    char   *endpoint = concatenate(class, "/", service, (char *) 0);
    char   *path = mail_endpoint_path(endpoint);
    int     timeout = VAR_TIME(trigger_timeout);
    struct stat st;
    int     status;

    if (stat(path, &st) < 0) {
	msg_warn("unable to look up %s: %m", excerpt(path));
	status = -1;
    } else if (S_ISFIFO(st.st_mode)) {
	if ((status = fifo_trigger(path, request, len, timeout)) < 0)
	    mail_trigger_send_failed(path, flags);
    } else if (S_ISSOCK(st.st_mode)) {
	if ((status = unix_trigger(path, request, len, timeout)) < 0)
	    mail_trigger_send_failed(path, flags);
    } else {
	msg_warn("%s is not a socket or a fifo", excerpt(path));
	status = -1;
    }
    if (status == 0 && msg_verbose
	&& (flags & MAIL_TRIGGER_FLAG_CALLER_REPORTS) == 0)
	msg_info("mail_trigger: sent %zu bytes to %s", len, excerpt(path));
    myfree(endpoint);
    myfree(path);
    return status;
}

/* mail_trigger - send request to class/service; 0 or -1 after a warning */
int     mail_trigger(const char *class, const char *service,
		             const char *request, size_t len)
{
    return mail_trigger_flags(class, service, request, len, 0);
}
