/*
 * postmap_mime - turn a message into lookup keys for postmap -b/-h/-m
 *
 * SYNOPSIS
 *	#include "postmap_mime.h"
 *
 *	POSTMAP_MIME *postmap_mime_create(int flags, POSTMAP_MIME_FN fn,
 *				void *context);
 *	bool	postmap_mime_update(POSTMAP_MIME *mp, const char *line);
 *	void	postmap_mime_end(POSTMAP_MIME *mp);
 *	void	postmap_mime_free(POSTMAP_MIME *mp);
 *
 * DESCRIPTION
 *	This module reads an RFC 5322 message one line at a time (without
 *	the newline) and calls fn(key, context) for each lookup key that
 *	"postmap -q -" generates with -h (POSTMAP_MIME_FLAG_HEADER), -b
 *	(POSTMAP_MIME_FLAG_BODY) and -m (POSTMAP_MIME_FLAG_MIME):
 * .IP \(bu
 *	A header key is one logical header: its first line and its
 *	continuation lines (lines that start with a space or tab), joined
 *	with newline characters, as header_checks(5) sees it. Once a
 *	header has reached header_size_limit bytes, its further
 *	continuation lines are dropped (the line that crosses the limit is
 *	kept whole, as Postfix does).
 * .IP \(bu
 *	A body key is one line after the primary header. The line that
 *	ends a header block (normally an empty line) is a body key; when a
 *	header block ends with a line that is not a header, an empty body
 *	key comes first and then that line.
 * .IP \(bu
 *	Without MIME parsing, only the primary header gives header keys,
 *	and -h alone stops at its end (postmap_mime_update() then returns
 *	false). With MIME parsing, the headers of multipart body parts and
 *	of attached message/rfc822 (or message/global) messages are header
 *	keys, not body keys; boundary lines and the lines that end those
 *	header blocks stay body keys. A multipart/digest part is a message
 *	by default. Boundaries are matched as prefixes, innermost first,
 *	and a match closes the parts nested inside it.
 * .PP
 *	postmap_mime_end() passes on a header that is still pending at the
 *	end of input.
 *
 *	This module does not decode anything, does not check 8-bit text or
 *	encodings, and reports no format errors: mime_nesting_limit only
 *	stops deeper multipart parsing (deeper parts are body text), and a
 *	boundary is cut at mime_boundary_length_limit bytes.
 */
#ifndef POSTMAP_MIME_H
#define POSTMAP_MIME_H

#include "sys_defs.h"

typedef struct POSTMAP_MIME POSTMAP_MIME;
typedef void (*POSTMAP_MIME_FN) (const char *key, void *context);

#define POSTMAP_MIME_FLAG_HEADER	(1<<0)
#define POSTMAP_MIME_FLAG_BODY		(1<<1)
#define POSTMAP_MIME_FLAG_MIME		(1<<2)

extern POSTMAP_MIME *postmap_mime_create(int flags, POSTMAP_MIME_FN fn,
					         void *context);
extern bool postmap_mime_update(POSTMAP_MIME *mp, const char *line);
extern void postmap_mime_end(POSTMAP_MIME *mp);
extern void postmap_mime_free(POSTMAP_MIME *mp);

#endif
