/*
 * conv_size - convert a byte count
 *
 * DESCRIPTION
 *	See conv_size.h. The value is accumulated with an overflow check at
 *	every digit.
 */
#include "sys_defs.h"

#include <ctype.h>

#include "conv_size.h"

/* conv_size - convert a plain non-negative decimal integer */
bool    conv_size(const char *text, long long *result)
{
    const unsigned char *cp = (const unsigned char *) text;
    long long value = 0;
    int     digit;

    if (*cp == 0)
	return false;
    for (; *cp; cp++) {
	if (!isdigit(*cp))
	    return false;
	digit = *cp - '0';
	if (value > (LLONG_MAX - digit) / 10)
	    return false;
	value = value * 10 + digit;
    }
    *result = value;
    return true;
}
