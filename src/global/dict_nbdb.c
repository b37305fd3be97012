/*
 * dict_nbdb - hash: and btree: tables, served by a non-Berkeley-DB type
 *
 * DESCRIPTION
 *	See dict_nbdb.h and docs/internals/non-bdb.md.
 */
#include "sys_defs.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "vstring.h"
#include "mail_params.h"
#include "dict.h"
#include "nbdb_proto.h"
#include "nbdb_redirect.h"
#include "nbdb_reindex.h"
#include "nbdb_safe.h"
#include "dict_nbdb.h"

static int dict_nbdb_mode = NBDB_CLIENT_COMMAND;

/* dict_nbdb_client - who rebuilds a missing file for this process */
void    dict_nbdb_client(int mode)
{
    if (mode != NBDB_CLIENT_COMMAND && mode != NBDB_CLIENT_DAEMON
	&& mode != NBDB_CLIENT_SERVICE)
	msg_panic("dict_nbdb_client: bad mode %d", mode);
    dict_nbdb_mode = mode;
}

/* dict_nbdb_command_may - root, or the owner of the legacy file */
static bool dict_nbdb_command_may(const char *name)
{
    uid_t   uid = getuid();
    char   *legacy;
    struct stat st;
    bool    may;

    if (uid != geteuid())
	return false;
    if (uid == 0)
	return true;
    legacy = concatenate(name, NBDB_LEGACY_SUFFIX, (char *) 0);
    may = lstat(legacy, &st) == 0 && st.st_uid == uid;
    myfree(legacy);
    return may;
}

/* dict_nbdb_rebuild - have the missing indexed file made, or say why not */
static bool dict_nbdb_rebuild(const char *type, const char *name, VSTRING *why)
{
    char   *table = concatenate(type, ":", name, (char *) 0);
    bool    ok = false;

    switch (dict_nbdb_mode) {
    case NBDB_CLIENT_DAEMON:
	ok = nbdb_proto_request(NBDB_SERVICE_CLASS "/" NBDB_SERVICE_NAME,
				table, VAR_TIME(ipc_timeout), why);
	break;
    case NBDB_CLIENT_COMMAND:
	if (dict_nbdb_command_may(name))
	    ok = nbdb_reindex_table(table, why) != NBDB_REINDEX_FAILED;
	else
	    vstring_sprintf(why, "only root or the owner of %s%s may "
			    "reindex it", name, NBDB_LEGACY_SUFFIX);
	break;
    default:
	vstring_sprintf(why, "%s does not open tables", NBDB_SERVICE_NAME);
	break;
    }
    myfree(table);
    return ok;
}

/* dict_nbdb_open - open a hash: or btree: table */
static DICT *dict_nbdb_open(const char *type, const char *name,
			            int open_flags, int dict_flags)
{
    VSTRING *why = vstring_alloc(100);
    VSTRING *reason = vstring_alloc(100);
    VSTRING *target = vstring_alloc(10);
    DICT   *dict = NULL;
    int     level;

    if ((level = nbdb_level(why)) < 0 || (level > NBDB_LEVEL_DISABLE
			&& !nbdb_redirect_target(type, target, why))) {
	dict = dict_surrogate(type, name, open_flags, dict_flags, "%s",
			      vstring_str(why));
    } else if (level == NBDB_LEVEL_DISABLE) {
	dict = dict_surrogate(type, name, open_flags, dict_flags,
			      "Berkeley DB support for '%s:%s' is not "
			      "available for this build; see https://"
			      "www.postfix.org/NON_BERKELEYDB_README.html "
			      "for alternatives", type, name);
    } else if ((open_flags & O_CREAT) == 0
	       && nbdb_redirect_missing(vstring_str(target), name)
	       && (level < NBDB_LEVEL_REINDEX
		   || !dict_nbdb_rebuild(type, name, reason))) {
	vstring_sprintf(why, "open database %s%s: No such file or directory",
			name, nbdb_redirect_suffix(vstring_str(target)));
	if (level == NBDB_LEVEL_REINDEX)
	    vstring_sprintf_append(why, "; not reindexed: %s",
				   vstring_str(reason));
	nbdb_redirect_hint(why, vstring_str(target), name);
	dict = dict_surrogate(type, name, open_flags, dict_flags, "%s",
			      vstring_str(why));
    }
    if (dict == NULL) {
	dict = dict_open3(vstring_str(target), name, open_flags, dict_flags);
	myfree(dict->type);
	dict->type = mystrdup(type);
    }
    vstring_free(why);
    vstring_free(reason);
    vstring_free(target);
    return dict;
}

/* dict_nbdb_hash_open - open a hash: table */
DICT   *dict_nbdb_hash_open(const char *name, int open_flags, int dict_flags)
{
    return dict_nbdb_open(DICT_TYPE_HASH, name, open_flags, dict_flags);
}

/* dict_nbdb_btree_open - open a btree: table */
DICT   *dict_nbdb_btree_open(const char *name, int open_flags, int dict_flags)
{
    return dict_nbdb_open(DICT_TYPE_BTREE, name, open_flags, dict_flags);
}
