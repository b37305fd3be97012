/*
 * conv_bool - convert a boolean configuration value
 *
 * DESCRIPTION
 *	See conv_bool.h.
 */
#include "sys_defs.h"

#include <strings.h>

#include "conv_bool.h"

/* conv_bool - convert yes/no/true/false */
bool    conv_bool(const char *text, bool *result)
{
    if (strcasecmp(text, "yes") == 0 || strcasecmp(text, "true") == 0) {
	*result = true;
	return true;
    }
    if (strcasecmp(text, "no") == 0 || strcasecmp(text, "false") == 0) {
	*result = false;
	return true;
    }
    return false;
}
