/*
 * test_memstream - a stream on a memory file, for parser tests
 *
 * DESCRIPTION
 *	See test_memstream.h.
 */
#include "sys_defs.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "vstream.h"
#include "test_support.h"
#include "test_memstream.h"

/* test_memstream - a read/write stream on a memory file holding data */
VSTREAM *test_memstream(const void *data, size_t len)
{
    int     fd = memfd_create("test_memstream", 0);

    if (fd < 0)
	fail_msg("memfd_create: %m");
    if (len > 0 && write(fd, data, len) != (ssize_t) len)
	fail_msg("write: %m");
    if (lseek(fd, 0, SEEK_SET) != 0)
	fail_msg("lseek: %m");
    return vstream_fdopen(fd, O_RDWR);
}
