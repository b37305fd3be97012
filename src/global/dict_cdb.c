/*
 * dict_cdb - constant lookup tables in CDB files (tinycdb)
 *
 * DESCRIPTION
 *	See dict_cdb.h. tinycdb checks every file offset that it reads
 *	against the file size, so a damaged file gives an error (EPROTO),
 *	not a crash; this module turns those errors into warnings.
 */
#include "sys_defs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cdb.h>

#include "msg.h"
#include "mymalloc.h"
#include "vstring.h"
#include "stringops.h"
#include "excerpt.h"
#include "myflock.h"
#include "dict.h"
#include "dict_cdb.h"

#define DICT_CDB_FILE_MODE	0644

/* A table open for lookups. */
typedef struct DICT_CDB {
    DICT    dict;
    struct cdb cdb;
    int     fd;
    char   *path;
    bool    try_plain;			/* keys without null byte */
    bool    try_null;			/* keys with null byte */
    unsigned seq_pos;			/* cdb_seqnext() cursor */
    bool    seq_started;
    VSTRING *key_buf;
    VSTRING *value_buf;
} DICT_CDB;


/* A table being built. */
typedef struct DICT_CDB_MAKE {
    DICT    dict;
    struct cdb_make make;
    int     fd;
    int     lock_fd;
    char   *path;
    char   *tmp_path;
    char   *lock_path;
    bool    failed;			/* a write error was reported */
} DICT_CDB_MAKE;

/* dict_cdb_get - copy one record field, dropping a trailing null byte */
static const char *dict_cdb_get(DICT_CDB *dc, VSTRING *buf, unsigned len,
				        unsigned pos)
{
    const char *data = cdb_get(&dc->cdb, len, pos);

    if (data == NULL)
	return NULL;
    if (len > 0 && data[len - 1] == 0)
	len--;
    vstring_memcpy(buf, data, len);
    VSTRING_TERMINATE(buf);
    return vstring_str(buf);
}

/* dict_cdb_corrupt - report a damaged file */
static void dict_cdb_corrupt(DICT_CDB *dc)
{
    msg_warn("%s:%s: corrupted database %s: %m", dc->dict.type,
	     dc->dict.name, dc->path);
    dc->dict.error = DICT_ERR_CONFIG;
}

/* dict_cdb_lookup - find a key */
static const char *dict_cdb_lookup(DICT *dict, const char *key)
{
    DICT_CDB *dc = (DICT_CDB *) dict;
    size_t  len = strlen(key);
    const char *result;
    int     rc = 0;

    if (len >= UINT_MAX)
	return NULL;
    if (dc->try_plain && (rc = cdb_find(&dc->cdb, key, len)) > 0) {
	dc->try_null = false;
    } else if (rc >= 0 && dc->try_null) {
	/* The key's own terminator makes the null-terminated form. */
	if ((rc = cdb_find(&dc->cdb, key, len + 1)) > 0)
	    dc->try_plain = false;
    }
    if (rc < 0) {
	dict_cdb_corrupt(dc);
	return NULL;
    }
    if (rc == 0)
	return NULL;
    if ((result = dict_cdb_get(dc, dc->value_buf, cdb_datalen(&dc->cdb),
			       cdb_datapos(&dc->cdb))) == NULL)
	dict_cdb_corrupt(dc);
    return result;
}

/*
 * dict_cdb_sequence - walk the records in file order. A record is skipped
 * when the index points elsewhere for its key (a replaced duplicate).
 */
static int dict_cdb_sequence(DICT *dict, int function, const char **key,
			             const char **value)
{
    DICT_CDB *dc = (DICT_CDB *) dict;
    unsigned kpos;
    unsigned klen;
    unsigned vpos;
    unsigned vlen;
    const char *kdata;
    int     rc;

    if (function == DICT_SEQ_FUN_FIRST) {
	cdb_seqinit(&dc->seq_pos, &dc->cdb);
	dc->seq_started = true;
    } else if (!dc->seq_started) {
	return DICT_STAT_FAIL;
    }
    for (;;) {
	if ((rc = cdb_seqnext(&dc->seq_pos, &dc->cdb)) == 0) {
	    dc->seq_started = false;
	    return DICT_STAT_FAIL;
	}
	if (rc < 0)
	    break;
	kpos = cdb_keypos(&dc->cdb);
	klen = cdb_keylen(&dc->cdb);
	vpos = cdb_datapos(&dc->cdb);
	vlen = cdb_datalen(&dc->cdb);
	if ((kdata = cdb_get(&dc->cdb, klen, kpos)) == NULL)
	    break;
	if ((rc = cdb_find(&dc->cdb, kdata, klen)) < 0)
	    break;
	if (rc == 0 || cdb_datapos(&dc->cdb) != vpos)
	    continue;				/* replaced or unindexed */
	if ((*key = dict_cdb_get(dc, dc->key_buf, klen, kpos)) == NULL
	    || (*value = dict_cdb_get(dc, dc->value_buf, vlen, vpos)) == NULL)
	    break;
	return DICT_STAT_SUCCESS;
    }
    dc->seq_started = false;
    dict_cdb_corrupt(dc);
    return DICT_STAT_ERROR;
}

/* dict_cdb_close - close a table that was open for lookups */
static void dict_cdb_close(DICT *dict)
{
    DICT_CDB *dc = (DICT_CDB *) dict;

    cdb_free(&dc->cdb);
    if (dc->fd >= 0)
	(void) close(dc->fd);
    myfree(dc->path);
    vstring_free(dc->key_buf);
    vstring_free(dc->value_buf);
    dict_free(dict);
}

/* dict_cdb_open_read - open a table for lookups */
static DICT *dict_cdb_open_read(const char *name, int open_flags,
				        int dict_flags)
{
    DICT_CDB *dc;
    char   *path = concatenate(name, DICT_CDB_SUFFIX, (char *) 0);
    struct stat st;
    DICT   *dict;
    int     fd;

    if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
	dict = dict_surrogate(DICT_TYPE_CDB, name, open_flags, dict_flags,
			      "open database %s: %m", path);
	myfree(path);
	return dict;
    }
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
	dict = dict_surrogate(DICT_TYPE_CDB, name, open_flags, dict_flags,
			      "open database %s: not a regular file", path);
	(void) close(fd);
	myfree(path);
	return dict;
    }
    dc = (DICT_CDB *) dict_alloc(DICT_TYPE_CDB, name, sizeof(*dc));
    if (cdb_init(&dc->cdb, fd) < 0) {
	dict_free(&dc->dict);
	dict = dict_surrogate(DICT_TYPE_CDB, name, open_flags, dict_flags,
			      "open database %s: not a valid CDB file", path);
	(void) close(fd);
	myfree(path);
	return dict;
    }
    dc->fd = fd;
    dc->path = path;
    dc->try_plain = dc->try_null = true;
    dc->key_buf = vstring_alloc(100);
    dc->value_buf = vstring_alloc(100);
    dc->dict.open_flags = open_flags;
    dc->dict.flags = dict_flags | DICT_FLAG_FIXED;
    dc->dict.lookup = dict_cdb_lookup;
    dc->dict.sequence = dict_cdb_sequence;
    dc->dict.close = dict_cdb_close;
    dict_watch_file(&dc->dict, path, fd);
    return &dc->dict;
}

/* dict_cdb_make_update - add an entry to the table being built */
static int dict_cdb_make_update(DICT *dict, const char *key, const char *value)
{
    DICT_CDB_MAKE *dm = (DICT_CDB_MAKE *) dict;
    size_t  klen = strlen(key);
    size_t  vlen = strlen(value);
    enum cdb_put_mode mode;
    int     rc;

    if (klen == 0) {
	msg_warn("%s:%s: empty key is not allowed", dict->type, dict->name);
	dict->error = DICT_ERR_CONFIG;
	return DICT_STAT_ERROR;
    }
    if (klen >= UINT_MAX / 2 || vlen >= UINT_MAX / 2) {
	msg_warn("%s:%s: entry is too large", dict->type, dict->name);
	dict->error = DICT_ERR_CONFIG;
	return DICT_STAT_ERROR;
    }
    mode = (dict->flags & DICT_FLAG_DUP_REPLACE) ? CDB_PUT_REPLACE :
	CDB_PUT_INSERT;
    if ((rc = cdb_make_put(&dm->make, key, klen, value, vlen, mode)) < 0) {
	msg_warn("%s:%s: write %s: %m", dict->type, dict->name, dm->tmp_path);
	dm->failed = true;
	dict->error = DICT_ERR_RETRY;
	return DICT_STAT_ERROR;
    }
    if (rc > 0 && mode == CDB_PUT_INSERT) {
	if ((dict->flags & DICT_FLAG_DUP_WARN)
	    && !(dict->flags & DICT_FLAG_DUP_IGNORE))
	    msg_warn("%s:%s: duplicate entry: \"%s\"", dict->type, dict->name,
		     excerpt(key));
	return DICT_STAT_FAIL;
    }
    return DICT_STAT_SUCCESS;
}

/* dict_cdb_make_close - finish the new file and rename it into place */
static void dict_cdb_make_close(DICT *dict)
{
    DICT_CDB_MAKE *dm = (DICT_CDB_MAKE *) dict;
    const char *failed = NULL;
    int     saved_errno;
    int     dir_fd;
    char   *dir;
    char   *slash;

    if (dm->failed)
	failed = "write";
    else if (cdb_make_finish(&dm->make) < 0)
	failed = "write";
    else if (fsync(dm->fd) < 0)
	failed = "sync";
    if (close(dm->fd) < 0 && failed == NULL)
	failed = "close";
    if (failed == NULL && rename(dm->tmp_path, dm->path) < 0)
	failed = "rename";
    if (failed != NULL) {
	saved_errno = errno;
	(void) unlink(dm->tmp_path);
	errno = saved_errno;
	msg_fatal("%s:%s: %s %s: %m", dict->type, dict->name, failed,
		  dm->tmp_path);
    }
    /* Make the rename durable. */
    dir = mystrdup(dm->path);
    if ((slash = strrchr(dir, '/')) == NULL) {
	myfree(dir);
	dir = mystrdup(".");
    } else if (slash == dir)
	slash[1] = 0;
    else
	slash[0] = 0;
    if ((dir_fd = open(dir, O_RDONLY | O_CLOEXEC)) >= 0) {
	(void) fsync(dir_fd);
	(void) close(dir_fd);
    }
    myfree(dir);
    (void) close(dm->lock_fd);			/* releases the lock */
    myfree(dm->path);
    myfree(dm->tmp_path);
    myfree(dm->lock_path);
    dict_free(dict);
}

/* dict_cdb_open_make - open a new table for building */
static DICT *dict_cdb_open_make(const char *name, int open_flags,
				        int dict_flags)
{
    DICT_CDB_MAKE *dm;
    DICT   *dict;
    char   *path = concatenate(name, DICT_CDB_SUFFIX, (char *) 0);
    char   *tmp_path = concatenate(name, DICT_CDB_TMP_SUFFIX, (char *) 0);
    char   *lock_path = concatenate(name, DICT_CDB_LOCK_SUFFIX, (char *) 0);

    dm = (DICT_CDB_MAKE *) dict_alloc(DICT_TYPE_CDB, name, sizeof(*dm));
    dm->path = path;
    dm->tmp_path = tmp_path;
    dm->lock_path = lock_path;
    dm->fd = -1;

    /* Concurrent builds take turns; the lock also protects tmp_path. */
    dm->lock_fd = open(lock_path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW,
		       DICT_CDB_FILE_MODE);
    if (dm->lock_fd < 0 && errno == EACCES)
	dm->lock_fd = open(lock_path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (dm->lock_fd < 0
	|| myflock(dm->lock_fd, MYFLOCK_STYLE_FLOCK, MYFLOCK_OP_EXCLUSIVE) < 0) {
	dict = dict_surrogate(DICT_TYPE_CDB, name, open_flags, dict_flags,
			      "open database %s: lock %s: %m", path, lock_path);
    } else if ((unlink(tmp_path) < 0 && errno != ENOENT)
	       || (dm->fd = open(tmp_path, O_RDWR | O_CREAT | O_EXCL
				 | O_NOFOLLOW | O_CLOEXEC,
				 DICT_CDB_FILE_MODE)) < 0) {
	dict = dict_surrogate(DICT_TYPE_CDB, name, open_flags, dict_flags,
			      "open database %s: create %s: %m", path, tmp_path);
    } else if (cdb_make_start(&dm->make, dm->fd) < 0) {
	dict = dict_surrogate(DICT_TYPE_CDB, name, open_flags, dict_flags,
			      "open database %s: write %s: %m", path, tmp_path);
    } else {
	dm->dict.open_flags = open_flags;
	dm->dict.flags = dict_flags | DICT_FLAG_FIXED;
	dm->dict.update = dict_cdb_make_update;
	dm->dict.close = dict_cdb_make_close;
	dm->dict.lock_fd = dm->lock_fd;
	return &dm->dict;
    }
    if (dm->fd >= 0) {
	(void) close(dm->fd);
	(void) unlink(tmp_path);
    }
    if (dm->lock_fd >= 0)
	(void) close(dm->lock_fd);
    myfree(path);
    myfree(tmp_path);
    myfree(lock_path);
    dict_free(&dm->dict);
    return dict;
}

/* dict_cdb_open - open a cdb: table for lookups or for building */
DICT   *dict_cdb_open(const char *name, int open_flags, int dict_flags)
{
    if ((open_flags & O_ACCMODE) == O_RDONLY)
	return dict_cdb_open_read(name, open_flags, dict_flags);
    if ((open_flags & (O_CREAT | O_TRUNC)) == (O_CREAT | O_TRUNC))
	return dict_cdb_open_make(name, open_flags, dict_flags);
    return dict_surrogate(DICT_TYPE_CDB, name, open_flags, dict_flags,
			  "%s:%s: a cdb table cannot be updated in place; "
			  "edit its source file and rebuild it with postmap",
			  DICT_TYPE_CDB, name);
}
