/*
 * dict_environ - the process environment as a lookup table
 *
 * SYNOPSIS
 *	#include "dict_environ.h"
 *
 *	DICT	*dict_environ_open(const char *name, int open_flags,
 *				   int dict_flags);
 *
 * DESCRIPTION
 *	dict_environ_open() opens "environ:name"; the name is only used
 *	in messages. A lookup returns the value of the environment
 *	variable whose name is the key (after folding to lower case with
 *	DICT_FLAG_FOLD_FIX, as for every fixed-string table). An update
 *	sets the variable in this process; delete and sequence are not
 *	supported.
 */
#ifndef DICT_ENVIRON_H
#define DICT_ENVIRON_H

#include "dict.h"

#define DICT_TYPE_ENVIRON	"environ"

extern DICT *dict_environ_open(const char *name, int open_flags,
			               int dict_flags);

#endif
