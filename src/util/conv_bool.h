/*
 * conv_bool - convert a boolean configuration value
 *
 * SYNOPSIS
 *	#include "conv_bool.h"
 *
 *	bool	conv_bool(const char *text, bool *result);
 *
 * DESCRIPTION
 *	conv_bool() accepts "yes" and "true" (true), "no" and "false"
 *	(false), in any mix of upper and lower case.
 *
 *	Postfix itself accepts only yes and no (in any case) in main.cf and
 *	master.cf; "true" and "false" are accepted here for table
 *	configuration files and command options. A caller that must be
 *	exactly as strict as Postfix tests for those two words itself.
 *
 * DIAGNOSTICS
 *	conv_bool() returns false (leaving *result unchanged) for any other
 *	text, including the empty string, "1", "on" and text with
 *	surrounding whitespace.
 */
#ifndef CONV_BOOL_H
#define CONV_BOOL_H

#include "sys_defs.h"

extern bool conv_bool(const char *text, bool *result);

#endif
