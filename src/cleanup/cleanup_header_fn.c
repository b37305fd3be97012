/*
 * cleanup_header_fn - pure helpers of cleanup(8) header processing
 *
 * SYNOPSIS
 *	See cleanup_header_fn.h.
 *
 * DESCRIPTION
 *	Header values, character stripping and rejection, and the text of
 *	the headers that cleanup adds. Nothing here reads main.cf, talks to
 *	a service or logs.
 *
 * DIAGNOSTICS
 *	None.
 */
#include "sys_defs.h"

#include <string.h>
#include <strings.h>
#include <time.h>

#include "stringops.h"
#include "vstring.h"
#include "is_header.h"
#include "mail_date.h"
#include "cleanup_header_fn.h"

/* cleanup_header_value - the value after the colon and its blanks */
const char *cleanup_header_value(const char *text, size_t len,
				         size_t *value_len)
{
    size_t  offset = is_header_value(text, len);
    const char *cp;
    const char *end = text + len;

    if (offset == 0)
	return 0;
    for (cp = text + offset; cp < end && (*cp == ' ' || *cp == '\t' || *cp == '\n'); cp++)
	 /* void */ ;
    *value_len = (size_t) (end - cp);
    return cp;
}

/* cleanup_chars_strip - remove the bytes of set from line */
bool    cleanup_chars_strip(VSTRING *line, const char *set, size_t set_len)
{
    char   *src;
    char   *dst;
    char   *end = vstring_end(line);
    bool    changed = false;

    if (set_len == 0)
	return false;
    for (src = dst = vstring_str(line); src < end; src++) {
	if (memchr(set, *src, set_len) != 0) {
	    changed = true;
	    continue;
	}
	*dst++ = *src;
    }
    vstring_truncate(line, (size_t) (dst - vstring_str(line)));
    VSTRING_TERMINATE(line);
    return changed;
}

/* cleanup_chars_find - does text contain a byte of set? */
bool    cleanup_chars_find(const char *text, size_t len, const char *set,
			           size_t set_len)
{
    size_t  i;

    for (i = 0; i < len && set_len > 0; i++)
	if (memchr(set, text[i], set_len) != 0)
	    return true;
    return false;
}

/* cleanup_chars_stray_cr_lf - replace CR and LF by a space */
bool    cleanup_chars_stray_cr_lf(VSTRING *line)
{
    char   *cp;
    char   *end = vstring_end(line);
    bool    changed = false;

    const char *stray;

    /* memchr: most lines have neither, and it looks at many bytes a time. */
    for (stray = "\r\n"; *stray; stray++) {
	for (cp = vstring_str(line);
	     (cp = memchr(cp, *stray, (size_t) (end - cp))) != 0; cp++) {
	    *cp = ' ';
	    changed = true;
	}
    }
    return changed;
}

/* cleanup_header_date - a Date: value in local time */
VSTRING *cleanup_header_date(VSTRING *buf, time_t when)
{
    return mail_date(buf, when);
}

/* cleanup_header_msgid - a Message-Id: value */
VSTRING *cleanup_header_msgid(VSTRING *buf, time_t when,
			              const char *queue_id,
			              const char *hostname)
{
    struct tm utc;
    char    text[32];

    gmtime_r(&when, &utc);
    if (strftime(text, sizeof(text), "%Y%m%d%H%M%S", &utc) == 0)
	text[0] = 0;
    return vstring_sprintf(buf, "<%s.%s@%s>", text, queue_id, hostname);
}

/* cleanup_header_from_quote - does a full name need quotes? */
static bool cleanup_header_from_quote(const char *name)
{
    const char *cp;

    for (cp = name; *cp; cp++)
	if (strchr("()<>[]:;@\\,.\"!%", *cp) != 0)
	    return true;
    return false;
}

/* cleanup_header_from - a From: value for a message without one */
VSTRING *cleanup_header_from(VSTRING *buf, const char *name,
			             const char *sender_external, bool obsolete)
{
    const char *cp;

    VSTRING_RESET(buf);
    if (name == 0 || *name == 0 || *sender_external == 0) {
	vstring_strcpy(buf, sender_external);
	return buf;
    }
    if (obsolete) {
	vstring_sprintf(buf, "%s (", sender_external);
	for (cp = name; *cp; cp++) {
	    if (*cp == '(' || *cp == ')' || *cp == '\\')
		VSTRING_ADDCH(buf, '\\');
	    VSTRING_ADDCH(buf, *cp);
	}
	VSTRING_ADDCH(buf, ')');
	VSTRING_TERMINATE(buf);
	return buf;
    }
    if (cleanup_header_from_quote(name)) {
	VSTRING_ADDCH(buf, '"');
	for (cp = name; *cp; cp++) {
	    if (*cp == '"' || *cp == '\\')
		VSTRING_ADDCH(buf, '\\');
	    VSTRING_ADDCH(buf, *cp);
	}
	VSTRING_ADDCH(buf, '"');
	VSTRING_TERMINATE(buf);
    } else {
	vstring_strcpy(buf, name);
    }
    vstring_sprintf_append(buf, " <%s>", sender_external);
    return buf;
}

/* cleanup_header_in_list - is a header name in a list of names? */
bool    cleanup_header_in_list(const char *name, size_t len,
			               const char *list)
{
    const char *cp = list;
    size_t  n;

    while (*cp) {
	cp += strspn(cp, ", \t\r\n");
	n = strcspn(cp, ", \t\r\n");
	if (n == len && n > 0 && strncasecmp(cp, name, n) == 0)
	    return true;
	cp += n;
    }
    return false;
}
