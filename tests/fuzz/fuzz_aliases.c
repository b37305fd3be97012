/*
 * fuzz_aliases - feed arbitrary bytes through the aliases(5) parser
 *
 * DESCRIPTION
 *	The input is an alias file (read from a memory file) for
 *	mkmap_source(3) with MKMAP_SOURCE_FLAG_ALIAS; the first byte picks
 *	whether UTF-8 checking is on. Checked: every entry has a non-empty
 *	value, the normalized value parses to the same text again (the
 *	normal form is stable), entry line numbers increase, and reading
 *	ends.
 */
#include "sys_defs.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "msg.h"
#include "mymalloc.h"
#include "vstring.h"
#include "vstream.h"
#include "mkmap_source.h"
#include "fuzz_support.h"

extern int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* fuzz_reparse - "x: <value>" must come back as the same value */
static void fuzz_reparse(int fd, const char *value)
{
    VSTRING *line = vstring_alloc(100);
    MKMAP_SOURCE *src;
    VSTREAM *fp;
    const char *key2;
    const char *value2;

    vstring_sprintf(line, "x: %s\n", value);
    fp = fuzz_memfile(fd, vstring_str(line), VSTRING_LEN(line), "fuzz");
    src = mkmap_source_open(fp, MKMAP_SOURCE_FLAG_ALIAS);
    if (!mkmap_source_next(src, &key2, &value2)
	|| strcmp(key2, "x") != 0 || strcmp(value2, value) != 0)
	abort();
    mkmap_source_close(src);
    vstream_fdclose(fp);
    vstring_free(line);
}

/* LLVMFuzzerTestOneInput - one input */
int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool init;
    static int fd = -1;
    static int fd2 = -1;
    MKMAP_SOURCE *src;
    VSTREAM *fp;
    const char *key;
    const char *value;
    char   *saved;
    int     prev = 0;
    size_t  entries = 0;

    if (!init) {
	fuzz_quiet_init();
	if ((fd = memfd_create("fuzz_aliases", 0)) < 0
	    || (fd2 = memfd_create("fuzz_aliases2", 0)) < 0)
	    abort();
	init = true;
    }
    if (size == 0)
	return 0;
    fp = fuzz_memfile(fd, data + 1, size - 1, "fuzz");
    src = mkmap_source_open(fp, MKMAP_SOURCE_FLAG_ALIAS
			    | ((data[0] & 1) ? MKMAP_SOURCE_FLAG_UTF8 : 0));
    while (mkmap_source_next(src, &key, &value)) {
	if (*value == 0)
	    abort();
	if (mkmap_source_lineno(src) <= prev)
	    abort();
	prev = mkmap_source_lineno(src);
	if (++entries > size)
	    abort();
	/* Values without newlines or nulls must be in normal form. */
	if (strchr(value, '\n') == NULL && strchr(value, '\r') == NULL) {
	    saved = mystrdup(value);
	    fuzz_reparse(fd2, saved);
	    myfree(saved);
	}
    }
    mkmap_source_close(src);
    vstream_fdclose(fp);
    return 0;
}
