/*
 * compat_level - compatibility levels, and the notice about an old one
 *
 * DESCRIPTION
 *	See compat_level.h.
 */
#include "sys_defs.h"

#include <string.h>

#include "msg.h"
#include "mail_params.h"
#include "compat_level.h"

#define COMPAT_LEVEL_PARTS	3
#define COMPAT_LEVEL_DIGITS	9

/* compat_level_split - "3.6" into {3, 6, 0}, false when malformed */
static bool compat_level_split(const char *text, long parts[COMPAT_LEVEL_PARTS])
{
    int     part = 0;
    int     digits = 0;
    const char *cp;

    memset(parts, 0, sizeof(long) * COMPAT_LEVEL_PARTS);
    for (cp = text; /* see below */ ; cp++) {
	if (*cp >= '0' && *cp <= '9') {
	    if (++digits > COMPAT_LEVEL_DIGITS)
		return false;
	    parts[part] = parts[part] * 10 + (*cp - '0');
	} else if ((*cp == '.' || *cp == 0) && digits > 0) {
	    if (*cp == 0)
		return true;
	    if (++part == COMPAT_LEVEL_PARTS)
		return false;
	    digits = 0;
	} else {
	    return false;
	}
    }
}

/* compat_level_compare - order two levels */
bool    compat_level_compare(const char *left, const char *right, int *result)
{
    long    l[COMPAT_LEVEL_PARTS];
    long    r[COMPAT_LEVEL_PARTS];
    int     n;

    if (!compat_level_split(left, l) || !compat_level_split(right, r))
	return false;
    *result = 0;
    for (n = 0; *result == 0 && n < COMPAT_LEVEL_PARTS; n++)
	*result = (l[n] > r[n]) - (l[n] < r[n]);
    return true;
}

/* compat_level_notice - tell the administrator about an old level */
void    compat_level_notice(void)
{
    const char *level = VAR_STR(compatibility_level);
    int     result;

    if (!compat_level_compare(level, COMPAT_LEVEL_CURRENT, &result))
	msg_fatal("malformed compatibility level syntax: \"%s\"", level);
    if (result >= 0)
	return;
    msg_info("Postfix is using backwards-compatible default settings");
    msg_info("See http://www.postfix.org/COMPATIBILITY_README.html "
	     "for details");
    msg_info("To disable backwards compatibility use \"postconf "
	     "%s=%s\" and \"postfix reload\"",
	     PARAM_NAME(compatibility_level), COMPAT_LEVEL_CURRENT);
}
