/*
 * cleanup_virtual - virtual(5) alias expansion for cleanup(8)
 *
 * SYNOPSIS
 *	#include "cleanup_maps.h"
 *
 *	int	cleanup_virtual_expand(CLEANUP_MAPS *cm, const char *addr,
 *				       ARGV *result, VSTRING *why);
 *
 * DESCRIPTION
 *	cleanup_virtual_expand() expands one internal-form envelope
 *	recipient through virtual_alias_maps and appends the final
 *	recipients to result (which the caller allocates and empties).
 *	Without virtual_alias_maps, or when the address is not found, the
 *	result is the address itself and the return value
 *	CLEANUP_MAP_NONE. After an expansion it is CLEANUP_MAP_FOUND.
 *
 *	Each address is looked up with the virtual(5) search order
 *	("user+ext@domain", "user@domain", local-only "user+ext" and
 *	"user", "@domain"). The value is a list of addresses separated by
 *	commas or whitespace (RFC 5322 quoting respected,
 *	cleanup_maps_addr_split()), each converted to internal form. A
 *	value that starts with '@' is ONE address: the local part goes in
 *	front of the whole value, commas and all, as Postfix 3.7 does
 *	("@otherdomain": the same local part in otherdomain). A result found
 *	without the extension gets it back when "virtual" is in
 *	propagate_unmatched_extensions.
 *
 *	Expansion is recursive, depth first, left to right:
 * .IP \(bu
 *	An address that expands to itself (its lookup key appears in its
 *	own expansion) is kept as a final recipient; no further lookup of
 *	it is made (the usual "user@example.com user@example.com,
 *	archive@example.com" idiom).
 * .IP \(bu
 *	Duplicate final recipients are kept only once, in order of first
 *	appearance.
 * .IP \(bu
 *	A nesting depth beyond virtual_alias_recursion_limit, more than
 *	virtual_alias_expansion_limit final recipients, or a result
 *	address longer than virtual_alias_address_length_limit stop the
 *	expansion with CLEANUP_MAP_LIMIT: a warning names the limit and
 *	the original recipient, why is "4.6.0 Alias expansion error", and
 *	result is emptied. The daemon defers the message.
 * .IP \(bu
 *	A failing lookup stops the expansion with CLEANUP_MAP_RETRY: why
 *	is "4.3.0 queue file write error" (Postfix answers with its queue
 *	file write error), result is emptied.
 * .IP \(bu
 *	At most (expansion limit + 1) * (recursion limit + 1) addresses
 *	are visited (each factor capped at 10^6): tables whose branches
 *	join again could otherwise take exponential time. Past that, the
 *	expansion size warning and CLEANUP_MAP_LIMIT.
 *
 * DIAGNOSTICS
 *	Warnings, as Postfix logs them (queue ID prefix added by the
 *	caller's msg prefix where Postfix has one; see
 *	docs/internals/cleanup-maps.md).
 */
#ifndef CLEANUP_VIRTUAL_H
#define CLEANUP_VIRTUAL_H

extern int cleanup_virtual_expand(CLEANUP_MAPS *cm, const char *addr,
				          ARGV *result, VSTRING *why);

#endif
