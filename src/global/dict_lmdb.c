/*
 * dict_lmdb - indexed lookup tables in LMDB files: open, close, checks
 *
 * SYNOPSIS
 *	#include "dict_lmdb.h"
 *	#include "dict_lmdb_private.h"
 *
 * DESCRIPTION
 *	See dict_lmdb.h for the interface, dict_lmdb_private.h for how the
 *	driver is split, and docs/internals/lookup-tables.md for the file
 *	format and the locking protocol. This file opens and closes tables,
 *	checks files and the data that LMDB returns, sizes the map, and
 *	holds the locks:
 *
 *	- Byte 0 of the data file is the transaction lock: readers hold it
 *	  shared during each read transaction; a writer holds it exclusive
 *	  only while mdb_txn_commit() writes pages. LMDB runs with
 *	  MDB_NOLOCK, so this lock is what keeps a reader from seeing pages
 *	  that a commit is recycling.
 *	- The lock file "name.lmdb.lock" serializes writers: in-place
 *	  updates, batches, and rebuilds (which write "name.lmdb.tmp" and
 *	  rename it into place). Readers never open it.
 *
 *	Damaged files: what LMDB reports (MDB_INVALID, MDB_VERSION_MISMATCH,
 *	MDB_CORRUPTED, MDB_PAGE_NOTFOUND) and what plain checks find (an
 *	empty file, an impossible page size, a file shorter than its meta
 *	pages or its last page, a record larger than the file) become
 *	errors that name the file. LMDB does not check the
 *	inside of pages, and there is no handler for the memory faults that
 *	such damage can cause: a process that faults dies, and master
 *	restarts it. An LMDB assertion failure logs the file and aborts.
 *
 *	This module does not read or write records (dict_lmdb_record.c).
 * DIAGNOSTICS
 *	Open errors: "open database <path>: <reason>" (the caller makes a
 *	surrogate table). Warnings: "<type>:<name>: corrupted database
 *	<path>: <what>" (DICT_ERR_CONFIG) and "<type>:<name>: database
 *	<path>: <what>: <error>" (DICT_ERR_RETRY). Panic: an LMDB
 *	assertion failure.
 */
#include "sys_defs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <lmdb.h>

#include "msg.h"
#include "mymalloc.h"
#include "vstring.h"
#include "stringops.h"
#include "myflock.h"
#include "mail_params.h"
#include "dict.h"
#include "dict_lmdb.h"
#include "dict_lmdb_private.h"

#define DICT_LMDB_MIN_MAP_SIZE	(64 * 1024)

 /*
  * LMDB's file format (data version 1, as liblmdb 0.9 writes it) starts
  * with two meta pages. Each is a page header (a page number and four
  * 16-bit fields), then the magic number, the format version, the map
  * address, the map size, and the record of the free-page database,
  * whose first 32-bit field is the page size. mdb_env_open() trusts that
  * page size (0 makes it divide by zero), so it is checked first.
  */
#define DICT_LMDB_META_MAGIC	0xBEEFC0DEU
#define DICT_LMDB_META_VERSION	1U
#define DICT_LMDB_META_MAGIC_OFF (sizeof(size_t) + 4 * sizeof(uint16_t))
#define DICT_LMDB_META_PSIZE_OFF (DICT_LMDB_META_MAGIC_OFF \
		+ 2 * sizeof(uint32_t) + sizeof(void *) + sizeof(size_t))
#define DICT_LMDB_MIN_PAGE_SIZE	256
#define DICT_LMDB_MAX_PAGE_SIZE	65536

/* dict_lmdb_assert - LMDB found an inconsistency: name the file, abort */
static void dict_lmdb_assert(MDB_env *env, const char *text)
{
    DICT_LMDB *dl = mdb_env_get_userctx(env);

    if (dl != NULL)
	msg_panic("%s:%s: corrupted database %s: %s", dl->dict.type,
		  dl->dict.name, dl->path, text);
    msg_panic("corrupted LMDB database: %s", text);
}

/* dict_lmdb_corrupt - report damage found in the open file */
void    dict_lmdb_corrupt(DICT_LMDB *dl, const char *fmt,...)
{
    VSTRING *why = vstring_alloc(100);
    va_list ap;

    va_start(ap, fmt);
    vstring_vsprintf(why, fmt, ap);
    va_end(ap);
    msg_warn("%s:%s: corrupted database %s: %s", dl->dict.type,
	     dl->dict.name, dl->path, vstring_str(why));
    dl->dict.error = DICT_ERR_CONFIG;
    vstring_free(why);
}

/* dict_lmdb_fail - log an LMDB error of an operation, set dict->error */
void    dict_lmdb_fail(DICT_LMDB *dl, const char *what, int rc)
{
    if (rc == MDB_CORRUPTED || rc == MDB_INVALID || rc == MDB_PAGE_NOTFOUND
	|| rc == MDB_VERSION_MISMATCH) {
	dict_lmdb_corrupt(dl, "%s: %s", what, mdb_strerror(rc));
	return;
    }
    msg_warn("%s:%s: database %s: %s: %s", dl->dict.type, dl->dict.name,
	     dl->path, what, mdb_strerror(rc));
    dl->dict.error = rc == MDB_BAD_VALSIZE ? DICT_ERR_CONFIG : DICT_ERR_RETRY;
}

/* dict_lmdb_fsync_dir - make a rename in the directory of path durable */
int     dict_lmdb_fsync_dir(const char *path)
{
    char   *dir = mystrdup(path);
    char   *slash = strrchr(dir, '/');
    int     fd;
    int     ret;

    if (slash == NULL) {
	myfree(dir);
	dir = mystrdup(".");
    } else if (slash == dir)
	slash[1] = 0;
    else
	*slash = 0;
    if ((fd = open(dir, O_RDONLY | O_CLOEXEC)) < 0) {
	ret = -1;
    } else {
	ret = fsync(fd);
	if (ret < 0 && (errno == EINVAL || errno == EBADF))
	    ret = 0;				/* not supported for directories */
	(void) close(fd);
    }
    myfree(dir);
    return ret;
}

/* dict_lmdb_env_close - close the environment, if any */
void    dict_lmdb_env_close(DICT_LMDB *dl)
{
    if (dl->txn != NULL) {
	mdb_txn_abort(dl->txn);
	dl->txn = NULL;
    }
    if (dl->env != NULL) {
	mdb_env_close(dl->env);
	dl->env = NULL;
    }
    dl->data_fd = -1;
    dl->data_lock_held = false;
}

/* dict_lmdb_meta_psize - the page size in a meta page; -1 if not a meta */
static long dict_lmdb_meta_psize(int fd, off_t offset)
{
    unsigned char buf[DICT_LMDB_META_PSIZE_OFF + sizeof(uint32_t)];
    uint32_t magic;
    uint32_t version;
    uint32_t psize;

    if (pread(fd, buf, sizeof(buf), offset) != (ssize_t) sizeof(buf))
	return -1;
    memcpy(&magic, buf + DICT_LMDB_META_MAGIC_OFF, sizeof(magic));
    memcpy(&version, buf + DICT_LMDB_META_MAGIC_OFF + sizeof(magic),
	   sizeof(version));
    if (magic != DICT_LMDB_META_MAGIC || version != DICT_LMDB_META_VERSION)
	return -1;
    memcpy(&psize, buf + DICT_LMDB_META_PSIZE_OFF, sizeof(psize));
    return psize;
}

/*
 * dict_lmdb_check_header - refuse files whose meta pages mdb_env_open()
 * would misread: empty, an impossible page size, shorter than the two
 * meta pages. Files that are not LMDB at all are left to mdb_env_open(),
 * which says so. Returns 0, or -1 with the reason in why.
 */
static int dict_lmdb_check_header(const char *path, VSTRING *why)
{
    struct stat st;
    long    psize[2];
    int     fd;
    int     ret = -1;

    /* (O_NONBLOCK: a FIFO must not hang the open; LMDB reports it.) */
    if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) < 0)
	return 0;				/* mdb_env_open() reports it */
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
	ret = 0;
    } else if (st.st_size == 0) {
	/* LMDB would take an empty file for a new database. */
	vstring_sprintf(why, "open database %s: %s", path,
			mdb_strerror(MDB_INVALID));
    } else if ((psize[0] = dict_lmdb_meta_psize(fd, 0)) < 0) {
	ret = 0;
    } else if (psize[0] < DICT_LMDB_MIN_PAGE_SIZE
	       || psize[0] > DICT_LMDB_MAX_PAGE_SIZE
	       || (psize[0] & (psize[0] - 1)) != 0) {
	vstring_sprintf(why, "open database %s: MDB_CORRUPTED: invalid page "
			"size %ld", path, psize[0]);
    } else if (st.st_size < 2 * (off_t) psize[0]) {
	vstring_sprintf(why, "open database %s: MDB_CORRUPTED: file is too "
			"small for its meta pages (%lld bytes, need %ld)", path,
			(long long) st.st_size, 2 * psize[0]);
    } else if ((psize[1] = dict_lmdb_meta_psize(fd, psize[0])) >= 0
	       && psize[1] != psize[0]) {
	vstring_sprintf(why, "open database %s: MDB_CORRUPTED: the meta pages "
			"disagree about the page size", path);
    } else {
	ret = 0;
    }
    (void) close(fd);
    return ret;
}

/* dict_lmdb_check_file - refuse files that would make LMDB read past EOF */
static int dict_lmdb_check_file(DICT_LMDB *dl, const char *path, VSTRING *why)
{
    MDB_envinfo info;
    MDB_stat st;
    struct stat fst;
    unsigned long long need;

    if (mdb_env_info(dl->env, &info) != 0 || mdb_env_stat(dl->env, &st) != 0
	|| fstat(dl->data_fd, &fst) < 0) {
	vstring_sprintf(why, "open database %s: cannot get file status: %m",
			path);
	return -1;
    }
    need = ((unsigned long long) info.me_last_pgno + 1) * st.ms_psize;
    if ((unsigned long long) fst.st_size < need) {
	vstring_sprintf(why, "open database %s: MDB_CORRUPTED: file is "
			"truncated (%lld bytes, need %llu)", path,
			(long long) fst.st_size, need);
	return -1;
    }
    dl->data_dev = fst.st_dev;
    dl->data_ino = fst.st_ino;
    dl->data_size = fst.st_size;
    return 0;
}

/*
 * dict_lmdb_check_val - could a key or value that LMDB returned be real?
 * In a read transaction it must fit in the file; a write transaction
 * may also return data that it added (in memory), which must fit in the
 * map. (LMDB does not tell where its map starts, so data that runs past
 * the end of the file cannot be told from data that does not.)
 */
bool    dict_lmdb_check_val(DICT_LMDB *dl, const MDB_val *val)
{
    MDB_envinfo info;
    struct stat fst;

    if (val->mv_size <= (size_t) dl->data_size)
	return true;
    if (dl->txn != NULL && mdb_env_info(dl->env, &info) == 0
	&& val->mv_size <= info.me_mapsize)
	return true;
    /* The file may have grown since we looked. */
    if (fstat(dl->data_fd, &fst) == 0 && fst.st_size > dl->data_size) {
	dl->data_size = fst.st_size;
	if (val->mv_size <= (size_t) dl->data_size)
	    return true;
    }
    dict_lmdb_corrupt(dl, "record of %zu bytes in a file of %lld bytes",
		      val->mv_size, (long long) dl->data_size);
    return false;
}

/* dict_lmdb_map_size - the configured initial map size */
static size_t dict_lmdb_map_size(void)
{
    long    size = VAR_INT(lmdb_map_size);

    return size < DICT_LMDB_MIN_MAP_SIZE ? DICT_LMDB_MIN_MAP_SIZE : (size_t) size;
}

/* dict_lmdb_env_setup - open and check path in the new dl->env */
static int dict_lmdb_env_setup(DICT_LMDB *dl, const char *path,
			               unsigned env_flags, VSTRING *why)
{
    MDB_txn *txn;
    int     rc;

    rc = mdb_env_open(dl->env, path, env_flags | MDB_NOSUBDIR | MDB_NOLOCK
		      | MDB_NOTLS, DICT_LMDB_FILE_MODE);
    if (rc != 0) {
	vstring_sprintf(why, "open database %s: %s", path, mdb_strerror(rc));
	return -1;
    }
    if (mdb_env_get_fd(dl->env, &dl->data_fd) != 0) {
	vstring_sprintf(why, "open database %s: no file descriptor", path);
	return -1;
    }
    (void) fcntl(dl->data_fd, F_SETFD, FD_CLOEXEC);
    if (dict_lmdb_check_file(dl, path, why) < 0)
	return -1;
    if (mdb_env_get_maxkeysize(dl->env) < DICT_LMDB_KEY_LIMIT) {
	vstring_sprintf(why, "open database %s: this LMDB library stores keys "
			"of up to %d bytes, fewer than the %d that tables use",
			path, mdb_env_get_maxkeysize(dl->env),
			DICT_LMDB_KEY_LIMIT);
	return -1;
    }

    /* The unnamed database always exists; get its handle. */
    if (dict_lmdb_txn_lock(dl, MYFLOCK_OP_SHARED) < 0) {
	vstring_sprintf(why, "open database %s: lock file: %m", path);
	return -1;
    }
    rc = mdb_txn_begin(dl->env, NULL, MDB_RDONLY, &txn);
    if (rc == 0) {
	if ((rc = mdb_dbi_open(txn, NULL, 0, &dl->dbi)) == 0)
	    rc = mdb_txn_commit(txn);
	else
	    mdb_txn_abort(txn);
    }
    (void) dict_lmdb_txn_lock(dl, MYFLOCK_OP_NONE);
    if (rc != 0) {
	vstring_sprintf(why, "open database %s: %s", path, mdb_strerror(rc));
	return -1;
    }
    if (path == dl->tmp_path
	&& (dl->data_dev != dl->tmp_dev || dl->data_ino != dl->tmp_ino)) {
	vstring_sprintf(why, "open database %s: %s was replaced while it "
			"was being created", dl->path, path);
	return -1;
    }
    return 0;
}

/*
 * dict_lmdb_env_open - open path as the table's environment. For writers,
 * env_flags lacks MDB_RDONLY and a missing file is created. The result is
 * 0, or -1 with the reason in why.
 */
int     dict_lmdb_env_open(DICT_LMDB *dl, const char *path,
			           unsigned env_flags, VSTRING *why)
{
    int     rc;

    dict_lmdb_env_close(dl);
    /* Only the new file that dict_lmdb_build_tmp() made may be empty. */
    if (path != dl->tmp_path && dict_lmdb_check_header(path, why) < 0)
	return -1;
    if ((rc = mdb_env_create(&dl->env)) != 0) {
	vstring_sprintf(why, "open database %s: %s", path, mdb_strerror(rc));
	dl->env = NULL;
	return -1;
    }
    (void) mdb_env_set_userctx(dl->env, dl);
    (void) mdb_env_set_assert(dl->env, dict_lmdb_assert);
    if ((env_flags & MDB_RDONLY) == 0
	&& (rc = mdb_env_set_mapsize(dl->env, dict_lmdb_map_size())) != 0) {
	vstring_sprintf(why, "open database %s: set map size: %s", path,
			mdb_strerror(rc));
	dict_lmdb_env_close(dl);
	return -1;
    }
    if (dict_lmdb_env_setup(dl, path, env_flags, why) < 0) {
	dict_lmdb_env_close(dl);
	return -1;
    }
    return 0;
}

/* dict_lmdb_txn_lock - lock or unlock byte 0 of the data file */
int     dict_lmdb_txn_lock(DICT_LMDB *dl, int op)
{
    struct flock lock;

    if (dl->data_lock_held || dl->mode == DICT_LMDB_MODE_REBUILD)
	return 0;
    memset(&lock, 0, sizeof(lock));
    lock.l_type = op == MYFLOCK_OP_SHARED ? F_RDLCK :
	op == MYFLOCK_OP_EXCLUSIVE ? F_WRLCK : F_UNLCK;
    lock.l_whence = SEEK_SET;
    lock.l_start = 0;
    lock.l_len = 1;
    while (fcntl(dl->data_fd, F_SETLKW, &lock) < 0) {
	if (errno != EINTR)
	    return -1;
    }
    return 0;
}

/*
 * dict_lmdb_lockfile - open and lock or unlock the writers' lock file.
 * Returns 0, or -1 with errno set. The lock is a flock() lock, which
 * needs no write permission: a lock file that another user created (say,
 * root with postmap -o) still works.
 */
int     dict_lmdb_lockfile(DICT_LMDB *dl, int op)
{
    if (dl->lockfile_fd < 0) {
	if (op == MYFLOCK_OP_NONE)
	    return 0;
	dl->lockfile_fd = open(dl->lock_path, O_RDWR | O_CREAT | O_CLOEXEC
			       | O_NOFOLLOW, DICT_LMDB_FILE_MODE);
	if (dl->lockfile_fd < 0 && errno == EACCES)
	    dl->lockfile_fd = open(dl->lock_path, O_RDONLY | O_CLOEXEC
				   | O_NOFOLLOW);
	if (dl->lockfile_fd < 0)
	    return -1;
	dl->dict.lock_fd = dl->lockfile_fd;
    }
    return myflock(dl->lockfile_fd, MYFLOCK_STYLE_FLOCK, op) < 0 ? -1 : 0;
}

/* dict_lmdb_grow - double the map size after MDB_MAP_FULL */
int     dict_lmdb_grow(DICT_LMDB *dl)
{
    MDB_envinfo info;
    size_t  size;
    int     rc;

    if ((rc = mdb_env_info(dl->env, &info)) != 0)
	return rc;
    if (info.me_mapsize > SIZE_MAX / 2)
	return MDB_MAP_FULL;
    size = info.me_mapsize * 2;
    if (msg_verbose)
	msg_info("%s:%s: growing map size to %zu", dl->dict.type,
		 dl->dict.name, size);
    return mdb_env_set_mapsize(dl->env, size);
}

/* dict_lmdb_txn_begin - start a transaction, adopting a grown map */
int     dict_lmdb_txn_begin(DICT_LMDB *dl, unsigned flags, MDB_txn **txn)
{
    int     rc;
    int     tries;
    struct stat fst;

    for (tries = 0; tries < DICT_LMDB_MAX_RETRY; tries++) {
	if ((rc = mdb_txn_begin(dl->env, NULL, flags, txn)) != MDB_MAP_RESIZED)
	    break;
	/* Another process grew the file; map the new size. */
	if ((rc = mdb_env_set_mapsize(dl->env, 0)) != 0)
	    break;
	if (fstat(dl->data_fd, &fst) == 0)
	    dl->data_size = fst.st_size;
    }
    if (rc != 0)
	*txn = NULL;
    return rc;
}

/* dict_lmdb_close - close the table (committing a batch or rebuild) */
static void dict_lmdb_close(DICT *dict)
{
    DICT_LMDB *dl = (DICT_LMDB *) dict;

    if (dl->mode == DICT_LMDB_MODE_BATCH || dl->mode == DICT_LMDB_MODE_REBUILD)
	dict_lmdb_build_finish(dl);
    dict_lmdb_env_close(dl);
    if (dl->lockfile_fd >= 0)
	(void) close(dl->lockfile_fd);		/* releases the lock */
    dict_lmdb_update_journal_clear(dl);
    myfree(dl->journal);
    myfree(dl->path);
    myfree(dl->tmp_path);
    myfree(dl->lock_path);
    vstring_free(dl->value_buf);
    vstring_free(dl->key_buf);
    vstring_free(dl->record_buf);
    vstring_free(dl->seq_key);
    dict_free(dict);
}

/* dict_lmdb_open_writer - lock and open for in-place updates or a batch */
static bool dict_lmdb_open_writer(DICT_LMDB *dl, VSTRING *why)
{
    bool    ok;

    /* Make sure the table exists, then open it. */
    if (access(dl->path, F_OK) < 0 && errno == ENOENT) {
	if ((dl->dict.open_flags & O_CREAT) == 0) {
	    vstring_sprintf(why, "open database %s: %m", dl->path);
	    return false;
	}
	if (dict_lmdb_lockfile(dl, MYFLOCK_OP_EXCLUSIVE) < 0) {
	    vstring_sprintf(why, "open database %s: lock %s: %m",
			    dl->path, dl->lock_path);
	    return false;
	}
	ok = (access(dl->path, F_OK) == 0
	      || dict_lmdb_build_empty(dl, why) == 0);
	if (dl->mode != DICT_LMDB_MODE_BATCH)
	    (void) dict_lmdb_lockfile(dl, MYFLOCK_OP_NONE);
	if (!ok)
	    return false;
    }
    if (dl->mode == DICT_LMDB_MODE_BATCH) {
	dl->lockfile_held = true;
	if (dict_lmdb_lockfile(dl, MYFLOCK_OP_EXCLUSIVE) < 0) {
	    vstring_sprintf(why, "open database %s: lock %s: %m",
			    dl->path, dl->lock_path);
	    return false;
	}
    }
    return dict_lmdb_env_open(dl, dl->path, 0, why) == 0;
}

/* dict_lmdb_open - open an lmdb: table */
DICT   *dict_lmdb_open(const char *name, int open_flags, int dict_flags)
{
    const char *type = DICT_TYPE_LMDB;
    DICT_LMDB *dl;
    VSTRING *why;
    DICT   *dict;
    bool    tmp_owned = false;
    bool    ok;

    dl = (DICT_LMDB *) dict_alloc(type, name, sizeof(*dl));
    dl->dict.open_flags = open_flags;
    dl->dict.flags = dict_flags | DICT_FLAG_FIXED;
    dl->dict.lookup = dict_lmdb_lookup;
    dl->dict.update = dict_lmdb_update;
    dl->dict.delete = dict_lmdb_delete;
    dl->dict.sequence = dict_lmdb_sequence;
    dl->dict.lock = dict_lmdb_lock;
    dl->dict.close = dict_lmdb_close;
    dl->path = concatenate(name, DICT_LMDB_SUFFIX, (char *) 0);
    dl->tmp_path = concatenate(name, DICT_LMDB_TMP_SUFFIX, (char *) 0);
    dl->lock_path = concatenate(name, DICT_LMDB_LOCK_SUFFIX, (char *) 0);
    dl->data_fd = -1;
    dl->lockfile_fd = -1;
    dl->value_buf = vstring_alloc(100);
    dl->key_buf = vstring_alloc(100);
    dl->record_buf = vstring_alloc(100);
    dl->seq_key = vstring_alloc(100);

    if ((open_flags & O_ACCMODE) == O_RDONLY)
	dl->mode = DICT_LMDB_MODE_READ;
    else if (open_flags & O_TRUNC)
	dl->mode = DICT_LMDB_MODE_REBUILD;
    else if (dict_flags & DICT_FLAG_BULK_UPDATE)
	dl->mode = DICT_LMDB_MODE_BATCH;
    else
	dl->mode = DICT_LMDB_MODE_UPDATE;

    why = vstring_alloc(100);
    switch (dl->mode) {
    case DICT_LMDB_MODE_READ:
	ok = dict_lmdb_env_open(dl, dl->path, MDB_RDONLY, why) == 0;
	break;
    case DICT_LMDB_MODE_REBUILD:
	/* Hold the writers' lock until the new file is in place. */
	dl->lockfile_held = true;
	if (dict_lmdb_lockfile(dl, MYFLOCK_OP_EXCLUSIVE) < 0) {
	    vstring_sprintf(why, "open database %s: lock %s: %m",
			    dl->path, dl->lock_path);
	    ok = false;
	    break;
	}
	tmp_owned = true;
	ok = (dict_lmdb_build_tmp(dl, why) == 0
	      && dict_lmdb_env_open(dl, dl->tmp_path, MDB_NOSYNC, why) == 0);
	break;
    default:
	ok = dict_lmdb_open_writer(dl, why);
	break;
    }
    if (!ok) {
	if (tmp_owned)
	    (void) unlink(dl->tmp_path);
	dl->mode = DICT_LMDB_MODE_READ;		/* nothing to commit */
	dict_lmdb_close(&dl->dict);		/* also releases the lock */
	dict = dict_surrogate(type, name, open_flags, dict_flags, "%s",
			      vstring_str(why));
	vstring_free(why);
	return dict;
    }
    vstring_free(why);
    if (dl->mode == DICT_LMDB_MODE_READ || dl->mode == DICT_LMDB_MODE_UPDATE)
	dict_watch_inode(&dl->dict, dl->path, dl->data_fd);
    return &dl->dict;
}

