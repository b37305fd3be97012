/*
 * stringops - small string utilities
 *
 * DESCRIPTION
 *	See stringops.h. These functions never allocate unless the
 *	interface says so, and never read past the terminating null byte.
 */
#include "sys_defs.h"

#include <ctype.h>
#include <string.h>

#include "msg.h"
#include "mymalloc.h"
#include "vstring.h"
#include "stringops.h"
#include "excerpt.h"

/* mystrtok - next field separated by delimiters */
char   *mystrtok(char **bufp, const char *delim)
{
    char   *start = *bufp + strspn(*bufp, delim);
    char   *end;

    if (*start == 0) {
	*bufp = start;
	return NULL;
    }
    end = start + strcspn(start, delim);
    if (*end != 0)
	*end++ = 0;
    *bufp = end;
    return start;
}

/* mystrtokq - next field, keeping balanced groups together */
char   *mystrtokq(char **bufp, const char *delim, const char *parens)
{
    char   *start = *bufp + strspn(*bufp, delim);
    char   *cp;
    int     depth = 0;

    if (*start == 0) {
	*bufp = start;
	return NULL;
    }
    for (cp = start; *cp; cp++) {
	if (*cp == parens[0]) {
	    depth++;
	} else if (*cp == parens[1]) {
	    if (depth > 0)
		depth--;
	} else if (depth == 0 && strchr(delim, *cp) != NULL) {
	    break;
	}
    }
    if (*cp != 0)
	*cp++ = 0;
    *bufp = cp;
    return start;
}

/* balpar - length of the balanced group at the start of str */
ssize_t balpar(const char *str, const char *parens)
{
    const char *cp;
    int     depth = 0;

    if (*str != parens[0])
	return 0;
    for (cp = str; *cp; cp++) {
	if (*cp == parens[0]) {
	    depth++;
	} else if (*cp == parens[1]) {
	    if (--depth == 0)
		return cp - str + 1;
	}
    }
    return 0;
}

/* extpar - strip the outer parentheses of a value in place */
const char *extpar(char **bufp, const char *parens, int flags)
{
    static VSTRING *why;
    char   *cp = *bufp;
    ssize_t len;

    if (why == NULL)
	why = vstring_alloc(100);
    cp += strspn(cp, CHARS_SPACE);
    if (*cp != parens[0]) {
	*bufp = cp;
	return NULL;
    }
    if ((len = balpar(cp, parens)) == 0) {
	vstring_sprintf(why, "missing '%c' in \"%s\"", parens[1], excerpt(cp));
	return vstring_str(why);
    }
    if (cp[len + strspn(cp + len, CHARS_SPACE)] != 0) {
	vstring_sprintf(why, "syntax error after '%c' in \"%s\"",
			parens[1], excerpt(cp));
	return vstring_str(why);
    }
    cp[len - 1] = 0;
    cp += 1;
    if (flags & EXTPAR_FLAG_STRIP)
	cp = trim_whitespace(cp);
    *bufp = cp;
    return NULL;
}

/* lowercase - fold ASCII letters to lower case in place */
char   *lowercase(char *str)
{
    char   *cp;

    for (cp = str; *cp; cp++)
	if (*cp >= 'A' && *cp <= 'Z')
	    *cp += 'a' - 'A';
    return str;
}

/* uppercase - fold ASCII letters to upper case in place */
char   *uppercase(char *str)
{
    char   *cp;

    for (cp = str; *cp; cp++)
	if (*cp >= 'a' && *cp <= 'z')
	    *cp -= 'a' - 'A';
    return str;
}

/* trim_whitespace - strip leading and trailing whitespace in place */
char   *trim_whitespace(char *str)
{
    char   *end;

    str += strspn(str, CHARS_SPACE);
    end = str + strlen(str);
    while (end > str && strchr(CHARS_SPACE, end[-1]) != NULL)
	end--;
    *end = 0;
    return str;
}

/* alldig - non-empty and all decimal digits */
bool    alldig(const char *str)
{
    if (*str == 0)
	return false;
    for (; *str; str++)
	if (*str < '0' || *str > '9')
	    return false;
    return true;
}

/* allprint - all printable ASCII */
bool    allprint(const char *str)
{
    for (; *str; str++)
	if ((unsigned char) *str < 0x20 || (unsigned char) *str >= 0x7f)
	    return false;
    return true;
}

/* allascii - all 7-bit */
bool    allascii(const char *str)
{
    for (; *str; str++)
	if ((unsigned char) *str >= 0x80)
	    return false;
    return true;
}

/* printable - replace non-printable ASCII in place */
char   *printable(char *str, int replacement)
{
    unsigned char *cp;

    for (cp = (unsigned char *) str; *cp; cp++)
	if (*cp < 0x20 || *cp >= 0x7f)
	    *cp = (unsigned char) replacement;
    return str;
}

/* split_nameval - parse "name = value" in place */
const char *split_nameval(char *buf, char **name, char **value)
{
    char   *np;
    char   *ep;
    char   *vp;

    np = buf + strspn(buf, CHARS_SPACE);
    if (*np == 0 || *np == '=')
	return "missing attribute name";
    ep = np + strcspn(np, "=" CHARS_SPACE);
    vp = ep + strspn(ep, CHARS_SPACE);
    if (*vp != '=')
	return "missing '=' after attribute name";
    *ep = 0;
    vp = trim_whitespace(vp + 1);
    *name = np;
    *value = vp;
    return NULL;
}

/* split_at - split at the first delimiter */
char   *split_at(char *str, int delim)
{
    char   *cp = strchr(str, delim);

    if (cp != NULL)
	*cp++ = 0;
    return cp;
}

/* split_at_right - split at the last delimiter */
char   *split_at_right(char *str, int delim)
{
    char   *cp = strrchr(str, delim);

    if (cp != NULL)
	*cp++ = 0;
    return cp;
}

/* concatenate - join strings into a new string */
char   *concatenate(const char *str,...)
{
    va_list ap;
    const char *arg;
    size_t  len = 0;
    char   *result;

    va_start(ap, str);
    for (arg = str; arg != NULL; arg = va_arg(ap, const char *))
	len += strlen(arg);
    va_end(ap);
    result = mymalloc(len + 1);
    *result = 0;
    va_start(ap, str);
    for (arg = str; arg != NULL; arg = va_arg(ap, const char *))
	strcat(result, arg);
    va_end(ap);
    return result;
}

/* unescape - interpret C-style escape sequences */
VSTRING *unescape(VSTRING *result, const char *input)
{
    const unsigned char *cp = (const unsigned char *) input;
    int     ch;
    int     oval;
    int     n;

    VSTRING_RESET(result);
    while ((ch = *cp++) != 0) {
	if (ch == '\\' && *cp != 0) {
	    ch = *cp++;
	    switch (ch) {
	    case 'a':
		ch = '\a';
		break;
	    case 'b':
		ch = '\b';
		break;
	    case 'f':
		ch = '\f';
		break;
	    case 'n':
		ch = '\n';
		break;
	    case 'r':
		ch = '\r';
		break;
	    case 't':
		ch = '\t';
		break;
	    case 'v':
		ch = '\v';
		break;
	    case 'x':
		if (isxdigit(*cp)) {
		    for (oval = 0, n = 0; n < 2 && isxdigit(*cp); n++, cp++)
			oval = oval * 16 + (isdigit(*cp) ? *cp - '0'
					    : (tolower(*cp) - 'a' + 10));
		    ch = oval;
		}
		break;
	    default:
		if (ch >= '0' && ch <= '7') {
		    oval = ch - '0';
		    for (n = 1; n < 3 && *cp >= '0' && *cp <= '7'; n++, cp++)
			oval = oval * 8 + (*cp - '0');
		    ch = oval & 0xff;
		}
		break;
	    }
	}
	VSTRING_ADDCH(result, ch);
    }
    VSTRING_TERMINATE(result);
    return result;
}

/* escape - produce C-style escapes for non-printable bytes */
VSTRING *escape(VSTRING *result, const char *input, size_t len)
{
    const unsigned char *cp = (const unsigned char *) input;
    const unsigned char *end = cp + len;
    int     ch;

    VSTRING_RESET(result);
    for (; cp < end; cp++) {
	ch = *cp;
	if (ch == '\\') {
	    vstring_strcat(result, "\\\\");
	} else if (ch >= 0x20 && ch < 0x7f) {
	    VSTRING_ADDCH(result, ch);
	} else {
	    switch (ch) {
	    case '\a':
		vstring_strcat(result, "\\a");
		break;
	    case '\b':
		vstring_strcat(result, "\\b");
		break;
	    case '\f':
		vstring_strcat(result, "\\f");
		break;
	    case '\n':
		vstring_strcat(result, "\\n");
		break;
	    case '\r':
		vstring_strcat(result, "\\r");
		break;
	    case '\t':
		vstring_strcat(result, "\\t");
		break;
	    case '\v':
		vstring_strcat(result, "\\v");
		break;
	    default:
		vstring_sprintf_append(result, "\\%03o", ch);
		break;
	    }
	}
    }
    VSTRING_TERMINATE(result);
    return result;
}

/* base_name - the part of a pathname after the last slash */
const char *base_name(const char *path)
{
    const char *cp = strrchr(path, '/');

    return cp ? cp + 1 : path;
}
