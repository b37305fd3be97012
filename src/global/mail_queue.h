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
 *	bool	mail_queue_commit(MAIL_QUEUE_FILE *qf, VSTRING *why);
 *	void	mail_queue_abort(MAIL_QUEUE_FILE *qf);
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
 *	mail_queue_create() makes a new file (docs/internals/queue-file.md
 *	section 8): "<queue>/tmp.<pid>.<counter>" opened O_RDWR|O_CREAT|
 *	O_EXCL with the given mode (exactly, whatever the umask), and
 *	takes the queue ID from its inode and the current time
 *	(enable_long_queue_ids picks the form). The result has the open
 *	stream and the ID; the caller writes the records (and may seek to
 *	update the S record). NULL with the reason in why when the file
 *	cannot be created.
 *
 *	mail_queue_commit() finishes it: flush and fsync the stream, create
 *	the hashed directories when needed (mode 0700), rename the file to
 *	its final path (refusing one that exists), fsync the directory that
 *	received it (syncfs() on the file when the directory is not
 *	readable, as maildrop is for postdrop), and close the stream. It frees qf in every case; false with the reason in why when
 *	a step fails, and then the temporary file is removed. Only after
 *	true may the writer report success to its client.
 *
 *	mail_queue_abort() closes the stream, removes the temporary file
 *	and frees qf.
 *
 *	mail_queue_rename() moves a file between queues with rename(2),
 *	creating the hashed directories of the new queue as needed (mode
 *	0700); old and new queue may be equal (re-hashing). false with
 *	the reason in why (errno also set) when it fails; ENOENT means
 *	the file was not there.
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
 *	temporary files (the queue scanners do).
 *
 * DIAGNOSTICS
 *	Nothing is logged; errors are returned in why as "<what> <path>:
 *	<error>" ("create file incoming/tmp.12.1: Permission denied").
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

typedef struct MAIL_QUEUE_FILE {
    VSTREAM *fp;			/* open for reading and writing */
    char    id[QUEUE_ID_MAX_LEN + 1];	/* queue ID */
    char   *queue;			/* queue name */
    char   *temp_path;			/* "<queue>/tmp.<pid>.<n>" */
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
extern bool mail_queue_commit(MAIL_QUEUE_FILE *qf, VSTRING *why);
extern void mail_queue_abort(MAIL_QUEUE_FILE *qf);
extern bool mail_queue_rename(const char *id, const char *old_queue,
			              const char *new_queue, VSTRING *why);
extern int mail_queue_remove(const char *queue, const char *id);
extern const char *mail_queue_find(VSTRING *path, const char *id,
				           const char *const *queues);

#endif
