/*
 * set_ugid - switch to an unprivileged user and group for good
 *
 * DESCRIPTION
 *	See set_ugid.h. setresgid() and setresuid() set the saved ids too,
 *	so that a later seteuid() cannot bring back the old identity. The
 *	group must change before the user: after the user id is gone, the
 *	process may no longer change its groups.
 */
#include "sys_defs.h"

#include <errno.h>
#include <grp.h>
#include <unistd.h>

#include "msg.h"
#include "vstring.h"
#include "set_ugid.h"

/* set_ugid_try - switch ids, report failure */
bool    set_ugid_try(uid_t uid, gid_t gid, int flags, VSTRING *why)
{
    bool    was_root = (geteuid() == 0);
    uid_t   ruid, euid, suid;
    gid_t   rgid, egid, sgid;

    if (why == NULL)
	msg_panic("set_ugid_try: null error buffer");
    if (uid == 0) {
	vstring_strcpy(why, "refusing to switch to user id 0");
	return false;
    }
    if (gid == 0) {
	vstring_strcpy(why, "refusing to switch to group id 0");
	return false;
    }
    if (was_root && (flags & SET_UGID_FLAG_KEEP_GROUPS) == 0
	&& setgroups(1, &gid) < 0) {
	vstring_sprintf(why, "setgroups(%ld): %m", (long) gid);
	return false;
    }
    if (setresgid(gid, gid, gid) < 0) {
	vstring_sprintf(why, "setgid(%ld): %m", (long) gid);
	return false;
    }
    if (setresuid(uid, uid, uid) < 0) {
	vstring_sprintf(why, "setuid(%ld): %m", (long) uid);
	return false;
    }
    if (getresuid(&ruid, &euid, &suid) < 0
	|| ruid != uid || euid != uid || suid != uid) {
	vstring_sprintf(why, "user id did not change to %ld", (long) uid);
	return false;
    }
    if (getresgid(&rgid, &egid, &sgid) < 0
	|| rgid != gid || egid != gid || sgid != gid) {
	vstring_sprintf(why, "group id did not change to %ld", (long) gid);
	return false;
    }
    if (was_root && (setuid(0) == 0 || seteuid(0) == 0)) {
	vstring_sprintf(why, "root privileges can be regained after switching"
			" to user id %ld", (long) uid);
	return false;
    }
    if (msg_verbose)
	msg_info("set_ugid: uid %ld gid %ld", (long) uid, (long) gid);
    return true;
}

/* set_ugid - switch ids or terminate */
void    set_ugid(uid_t uid, gid_t gid)
{
    VSTRING *why = vstring_alloc(100);

    if (!set_ugid_try(uid, gid, SET_UGID_FLAG_NONE, why))
	msg_fatal("%s", vstring_str(why));
    vstring_free(why);
}
