/*
 * fuzz_mime_state - feed arbitrary messages through mime_state(3)
 *
 * DESCRIPTION
 *	The first four input bytes choose the parser: byte 0 the option
 *	bits, byte 1 the record size (0: whole lines, else 1..31 bytes
 *	per record), byte 2 header_size (0: default, else 8..120), byte 3
 *	mime_nesting_limit (low 3 bits, 0: default) and
 *	mime_boundary_length_limit (next 4 bits, 0: default). The rest is
 *	the message, split at newlines into lines and the lines into
 *	records.
 *
 *	Checked: the callbacks stay within their documented ranges (class,
 *	encoding, lengths, null termination), their number is bounded by
 *	the number of records, each error bit is reported once and the
 *	final error mask is their union, message_end comes once, and when
 *	no header was cut every input byte comes out exactly once (header
 *	text minus its folding newlines plus body text), except the blanks
 *	of an obsolete "Name :".
 */
#include "sys_defs.h"

#include <stdlib.h>
#include <string.h>

#include "msg.h"
#include "is_header.h"
#include "mime_state.h"
#include "fuzz_support.h"

extern int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct FUZZ_COUNT {
    size_t  header_size;		/* the effective limit */
    size_t  callbacks;			/* all callbacks */
    size_t  bytes_out;			/* input bytes seen again */
    int     errors;			/* error bits reported */
    int     ends;			/* message_end calls */
} FUZZ_COUNT;

/* fuzz_header - check one header */
static void fuzz_header(void *context, const MIME_HEADER *hp)
{
    FUZZ_COUNT *fc = context;
    size_t  n;

    fc->callbacks++;
    if (hp->header_class < MIME_HDR_PRIMARY || hp->header_class > MIME_HDR_NESTED)
	abort();
    if (hp->text[hp->len] != 0)
	abort();
    /* At most twice the limit, or the name and colon. */
    if (hp->len > 2 * fc->header_size && is_header_value(hp->text, hp->len)
	!= hp->len)
	abort();
    if (hp->name_len == 0 || hp->name_len >= hp->len || hp->depth < 0)
	abort();
    fc->bytes_out += hp->len;
    for (n = 0; n < hp->len; n++)
	if (hp->text[n] == '\n')
	    fc->bytes_out--;
}

/* fuzz_header_end - check the end of a header block */
static void fuzz_header_end(void *context, int header_class, int depth)
{
    FUZZ_COUNT *fc = context;

    fc->callbacks++;
    if (header_class < MIME_HDR_PRIMARY || header_class > MIME_HDR_NESTED
	|| depth < 0)
	abort();
}

/* fuzz_body - check one body record */
static void fuzz_body(void *context, const MIME_BODY *bp)
{
    FUZZ_COUNT *fc = context;

    fc->callbacks++;
    if (bp->rec_type != MIME_REC_LINE && bp->rec_type != MIME_REC_PART)
	abort();
    if (bp->line_class < MIME_LINE_SEPARATOR
	|| bp->line_class > MIME_LINE_CONTENT)
	abort();
    if (bp->encoding < MIME_ENC_7BIT || bp->encoding > MIME_ENC_OTHER)
	abort();
    if (bp->content_type == 0 || strlen(bp->content_type) > 255
	|| strchr(bp->content_type, '/') == 0 || bp->depth < 0)
	abort();
    if (bp->inserted && (bp->len != 0 || bp->line_class != MIME_LINE_SEPARATOR))
	abort();
    fc->bytes_out += bp->len;
}

/* fuzz_end - the message ends */
static void fuzz_end(void *context)
{
    FUZZ_COUNT *fc = context;

    fc->callbacks++;
    fc->ends++;
}

/* fuzz_error - one error bit, once */
static void fuzz_error(void *context, int error, const char *detail,
		               size_t len)
{
    FUZZ_COUNT *fc = context;

    fc->callbacks++;
    if ((error & (error - 1)) != 0 || (fc->errors & error) != 0)
	abort();
    if (detail == 0 && len > 0)
	abort();
    fc->errors |= error;
}

static const MIME_STATE_CALLBACKS fuzz_callbacks = {
    fuzz_header, fuzz_header_end, fuzz_body, fuzz_end, fuzz_error,
};

/* LLVMFuzzerTestOneInput - one input */
int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    MIME_STATE_LIMITS limits;
    FUZZ_COUNT fc;
    MIME_STATE *mp;
    const char *cp;
    const char *end;
    const char *nl;
    size_t  chunk;
    size_t  len;
    size_t  piece;
    size_t  records = 0;
    size_t  bytes_in = 0;
    int     errors;

    fuzz_quiet_init();
    if (size < 4)
	return 0;
    memset(&limits, 0, sizeof(limits));
    chunk = data[1] % 32;
    limits.header_size = (data[2] % 16) * 8;
    limits.nesting = data[3] & 7;
    limits.boundary_length = (data[3] >> 3) & 15;
    memset(&fc, 0, sizeof(fc));
    fc.header_size = limits.header_size ? limits.header_size
	: MIME_DEF_HEADER_SIZE;
    mp = mime_state_create(&limits, data[0] & 0x7f, &fuzz_callbacks, &fc);

    cp = (const char *) data + 4;
    end = (const char *) data + size;
    while (cp < end) {
	nl = memchr(cp, '\n', end - cp);
	len = (nl ? nl : end) - cp;
	do {
	    piece = (chunk > 0 && len > chunk) ? chunk : len;
	    mime_state_update(mp, piece < len ? MIME_REC_PART : MIME_REC_LINE,
			      cp, piece);
	    records++;
	    bytes_in += piece;
	    cp += piece;
	    len -= piece;
	} while (len > 0);
	if (cp < end && *cp == '\n')
	    cp++;
    }
    errors = mime_state_finish(mp);
    if (errors != fc.errors || errors != mime_state_errors(mp))
	abort();
    if (fc.ends != 1)
	abort();
    /* A record gives at most a header, header_end, two separators, a
     * body record, a nested header_end and an error or two. */
    if (fc.callbacks > 8 * records + 8)
	abort();
    if (fc.bytes_out > bytes_in)
	abort();
    /* "Name :" loses its blanks, so only such inputs may come out short. */
    if (!(mime_state_seen(mp) & MIME_SEEN_TRUNC_HEADER)
	&& memmem(data + 4, size - 4, " :", 2) == 0
	&& memmem(data + 4, size - 4, "\t:", 2) == 0
	&& fc.bytes_out != bytes_in)
	abort();
    mime_state_free(mp);
    return 0;
}
