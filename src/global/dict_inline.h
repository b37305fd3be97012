/*
 * dict_inline - lookup table written in its own name
 *
 * SYNOPSIS
 *	#include "dict_inline.h"
 *
 *	DICT	*dict_inline_open(const char *name, int open_flags,
 *				  int dict_flags);
 *
 * DESCRIPTION
 *	dict_inline_open() opens "inline:{ key=value, { key = text } ... }".
 *	The name must be one balanced "{...}" group with at least one
 *	entry. Entries are separated by comma or whitespace; an entry in
 *	braces may contain whitespace and commas, and whitespace after its
 *	"{", around its "=" and before its "}" is ignored. Keys may be
 *	quoted as described in split_qnameval(3). With DICT_FLAG_FOLD_FIX
 *	keys are stored in lower case. A later entry for the same key
 *	replaces the earlier one.
 *
 *	The table is read-only; lookup and sequence (in the order of the
 *	text, a replaced key keeping its first position) are supported.
 *
 * DIAGNOSTICS
 *	A malformed name gives a surrogate table (see dict(3)) whose reason
 *	is one of:
 *	bad syntax: "inline:<name>"; need "inline:{name=value...}"
 *	empty table: "inline:<name>"; need "inline:{name=value...}"
 *	<error>: "inline:<name>"; need "inline:{name=value...}"
 *	where <error> comes from extpar() or split_qnameval(3).
 */
#ifndef DICT_INLINE_H
#define DICT_INLINE_H

#include "dict.h"

#define DICT_TYPE_INLINE	"inline"

extern DICT *dict_inline_open(const char *name, int open_flags, int dict_flags);

#endif
