/*
 * cleanup_masq - address masquerading for cleanup(8)
 *
 * SYNOPSIS
 *	#include "cleanup_maps.h"
 *
 *	int	cleanup_masq_addr(CLEANUP_MAPS *cm, int class, VSTRING *addr,
 *				  VSTRING *why);
 *	int	cleanup_masq_tree(CLEANUP_MAPS *cm, int class, TOK822 *addr,
 *				  VSTRING *why);
 *	int	cleanup_masq_domain(const ARGV *masq_domains, VSTRING *domain);
 *
 * DESCRIPTION
 *	cleanup_masq_addr() strips the subdomain structure of an
 *	internal-form address when class (one CLEANUP_CLASS_* bit) is in
 *	masquerade_classes, the address has a domain, and its local part
 *	is not in masquerade_exceptions. Returns CLEANUP_MAP_FOUND when the
 *	address changed, CLEANUP_MAP_NONE when not, CLEANUP_MAP_RETRY when
 *	a masquerade_exceptions table lookup failed (address unchanged).
 *
 *	cleanup_masq_tree() does the same for a TOK822_ADDR header node.
 *
 *	cleanup_masq_domain() applies a masquerade_domains list to a
 *	domain (lower case) in place. The list is walked left to right and
 *	the first entry that matches decides: "example.com" matches a
 *	proper subdomain ("a.b.example.com" becomes "example.com", but
 *	"example.com" itself is left alone); "!example.com" matches
 *	example.com and its subdomains and leaves them alone. A leading
 *	dot in an entry (".example.com") is ignored, as in Postfix.
 *	Matching ignores case.
 *
 *	masquerade_exceptions is a list of user names (local parts,
 *	without extension stripping) with "!name" exclusions,
 *	"/file/name" (replaced by the file's words) and "type:table"
 *	(a name matches when it is a key) entries; the first match decides.
 *
 * DIAGNOSTICS
 *	Warnings from maps(3). why on CLEANUP_MAP_RETRY: "4.3.0
 *	masquerade_exceptions lookup problem".
 */
#ifndef CLEANUP_MASQ_H
#define CLEANUP_MASQ_H

extern int cleanup_masq_addr(CLEANUP_MAPS *cm, int class, VSTRING *addr,
			             VSTRING *why);
extern int cleanup_masq_tree(CLEANUP_MAPS *cm, int class, TOK822 *addr,
			             VSTRING *why);
extern int cleanup_masq_domain(const ARGV *masq_domains, VSTRING *domain);

#endif
