/*
 * pattern_file - the patterns of a "/file/name" entry in a list
 *
 * SYNOPSIS
 *	#include "pattern_file.h"
 *
 *	bool	pattern_file_read(const char *path, ARGV *patterns);
 *
 * DESCRIPTION
 *	Lists such as mydestination, masquerade_exceptions and
 *	authorized_submit_users take "/file/name" for the patterns in a
 *	file. pattern_file_read() appends the patterns of that file to
 *	patterns, in order. The file is read in logical lines as
 *	readlline(3) reads table files (blank and "#" lines skipped, lines
 *	that start with whitespace continue the previous one); a line
 *	holds one or more patterns separated by whitespace or commas, and
 *	a word that starts with "#" ends the line. A line longer than
 *	PATTERN_FILE_LINE_LIMIT bytes is skipped with readlline's warning.
 *
 *	What a pattern means, what "/file/name" inside the file does, and
 *	how deep such files may nest, is the caller's business.
 *
 * DIAGNOSTICS
 *	The result is false, with errno set, when the file cannot be
 *	opened or read; the caller warns in its own words.
 */
#ifndef PATTERN_FILE_H
#define PATTERN_FILE_H

#include "sys_defs.h"
#include "argv.h"

#define PATTERN_FILE_LINE_LIMIT	100000	/* bytes in a logical line */

extern bool pattern_file_read(const char *path, ARGV *patterns);

#endif
