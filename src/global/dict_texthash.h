/*
 * dict_texthash - lookup table read from a postmap(1) source file
 *
 * SYNOPSIS
 *	#include "dict_texthash.h"
 *
 *	DICT	*dict_texthash_open(const char *path, int open_flags,
 *				    int dict_flags);
 *
 * DESCRIPTION
 *	dict_texthash_open() reads the text file path into memory once,
 *	with the syntax of postmap(1) input: logical lines (readlline(3):
 *	comments, blank lines and continuation lines), each "key
 *	whitespace value" with an optionally quoted key (split_qnameval(3)).
 *	Keys are stored in lower case with DICT_FLAG_FOLD_FIX. The file is
 *	not read again; dict_watch_file() records it so that daemons notice
 *	a change.
 *
 *	Duplicate keys: DICT_FLAG_DUP_IGNORE keeps the first value silently,
 *	DICT_FLAG_DUP_REPLACE keeps the last, DICT_FLAG_DUP_WARN keeps the
 *	first with a warning; without any of these a duplicate makes the
 *	whole table unavailable (a surrogate table), as in Postfix.
 *
 *	The table is read-only; lookup and sequence (in file order) are
 *	supported. Logical lines longer than DICT_TEXTHASH_LINE_LIMIT bytes
 *	are skipped with a warning.
 *
 * DIAGNOSTICS
 *	Warnings, each followed by skipping the line:
 *	<path>, line <n>: unbalanced '"' in '<line>' -- ignoring this line
 *	<path>, line <n>: expected format: key whitespace value -- ignoring
 *	this line
 *	Warnings without skipping: "<path>, line <n>: duplicate entry:
 *	\"<key>\"" (with DICT_FLAG_DUP_WARN), "<path>, line <n>: record is in
 *	\"key: value\" format; is this an alias file?".
 *	Surrogate reasons: "open database <path>: <errno text>", "<path>,
 *	line <n>: duplicate entry: \"<key>\"", "read <path>: <errno text>".
 */
#ifndef DICT_TEXTHASH_H
#define DICT_TEXTHASH_H

#include "dict.h"

#define DICT_TYPE_TEXTHASH	"texthash"
#define DICT_TEXTHASH_LINE_LIMIT (1024 * 1024)

extern DICT *dict_texthash_open(const char *path, int open_flags,
				        int dict_flags);

#endif
