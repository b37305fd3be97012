/*
 * excerpt - bounded, printable copies of input text for diagnostics
 *
 * DESCRIPTION
 *	See excerpt.h.
 */
#include "sys_defs.h"

#include <string.h>

#include "vstring.h"
#include "utf8_text.h"
#include "excerpt.h"

/* excerpt_bytes - at most limit of the len bytes at text, printable */
static const char *excerpt_bytes(const char *text, size_t len, size_t limit)
{
    static VSTRING *buffers[EXCERPT_BUFFERS];
    static int next;
    VSTRING *result;
    const unsigned char *cp = (const unsigned char *) text;
    const unsigned char *end = cp + len;
    size_t  shown = 0;
    size_t  n;

    if (buffers[next] == NULL)
	buffers[next] = vstring_alloc(limit + 4);
    result = buffers[next];
    next = (next + 1) % EXCERPT_BUFFERS;

    VSTRING_RESET(result);
    while (cp < end) {
	if (*cp < 0x80) {
	    n = 1;
	} else if ((n = utf8_text_char_len((const char *) cp, end - cp)) == 0) {
	    n = 1;				/* malformed: one '?' per byte */
	}
	if (shown + n > limit)
	    break;
	if (n > 1)
	    vstring_memcat(result, cp, n);
	else
	    VSTRING_ADDCH(result, (*cp < 0x20 || *cp >= 0x7f) ? '?' : *cp);
	shown += n;
	cp += n;
    }
    if (cp < end)
	vstring_strcat(result, "...");
    VSTRING_TERMINATE(result);
    return vstring_str(result);
}

/* excerpt - at most EXCERPT_LIMIT bytes of text, printable */
const char *excerpt(const char *text)
{
    return excerpt_bytes(text, strlen(text), EXCERPT_LIMIT);
}

/* excerpt_limit - at most limit bytes of text, printable */
const char *excerpt_limit(const char *text, size_t limit)
{
    return excerpt_bytes(text, strlen(text), limit);
}

/* excerpt_len - at most EXCERPT_LIMIT of the len bytes at text */
const char *excerpt_len(const char *text, size_t len)
{
    return excerpt_bytes(text, len, EXCERPT_LIMIT);
}
