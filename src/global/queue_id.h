/*
 * queue_id - make, check and hash queue IDs
 *
 * SYNOPSIS
 *	#include "queue_id.h"
 *
 *	const char *queue_id_make(VSTRING *buf, ino_t inode,
 *				const struct timeval *tv, bool long_form);
 *	bool	queue_id_valid(const char *name);
 *	bool	queue_id_is_long(const char *id);
 *	const char *queue_id_hash(VSTRING *buf, const char *id, int depth);
 *
 * DESCRIPTION
 *	A queue ID names a queue file (docs/internals/queue-file.md
 *	section 7).
 *
 *	queue_id_make() writes into buf, and returns, the ID of a file
 *	with that inode number created at time tv: the short form is
 *	five upper-case hexadecimal digits of the microseconds followed
 *	by the inode in upper-case hexadecimal ("3F2A1B7E4"); the long
 *	form (enable_long_queue_ids = yes), as Postfix's, is the seconds
 *	in 6 (or more) base-52 digits, the microseconds in 4, the letter
 *	"z", then the inode in base 51 ("4Nf3Qc0Dvwz1F6"). The digits are
 *	0-9 B-D F-H J-N P-T V-Z b-d f-h j-n p-t v-z (no vowels); base 51
 *	leaves out the last, "z", so that the separator is unambiguous.
 *
 *	queue_id_valid() tells whether a file name is a queue ID: 6 to
 *	QUEUE_ID_MAX_LEN characters, all letters and digits. Temporary
 *	files ("tmp.<pid>.<n>") and anything else are not.
 *
 *	queue_id_is_long() tells whether a (valid) ID is in the long form
 *	(it has a lower-case letter).
 *
 *	queue_id_hash() writes into buf, and returns, the hashed directory
 *	part for an ID with the given depth (hash_queue_depth): one
 *	directory level per character, each name followed by "/"; the
 *	empty string for depth 0. Short IDs use their first characters
 *	("3/F/" for "3F2A1B7E4" at depth 2), which are the microseconds
 *	in hexadecimal; long IDs use the same: their microseconds (the 4
 *	digits before the "z") decoded and written as five hexadecimal
 *	digits, so a file hashes alike in both forms (postconf(5),
 *	hash_queue_depth). depth is clamped to 0..QUEUE_ID_HASH_MAX.
 *
 *	This module does not touch the file system; mail_queue(3) makes
 *	the files and directories.
 *
 * DIAGNOSTICS
 *	None; queue_id_hash() of an invalid ID hashes what it has.
 */
#ifndef QUEUE_ID_H
#define QUEUE_ID_H

#include "sys_defs.h"
#include <sys/time.h>
#include <sys/types.h>
#include "vstring.h"

#define QUEUE_ID_MIN_LEN	6
#define QUEUE_ID_MAX_LEN	40
#define QUEUE_ID_HASH_MAX	5	/* the 5 hexadecimal microsecond digits */

extern const char *queue_id_make(VSTRING *buf, ino_t inode,
				         const struct timeval *tv,
				         bool long_form);
extern bool queue_id_valid(const char *name);
extern bool queue_id_is_long(const char *id);
extern const char *queue_id_hash(VSTRING *buf, const char *id, int depth);

#endif
