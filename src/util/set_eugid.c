/*
 * set_eugid - switch the effective user and group for a while
 *
 * DESCRIPTION
 *	See set_eugid.h. The order matters: the group changes while the
 *	effective user is still root (afterwards it could not), and the
 *	user changes last.
 */
#include "sys_defs.h"

#include <errno.h>
#include <grp.h>
#include <unistd.h>

#include "msg.h"
#include "vstring.h"
#include "set_eugid.h"

/* set_eugid_try - switch effective ids, report failure */
bool    set_eugid_try(uid_t euid, gid_t egid, VSTRING *why)
{
    if (why == NULL)
	msg_panic("set_eugid_try: null error buffer");
    if (geteuid() == euid && getegid() == egid)
	return true;
    if (geteuid() != 0 && seteuid(0) < 0) {
	vstring_sprintf(why, "seteuid(0): %m");
	return false;
    }
    if (setgroups(1, &egid) < 0) {
	vstring_sprintf(why, "setgroups(%ld): %m", (long) egid);
	return false;
    }
    if (setegid(egid) < 0) {
	vstring_sprintf(why, "setegid(%ld): %m", (long) egid);
	return false;
    }
    if (euid != 0 && seteuid(euid) < 0) {
	vstring_sprintf(why, "seteuid(%ld): %m", (long) euid);
	return false;
    }
    if (msg_verbose > 1)
	msg_info("set_eugid: euid %ld egid %ld", (long) euid, (long) egid);
    return true;
}

/* set_eugid - switch effective ids or terminate */
void    set_eugid(uid_t euid, gid_t egid)
{
    VSTRING *why = vstring_alloc(100);

    if (!set_eugid_try(euid, egid, why))
	msg_fatal("%s", vstring_str(why));
    vstring_free(why);
}
