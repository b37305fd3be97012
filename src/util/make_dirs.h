/*
 * make_dirs - create a directory and its missing parents
 *
 * SYNOPSIS
 *	#include "make_dirs.h"
 *
 *	int	make_dirs(const char *path, mode_t perms);
 *
 * DESCRIPTION
 *	make_dirs() creates every missing directory of path, like
 *	"mkdir -p". Each directory that it creates gets exactly the
 *	permissions perms (it is chmod()ed after mkdir(), so the umask does
 *	not apply); existing directories are left alone. Existing
 *	components may be symbolic links to directories. Redundant slashes
 *	are allowed. The result is 0 when path is a directory at the end
 *	(also when it already existed), -1 otherwise with errno set:
 *	ENOTDIR when a component exists and is not a directory, or the
 *	error of mkdir(), stat() or chmod().
 *
 *	A directory that another process creates meanwhile is accepted.
 *	This module does not change ownership.
 */
#ifndef MAKE_DIRS_H
#define MAKE_DIRS_H

#include "sys_defs.h"
#include <sys/stat.h>

extern int make_dirs(const char *path, mode_t perms);

#endif
