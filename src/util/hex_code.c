/*
 * hex_code - hexadecimal encoding and strict decoding
 *
 * DESCRIPTION
 *	See hex_code.h.
 */
#include "sys_defs.h"

#include "vstring.h"
#include "hex_code.h"

/* hex_encode_opt - encode bytes as hex digits */
VSTRING *hex_encode_opt(VSTRING *result, const char *in, size_t len,
			        int flags)
{
    const char *digits = (flags & HEX_ENCODE_FLAG_LOWERCASE) ?
    "0123456789abcdef" : "0123456789ABCDEF";
    const unsigned char *cp = (const unsigned char *) in;
    size_t  n;

    if ((flags & HEX_ENCODE_FLAG_APPEND) == 0)
	VSTRING_RESET(result);
    for (n = 0; n < len; n++) {
	if (n > 0 && (flags & HEX_ENCODE_FLAG_USE_COLON))
	    VSTRING_ADDCH(result, ':');
	VSTRING_ADDCH(result, digits[cp[n] >> 4]);
	VSTRING_ADDCH(result, digits[cp[n] & 0xf]);
    }
    VSTRING_TERMINATE(result);
    return result;
}

/* hex_encode - encode bytes as uppercase hex digits */
VSTRING *hex_encode(VSTRING *result, const char *in, size_t len)
{
    return hex_encode_opt(result, in, len, HEX_ENCODE_FLAG_NONE);
}

/* hex_digit - value of one hex digit, or -1 */
static int hex_digit(int ch)
{
    if (ch >= '0' && ch <= '9')
	return ch - '0';
    if (ch >= 'a' && ch <= 'f')
	return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F')
	return ch - 'A' + 10;
    return -1;
}

/* hex_decode_opt - strictly decode hex digits */
VSTRING *hex_decode_opt(VSTRING *result, const char *in, size_t len,
			        int flags)
{
    const unsigned char *cp = (const unsigned char *) in;
    size_t  pos = 0;
    int     hi;
    int     lo;

    if ((flags & HEX_DECODE_FLAG_APPEND) == 0)
	VSTRING_RESET(result);
    while (pos < len) {
	if (pos > 0 && (flags & HEX_DECODE_FLAG_ALLOW_COLON)) {
	    if (cp[pos] != ':' || ++pos >= len)
		return NULL;
	}
	if (pos + 1 >= len)
	    return NULL;
	if ((hi = hex_digit(cp[pos])) < 0 || (lo = hex_digit(cp[pos + 1])) < 0)
	    return NULL;
	VSTRING_ADDCH(result, (hi << 4) | lo);
	pos += 2;
    }
    VSTRING_TERMINATE(result);
    return result;
}

/* hex_decode - strictly decode hex digits */
VSTRING *hex_decode(VSTRING *result, const char *in, size_t len)
{
    return hex_decode_opt(result, in, len, HEX_DECODE_FLAG_NONE);
}
