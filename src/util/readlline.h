/*
 * readlline - read one logical line from a configuration or table file
 *
 * SYNOPSIS
 *	#include "readlline.h"
 *
 *	int	readlline(VSTRING *buf, VSTREAM *fp, int *lineno,
 *				int *first_line, int *last_line, size_t bound);
 *
 * DESCRIPTION
 *	readlline() reads the next logical line of fp into buf, the way
 *	main.cf, master.cf and lookup table source files are read:
 *
 *	- A physical line that is empty, that has only whitespace, or whose
 *	  first non-whitespace character is '#' is ignored, also between
 *	  the pieces of one logical line.
 *	- A logical line starts with a physical line that begins with a
 *	  non-whitespace character. Every following physical line that
 *	  begins with whitespace continues it: it is appended as is (its
 *	  leading whitespace kept), with the newline dropped.
 *	- A logical line that begins with whitespace (nothing to continue)
 *	  is skipped with a warning, as Postfix does.
 *	- The newline of each physical line is removed; other bytes
 *	  (including '\r') are kept. A missing newline at the end of the
 *	  file is accepted.
 *
 *	*lineno counts physical lines read from fp; set it to 0 before the
 *	first call and pass it unchanged afterwards. It may run ahead of
 *	the logical line, because comment and blank lines after it are
 *	consumed while looking for continuations. *first_line and
 *	*last_line (either pointer may be NULL) receive the numbers of the
 *	first and last physical lines of the logical line; use them in
 *	diagnostics. The stream's path (vstream_path()) appears in
 *	warnings.
 *
 *	bound limits the length of a logical line (bytes stored in buf,
 *	at least 1). A longer logical line is read to its end but not stored,
 *	a warning is logged, and readlline() returns READLLINE_TOOLONG with
 *	buf empty; the next call continues with the following logical
 *	line. Memory use is bounded by bound, whatever the input.
 *
 *	Result: READLLINE_OK (buf holds a logical line), READLLINE_TOOLONG
 *	(see above; negative, so "< 0" tests catch it) or READLLINE_EOF
 *	(zero: no more logical lines, or a read error; the caller may test
 *	vstream_ferror()).
 *
 *	This module does not interpret the line (no "name = value"
 *	splitting, no $name expansion, no comments after text: "a # b"
 *	keeps the '#').
 *
 * DIAGNOSTICS
 *	Warnings: "<path>, line <n>: logical line must not start with
 *	whitespace: \"<first 30 bytes>...\"" (see excerpt(3)) and
 *	"<path>, line <n>[-<m>]:
 *	logical line is longer than <bound> bytes; skipped".
 */
#ifndef READLLINE_H
#define READLLINE_H

#include "sys_defs.h"
#include "vstring.h"
#include "vstream.h"

#define READLLINE_OK		1
#define READLLINE_EOF		0
#define READLLINE_TOOLONG	(-1)

extern int readlline(VSTRING *buf, VSTREAM *fp, int *lineno,
		             int *first_line, int *last_line, size_t bound);

#endif
