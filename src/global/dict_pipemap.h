/*
 * dict_pipemap - a pipeline of lookup tables
 *
 * SYNOPSIS
 *	#include "dict_pipemap.h"
 *
 *	DICT	*dict_pipemap_open(const char *name, int open_flags,
 *				   int dict_flags);
 *
 * DESCRIPTION
 *	dict_pipemap_open() opens "pipemap:{type:name, ...}" (syntax in
 *	dict_compose(3)). A lookup queries the first table with the key,
 *	then each next table with the previous result; the last result is
 *	the answer. When a table has no result the pipeline has none, and
 *	when a table fails, its dict->error becomes the pipeline's. The
 *	table is read-only and has no sequence operation.
 */
#ifndef DICT_PIPEMAP_H
#define DICT_PIPEMAP_H

#include "dict.h"

#define DICT_TYPE_PIPEMAP	"pipemap"

extern DICT *dict_pipemap_open(const char *name, int open_flags,
			               int dict_flags);

#endif
