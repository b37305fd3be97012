/*
 * quote_822_local - quote or unquote the local part of a mail address
 *
 * DESCRIPTION
 *	See quote_822_local.h.
 */
#include "sys_defs.h"

#include <string.h>

#include "vstring.h"
#include "quote_822_local.h"

/* quote_822_is_atext - RFC 5322 atext, optionally with 8-bit bytes */
static bool quote_822_is_atext(unsigned char ch, int flags)
{
    if (ch >= 0x80)
	return (flags & QUOTE_FLAG_8BITCLEAN) != 0;
    if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z')
	|| (ch >= '0' && ch <= '9'))
	return true;
    return ch != 0 && strchr("!#$%&'*+-/=?^_`{|}~", ch) != NULL;
}

/* quote_822_local_needed - does a local part need double quotes */
bool    quote_822_local_needed(const char *local, size_t len, int flags)
{
    size_t  n;

    if (len == 0 || local[0] == '.' || local[len - 1] == '.')
	return true;
    for (n = 0; n < len; n++) {
	if (local[n] == '.') {
	    if (local[n + 1] == '.')		/* n + 1 < len: last is not '.' */
		return true;
	} else if (!quote_822_is_atext((unsigned char) local[n], flags)) {
	    return true;
	}
    }
    return false;
}

/* quote_822_local_append - append a local part, quoted when needed */
static void quote_822_local_append(VSTRING *dst, const char *local,
				           size_t len, int flags)
{
    size_t  n;

    if (!quote_822_local_needed(local, len, flags)) {
	vstring_memcat(dst, local, len);
	return;
    }
    VSTRING_ADDCH(dst, '"');
    for (n = 0; n < len; n++) {
	if (local[n] == '"' || local[n] == '\\'
	    || local[n] == '\r' || local[n] == '\n')
	    VSTRING_ADDCH(dst, '\\');
	VSTRING_ADDCH(dst, local[n]);
    }
    VSTRING_ADDCH(dst, '"');
}

/* quote_822_local_flags - internal form to external form */
VSTRING *quote_822_local_flags(VSTRING *dst, const char *addr, int flags)
{
    const char *at;
    size_t  local_len;

    if ((flags & QUOTE_FLAG_APPEND) == 0)
	VSTRING_RESET(dst);
    if (flags & QUOTE_FLAG_BARE_LOCALPART) {
	quote_822_local_append(dst, addr, strlen(addr), flags);
    } else if ((at = strrchr(addr, '@')) == NULL) {
	/* The null address stays empty; a lone local part is quoted. */
	if (*addr != 0)
	    quote_822_local_append(dst, addr, strlen(addr), flags);
    } else {
	local_len = (size_t) (at - addr);
	quote_822_local_append(dst, addr, local_len, flags);
	if (at[1] != 0 || (flags & QUOTE_FLAG_STRIP_BARE_AT) == 0)
	    vstring_strcat(dst, at);
    }
    VSTRING_TERMINATE(dst);
    return dst;
}

/* unquote_822_find_at - the last '@' outside double quotes, or NULL */
static const char *unquote_822_find_at(const char *addr)
{
    const char *cp;
    const char *at = NULL;
    bool    in_quote = false;

    for (cp = addr; *cp != 0; cp++) {
	if (in_quote) {
	    if (*cp == '\\' && cp[1] != 0)
		cp++;
	    else if (*cp == '"')
		in_quote = false;
	} else if (*cp == '"') {
	    in_quote = true;
	} else if (*cp == '@') {
	    at = cp;
	}
    }
    return at;
}

/* unquote_822_local_flags - external form to internal form */
VSTRING *unquote_822_local_flags(VSTRING *dst, const char *addr, int flags)
{
    const char *end;
    const char *cp;
    bool    in_quote = false;

    if ((flags & QUOTE_FLAG_APPEND) == 0)
	VSTRING_RESET(dst);
    if ((flags & QUOTE_FLAG_BARE_LOCALPART)
	|| (end = unquote_822_find_at(addr)) == NULL)
	end = addr + strlen(addr);
    for (cp = addr; cp < end; cp++) {
	if (*cp == '"') {
	    in_quote = !in_quote;
	} else if (in_quote && *cp == '\\') {
	    if (cp + 1 < end)
		VSTRING_ADDCH(dst, *++cp);
	} else {
	    VSTRING_ADDCH(dst, *cp);
	}
    }
    vstring_strcat(dst, end);
    VSTRING_TERMINATE(dst);
    return dst;
}
