/*
 * record_text - write message text as content records
 *
 * SYNOPSIS
 *	#include "record_text.h"
 *
 *	void	record_text_put(VSTREAM *fp, const char *text, size_t len);
 *
 * DESCRIPTION
 *	record_text_put() writes len bytes of text, lines separated by
 *	"\n", as the content records of a queue file or of a cleanup(8)
 *	request (docs/internals/queue-file.md): one L record per line,
 *	a line longer than QUEUE_FILE_LIMIT as P records followed by the
 *	L record of its rest. A final "\n" ends the last line (no empty
 *	line follows it). For messages that a daemon makes itself
 *	(postmaster notices, bounces).
 *
 * DIAGNOSTICS
 *	None: write errors show on the stream (vstream_ferror()).
 */
#ifndef RECORD_TEXT_H
#define RECORD_TEXT_H

#include "sys_defs.h"
#include "vstream.h"

extern void record_text_put(VSTREAM *fp, const char *text, size_t len);

#endif
