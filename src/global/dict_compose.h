/*
 * dict_compose - lookup tables made of other lookup tables
 *
 * SYNOPSIS
 *	#include "dict_compose.h"
 *
 *	#define DICT_COMPOSE_MAX_DEPTH	20

typedef struct DICT_COMPOSE {
 *	    DICT    dict;
 *	    DICT  **maps;		component tables, in order
 *	    size_t  count;
 *	    VSTRING *buf;		result buffer for the driver
 *	} DICT_COMPOSE;
 *
 *	DICT	*dict_compose_open(const char *type, const char *name,
 *				   int open_flags, int dict_flags,
 *				   const char *(*lookup)(DICT *, const char *));
 *
 * DESCRIPTION
 *	This is the common part of pipemap: and unionmap:. The name must
 *	be one balanced "{...}" group holding one or more "type:name"
 *	table names separated by comma or whitespace (a component may
 *	itself contain "{...}", as in "inline:{a=b}"). Each component is
 *	opened with dict_open() and the given flags; a component that
 *	cannot be opened is a surrogate table, so its error shows at
 *	lookup time through dict->error. Composite tables nest at most
 *	DICT_COMPOSE_MAX_DEPTH levels deep. The result has the
 *	DICT_FLAG_FIXED or DICT_FLAG_PATTERN property of the first
 *	component, lookup is the driver's method, and closing it closes
 *	every component.
 *
 * DIAGNOSTICS
 *	A malformed name gives a surrogate table with the reason
 *	bad syntax: "<type>:<name>"; need "<type>:{type:name...}"
 *	or "<type>:<name>: tables nested more than <n> levels deep".
 */
#ifndef DICT_COMPOSE_H
#define DICT_COMPOSE_H

#include "sys_defs.h"
#include "vstring.h"
#include "dict.h"

#define DICT_COMPOSE_MAX_DEPTH	20

typedef struct DICT_COMPOSE {
    DICT    dict;			/* generic members */
    DICT  **maps;			/* component tables, in order */
    size_t  count;			/* number of components */
    VSTRING *buf;			/* result buffer for the driver */
} DICT_COMPOSE;

extern DICT *dict_compose_open(const char *type, const char *name,
			               int open_flags, int dict_flags,
			          const char *(*lookup) (DICT *, const char *));

#endif
