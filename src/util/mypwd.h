/*
 * mypwd - password file lookups that return private copies
 *
 * SYNOPSIS
 *	#include "mypwd.h"
 *
 *	typedef struct MYPWD {
 *	    char   *pw_name;
 *	    uid_t   pw_uid;
 *	    gid_t   pw_gid;
 *	    char   *pw_dir;
 *	    char   *pw_shell;
 *	} MYPWD;
 *
 *	int	mypwnam_err(const char *name, MYPWD **result);
 *	int	mypwuid_err(uid_t uid, MYPWD **result);
 *	MYPWD	*mypwnam(const char *name);
 *	MYPWD	*mypwuid(uid_t uid);
 *	void	mypwfree(MYPWD *pwd);
 *
 * DESCRIPTION
 *	These wrap getpwnam_r() and getpwuid_r(). Each result is a private
 *	copy that later lookups do not overwrite; free it with mypwfree()
 *	(which accepts NULL).
 *
 *	mypwnam_err() and mypwuid_err() return 0 with *result set to the
 *	entry, or to NULL when there is no such user; on a lookup failure
 *	(unreachable NSS server, for example) they return the errno value
 *	and set *result to NULL. mypwnam() and mypwuid() return the entry,
 *	or NULL with errno set (0 when there is no such user).
 *
 *	This module does not cache results and does not look up groups.
 */
#ifndef MYPWD_H
#define MYPWD_H

#include "sys_defs.h"

typedef struct MYPWD {
    char   *pw_name;
    uid_t   pw_uid;
    gid_t   pw_gid;
    char   *pw_dir;
    char   *pw_shell;
} MYPWD;

extern int mypwnam_err(const char *name, MYPWD **result);
extern int mypwuid_err(uid_t uid, MYPWD **result);
extern MYPWD *mypwnam(const char *name);
extern MYPWD *mypwuid(uid_t uid);
extern void mypwfree(MYPWD *pwd);

#endif
