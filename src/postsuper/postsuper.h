/*
 * postsuper - private interface between the parts of postsuper(1)
 *
 * SYNOPSIS
 *	#include "postsuper.h"
 *
 *	bool	postsuper_requeue(const char *queue, const char *id,
 *				VSTREAM *fp, VSTRING *why);
 *	bool	postsuper_expire(const char *queue, const char *id,
 *				VSTREAM *fp, VSTRING *why);
 *
 *	void	postsuper_structure(const char *queue, bool strict);
 *	void	postsuper_purge(const char *queue, bool report);
 *	long	postsuper_renamed;
 *
 * DESCRIPTION
 *	postsuper_requeue() (postsuper_requeue.c) writes the message of
 *	the queue file open as fp as a new maildrop file, for pickup(8)
 *	to feed to cleanup(8) again; the caller removes the old file.
 *	postsuper_expire() sets QUEUE_FILE_FLAG_EXPIRE in the S record
 *	of fp in place. Both return false with the reason in why.
 *
 *	postsuper_structure() (postsuper_struct.c) is -s (strict: -S) for
 *	one queue directory: files moved to the hash directory where they
 *	belong, empty hash directories that are no longer used removed,
 *	message files renamed to the ID their inode gives them (counted
 *	in postsuper_renamed), other names reported (in maildrop only
 *	that). postsuper_purge() is -p: temporary files older than
 *	$ipc_timeout removed; with report, odd names reported.
 */
#ifndef POSTSUPER_H
#define POSTSUPER_H

#include "sys_defs.h"
#include "vstream.h"
#include "vstring.h"

extern bool postsuper_requeue(const char *queue, const char *id,
			              VSTREAM *fp, VSTRING *why);
extern bool postsuper_expire(const char *queue, const char *id,
			             VSTREAM *fp, VSTRING *why);
extern void postsuper_structure(const char *queue, bool strict);
extern void postsuper_purge(const char *queue, bool report);
extern long postsuper_renamed;

#endif
