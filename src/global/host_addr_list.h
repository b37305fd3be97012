/*
 * host_addr_list - match a client's host name and address against a list
 *
 * SYNOPSIS
 *	#include "host_addr_list.h"
 *
 *	HOST_ADDR_LIST *host_addr_list_create(const char *title,
 *				const char *patterns, int flags);
 *	int	host_addr_list_match(HOST_ADDR_LIST *list, const char *name,
 *				const char *addr);
 *	void	host_addr_list_free(HOST_ADDR_LIST *list);
 *
 * DESCRIPTION
 *	The lists of mynetworks, permit_mx_backup_networks,
 *	qmqpd_authorized_clients, smtpd_client_event_limit_exceptions,
 *	smtpd_forbid_bare_newline_exclusions, debug_peer_list and the
 *	like: patterns separated by comma or whitespace, each one of
 *	-  "!pattern": a match means "not in the list" (stop, no match);
 *	-  "/file/name": the patterns in that file (pattern_file);
 *	-  "type:table": the host name, then its parent domains (see
 *	   below), then the address are looked up; any value matches;
 *	-  a network "net/mask" or "[net]/mask" (IPv4; IPv6 only in
 *	   []), or an address "1.2.3.4", "[1.2.3.4]", "[::1]" (as in
 *	   Postfix, "::1" without [] is a table name: fatal);
 *	-  a host name or domain: "example.com" matches that name, and
 *	   its subdomains when title is listed in
 *	   parent_domain_matches_subdomains; ".example.com" matches
 *	   subdomains.
 *	Matching stops at the first pattern that matches (or at a
 *	negated one). title names the list in diagnostics and selects the
 *	parent_domain_matches_subdomains behaviour (e.g. "mynetworks").
 *	flags: HOST_ADDR_LIST_FLAG_FATAL makes a bad network pattern
 *	fatal when the list is created; else (Postfix's behaviour) a
 *	match that reaches the bad pattern logs a warning and returns -1.
 *
 *	host_addr_list_match() returns 1 (listed), 0 (not listed) or -1
 *	(a table lookup failed: the caller answers with a temporary
 *	error, as Postfix's "Temporary lookup failure"). name may be
 *	"unknown" or NULL (then only address patterns can match).
 */
#ifndef HOST_ADDR_LIST_H
#define HOST_ADDR_LIST_H

#include "sys_defs.h"

#define HOST_ADDR_LIST_FLAG_FATAL	(1<<0)

typedef struct HOST_ADDR_LIST HOST_ADDR_LIST;

extern HOST_ADDR_LIST *host_addr_list_create(const char *title,
				                     const char *patterns,
				                     int flags);
extern int host_addr_list_match(HOST_ADDR_LIST *list, const char *name,
				        const char *addr);
extern void host_addr_list_free(HOST_ADDR_LIST *list);

#endif
