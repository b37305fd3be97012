/*
 * fuzz_readlline - feed arbitrary bytes through readlline(3)
 *
 * DESCRIPTION
 *	The first input byte picks the logical line bound (1..64); the rest
 *	is the file content, read from a memory file. Checked: every logical
 *	line fits the bound, too-long lines come back empty, line numbers
 *	are ordered, and reading ends.
 */
#include "sys_defs.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "msg.h"
#include "vstring.h"
#include "vstream.h"
#include "readlline.h"
#include "fuzz_support.h"

extern int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* LLVMFuzzerTestOneInput - one input */
int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool init;
    static int fd = -1;
    VSTREAM *fp;
    VSTRING *buf;
    size_t  bound;
    int     lineno = 0;
    int     first;
    int     last;
    int     prev_last = 0;
    int     status;
    size_t  lines = 0;

    if (!init) {
	fuzz_quiet_init();
	if ((fd = memfd_create("fuzz_readlline", 0)) < 0)
	    abort();
	init = true;
    }
    if (size == 0)
	return 0;
    bound = (data[0] % 64) + 1;
    fp = fuzz_memfile(fd, data + 1, size - 1, "fuzz");
    buf = vstring_alloc(1);
    while ((status = readlline(buf, fp, &lineno, &first, &last, bound))
	   != READLLINE_EOF) {
	if (VSTRING_LEN(buf) > bound)
	    abort();
	if (status == READLLINE_TOOLONG && VSTRING_LEN(buf) != 0)
	    abort();
	if (status == READLLINE_OK && VSTRING_LEN(buf) == 0)
	    abort();
	if (first <= prev_last || first > last || last > lineno)
	    abort();
	prev_last = last;
	if (++lines > size)
	    abort();				/* more lines than bytes */
    }
    vstring_free(buf);
    vstream_fdclose(fp);
    return 0;
}
