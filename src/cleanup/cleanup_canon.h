/*
 * cleanup_canon - canonical(5) address mapping for cleanup(8)
 *
 * SYNOPSIS
 *	#include "cleanup_maps.h"
 *
 *	int	cleanup_canon_addr(CLEANUP_MAPS *cm, int class, VSTRING *addr,
 *				   VSTRING *why);
 *	int	cleanup_canon_tree(CLEANUP_MAPS *cm, int class, TOK822 *addr,
 *				   VSTRING *why);
 *	int	cleanup_canon_map(CLEANUP_MAPS *cm, MAPS *maps, VSTRING *addr,
 *				  VSTRING *why);
 *
 * DESCRIPTION
 *	cleanup_canon_addr() rewrites one internal-form address of the
 *	given class (one CLEANUP_CLASS_* bit) in place, the way cleanup(8)
 *	applies canonical(5) tables: first sender_canonical_maps (sender
 *	classes, when the class is in sender_canonical_classes) or
 *	recipient_canonical_maps (recipient classes, when in
 *	recipient_canonical_classes), then canonical_maps (when the class
 *	is in canonical_classes). The empty address (null sender) is
 *	never mapped. The result is CLEANUP_MAP_FOUND when any table
 *	changed the address, CLEANUP_MAP_NONE when nothing did, or
 *	CLEANUP_MAP_RETRY when a lookup failed (addr is then the address
 *	whose lookup failed).
 *
 *	cleanup_canon_tree() does the same for a TOK822_ADDR node of a
 *	parsed header (class CLEANUP_CLASS_HDR_*): the node is
 *	internalized, mapped, and on a change its children are replaced
 *	by the tokens of the new address.
 *
 *	cleanup_canon_map() applies one table list with the canonical(5)
 *	rules, for callers with their own tables:
 * .IP \(bu
 *	Search order (table_search(3)): "user+ext@domain", "user@domain",
 *	then, only when cm->local_domain says the domain is local,
 *	"user+ext" and "user", then "@domain". Regular expression tables
 *	see only the complete address. Without recipient_delimiter there
 *	are no extension forms. An address without '@' is looked up as
 *	"user+ext", "user" (it is local by definition).
 * .IP \(bu
 *	The result is the first address of the lookup value (a canonical
 *	table maps to one address; a value with more, separated by commas
 *	or whitespace, gives a warning, see cleanup_maps_addr_split()).
 *	"@otherdomain" means the same local part in otherdomain. A result
 *	found with a key without the extension gets the extension back
 *	("user+ext@result") when "canonical" is in
 *	propagate_unmatched_extensions; not when the result is
 *	"@otherdomain" (the local part, extension included, is kept).
 * .IP \(bu
 *	The mapping is repeated on the result until it no longer changes
 *	(the result equals its own lookup key), at most 100 times; past
 *	that a warning is logged and the last result is kept.
 * .PP
 *	Each result goes through the rewrite hook of the CLEANUP_MAPS
 *	(cleanup_maps(3)) before it is looked up again: in the daemon,
 *	trivial-rewrite's "local" context, so "fred" is looked up again as
 *	"fred@$myorigin", as Postfix does.
 *
 * DIAGNOSTICS
 *	Warnings from maps(3) for failing tables, then "<qid>: <title> map
 *	lookup problem for <addr> -- message not accepted, try again
 *	later"; why gets "4.3.0 queue file write error" on
 *	CLEANUP_MAP_RETRY. "<qid>: multi-valued <title> entry for <addr>"
 *	and "<qid>: unreasonable <title> map nesting for <addr> -- message
 *	not accepted, try again later" (only a warning, as in Postfix 3.7).
 *	See docs/internals/cleanup-maps.md for the texts observed from
 *	Postfix.
 */
#ifndef CLEANUP_CANON_H
#define CLEANUP_CANON_H

extern int cleanup_canon_addr(CLEANUP_MAPS *cm, int class, VSTRING *addr,
			              VSTRING *why);
extern int cleanup_canon_tree(CLEANUP_MAPS *cm, int class, TOK822 *addr,
			              VSTRING *why);
extern int cleanup_canon_map(CLEANUP_MAPS *cm, MAPS *maps, VSTRING *addr,
			             VSTRING *why);

#endif
