/*
 * mkmap_source - read the entries of a lookup table or aliases source file
 *
 * SYNOPSIS
 *	#include "mkmap_source.h"
 *
 *	MKMAP_SOURCE *mkmap_source_open(VSTREAM *fp, int flags);
 *	bool	mkmap_source_next(MKMAP_SOURCE *src, const char **key,
 *				const char **value);
 *	int	mkmap_source_lineno(const MKMAP_SOURCE *src);
 *	const char *mkmap_source_path(const MKMAP_SOURCE *src);
 *	void	mkmap_source_close(MKMAP_SOURCE *src);
 *
 * DESCRIPTION
 *	This module turns the text that postmap(1) and postalias(1) build
 *	tables from into (key, value) pairs. Logical lines come from
 *	readlline(3): empty lines and '#' comment lines are skipped, and a
 *	line that starts with whitespace continues the previous one. A
 *	logical line is at most MKMAP_SOURCE_LINE_LIMIT bytes.
 *
 *	Without MKMAP_SOURCE_FLAG_ALIAS (postmap(1) format), an entry is
 *	"key whitespace value". The key ends at the first whitespace that
 *	is not inside double quotes; a backslash protects the next
 *	character. The key is kept as written, quotes and backslashes
 *	included (it is often a quoted address local part). Whitespace
 *	around the value is removed.
 *
 *	With MKMAP_SOURCE_FLAG_ALIAS (aliases(5) format), an entry is
 *	"name: value, value, ...", parsed as RFC 5322 tokens so that quoted
 *	names may contain ':', '@', '#' or whitespace. The name is returned
 *	unquoted (internal form) and must be local (no '@' or '%'); the
 *	value is returned in the normalized external form of tok822(3):
 *	one space after each comma, other whitespace reduced.
 *
 *	With MKMAP_SOURCE_FLAG_UTF8, a logical line that is not valid UTF-8
 *	is skipped with a warning.
 *
 *	mkmap_source_open() reads from fp (the caller opens and closes
 *	it; its vstream_path() appears in warnings). mkmap_source_next()
 *	returns the next entry, skipping bad lines with a warning; the
 *	strings stay valid until the next call. It returns false at the end
 *	of input. mkmap_source_lineno() is the number of the first physical
 *	line of the last entry, and mkmap_source_path() the stream's path.
 *
 * DIAGNOSTICS
 *	Warnings (entries skipped unless noted):
 *	"<path>, line <n>: expected format: key whitespace value",
 *	"<path>, line <n>: unbalanced '\"' in '<line>' -- ignoring this line",
 *	"<path>, line <n>: record is in \"key: value\" format; is this an
 *	alias file?" (entry kept), "<path>, line <n>: need name:value pair",
 *	"<path>, line <n>: name must be local", "<path>, line <n>: non-UTF-8
 *	input \"<line>\" -- ignoring this line", and those of readlline(3).
 */
#ifndef MKMAP_SOURCE_H
#define MKMAP_SOURCE_H

#include "sys_defs.h"
#include "vstream.h"

typedef struct MKMAP_SOURCE MKMAP_SOURCE;

#define MKMAP_SOURCE_FLAG_NONE	0
#define MKMAP_SOURCE_FLAG_ALIAS	(1<<0)	/* aliases(5) syntax */
#define MKMAP_SOURCE_FLAG_UTF8	(1<<1)	/* skip non-UTF-8 lines */

#define MKMAP_SOURCE_LINE_LIMIT	(16 * 1024 * 1024)

extern MKMAP_SOURCE *mkmap_source_open(VSTREAM *fp, int flags);
extern bool mkmap_source_next(MKMAP_SOURCE *src, const char **key,
			              const char **value);
extern int mkmap_source_lineno(const MKMAP_SOURCE *src);
extern const char *mkmap_source_path(const MKMAP_SOURCE *src);
extern void mkmap_source_close(MKMAP_SOURCE *src);

#endif
