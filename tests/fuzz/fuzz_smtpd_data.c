/*
 * fuzz_smtpd_data - fuzz target for the DATA/BDAT content state machine
 *
 * DESCRIPTION
 *	The first input byte chooses the smtpd_forbid_bare_newline mode
 *	(no, normalize, reject), DATA or BDAT, a line_length_limit (1 to
 *	64) and how the rest is cut into pieces (as reads or BDAT chunks
 *	cut it); the rest is what the client sends. It aborts when an
 *	invariant breaks:
 * .IP \(bu
 *	a record is L or P, no longer than the line limit, and holds no
 *	<CR> or <LF>;
 * .IP \(bu
 *	the machine never takes more bytes than it was given, takes all
 *	of them in BDAT, and nothing after the end of DATA; a record
 *	never follows the end;
 * .IP \(bu
 *	the size count grows by at least the bytes written, and the
 *	content ends with an L record (never a P) after finish or the
 *	end of DATA.
 */
#include "sys_defs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rec_type.h"
#include "smtpd_data_content.h"
#include "fuzz_support.h"

typedef struct FUZZ_OUT {
    size_t  limit;
    long    written;
    int     last_type;
    bool    done;
} FUZZ_OUT;

/* fuzz_fail - report a broken invariant and abort */
static void fuzz_fail(const char *what)
{
    fprintf(stderr, "invariant broken: %s\n", what);
    abort();
}

/* fuzz_put - check one record */
static void fuzz_put(void *context, int type, const char *data, size_t len)
{
    FUZZ_OUT *out = context;

    if (type != REC_TYPE_LINE && type != REC_TYPE_PART)
	fuzz_fail("record type");
    if (len > out->limit)
	fuzz_fail("record longer than the line limit");
    if (memchr(data, '\r', len) || memchr(data, '\n', len))
	fuzz_fail("line end inside a record");
    if (out->done)
	fuzz_fail("record after the end");
    out->written += (long) len;
    out->last_type = type;
}

int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* LLVMFuzzerTestOneInput - one fuzz case */
int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const int modes[] = {SMTPD_BARE_LF_NO, SMTPD_BARE_LF_NORMALIZE,
    SMTPD_BARE_LF_REJECT};
    SMTPD_CONTENT *content;
    FUZZ_OUT out;
    bool    dot;
    size_t  piece;
    size_t  pos;
    size_t  take;
    size_t  used;

    if (size < 2)
	return (0);
    fuzz_quiet_init();
    dot = (data[0] & 1) != 0;
    out.limit = (size_t) (data[1] % 64) + 1;
    out.written = 0;
    out.last_type = REC_TYPE_LINE;
    out.done = false;
    piece = (size_t) ((data[0] >> 3) % 17) + 1;
    content = smtpd_content_create(modes[(data[0] >> 1) % 3], dot, out.limit,
				   fuzz_put, &out);
    for (pos = 2; pos < size && !smtpd_content_done(content); pos += used) {
	take = size - pos < piece ? size - pos : piece;
	used = smtpd_content_feed(content, (const char *) data + pos, take);
	if (used > take)
	    fuzz_fail("took more than given");
	if (!dot && used != take)
	    fuzz_fail("BDAT left bytes");
	if (used < take && !smtpd_content_done(content))
	    fuzz_fail("stopped before the end");
	if (!dot)
	    smtpd_content_chunk_end(content);
    }
    if (smtpd_content_done(content)) {
	out.done = true;
	if (out.last_type != REC_TYPE_LINE)
	    fuzz_fail("content ends in a partial record");
    } else if (!dot) {
	smtpd_content_finish(content);
	if (out.last_type != REC_TYPE_LINE && out.written > 0)
	    fuzz_fail("message ends in a partial record");
    }
    if (smtpd_content_size(content) < out.written)
	fuzz_fail("size count below the bytes written");
    smtpd_content_free(content);
    return (0);
}
