/*
 * fuzz_smtp_content - arbitrary message content through the SMTP client's
 *	content writer
 *
 * DESCRIPTION
 *	The first input byte chooses the flags (bit 0 SMTP_CONTENT_DOT,
 *	bit 1 SMTP_CONTENT_DOWNGRADE: MIME parsing and quoted-printable
 *	conversion); the rest is message content, one L record per line
 *	(lines longer than 300 bytes become P records first). The queue
 *	file is built in a memory file and sent with smtp_content_send()
 *	into a collecting out() function. Checked: the result is 0, or -1
 *	(too deep MIME nesting) only when converting; every out() piece
 *	holds at most 4096 bytes; every LF of the output follows a CR and
 *	the output ends with CRLF; no line is longer than
 *	smtp_line_length_limit (plus one for a doubled dot); with
 *	dot-stuffing no line is a lone ".".
 */
#include "sys_defs.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "msg.h"
#include "mymalloc.h"
#include "vstream.h"
#include "vstring.h"
#include "dsn.h"
#include "rec_type.h"
#include "deliver_request.h"
#include "smtp.h"
#include "smtp_session.h"
#include "smtp_content.h"
#include "fuzz_support.h"

#define FUZZ_PART	300		/* bytes per P record */
#define FUZZ_LIMIT	998		/* smtp_line_length_limit default */

extern int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* fuzz_record - append one queue file record */
static void fuzz_record(VSTRING *buf, int type, const char *data, size_t len)
{
    vstring_sprintf_append(buf, "%c%lu ", type, (unsigned long) len);
    vstring_memcat(buf, data, len);
    VSTRING_ADDCH(buf, '\n');
    VSTRING_TERMINATE(buf);
}

/* fuzz_out - collect the output, check the piece size */
static int fuzz_out(void *context, const char *data, ssize_t len)
{
    if (len <= 0 || len > 4096)
	abort();
    vstring_memcat((VSTRING *) context, data, (size_t) len);
    return (0);
}

/* fuzz_check - the output invariants */
static void fuzz_check(const char *out, size_t len, int flags)
{
    size_t  start = 0;
    size_t  n;

    if (len > 0 && (len < 2 || out[len - 2] != '\r' || out[len - 1] != '\n'))
	abort();
    for (n = 0; n < len; n++) {
	if (out[n] != '\n')
	    continue;
	if (n == 0 || out[n - 1] != '\r')
	    abort();
	if (n - 1 - start > FUZZ_LIMIT + 1)
	    abort();
	if ((flags & SMTP_CONTENT_DOT) && n - 1 - start == 1
	    && out[start] == '.')
	    abort();
	start = n + 1;
    }
}

/* LLVMFuzzerTestOneInput - one input */
int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool init;
    static int fd = -1;
    static char queue_id[] = "3F2A1B7E4";
    VSTRING *file;
    VSTRING *out;
    DELIVER_REQUEST req;
    SMTP_STATE state;
    SMTP_SESSION session;
    DSN_BUF *why;
    const char *cp;
    const char *end;
    const char *nl;
    size_t  piece;
    int     flags;
    int     result;

    if (!init) {
	fuzz_quiet_init();
	smtp_params_init("smtp", "smtp");
	if ((fd = memfd_create("fuzz_smtp_content", 0)) < 0)
	    abort();
	init = true;
    }
    if (size == 0)
	return (0);
    flags = data[0] & (SMTP_CONTENT_DOT | SMTP_CONTENT_DOWNGRADE);
    file = vstring_alloc(size * 2 + 100);
    fuzz_record(file, REC_TYPE_FORMAT, REC_FORMAT_TEXT,
		strlen(REC_FORMAT_TEXT));
    memset(&req, 0, sizeof(req));
    req.queue_id = queue_id;
    req.data_offset = (long) VSTRING_LEN(file);
    fuzz_record(file, REC_TYPE_MESSAGE, "", 0);
    for (cp = (const char *) data + 1, end = (const char *) data + size;
	 cp < end; cp = nl + 1) {
	if ((nl = memchr(cp, '\n', (size_t) (end - cp))) == 0)
	    nl = end;
	while ((piece = (size_t) (nl - cp)) > FUZZ_PART) {
	    fuzz_record(file, REC_TYPE_PART, cp, FUZZ_PART);
	    cp += FUZZ_PART;
	}
	fuzz_record(file, REC_TYPE_LINE, cp, piece);
    }
    fuzz_record(file, REC_TYPE_EXTRACT, "", 0);
    fuzz_record(file, REC_TYPE_END, "", 0);

    memset(&state, 0, sizeof(state));
    memset(&session, 0, sizeof(session));
    state.request = &req;
    state.session = &session;
    state.src = req.fp = fuzz_memfile(fd, vstring_str(file),
				      VSTRING_LEN(file), "fuzz");
    out = vstring_alloc(size * 4 + 100);
    why = dsb_create();
    result = smtp_content_send(&state, flags, fuzz_out, out, why);
    if (result != 0 && !(result == -1 && (flags & SMTP_CONTENT_DOWNGRADE)))
	abort();
    if (result == 0)
	fuzz_check(vstring_str(out), VSTRING_LEN(out), flags);
    (void) vstream_fdclose(state.src);
    dsb_free(why);
    vstring_free(out);
    vstring_free(file);
    return (0);
}
