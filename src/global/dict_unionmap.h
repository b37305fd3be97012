/*
 * dict_unionmap - the combined results of several lookup tables
 *
 * SYNOPSIS
 *	#include "dict_unionmap.h"
 *
 *	DICT	*dict_unionmap_open(const char *name, int open_flags,
 *				    int dict_flags);
 *
 * DESCRIPTION
 *	dict_unionmap_open() opens "unionmap:{type:name, ...}" (syntax in
 *	dict_compose(3)). A lookup queries every table with the key and
 *	joins the non-empty results with commas, in table order; without
 *	any result there is none. When a table fails, the lookup stops and
 *	that table's dict->error becomes the union's. The table is
 *	read-only and has no sequence operation.
 */
#ifndef DICT_UNIONMAP_H
#define DICT_UNIONMAP_H

#include "dict.h"

#define DICT_TYPE_UNIONMAP	"unionmap"

extern DICT *dict_unionmap_open(const char *name, int open_flags,
			                int dict_flags);

#endif
