/*
 * mkmap - build or update an indexed lookup table for postmap/postalias
 *
 * DESCRIPTION
 *	See mkmap.h. The temporary file, the lock and the rename are the
 *	drivers' business (dict_lmdb(3), dict_cdb(3)); this module picks
 *	the open mode, refuses types that cannot be built, and keeps
 *	signals from interrupting the build.
 */
#include "sys_defs.h"

#include <fcntl.h>
#include <signal.h>
#include <string.h>

#include "msg.h"
#include "excerpt.h"
#include "mymalloc.h"
#include "dict.h"
#include "mkmap.h"

struct MKMAP {
    DICT   *dict;
    sigset_t saved_mask;
};

/* mkmap_open - open a table for building or incremental update */
MKMAP  *mkmap_open(const char *type, const char *name, int open_flags,
		           int dict_flags)
{
    MKMAP  *mkmap;
    sigset_t block;
    int     type_flags;

    if ((type_flags = dict_type_flags(type)) < 0)
	msg_fatal("unsupported dictionary type: %s", excerpt(type));
    if (((type_flags & DICT_TYPE_FLAG_FILE) == 0 && strcmp(type, "fail") != 0)
	|| strcmp(type, "proxy") == 0)
	msg_fatal("unsupported dictionary type: %s does not support "
		  "bulk-mode creation.", type);
    mkmap = mymalloc(sizeof(*mkmap));
    sigemptyset(&block);
    sigaddset(&block, SIGHUP);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGQUIT);
    sigaddset(&block, SIGTERM);
    if (sigprocmask(SIG_BLOCK, &block, &mkmap->saved_mask) < 0)
	msg_fatal("mkmap_open: sigprocmask: %m");
    mkmap->dict = dict_open3(type, name, open_flags,
			     dict_flags | DICT_FLAG_BULK_UPDATE
			     | DICT_FLAG_OPEN_FATAL);
    return mkmap;
}

/* mkmap_append - add one entry */
int     mkmap_append(MKMAP *mkmap, const char *key, const char *value)
{
    DICT   *dict = mkmap->dict;
    int     status;

    status = dict_put(dict, key, value);
    if (status == DICT_STAT_ERROR && dict->error != DICT_ERR_CONFIG)
	msg_fatal("table %s:%s: write error", dict->type, dict->name);
    return status;
}

/* mkmap_dict - the table being written */
DICT   *mkmap_dict(MKMAP *mkmap)
{
    return mkmap->dict;
}

/* mkmap_close - commit the table and let signals through again */
void    mkmap_close(MKMAP *mkmap)
{
    dict_close(mkmap->dict);
    if (sigprocmask(SIG_SETMASK, &mkmap->saved_mask, (sigset_t *) 0) < 0)
	msg_fatal("mkmap_close: sigprocmask: %m");
    myfree(mkmap);
}
