/*
 * conv_size - convert a byte count
 *
 * SYNOPSIS
 *	#include "conv_size.h"
 *
 *	bool	conv_size(const char *text, long long *result);
 *
 * DESCRIPTION
 *	conv_size() converts a non-negative decimal integer (one or more
 *	digits, nothing else) to a long long. As in Postfix, size
 *	parameters take no unit suffix: "10M" or "10k" is an error, not ten
 *	megabytes. Leading zeros are decimal, not octal.
 *
 *	Postfix also accepts a leading sign ("+10", "-1"); this module
 *	rejects both, because no size parameter has a meaningful negative
 *	value. Whitespace is not stripped (the configuration parser does
 *	that).
 *
 * DIAGNOSTICS
 *	conv_size() returns false (leaving *result unchanged) for empty
 *	text, any non-digit character, or a value above LLONG_MAX.
 */
#ifndef CONV_SIZE_H
#define CONV_SIZE_H

#include "sys_defs.h"

extern bool conv_size(const char *text, long long *result);

#endif
