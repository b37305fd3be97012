/*
 * name_mask - map names to bit masks and back
 *
 * DESCRIPTION
 *	See name_mask.h. The input string is never modified: fields are
 *	located with strspn/strcspn and compared by length.
 */
#include "sys_defs.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "msg.h"
#include "excerpt.h"
#include "vstring.h"
#include "name_mask.h"

#define NAME_MASK_SEPARATORS	", \t\r\n|"
#define NAME_MASK_HANDLING	(NAME_MASK_FATAL | NAME_MASK_WARN | NAME_MASK_RETURN)

/* name_mask_handling - the one unknown-name policy in flags */
static int name_mask_handling(const char *myname, int flags)
{
    int     handling = flags & NAME_MASK_HANDLING;

    if (handling == 0)
	return NAME_MASK_FATAL;
    if (handling != NAME_MASK_FATAL && handling != NAME_MASK_WARN
	&& handling != NAME_MASK_RETURN)
	msg_panic("%s: conflicting flags 0x%x", myname, (unsigned) flags);
    return handling;
}

/* name_mask_number - parse a numeric field; false if not a number */
static bool name_mask_number(const char *field, size_t len, unsigned *mask)
{
    char    buf[24];
    char   *end;
    unsigned long value;

    if (len == 0 || len >= sizeof(buf) || !isdigit((unsigned char) field[0]))
	return false;
    memcpy(buf, field, len);
    buf[len] = 0;
    errno = 0;
    value = strtoul(buf, &end, 0);
    if (*end != 0 || errno != 0 || value > UINT_MAX)
	return false;
    *mask = (unsigned) value;
    return true;
}

/* name_mask_opt - convert a list of names to a bit mask */
bool    name_mask_opt(const char *context, const NAME_MASK *table,
		              const char *names, int flags,
		              unsigned *result, VSTRING *why)
{
    static const char myname[] = "name_mask_opt";
    int     handling = name_mask_handling(myname, flags);
    const char *cp = names;
    const NAME_MASK *np;
    unsigned mask = 0;
    unsigned number;
    size_t  len;

    for (;;) {
	cp += strspn(cp, NAME_MASK_SEPARATORS);
	if (*cp == 0)
	    break;
	len = strcspn(cp, NAME_MASK_SEPARATORS);
	for (np = table; np->name != NULL; np++) {
	    if (strlen(np->name) == len
		&& ((flags & NAME_MASK_ANY_CASE) ?
		    strncasecmp(np->name, cp, len) == 0 :
		    strncmp(np->name, cp, len) == 0))
		break;
	}
	if (np->name != NULL) {
	    mask |= np->mask;
	} else if ((flags & NAME_MASK_NUMBER) && name_mask_number(cp, len, &number)) {
	    mask |= number;
	} else if (handling == NAME_MASK_RETURN) {
	    if (why)
		vstring_sprintf(why, "unknown %s value \"%s\"",
				context, excerpt_len(cp, len));
	    return false;
	} else if (handling == NAME_MASK_WARN) {
	    msg_warn("unknown %s value \"%s\"", context, excerpt_len(cp, len));
	} else {
	    msg_fatal("unknown %s value \"%s\"", context, excerpt_len(cp, len));
	}
	cp += len;
    }
    *result = mask;
    return true;
}

/* name_mask - convert a list of names; unknown names are fatal */
unsigned name_mask(const char *context, const NAME_MASK *table,
		           const char *names)
{
    unsigned result = 0;

    (void) name_mask_opt(context, table, names, NAME_MASK_FATAL, &result, NULL);
    return result;
}

/* str_name_mask_opt - convert a bit mask to a list of names */
const char *str_name_mask_opt(VSTRING *buf, const char *context,
			              const NAME_MASK *table,
			              unsigned mask, int flags)
{
    static const char myname[] = "str_name_mask_opt";
    int     handling = name_mask_handling(myname, flags);
    const char *sep = (flags & NAME_MASK_COMMA) ? ", " :
    (flags & NAME_MASK_SPACE) ? " " : " | ";
    const NAME_MASK *np;
    unsigned left = mask;

    if ((flags & NAME_MASK_COMMA) && (flags & NAME_MASK_SPACE))
	msg_panic("%s: conflicting flags 0x%x", myname, (unsigned) flags);
    VSTRING_RESET(buf);
    for (np = table; np->name != NULL && left != 0; np++) {
	if (np->mask != 0 && (left & np->mask) == np->mask) {
	    if (VSTRING_LEN(buf) > 0)
		vstring_strcat(buf, sep);
	    vstring_strcat(buf, np->name);
	    left &= ~np->mask;
	}
    }
    if (left != 0) {
	if (flags & NAME_MASK_NUMBER) {
	    if (VSTRING_LEN(buf) > 0)
		vstring_strcat(buf, sep);
	    vstring_sprintf_append(buf, "0x%x", left);
	} else if (handling == NAME_MASK_RETURN) {
	    return NULL;
	} else if (handling == NAME_MASK_WARN) {
	    msg_warn("%s: unknown bits in mask: 0x%x", context, left);
	} else {
	    msg_fatal("%s: unknown bits in mask: 0x%x", context, left);
	}
    }
    return vstring_str(buf);
}

/* str_name_mask - convert a bit mask to names, static result */
const char *str_name_mask(const char *context, const NAME_MASK *table,
			          unsigned mask)
{
    static VSTRING *buf;

    if (buf == NULL)
	buf = vstring_alloc(64);
    return str_name_mask_opt(buf, context, table, mask, NAME_MASK_FATAL);
}
