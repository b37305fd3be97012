/*
 * command_user - the account that an external command runs as
 *
 * DESCRIPTION
 *	See command_user.h.
 */
#include "sys_defs.h"

#include <errno.h>
#include <grp.h>
#include <string.h>
#include <unistd.h>

#include "mymalloc.h"
#include "mypwd.h"
#include "vstring.h"
#include "command_user.h"

#define COMMAND_USER_GROUP_BUF_MIN	1024
#define COMMAND_USER_GROUP_BUF_MAX	(1024 * 1024)	/* huge member lists */

/* command_user_group - look up a group id by name; 0, ENOENT or errno */
static int command_user_group(const char *name, gid_t *gid)
{
    struct group grbuf;
    struct group *grp = NULL;
    size_t  size = COMMAND_USER_GROUP_BUF_MIN;
    char   *buf;
    int     err;

    for (;;) {
	buf = mymalloc(size);
	err = getgrnam_r(name, &grbuf, buf, size, &grp);
	if (err == ERANGE && size < COMMAND_USER_GROUP_BUF_MAX) {
	    myfree(buf);
	    size *= 2;
	    continue;
	}
	break;
    }
    if (err == 0 && grp == NULL)
	err = ENOENT;
    if (err == 0)
	*gid = grp->gr_gid;
    myfree(buf);
    return err;
}

/* command_user_resolve - "user[:group]" to ids, with the refusals */
bool    command_user_resolve(const char *spec, const char *mail_owner,
			             COMMAND_USER *result, VSTRING *why)
{
    const char *colon = strchr(spec, ':');
    char   *user_name = colon ? mystrndup(spec, colon - spec) : mystrdup(spec);
    const char *group_name = colon && colon[1] ? colon + 1 : NULL;
    MYPWD  *pwd = NULL;
    MYPWD  *owner = NULL;
    bool    ok = false;
    int     err;

    if ((err = mypwnam_err(user_name, &pwd)) != 0) {
	errno = err;
	vstring_sprintf(why, "cannot look up user %s: %m", user_name);
	goto done;
    }
    if (pwd == NULL) {
	vstring_sprintf(why, "unknown user name: %s", user_name);
	goto done;
    }
    result->uid = pwd->pw_uid;
    result->gid = pwd->pw_gid;
    if (group_name != NULL) {
	if ((err = command_user_group(group_name, &result->gid)) == ENOENT) {
	    vstring_sprintf(why, "unknown group name: %s", group_name);
	    goto done;
	} else if (err != 0) {
	    errno = err;
	    vstring_sprintf(why, "cannot look up group %s: %m", group_name);
	    goto done;
	}
    }
    if (result->uid == 0) {
	vstring_strcpy(why, "request to deliver as root");
	goto done;
    }
    if (mail_owner != NULL && mypwnam_err(mail_owner, &owner) == 0
	&& owner != NULL && owner->pw_uid == result->uid) {
	vstring_strcpy(why, "request to deliver as mail system owner");
	goto done;
    }
    if (result->gid == 0) {
	vstring_strcpy(why, "request to use privileged group id 0");
	goto done;
    }
    ok = true;

done:
    mypwfree(pwd);
    mypwfree(owner);
    myfree(user_name);
    return ok;
}
