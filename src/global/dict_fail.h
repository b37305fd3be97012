/*
 * dict_fail - lookup table that always fails
 *
 * SYNOPSIS
 *	#include "dict_fail.h"
 *
 *	DICT	*dict_fail_open(const char *name, int open_flags,
 *				int dict_flags);
 *
 * DESCRIPTION
 *	dict_fail_open() opens "fail:name" (the name is only used in
 *	messages). Every lookup, update, delete and sequence fails with a
 *	temporary error: lookups return NULL and the others
 *	DICT_STAT_ERROR, with dict->error set to DICT_ERR_RETRY. The
 *	driver logs nothing itself; callers report the error as for any
 *	unavailable table. It exists to test error handling.
 */
#ifndef DICT_FAIL_H
#define DICT_FAIL_H

#include "dict.h"

#define DICT_TYPE_FAIL	"fail"

extern DICT *dict_fail_open(const char *name, int open_flags, int dict_flags);

#endif
