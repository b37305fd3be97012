/*
 * conv_time - convert a time value with an optional unit to seconds
 *
 * DESCRIPTION
 *	See conv_time.h. The digits are accumulated with an overflow check
 *	at every step, so arbitrarily long input cannot wrap around.
 */
#include "sys_defs.h"

#include <ctype.h>

#include "msg.h"
#include "conv_time.h"

/* conv_time_factor - seconds per unit, or 0 for an unknown unit */
static long long conv_time_factor(int unit)
{
    switch (unit) {
    case 's':
	return 1;
    case 'm':
	return 60;
    case 'h':
	return 60 * 60;
    case 'd':
	return 24 * 60 * 60;
    case 'w':
	return 7 * 24 * 60 * 60;
    default:
	return 0;
    }
}

/* conv_time - convert "number[unit]" to seconds */
bool    conv_time(const char *text, int *seconds, int default_unit)
{
    const unsigned char *cp = (const unsigned char *) text;
    long long value = 0;
    long long factor;

    if (conv_time_factor(default_unit) == 0)
	msg_panic("conv_time: bad default unit '%c'", default_unit);
    if (!isdigit(*cp))
	return false;
    for (; isdigit(*cp); cp++) {
	value = value * 10 + (*cp - '0');
	if (value > INT_MAX)
	    return false;
    }
    if (*cp == 0) {
	factor = conv_time_factor(default_unit);
    } else {
	if ((factor = conv_time_factor(*cp)) == 0 || cp[1] != 0)
	    return false;
    }
    if (value > INT_MAX / factor)
	return false;
    *seconds = (int) (value * factor);
    return true;
}
