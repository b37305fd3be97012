/*
 * dict - the lookup table interface
 *
 * DESCRIPTION
 *	See dict.h. This module holds the driver registry, the generic
 *	wrappers (key folding, debug logging, unsupported operations), the
 *	surrogate table for open errors, and the per-process table cache.
 */
#include "sys_defs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "msg.h"
#include "mymalloc.h"
#include "htable.h"
#include "argv.h"
#include "stringops.h"
#include "vstring.h"
#include "myflock.h"
#include "utf8_text.h"
#include "excerpt.h"
#include "dict_builtin.h"
#include "dict.h"

typedef struct DICT_TYPE_INFO {
    DICT_OPEN_FN open_fn;
    int     type_flags;
} DICT_TYPE_INFO;

static HTABLE *dict_types;
static HTABLE *dict_cache;

/* dict_types_init - register the built-in drivers once */
static void dict_types_init(void)
{
    if (dict_types == NULL) {
	dict_types = htable_create(40);
	dict_builtin_register();
    }
}

/* dict_open_register - add a driver */
void    dict_open_register(const char *type, DICT_OPEN_FN open_fn, int type_flags)
{
    DICT_TYPE_INFO *info;

    /* A program's own driver must not hide the built-in ones. */
    dict_types_init();
    if (htable_find(dict_types, type) != NULL)
	msg_panic("dict_open_register: type \"%s\" registered twice", type);
    info = mymalloc(sizeof(*info));
    info->open_fn = open_fn;
    info->type_flags = type_flags;
    htable_enter(dict_types, type, info);
}

/* dict_type_flags - properties of a registered type, -1 if unknown */
int     dict_type_flags(const char *type)
{
    DICT_TYPE_INFO *info;

    dict_types_init();
    info = htable_find(dict_types, type);
    return info ? info->type_flags : -1;
}

/* dict_mapnames - sorted list of registered types */
ARGV   *dict_mapnames(void)
{
    HTABLE_INFO **list;
    HTABLE_INFO **ht;
    ARGV   *names = argv_alloc(40);

    dict_types_init();
    list = htable_list(dict_types);
    for (ht = list; *ht; ht++)
	argv_add(names, (*ht)->key, ARGV_END);
    myfree(list);
    argv_sort(names);
    return names;
}

/* dict_unsupported - common failure for missing methods */
static int dict_unsupported(DICT *dict, const char *operation)
{
    msg_warn("%s:%s does not support %s", dict->type, dict->name, operation);
    dict->error = DICT_ERR_CONFIG;
    return DICT_STAT_ERROR;
}

/* dict_default_lookup - lookup method of a driver without one */
static const char *dict_default_lookup(DICT *dict, const char *key)
{
    (void) key;
    (void) dict_unsupported(dict, "lookup");
    return NULL;
}

/* dict_default_update - update method of a read-only driver */
static int dict_default_update(DICT *dict, const char *key, const char *value)
{
    (void) key;
    (void) value;
    return dict_unsupported(dict, "update");
}

/* dict_default_delete - delete method of a read-only driver */
static int dict_default_delete(DICT *dict, const char *key)
{
    (void) key;
    return dict_unsupported(dict, "delete");
}

/* dict_default_sequence - sequence method of a driver without one */
static int dict_default_sequence(DICT *dict, int function, const char **key,
				         const char **value)
{
    (void) function;
    (void) key;
    (void) value;
    return dict_unsupported(dict, "sequence");
}

/* dict_default_lock - lock the table's lock file, if any */
static int dict_default_lock(DICT *dict, int op)
{
    if (dict->lock_fd < 0)
	return 0;
    return myflock(dict->lock_fd, MYFLOCK_STYLE_FCNTL, op);
}

/* dict_default_close - close method of a driver without private state */
static void dict_default_close(DICT *dict)
{
    dict_free(dict);
}

/* dict_alloc - allocate a table structure with default methods */
DICT   *dict_alloc(const char *type, const char *name, size_t size)
{
    DICT   *dict;

    if (size < sizeof(DICT))
	msg_panic("dict_alloc: size %zu too small", size);
    dict = mycalloc(1, size);
    dict->type = mystrdup(type);
    dict->name = mystrdup(name);
    dict->lookup = dict_default_lookup;
    dict->update = dict_default_update;
    dict->delete = dict_default_delete;
    dict->sequence = dict_default_sequence;
    dict->lock = dict_default_lock;
    dict->close = dict_default_close;
    dict->lock_fd = -1;
    dict->error = DICT_ERR_NONE;
    return dict;
}

/* dict_free - release the generic part of a table */
void    dict_free(DICT *dict)
{
    myfree(dict->type);
    myfree(dict->name);
    myfree(dict->watch_path);
    if (dict->fold_buf)
	vstring_free(dict->fold_buf);
    myfree(dict);
}

/* dict_watch_file - remember the file identity for change detection */
void    dict_watch_file(DICT *dict, const char *path, int fd)
{
    struct stat st;

    if (fstat(fd, &st) < 0)
	return;
    myfree(dict->watch_path);
    dict->watch_path = mystrdup(path);
    dict->watch_dev = st.st_dev;
    dict->watch_ino = st.st_ino;
    dict->watch_mtime = st.st_mtime;
    dict->watch_inode_only = false;
}

/* dict_watch_inode - remember the file identity, not its mtime */
void    dict_watch_inode(DICT *dict, const char *path, int fd)
{
    dict_watch_file(dict, path, fd);
    dict->watch_inode_only = true;
}

/* dict_watch_chroot - watched paths as seen from inside a chroot jail */
void    dict_watch_chroot(const char *root_dir)
{
    HTABLE_INFO **list;
    HTABLE_INFO **ht;
    DICT   *dict;
    size_t  len = strlen(root_dir);
    char   *inside;

    while (len > 1 && root_dir[len - 1] == '/')
	len--;
    if (dict_cache == NULL)
	return;
    list = htable_list(dict_cache);
    for (ht = list; *ht; ht++) {
	dict = (*ht)->value;
	if (dict->watch_path == NULL || dict->watch_path[0] != '/')
	    continue;
	if (strncmp(dict->watch_path, root_dir, len) == 0
	    && dict->watch_path[len] == '/') {
	    inside = mystrdup(dict->watch_path + len);
	    myfree(dict->watch_path);
	    dict->watch_path = inside;
	} else {
	    myfree(dict->watch_path);
	    dict->watch_path = NULL;
	}
    }
    myfree(list);
}

typedef struct DICT_SURROGATE {
    DICT    dict;
    char   *reason;
} DICT_SURROGATE;

/* dict_surrogate_fail - every operation of a table that did not open */
static void dict_surrogate_fail(DICT *dict)
{
    DICT_SURROGATE *sp = (DICT_SURROGATE *) dict;

    msg_warn("%s:%s is unavailable. %s", excerpt(dict->type),
	     excerpt(dict->name), sp->reason);
    dict->error = DICT_ERR_CONFIG;
}

/* dict_surrogate_lookup - lookup fails with a configuration error */
static const char *dict_surrogate_lookup(DICT *dict, const char *key)
{
    (void) key;
    dict_surrogate_fail(dict);
    return NULL;
}

/* dict_surrogate_update - update fails with a configuration error */
static int dict_surrogate_update(DICT *dict, const char *key, const char *value)
{
    (void) key;
    (void) value;
    dict_surrogate_fail(dict);
    return DICT_STAT_ERROR;
}

/* dict_surrogate_delete - delete fails with a configuration error */
static int dict_surrogate_delete(DICT *dict, const char *key)
{
    (void) key;
    dict_surrogate_fail(dict);
    return DICT_STAT_ERROR;
}

/* dict_surrogate_sequence - sequence fails with a configuration error */
static int dict_surrogate_sequence(DICT *dict, int function, const char **key,
				           const char **value)
{
    (void) function;
    (void) key;
    (void) value;
    dict_surrogate_fail(dict);
    return DICT_STAT_ERROR;
}

/* dict_surrogate_close - destroy a surrogate table */
static void dict_surrogate_close(DICT *dict)
{
    myfree(((DICT_SURROGATE *) dict)->reason);
    dict_free(dict);
}

/* dict_surrogate - a table that reports why the real one did not open */
DICT   *dict_surrogate(const char *type, const char *name, int open_flags,
		               int dict_flags, const char *fmt,...)
{
    DICT_SURROGATE *sp;
    VSTRING *reason = vstring_alloc(100);
    va_list ap;

    va_start(ap, fmt);
    vstring_vsprintf(reason, fmt, ap);
    va_end(ap);
    if (dict_flags & DICT_FLAG_OPEN_FATAL)
	msg_fatal("%s", vstring_str(reason));
    sp = (DICT_SURROGATE *) dict_alloc(type, name, sizeof(*sp));
    sp->reason = vstring_export(reason);
    sp->dict.open_flags = open_flags;
    sp->dict.flags = dict_flags;
    sp->dict.lookup = dict_surrogate_lookup;
    sp->dict.update = dict_surrogate_update;
    sp->dict.delete = dict_surrogate_delete;
    sp->dict.sequence = dict_surrogate_sequence;
    sp->dict.close = dict_surrogate_close;
    msg_warn("%s:%s is unavailable. %s", excerpt(type), excerpt(name),
	     sp->reason);
    return &sp->dict;
}

/* dict_open3 - open a table given its type and name */
DICT   *dict_open3(const char *type, const char *name, int open_flags,
		           int dict_flags)
{
    DICT_TYPE_INFO *info;
    DICT   *dict;

    dict_types_init();
    if ((info = htable_find(dict_types, type)) == NULL)
	return dict_surrogate(type, name, open_flags, dict_flags,
			      "unsupported dictionary type: %s", excerpt(type));
    if ((info->type_flags & DICT_TYPE_FLAG_READONLY)
	&& (open_flags & (O_WRONLY | O_RDWR)))
	return dict_surrogate(type, name, open_flags, dict_flags,
			      "%s:%s map requires O_RDONLY access mode",
			      type, excerpt(name));
    dict = info->open_fn(name, open_flags, dict_flags);
    if (dict == NULL)
	msg_panic("dict_open3: driver %s returned no table", type);
    return dict;
}

/* dict_open - open a table given "type:name" */
DICT   *dict_open(const char *type_name, int open_flags, int dict_flags)
{
    char   *copy = mystrdup(type_name);
    char   *name;
    DICT   *dict;

    if ((name = split_at(copy, ':')) == NULL || *copy == 0 || *name == 0) {
	dict = dict_surrogate(copy, name ? name : "", open_flags, dict_flags,
			"open dictionary: expecting \"type:name\" form instead of \"%s\"",
			      excerpt(type_name));
    } else {
	dict = dict_open3(copy, name, open_flags, dict_flags);
    }
    myfree(copy);
    return dict;
}

/* dict_fold_key - lower-case the key when the table asks for it */
const char *dict_fold_key(DICT *dict, const char *key)
{
    bool    fold;

    fold = (dict->flags & DICT_FLAG_PATTERN) ?
	(dict->flags & DICT_FLAG_FOLD_MUL) != 0 :
	(dict->flags & DICT_FLAG_FOLD_FIX) != 0;
    if (!fold)
	return key;
    if (dict->fold_buf == NULL)
	dict->fold_buf = vstring_alloc(100);
    if ((dict->flags & DICT_FLAG_UTF8_REQUEST) && !allascii(key))
	return utf8_text_fold(dict->fold_buf, key);
    vstring_strcpy(dict->fold_buf, key);
    return lowercase(vstring_str(dict->fold_buf));
}

/* dict_utf8_key_ok - with DICT_FLAG_UTF8_REQUEST, keys must be UTF-8 */
static bool dict_utf8_key_ok(DICT *dict, const char *key)
{
    const char *err;

    if ((dict->flags & DICT_FLAG_UTF8_REQUEST) == 0 || allascii(key)
	|| (err = utf8_text_error(key, strlen(key))) == NULL)
	return true;
    msg_warn("%s:%s: non-UTF-8 key \"%s\": %s", dict->type, dict->name,
	     excerpt(key), err);
    return false;
}

/* dict_utf8_value_ok - with DICT_FLAG_UTF8_REQUEST, values must be UTF-8 */
static bool dict_utf8_value_ok(DICT *dict, const char *key, const char *value)
{
    const char *err;

    if ((dict->flags & DICT_FLAG_UTF8_REQUEST) == 0 || allascii(value)
	|| (err = utf8_text_error(value, strlen(value))) == NULL)
	return true;
    msg_warn("%s:%s: key \"%s\": non-UTF-8 value \"%s\": %s", dict->type,
	     dict->name, excerpt(key), excerpt(value), err);
    return false;
}

/* dict_get - look up a key */
const char *dict_get(DICT *dict, const char *key)
{
    const char *value;

    dict->error = DICT_ERR_NONE;
    if (!dict_utf8_key_ok(dict, key)) {
	value = NULL;
    } else if ((value = dict->lookup(dict, dict_fold_key(dict, key))) != NULL
	       && !dict_utf8_value_ok(dict, key, value)) {
	value = NULL;
	dict->error = DICT_ERR_CONFIG;
    }
    if (dict->flags & DICT_FLAG_DEBUG)
	msg_info("%s:%s lookup: \"%s\" = \"%s\"", dict->type, dict->name,
		 excerpt(key), value ? excerpt(value) :
		 dict->error ? "error" : "not_found");
    return value;
}

/* dict_put - add or replace a key */
int     dict_put(DICT *dict, const char *key, const char *value)
{
    int     status;

    dict->error = DICT_ERR_NONE;
    if (!dict_utf8_key_ok(dict, key) || !dict_utf8_value_ok(dict, key, value))
	status = DICT_STAT_FAIL;
    else
	status = dict->update(dict, dict_fold_key(dict, key), value);
    if (dict->flags & DICT_FLAG_DEBUG)
	msg_info("%s:%s update: \"%s\" = \"%s\": %d", dict->type, dict->name,
		 excerpt(key), excerpt(value), status);
    return status;
}

/* dict_del - remove a key */
int     dict_del(DICT *dict, const char *key)
{
    int     status;

    dict->error = DICT_ERR_NONE;
    if (!dict_utf8_key_ok(dict, key))
	status = DICT_STAT_FAIL;
    else
	status = dict->delete(dict, dict_fold_key(dict, key));
    if (dict->flags & DICT_FLAG_DEBUG)
	msg_info("%s:%s delete: \"%s\": %d", dict->type, dict->name,
		 excerpt(key), status);
    return status;
}

/* dict_seq - walk the table */
int     dict_seq(DICT *dict, int function, const char **key, const char **value)
{
    dict->error = DICT_ERR_NONE;
    if (function != DICT_SEQ_FUN_FIRST && function != DICT_SEQ_FUN_NEXT)
	msg_panic("dict_seq: bad function %d", function);
    return dict->sequence(dict, function, key, value);
}

/* dict_lock - lock or unlock a table */
int     dict_lock(DICT *dict, int op)
{
    return dict->lock(dict, op);
}

/* dict_close - close a table */
void    dict_close(DICT *dict)
{
    if (dict->refcount > 0)
	msg_panic("dict_close: %s:%s is shared; use dict_shared_close",
		  dict->type, dict->name);
    dict->close(dict);
}

/* dict_cache_key - cache key for a table and its flags */
static char *dict_cache_key(const char *type_name, int open_flags, int dict_flags)
{
    VSTRING *key = vstring_alloc(100);

    vstring_sprintf(key, "%s(%d,%d)", type_name, open_flags, dict_flags);
    return vstring_export(key);
}

/* dict_shared_open - open a table once per process */
DICT   *dict_shared_open(const char *type_name, int open_flags, int dict_flags)
{
    char   *key = dict_cache_key(type_name, open_flags, dict_flags);
    DICT   *dict;

    if (dict_cache == NULL)
	dict_cache = htable_create(20);
    if ((dict = htable_find(dict_cache, key)) == NULL) {
	dict = dict_open(type_name, open_flags, dict_flags);
	htable_enter(dict_cache, key, dict);
    }
    dict->refcount++;
    myfree(key);
    return dict;
}

/* dict_shared_close - drop a reference to a cached table */
void    dict_shared_close(DICT *dict)
{
    HTABLE_INFO **list;
    HTABLE_INFO **ht;

    if (dict->refcount <= 0)
	msg_panic("dict_shared_close: %s:%s is not shared", dict->type, dict->name);
    if (--dict->refcount > 0)
	return;
    list = htable_list(dict_cache);
    for (ht = list; *ht; ht++) {
	if ((*ht)->value == dict) {
	    htable_delete(dict_cache, (*ht)->key, NULL);
	    break;
	}
    }
    myfree(list);
    dict->close(dict);
}

/* dict_changed_name - a cached table whose file changed, or NULL */
const char *dict_changed_name(void)
{
    static VSTRING *result;
    HTABLE_INFO **list;
    HTABLE_INFO **ht;
    struct stat st;
    DICT   *dict;
    const char *changed = NULL;

    if (dict_cache == NULL)
	return NULL;
    if (result == NULL)
	result = vstring_alloc(100);
    list = htable_list(dict_cache);
    for (ht = list; *ht && changed == NULL; ht++) {
	dict = (*ht)->value;
	if (dict->watch_path == NULL)
	    continue;
	if (stat(dict->watch_path, &st) < 0 || st.st_dev != dict->watch_dev
	    || st.st_ino != dict->watch_ino
	    || (!dict->watch_inode_only && st.st_mtime != dict->watch_mtime)) {
	    vstring_sprintf(result, "%s:%s", dict->type, dict->name);
	    changed = vstring_str(result);
	}
    }
    myfree(list);
    return changed;
}
