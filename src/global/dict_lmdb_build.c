/*
 * dict_lmdb_build - batches, rebuilds and new files of lmdb: tables
 *
 * SYNOPSIS
 *	#include "dict_lmdb_private.h"
 *
 *	int	dict_lmdb_build_write(DICT_LMDB *dl, bool is_put,
 *				const char *key, const char *value,
 *				int *status);
 *	int	dict_lmdb_build_tmp(DICT_LMDB *dl, VSTRING *why);
 *	int	dict_lmdb_build_empty(DICT_LMDB *dl, VSTRING *why);
 *	void	dict_lmdb_build_finish(DICT_LMDB *dl);
 *
 * DESCRIPTION
 *	A batch (postmap -i: O_RDWR with DICT_FLAG_BULK_UPDATE) and a
 *	rebuild (postmap, postalias: O_TRUNC) hold the writers' lock file
 *	from open to close and group their updates into write
 *	transactions of DICT_LMDB_CHUNK_OPS entries or DICT_LMDB_CHUNK_BYTES
 *	of journal, each committed as it fills.
 *
 *	dict_lmdb_build_write() applies one update (is_put) or delete to
 *	the open transaction, starting one when needed. It returns an
 *	LMDB status, or 0 with the result in *status. A failed
 *	transaction loses its updates, so the table is then marked failed:
 *	later updates are refused (DICT_STAT_ERROR, DICT_ERR_CONFIG,
 *	without another warning) and dict_lmdb_build_finish() does not commit.
 *
 *	dict_lmdb_build_tmp() creates the rebuild's new file
 *	"name.lmdb.tmp" exclusively (a leftover is removed first; never
 *	through a symbolic link) and remembers its identity, so that
 *	dict_lmdb_env_open() can check that LMDB opened that very file.
 *	dict_lmdb_build_empty() makes an empty table at "name.lmdb" by
 *	renaming such a new file into place. Both expect the caller to
 *	hold the lock file, and return 0 or -1 with the reason in why.
 *
 *	dict_lmdb_build_finish(), called by dict_close(), commits the open
 *	transaction; a rebuild then syncs the new file, renames it over
 *	"name.lmdb" and syncs the directory.
 * DIAGNOSTICS
 *	Warning: a directory that cannot be synced. Fatal (in
 *	dict_lmdb_build_finish()): a failed batch or rebuild, errors while
 *	committing, syncing or renaming (a rebuild's new file is removed
 *	first).
 */
#include "sys_defs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "msg.h"
#include "vstring.h"
#include "dict.h"
#include "dict_lmdb_private.h"

/* dict_lmdb_build_failed - the open transaction is lost: the build fails */
static int dict_lmdb_build_failed(DICT_LMDB *dl, int rc)
{
    if (dl->txn != NULL) {
	mdb_txn_abort(dl->txn);
	dl->txn = NULL;
    }
    dict_lmdb_update_journal_clear(dl);
    dl->failed = true;
    return rc;
}

/* dict_lmdb_build_write - one update of a batch or rebuild; see above */
int     dict_lmdb_build_write(DICT_LMDB *dl, bool is_put, const char *key,
			              const char *value, int *status)
{
    int     rc;

    /* The failure was logged; dict_lmdb_build_finish() will not commit. */
    if (dl->failed) {
	dl->dict.error = DICT_ERR_CONFIG;
	*status = DICT_STAT_ERROR;
	return 0;
    }
    if (dl->txn == NULL && (rc = dict_lmdb_txn_begin(dl, 0, &dl->txn)) != 0)
	return dict_lmdb_build_failed(dl, rc);
    if ((rc = dict_lmdb_update_apply(dl, &dl->txn, is_put, key, value,
				    status)) != 0)
	return dict_lmdb_build_failed(dl, rc);
    if ((dl->journal_len >= DICT_LMDB_CHUNK_OPS
	 || dl->journal_bytes >= DICT_LMDB_CHUNK_BYTES)
	&& (rc = dict_lmdb_update_commit(dl, &dl->txn)) != 0)
	return dict_lmdb_build_failed(dl, rc);
    return 0;
}

/* dict_lmdb_build_tmp - create the rebuild's new file; see above */
int     dict_lmdb_build_tmp(DICT_LMDB *dl, VSTRING *why)
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

/* dict_lmdb_build_empty - an empty table at dl->path; see above */
int     dict_lmdb_build_empty(DICT_LMDB *dl, VSTRING *why)
{
    if (dict_lmdb_build_tmp(dl, why) < 0)
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

/* dict_lmdb_build_finish - commit a batch or rebuild; see above */
void    dict_lmdb_build_finish(DICT_LMDB *dl)
{
    int     saved_errno;
    int     rc = 0;

    if (dl->failed || (dl->txn != NULL
		       && (rc = dict_lmdb_update_commit(dl, &dl->txn)) != 0)) {
	if (dl->mode == DICT_LMDB_MODE_REBUILD)
	    (void) unlink(dl->tmp_path);
	msg_fatal("%s:%s: commit %s: %s", dl->dict.type, dl->dict.name,
		  dl->mode == DICT_LMDB_MODE_REBUILD ? dl->tmp_path : dl->path,
		  dl->failed ? "an earlier update failed" : mdb_strerror(rc));
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
