/*
 * fuzz_queue_file - feed arbitrary bytes to the queue file reader
 *
 * DESCRIPTION
 *	The input is a queue file or maildrop file as read from disk. It is
 *	checked with queue_file_read() as a queue file, as a maildrop file
 *	and as either, and read record by record with record_get() and a
 *	small limit. Checked: every record handed to the caller has a valid
 *	type, data within the limit and an offset inside the input, offsets
 *	increase; an accepted file ends exactly at the end of the input,
 *	starts with the format record and has a size record that matches
 *	(queue files); the reader always ends, and gives the same answer
 *	twice.
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
#include "record.h"
#include "rec_type.h"
#include "queue_file_read.h"
#include "fuzz_support.h"

extern int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_LIMIT	200		/* small, to reach the limit checks */

/* What the call-back saw. */
typedef struct FUZZ_SEEN {
    size_t  size;			/* input size */
    off_t   last_offset;
    int     records;
    int     first_type;
    off_t   m_offset;
} FUZZ_SEEN;

/* fuzz_record - check one record handed to the caller */
static bool fuzz_record(int type, const char *data, size_t len, off_t offset,
			        void *context)
{
    FUZZ_SEEN *seen = (FUZZ_SEEN *) context;

    if (!rec_type_valid(type) || len > FUZZ_LIMIT || data[len] != 0)
	abort();
    if (offset < 0 || (size_t) offset + len + 4 > seen->size)
	abort();
    if (seen->records > 0 && offset <= seen->last_offset)
	abort();
    if (seen->records++ == 0)
	seen->first_type = type;
    if (type == REC_TYPE_MESSAGE)
	seen->m_offset = offset;
    seen->last_offset = offset;
    return true;
}

/* fuzz_read - one queue_file_read() run and its invariants */
static int fuzz_read(int fd, const uint8_t *data, size_t size, int kind)
{
    VSTREAM *fp = fuzz_memfile(fd, data, size, "fuzz");
    QUEUE_FILE_INFO info;
    FUZZ_SEEN seen;
    bool    ok;
    int     error;

    memset(&seen, 0, sizeof(seen));
    seen.size = size;
    seen.m_offset = -1;
    queue_file_info_init(&info);
    ok = queue_file_read(fp, kind, FUZZ_LIMIT, fuzz_record, &seen, &info);
    if (ok != (info.error == QUEUE_FILE_OK))
	abort();
    if (!ok && VSTRING_LEN(info.why) == 0)
	abort();
    if (ok) {
	if (info.end_offset != (off_t) size || seen.first_type != REC_TYPE_FORMAT)
	    abort();
	if (info.kind == QUEUE_FILE_KIND_QUEUE
	    && (!info.have_size || info.size.content_offset != seen.m_offset))
	    abort();
    } else if (info.error == QUEUE_FILE_ERR_READ
	       || info.error == QUEUE_FILE_ERR_CALLER) {
	abort();				/* a memory file reads fine */
    }
    error = info.error;
    queue_file_info_free(&info);
    vstream_fdclose(fp);
    return error;
}

/* LLVMFuzzerTestOneInput - one input */
int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int fd = -1;
    static VSTRING *buf;
    static const int kinds[] = {
	QUEUE_FILE_KIND_QUEUE, QUEUE_FILE_KIND_MAILDROP, QUEUE_FILE_KIND_ANY,
    };
    VSTREAM *fp;
    size_t  n;
    int     type;
    int     count;

    if (fd < 0) {
	fuzz_quiet_init();
	if ((fd = memfd_create("fuzz_queue_file", 0)) < 0)
	    abort();
	buf = vstring_alloc(100);
    }
    for (n = 0; n < ARRAY_LEN(kinds); n++)
	if (fuzz_read(fd, data, size, kinds[n])
	    != fuzz_read(fd, data, size, kinds[n]))
	    abort();

    /* The plain record reader: bounded, always ends. */
    fp = fuzz_memfile(fd, data, size, "fuzz");
    for (count = 0; (type = record_get(fp, buf, 16)) > 0; count++) {
	if (!rec_type_valid(type) || VSTRING_LEN(buf) > 16)
	    abort();
	if (count > (int) size)
	    abort();
    }
    if (type != RECORD_EOF && type != RECORD_ERR_TYPE
	&& type != RECORD_ERR_LENGTH && type != RECORD_ERR_LIMIT
	&& type != RECORD_ERR_TRUNC && type != RECORD_ERR_END)
	abort();
    vstream_fdclose(fp);
    return 0;
}
