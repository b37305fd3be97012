/*
 * dict_randmap - lookup table that returns a random choice
 *
 * SYNOPSIS
 *	#include "dict_randmap.h"
 *
 *	DICT	*dict_randmap_open(const char *name, int open_flags,
 *				   int dict_flags);
 *
 * DESCRIPTION
 *	dict_randmap_open() opens "randmap:{result_1, ..., result_n}". The
 *	name must be one balanced "{...}" group with at least one result;
 *	results are separated by comma or whitespace, and a "{...}" group
 *	is kept whole, braces included. Every lookup, whatever the key,
 *	returns one of the results chosen uniformly at random; a result
 *	listed twice is twice as likely. The table is read-only and has no
 *	sequence operation.
 *
 * DIAGNOSTICS
 *	A malformed name gives a surrogate table with the reason
 *	bad syntax: "randmap:<name>"; need "randmap:{value...}"
 */
#ifndef DICT_RANDMAP_H
#define DICT_RANDMAP_H

#include "dict.h"

#define DICT_TYPE_RANDMAP	"randmap"

extern DICT *dict_randmap_open(const char *name, int open_flags,
			               int dict_flags);

#endif
