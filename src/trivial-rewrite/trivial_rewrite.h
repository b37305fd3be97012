/*
 * trivial_rewrite - private interfaces of the trivial-rewrite(8) daemon
 *
 * SYNOPSIS
 *	#include "trivial_rewrite.h"
 *
 *	(rewrite_address.c)
 *	bool	rewrite_address(const char *rule, const char *address,
 *				VSTRING *result);
 *	bool	rewrite_unqualified(VSTRING *addr, VSTRING *scratch);
 *
 *	(resolve_class.c)
 *	void	resolve_class_init(void);
 *	void	resolve_class_free(void);
 *	int	resolve_class(const char *domain);
 *	int	resolve_class_local(const char *domain);
 *
 *	(transport_table.c)
 *	TRANSPORT_ROUTE *transport_route_create(bool verify);
 *	void	transport_route_free(TRANSPORT_ROUTE *route);
 *	int	transport_table_lookup(TRANSPORT_ROUTE *route,
 *				const char *address, VSTRING *transport,
 *				VSTRING *nexthop);
 *	int	transport_table_sender(MAPS *maps, const char *sender,
 *				const char *empty_key, VSTRING *result);
 *	void	transport_split(const char *value, VSTRING *transport,
 *				VSTRING *nexthop);
 *
 *	(resolve_address.c)
 *	void	resolve_address_init(void);
 *	void	resolve_address_free(void);
 *	void	resolve_result_init(RESOLVE_RESULT *result);
 *	void	resolve_result_free(RESOLVE_RESULT *result);
 *	void	resolve_address(const char *request, const char *sender,
 *				const char *address, RESOLVE_RESULT *result);
 *
 * DESCRIPTION
 *	The address logic of trivial-rewrite(8), free of IPC so that unit
 *	tests call it directly; trivial_rewrite.c is the service around
 *	it. Each module reads its main.cf parameters through VAR_*();
 *	the *_init() functions open tables and lists and must be called
 *	again (after the matching *_free()) when the parameters change.
 *
 *	rewrite_address() rewrites one internal-form address under rule
 *	REWRITE_RULE_LOCAL or REWRITE_RULE_REMOTE (false: unknown rule).
 *	An address longer than TRIVIAL_REWRITE_ADDRESS_LIMIT is copied
 *	unchanged; resolve_address() answers it as bad syntax.
 *
 *	rewrite_unqualified() turns an address without "@" into one with
 *	it when swap_bangpath (host!user) or allow_percent_hack
 *	(user%host) allows; true when it changed addr (scratch is work
 *	space). Both rewriting and resolving use it.
 *
 *	resolve_class() returns the RESOLVE_CLASS_* bit of a lowercase
 *	domain (local, alias, virtual, relay, default), or
 *	RESOLVE_FLAG_FAIL when a table lookup failed; resolve_class_local()
 *	answers 1 (local), 0 (not) or -1 (lookup failure).
 *
 *	TRANSPORT_ROUTE holds the routing parameters of one kind of
 *	request: the ordinary ones, or (verify) the address_verify_*
 *	overrides. transport_table_lookup() searches transport_maps for
 *	address: 1 found (transport and nexthop hold the two fields,
 *	either may be empty), 0 not found, -1 lookup failure.
 *	transport_table_sender() searches sender-dependent tables with
 *	the sender address and then "@domain" (empty_key for the null
 *	sender): 1 found (DUNNO counts as not found), 0 not, -1 failure.
 *	transport_split() splits "transport:nexthop" at the first ':'.
 *
 *	resolve_address() resolves an address for request
 *	(REWRITE_REQ_RESOLVE, _RESOLVE_VERIFY or _RESOLVE_SENDER).
 */
#ifndef TRIVIAL_REWRITE_H
#define TRIVIAL_REWRITE_H

#include "sys_defs.h"
#include "vstring.h"
#include "maps.h"
#include "rewrite_proto.h"

typedef struct TRANSPORT_ROUTE {
    const char *name;			/* "resolve" or "verify" */
    char   *local_transport;
    char   *virtual_transport;
    char   *relay_transport;
    char   *default_transport;
    char   *relayhost;
    MAPS   *transport_maps;		/* NULL when empty */
    MAPS   *sender_relayhost_maps;	/* NULL when empty */
    MAPS   *sender_transport_maps;	/* NULL when empty */
    bool    parent_match;		/* transport_maps in parent_domain... */
} TRANSPORT_ROUTE;

typedef struct RESOLVE_RESULT {
    int     flags;			/* RESOLVE_FLAG_* | RESOLVE_CLASS_* */
    VSTRING *transport;
    VSTRING *nexthop;
    VSTRING *recipient;
} RESOLVE_RESULT;

/* rewrite_address.c */
extern bool rewrite_unqualified(VSTRING *addr, VSTRING *scratch);
extern bool rewrite_address(const char *rule, const char *address,
			            VSTRING *result);

/* resolve_class.c */
extern void resolve_class_init(void);
extern void resolve_class_free(void);
extern int resolve_class(const char *domain);
extern int resolve_class_local(const char *domain);

/* transport_table.c */
extern TRANSPORT_ROUTE *transport_route_create(bool verify);
extern void transport_route_free(TRANSPORT_ROUTE *route);
extern int transport_table_lookup(TRANSPORT_ROUTE *route, const char *address,
				          VSTRING *transport, VSTRING *nexthop);
extern int transport_table_sender(MAPS *maps, const char *sender,
			               const char *empty_key, VSTRING *result);
extern void transport_split(const char *value, VSTRING *transport,
			            VSTRING *nexthop);

/* resolve_address.c */
extern void resolve_address_init(void);
extern void resolve_address_free(void);
extern void resolve_result_init(RESOLVE_RESULT *result);
extern void resolve_result_free(RESOLVE_RESULT *result);
extern void resolve_address(const char *request, const char *sender,
			            const char *address, RESOLVE_RESULT *result);

/*
 * Longest address that is rewritten or resolved (bytes); longer ones are
 * left alone (rewrite) or answered as bad syntax (resolve). Requests may
 * carry values of up to TRIVIAL_REWRITE_VALUE_LIMIT, so that a long
 * address gets an answer instead of a refusal that its client would retry.
 */
#define TRIVIAL_REWRITE_ADDRESS_LIMIT	4096
#define TRIVIAL_REWRITE_VALUE_LIMIT	65536

#endif
