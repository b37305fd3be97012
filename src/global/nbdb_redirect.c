/*
 * nbdb_redirect - which type serves a hash: or btree: table, and when
 *
 * DESCRIPTION
 *	See nbdb_redirect.h.
 */
#include "sys_defs.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "vstring.h"
#include "mail_params.h"
#include "dict_cdb.h"
#include "dict_lmdb.h"
#include "nbdb_safe.h"
#include "nbdb_redirect.h"

static const char *const nbdb_level_names[] = {
    NBDB_LEVEL_NAME_DISABLE,		/* NBDB_LEVEL_DISABLE */
    NBDB_LEVEL_NAME_REDIRECT,		/* NBDB_LEVEL_REDIRECT */
    NBDB_LEVEL_NAME_REINDEX,		/* NBDB_LEVEL_REINDEX */
};

 /*
  * The types that may serve a redirected table, and the suffix of their
  * indexed file.
  */
static const struct {
    const char *type;
    const char *suffix;
} nbdb_redirect_targets[] = {
    {DICT_TYPE_LMDB, DICT_LMDB_SUFFIX},
    {DICT_TYPE_CDB, DICT_CDB_SUFFIX},
};

/* nbdb_level_code - level name to code, -1 if unknown */
int     nbdb_level_code(const char *name)
{
    size_t  n;

    for (n = 0; n < ARRAY_LEN(nbdb_level_names); n++)
	if (strcmp(name, nbdb_level_names[n]) == 0)
	    return (int) n;
    return -1;
}

/* nbdb_level_name - level code to name */
const char *nbdb_level_name(int level)
{
    if (level < 0 || level >= (int) ARRAY_LEN(nbdb_level_names))
	msg_panic("nbdb_level_name: bad level %d", level);
    return nbdb_level_names[level];
}

/* nbdb_level - the level of this process's configuration */
int     nbdb_level(VSTRING *why)
{
    const char *value = VAR_STR(non_bdb_migration_level);
    int     level;

    if ((level = nbdb_level_code(value)) < 0)
	vstring_sprintf(why, "unsupported %s value: \"%s\"",
			PARAM_NAME(non_bdb_migration_level), value);
    return level;
}

/* nbdb_redirect_suffix - the indexed file suffix of a target type */
const char *nbdb_redirect_suffix(const char *target)
{
    size_t  n;

    for (n = 0; n < ARRAY_LEN(nbdb_redirect_targets); n++)
	if (strcmp(target, nbdb_redirect_targets[n].type) == 0)
	    return nbdb_redirect_targets[n].suffix;
    return NULL;
}

/* nbdb_redirect_legacy - is this type name one of the Berkeley DB types */
static bool nbdb_redirect_legacy(const char *type)
{
    return strcmp(type, "hash") == 0 || strcmp(type, "btree") == 0;
}

/* nbdb_redirect_custom - the mapping entry for type, or NULL */
static char *nbdb_redirect_custom(const char *type, const char *mapping,
				          VSTRING *why, bool *ok)
{
    char   *copy = mystrdup(mapping);
    char   *bp = copy;
    char   *item;
    char   *to;
    char   *result = NULL;
    bool    seen[2] = {false, false};
    int     from_index;

    *ok = true;
    while (*ok && (item = mystrtok(&bp, CHARS_COMMA_SP)) != NULL) {
	to = item + strcspn(item, "=:");
	if (*to == 0 || to == item || to[1] == 0 || strchr(to + 1, '=')
	    || strchr(to + 1, ':')) {
	    vstring_sprintf(why, "%s: malformed entry \"%s\" (expected from=to,"
			    " e.g. hash=cdb)", PARAM_NAME(non_bdb_custom_mapping),
			    item);
	    *ok = false;
	    break;
	}
	*to++ = 0;
	if (!nbdb_redirect_legacy(item)) {
	    vstring_sprintf(why, "%s: \"%s\" is not hash or btree",
			    PARAM_NAME(non_bdb_custom_mapping), item);
	    *ok = false;
	    break;
	}
	from_index = strcmp(item, "btree") == 0;
	if (seen[from_index]) {
	    vstring_sprintf(why, "%s: type %s is mapped twice",
			    PARAM_NAME(non_bdb_custom_mapping), item);
	    *ok = false;
	    break;
	}
	seen[from_index] = true;
	if (strcmp(item, type) == 0)
	    result = mystrdup(to);
    }
    myfree(copy);
    if (!*ok && result) {
	myfree(result);
	result = NULL;
    }
    return result;
}

/* nbdb_redirect_choose - the type that serves a hash: or btree: table */
bool    nbdb_redirect_choose(const char *type, const char *mapping,
			             const char *database_type,
			             const char *cache_type,
			             VSTRING *target, VSTRING *why)
{
    char   *custom;
    const char *chosen;
    const char *source;
    bool    ok;

    if (!nbdb_redirect_legacy(type))
	msg_panic("nbdb_redirect_choose: type %s", type);
    custom = nbdb_redirect_custom(type, mapping, why, &ok);
    if (!ok)
	return false;
    if (custom != NULL) {
	chosen = custom;
	source = PARAM_NAME(non_bdb_custom_mapping);
    } else if (strcmp(type, "hash") == 0) {
	chosen = database_type;
	source = PARAM_NAME(default_database_type);
    } else {
	chosen = cache_type;
	source = PARAM_NAME(default_cache_db_type);
    }
    if (nbdb_redirect_legacy(chosen) || nbdb_redirect_suffix(chosen) == NULL) {
	vstring_sprintf(why, "%s = %s cannot serve %s: tables (use %s or %s)",
			source, *chosen ? chosen : "(empty)", type,
			DICT_TYPE_LMDB, DICT_TYPE_CDB);
	ok = false;
    } else {
	vstring_strcpy(target, chosen);
    }
    myfree(custom);
    return ok;
}

/* nbdb_redirect_target - the choice with this process's parameters */
bool    nbdb_redirect_target(const char *type, VSTRING *target, VSTRING *why)
{
    return nbdb_redirect_choose(type, VAR_STR(non_bdb_custom_mapping),
				VAR_STR(default_database_type),
				VAR_STR(default_cache_db_type), target, why);
}

/* nbdb_redirect_missing - indexed file missing, legacy file present */
bool    nbdb_redirect_missing(const char *target, const char *name)
{
    const char *suffix = nbdb_redirect_suffix(target);
    char   *indexed;
    char   *legacy;
    struct stat st;
    bool    missing;

    if (suffix == NULL)
	msg_panic("nbdb_redirect_missing: type %s", target);
    indexed = concatenate(name, suffix, (char *) 0);
    legacy = concatenate(name, NBDB_LEGACY_SUFFIX, (char *) 0);
    missing = (lstat(indexed, &st) < 0 && errno == ENOENT
	       && lstat(legacy, &st) == 0);
    myfree(indexed);
    myfree(legacy);
    return missing;
}

/* nbdb_redirect_hint - what to do about a missing indexed file */
void    nbdb_redirect_hint(VSTRING *why, const char *target, const char *name)
{
    vstring_sprintf_append(why, "; %s%s is a legacy Berkeley DB file: create "
			   "%s%s with \"postmap %s:%s\" (\"postalias %s:%s\" "
			   "for an aliases file) as the owner of %s%s, or see "
			   "postfix-non-bdb(1) for automatic reindexing",
			   name, NBDB_LEGACY_SUFFIX,
			   name, nbdb_redirect_suffix(target), target, name,
			   target, name, name, NBDB_LEGACY_SUFFIX);
}
