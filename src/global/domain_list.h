/*
 * domain_list - match a domain name against a list of domain patterns
 *
 * SYNOPSIS
 *	#include "domain_list.h"
 *
 *	DOMAIN_LIST *domain_list_create(const char *title,
 *				const char *patterns, bool parent_match);
 *	int	domain_list_match(DOMAIN_LIST *list, const char *domain);
 *	void	domain_list_free(DOMAIN_LIST *list);
 *
 *	bool	domain_list_file(const char *title, const char *path,
 *				bool negate, int depth,
 *				DOMAIN_LIST_ADD_FN add, void *context);
 *	bool	domain_list_is_sub(const char *name, const char *parent);
 *	bool	domain_list_name_match(const char *name, const char *text,
 *				bool subdomain, bool parent_match);
 *	int	domain_list_first(size_t count, DOMAIN_LIST_TRY_FN try_fn,
 *				void *context);
 *
 * DESCRIPTION
 *	A domain list is the value of a parameter such as mydestination,
 *	relay_domains, virtual_alias_domains or virtual_mailbox_domains:
 *	patterns separated by comma or whitespace ("{...}" groups are kept
 *	whole, as in "inline:{a.example=x}"). A pattern is:
 * .IP name
 *	The domain itself; with parent_match also its subdomains.
 * .IP .name
 *	Any subdomain of name (not name itself).
 * .IP /file/name
 *	The patterns in that file, one or more per line; lines whose first
 *	non-blank character is '#' and empty lines are ignored.
 * .IP type:table
 *	The domain is looked up as a key; when not found, its parent
 *	domains ("example.com", "com" with parent_match, otherwise
 *	".example.com", ".com") are looked up in fixed-string tables.
 *	Any result (its value does not matter) is a match.
 * .IP !pattern
 *	A match of pattern ends the search with "no match".
 * .PP
 *	The first pattern that matches decides. Matching ignores case.
 *	parent_match comes from table_search_parent_match() with the
 *	parameter name and $parent_domain_matches_subdomains.
 *
 *	domain_list_create() parses the patterns and opens the tables
 *	(dict_shared_open(), read-only); title is the parameter name for
 *	diagnostics. A table that cannot be opened fails its lookups.
 *	A file that cannot be read makes the list fail every match.
 *
 *	domain_list_match() returns DOMAIN_LIST_MATCH (1),
 *	DOMAIN_LIST_NOMATCH (0), or DOMAIN_LIST_ERROR (-1) when a table
 *	lookup failed before a decision (the caller defers).
 *
 *	domain_list_free() releases the list.
 *
 *	Helpers shared with host_addr_list(3): domain_list_file() reads
 *	the patterns of a /file/name entry and calls add(context,
 *	pattern, depth + 1) for each; it returns false (after a warning)
 *	when the file cannot be read or depth reached
 *	DOMAIN_LIST_FILE_DEPTH. A "!" before the name is ignored with a
 *	warning. domain_list_is_sub() tells whether name is a proper
 *	subdomain of parent (both lowercase). domain_list_name_match()
 *	matches a lowercase name against the pattern "text" (or ".text"
 *	when subdomain is true; parent_match: "text" covers subdomains).
 *	domain_list_first() calls try_fn(context, n, &negate) for n = 0,
 *	1, ... count - 1 until one returns DOMAIN_LIST_MATCH (the result
 *	is then NOMATCH when try_fn set negate) or DOMAIN_LIST_ERROR.
 *
 *	This module does not match address literals against interface
 *	addresses (resolve_class does that) and does not do DNS lookups.
 *
 * DIAGNOSTICS
 *	Warnings: "<title>: cannot open <file>: <error>", table lookup
 *	errors (maps(3)), patterns nested more than 10 files deep.
 */
#ifndef DOMAIN_LIST_H
#define DOMAIN_LIST_H

#include "sys_defs.h"

typedef struct DOMAIN_LIST DOMAIN_LIST;

#define DOMAIN_LIST_MATCH	1
#define DOMAIN_LIST_NOMATCH	0
#define DOMAIN_LIST_ERROR	(-1)

extern DOMAIN_LIST *domain_list_create(const char *title, const char *patterns,
				               bool parent_match);
extern int domain_list_match(DOMAIN_LIST *list, const char *domain);
extern void domain_list_free(DOMAIN_LIST *list);

/* Shared with host_addr_list(3). */
#define DOMAIN_LIST_FILE_DEPTH	10	/* nested /file/name patterns */

typedef void (*DOMAIN_LIST_ADD_FN) (void *context, const char *pattern,
				            int depth);
extern bool domain_list_file(const char *title, const char *path,
			             bool negate, int depth,
			             DOMAIN_LIST_ADD_FN add, void *context);
extern bool domain_list_is_sub(const char *name, const char *parent);
extern bool domain_list_name_match(const char *name, const char *text,
				           bool subdomain, bool parent_match);
typedef int (*DOMAIN_LIST_TRY_FN) (void *context, size_t index,
				           bool *negate);
extern int domain_list_first(size_t count, DOMAIN_LIST_TRY_FN try_fn,
			             void *context);

#endif
