/*
 * queue_scan - walk a queue directory and its hashed subdirectories
 *
 * SYNOPSIS
 *	See queue_scan.h.
 *
 * DESCRIPTION
 *	The directory entries of one level are read completely before
 *	any callback runs, so that a callback that renames a file into
 *	another place of the same tree neither confuses readdir() nor is
 *	called twice for that file within one level. The list of one
 *	level is bounded only by the directory itself.
 *
 * DIAGNOSTICS
 *	See queue_scan.h.
 */
#include "sys_defs.h"

#include <dirent.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "msg.h"
#include "mymalloc.h"
#include "argv.h"
#include "stringops.h"
#include "queue_id.h"
#include "queue_scan.h"

/* queue_scan_hash_name - is this a hash subdirectory name? */
bool    queue_scan_hash_name(const char *name)
{
    return (name[0] != 0 && name[1] == 0
	    && ((name[0] >= '0' && name[0] <= '9')
		|| (name[0] >= 'A' && name[0] <= 'Z')
		|| (name[0] >= 'a' && name[0] <= 'z')));
}

/* queue_scan_dir - walk one directory level */
static int queue_scan_dir(const char *queue, const char *path, int depth,
			          QUEUE_SCAN_FILE_FN file_fn,
			          QUEUE_SCAN_DIR_FN dir_fn, void *context)
{
    DIR    *dir;
    struct dirent *dp;
    ARGV   *files = argv_alloc(16);
    ARGV   *subdirs = argv_alloc(16);
    int     errors = 0;

    if ((dir = opendir(path)) == 0) {
	if (errno == ENOENT && depth == 0) {
	    argv_free(files);
	    argv_free(subdirs);
	    return (0);
	}
	msg_warn("open directory %s: %m", path);
	argv_free(files);
	argv_free(subdirs);
	return (1);
    }
    while ((dp = readdir(dir)) != 0) {
	struct stat st;
	char   *child;

	if (strcmp(dp->d_name, ".") == 0 || strcmp(dp->d_name, "..") == 0)
	    continue;
	child = concatenate(path, "/", dp->d_name, (char *) 0);
	if (lstat(child, &st) == 0 && S_ISDIR(st.st_mode)) {
	    if (depth < QUEUE_ID_HASH_MAX && queue_scan_hash_name(dp->d_name))
		argv_add(subdirs, dp->d_name, (char *) 0);
	} else {
	    /* Vanished or not a directory: the callback sorts it out. */
	    argv_add(files, dp->d_name, (char *) 0);
	}
	myfree(child);
    }
    closedir(dir);

    for (size_t i = 0; i < files->argc; i++) {
	char   *child = concatenate(path, "/", files->argv[i], (char *) 0);

	file_fn(queue, child, files->argv[i], depth, context);
	myfree(child);
    }
    for (size_t i = 0; i < subdirs->argc; i++) {
	char   *child = concatenate(path, "/", subdirs->argv[i], (char *) 0);

	errors += queue_scan_dir(queue, child, depth + 1, file_fn, dir_fn,
				 context);
	if (dir_fn)
	    dir_fn(queue, child, depth + 1, context);
	myfree(child);
    }
    argv_free(files);
    argv_free(subdirs);
    return (errors);
}

/* queue_scan - walk a queue and its hash subdirectories */
int     queue_scan(const char *queue, QUEUE_SCAN_FILE_FN file_fn,
		           QUEUE_SCAN_DIR_FN dir_fn, void *context)
{
    return (queue_scan_dir(queue, queue, 0, file_fn, dir_fn, context));
}
