/*
 * mail_queue - queue directories, queue file paths, creation and moves
 *
 * SYNOPSIS
 *	#include "mail_queue.h"
 *
 *	bool	mail_queue_name_ok(const char *queue);
 *	bool	mail_queue_hashed(const char *queue);
 *	const char *mail_queue_dir(VSTRING *buf, const char *queue,
 *				const char *id);
 *	const char *mail_queue_path(VSTRING *buf, const char *queue,
 *				const char *id);
 *	VSTREAM	*mail_queue_open(const char *queue, const char *id,
 *				int flags, mode_t mode);
 *
 *	MAIL_QUEUE_FILE *mail_queue_create(const char *queue, mode_t mode,
 *				VSTRING *why);
 *	MAIL_QUEUE_FILE *mail_queue_enter(const char *queue, mode_t mode,
 *				VSTRING *why);
 *	bool	mail_queue_commit(MAIL_QUEUE_FILE *qf, VSTRING *why);
 *	void	mail_queue_abort(MAIL_QUEUE_FILE *qf);
 *	bool	mail_queue_names_ordered(const char *dir);
 *	bool	mail_queue_ready(const char *queue, const struct stat *st);
 *
 *	bool	mail_queue_rename(const char *id, const char *old_queue,
 *				const char *new_queue, VSTRING *why);
 *	int	mail_queue_remove(const char *queue, const char *id);
 *	const char *mail_queue_find(VSTRING *path, const char *id,
 *				const char *const *queues);
 *
 *	extern const char *const mail_queue_all[];
 *	extern const char *const mail_queue_msg[];
 *
 * DESCRIPTION
 *	All paths are relative to the current directory: callers work in
 *	$queue_directory (every daemon chdir()s there; tools such as
 *	postcat do it themselves). The queue names are the MAIL_QUEUE_*
 *	constants below.
 *
 *	mail_queue_name_ok() tells whether a name can be a queue
 *	directory name (letters, digits, "_", "-"; not empty, at most 100
 *	bytes). mail_queue_hashed() tells whether a queue is listed in
 *	hash_queue_names (read at each call, so that a program that
 *	re-reads main.cf sees the change).
 *
 *	mail_queue_dir() writes into buf, and returns, the directory of a
 *	queue file: "<queue>" or, for hashed queues, "<queue>/<hash>"
 *	without a trailing slash ("deferred/3/F"). mail_queue_path()
 *	returns the file path: "<queue>/[<hash>/]<id>". Hashing uses
 *	hash_queue_depth (queue_id_hash()).
 *
 *	mail_queue_open() opens an existing queue file (flags and mode as
 *	for open(2)); NULL with errno set when it fails.
 *
 *	There are two ways to make a new file (docs/internals/queue-file.md
 *	section 8). Both open "<queue>/tmp.<pid>.<counter>" O_RDWR|O_CREAT|
 *	O_EXCL with the given mode (exactly, whatever the umask) and take
 *	the queue ID from its inode and the current time
 *	(enable_long_queue_ids picks the form). The result has the open
 *	stream, the ID and the file's current path; the caller writes the
 *	records (and may seek to update the S record). NULL with the
 *	reason in why when the file cannot be created.
 *
 *	mail_queue_create() leaves the file under its temporary name until
 *	the commit renames it (maildrop, and cleanup's bounce path into
 *	hold/).
 *
 *	mail_queue_enter() (cleanup, for incoming/) renames it to its final
 *	path at once, creating the hash directories when needed (mode
 *	0700) and refusing a final path that exists. The file is "not
 *	ready" until the commit: its mode must lack S_IXUSR (panic
 *	otherwise), and the readers of incoming/ skip such a file
 *	(mail_queue_ready()).
 *
 *	mail_queue_commit() finishes a file; it flushes the stream first.
 *	A file still under a temporary name, or one entered in another
 *	queue than qf->queue (cleanup_bounce(3) sets qf->queue to hold
 *	after mail_queue_enter()), is fsync()ed, renamed to its final path
 *	in qf->queue (hash directories created, an existing path refused),
 *	and the directory that received it is fsync()ed (syncfs() on the
 *	file when the directory is not readable, as maildrop is for
 *	postdrop). A file entered in its own queue is marked ready instead:
 *	an fstat() that fails the commit when the file has no name any
 *	more (st_nlink 0: removed meanwhile), fchmod() to its mode plus
 *	S_IXUSR, and one fsync() of the file (qmgr may take, deliver and
 *	remove a ready file before that returns); its directory is fsync()ed only
 *	when mail_queue_names_ordered() says that the file system does
 *	not commit names in order. The stream is closed in every case and
 *	qf freed; false with the reason in why when a step fails, and then
 *	the file is removed from where it was (its temporary name, or the
 *	final path of an entered file). Only after true may the writer
 *	report success to its client.
 *
 *	mail_queue_abort() closes the stream, removes the file (its
 *	temporary name or, for an entered file, its final path) and frees
 *	qf.
 *
 *	mail_queue_names_ordered() tells whether the file system that holds
 *	dir commits a rename before, or with, a later fsync() of the file
 *	(ext3 and ext4 with a journal, xfs, btrfs: journaled metadata in
 *	order), so that one fsync() of an entered file also makes its name
 *	durable. It looks up the mount of dir's st_dev in
 *	/proc/self/mountinfo (statfs() cannot tell ext2 from ext4), and
 *	for ext3/ext4 whether the file system has a journal (sysfs
 *	journal_task, else /proc/fs/jbd2): ext4 without one orders
 *	nothing. An unreadable table (a chroot), a missing journal or any
 *	other file system type gives false. The answer is cached for the last
 *	st_dev asked about, so that cleanup can ask before its chroot.
 *
 *	mail_queue_ready() tells whether a file that stat() described is
 *	complete: always, except in incoming/, where the owner execute bit
 *	(MAIL_QUEUE_MODE_READY) says so.
 *
 *	mail_queue_rename() moves a file between queues with rename(2),
 *	creating the hashed directories of the new queue as needed (mode
 *	0700); old and new queue may be equal (re-hashing). A file moved
 *	into incoming/ is complete: it gets S_IXUSR first when it lacks
 *	it. false with the reason in why (errno also set) when it fails;
 *	ENOENT means the file was not there.
 *
 *	mail_queue_remove() unlinks a queue file: 0, or -1 with errno.
 *
 *	mail_queue_find() looks for an ID in each queue of the null-
 *	terminated list, hashed path first, then unhashed (a file left
 *	there before hash_queue_names changed), and returns its path in
 *	path, or NULL when it is in none of them. It rejects IDs that are
 *	not valid (queue_id_valid()).
 *
 *	mail_queue_all lists every queue directory of DESIGN.md section
 *	3 ("maildrop", "incoming", ... "pid"), mail_queue_msg the queues
 *	that hold message files, in the order postcat -q searches them
 *	(incoming, active, deferred, hold, maildrop, corrupt, saved).
 *
 *	This module does not lock files, change ownership, or look inside
 *	a file (queue_file_read(3) does that); it does not remove stale
 *	temporary or not-ready files (the queue scanners do).
 *
 * DIAGNOSTICS
 *	Errors are returned in why as "<what> <path>: <error>" ("create
 *	file incoming/tmp.12.1: Permission denied", "file incoming/<ID>
 *	was removed"). With -v, mail_queue_names_ordered() logs its
 *	finding; nothing else is logged.
 *	Panic: an invalid queue name or ID passed by the program itself.
 */
#ifndef MAIL_QUEUE_H
#define MAIL_QUEUE_H

#include "sys_defs.h"
#include <sys/stat.h>
#include "vstream.h"
#include "vstring.h"
#include "queue_id.h"

#define MAIL_QUEUE_MAILDROP	"maildrop"
#define MAIL_QUEUE_INCOMING	"incoming"
#define MAIL_QUEUE_ACTIVE	"active"
#define MAIL_QUEUE_DEFERRED	"deferred"
#define MAIL_QUEUE_HOLD		"hold"
#define MAIL_QUEUE_CORRUPT	"corrupt"
#define MAIL_QUEUE_BOUNCE	"bounce"
#define MAIL_QUEUE_DEFER	"defer"
#define MAIL_QUEUE_TRACE	"trace"
#define MAIL_QUEUE_FLUSH	"flush"
#define MAIL_QUEUE_SAVED	"saved"
#define MAIL_QUEUE_PRIVATE	"private"
#define MAIL_QUEUE_PUBLIC	"public"
#define MAIL_QUEUE_PID		"pid"

#define MAIL_QUEUE_NAME_MAX	100

#define MAIL_QUEUE_MODE_READY	S_IXUSR	/* incoming/: the file is complete */

typedef struct MAIL_QUEUE_FILE {
    VSTREAM *fp;			/* open for reading and writing */
    char    id[QUEUE_ID_MAX_LEN + 1];	/* queue ID */
    char   *queue;			/* queue to commit into */
    char   *path;			/* where it is: tmp.<pid>.<n> or final */
    mode_t  mode;			/* creation mode */
    bool    entered;			/* mail_queue_enter(): named early */
} MAIL_QUEUE_FILE;

extern const char *const mail_queue_all[];
extern const char *const mail_queue_msg[];

extern bool mail_queue_name_ok(const char *queue);
extern bool mail_queue_hashed(const char *queue);
extern const char *mail_queue_dir(VSTRING *buf, const char *queue,
				          const char *id);
extern const char *mail_queue_path(VSTRING *buf, const char *queue,
				           const char *id);
extern VSTREAM *mail_queue_open(const char *queue, const char *id,
				        int flags, mode_t mode);
extern MAIL_QUEUE_FILE *mail_queue_create(const char *queue, mode_t mode,
					          VSTRING *why);
extern MAIL_QUEUE_FILE *mail_queue_enter(const char *queue, mode_t mode,
					         VSTRING *why);
extern bool mail_queue_commit(MAIL_QUEUE_FILE *qf, VSTRING *why);
extern void mail_queue_abort(MAIL_QUEUE_FILE *qf);
extern bool mail_queue_names_ordered(const char *dir);
extern bool mail_queue_ready(const char *queue, const struct stat *st);
extern bool mail_queue_rename(const char *id, const char *old_queue,
			              const char *new_queue, VSTRING *why);
extern int mail_queue_remove(const char *queue, const char *id);
extern const char *mail_queue_find(VSTRING *path, const char *id,
				           const char *const *queues);

#endif
