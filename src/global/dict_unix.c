/*
 * dict_unix - the UNIX password and group databases as lookup tables
 *
 * DESCRIPTION
 *	See dict_unix.h. The reentrant lookup functions need a scratch
 *	buffer whose size the system suggests; it grows on ERANGE up to a
 *	fixed limit so that a broken NSS module cannot make us allocate
 *	without bound.
 */
#include "sys_defs.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <string.h>
#include <unistd.h>

#include "msg.h"
#include "excerpt.h"
#include "mymalloc.h"
#include "vstring.h"
#include "dict.h"
#include "dict_unix.h"

#define DICT_UNIX_BUF_MIN	1024
#define DICT_UNIX_BUF_MAX	(1024 * 1024)

typedef struct DICT_UNIX {
    DICT    dict;			/* generic members */
    VSTRING *result;			/* formatted entry */
    char   *scratch;			/* for getpwnam_r/getgrnam_r */
    size_t  scratch_len;
} DICT_UNIX;

/* dict_unix_scratch - (re)size the scratch buffer; false when too big */
static bool dict_unix_scratch(DICT_UNIX *dict_unix, size_t len)
{
    if (len > DICT_UNIX_BUF_MAX)
	return false;
    if (len > dict_unix->scratch_len) {
	dict_unix->scratch = myrealloc(dict_unix->scratch, len);
	dict_unix->scratch_len = len;
    }
    return true;
}

/* dict_unix_getpwnam - look up a password file entry */
static const char *dict_unix_getpwnam(DICT *dict, const char *key)
{
    DICT_UNIX *dict_unix = (DICT_UNIX *) dict;
    struct passwd pwbuf;
    struct passwd *pwd;
    int     err;

    for (;;) {
	err = getpwnam_r(key, &pwbuf, dict_unix->scratch,
			 dict_unix->scratch_len, &pwd);
	if (err != ERANGE
	    || !dict_unix_scratch(dict_unix, 2 * dict_unix->scratch_len))
	    break;
    }
    if (err != 0 && err != ENOENT && err != ESRCH && err != EBADF
	&& err != EPERM) {
	msg_warn("cannot access UNIX password database: %s", strerror(err));
	dict->error = DICT_ERR_RETRY;
	return NULL;
    }
    if (err != 0 || pwd == NULL)
	return NULL;
    vstring_sprintf(dict_unix->result, "%s:%s:%ld:%ld:%s:%s:%s",
		    pwd->pw_name, pwd->pw_passwd, (long) pwd->pw_uid,
		    (long) pwd->pw_gid, pwd->pw_gecos, pwd->pw_dir,
		    pwd->pw_shell);
    return vstring_str(dict_unix->result);
}

/* dict_unix_getgrnam - look up a group file entry */
static const char *dict_unix_getgrnam(DICT *dict, const char *key)
{
    DICT_UNIX *dict_unix = (DICT_UNIX *) dict;
    struct group grbuf;
    struct group *grp;
    char  **cpp;
    int     err;

    for (;;) {
	err = getgrnam_r(key, &grbuf, dict_unix->scratch,
			 dict_unix->scratch_len, &grp);
	if (err != ERANGE
	    || !dict_unix_scratch(dict_unix, 2 * dict_unix->scratch_len))
	    break;
    }
    if (err != 0 && err != ENOENT && err != ESRCH && err != EBADF
	&& err != EPERM) {
	msg_warn("cannot access UNIX group database: %s", strerror(err));
	dict->error = DICT_ERR_RETRY;
	return NULL;
    }
    if (err != 0 || grp == NULL)
	return NULL;
    vstring_sprintf(dict_unix->result, "%s:%s:%ld:", grp->gr_name,
		    grp->gr_passwd, (long) grp->gr_gid);
    for (cpp = grp->gr_mem; *cpp; cpp++) {
	if (cpp != grp->gr_mem)
	    VSTRING_ADDCH(dict_unix->result, ',');
	vstring_strcat(dict_unix->result, *cpp);
    }
    VSTRING_TERMINATE(dict_unix->result);
    return vstring_str(dict_unix->result);
}

/* dict_unix_close - destroy the table */
static void dict_unix_close(DICT *dict)
{
    DICT_UNIX *dict_unix = (DICT_UNIX *) dict;

    vstring_free(dict_unix->result);
    myfree(dict_unix->scratch);
    dict_free(dict);
}

/* dict_unix_open - select the password or group table */
DICT   *dict_unix_open(const char *name, int open_flags, int dict_flags)
{
    static const struct {
	const char *name;
	const char *(*lookup) (DICT *, const char *);
    } tables[] = {
	{"passwd.byname", dict_unix_getpwnam},
	{"group.byname", dict_unix_getgrnam},
    };
    DICT_UNIX *dict_unix;
    size_t  n;
    long    hint;

    for (n = 0; n < ARRAY_LEN(tables); n++)
	if (strcmp(name, tables[n].name) == 0)
	    break;
    if (n == ARRAY_LEN(tables))
	return dict_surrogate(DICT_TYPE_UNIX, name, open_flags, dict_flags,
			      "unknown table: %s:%s", DICT_TYPE_UNIX, excerpt(name));
    dict_unix = (DICT_UNIX *) dict_alloc(DICT_TYPE_UNIX, name,
					 sizeof(*dict_unix));
    dict_unix->dict.open_flags = open_flags;
    dict_unix->dict.flags = dict_flags | DICT_FLAG_FIXED;
    dict_unix->dict.lookup = tables[n].lookup;
    dict_unix->dict.close = dict_unix_close;
    dict_unix->result = vstring_alloc(100);
    dict_unix->scratch = NULL;
    dict_unix->scratch_len = 0;
    hint = sysconf(tables[n].lookup == dict_unix_getpwnam ?
		   _SC_GETPW_R_SIZE_MAX : _SC_GETGR_R_SIZE_MAX);
    (void) dict_unix_scratch(dict_unix, hint > DICT_UNIX_BUF_MIN
			     && hint <= DICT_UNIX_BUF_MAX ?
			     (size_t) hint : DICT_UNIX_BUF_MIN);
    return &dict_unix->dict;
}
