/*
 * nbdb_reindex - rebuild the missing indexed file of a legacy hash: or btree: table
 *
 * DESCRIPTION
 *	See nbdb_reindex.h. This module runs the command; the decision
 *	whether it may is nbdb_safe(3)'s.
 */
#include "sys_defs.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "vstring.h"
#include "vstream.h"
#include "argv.h"
#include "safe_open.h"
#include "set_eugid.h"
#include "spawn_command.h"
#include "mail_params.h"
#include "nbdb_redirect.h"
#include "nbdb_safe.h"
#include "nbdb_sniff.h"
#include "nbdb_reindex.h"

#define NBDB_REINDEX_PATH	"PATH=/usr/bin:/bin:/usr/sbin:/sbin"

/* nbdb_reindex_is_aliases - read the source as its owner, and look */
static bool nbdb_reindex_is_aliases(const char *name,
				            const NBDB_SAFE_OWNER *owner,
				            bool *aliases, VSTRING *why)
{
    VSTRING *reason = vstring_alloc(100);
    bool    switched = false;
    struct stat st;
    VSTREAM *fp;
    bool    ok = false;

    if (geteuid() == 0 && owner->uid != 0) {
	if (!set_eugid_try(owner->uid, owner->gid, why)) {
	    vstring_free(reason);
	    return false;
	}
	switched = true;
    }
    if ((fp = safe_open(name, O_RDONLY, 0, &st, (uid_t) -1, (gid_t) -1,
			reason)) == NULL) {
	vstring_sprintf(why, "source file %s: %s", name, vstring_str(reason));
    } else if (st.st_dev != owner->source_dev || st.st_ino != owner->source_ino) {
	vstring_sprintf(why, "source file %s changed while it was checked",
			name);
    } else {
	*aliases = nbdb_sniff_stream(fp);
	ok = true;
    }
    if (fp != NULL)
	(void) vstream_fclose(fp);
    if (switched)
	set_eugid(getuid(), getgid());
    vstring_free(reason);
    return ok;
}

/* nbdb_reindex_run - run postmap or postalias as the owner */
static bool nbdb_reindex_run(const char *legacy_table, const char *program,
			             const char *target, const char *name,
			             const char *indexed,
			             const NBDB_SAFE_OWNER *owner, VSTRING *why)
{
    static const char *const keep_env[] = {"TZ", 0};
    char   *path = concatenate(VAR_STR(command_directory), "/", program,
			       (char *) 0);
    char   *config = concatenate("MAIL_CONFIG=", VAR_STR(config_directory),
				 (char *) 0);
    char   *table = concatenate(target, ":", name, (char *) 0);
    const char *argv[] = {path, "-c", VAR_STR(config_directory), table, 0};
    const char *env[] = {config, NBDB_REINDEX_PATH, 0};
    SPAWN_COMMAND request;
    SPAWN_STATUS status;
    struct stat st;
    int     null_fd;
    bool    ok = false;

    spawn_command_init(&request);
    request.argv = argv;
    request.export_list = keep_env;
    request.env = env;
    request.time_limit = VAR_TIME(command_time_limit);
    if (geteuid() == 0 && owner->uid != 0) {
	request.uid = owner->uid;
	request.gid = owner->gid;
    }
    if ((null_fd = open("/dev/null", O_RDWR | O_CLOEXEC)) < 0) {
	vstring_sprintf(why, "open /dev/null: %m");
	goto done;
    }
    request.stdin_fd = request.stdout_fd = null_fd;
    msg_info("%s: running \"%s %s\" as uid=%ld gid=%ld",
	     legacy_table, program, table,
	     (long) (request.uid != (uid_t) -1 ? request.uid : geteuid()),
	     (long) (request.gid != (gid_t) -1 ? request.gid : getegid()));
    if (!spawn_command(&request, &status, why))
	/* why is set */ ;
    else if (status.timed_out)
	vstring_sprintf(why, "%s did not finish within %d seconds",
			program, request.time_limit);
    else if (status.signaled)
	vstring_sprintf(why, "%s was killed by signal %d", program,
			status.signal);
    else if (status.exit_code != 0)
	vstring_sprintf(why, "%s exited with status %d (see its log)",
			program, status.exit_code);
    else if (stat(indexed, &st) < 0)
	vstring_sprintf(why, "%s did not create %s", program, indexed);
    else
	ok = true;
    (void) close(null_fd);

done:
    myfree(path);
    myfree(config);
    myfree(table);
    return ok;
}

/* nbdb_reindex_table - rebuild one table in this process */
int     nbdb_reindex_table(const char *table, VSTRING *why)
{
    VSTRING *type = vstring_alloc(10);
    VSTRING *name = vstring_alloc(100);
    VSTRING *target = vstring_alloc(10);
    NBDB_SAFE_OWNER owner;
    char   *indexed = 0;
    struct stat st;
    bool    aliases = false;
    int     level;
    int     result = NBDB_REINDEX_FAILED;

    if ((level = nbdb_level(why)) < 0)
	goto done;
    if (level < NBDB_LEVEL_REINDEX) {
	vstring_sprintf(why, "%s is %s, not %s",
			PARAM_NAME(non_bdb_migration_level),
			nbdb_level_name(level), NBDB_LEVEL_NAME_REINDEX);
	goto done;
    }
    if (!nbdb_safe_table(table, type, name, why)
	|| !nbdb_redirect_target(vstring_str(type), target, why))
	goto done;
    indexed = concatenate(vstring_str(name),
			  nbdb_redirect_suffix(vstring_str(target)), (char *) 0);
    if (lstat(indexed, &st) == 0) {
	result = NBDB_REINDEX_EXISTS;
	goto done;
    }
    if (!nbdb_safe_check(vstring_str(name),
			 VAR_STR(non_bdb_migration_allow_root_prefixes),
			 VAR_STR(non_bdb_migration_allow_user_prefixes),
			 &owner, why)
	|| !nbdb_reindex_is_aliases(vstring_str(name), &owner, &aliases, why)
	|| !nbdb_reindex_run(table, aliases ? "postalias" : "postmap",
			     vstring_str(target), vstring_str(name), indexed,
			     &owner, why))
	goto done;
    msg_info("%s: created %s", table, indexed);
    result = NBDB_REINDEX_CREATED;

done:
    myfree(indexed);
    vstring_free(type);
    vstring_free(name);
    vstring_free(target);
    return result;
}

/* nbdb_reindex_list - rebuild every listed table that needs it */
int     nbdb_reindex_list(const ARGV *tables)
{
    VSTRING *why = vstring_alloc(100);
    VSTRING *target = vstring_alloc(10);
    struct stat st;
    const char *name;
    char   *type;
    size_t  n;
    int     created = 0;

    if (nbdb_level(why) != NBDB_LEVEL_REINDEX) {
	vstring_free(why);
	vstring_free(target);
	return 0;
    }
    for (n = 0; n < tables->argc; n++) {
	type = mystrdup(tables->argv[n]);
	if ((name = split_at(type, ':')) != NULL
	    && nbdb_redirect_target(type, target, why)
	    && nbdb_redirect_missing(vstring_str(target), name)
	    && lstat(name, &st) == 0) {
	    switch (nbdb_reindex_table(tables->argv[n], why)) {
	    case NBDB_REINDEX_FAILED:
		msg_warn("%s: not reindexed: %s", tables->argv[n],
			 vstring_str(why));
		break;
	    case NBDB_REINDEX_CREATED:
		created++;
		break;
	    }
	}
	myfree(type);
    }
    vstring_free(why);
    vstring_free(target);
    return created;
}
