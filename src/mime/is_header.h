/*
 * is_header - recognise the start of a message header line
 *
 * SYNOPSIS
 *	#include "is_header.h"
 *
 *	size_t	is_header(const char *text);
 *	size_t	is_header_buf(const char *text, size_t len);
 *	size_t	is_header_value(const char *text, size_t len);
 *
 * DESCRIPTION
 *	is_header_buf() tells whether the len bytes at text start a
 *	message header (RFC 5322 section 2.2): a field name of one or
 *	more printable ASCII characters other than ":" (ftext, %d33-57
 *	and %d59-126), then a ":". It returns the length of the field
 *	name, or 0 when the text does not start a header. The obsolete
 *	form of RFC 5322 section 4.5.1 (obs-optional), with spaces or
 *	tabs between the name and the colon ("Subject :"), is accepted
 *	as well, as Postfix does; the returned length then excludes the
 *	white space. is_header() does the same for a null-terminated
 *	string.
 *
 *	is_header_value() returns the offset of the first byte after
 *	the colon of a header line that is_header_buf() accepted (0 when
 *	it is not a header); the value itself may start with white space.
 *
 *	This module does not look at the header value, does not accept
 *	8-bit bytes in field names (RFC 6532 keeps field names ASCII),
 *	and does not unfold continuation lines.
 *
 * DIAGNOSTICS
 *	None.
 */
#ifndef IS_HEADER_H
#define IS_HEADER_H

#include "sys_defs.h"

extern size_t is_header(const char *text);
extern size_t is_header_buf(const char *text, size_t len);
extern size_t is_header_value(const char *text, size_t len);

#endif
