/*
 * name_code - map names to integer codes and back
 *
 * SYNOPSIS
 *	#include "name_code.h"
 *
 *	typedef struct NAME_CODE {
 *	    const char *name;
 *	    int	    code;
 *	} NAME_CODE;
 *
 *	int	name_code(const NAME_CODE *table, int flags, const char *name);
 *	const char *str_name_code(const NAME_CODE *table, int code);
 *
 * DESCRIPTION
 *	A table is an array of {name, code} entries ended by an entry with
 *	a null name, whose code is the default.
 *
 *	name_code() returns the code of the first entry whose name matches,
 *	or the default code. Matching ignores case unless flags include
 *	NAME_CODE_FLAG_STRICT_CASE (as in Postfix).
 *
 *	str_name_code() returns the name of the first entry with the given
 *	code, or NULL when no entry has it.
 *
 *	This module does not split lists; see name_mask(3) for that.
 */
#ifndef NAME_CODE_H
#define NAME_CODE_H

#include "sys_defs.h"

typedef struct NAME_CODE {
    const char *name;
    int     code;
} NAME_CODE;

#define NAME_CODE_FLAG_NONE		0
#define NAME_CODE_FLAG_STRICT_CASE	(1<<0)

extern int name_code(const NAME_CODE *table, int flags, const char *name);
extern const char *str_name_code(const NAME_CODE *table, int code);

#endif
