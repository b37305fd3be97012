/*
 * name_code - map names to integer codes and back
 *
 * DESCRIPTION
 *	See name_code.h.
 */
#include "sys_defs.h"

#include <string.h>
#include <strings.h>

#include "name_code.h"

/* name_code - look up a name; default code when absent */
int     name_code(const NAME_CODE *table, int flags, const char *name)
{
    const NAME_CODE *np;

    for (np = table; np->name != NULL; np++) {
	if ((flags & NAME_CODE_FLAG_STRICT_CASE) ?
	    strcmp(np->name, name) == 0 : strcasecmp(np->name, name) == 0)
	    break;
    }
    return np->code;
}

/* str_name_code - look up a code; NULL when absent */
const char *str_name_code(const NAME_CODE *table, int code)
{
    const NAME_CODE *np;

    for (np = table; np->name != NULL; np++)
	if (np->code == code)
	    return np->name;
    return NULL;
}
