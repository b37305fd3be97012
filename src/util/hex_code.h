/*
 * hex_code - hexadecimal encoding and strict decoding
 *
 * SYNOPSIS
 *	#include "hex_code.h"
 *
 *	VSTRING	*hex_encode(VSTRING *result, const char *in, size_t len);
 *	VSTRING	*hex_encode_opt(VSTRING *result, const char *in, size_t len,
 *				int flags);
 *	VSTRING	*hex_decode(VSTRING *result, const char *in, size_t len);
 *	VSTRING	*hex_decode_opt(VSTRING *result, const char *in, size_t len,
 *				int flags);
 *
 * DESCRIPTION
 *	hex_encode() replaces the content of result with two uppercase hex
 *	digits per input byte and returns result. Flags for the _opt form:
 *	HEX_ENCODE_FLAG_APPEND (append instead of replace),
 *	HEX_ENCODE_FLAG_USE_COLON (put ':' between bytes, as in certificate
 *	fingerprints "AB:CD:EF"), HEX_ENCODE_FLAG_LOWERCASE.
 *
 *	hex_decode() replaces the content of result with the bytes that the
 *	len characters at in encode (upper or lower case digits) and returns
 *	result, or NULL when the input is not strictly valid: an odd number
 *	of digits or any other character. With HEX_DECODE_FLAG_ALLOW_COLON
 *	a single ':' is required between every two bytes (and allowed
 *	nowhere else); HEX_DECODE_FLAG_APPEND appends. The content of
 *	result is unspecified after an error.
 */
#ifndef HEX_CODE_H
#define HEX_CODE_H

#include "sys_defs.h"
#include "vstring.h"

#define HEX_ENCODE_FLAG_NONE		0
#define HEX_ENCODE_FLAG_APPEND		(1<<0)
#define HEX_ENCODE_FLAG_USE_COLON	(1<<1)
#define HEX_ENCODE_FLAG_LOWERCASE	(1<<2)

#define HEX_DECODE_FLAG_NONE		0
#define HEX_DECODE_FLAG_APPEND		(1<<0)
#define HEX_DECODE_FLAG_ALLOW_COLON	(1<<1)

extern VSTRING *hex_encode(VSTRING *result, const char *in, size_t len);
extern VSTRING *hex_encode_opt(VSTRING *result, const char *in, size_t len,
			               int flags);
extern VSTRING *hex_decode(VSTRING *result, const char *in, size_t len);
extern VSTRING *hex_decode_opt(VSTRING *result, const char *in, size_t len,
			               int flags);

#endif
