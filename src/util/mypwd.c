/*
 * mypwd - password file lookups that return private copies
 *
 * DESCRIPTION
 *	See mypwd.h. The reentrant lookups need a scratch buffer; it starts
 *	at the size that sysconf() suggests and doubles on ERANGE, up to a
 *	fixed limit.
 */
#include "sys_defs.h"

#include <errno.h>
#include <pwd.h>
#include <unistd.h>

#include "mymalloc.h"
#include "mypwd.h"

#define MYPWD_BUF_MIN	1024
#define MYPWD_BUF_MAX	(1024 * 1024)

/* mypwd_copy - make a private copy of a passwd entry */
static MYPWD *mypwd_copy(const struct passwd *pw)
{
    MYPWD  *pwd = mymalloc(sizeof(*pwd));

    pwd->pw_name = mystrdup(pw->pw_name ? pw->pw_name : "");
    pwd->pw_uid = pw->pw_uid;
    pwd->pw_gid = pw->pw_gid;
    pwd->pw_dir = mystrdup(pw->pw_dir ? pw->pw_dir : "");
    pwd->pw_shell = mystrdup(pw->pw_shell ? pw->pw_shell : "");
    return pwd;
}

/* mypwd_lookup - look up by name (when name != NULL) or by uid */
static int mypwd_lookup(const char *name, uid_t uid, MYPWD **result)
{
    struct passwd pwbuf;
    struct passwd *pw;
    long    hint = sysconf(_SC_GETPW_R_SIZE_MAX);
    size_t  size = hint > MYPWD_BUF_MIN ? (size_t) hint : MYPWD_BUF_MIN;
    char   *buf;
    int     err;

    *result = NULL;
    for (;;) {
	buf = mymalloc(size);
	pw = NULL;
	err = name ? getpwnam_r(name, &pwbuf, buf, size, &pw) :
	    getpwuid_r(uid, &pwbuf, buf, size, &pw);
	if (err != ERANGE || size >= MYPWD_BUF_MAX)
	    break;
	myfree(buf);
	size *= 2;
    }
    if (err == 0 && pw != NULL)
	*result = mypwd_copy(pw);
    myfree(buf);

    /*
     * "Not found" is reported in different ways by different NSS
     * modules; these mean that the entry does not exist.
     */
    if (err == ENOENT || err == ESRCH || err == EBADF || err == EPERM)
	err = 0;
    return err;
}

/* mypwnam_err - look up a user by name */
int     mypwnam_err(const char *name, MYPWD **result)
{
    return mypwd_lookup(name, 0, result);
}

/* mypwuid_err - look up a user by uid */
int     mypwuid_err(uid_t uid, MYPWD **result)
{
    return mypwd_lookup(NULL, uid, result);
}

/* mypwnam - look up a user by name; NULL with errno */
MYPWD  *mypwnam(const char *name)
{
    MYPWD  *pwd;

    errno = mypwnam_err(name, &pwd);
    return pwd;
}

/* mypwuid - look up a user by uid; NULL with errno */
MYPWD  *mypwuid(uid_t uid)
{
    MYPWD  *pwd;

    errno = mypwuid_err(uid, &pwd);
    return pwd;
}

/* mypwfree - release a private entry */
void    mypwfree(MYPWD *pwd)
{
    if (pwd == NULL)
	return;
    myfree(pwd->pw_name);
    myfree(pwd->pw_dir);
    myfree(pwd->pw_shell);
    myfree(pwd);
}
