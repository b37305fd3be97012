/*
 * compat_level - compatibility levels, and the notice about an old one
 *
 * SYNOPSIS
 *	#include "compat_level.h"
 *
 *	bool	compat_level_compare(const char *left, const char *right,
 *				int *result);
 *	void	compat_level_notice(void);
 *
 * DESCRIPTION
 *	A compatibility level is "major", "major.minor" or
 *	"major.minor.patch" (decimal numbers of at most nine digits;
 *	missing parts are 0), as in COMPATIBILITY_README. COMPAT_LEVEL_CURRENT
 *	is the level of the last change of a default in our parameter table
 *	(the highest "<level" that mail_params.def uses; a unit test keeps
 *	the two in step).
 *
 *	compat_level_compare() sets *result to -1, 0 or 1 as left is
 *	lower than, equal to or higher than right, and returns false when
 *	either is malformed.
 *
 *	compat_level_notice() is what postfix(1) says about
 *	$compatibility_level: nothing when it is at least
 *	COMPAT_LEVEL_CURRENT, else three informational lines, as Postfix
 *	prints them (to the log, and to standard error when that is a
 *	terminal):
 *
 *	Postfix is using backwards-compatible default settings
 *	See http://www.postfix.org/COMPATIBILITY_README.html for details
 *	To disable backwards compatibility use "postconf
 *	compatibility_level=3.6" and "postfix reload"
 *
 * DIAGNOSTICS
 *	Fatal: "malformed compatibility level syntax: \"<value>\"".
 */
#ifndef COMPAT_LEVEL_H
#define COMPAT_LEVEL_H

#include "sys_defs.h"

#define COMPAT_LEVEL_CURRENT	"3.6"

extern bool compat_level_compare(const char *left, const char *right,
				         int *result);
extern void compat_level_notice(void);

#endif
