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
 *	ARGV	*cleanup_masq_domains_create(const char *masquerade_domains);
 *	CLEANUP_MASQ_EXCEPT *cleanup_masq_except_create(const char *list,
 *				  int dict_flags);
 *	void	cleanup_masq_except_free(CLEANUP_MASQ_EXCEPT *except);
 *	int	cleanup_masq_except_match(CLEANUP_MASQ_EXCEPT *except,
 *				  const char *name);
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
 *	cleanup_masq_domains_create() splits a masquerade_domains value
 *	(commas, whitespace) into lower-case entries, or returns NULL when
 *	it is empty. cleanup_masq_except_create() compiles a
 *	masquerade_exceptions value (NULL when empty; dict_flags for its
 *	tables); cleanup_masq_except_free() accepts NULL.
 *	cleanup_masq_except_match() returns 1 (name is an exception), 0,
 *	or -1 (a table failed; a warning was logged).
 *
 * DIAGNOSTICS
 *	"warning: masquerade_exceptions: <type>:<name>: table lookup
 *	problem", then (info level, as Postfix logs it) "<qid>:
 *	masquerade_exceptions map lookup problem -- message not accepted,
 *	try again later". why on CLEANUP_MAP_RETRY: "4.3.0 queue file write
 *	error".
 */
#ifndef CLEANUP_MASQ_H
#define CLEANUP_MASQ_H

extern int cleanup_masq_addr(CLEANUP_MAPS *cm, int class, VSTRING *addr,
			             VSTRING *why);
extern int cleanup_masq_tree(CLEANUP_MAPS *cm, int class, TOK822 *addr,
			             VSTRING *why);
extern int cleanup_masq_domain(const ARGV *masq_domains, VSTRING *domain);

typedef struct CLEANUP_MASQ_EXCEPT CLEANUP_MASQ_EXCEPT;

extern ARGV *cleanup_masq_domains_create(const char *masquerade_domains);
extern CLEANUP_MASQ_EXCEPT *cleanup_masq_except_create(const char *list,
						               int dict_flags);
extern void cleanup_masq_except_free(CLEANUP_MASQ_EXCEPT *except);
extern int cleanup_masq_except_match(CLEANUP_MASQ_EXCEPT *except,
				             const char *name);

#endif
