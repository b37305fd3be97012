/*
 * chroot_uid - change the root directory, then become a named user
 *
 * DESCRIPTION
 *	See chroot_uid.h.
 */
#include "sys_defs.h"

#include <errno.h>
#include <grp.h>
#include <unistd.h>

#include "msg.h"
#include "excerpt.h"
#include "vstring.h"
#include "mypwd.h"
#include "set_ugid.h"
#include "chroot_uid.h"

/* chroot_uid_try - chroot and/or switch user, report failure */
bool    chroot_uid_try(const char *root_dir, const char *user_name,
		               VSTRING *why)
{
    MYPWD  *pwd = NULL;
    int     err;
    int     flags = SET_UGID_FLAG_NONE;
    bool    ok = false;

    if (why == NULL)
	msg_panic("chroot_uid_try: null error buffer");
    if (user_name != NULL) {
	if ((err = mypwnam_err(user_name, &pwd)) != 0) {
	    errno = err;
	    vstring_sprintf(why, "lookup user %s: %m", excerpt(user_name));
	    return false;
	}
	if (pwd == NULL) {
	    vstring_sprintf(why, "unknown user: %s", excerpt(user_name));
	    return false;
	}
	/* initgroups() reads the group file: do it before chroot(). */
	if (geteuid() == 0 && pwd->pw_uid != 0 && pwd->pw_gid != 0) {
	    if (initgroups(pwd->pw_name, pwd->pw_gid) < 0) {
		vstring_sprintf(why, "initgroups(%s): %m", excerpt(user_name));
		goto done;
	    }
	    flags |= SET_UGID_FLAG_KEEP_GROUPS;
	}
    }
    if (root_dir != NULL) {
	if (chroot(root_dir) < 0) {
	    vstring_sprintf(why, "chroot(%s): %m", root_dir);
	    goto done;
	}
	if (chdir("/") < 0) {
	    vstring_sprintf(why, "chdir(/): %m");
	    goto done;
	}
    }
    if (pwd != NULL && !set_ugid_try(pwd->pw_uid, pwd->pw_gid, flags, why))
	goto done;
    ok = true;

done:
    mypwfree(pwd);
    return ok;
}

/* chroot_uid - chroot and/or switch user or terminate */
void    chroot_uid(const char *root_dir, const char *user_name)
{
    VSTRING *why = vstring_alloc(100);

    if (!chroot_uid_try(root_dir, user_name, why))
	msg_fatal("%s", vstring_str(why));
    vstring_free(why);
}
