/*
 * conv_time - convert a time value with an optional unit to seconds
 *
 * SYNOPSIS
 *	#include "conv_time.h"
 *
 *	bool	conv_time(const char *text, int *seconds, int default_unit);
 *
 * DESCRIPTION
 *	conv_time() converts text of the form "number[unit]" to seconds.
 *	The number is one or more decimal digits; the optional unit is one
 *	lowercase letter: s (seconds), m (minutes), h (hours), d (days) or
 *	w (weeks). A bare number is in default_unit (one of the same
 *	letters). The result must fit in an int.
 *
 *	Unlike Postfix, which ignores anything after the unit letter (so
 *	that "10ms" means ten minutes), text after the unit is an error
 *	here: a typo should not silently change a timeout.
 *
 *	This module does not strip whitespace (the configuration parser
 *	does that) and does not apply per-parameter limits.
 *
 * DIAGNOSTICS
 *	conv_time() returns false (leaving *seconds unchanged) for empty
 *	text, a sign, any character that is not a digit before the unit, an
 *	unknown unit, text after the unit, or a value larger than INT_MAX
 *	seconds. Panic: default_unit is not one of s, m, h, d, w.
 */
#ifndef CONV_TIME_H
#define CONV_TIME_H

#include "sys_defs.h"

extern bool conv_time(const char *text, int *seconds, int default_unit);

#endif
