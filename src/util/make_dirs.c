/*
 * make_dirs - create a directory and its missing parents
 *
 * DESCRIPTION
 *	See make_dirs.h. The path is copied and walked from the start,
 *	terminating the copy after each component in turn.
 */
#include "sys_defs.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "mymalloc.h"
#include "make_dirs.h"

/* make_dirs_one - make sure one prefix of the path is a directory */
static int make_dirs_one(const char *dir, mode_t perms)
{
    struct stat st;

    if (stat(dir, &st) == 0) {
	if (!S_ISDIR(st.st_mode)) {
	    errno = ENOTDIR;
	    return -1;
	}
	return 0;
    }
    if (errno != ENOENT)
	return -1;
    if (mkdir(dir, perms) < 0) {
	if (errno != EEXIST)
	    return -1;
	/* Created meanwhile by someone else: check what it is. */
	if (stat(dir, &st) < 0)
	    return -1;
	if (!S_ISDIR(st.st_mode)) {
	    errno = ENOTDIR;
	    return -1;
	}
	return 0;
    }
    return chmod(dir, perms);
}

/* make_dirs - create a directory path with parents */
int     make_dirs(const char *path, mode_t perms)
{
    char   *copy = mystrdup(path);
    char   *cp = copy;
    int     status = 0;
    char    saved;
    int     err;

    if (*copy == 0) {
	myfree(copy);
	errno = ENOENT;
	return -1;
    }
    while (*cp == '/')
	cp++;
    while (*cp != 0) {
	cp += strcspn(cp, "/");
	saved = *cp;
	*cp = 0;
	status = make_dirs_one(copy, perms);
	*cp = saved;
	if (status < 0)
	    break;
	while (*cp == '/')
	    cp++;
    }
    err = errno;
    myfree(copy);
    errno = err;
    return status;
}
