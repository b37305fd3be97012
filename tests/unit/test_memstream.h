/*
 * test_memstream - a stream on a memory file, for parser tests
 *
 * SYNOPSIS
 *	#include "test_memstream.h"
 *
 *	VSTREAM	*test_memstream(const void *data, size_t len);
 *
 * DESCRIPTION
 *	test_memstream() returns a read/write stream on an anonymous
 *	memory file (memfd_create(2)) that holds the len bytes of data,
 *	positioned at the start. Close it with vstream_fclose().
 *
 * DIAGNOSTICS
 *	cmocka failures when the file cannot be made or written.
 */
#ifndef TEST_MEMSTREAM_H
#define TEST_MEMSTREAM_H

#include "sys_defs.h"
#include "vstream.h"

extern VSTREAM *test_memstream(const void *data, size_t len);

#endif
