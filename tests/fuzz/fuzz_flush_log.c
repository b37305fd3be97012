/*
 * fuzz_flush_log - feed arbitrary bytes to the flush(8) log reader
 *
 * DESCRIPTION
 *	The input is a per-destination log of flush(8). It is parsed with
 *	flush_log_parse(); checked: every ID taken is a valid queue ID,
 *	no ID is taken twice, the limit holds, and the IDs written back
 *	one per line parse to the same list without a skipped line. The
 *	input's first byte (when any) also goes through flush_log_path()
 *	as a site name: a name that is accepted has no "/" after the
 *	directory and no "." at all.
 */
#include "sys_defs.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "msg.h"
#include "argv.h"
#include "vstring.h"
#include "vstream.h"
#include "queue_id.h"
#include "flush_log.h"
#include "fuzz_support.h"

#define FUZZ_LIMIT	50

extern int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* fuzz_site - the path of an accepted site stays in flush/ */
static void fuzz_site(const uint8_t *data, size_t size)
{
    static VSTRING *buf;
    char   *site = strndup((const char *) data, size > 300 ? 300 : size);
    const char *path;

    if (site == 0)
	abort();
    if (buf == 0)
	buf = vstring_alloc(100);
    if ((path = flush_log_path(buf, site)) != 0) {
	if (strncmp(path, "flush/", 6) != 0 || strchr(path + 6, '/') != 0
	    || strchr(path, '.') != 0 || path[6] == 0)
	    abort();
    }
    free(site);
}

/* LLVMFuzzerTestOneInput - one input */
int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int fd = -1;
    static int fd2 = -1;
    static VSTRING *text;
    ARGV   *ids;
    ARGV   *again;
    VSTREAM *fp;

    if (fd < 0) {
	fuzz_quiet_init();
	if ((fd = memfd_create("fuzz_flush_log", 0)) < 0
	    || (fd2 = memfd_create("fuzz_flush_log2", 0)) < 0)
	    abort();
	text = vstring_alloc(1000);
    }
    fuzz_site(data, size);
    ids = argv_alloc(10);
    fp = fuzz_memfile(fd, data, size, "fuzz");
    (void) flush_log_parse(fp, ids, FUZZ_LIMIT);
    vstream_fdclose(fp);
    if (ids->argc > FUZZ_LIMIT)
	abort();
    VSTRING_RESET(text);
    for (size_t i = 0; i < ids->argc; i++) {
	if (!queue_id_valid(ids->argv[i]))
	    abort();
	for (size_t j = 0; j < i; j++)
	    if (strcmp(ids->argv[i], ids->argv[j]) == 0)
		abort();
	vstring_sprintf_append(text, "%s\n", ids->argv[i]);
    }
    again = argv_alloc(10);
    fp = fuzz_memfile(fd2, vstring_str(text), VSTRING_LEN(text), "again");
    if (flush_log_parse(fp, again, FUZZ_LIMIT) != 0 || again->argc != ids->argc)
	abort();
    vstream_fdclose(fp);
    for (size_t i = 0; i < ids->argc; i++)
	if (strcmp(ids->argv[i], again->argv[i]) != 0)
	    abort();
    argv_free(again);
    argv_free(ids);
    return 0;
}
