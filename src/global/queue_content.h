/*
 * queue_content - read the message content records of a queue file
 *
 * SYNOPSIS
 *	#include "queue_content.h"
 *
 *	bool	queue_content_start(VSTREAM *fp, long data_offset,
 *				VSTRING *buf, VSTRING *why);
 *	int	queue_content_get(VSTREAM *fp, VSTRING *buf, VSTRING *why);
 *
 * DESCRIPTION
 *	A delivery agent reads the message content of its request's queue
 *	file (docs/internals/queue-file.md): the M record at the offset
 *	that qmgr sent (data_offset), then L records (a complete line, or
 *	the end of one) and P records (part of a line that the next
 *	record continues), up to the X record that ends the content.
 *
 *	queue_content_start() seeks to data_offset and reads the M
 *	record; buf is scratch space. It returns true, or false with a
 *	one-line text in why ("seek to offset 123: ...", "no message
 *	content at offset 123: unexpected record type").
 *
 *	queue_content_get() reads the next content record into buf
 *	(null-terminated; it may hold null bytes) and returns
 *	REC_TYPE_LINE or REC_TYPE_PART, 0 at the X record, or -1 with a
 *	text in why for damage or a read error ("premature end of file in
 *	message content", "record too long in message content",
 *	"unexpected record type in message content"). Records are bounded
 *	by QUEUE_FILE_LIMIT. A P record right before the end is the
 *	caller's to report ("partial line at end of message content").
 *
 *	This module does not lock the file or interpret the content.
 *
 * DIAGNOSTICS
 *	None; see why.
 */
#ifndef QUEUE_CONTENT_H
#define QUEUE_CONTENT_H

#include "sys_defs.h"
#include "vstream.h"
#include "vstring.h"

extern bool queue_content_start(VSTREAM *fp, long data_offset, VSTRING *buf,
				        VSTRING *why);
extern int queue_content_get(VSTREAM *fp, VSTRING *buf, VSTRING *why);

#endif
