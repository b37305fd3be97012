/*
 * dict_cidr - lookup table of network address patterns
 *
 * SYNOPSIS
 *	#include "dict_cidr.h"
 *
 *	DICT	*dict_cidr_open(const char *name, int open_flags,
 *				int dict_flags);
 *
 * DESCRIPTION
 *	dict_cidr_open() opens a cidr_table(5) file, or inline rules
 *	"cidr:{ {rule}, ... }". Rules are "pattern result", "!pattern
 *	result", and "if [!]pattern" ... "endif" blocks, where a pattern is
 *	an address or network/length in the syntax of cidr_match(3) (IPv4
 *	or IPv6, optionally in brackets). Every "!" inverts the match; a
 *	negated pattern still never applies to an address of the other
 *	family or to a key that is not an address. The result is the rest
 *	of the line, without $ processing. Lookups try the rules in order
 *	(dict_pattern(3)).
 *
 * DIAGNOSTICS
 *	Warnings "cidr map <name>, line <n>: <reason>: skipping this rule"
 *	with reason "no address pattern", "no lookup result", "ENDIF
 *	without IF", "garbage after ENDIF", or a cidr_match(3) error; and
 *	"cidr map <name>, line <n>: IF has no matching ENDIF".
 */
#ifndef DICT_CIDR_H
#define DICT_CIDR_H

#include "dict.h"

#define DICT_TYPE_CIDR	"cidr"

extern DICT *dict_cidr_open(const char *name, int open_flags, int dict_flags);

#endif
