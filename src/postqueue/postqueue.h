/*
 * postqueue - private interface between the parts of postqueue(1)
 *
 * SYNOPSIS
 *	#include "postqueue.h"
 *
 *	void	postqueue_show(int format);
 *	void	postqueue_format_begin(POSTQUEUE_FORMAT *fmt, VSTREAM *out,
 *				int format, bool long_ids);
 *	void	postqueue_format_message(POSTQUEUE_FORMAT *fmt,
 *				const ATTR_LIST *message);
 *	void	postqueue_format_rcpt(POSTQUEUE_FORMAT *fmt,
 *				const char *address, const char *reason);
 *	void	postqueue_format_end(POSTQUEUE_FORMAT *fmt);
 *
 * DESCRIPTION
 *	postqueue_show() lists the queue (postqueue_show.c): it reads
 *	the showq(8) protocol from public/showq, or from a stand-alone
 *	showq for the super-user when the mail system is down, and
 *	writes the listing to standard output in the format
 *	POSTQUEUE_FORMAT_MAILQ (-p) or POSTQUEUE_FORMAT_JSON (-j).
 *
 *	The postqueue_format_*() functions (postqueue_format.c) turn the
 *	entries into text, one message at a time: _begin() before the
 *	first, _message() with the message list of the protocol,
 *	_rcpt() for each recipient (reason NULL when none is known),
 *	_end() after the last, which also writes the trailer ("-- N
 *	Kbytes in M Requests." or "Mail queue is empty"). They write
 *	to out and keep no more than one message in memory.
 */
#ifndef POSTQUEUE_H
#define POSTQUEUE_H

#include "sys_defs.h"
#include "vstream.h"
#include "vstring.h"
#include "attr_list.h"

#define POSTQUEUE_FORMAT_MAILQ	1
#define POSTQUEUE_FORMAT_JSON	2

typedef struct POSTQUEUE_FORMAT {
    VSTREAM *out;
    int     format;			/* POSTQUEUE_FORMAT_* */
    bool    long_ids;			/* wider columns */
    long    messages;			/* listed so far */
    long long bytes;			/* their sizes */
    bool    in_message;			/* a message is open */
    int     rcpt_count;			/* recipients of this message */
    VSTRING *prev_reason;		/* last reason shown (-p) */
    bool    have_prev_reason;
    VSTRING *buf;
} POSTQUEUE_FORMAT;

extern void postqueue_show(int format);
extern void postqueue_format_begin(POSTQUEUE_FORMAT *fmt, VSTREAM *out,
				           int format, bool long_ids);
extern void postqueue_format_message(POSTQUEUE_FORMAT *fmt,
				             const ATTR_LIST *message);
extern void postqueue_format_rcpt(POSTQUEUE_FORMAT *fmt,
				          const char *address,
				          const char *reason);
extern void postqueue_format_end(POSTQUEUE_FORMAT *fmt);

#endif
