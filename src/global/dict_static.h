/*
 * dict_static - lookup table that always returns the same value
 *
 * SYNOPSIS
 *	#include "dict_static.h"
 *
 *	DICT	*dict_static_open(const char *name, int open_flags,
 *				  int dict_flags);
 *
 * DESCRIPTION
 *	dict_static_open() opens "static:value": every lookup returns the
 *	name itself. A name that starts with "{" must be one balanced group;
 *	its braces and the whitespace just inside them are removed, so
 *	"static:{ text with whitespace }" returns "text with whitespace".
 *	Any other name is returned exactly as written. The table is
 *	read-only and has no sequence operation.
 *
 * DIAGNOSTICS
 *	An unbalanced or trailing-text group gives a surrogate table with
 *	the reason "bad static:name syntax: <extpar error>".
 */
#ifndef DICT_STATIC_H
#define DICT_STATIC_H

#include "dict.h"

#define DICT_TYPE_STATIC	"static"

extern DICT *dict_static_open(const char *name, int open_flags, int dict_flags);

#endif
