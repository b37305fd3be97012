/*
 * fuzz_support - helpers that every fuzz target may use
 *
 * SYNOPSIS
 *	#include "fuzz_support.h"
 *
 *	void	fuzz_quiet_init(void);
 *	VSTREAM	*fuzz_memfile(int fd, const void *data, size_t len,
 *				const char *path);
 *
 * DESCRIPTION
 *	fuzz_quiet_init() discards the diagnostics of the code under test
 *	(warnings about bad input are expected by the thousand); a second
 *	call does nothing.
 *
 *	fuzz_memfile() replaces the content of fd (a memfd_create() file)
 *	with the len bytes at data and returns a read stream for it, named
 *	path in diagnostics. The caller closes the stream with
 *	vstream_fdclose() to keep fd for the next input.
 *
 *	These helpers are static functions in this header: each fuzz
 *	target includes it once. Any failure of the system calls aborts.
 */
#ifndef FUZZ_SUPPORT_H
#define FUZZ_SUPPORT_H

#include "sys_defs.h"

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "msg.h"
#include "msg_output.h"
#include "vstream.h"

/* fuzz_quiet - discard one diagnostic */
static void fuzz_quiet(int level, const char *text, void *context)
{
    (void) level;
    (void) text;
    (void) context;
}

/* fuzz_quiet_init - discard diagnostics, once per process */
static UNUSED void fuzz_quiet_init(void)
{
    static bool done;

    if (!done) {
	msg_output_add(fuzz_quiet, NULL);
	done = true;
    }
}

/* fuzz_memfile - fd holds data; a read stream for it */
static UNUSED VSTREAM *fuzz_memfile(int fd, const void *data, size_t len,
				            const char *path)
{
    VSTREAM *fp;

    if (ftruncate(fd, 0) < 0 || lseek(fd, 0, SEEK_SET) != 0)
	abort();
    if (len > 0 && write(fd, data, len) != (ssize_t) len)
	abort();
    if (lseek(fd, 0, SEEK_SET) != 0)
	abort();
    fp = vstream_fdopen(fd, O_RDONLY);
    if (path != NULL)
	vstream_set_path(fp, path);
    return fp;
}

#endif
