/*
 * fuzz_base64_hex - feed arbitrary bytes to the base64 and hex decoders
 *
 * DESCRIPTION
 *	Checked: whatever a decoder accepts encodes back to the same text
 *	(for base64, up to the unused bits before the padding, which the
 *	decoder ignores), and every decode of an encoding succeeds.
 */
#include "sys_defs.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "vstring.h"
#include "base64_code.h"
#include "hex_code.h"

extern int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* LLVMFuzzerTestOneInput - one input */
int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static VSTRING *dec;
    static VSTRING *enc;
    static VSTRING *again;
    const char *in = (const char *) data;

    if (dec == NULL) {
	dec = vstring_alloc(100);
	enc = vstring_alloc(100);
	again = vstring_alloc(100);
    }

    /* base64: decode, encode, decode again must give the same bytes. */
    if (base64_decode(dec, in, size) != NULL) {
	base64_encode(enc, vstring_str(dec), VSTRING_LEN(dec));
	if (VSTRING_LEN(enc) != size)
	    abort();
	if (base64_decode(again, vstring_str(enc), VSTRING_LEN(enc)) == NULL
	    || VSTRING_LEN(again) != VSTRING_LEN(dec)
	    || memcmp(vstring_str(again), vstring_str(dec), VSTRING_LEN(dec)) != 0)
	    abort();
    }
    base64_encode(enc, in, size);
    if (base64_decode(dec, vstring_str(enc), VSTRING_LEN(enc)) == NULL
	|| VSTRING_LEN(dec) != size || memcmp(vstring_str(dec), in, size) != 0)
	abort();

    /* hex, plain and with colons. */
    if (hex_decode(dec, in, size) != NULL) {
	hex_encode(enc, vstring_str(dec), VSTRING_LEN(dec));
	if (VSTRING_LEN(enc) != size || strncasecmp(vstring_str(enc), in, size) != 0)
	    abort();
    }
    if (hex_decode_opt(dec, in, size, HEX_DECODE_FLAG_ALLOW_COLON) != NULL) {
	hex_encode_opt(enc, vstring_str(dec), VSTRING_LEN(dec),
		       HEX_ENCODE_FLAG_USE_COLON);
	if (VSTRING_LEN(enc) != size || strncasecmp(vstring_str(enc), in, size) != 0)
	    abort();
    }
    hex_encode_opt(enc, in, size, HEX_ENCODE_FLAG_USE_COLON);
    if (hex_decode_opt(dec, vstring_str(enc), VSTRING_LEN(enc),
		       HEX_DECODE_FLAG_ALLOW_COLON) == NULL
	|| VSTRING_LEN(dec) != size || memcmp(vstring_str(dec), in, size) != 0)
	abort();
    return 0;
}
