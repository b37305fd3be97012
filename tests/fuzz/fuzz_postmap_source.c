/*
 * fuzz_postmap_source - feed arbitrary bytes through the postmap(1)
 *	source file parser
 *
 * DESCRIPTION
 *	The input is a source file (read from a memory file) for
 *	mkmap_source(3) without MKMAP_SOURCE_FLAG_ALIAS; the first byte
 *	picks whether UTF-8 checking is on. Checked: every entry has a
 *	non-empty key without unquoted whitespace and a non-empty value
 *	without surrounding whitespace, entry line numbers increase, and
 *	reading ends.
 */
#include "sys_defs.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "msg.h"
#include "vstream.h"
#include "mkmap_source.h"
#include "fuzz_support.h"

extern int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define IS_SPACE(c)	((c) == ' ' || (c) == '\t' || (c) == '\r' \
			 || (c) == '\n' || (c) == '\v' || (c) == '\f')

/* fuzz_check_key - no whitespace outside quotes */
static void fuzz_check_key(const char *key)
{
    bool    quoted = false;
    const char *cp;

    if (*key == 0)
	abort();
    for (cp = key; *cp; cp++) {
	if (*cp == '\\' && cp[1])
	    cp++;
	else if (*cp == '"')
	    quoted = !quoted;
	else if (IS_SPACE(*cp) && !quoted)
	    abort();
    }
    if (quoted)
	abort();
}

/* LLVMFuzzerTestOneInput - one input */
int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool init;
    static int fd = -1;
    MKMAP_SOURCE *src;
    VSTREAM *fp;
    const char *key;
    const char *value;
    size_t  len;
    int     prev = 0;
    size_t  entries = 0;

    if (!init) {
	fuzz_quiet_init();
	if ((fd = memfd_create("fuzz_postmap_source", 0)) < 0)
	    abort();
	init = true;
    }
    if (size == 0)
	return 0;
    fp = fuzz_memfile(fd, data + 1, size - 1, "fuzz");
    src = mkmap_source_open(fp, (data[0] & 1) ? MKMAP_SOURCE_FLAG_UTF8 :
			    MKMAP_SOURCE_FLAG_NONE);
    while (mkmap_source_next(src, &key, &value)) {
	fuzz_check_key(key);
	if ((len = strlen(value)) == 0 || IS_SPACE(value[0])
	    || IS_SPACE(value[len - 1]))
	    abort();
	if (mkmap_source_lineno(src) <= prev)
	    abort();
	prev = mkmap_source_lineno(src);
	if (++entries > size)
	    abort();
    }
    mkmap_source_close(src);
    vstream_fdclose(fp);
    return 0;
}
