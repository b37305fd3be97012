/*
 * fuzz_qp_encode - quoted-printable round trip through qp_encode(3)
 *
 * DESCRIPTION
 *	The first input byte picks the record size (0: whole lines, else
 *	1..63 bytes); the rest is body text, split at newlines. Checked:
 *	every encoded line has at most 76 characters of printable ASCII
 *	(space and tab included), no white space at its end, only valid
 *	"=XX" escapes, and decoding gives back the input.
 */
#include "sys_defs.h"

#include <stdlib.h>
#include <string.h>

#include "vstring.h"
#include "mime_state.h"
#include "qp_encode.h"
#include "fuzz_support.h"

extern int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* fuzz_hexval - value of an upper-case hex digit, or abort */
static int fuzz_hexval(int ch)
{
    if (ch >= '0' && ch <= '9')
	return ch - '0';
    if (ch >= 'A' && ch <= 'F')
	return ch - 'A' + 10;
    abort();
}

/* fuzz_decode_line - check and decode one encoded line */
static void fuzz_decode_line(void *context, const char *text, size_t len)
{
    VSTRING *out = context;
    size_t  n;
    bool    soft = false;

    if (len > QP_ENCODE_LINE_LIMIT)
	abort();
    if (len > 0 && (text[len - 1] == ' ' || text[len - 1] == '\t'))
	abort();
    for (n = 0; n < len; n++) {
	if (text[n] == '=') {
	    if (n + 1 == len) {
		soft = true;
		break;
	    }
	    if (n + 2 >= len)
		abort();
	    VSTRING_ADDCH(out, fuzz_hexval(text[n + 1]) * 16
			  + fuzz_hexval(text[n + 2]));
	    n += 2;
	} else if ((text[n] >= 32 && text[n] <= 126) || text[n] == '\t') {
	    VSTRING_ADDCH(out, text[n]);
	} else {
	    abort();
	}
    }
    if (!soft)
	VSTRING_ADDCH(out, '\n');
    VSTRING_TERMINATE(out);
}

/* LLVMFuzzerTestOneInput - one input */
int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    VSTRING *out;
    QP_ENCODE *qp;
    const char *cp;
    const char *end;
    const char *nl;
    size_t  chunk;
    size_t  len;
    size_t  piece;

    fuzz_quiet_init();
    if (size < 1)
	return 0;
    chunk = data[0] % 64;
    cp = (const char *) data + 1;
    end = (const char *) data + size;
    out = vstring_alloc(size * 3 + 10);
    qp = qp_encode_create(fuzz_decode_line, out);
    while (cp < end) {
	nl = memchr(cp, '\n', end - cp);
	len = (nl ? nl : end) - cp;
	do {
	    piece = (chunk > 0 && len > chunk) ? chunk : len;
	    qp_encode_update(qp, piece < len ? MIME_REC_PART : MIME_REC_LINE,
			     cp, piece);
	    cp += piece;
	    len -= piece;
	} while (len > 0);
	if (cp < end)
	    cp++;
    }
    qp_encode_free(qp);
    /* The decoded text is the input with a newline after its last line. */
    len = size - 1;
    if (len > 0 && data[size - 1] != '\n')
	len++;
    if (VSTRING_LEN(out) != len
	|| memcmp(vstring_str(out), data + 1, size - 1) != 0)
	abort();
    vstring_free(out);
    return 0;
}
