/*
 * dict_lmdb - indexed lookup tables in LMDB files (lmdb:, hash:, btree:)
 *
 * DESCRIPTION
 *	See dict_lmdb.h for the interface and docs/internals/lookup-tables.md
 *	for the file format and the locking protocol. In short:
 *
 *	- Byte 0 of the data file is the transaction lock: readers hold it
 *	  shared during each read transaction; a writer holds it exclusive
 *	  only while mdb_txn_commit() writes pages. LMDB runs with
 *	  MDB_NOLOCK, so this lock is what keeps a reader from seeing pages
 *	  that a commit is recycling.
 *	- The lock file "name.lmdb.lock" serializes writers: in-place
 *	  updates, batches, and rebuilds (which write "name.lmdb.tmp" and
 *	  rename it into place). Readers never open it.
 *	- Every write transaction keeps a journal of what it did, so that
 *	  it can be applied again in a bigger map after MDB_MAP_FULL.
 */
#include "sys_defs.h"

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <lmdb.h>

#include "msg.h"
#include "mymalloc.h"
#include "vstring.h"
#include "stringops.h"
#include "excerpt.h"
#include "myflock.h"
#include "mail_params.h"
#include "dict.h"
#include "dict_lmdb.h"

typedef enum DICT_LMDB_MODE {
    DICT_LMDB_MODE_READ,		/* O_RDONLY */
    DICT_LMDB_MODE_UPDATE,		/* in place, one transaction per update */
    DICT_LMDB_MODE_BATCH,		/* in place, grouped transactions */
    DICT_LMDB_MODE_REBUILD,		/* new file renamed into place */
} DICT_LMDB_MODE;

/* One journal entry: an update that the open write transaction made. */
typedef struct DICT_LMDB_OP {
    bool    is_put;
    char   *key;
    size_t  key_len;
    char   *value;
    size_t  value_len;
} DICT_LMDB_OP;

typedef struct DICT_LMDB {
    DICT    dict;
    DICT_LMDB_MODE mode;
    char   *path;			/* name.lmdb */
    char   *tmp_path;			/* name.lmdb.tmp */
    char   *lock_path;			/* name.lmdb.lock */
    MDB_env *env;
    MDB_dbi dbi;
    int     data_fd;			/* LMDB's descriptor of the data file */
    dev_t   data_dev;			/* identity of the open data file */
    ino_t   data_ino;
    dev_t   tmp_dev;			/* identity of the new file we made */
    ino_t   tmp_ino;
    off_t   data_size;			/* file size seen at open or resize */
    size_t  max_key_len;		/* LMDB's key size limit */
    int     lockfile_fd;		/* writers: -1 until needed */
    bool    lockfile_held;		/* for the table's lifetime or dict_lock */
    bool    fault_handler_held;		/* counted in dict_lmdb_handler_users */
    bool    lockfile_this_op;		/* taken for the current update */
    bool    damaged;			/* batch/rebuild hit a damaged file */
    bool    faulted;			/* the last guarded step faulted */
    bool    guard_quiet;		/* caller reports faults itself */
    MDB_txn *read_txn;			/* for cleanup after a fault */
    MDB_cursor *read_cursor;		/* idem */
    bool    data_lock_held;		/* readers: dict_lock() holds byte 0+ */
    MDB_txn *txn;			/* batch/rebuild: open write transaction */
    DICT_LMDB_OP *journal;
    size_t  journal_len;
    size_t  journal_cap;
    size_t  journal_bytes;
    int     null_mode;			/* DICT_LMDB_TRY_* */
    VSTRING *value_buf;			/* lookup and sequence results */
    VSTRING *key_buf;
    VSTRING *seq_key;			/* raw key of the last sequence step */
    bool    seq_started;
} DICT_LMDB;

#define DICT_LMDB_TRY_PLAIN	(1<<0)	/* keys without null byte */
#define DICT_LMDB_TRY_NULL	(1<<1)	/* keys with null byte (Postfix) */

/* Batch and rebuild transactions are committed at these sizes. */
#define DICT_LMDB_CHUNK_OPS	20000
#define DICT_LMDB_CHUNK_BYTES	(64 * 1024 * 1024)

#define DICT_LMDB_MIN_MAP_SIZE	(64 * 1024)
#define DICT_LMDB_MAX_RETRY	64	/* MAP_FULL/MAP_RESIZED rounds */

#define DICT_LMDB_FILE_MODE	0644

static int dict_lmdb_txn_lock(DICT_LMDB *dl, int op);

/* Result of a step whose problem was already logged. */
#define DICT_LMDB_REPORTED	(-1)

 /*
  * LMDB trusts the file: a damaged page can make it read outside the
  * mapped file (SIGBUS) or outside the map (SIGSEGV). Each LMDB call that
  * walks pages of an existing file runs under a guard that installs a
  * handler for these signals, turns a fault into an error for this
  * table. The handler stays installed while any table that reads an
  * existing file is open (it passes faults outside a guard on to the
  * previous handler), so a lookup costs no extra system calls. A
  * rebuild writes a new file of its own and needs no guard.
  */
typedef int (*DICT_LMDB_STEP_FN) (DICT_LMDB *dl, void *context);

static sigjmp_buf dict_lmdb_fault_jmp;
static volatile sig_atomic_t dict_lmdb_guard_active;
static int dict_lmdb_handler_users;	/* open tables that need it */
static struct sigaction dict_lmdb_old_segv;
static struct sigaction dict_lmdb_old_bus;

/* dict_lmdb_assert - LMDB found an internal inconsistency */
static void dict_lmdb_assert(MDB_env *env, const char *text)
{
    DICT_LMDB *dl = mdb_env_get_userctx(env);

    /* Under a guard this is damage like any other; else LMDB aborts. */
    if (dict_lmdb_guard_active)
	siglongjmp(dict_lmdb_fault_jmp, 1);
    if (dl != NULL)
	msg_fatal("%s:%s: corrupted database %s: %s",
		  dl->dict.type, dl->dict.name, dl->path, text);
    msg_fatal("corrupted LMDB database: %s", text);
}

/* dict_lmdb_fault - SIGSEGV/SIGBUS handler */
static void dict_lmdb_fault(int sig)
{
    if (dict_lmdb_guard_active)
	siglongjmp(dict_lmdb_fault_jmp, sig);
    /* Not in a guard: the fault happens again with the old handler. */
    (void) sigaction(sig, sig == SIGBUS ? &dict_lmdb_old_bus :
		     &dict_lmdb_old_segv, (struct sigaction *) 0);
}

/* dict_lmdb_handler - install (on) or remove (off) the fault handler */
static void dict_lmdb_handler(bool on)
{
    struct sigaction action;

    if (on) {
	memset(&action, 0, sizeof(action));
	action.sa_handler = dict_lmdb_fault;
	sigemptyset(&action.sa_mask);
	if (sigaction(SIGSEGV, &action, &dict_lmdb_old_segv) < 0
	    || sigaction(SIGBUS, &action, &dict_lmdb_old_bus) < 0)
	    msg_fatal("dict_lmdb: sigaction: %m");
    } else {
	if (sigaction(SIGSEGV, &dict_lmdb_old_segv, (struct sigaction *) 0) < 0
	    || sigaction(SIGBUS, &dict_lmdb_old_bus, (struct sigaction *) 0) < 0)
	    msg_fatal("dict_lmdb: sigaction: %m");
    }
}

/*
 * dict_lmdb_guard - run a step that reads the map. A memory fault becomes
 * a warning, DICT_ERR_CONFIG and the result DICT_LMDB_REPORTED.
 */
static int dict_lmdb_guard(DICT_LMDB *dl, DICT_LMDB_STEP_FN step,
			           void *context)
{
    sigset_t faults;
    volatile int rc;

    /* No guard for our own new file; an outer guard covers nested steps. */
    if (dl->mode == DICT_LMDB_MODE_REBUILD || dict_lmdb_guard_active)
	return step(dl, context);
    if (dict_lmdb_handler_users == 0)
	msg_panic("dict_lmdb_guard: %s: no fault handler", dl->path);
    dl->faulted = false;
    if (sigsetjmp(dict_lmdb_fault_jmp, 0) == 0) {
	dict_lmdb_guard_active = 1;
	rc = step(dl, context);
	dict_lmdb_guard_active = 0;
    } else {
	/* The handler was left by a jump: unblock its signal again. */
	dict_lmdb_guard_active = 0;
	sigemptyset(&faults);
	sigaddset(&faults, SIGSEGV);
	sigaddset(&faults, SIGBUS);
	(void) sigprocmask(SIG_UNBLOCK, &faults, (sigset_t *) 0);
	if (!dl->guard_quiet)
	    msg_warn("%s:%s: corrupted database %s: invalid memory access",
		     dl->dict.type, dl->dict.name, dl->path);
	dl->dict.error = DICT_ERR_CONFIG;
	dl->faulted = true;
	rc = DICT_LMDB_REPORTED;
    }
    return rc;
}

/* dict_lmdb_fsync_dir - make a rename in the directory of path durable */
static int dict_lmdb_fsync_dir(const char *path)
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
static void dict_lmdb_env_close(DICT_LMDB *dl)
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

/* dict_lmdb_map_size - the configured initial map size */
static size_t dict_lmdb_map_size(void)
{
    long    size = VAR_INT(lmdb_map_size);

    return size < DICT_LMDB_MIN_MAP_SIZE ? DICT_LMDB_MIN_MAP_SIZE : (size_t) size;
}

/*
 * dict_lmdb_create_tmp - create dl->tmp_path exclusively (never through a
 * symbolic link) and remember its identity. The caller holds the lock.
 */
static int dict_lmdb_create_tmp(DICT_LMDB *dl, VSTRING *why)
{
    struct stat st;
    int     fd;

    if (unlink(dl->tmp_path) < 0 && errno != ENOENT) {
	vstring_sprintf(why, "open database %s: remove %s: %m", dl->path,
			dl->tmp_path);
	return -1;
    }
    if ((fd = open(dl->tmp_path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW
		   | O_CLOEXEC, DICT_LMDB_FILE_MODE)) < 0
	|| fstat(fd, &st) < 0) {
	vstring_sprintf(why, "open database %s: create %s: %m", dl->path,
			dl->tmp_path);
	if (fd >= 0)
	    (void) close(fd);
	return -1;
    }
    (void) close(fd);
    dl->tmp_dev = st.st_dev;
    dl->tmp_ino = st.st_ino;
    return 0;
}

/* Arguments of one environment open step. */
typedef struct DICT_LMDB_OPEN {
    const char *path;
    unsigned env_flags;
    VSTRING *why;
} DICT_LMDB_OPEN;

/* dict_lmdb_env_open_step - open and check the file (under the guard) */
static int dict_lmdb_env_open_step(DICT_LMDB *dl, void *context)
{
    DICT_LMDB_OPEN *op = context;
    MDB_txn *txn;
    int     rc;

    rc = mdb_env_open(dl->env, op->path, op->env_flags | MDB_NOSUBDIR
		      | MDB_NOLOCK | MDB_NOTLS, DICT_LMDB_FILE_MODE);
    if (rc != 0) {
	vstring_sprintf(op->why, "open database %s: %s", op->path,
			mdb_strerror(rc));
	return DICT_LMDB_REPORTED;
    }
    if (mdb_env_get_fd(dl->env, &dl->data_fd) != 0) {
	vstring_sprintf(op->why, "open database %s: no file descriptor",
			op->path);
	return DICT_LMDB_REPORTED;
    }
    (void) fcntl(dl->data_fd, F_SETFD, FD_CLOEXEC);
    if (dict_lmdb_check_file(dl, op->path, op->why) < 0)
	return DICT_LMDB_REPORTED;
    dl->max_key_len = mdb_env_get_maxkeysize(dl->env);

    /* The unnamed database always exists; get its handle. */
    if (dict_lmdb_txn_lock(dl, MYFLOCK_OP_SHARED) < 0) {
	vstring_sprintf(op->why, "open database %s: lock file: %m", op->path);
	return DICT_LMDB_REPORTED;
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
	vstring_sprintf(op->why, "open database %s: %s", op->path,
			mdb_strerror(rc));
	return DICT_LMDB_REPORTED;
    }
    return 0;
}

/*
 * dict_lmdb_env_open - open path as the table's environment. For writers,
 * env_flags lacks MDB_RDONLY and a missing file is created. The result is
 * 0, or -1 with the reason in why.
 */
static int dict_lmdb_env_open(DICT_LMDB *dl, const char *path,
			              unsigned env_flags, VSTRING *why)
{
    DICT_LMDB_OPEN op;
    struct stat fst;
    int     rc;

    dict_lmdb_env_close(dl);

    /*
     * LMDB takes an existing empty file for a new database. Other than
     * the new file that dict_lmdb_create_tmp() made, an empty file is
     * damage (tables are renamed into place complete), not a table to
     * initialize or read.
     */
    if (path != dl->tmp_path && stat(path, &fst) == 0 && S_ISREG(fst.st_mode)
	&& fst.st_size == 0) {
	vstring_sprintf(why, "open database %s: %s", path,
			mdb_strerror(MDB_INVALID));
	return -1;
    }
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
    op.path = path;
    op.env_flags = env_flags;
    op.why = why;
    dl->guard_quiet = true;
    rc = dict_lmdb_guard(dl, dict_lmdb_env_open_step, &op);
    dl->guard_quiet = false;
    if (rc == 0 && path == dl->tmp_path
	&& (dl->data_dev != dl->tmp_dev || dl->data_ino != dl->tmp_ino)) {
	vstring_sprintf(why, "open database %s: %s was replaced while it "
			"was being created", dl->path, path);
	rc = DICT_LMDB_REPORTED;
    }
    if (rc != 0) {
	if (dl->faulted)
	    vstring_sprintf(why, "open database %s: MDB_CORRUPTED: "
			    "invalid memory access", path);
	(void) dict_lmdb_txn_lock(dl, MYFLOCK_OP_NONE);
	dict_lmdb_env_close(dl);
	return -1;
    }
    return 0;
}

/* dict_lmdb_txn_lock - lock or unlock byte 0 of the data file */
static int dict_lmdb_txn_lock(DICT_LMDB *dl, int op)
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
static int dict_lmdb_lockfile(DICT_LMDB *dl, int op)
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
static int dict_lmdb_grow(DICT_LMDB *dl)
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
static int dict_lmdb_txn_begin(DICT_LMDB *dl, unsigned flags, MDB_txn **txn)
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

/* dict_lmdb_journal_add - remember an update of the open transaction */
static void dict_lmdb_journal_add(DICT_LMDB *dl, bool is_put,
				          const MDB_val *key, const MDB_val *value)
{
    DICT_LMDB_OP *op;

    if (dl->journal_len == dl->journal_cap) {
	dl->journal_cap = dl->journal_cap ? dl->journal_cap * 2 : 64;
	dl->journal = myrealloc(dl->journal,
				dl->journal_cap * sizeof(*dl->journal));
    }
    op = dl->journal + dl->journal_len++;
    op->is_put = is_put;
    op->key = mymemdup(key->mv_data, key->mv_size);
    op->key_len = key->mv_size;
    op->value = is_put ? mymemdup(value->mv_data, value->mv_size) : NULL;
    op->value_len = is_put ? value->mv_size : 0;
    dl->journal_bytes += op->key_len + op->value_len + sizeof(*op);
}

/* dict_lmdb_journal_clear - forget the journal after commit or abort */
static void dict_lmdb_journal_clear(DICT_LMDB *dl)
{
    size_t  n;

    for (n = 0; n < dl->journal_len; n++) {
	myfree(dl->journal[n].key);
	myfree(dl->journal[n].value);
    }
    dl->journal_len = 0;
    dl->journal_bytes = 0;
}

/* dict_lmdb_journal_replay - apply the journal to a fresh transaction */
static int dict_lmdb_journal_replay(DICT_LMDB *dl, MDB_txn *txn)
{
    MDB_val key;
    MDB_val value;
    size_t  n;
    int     rc;

    for (n = 0; n < dl->journal_len; n++) {
	key.mv_data = dl->journal[n].key;
	key.mv_size = dl->journal[n].key_len;
	if (dl->journal[n].is_put) {
	    value.mv_data = dl->journal[n].value;
	    value.mv_size = dl->journal[n].value_len;
	    rc = mdb_put(txn, dl->dbi, &key, &value, 0);
	} else {
	    rc = mdb_del(txn, dl->dbi, &key, NULL);
	    if (rc == MDB_NOTFOUND)
		rc = 0;
	}
	if (rc != 0)
	    return rc;
    }
    return 0;
}

/*
 * dict_lmdb_restart - after MAP_FULL: grow the map and redo the journal in
 * a new write transaction. *txn must have been aborted or freed.
 */
static int dict_lmdb_restart(DICT_LMDB *dl, MDB_txn **txn)
{
    int     rc;
    int     tries;

    for (tries = 0; tries < DICT_LMDB_MAX_RETRY; tries++) {
	if ((rc = dict_lmdb_grow(dl)) != 0)
	    return rc;
	if ((rc = dict_lmdb_txn_begin(dl, 0, txn)) != 0)
	    return rc;
	if ((rc = dict_lmdb_journal_replay(dl, *txn)) == 0)
	    return 0;
	mdb_txn_abort(*txn);
	*txn = NULL;
	if (rc != MDB_MAP_FULL)
	    return rc;
    }
    return MDB_MAP_FULL;
}

/*
 * dict_lmdb_commit - commit *txn (growing the map as needed), holding the
 * transaction lock exclusively while pages are written.
 */
static int dict_lmdb_commit(DICT_LMDB *dl, MDB_txn **txn)
{
    int     rc;
    int     tries;

    for (tries = 0; tries < DICT_LMDB_MAX_RETRY; tries++) {
	if (dict_lmdb_txn_lock(dl, MYFLOCK_OP_EXCLUSIVE) < 0) {
	    rc = errno;
	    mdb_txn_abort(*txn);
	    *txn = NULL;
	    return rc ? rc : EIO;
	}
	rc = mdb_txn_commit(*txn);
	*txn = NULL;
	(void) dict_lmdb_txn_lock(dl, MYFLOCK_OP_NONE);
	if (rc != MDB_MAP_FULL)
	    break;
	if ((rc = dict_lmdb_restart(dl, txn)) != 0)
	    break;
    }
    dict_lmdb_journal_clear(dl);
    return rc;
}

/* dict_lmdb_same_file - is path still the file that the table has open? */
static bool dict_lmdb_same_file(DICT_LMDB *dl)
{
    struct stat st;

    return stat(dl->path, &st) == 0 && st.st_dev == dl->data_dev
	&& st.st_ino == dl->data_ino;
}

/*
 * dict_lmdb_create_empty - make an empty table at dl->path by renaming a
 * new file into place (caller holds the lock file).
 */
static int dict_lmdb_create_empty(DICT_LMDB *dl, VSTRING *why)
{
    if (dict_lmdb_create_tmp(dl, why) < 0)
	return -1;
    if (dict_lmdb_env_open(dl, dl->tmp_path, 0, why) < 0) {
	(void) unlink(dl->tmp_path);
	return -1;
    }
    if (mdb_env_sync(dl->env, 1) != 0
	|| rename(dl->tmp_path, dl->path) < 0) {
	vstring_sprintf(why, "create database %s: %m", dl->path);
	dict_lmdb_env_close(dl);
	(void) unlink(dl->tmp_path);
	return -1;
    }
    (void) dict_lmdb_fsync_dir(dl->path);
    dict_lmdb_env_close(dl);
    return 0;
}

/*
 * dict_lmdb_writer_begin - take the writers' lock (unless held) and make
 * sure the open file is the current table. Returns 0, or -1 with
 * dict->error set and a warning logged.
 */
static int dict_lmdb_writer_begin(DICT_LMDB *dl, bool *locked_here)
{
    VSTRING *why;
    int     ok;

    *locked_here = false;
    if (!dl->lockfile_held) {
	if (dict_lmdb_lockfile(dl, MYFLOCK_OP_EXCLUSIVE) < 0) {
	    msg_warn("%s:%s: lock %s: %m", dl->dict.type, dl->dict.name,
		     dl->lock_path);
	    dl->dict.error = DICT_ERR_RETRY;
	    return -1;
	}
	*locked_here = true;
    }
    if (dl->env != NULL && dict_lmdb_same_file(dl))
	return 0;

    /* postmap replaced (or removed) the table since we opened it. */
    why = vstring_alloc(100);
    if (access(dl->path, F_OK) < 0 && errno == ENOENT) {
	if (dl->dict.open_flags & O_CREAT) {
	    ok = dict_lmdb_create_empty(dl, why) == 0;
	} else {
	    vstring_sprintf(why, "open database %s: %m", dl->path);
	    ok = false;
	}
    } else {
	ok = true;
    }
    if (ok && dict_lmdb_env_open(dl, dl->path, 0, why) == 0) {
	dict_watch_inode(&dl->dict, dl->path, dl->data_fd);
	vstring_free(why);
	return 0;
    }
    msg_warn("%s:%s: %s", dl->dict.type, dl->dict.name, vstring_str(why));
    vstring_free(why);
    if (*locked_here)
	(void) dict_lmdb_lockfile(dl, MYFLOCK_OP_NONE);
    *locked_here = false;
    dl->dict.error = DICT_ERR_RETRY;
    return -1;
}

/* dict_lmdb_writer_end - release what dict_lmdb_writer_begin() took */
static void dict_lmdb_writer_end(DICT_LMDB *dl, bool locked_here)
{
    if (locked_here)
	(void) dict_lmdb_lockfile(dl, MYFLOCK_OP_NONE);
}

/* dict_lmdb_fail - log an LMDB error and set dict->error */
static void dict_lmdb_fail(DICT_LMDB *dl, const char *what, int rc)
{
    msg_warn("%s:%s: %s: %s", dl->dict.type, dl->dict.name, what,
	     mdb_strerror(rc));
    dl->dict.error = (rc == MDB_CORRUPTED || rc == MDB_INVALID
		      || rc == MDB_PAGE_NOTFOUND || rc == MDB_VERSION_MISMATCH
		      || rc == MDB_BAD_VALSIZE) ? DICT_ERR_CONFIG : DICT_ERR_RETRY;
}

/* dict_lmdb_sane - does a record returned by LMDB fit in the file? */
static bool dict_lmdb_sane(DICT_LMDB *dl, const MDB_val *val)
{
    struct stat fst;

    if (val->mv_size <= (size_t) dl->data_size)
	return true;
    /* The file may have grown since we looked. */
    if (fstat(dl->data_fd, &fst) == 0 && fst.st_size > dl->data_size) {
	dl->data_size = fst.st_size;
	if (val->mv_size <= (size_t) dl->data_size)
	    return true;
    }
    msg_warn("%s:%s: corrupted database %s: record of %zu bytes in a file "
	     "of %lld bytes", dl->dict.type, dl->dict.name, dl->path,
	     val->mv_size, (long long) dl->data_size);
    dl->dict.error = DICT_ERR_CONFIG;
    return false;
}

/* dict_lmdb_copy - copy a key or value, dropping a trailing null byte */
static const char *dict_lmdb_copy(VSTRING *buf, const MDB_val *val)
{
    size_t  len = val->mv_size;

    if (len > 0 && ((const char *) val->mv_data)[len - 1] == 0)
	len--;
    vstring_memcpy(buf, val->mv_data, len);
    VSTRING_TERMINATE(buf);
    return vstring_str(buf);
}

/* dict_lmdb_read_begin - a transaction for reading (shared lock held) */
static int dict_lmdb_read_begin(DICT_LMDB *dl, MDB_txn **txn)
{
    int     rc;

    if (dl->txn != NULL) {
	*txn = dl->txn;				/* see our own updates */
	return 0;
    }
    if (dl->env == NULL)
	return EBADF;
    if (dict_lmdb_txn_lock(dl, MYFLOCK_OP_SHARED) < 0)
	return errno ? errno : EIO;
    if ((rc = dict_lmdb_txn_begin(dl, MDB_RDONLY, txn)) != 0)
	(void) dict_lmdb_txn_lock(dl, MYFLOCK_OP_NONE);
    else
	dl->read_txn = *txn;
    return rc;
}

/* dict_lmdb_read_end - end a transaction from dict_lmdb_read_begin() */
static void dict_lmdb_read_end(DICT_LMDB *dl, MDB_txn *txn)
{
    if (txn != dl->txn) {
	mdb_txn_abort(txn);
	dl->read_txn = NULL;
	(void) dict_lmdb_txn_lock(dl, MYFLOCK_OP_NONE);
    }
}

/* dict_lmdb_read_cleanup - after a fault in a read step */
static void dict_lmdb_read_cleanup(DICT_LMDB *dl)
{
    if (dl->read_cursor != NULL) {
	mdb_cursor_close(dl->read_cursor);
	dl->read_cursor = NULL;
    }
    if (dl->read_txn != NULL)
	dict_lmdb_read_end(dl, dl->read_txn);
    else if (dl->txn == NULL)
	(void) dict_lmdb_txn_lock(dl, MYFLOCK_OP_NONE);
}

/*
 * dict_lmdb_get - find key in plain or null-terminated form. Returns an
 * LMDB status; on success *val is the value.
 */
static int dict_lmdb_get(DICT_LMDB *dl, MDB_txn *txn, const char *key,
			         MDB_val *val)
{
    MDB_val k;
    size_t  len = strlen(key);
    int     rc = MDB_NOTFOUND;

    if (len == 0 || len > dl->max_key_len)
	return MDB_NOTFOUND;
    k.mv_data = (void *) key;
    if (dl->null_mode & DICT_LMDB_TRY_PLAIN) {
	k.mv_size = len;
	if ((rc = mdb_get(txn, dl->dbi, &k, val)) == 0) {
	    if (dl->mode == DICT_LMDB_MODE_READ)
		dl->null_mode = DICT_LMDB_TRY_PLAIN;
	    return 0;
	}
	if (rc != MDB_NOTFOUND)
	    return rc;
    }
    if ((dl->null_mode & DICT_LMDB_TRY_NULL) && len < dl->max_key_len) {
	k.mv_size = len + 1;
	if ((rc = mdb_get(txn, dl->dbi, &k, val)) == 0
	    && dl->mode == DICT_LMDB_MODE_READ)
	    dl->null_mode = DICT_LMDB_TRY_NULL;
    }
    return rc;
}

/* Arguments and results of one lookup step. */
typedef struct DICT_LMDB_LOOKUP {
    const char *key;
    const char *result;
} DICT_LMDB_LOOKUP;

/* dict_lmdb_lookup_step - find and copy a value (under the guard) */
static int dict_lmdb_lookup_step(DICT_LMDB *dl, void *context)
{
    DICT_LMDB_LOOKUP *lookup = context;
    MDB_txn *txn;
    MDB_val val;
    int     rc;

    if ((rc = dict_lmdb_read_begin(dl, &txn)) != 0) {
	dict_lmdb_fail(dl, "begin read transaction", rc);
	return DICT_LMDB_REPORTED;
    }
    if ((rc = dict_lmdb_get(dl, txn, lookup->key, &val)) == 0) {
	if (dict_lmdb_sane(dl, &val))
	    lookup->result = dict_lmdb_copy(dl->value_buf, &val);
	else
	    rc = DICT_LMDB_REPORTED;
    }
    dict_lmdb_read_end(dl, txn);
    return rc;
}

/* dict_lmdb_lookup - find a key */
static const char *dict_lmdb_lookup(DICT *dict, const char *key)
{
    DICT_LMDB *dl = (DICT_LMDB *) dict;
    DICT_LMDB_LOOKUP lookup;
    int     rc;

    lookup.key = key;
    lookup.result = NULL;
    rc = dict_lmdb_guard(dl, dict_lmdb_lookup_step, &lookup);
    if (dl->faulted)
	dict_lmdb_read_cleanup(dl);
    else if (rc != 0 && rc != MDB_NOTFOUND && rc != DICT_LMDB_REPORTED)
	dict_lmdb_fail(dl, "lookup", rc);
    return rc == 0 ? lookup.result : NULL;
}

/*
 * dict_lmdb_apply - apply one update inside txn. For a put, *status tells
 * whether the key was stored (DICT_STAT_SUCCESS) or refused as a
 * duplicate (DICT_STAT_FAIL); for a delete, whether it existed. Returns
 * an LMDB status. Successful updates go into the journal.
 */
static int dict_lmdb_apply(DICT_LMDB *dl, MDB_txn *txn, bool is_put,
			           const char *key, const char *value,
			           int *status)
{
    MDB_val k;
    MDB_val v;
    MDB_val nk;
    MDB_val nv;
    unsigned flags;
    int     rc;

    k.mv_data = (void *) key;
    k.mv_size = strlen(key);
    if (is_put) {
	v.mv_data = (void *) value;
	v.mv_size = strlen(value);
	flags = (dl->dict.flags & DICT_FLAG_DUP_REPLACE) ? 0 : MDB_NOOVERWRITE;

	/* The same key in a table built by Postfix has a null byte. */
	if (k.mv_size < dl->max_key_len) {
	    nk.mv_data = (void *) key;
	    nk.mv_size = k.mv_size + 1;
	    if (flags == 0) {
		if ((rc = mdb_del(txn, dl->dbi, &nk, NULL)) == 0)
		    dict_lmdb_journal_add(dl, false, &nk, NULL);
		else if (rc != MDB_NOTFOUND)
		    return rc;
	    } else if ((rc = mdb_get(txn, dl->dbi, &nk, &nv)) == 0) {
		*status = DICT_STAT_FAIL;
		return 0;
	    } else if (rc != MDB_NOTFOUND) {
		return rc;
	    }
	}
	rc = mdb_put(txn, dl->dbi, &k, &v, flags);
	if (rc == MDB_KEYEXIST) {
	    *status = DICT_STAT_FAIL;
	    return 0;
	}
	if (rc == 0) {
	    *status = DICT_STAT_SUCCESS;
	    dict_lmdb_journal_add(dl, true, &k, &v);
	}
	return rc;
    }
    rc = mdb_del(txn, dl->dbi, &k, NULL);
    if (rc == MDB_NOTFOUND) {
	/* A table built by Postfix has null-terminated keys. */
	k.mv_size += 1;
	rc = mdb_del(txn, dl->dbi, &k, NULL);
    }
    if (rc == MDB_NOTFOUND) {
	*status = DICT_STAT_FAIL;
	return 0;
    }
    if (rc == 0) {
	*status = DICT_STAT_SUCCESS;
	dict_lmdb_journal_add(dl, false, &k, NULL);
    }
    return rc;
}

/* dict_lmdb_apply_retry - dict_lmdb_apply(), growing the map as needed */
static int dict_lmdb_apply_retry(DICT_LMDB *dl, MDB_txn **txn, bool is_put,
				         const char *key, const char *value,
				         int *status)
{
    int     rc;
    int     tries;

    for (tries = 0; tries < DICT_LMDB_MAX_RETRY; tries++) {
	rc = dict_lmdb_apply(dl, *txn, is_put, key, value, status);
	if (rc != MDB_MAP_FULL)
	    return rc;
	mdb_txn_abort(*txn);
	*txn = NULL;
	if ((rc = dict_lmdb_restart(dl, txn)) != 0)
	    return rc;
    }
    return MDB_MAP_FULL;
}

/* Arguments and results of one update step. */
typedef struct DICT_LMDB_WRITE {
    bool    is_put;
    const char *key;
    const char *value;
    int     status;			/* DICT_STAT_* */
} DICT_LMDB_WRITE;

/*
 * dict_lmdb_write_step - one update, as its own transaction or as part of
 * the open batch or rebuild transaction (under the guard). Returns an
 * LMDB status, DICT_LMDB_REPORTED, or 0 with the result in status.
 */
static int dict_lmdb_write_step(DICT_LMDB *dl, void *context)
{
    DICT_LMDB_WRITE *wr = context;
    int     rc;

    /* Batch and rebuild: update the open transaction. */
    if (dl->mode == DICT_LMDB_MODE_BATCH || dl->mode == DICT_LMDB_MODE_REBUILD) {
	if (dl->txn == NULL && (rc = dict_lmdb_txn_begin(dl, 0, &dl->txn)) != 0)
	    return rc;
	if ((rc = dict_lmdb_apply_retry(dl, &dl->txn, wr->is_put, wr->key,
					wr->value, &wr->status)) != 0) {
	    if (dl->txn)
		mdb_txn_abort(dl->txn);
	    dl->txn = NULL;
	    dict_lmdb_journal_clear(dl);
	    return rc;
	}
	if (dl->journal_len >= DICT_LMDB_CHUNK_OPS
	    || dl->journal_bytes >= DICT_LMDB_CHUNK_BYTES)
	    return dict_lmdb_commit(dl, &dl->txn);
	return 0;
    }

    /* In-place update: one durable transaction. */
    if (dict_lmdb_writer_begin(dl, &dl->lockfile_this_op) < 0)
	return DICT_LMDB_REPORTED;
    if ((rc = dict_lmdb_txn_begin(dl, 0, &dl->txn)) == 0) {
	rc = dict_lmdb_apply_retry(dl, &dl->txn, wr->is_put, wr->key,
				   wr->value, &wr->status);
	if (rc == 0 && wr->status == DICT_STAT_SUCCESS) {
	    rc = dict_lmdb_commit(dl, &dl->txn);
	} else if (dl->txn != NULL) {
	    mdb_txn_abort(dl->txn);
	    dl->txn = NULL;
	}
    }
    dict_lmdb_journal_clear(dl);
    dict_lmdb_writer_end(dl, dl->lockfile_this_op);
    dl->lockfile_this_op = false;
    return rc;
}

/* dict_lmdb_write - one update; see dict_lmdb_write_step() */
static int dict_lmdb_write(DICT_LMDB *dl, bool is_put, const char *key,
			           const char *value)
{
    DICT_LMDB_WRITE wr;
    int     rc;

    if (dl->mode == DICT_LMDB_MODE_READ) {
	msg_warn("%s:%s: table is open read-only; cannot %s", dl->dict.type,
		 dl->dict.name, is_put ? "update" : "delete");
	dl->dict.error = DICT_ERR_CONFIG;
	return DICT_STAT_ERROR;
    }
    if (*key == 0 || strlen(key) > dl->max_key_len) {
	if (!is_put)
	    return DICT_STAT_FAIL;
	if (*key == 0)
	    msg_warn("%s:%s: empty key is not allowed", dl->dict.type,
		     dl->dict.name);
	else
	    msg_warn("%s:%s: key is longer than %zu bytes: \"%.100s...\"",
		     dl->dict.type, dl->dict.name, dl->max_key_len, key);
	dl->dict.error = DICT_ERR_CONFIG;
	return DICT_STAT_ERROR;
    }
    if (dl->damaged) {
	msg_warn("%s:%s: database %s is damaged; not updated", dl->dict.type,
		 dl->dict.name, dl->path);
	dl->dict.error = DICT_ERR_CONFIG;
	return DICT_STAT_ERROR;
    }
    dl->seq_started = false;
    wr.is_put = is_put;
    wr.key = key;
    wr.value = value;
    wr.status = DICT_STAT_ERROR;
    if ((rc = dict_lmdb_guard(dl, dict_lmdb_write_step, &wr)) == 0)
	return wr.status;
    if (dl->faulted) {
	/* A fault inside LMDB: drop the environment, don't touch it again. */
	dl->txn = NULL;
	dict_lmdb_journal_clear(dl);
	(void) dict_lmdb_txn_lock(dl, MYFLOCK_OP_NONE);
	dict_lmdb_env_close(dl);
	if (dl->lockfile_this_op)
	    (void) dict_lmdb_lockfile(dl, MYFLOCK_OP_NONE);
	dl->lockfile_this_op = false;
	if (dl->mode != DICT_LMDB_MODE_UPDATE)
	    dl->damaged = true;
    } else if (rc != DICT_LMDB_REPORTED) {
	dict_lmdb_fail(dl, is_put ? "update" : "delete", rc);
    }
    return DICT_STAT_ERROR;
}

/* dict_lmdb_update - add a key, with duplicate handling */
static int dict_lmdb_update(DICT *dict, const char *key, const char *value)
{
    DICT_LMDB *dl = (DICT_LMDB *) dict;
    int     status;

    status = dict_lmdb_write(dl, true, key, value);
    if (status == DICT_STAT_FAIL && (dict->flags & DICT_FLAG_DUP_WARN)
	&& !(dict->flags & DICT_FLAG_DUP_IGNORE))
	msg_warn("%s:%s: duplicate entry: \"%s\"", dict->type, dict->name,
		 excerpt(key));
    return status;
}

/* dict_lmdb_delete - remove a key */
static int dict_lmdb_delete(DICT *dict, const char *key)
{
    return dict_lmdb_write((DICT_LMDB *) dict, false, key, NULL);
}

/* Arguments and results of one sequence step. */
typedef struct DICT_LMDB_SEQ {
    int     function;
    const char *key;
    const char *value;
} DICT_LMDB_SEQ;

/* dict_lmdb_sequence_step - find and copy the next entry (under the guard) */
static int dict_lmdb_sequence_step(DICT_LMDB *dl, void *context)
{
    DICT_LMDB_SEQ *seq = context;
    MDB_txn *txn;
    MDB_cursor *cursor;
    MDB_val k;
    MDB_val v;
    MDB_val prev;
    int     rc;

    if ((rc = dict_lmdb_read_begin(dl, &txn)) != 0) {
	dict_lmdb_fail(dl, "begin read transaction", rc);
	return DICT_LMDB_REPORTED;
    }
    if ((rc = mdb_cursor_open(txn, dl->dbi, &cursor)) != 0) {
	dict_lmdb_read_end(dl, txn);
	return rc;
    }
    dl->read_cursor = cursor;
    if (seq->function == DICT_SEQ_FUN_FIRST) {
	rc = mdb_cursor_get(cursor, &k, &v, MDB_FIRST);
    } else {
	prev.mv_data = k.mv_data = vstring_str(dl->seq_key);
	prev.mv_size = k.mv_size = VSTRING_LEN(dl->seq_key);
	rc = mdb_cursor_get(cursor, &k, &v, MDB_SET_RANGE);
	if (rc == 0 && mdb_cmp(txn, dl->dbi, &k, &prev) == 0)
	    rc = mdb_cursor_get(cursor, &k, &v, MDB_NEXT);
	/* A damaged file must not send the walk in circles. */
	if (rc == 0 && mdb_cmp(txn, dl->dbi, &k, &prev) <= 0) {
	    msg_warn("%s:%s: corrupted database %s: keys out of order",
		     dl->dict.type, dl->dict.name, dl->path);
	    dl->dict.error = DICT_ERR_CONFIG;
	    rc = DICT_LMDB_REPORTED;
	}
    }
    if (rc == 0) {
	if (dict_lmdb_sane(dl, &k) && dict_lmdb_sane(dl, &v)) {
	    vstring_memcpy(dl->seq_key, k.mv_data, k.mv_size);
	    seq->key = dict_lmdb_copy(dl->key_buf, &k);
	    seq->value = dict_lmdb_copy(dl->value_buf, &v);
	} else {
	    rc = DICT_LMDB_REPORTED;
	}
    }
    dl->read_cursor = NULL;
    mdb_cursor_close(cursor);
    dict_lmdb_read_end(dl, txn);
    return rc;
}

/*
 * dict_lmdb_sequence - walk the table. Each step is its own short read
 * transaction that continues after the previous key, so no lock is held
 * between calls.
 */
static int dict_lmdb_sequence(DICT *dict, int function, const char **key,
			              const char **value)
{
    DICT_LMDB *dl = (DICT_LMDB *) dict;
    DICT_LMDB_SEQ seq;
    int     rc;

    if (function == DICT_SEQ_FUN_NEXT && !dl->seq_started)
	return DICT_STAT_FAIL;
    seq.function = function;
    rc = dict_lmdb_guard(dl, dict_lmdb_sequence_step, &seq);
    if (dl->faulted)
	dict_lmdb_read_cleanup(dl);
    if (rc == 0) {
	*key = seq.key;
	*value = seq.value;
	dl->seq_started = true;
	return DICT_STAT_SUCCESS;
    }
    dl->seq_started = false;
    if (rc == MDB_NOTFOUND)
	return DICT_STAT_FAIL;
    if (rc != DICT_LMDB_REPORTED)
	dict_lmdb_fail(dl, "sequence", rc);
    return DICT_STAT_ERROR;
}

/*
 * dict_lmdb_lock - dict_lock(): writers lock the lock file, readers the
 * data file (shared). Batches and rebuilds hold their lock anyway.
 */
static int dict_lmdb_lock(DICT *dict, int op)
{
    DICT_LMDB *dl = (DICT_LMDB *) dict;
    int     ret;

    switch (dl->mode) {
    case DICT_LMDB_MODE_BATCH:
    case DICT_LMDB_MODE_REBUILD:
	return 0;
    case DICT_LMDB_MODE_UPDATE:
	if ((ret = dict_lmdb_lockfile(dl, op)) == 0)
	    dl->lockfile_held = (op & (MYFLOCK_OP_SHARED | MYFLOCK_OP_EXCLUSIVE))
		!= 0;
	return ret;
    default:
	if (dl->data_fd < 0)
	    return -1;
	if ((ret = myflock(dl->data_fd, MYFLOCK_STYLE_FCNTL, op)) == 0)
	    dl->data_lock_held = (op & (MYFLOCK_OP_SHARED | MYFLOCK_OP_EXCLUSIVE))
		!= 0;
	return ret;
    }
}

/* dict_lmdb_commit_step - commit the open transaction (under the guard) */
static int dict_lmdb_commit_step(DICT_LMDB *dl, void *context)
{
    (void) context;
    return dict_lmdb_commit(dl, &dl->txn);
}

/* dict_lmdb_finish - commit a batch or rebuild; fatal on failure */
static void dict_lmdb_finish(DICT_LMDB *dl)
{
    int     saved_errno;
    int     rc = 0;

    if (dl->damaged || (dl->txn != NULL
			&& (rc = dict_lmdb_guard(dl, dict_lmdb_commit_step,
						 NULL)) != 0)) {
	if (dl->mode == DICT_LMDB_MODE_REBUILD)
	    (void) unlink(dl->tmp_path);
	msg_fatal("%s:%s: commit %s: %s", dl->dict.type, dl->dict.name,
		  dl->mode == DICT_LMDB_MODE_REBUILD ? dl->tmp_path : dl->path,
		  dl->damaged || rc == DICT_LMDB_REPORTED ?
		  "database is damaged" : mdb_strerror(rc));
    }
    if (dl->mode != DICT_LMDB_MODE_REBUILD)
	return;
    if ((rc = mdb_env_sync(dl->env, 1)) != 0) {
	(void) unlink(dl->tmp_path);
	msg_fatal("%s:%s: sync %s: %s", dl->dict.type, dl->dict.name,
		  dl->tmp_path, mdb_strerror(rc));
    }
    dict_lmdb_env_close(dl);
    if (rename(dl->tmp_path, dl->path) < 0) {
	saved_errno = errno;
	(void) unlink(dl->tmp_path);
	errno = saved_errno;
	msg_fatal("%s:%s: rename %s to %s: %m", dl->dict.type, dl->dict.name,
		  dl->tmp_path, dl->path);
    }
    if (dict_lmdb_fsync_dir(dl->path) < 0)
	msg_warn("%s:%s: sync directory of %s: %m", dl->dict.type,
		 dl->dict.name, dl->path);
}

/* dict_lmdb_close - close the table (committing a batch or rebuild) */
static void dict_lmdb_close(DICT *dict)
{
    DICT_LMDB *dl = (DICT_LMDB *) dict;

    if (dl->mode == DICT_LMDB_MODE_BATCH || dl->mode == DICT_LMDB_MODE_REBUILD)
	dict_lmdb_finish(dl);
    if (dl->fault_handler_held && --dict_lmdb_handler_users == 0)
	dict_lmdb_handler(false);
    dict_lmdb_env_close(dl);
    if (dl->lockfile_fd >= 0)
	(void) close(dl->lockfile_fd);		/* releases the lock */
    dict_lmdb_journal_clear(dl);
    myfree(dl->journal);
    myfree(dl->path);
    myfree(dl->tmp_path);
    myfree(dl->lock_path);
    vstring_free(dl->value_buf);
    vstring_free(dl->key_buf);
    vstring_free(dl->seq_key);
    dict_free(dict);
}

/*
 * dict_lmdb_bdb_hint - explain a missing table next to a Berkeley DB file:
 * after an upgrade from Postfix, hash: and btree: tables must be rebuilt.
 */
static void dict_lmdb_bdb_hint(DICT_LMDB *dl, VSTRING *why)
{
    char   *db_path;

    if (access(dl->path, F_OK) == 0 || errno != ENOENT)
	return;
    db_path = concatenate(dl->dict.name, ".db", (char *) 0);
    if (access(db_path, F_OK) == 0)
	vstring_sprintf_append(why, " (%s is a Berkeley DB file, which is not "
			       "supported: rebuild the table with postmap or "
			       "postalias)", db_path);
    myfree(db_path);
}

/* dict_lmdb_open_type - open a table on behalf of one of the type names */
static DICT *dict_lmdb_open_type(const char *type, const char *name,
				         int open_flags, int dict_flags)
{
    DICT_LMDB *dl;
    VSTRING *why;
    DICT   *dict;
    bool    tmp_owned = false;
    int     ok;

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
    dl->null_mode = DICT_LMDB_TRY_PLAIN | DICT_LMDB_TRY_NULL;
    dl->value_buf = vstring_alloc(100);
    dl->key_buf = vstring_alloc(100);
    dl->seq_key = vstring_alloc(100);

    if ((open_flags & O_ACCMODE) == O_RDONLY)
	dl->mode = DICT_LMDB_MODE_READ;
    else if (open_flags & O_TRUNC)
	dl->mode = DICT_LMDB_MODE_REBUILD;
    else if (dict_flags & DICT_FLAG_BULK_UPDATE)
	dl->mode = DICT_LMDB_MODE_BATCH;
    else
	dl->mode = DICT_LMDB_MODE_UPDATE;
    /* dict_lmdb_close() releases this, also on the error path below. */
    if (dl->mode != DICT_LMDB_MODE_REBUILD) {
	if (dict_lmdb_handler_users++ == 0)
	    dict_lmdb_handler(true);
	dl->fault_handler_held = true;
    }

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
	ok = (dict_lmdb_create_tmp(dl, why) == 0
	      && dict_lmdb_env_open(dl, dl->tmp_path, MDB_NOSYNC, why) == 0);
	break;
    default:
	/* In-place writers: make sure the table exists, then open it. */
	if (access(dl->path, F_OK) < 0 && errno == ENOENT) {
	    if ((open_flags & O_CREAT) == 0) {
		vstring_sprintf(why, "open database %s: %m", dl->path);
		ok = false;
		break;
	    }
	    if (dict_lmdb_lockfile(dl, MYFLOCK_OP_EXCLUSIVE) < 0) {
		vstring_sprintf(why, "open database %s: lock %s: %m",
				dl->path, dl->lock_path);
		ok = false;
		break;
	    }
	    ok = (access(dl->path, F_OK) == 0
		  || dict_lmdb_create_empty(dl, why) == 0);
	    if (dl->mode != DICT_LMDB_MODE_BATCH)
		(void) dict_lmdb_lockfile(dl, MYFLOCK_OP_NONE);
	    if (!ok)
		break;
	}
	if (dl->mode == DICT_LMDB_MODE_BATCH) {
	    dl->lockfile_held = true;
	    if (dict_lmdb_lockfile(dl, MYFLOCK_OP_EXCLUSIVE) < 0) {
		vstring_sprintf(why, "open database %s: lock %s: %m",
				dl->path, dl->lock_path);
		ok = false;
		break;
	    }
	}
	ok = dict_lmdb_env_open(dl, dl->path, 0, why) == 0;
	break;
    }
    if (!ok) {
	if (tmp_owned)
	    (void) unlink(dl->tmp_path);
	dict_lmdb_bdb_hint(dl, why);
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

/* dict_lmdb_open - open an lmdb: table */
DICT   *dict_lmdb_open(const char *name, int open_flags, int dict_flags)
{
    return dict_lmdb_open_type(DICT_TYPE_LMDB, name, open_flags, dict_flags);
}

/* dict_lmdb_hash_open - open a hash: table (an LMDB file) */
DICT   *dict_lmdb_hash_open(const char *name, int open_flags, int dict_flags)
{
    return dict_lmdb_open_type(DICT_TYPE_HASH, name, open_flags, dict_flags);
}

/* dict_lmdb_btree_open - open a btree: table (an LMDB file) */
DICT   *dict_lmdb_btree_open(const char *name, int open_flags, int dict_flags)
{
    return dict_lmdb_open_type(DICT_TYPE_BTREE, name, open_flags, dict_flags);
}
