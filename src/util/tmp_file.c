/*
 * tmp_file - an anonymous temporary file
 *
 * DESCRIPTION
 *	See tmp_file.h.
 */
#include "sys_defs.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "iostuff.h"
#include "mymalloc.h"
#include "stringops.h"
#include "tmp_file.h"

/* tmp_file_open - an unlinked, close-on-exec temporary file */
int     tmp_file_open(const char *prefix)
{
    char   *path = concatenate(P_tmpdir, "/", prefix, ".XXXXXX", (char *) 0);
    int     fd;

    if ((fd = mkstemp(path)) >= 0) {
	(void) unlink(path);
	(void) close_on_exec(fd, 1);
    }
    myfree(path);
    return (fd);
}
