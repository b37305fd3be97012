/*
 * name_mask - map names to bit masks and back
 *
 * SYNOPSIS
 *	#include "name_mask.h"
 *
 *	typedef struct NAME_MASK {
 *	    const char *name;
 *	    unsigned mask;
 *	} NAME_MASK;
 *
 *	unsigned name_mask(const char *context, const NAME_MASK *table,
 *				const char *names);
 *	bool	name_mask_opt(const char *context, const NAME_MASK *table,
 *				const char *names, int flags,
 *				unsigned *result, VSTRING *why);
 *	const char *str_name_mask(const char *context, const NAME_MASK *table,
 *				unsigned mask);
 *	const char *str_name_mask_opt(VSTRING *buf, const char *context,
 *				const NAME_MASK *table, unsigned mask,
 *				int flags);
 *
 * DESCRIPTION
 *	A table is an array of {name, mask} entries ended by {0, 0}. An
 *	entry may have several bits (a shorthand for a group of names).
 *
 *	name_mask_opt() splits names on commas, whitespace and '|' (empty
 *	fields are skipped), looks up each name in the table and ORs the
 *	masks together into *result. The context (usually a parameter
 *	name) appears in diagnostics. Flags:
 *
 *	NAME_MASK_FATAL (the default when no handling flag is given)
 *		An unknown name is a fatal error.
 *	NAME_MASK_WARN
 *		An unknown name is logged as a warning and ignored.
 *	NAME_MASK_RETURN
 *		An unknown name makes name_mask_opt() return false with the
 *		reason in why (when not NULL); nothing is logged and
 *		*result is not changed.
 *	NAME_MASK_ANY_CASE
 *		Names match regardless of case (default: exact match).
 *	NAME_MASK_NUMBER
 *		A field that is a number ("0x1f", "17") is taken as a mask
 *		by itself; str_name_mask_opt() prints bits that no table
 *		entry names as one hexadecimal number.
 *
 *	name_mask() is name_mask_opt() with NAME_MASK_FATAL.
 *
 *	str_name_mask_opt() does the reverse: it writes the names of the
 *	bits in mask into buf, in table order, taking an entry only when
 *	all of its bits are still unnamed, and returns vstring_str(buf).
 *	The default separator is " | "; NAME_MASK_COMMA gives ", " and
 *	NAME_MASK_SPACE a single space. Bits that no entry names are
 *	handled by the NAME_MASK_NUMBER, _FATAL, _WARN or _RETURN flag
 *	(RETURN: the function returns NULL). A zero mask gives "".
 *	str_name_mask() uses a static buffer, NAME_MASK_FATAL and " | ".
 *
 * DIAGNOSTICS
 *	Fatal, warning or error text as chosen by the flags:
 *	"unknown <context> value \"<name>\"" and
 *	"<context>: unknown bits in mask: 0x<hex>".
 *	Panic: more than one of FATAL, WARN and RETURN.
 */
#ifndef NAME_MASK_H
#define NAME_MASK_H

#include "sys_defs.h"
#include "vstring.h"

typedef struct NAME_MASK {
    const char *name;
    unsigned mask;
} NAME_MASK;

#define NAME_MASK_FATAL		(1<<0)
#define NAME_MASK_WARN		(1<<1)
#define NAME_MASK_RETURN	(1<<2)
#define NAME_MASK_ANY_CASE	(1<<3)
#define NAME_MASK_NUMBER	(1<<4)
#define NAME_MASK_COMMA		(1<<5)
#define NAME_MASK_SPACE		(1<<6)

#define NAME_MASK_DEFAULT	NAME_MASK_FATAL

extern unsigned name_mask(const char *context, const NAME_MASK *table,
			          const char *names);
extern bool name_mask_opt(const char *context, const NAME_MASK *table,
			          const char *names, int flags,
			          unsigned *result, VSTRING *why);
extern const char *str_name_mask(const char *context, const NAME_MASK *table,
				         unsigned mask);
extern const char *str_name_mask_opt(VSTRING *buf, const char *context,
				             const NAME_MASK *table,
				             unsigned mask, int flags);

#endif
