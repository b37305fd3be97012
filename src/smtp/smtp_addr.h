/*
 * smtp_addr - from a next hop to the ordered list of servers to try
 *
 * SYNOPSIS
 *	#include "smtp_addr.h"
 *
 *	typedef struct SMTP_ADDR { ... } SMTP_ADDR;	(below)
 *	typedef struct SMTP_ADDR_LIST { ... } SMTP_ADDR_LIST;
 *
 *	int	smtp_addr_resolve(SMTP_STATE *state, const SMTP_DEST *dest,
 *				SMTP_ADDR_LIST *list, DSN_BUF *why);
 *	void	smtp_addr_list_free(SMTP_ADDR_LIST *list);
 *
 *	Pure parts, for tests:
 *	void	smtp_addr_list_append(SMTP_ADDR_LIST *list,
 *				const char *name, const char *addr,
 *				unsigned port, int family, int pref);
 *	void	smtp_addr_order(SMTP_ADDR_LIST *list,
 *				const SMTP_ADDR_POLICY *policy);
 *	DNS_RR	*smtp_addr_srv_sort(DNS_RR *list, int randomize);
 *
 *	struct SMTP_SESSION *smtp_connect_addr(SMTP_STATE *state,
 *				const SMTP_ADDR *addr, DSN_BUF *why);
 *
 * DESCRIPTION
 *	smtp_addr_resolve() (smtp_addr.c) turns dest into the addresses
 *	to try, best first: for a domain, the MX hosts (sorted by
 *	preference, equal preferences shuffled with
 *	smtp_randomize_addresses), or SRV records with use_srv_lookup,
 *	or the domain's own A/AAAA records when there is no MX; for
 *	[host] or a numeric address, the host itself. It honours
 *	smtp_host_lookup (dns, native, both), inet_protocols,
 *	smtp_address_preference, smtp_balance_inet_protocols,
 *	smtp_mx_address_limit, ignore_mx_lookup_error,
 *	smtp_defer_if_no_mx_address_found and
 *	smtp_cname_overrides_servername, and it removes this host and
 *	the MX hosts not better than it ("mail for X loops back to
 *	myself", 5.4.6, unless best_mx_transport is set: then it
 *	returns SMTP_ADDR_BEST_MX and smtp.c hands the request over).
 *	Unix-domain LMTP destinations give one entry with family
 *	AF_UNIX. It returns SMTP_ADDR_OK with list filled (count > 0),
 *	SMTP_ADDR_BEST_MX, or SMTP_ADDR_FAIL with why set (status 4.x.x
 *	for a temporary DNS failure, 5.x.x for "Host or domain name not
 *	found"; status and reason only: no server was reached, so there
 *	is no remote MTA or diagnostic to report).
 *
 *	smtp_addr_order() puts an address list (already sorted by pref)
 *	in the order the client tries it: equal preferences shuffled when
 *	policy->randomize, then the preferred family first within each
 *	preference (SMTP_ADDR_PREF_IPV4/_IPV6; _ANY leaves the order),
 *	then cut to policy->limit entries (0: no limit); with
 *	policy->balance and both families present, the cut keeps both:
 *	the family of the first entry gets half the places rounded up,
 *	the other the rest (fewer when it has fewer addresses), each in
 *	list order. smtp_addr_srv_sort() orders SRV records by priority,
 *	and within one priority by weight: highest first without
 *	randomize, RFC 2782's weighted random choice with it.
 *	smtp_addr_list_append() adds one entry (copies of the strings).
 *
 *	For a unix-domain destination the entry's name is $myhostname
 *	and addr the socket path: Postfix's "test.example[/path]".
 *
 *	smtp_connect_addr() (smtp_connect.c) makes one TCP (or unix)
 *	connection to addr within smtp_connect_timeout, binding to
 *	smtp_bind_address / smtp_bind_address6 first when they are set,
 *	and returns a new session (smtp_session_alloc()), or NULL with
 *	why set ("connect to NAME[ADDR]:PORT: Connection refused",
 *	status 4.4.1; "... Connection timed out").
 */
#ifndef SMTP_ADDR_H
#define SMTP_ADDR_H

#include "sys_defs.h"
#include "smtp.h"
#include "smtp_dest.h"
#include "dns.h"

typedef struct SMTP_ADDR {
    char   *name;			/* MX host name, host, or unix path */
    char   *addr;			/* printable address, unix: path */
    unsigned port;			/* host byte order */
    int     family;			/* AF_INET, AF_INET6, AF_UNIX */
    int     pref;			/* MX/SRV preference; 0 without MX */
} SMTP_ADDR;

typedef struct SMTP_ADDR_LIST {
    SMTP_ADDR *addrs;
    int     count;
} SMTP_ADDR_LIST;

typedef struct SMTP_ADDR_POLICY {
    int     randomize;			/* shuffle equal preferences */
    int     preference;			/* SMTP_ADDR_PREF_* */
    int     balance;			/* keep both families in the limit */
    int     limit;			/* most entries, 0: no limit */
} SMTP_ADDR_POLICY;

#define SMTP_ADDR_PREF_ANY	0
#define SMTP_ADDR_PREF_IPV4	1
#define SMTP_ADDR_PREF_IPV6	2

#define SMTP_ADDR_MAX		1000	/* entries kept before the limit */

#define SMTP_ADDR_OK		0
#define SMTP_ADDR_FAIL		(-1)
#define SMTP_ADDR_BEST_MX	1	/* hand over to best_mx_transport */

extern int smtp_addr_resolve(SMTP_STATE *state, const SMTP_DEST *dest,
			             SMTP_ADDR_LIST *list, DSN_BUF *why);
extern void smtp_addr_list_free(SMTP_ADDR_LIST *list);
extern void smtp_addr_list_append(SMTP_ADDR_LIST *list, const char *name,
				          const char *addr, unsigned port,
				          int family, int pref);
extern void smtp_addr_order(SMTP_ADDR_LIST *list,
			            const SMTP_ADDR_POLICY *policy);
extern DNS_RR *smtp_addr_srv_sort(DNS_RR *list, int randomize);
extern struct SMTP_SESSION *smtp_connect_addr(SMTP_STATE *state,
				           const SMTP_ADDR *addr, DSN_BUF *why);

#endif
