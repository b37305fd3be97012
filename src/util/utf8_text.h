/*
 * utf8_text - UTF-8 validation and case folding
 *
 * SYNOPSIS
 *	#include "utf8_text.h"
 *
 *	bool	utf8_text_valid(const char *str, size_t len);
 *	const char *utf8_text_error(const char *str, size_t len);
 *	char	*utf8_text_fold(VSTRING *result, const char *str);
 *	size_t	utf8_text_char_len(const char *str, size_t len);
 *
 * DESCRIPTION
 *	utf8_text_valid() tells whether len bytes at str are well-formed
 *	UTF-8 (RFC 3629): no overlong forms, no surrogates (U+D800 to
 *	U+DFFF), nothing above U+10FFFF, no truncated sequence. A null
 *	byte is valid (it is U+0000). utf8_text_error() returns NULL for
 *	valid text, else the reason "malformed UTF-8 or invalid codepoint".
 *
 *	utf8_text_fold() stores in result the lower-case form of the
 *	null-terminated string str and returns the result's text. ASCII
 *	letters are folded as by lowercase(3); other characters are mapped
 *	with towlower() of the C.UTF-8 locale (simple one-to-one case
 *	mapping, so "SS" and the German sharp s stay different, unlike
 *	ICU's full case folding). Bytes that are not valid UTF-8 are
 *	copied unchanged, as is everything when the C.UTF-8 locale is
 *	missing (only ASCII is folded then).
 *
 *	utf8_text_char_len() returns the length (1 to 4 bytes) of the
 *	well-formed character at the start of the len bytes at str, or 0
 *	when they do not start with one (len 0 included).
 *
 *	This module does not normalize (NFC/NFD) and does not check for
 *	unassigned code points.
 */
#ifndef UTF8_TEXT_H
#define UTF8_TEXT_H

#include "sys_defs.h"
#include "vstring.h"

extern bool utf8_text_valid(const char *str, size_t len);
extern const char *utf8_text_error(const char *str, size_t len);
extern char *utf8_text_fold(VSTRING *result, const char *str);
extern size_t utf8_text_char_len(const char *str, size_t len);

#endif
