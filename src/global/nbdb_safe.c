/*
 * nbdb_safe - the safety policy for rebuilding a legacy hash: or btree: table
 *
 * DESCRIPTION
 *	See nbdb_safe.h. The checks run in the order of the policy, so that
 *	the reason names the first problem; every file is looked at with
 *	lstat() first, so that a symbolic link is seen as one.
 */
#include "sys_defs.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mymalloc.h"
#include "stringops.h"
#include "utf8_text.h"
#include "vstring.h"
#include "nbdb_safe.h"

#define NBDB_SAFE_OTHERS_WRITE	(S_IWGRP | S_IWOTH)

static NBDB_SAFE_OPS nbdb_safe_ops = {lstat, stat, geteuid};

/* nbdb_safe_set_ops - replace the system calls, for tests */
void    nbdb_safe_set_ops(const NBDB_SAFE_OPS *ops)
{
    static const NBDB_SAFE_OPS system_ops = {lstat, stat, geteuid};

    nbdb_safe_ops = ops ? *ops : system_ops;
}

/* nbdb_safe_path_syntax - an absolute, normalized, printable pathname */
static bool nbdb_safe_path_syntax(const char *path, VSTRING *why)
{
    size_t  len = strlen(path);
    const char *cp;
    const char *component;
    size_t  clen;

    if (*path != '/') {
	vstring_sprintf(why, "table name is not an absolute pathname");
	return false;
    }
    if (len > NBDB_SAFE_NAME_LIMIT) {
	vstring_sprintf(why, "table name is longer than %d bytes",
			NBDB_SAFE_NAME_LIMIT);
	return false;
    }
    for (cp = path; *cp; cp++) {
	if ((unsigned char) *cp < 0x20 || *cp == 0x7f) {
	    vstring_sprintf(why, "table name contains a control character");
	    return false;
	}
    }
    if (!allascii(path) && !utf8_text_valid(path, len)) {
	vstring_sprintf(why, "table name is not valid UTF-8");
	return false;
    }
    for (component = path + 1; /* see below */ ; component += clen + 1) {
	clen = strcspn(component, "/");
	if (clen == 0 || (clen == 1 && component[0] == '.')
	    || (clen == 2 && component[0] == '.' && component[1] == '.')) {
	    vstring_sprintf(why, "table name \"%s\" has an empty, \".\" or "
			    "\"..\" component", path);
	    return false;
	}
	if (component[clen] == 0)
	    return true;
    }
}

/* nbdb_safe_table - check the syntax of "hash:/path" or "btree:/path" */
bool    nbdb_safe_table(const char *table, VSTRING *type, VSTRING *name,
			        VSTRING *why)
{
    const char *colon = strchr(table, ':');
    size_t  type_len;

    if (colon == NULL) {
	vstring_sprintf(why, "table name has no type");
	return false;
    }
    type_len = colon - table;
    if (!((type_len == 4 && strncmp(table, "hash", 4) == 0)
	  || (type_len == 5 && strncmp(table, "btree", 5) == 0))) {
	vstring_sprintf(why, "table type is not hash or btree");
	return false;
    }
    if (!nbdb_safe_path_syntax(colon + 1, why))
	return false;
    vstring_strncpy(type, table, type_len);
    vstring_strcpy(name, colon + 1);
    return true;
}

/* nbdb_safe_prefix_match - path equals or lies below a listed prefix */
bool    nbdb_safe_prefix_match(const char *path, const char *prefix_list)
{
    char   *copy = mystrdup(prefix_list);
    char   *bp = copy;
    char   *prefix;
    size_t  len;
    bool    match = false;

    while (!match && (prefix = mystrtok(&bp, CHARS_COMMA_SP)) != NULL) {
	len = strlen(prefix);
	while (len > 0 && prefix[len - 1] == '/')
	    len--;
	if (*prefix != '/')
	    continue;
	match = (strncmp(path, prefix, len) == 0
		 && (path[len] == 0 || path[len] == '/'));
    }
    myfree(copy);
    return match;
}

/* nbdb_safe_owner_ok - owned by root or by the account */
static bool nbdb_safe_owner_ok(const struct stat *st, uid_t uid)
{
    return st->st_uid == 0 || st->st_uid == uid;
}

/* nbdb_safe_lstat - lstat() with the reason for a missing file */
static bool nbdb_safe_lstat(const char *what, const char *path,
			            struct stat *st, VSTRING *why)
{
    if (nbdb_safe_ops.lstat_fn(path, st) < 0) {
	if (errno == ENOENT)
	    vstring_sprintf(why, "%s %s does not exist", what, path);
	else
	    vstring_sprintf(why, "%s %s: %m", what, path);
	return false;
    }
    if (S_ISLNK(st->st_mode)) {
	vstring_sprintf(why, "%s %s is a symbolic link", what, path);
	return false;
    }
    if (!S_ISREG(st->st_mode)) {
	vstring_sprintf(why, "%s %s is not a regular file", what, path);
	return false;
    }
    return true;
}

/* nbdb_safe_ancestors - nobody but root and uid can swap a component */
static bool nbdb_safe_ancestors(const char *dir, uid_t uid, VSTRING *why)
{
    VSTRING *prefix = vstring_alloc(100);
    struct stat parent_st;
    struct stat st;
    const char *cp;
    bool    ok = true;

    /* "/" itself: the root of everything. */
    if (nbdb_safe_ops.stat_fn("/", &parent_st) < 0
	|| (parent_st.st_mode & NBDB_SAFE_OTHERS_WRITE) != 0) {
	vstring_sprintf(why, "directory / is group or other writable");
	vstring_free(prefix);
	return false;
    }
    for (cp = dir + 1; ok && *cp; cp += strcspn(cp, "/"), cp += (*cp == '/')) {
	vstring_strncpy(prefix, dir, cp - dir + strcspn(cp, "/"));
	if (nbdb_safe_ops.lstat_fn(vstring_str(prefix), &st) < 0) {
	    vstring_sprintf(why, "directory %s: %m", vstring_str(prefix));
	    ok = false;
	    break;
	}
	/* In a directory that others may write, the entry must be ours. */
	if ((parent_st.st_mode & NBDB_SAFE_OTHERS_WRITE) != 0
	    && !nbdb_safe_owner_ok(&st, uid)) {
	    vstring_sprintf(why, "directory %s is owned by uid %ld in a "
			    "directory that others may write",
			    vstring_str(prefix), (long) st.st_uid);
	    ok = false;
	    break;
	}
	if (S_ISLNK(st.st_mode)) {
	    if (st.st_uid != 0) {
		vstring_sprintf(why, "symbolic link %s is not owned by root",
				vstring_str(prefix));
		ok = false;
		break;
	    }
	    if (nbdb_safe_ops.stat_fn(vstring_str(prefix), &st) < 0) {
		vstring_sprintf(why, "directory %s: %m", vstring_str(prefix));
		ok = false;
		break;
	    }
	}
	if (!S_ISDIR(st.st_mode)) {
	    vstring_sprintf(why, "%s is not a directory", vstring_str(prefix));
	    ok = false;
	} else if ((st.st_mode & NBDB_SAFE_OTHERS_WRITE) != 0
		   && (st.st_mode & S_ISVTX) == 0) {
	    vstring_sprintf(why, "directory %s is group or other writable",
			    vstring_str(prefix));
	    ok = false;
	}
	parent_st = st;
    }
    vstring_free(prefix);
    return ok;
}

/* nbdb_safe_parent - the directory of the source file */
static bool nbdb_safe_parent(const char *dir, uid_t uid, VSTRING *why)
{
    struct stat st;

    if (!nbdb_safe_ancestors(dir, uid, why))
	return false;
    if (nbdb_safe_ops.stat_fn(dir, &st) < 0) {
	vstring_sprintf(why, "directory %s: %m", dir);
	return false;
    }
    if (!nbdb_safe_owner_ok(&st, uid)) {
	vstring_sprintf(why, "directory %s is owned by uid %ld, not by root "
			"or uid %ld", dir, (long) st.st_uid, (long) uid);
	return false;
    }
    if (st.st_mode & NBDB_SAFE_OTHERS_WRITE) {
	vstring_sprintf(why, "directory %s is group or other writable", dir);
	return false;
    }
    return true;
}

/* nbdb_safe_check - may the table be rebuilt, and as whom */
bool    nbdb_safe_check(const char *name, const char *root_prefixes,
			        const char *user_prefixes,
			        NBDB_SAFE_OWNER *owner, VSTRING *why)
{
    char   *legacy = concatenate(name, NBDB_LEGACY_SUFFIX, (char *) 0);
    char   *dir = mystrdup(name);
    struct stat st;
    uid_t   euid = nbdb_safe_ops.geteuid_fn();
    bool    ok = false;

    /* "/x" has the parent "/"; deeper names lose their last component. */
    if (strrchr(dir, '/') == dir)
	dir[1] = 0;
    else
	*strrchr(dir, '/') = 0;

    if (!nbdb_safe_lstat("legacy file", legacy, &st, why))
	goto done;
    owner->uid = st.st_uid;
    owner->gid = st.st_gid;
    if (!nbdb_safe_lstat("source file", name, &st, why))
	goto done;
    if (!nbdb_safe_owner_ok(&st, owner->uid)) {
	vstring_sprintf(why, "source file %s is owned by uid %ld, not by root "
			"or uid %ld", name, (long) st.st_uid, (long) owner->uid);
	goto done;
    }
    if (st.st_mode & NBDB_SAFE_OTHERS_WRITE) {
	vstring_sprintf(why, "source file %s is group or other writable", name);
	goto done;
    }
    owner->source_dev = st.st_dev;
    owner->source_ino = st.st_ino;
    if (!nbdb_safe_parent(dir, owner->uid, why))
	goto done;
    if (owner->uid == 0 ? !nbdb_safe_prefix_match(name, root_prefixes)
	: !nbdb_safe_prefix_match(name, user_prefixes)) {
	vstring_sprintf(why, "source file %s is not in %s", name,
			owner->uid == 0 ?
			"non_bdb_migration_allow_root_prefixes" :
			"non_bdb_migration_allow_user_prefixes");
	goto done;
    }
    if (euid != 0 && euid != owner->uid) {
	vstring_sprintf(why, "legacy file %s is owned by uid %ld: cannot run "
			"a command as that user without root privileges",
			legacy, (long) owner->uid);
	goto done;
    }
    if (euid == 0 && owner->uid != 0 && owner->gid == 0) {
	vstring_sprintf(why, "legacy file %s has group 0: not running a "
			"command as uid %ld with group 0", legacy,
			(long) owner->uid);
	goto done;
    }
    ok = true;

done:
    myfree(legacy);
    myfree(dir);
    return ok;
}
