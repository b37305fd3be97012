/*
 * fuzz_nbdb_proto - feed arbitrary bytes to the nbdb_reindexd message reader
 *
 * DESCRIPTION
 *	The input is what a peer sends, read from a memory file with
 *	nbdb_proto_read() until it fails. Checked: every message respects
 *	the bounds (attribute count, line length, name syntax), the reader
 *	always ends, and what it accepted survives a write and a second
 *	read unchanged, except that control characters come back as "?".
 */
#include "sys_defs.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "msg.h"
#include "argv.h"
#include "vstring.h"
#include "vstream.h"
#include "nbdb_proto.h"
#include "fuzz_support.h"

extern int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* fuzz_check - bounds of one accepted message */
static void fuzz_check(const ARGV *attrs)
{
    size_t  n;
    const char *eq;

    if (attrs->argc > NBDB_PROTO_ATTR_LIMIT)
	abort();
    for (n = 0; n < attrs->argc; n++) {
	if (strlen(attrs->argv[n]) >= NBDB_PROTO_LINE_LIMIT)
	    abort();
	if ((eq = strchr(attrs->argv[n], '=')) == NULL
	    || eq == attrs->argv[n] || eq - attrs->argv[n] > NBDB_PROTO_NAME_LIMIT)
	    abort();
	if (strchr(attrs->argv[n], '\n') != NULL)
	    abort();
    }
}

/* fuzz_same - equal, once control characters are written as "?" */
static bool fuzz_same(const char *written, const char *original)
{
    for (; *written && *original; written++, original++)
	if (*written != ((unsigned char) *original < 0x20 || *original == 0x7f ?
			 '?' : *original))
	    return false;
    return *written == *original;
}

/* LLVMFuzzerTestOneInput - one input */
int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool init;
    static int fd = -1;
    static int copy_fd = -1;
    ARGV   *attrs = argv_alloc(4);
    ARGV   *again = argv_alloc(4);
    VSTRING *why = vstring_alloc(10);
    VSTREAM *fp;
    VSTREAM *cp;
    size_t  messages = 0;
    size_t  n;

    if (!init) {
	fuzz_quiet_init();
	if ((fd = memfd_create("fuzz_nbdb_proto", 0)) < 0
	    || (copy_fd = memfd_create("fuzz_nbdb_proto_copy", 0)) < 0)
	    abort();
	init = true;
    }
    fp = fuzz_memfile(fd, data, size, NULL);
    while (nbdb_proto_read(fp, attrs, why)) {
	fuzz_check(attrs);
	if (++messages > size)
	    abort();
	/* Write what was accepted, read it back: the same attributes. */
	if (ftruncate(copy_fd, 0) < 0 || lseek(copy_fd, 0, SEEK_SET) != 0)
	    abort();
	cp = vstream_fdopen(copy_fd, O_RDWR);
	for (n = 0; n < attrs->argc; n++) {
	    char   *name = attrs->argv[n];
	    char   *value = strchr(name, '=');

	    *value++ = 0;
	    if (!nbdb_proto_write(cp, name, value, (char *) 0))
		abort();
	    value[-1] = '=';
	}
	if (vstream_fseek(cp, 0, SEEK_SET) != 0)
	    abort();
	for (n = 0; n < attrs->argc; n++) {
	    if (!nbdb_proto_read(cp, again, why) || again->argc != 1
		|| !fuzz_same(again->argv[0], attrs->argv[n]))
		abort();
	}
	vstream_fdclose(cp);
    }
    vstream_fdclose(fp);
    argv_free(attrs);
    argv_free(again);
    vstring_free(why);
    return 0;
}
