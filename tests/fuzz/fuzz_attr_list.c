/*
 * fuzz_attr_list - feed arbitrary bytes to the attribute-list reader
 *
 * DESCRIPTION
 *	The first input byte picks the limits (even: the defaults; odd:
 *	small ones, so that short inputs reach every bound); the rest is
 *	what a peer sends, read from a memory file with attr_list_read()
 *	until it fails. Checked for each message read: the attribute
 *	count and nesting respect the limits, and the message survives a
 *	round trip: written, read back (consuming exactly the written
 *	bytes) and written again, it gives the same bytes.
 */
#include "sys_defs.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "msg.h"
#include "vstring.h"
#include "vstream.h"
#include "attr_list.h"
#include "fuzz_support.h"

extern int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const ATTR_LIMITS fuzz_small_limits = {
    .value_limit = 16,
    .count_limit = 8,
    .depth_limit = 2,
};

/* fuzz_walk - count attributes and check the nesting depth */
static size_t fuzz_walk(const ATTR_LIST *list, int depth,
			        const ATTR_LIMITS *limits)
{
    const ATTR_LIST *nested;
    const char *name;
    size_t  count = attr_list_count(list);
    size_t  total = count;
    size_t  n;
    size_t  len;

    if (depth > limits->depth_limit)
	abort();
    for (n = 0; n < count; n++) {
	name = attr_list_name(list, n);
	if (strlen(name) == 0 || strlen(name) > ATTR_NAME_LIMIT)
	    abort();
	switch (attr_list_type(list, n)) {
	case ATTR_TYPE_STR:
	    if (attr_list_find_str(list, name) == NULL)
		abort();
	    break;
	case ATTR_TYPE_DATA:
	    if (attr_list_find_data(list, name, &len) == NULL
		|| len > limits->value_limit)
		abort();
	    break;
	case ATTR_TYPE_LIST:
	    /* Only the first list of a name is reachable by name. */
	    if ((nested = attr_list_find_list(list, name)) == NULL)
		abort();
	    total += fuzz_walk(nested, depth + 1, limits);
	    break;
	default:
	    break;
	}
    }
    return total;
}

/* fuzz_wire - the wire bytes of a list, through a memory file */
static void fuzz_wire(int fd, const ATTR_LIST *list, VSTRING *out)
{
    VSTREAM *fp;
    int     ch;

    if (ftruncate(fd, 0) < 0 || lseek(fd, 0, SEEK_SET) != 0)
	abort();
    fp = vstream_fdopen(fd, O_RDWR);
    if (!attr_list_write(fp, list) || vstream_fseek(fp, 0, SEEK_SET) != 0)
	abort();
    VSTRING_RESET(out);
    while ((ch = VSTREAM_GETC(fp)) != VSTREAM_EOF)
	VSTRING_ADDCH(out, ch);
    vstream_fdclose(fp);
}

/* LLVMFuzzerTestOneInput - one input */
int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool init;
    static int fd = -1;
    static int copy_fd = -1;
    const ATTR_LIMITS *limits;
    ATTR_LIST *list = attr_list_create();
    ATTR_LIST *again = attr_list_create();
    VSTRING *why = vstring_alloc(10);
    VSTRING *first = vstring_alloc(100);
    VSTRING *second = vstring_alloc(100);
    VSTREAM *fp;
    VSTREAM *cp;
    size_t  messages = 0;

    if (!init) {
	fuzz_quiet_init();
	if ((fd = memfd_create("fuzz_attr_list", 0)) < 0
	    || (copy_fd = memfd_create("fuzz_attr_list_copy", 0)) < 0)
	    abort();
	init = true;
    }
    if (size == 0)
	goto done;
    limits = (data[0] & 1) ? &fuzz_small_limits : &attr_default_limits;
    fp = fuzz_memfile(fd, data + 1, size - 1, NULL);
    while (attr_list_read(fp, list, limits, why)) {
	if (++messages > size)
	    abort();
	if (fuzz_walk(list, 0, limits) > limits->count_limit)
	    abort();
	fuzz_wire(copy_fd, list, first);
	cp = fuzz_memfile(copy_fd, vstring_str(first), VSTRING_LEN(first), NULL);
	if (!attr_list_read(cp, again, limits, why)
	    || VSTREAM_GETC(cp) != VSTREAM_EOF)
	    abort();
	vstream_fdclose(cp);
	fuzz_wire(copy_fd, again, second);
	if (VSTRING_LEN(first) != VSTRING_LEN(second)
	    || memcmp(vstring_str(first), vstring_str(second),
		      VSTRING_LEN(first)) != 0)
	    abort();
    }
    if (VSTRING_LEN(why) == 0)
	abort();
    vstream_fdclose(fp);
done:
    attr_list_free(list);
    attr_list_free(again);
    vstring_free(why);
    vstring_free(first);
    vstring_free(second);
    return 0;
}
