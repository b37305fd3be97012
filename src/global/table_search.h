/*
 * table_search - lookup key sequences of the table search orders
 *
 * SYNOPSIS
 *	#include "table_search.h"
 *
 *	typedef struct TABLE_SEARCH_KEY {
 *	    char   *key;
 *	    int	    flags;	0: every table; DICT_FLAG_FIXED: fixed only
 *	} TABLE_SEARCH_KEY;
 *
 *	typedef struct TABLE_SEARCH {
 *	    TABLE_SEARCH_KEY *keys;
 *	    size_t  count;
 *	} TABLE_SEARCH;
 *
 *	TABLE_SEARCH *table_search_create(void);
 *	void	table_search_reset(TABLE_SEARCH *ts);
 *	void	table_search_free(TABLE_SEARCH *ts);
 *
 *	bool	table_search_parent_match(const char *list,
 *					  const char *feature);
 *
 *	void	table_search_access_address(TABLE_SEARCH *ts,
 *				const char *address, const char *delimiters,
 *				bool parent_match);
 *	void	table_search_access_host(TABLE_SEARCH *ts, const char *name,
 *				bool parent_match);
 *	void	table_search_access_ip(TABLE_SEARCH *ts, const char *addr);
 *	void	table_search_rewrite_address(TABLE_SEARCH *ts,
 *				const char *address, const char *delimiters,
 *				bool local_domain);
 *	void	table_search_transport(TABLE_SEARCH *ts, const char *address,
 *				const char *delimiters, bool parent_match);
 *
 *	const char *table_search_find(const TABLE_SEARCH *ts, MAPS *maps,
 *				      size_t *which);
 *
 * DESCRIPTION
 *	With indexed and networked tables, Postfix does not look up a
 *	query as is: it tries a sequence of keys (the "table search
 *	order" of access(5), canonical(5), virtual(5), transport(5)...).
 *	This module produces those sequences. Each key carries the maps
 *	filter to use with maps_find(): the first key (the complete query)
 *	goes to every table, later partial keys only to fixed-string
 *	tables, because regexp:, pcre: and cidr: tables always see the
 *	complete query. The caller folds case where tables expect it (the
 *	dict(3) layer does that for fixed-string tables).
 *
 *	A search object holds one sequence; each table_search_<order>()
 *	function replaces it. Empty keys are never produced.
 *
 *	table_search_parent_match() is true when feature (for example
 *	"smtpd_access_maps", "transport_maps") is listed in list, the
 *	value of parent_domain_matches_subdomains; then "domain.tld" also
 *	matches subdomains, else subdomains are matched by ".domain.tld".
 *
 *	table_search_access_address() - access(5) e-mail addresses, for
 *	"user+ext@sub.example.com" with delimiters "+":
 *	"user+ext@sub.example.com", "user@sub.example.com",
 *	"sub.example.com", then ".example.com", ".com" (or "example.com",
 *	"com" with parent_match), "user+ext@", "user@". The forms without
 *	extension appear only when split_addr(3) finds one. A domain that
 *	is an address literal ("[1.2.3.4]") is looked up without parent
 *	domains. Without "@" only the address forms are produced.
 *
 *	table_search_access_host() - access(5) host names: "name", then
 *	its parent domains as above.
 *
 *	table_search_access_ip() - access(5) addresses: "1.2.3.4",
 *	"1.2.3", "1.2", "1"; for IPv6 the text is cut at each ':' from the
 *	right ("2001:db8::1", "2001:db8:", "2001:db8", "2001").
 *
 *	table_search_rewrite_address() - canonical(5), virtual(5),
 *	generic(5): "user+ext@domain", "user@domain", then (only when
 *	local_domain: the domain is $myorigin, listed in $mydestination,
 *	$inet_interfaces or $proxy_interfaces) "user+ext", "user", then
 *	"@domain".
 *
 *	table_search_transport() - transport(5): "user+ext@domain",
 *	"user@domain", "domain", then parent domains as above, then "*".
 *	(The null address is looked up by the caller as
 *	$empty_address_recipient@$myhostname.)
 *
 *	table_search_find() queries maps with each key in turn (each key
 *	goes to every table before the next key is tried) and returns the
 *	first result, with *which (if not NULL) set to the index of the
 *	key that matched. It returns NULL when nothing matched or when a
 *	table failed; maps->error tells which.
 */
#ifndef TABLE_SEARCH_H
#define TABLE_SEARCH_H

#include "sys_defs.h"
#include "maps.h"

typedef struct TABLE_SEARCH_KEY {
    char   *key;			/* lookup key */
    int     flags;			/* maps_find() filter */
} TABLE_SEARCH_KEY;

typedef struct TABLE_SEARCH {
    TABLE_SEARCH_KEY *keys;		/* in search order */
    size_t  count;
    size_t  cap;
} TABLE_SEARCH;

#define TABLE_SEARCH_FULL	0		/* every table */
#define TABLE_SEARCH_PARTIAL	DICT_FLAG_FIXED	/* fixed-string tables */

extern TABLE_SEARCH *table_search_create(void);
extern void table_search_reset(TABLE_SEARCH *ts);
extern void table_search_free(TABLE_SEARCH *ts);
extern bool table_search_parent_match(const char *list, const char *feature);
extern void table_search_access_address(TABLE_SEARCH *ts, const char *address,
				             const char *delimiters,
				             bool parent_match);
extern void table_search_access_host(TABLE_SEARCH *ts, const char *name,
				             bool parent_match);
extern void table_search_access_ip(TABLE_SEARCH *ts, const char *addr);
extern void table_search_rewrite_address(TABLE_SEARCH *ts,
				             const char *address,
				             const char *delimiters,
				             bool local_domain);
extern void table_search_transport(TABLE_SEARCH *ts, const char *address,
				           const char *delimiters,
				           bool parent_match);
extern const char *table_search_find(const TABLE_SEARCH *ts, MAPS *maps,
				             size_t *which);

#endif
