/*
 * is_header - recognise the start of a message header line
 *
 * DESCRIPTION
 *	See is_header.h.
 */
#include "sys_defs.h"

#include <string.h>

#include "is_header.h"

/* is_header_ftext - RFC 5322 field name character */
static bool is_header_ftext(unsigned char ch)
{
    return (ch >= 33 && ch <= 126 && ch != ':');
}

/* is_header_scan - name length and colon offset of a header line */
static size_t is_header_scan(const char *text, size_t len, size_t *colon)
{
    size_t  name_len = 0;
    size_t  pos;

    while (name_len < len && is_header_ftext((unsigned char) text[name_len]))
	name_len++;
    if (name_len == 0)
	return 0;
    pos = name_len;
    while (pos < len && (text[pos] == ' ' || text[pos] == '\t'))
	pos++;
    if (pos >= len || text[pos] != ':')
	return 0;
    if (colon)
	*colon = pos;
    return name_len;
}

/* is_header_buf - field name length of a header line, or 0 */
size_t  is_header_buf(const char *text, size_t len)
{
    return is_header_scan(text, len, (size_t *) 0);
}

/* is_header - field name length of a null-terminated header line */
size_t  is_header(const char *text)
{
    return is_header_scan(text, strlen(text), (size_t *) 0);
}

/* is_header_value - offset of the value after the colon, or 0 */
size_t  is_header_value(const char *text, size_t len)
{
    size_t  colon;

    if (is_header_scan(text, len, &colon) == 0)
	return 0;
    return colon + 1;
}
