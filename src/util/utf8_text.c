/*
 * utf8_text - UTF-8 validation and case folding
 *
 * DESCRIPTION
 *	See utf8_text.h.
 */
#include "sys_defs.h"

#include <locale.h>
#include <string.h>
#include <wctype.h>

#include "vstring.h"
#include "utf8_text.h"

/*
 * utf8_text_decode - decode one character at str (at most len bytes);
 * returns its length and stores the code point, or returns 0 when the
 * bytes are not a well-formed character.
 */
static size_t utf8_text_decode(const unsigned char *str, size_t len,
			               unsigned *code)
{
    unsigned ch = str[0];
    unsigned min;
    size_t  need;
    size_t  n;

    if (ch < 0x80) {
	*code = ch;
	return 1;
    }
    if (ch >= 0xc2 && ch <= 0xdf) {
	need = 2;
	min = 0x80;
	ch &= 0x1f;
    } else if (ch >= 0xe0 && ch <= 0xef) {
	need = 3;
	min = 0x800;
	ch &= 0x0f;
    } else if (ch >= 0xf0 && ch <= 0xf4) {
	need = 4;
	min = 0x10000;
	ch &= 0x07;
    } else {
	return 0;
    }
    if (len < need)
	return 0;
    for (n = 1; n < need; n++) {
	if ((str[n] & 0xc0) != 0x80)
	    return 0;
	ch = (ch << 6) | (str[n] & 0x3f);
    }
    if (ch < min || ch > 0x10ffff || (ch >= 0xd800 && ch <= 0xdfff))
	return 0;
    *code = ch;
    return need;
}

/* utf8_text_valid - is this well-formed UTF-8? */
bool    utf8_text_valid(const char *str, size_t len)
{
    const unsigned char *cp = (const unsigned char *) str;
    const unsigned char *end = cp + len;
    unsigned code;
    size_t  n;

    while (cp < end) {
	if (*cp < 0x80) {
	    cp++;
	    continue;
	}
	if ((n = utf8_text_decode(cp, end - cp, &code)) == 0)
	    return false;
	cp += n;
    }
    return true;
}

/* utf8_text_error - reason why text is not UTF-8, or NULL */
const char *utf8_text_error(const char *str, size_t len)
{
    return utf8_text_valid(str, len) ? NULL :
	"malformed UTF-8 or invalid codepoint";
}

/* utf8_text_encode - append one code point */
static void utf8_text_encode(VSTRING *result, unsigned code)
{
    if (code < 0x80) {
	VSTRING_ADDCH(result, code);
    } else if (code < 0x800) {
	VSTRING_ADDCH(result, 0xc0 | (code >> 6));
	VSTRING_ADDCH(result, 0x80 | (code & 0x3f));
    } else if (code < 0x10000) {
	VSTRING_ADDCH(result, 0xe0 | (code >> 12));
	VSTRING_ADDCH(result, 0x80 | ((code >> 6) & 0x3f));
	VSTRING_ADDCH(result, 0x80 | (code & 0x3f));
    } else {
	VSTRING_ADDCH(result, 0xf0 | (code >> 18));
	VSTRING_ADDCH(result, 0x80 | ((code >> 12) & 0x3f));
	VSTRING_ADDCH(result, 0x80 | ((code >> 6) & 0x3f));
	VSTRING_ADDCH(result, 0x80 | (code & 0x3f));
    }
}

/* utf8_text_fold - lower-case a string */
char   *utf8_text_fold(VSTRING *result, const char *str)
{
    static locale_t utf8_locale;
    static bool tried;
    const unsigned char *cp = (const unsigned char *) str;
    const unsigned char *end = cp + strlen(str);
    unsigned code;
    unsigned lower;
    size_t  n;

    if (!tried) {
	utf8_locale = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t) 0);
	tried = true;
    }
    VSTRING_RESET(result);
    while (cp < end) {
	if (*cp < 0x80) {
	    VSTRING_ADDCH(result, (*cp >= 'A' && *cp <= 'Z') ? *cp + 32 : *cp);
	    cp++;
	} else if (utf8_locale != (locale_t) 0
		   && (n = utf8_text_decode(cp, end - cp, &code)) != 0) {
	    lower = (unsigned) towlower_l((wint_t) code, utf8_locale);
	    if (lower == 0 || lower > 0x10ffff
		|| (lower >= 0xd800 && lower <= 0xdfff))
		lower = code;
	    utf8_text_encode(result, lower);
	    cp += n;
	} else {
	    VSTRING_ADDCH(result, *cp);
	    cp++;
	}
    }
    VSTRING_TERMINATE(result);
    return vstring_str(result);
}

/* utf8_text_char_len - length of the well-formed character at str, or 0 */
size_t  utf8_text_char_len(const char *str, size_t len)
{
    unsigned code;

    return len == 0 ? 0 :
	utf8_text_decode((const unsigned char *) str, len, &code);
}
