/*
 * queue_scan - walk a queue directory and its hashed subdirectories
 *
 * SYNOPSIS
 *	#include "queue_scan.h"
 *
 *	typedef void (*QUEUE_SCAN_FILE_FN)(const char *queue,
 *				const char *path, const char *name,
 *				int depth, void *context);
 *	typedef void (*QUEUE_SCAN_DIR_FN)(const char *queue,
 *				const char *path, int depth, void *context);
 *
 *	int	queue_scan(const char *queue, QUEUE_SCAN_FILE_FN file_fn,
 *				QUEUE_SCAN_DIR_FN dir_fn, void *context);
 *	bool	queue_scan_hash_name(const char *name);
 *
 * DESCRIPTION
 *	queue_scan() walks the directory queue (relative to the current
 *	directory, normally $queue_directory) and the hash subdirectories
 *	below it, whatever hash_queue_depth says now: a subdirectory
 *	whose name is one letter or digit (queue_scan_hash_name(); hash
 *	directories are hexadecimal digits, other one-character names are
 *	entered too so that postsuper can clean them up, as Postfix's does)
 *	is entered, down to QUEUE_ID_HASH_MAX levels, so that files left
 *	behind by an older hash_queue_names or hash_queue_depth are
 *	found too. Other subdirectories are not entered.
 *
 *	file_fn is called for every entry that is not a directory (queue
 *	files, temporary files, anything else: the caller decides with
 *	queue_id_valid()) with the queue name, the path ("deferred/3/F/
 *	3F2A1B7E4"), the file name and the hash depth where it was found
 *	(0: in the queue directory itself). dir_fn, when not NULL, is
 *	called after a hash subdirectory has been walked, with its path
 *	and depth (1 for "deferred/3"), so that a caller can remove it
 *	when it is no longer needed. A callback may rename or remove the
 *	entry it was given.
 *
 *	The result is the number of directories that could not be read
 *	(0: all were walked); ENOENT for the queue directory itself is not
 *	an error.
 *
 * DIAGNOSTICS
 *	Warning: "open directory <path>: <error>".
 */
#ifndef QUEUE_SCAN_H
#define QUEUE_SCAN_H

#include "sys_defs.h"

typedef void (*QUEUE_SCAN_FILE_FN) (const char *queue, const char *path,
				            const char *name, int depth,
				            void *context);
typedef void (*QUEUE_SCAN_DIR_FN) (const char *queue, const char *path,
				           int depth, void *context);

extern int queue_scan(const char *queue, QUEUE_SCAN_FILE_FN file_fn,
		              QUEUE_SCAN_DIR_FN dir_fn, void *context);
extern bool queue_scan_hash_name(const char *name);

#endif
