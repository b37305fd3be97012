/*
 * base64_code - RFC 4648 base64 encoding and strict decoding
 *
 * DESCRIPTION
 *	See base64_code.h. Decoding uses a 256-entry reverse table built
 *	from the alphabet on first use.
 */
#include "sys_defs.h"

#include <string.h>

#include "vstring.h"
#include "base64_code.h"

static const char base64_alphabet[] =
"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

#define BASE64_INVALID	0xff

/* base64_encode_opt - encode bytes, replacing or appending */
VSTRING *base64_encode_opt(VSTRING *result, const char *in, size_t len,
			           int flags)
{
    const unsigned char *cp = (const unsigned char *) in;
    unsigned word;

    if ((flags & BASE64_FLAG_APPEND) == 0)
	VSTRING_RESET(result);
    for (; len >= 3; len -= 3, cp += 3) {
	word = (cp[0] << 16) | (cp[1] << 8) | cp[2];
	VSTRING_ADDCH(result, base64_alphabet[(word >> 18) & 0x3f]);
	VSTRING_ADDCH(result, base64_alphabet[(word >> 12) & 0x3f]);
	VSTRING_ADDCH(result, base64_alphabet[(word >> 6) & 0x3f]);
	VSTRING_ADDCH(result, base64_alphabet[word & 0x3f]);
    }
    if (len > 0) {
	word = cp[0] << 16;
	if (len == 2)
	    word |= cp[1] << 8;
	VSTRING_ADDCH(result, base64_alphabet[(word >> 18) & 0x3f]);
	VSTRING_ADDCH(result, base64_alphabet[(word >> 12) & 0x3f]);
	VSTRING_ADDCH(result, len == 2 ? base64_alphabet[(word >> 6) & 0x3f] : '=');
	VSTRING_ADDCH(result, '=');
    }
    VSTRING_TERMINATE(result);
    return result;
}

/* base64_encode - encode bytes, replacing the result */
VSTRING *base64_encode(VSTRING *result, const char *in, size_t len)
{
    return base64_encode_opt(result, in, len, BASE64_FLAG_NONE);
}

/* base64_reverse - the reverse lookup table */
static const unsigned char *base64_reverse(void)
{
    static unsigned char table[256];
    static bool done;
    size_t  n;

    if (!done) {
	memset(table, BASE64_INVALID, sizeof(table));
	for (n = 0; n < sizeof(base64_alphabet) - 1; n++)
	    table[(unsigned char) base64_alphabet[n]] = (unsigned char) n;
	done = true;
    }
    return table;
}

/* base64_decode_opt - strictly decode, replacing or appending */
VSTRING *base64_decode_opt(VSTRING *result, const char *in, size_t len,
			           int flags)
{
    const unsigned char *table = base64_reverse();
    const unsigned char *cp = (const unsigned char *) in;
    unsigned char v[4];
    size_t  pos;
    int     n;
    int     pad;

    if (len % 4 != 0)
	return NULL;
    if ((flags & BASE64_FLAG_APPEND) == 0)
	VSTRING_RESET(result);
    for (pos = 0; pos < len; pos += 4, cp += 4) {
	pad = 0;
	if (pos + 4 == len) {
	    if (cp[3] == '=')
		pad = (cp[2] == '=') ? 2 : 1;
	}
	for (n = 0; n < 4 - pad; n++)
	    if ((v[n] = table[cp[n]]) == BASE64_INVALID)
		return NULL;
	VSTRING_ADDCH(result, (v[0] << 2) | (v[1] >> 4));
	if (pad < 2)
	    VSTRING_ADDCH(result, ((v[1] << 4) | (v[2] >> 2)) & 0xff);
	if (pad < 1)
	    VSTRING_ADDCH(result, ((v[2] << 6) | v[3]) & 0xff);
    }
    VSTRING_TERMINATE(result);
    return result;
}

/* base64_decode - strictly decode, replacing the result */
VSTRING *base64_decode(VSTRING *result, const char *in, size_t len)
{
    return base64_decode_opt(result, in, len, BASE64_FLAG_NONE);
}
