/*
 * base64_code - RFC 4648 base64 encoding and strict decoding
 *
 * SYNOPSIS
 *	#include "base64_code.h"
 *
 *	VSTRING	*base64_encode(VSTRING *result, const char *in, size_t len);
 *	VSTRING	*base64_encode_opt(VSTRING *result, const char *in, size_t len,
 *				int flags);
 *	VSTRING	*base64_decode(VSTRING *result, const char *in, size_t len);
 *	VSTRING	*base64_decode_opt(VSTRING *result, const char *in, size_t len,
 *				int flags);
 *
 * DESCRIPTION
 *	base64_encode() replaces the content of result with the base64 form
 *	(standard alphabet, '=' padding, no line breaks) of len bytes at in,
 *	and returns result.
 *
 *	base64_decode() replaces the content of result with the bytes that
 *	the len characters at in encode, and returns result; it returns NULL
 *	when the input is not strictly valid: a length that is not a
 *	multiple of four, a character outside the alphabet (whitespace
 *	included), '=' anywhere but in the last one or two positions of the
 *	input. The content of result is unspecified after an error. Empty
 *	input decodes to an empty result. As in Postfix and most decoders,
 *	non-zero unused bits before the padding are ignored.
 *
 *	With BASE64_FLAG_APPEND the _opt variants append to result instead
 *	of replacing its content.
 *
 *	This module does not handle MIME line folding or the URL-safe
 *	alphabet.
 */
#ifndef BASE64_CODE_H
#define BASE64_CODE_H

#include "sys_defs.h"
#include "vstring.h"

#define BASE64_FLAG_NONE	0
#define BASE64_FLAG_APPEND	(1<<0)

extern VSTRING *base64_encode(VSTRING *result, const char *in, size_t len);
extern VSTRING *base64_encode_opt(VSTRING *result, const char *in, size_t len,
				          int flags);
extern VSTRING *base64_decode(VSTRING *result, const char *in, size_t len);
extern VSTRING *base64_decode_opt(VSTRING *result, const char *in, size_t len,
				          int flags);

#endif
