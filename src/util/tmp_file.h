/*
 * tmp_file - an anonymous temporary file
 *
 * SYNOPSIS
 *	#include "tmp_file.h"
 *
 *	int	tmp_file_open(const char *prefix);
 *
 * DESCRIPTION
 *	tmp_file_open() creates a file with mkstemp(3) in P_tmpdir
 *	(/tmp) named <prefix>.XXXXXX, removes its name at once, marks
 *	the descriptor close-on-exec and returns it: a read-write file
 *	that no other process can open and that goes away with its last
 *	descriptor. The result is -1 with errno set on failure.
 *	local(8) and pipe(8) keep a message for a command in one.
 */
#ifndef TMP_FILE_H
#define TMP_FILE_H

extern int tmp_file_open(const char *prefix);

#endif
