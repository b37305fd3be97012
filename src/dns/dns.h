/*
 * dns - DNS lookups for mail: A, AAAA, MX, PTR, TXT, SRV, TLSA, NS, CNAME
 *
 * SYNOPSIS
 *	#include "dns.h"
 *
 *	int	dns_lookup(const char *name, int type, int flags,
 *				DNS_RR **rrlist, VSTRING *fqdn, VSTRING *why);
 *	int	dns_lookup_types(const char *name, const int *types,
 *				int flags, DNS_RR **rrlist, VSTRING *fqdn,
 *				VSTRING *why);
 *	int	dns_lookup_ptr(const char *addr, DNS_RR **rrlist,
 *				VSTRING *why);
 *	DNS_RR	*dns_rr_sort_mx(DNS_RR *list);
 *	DNS_RR	*dns_rr_shuffle(DNS_RR *list);
 *	DNS_RR	*dns_rr_append(DNS_RR *list, DNS_RR *rr);
 *	void	dns_rr_free(DNS_RR *list);
 *	size_t	dns_rr_count(const DNS_RR *list);
 *	const char *dns_rr_to_pa(const DNS_RR *rr, VSTRING *buf);
 *	int	dns_rr_to_sockaddr(const DNS_RR *rr, unsigned port,
 *				struct sockaddr_storage *sa, socklen_t *len);
 *	const char *dns_type_name(int type);
 *	int	dns_type_code(const char *name);
 *	const char *dns_status_name(int status);
 *	void	dns_init(void);
 *	void	dns_reset(void);
 *	DNS_RR	*dns_rr_create(const char *qname, const char *rname,
 *				int type, unsigned ttl, const void *data,
 *				size_t data_len);
 *
 * DESCRIPTION
 *	This is the resolver library of smtpd (client name lookups, DNS
 *	restrictions, RBL/RHSBL) and of the smtp/lmtp client. It is built
 *	on libunbound (DESIGN.md section 6). One resolver context is made
 *	on first use per process and kept: from /etc/resolv.conf and
 *	/etc/hosts by default, or, when the parameter dns_resolver_address
 *	(ours, see postconf(5)) is not empty, forwarding every query to the
 *	listed servers ("address" or "address@port", separated by comma
 *	or space), which is how the tests point it at a real unbound on
 *	loopback. dns_init() makes the context at once: a daemon that
 *	chroots calls it before, so that resolv.conf and /etc/hosts are
 *	read from the real root (Postel addition). dns_reset() drops the
 *	context (after a main.cf reload, in tests). dns_rr_create() makes
 *	one record with a copy of its data (Postel addition, for the
 *	library and its tests).
 *
 *	dns_lookup() looks up records of one type (DNS_T_*) for name. It
 *	follows CNAME chains as the resolver returns them; fqdn (when not
 *	NULL) receives the final name. On DNS_OK, *rrlist (when rrlist is
 *	not NULL) is a list of records of the requested type, in answer
 *	order; the caller frees it with dns_rr_free(). dns_lookup_types()
 *	looks up each type of the list, ending with 0, and returns the
 *	records of all that exist (DNS_OK when any type had records; else
 *	the "worst" status of the lookups in the order NOTFOUND < RETRY <
 *	FAIL... see RESULTS).
 *
 *	dns_lookup_ptr() looks up the PTR records of a printable IPv4 or
 *	IPv6 address (it builds the in-addr.arpa / ip6.arpa name).
 *
 *	flags: DNS_REQ_DNSSEC asks for DNSSEC validation status (the
 *	records' DNS_RR_FLAG_VALIDATED; such lookups use a second,
 *	validating context with the trust anchors of dns_trust_anchor_file
 *	(ours); without that file every answer is insecure; an answer
 *	that fails validation is DNS_RETRY); DNS_REQ_NO_CNAME refuses an answer reached through a
 *	CNAME (as DNS_NOTFOUND). Names are checked first: an empty name,
 *	a label over 63 or a name over 255 octets, or a name with
 *	characters that cannot be sent is DNS_INVAL (no query is sent).
 *
 *	The reply limits: at most DNS_MAX_RR records are kept per lookup
 *	(more are dropped, with a warning), record data over DNS_MAX_DATA
 *	octets is refused as malformed, TXT strings are joined up to
 *	DNS_MAX_DATA octets.
 *
 *	Time limit: every query waits at most $dns_lookup_timeout seconds
 *	(ours; default 10s) in total including retries; a timeout is
 *	DNS_RETRY with the reason "timeout".
 *
 *	Negative caching: when dns_ncache_ttl_fix_enable is yes, the TTL
 *	of a negative answer reported in the rr list (DNS_NOTFOUND with
 *	rrlist set to the SOA, when the caller asks with DNS_REQ_SOA) is
 *	the minimum of the SOA record's TTL and its minimum field, as
 *	Postfix computes it. disable_dns_lookups = yes makes every lookup
 *	return DNS_FAIL with "DNS lookups are disabled" (callers then use
 *	native lookups, see dns_native.h).
 *
 * RESULTS
 *	DNS_OK		records found.
 *	DNS_NOTFOUND	the name exists but has no records of this type
 *			(NODATA), why says "Host found but no data
 *			record of type X"
 *	DNS_NOTEXIST	the name does not exist (NXDOMAIN), why says
 *			"Host or domain name not found. Name service error
 *			for name=N type=X: Host not found"
 *	DNS_RETRY	temporary failure (SERVFAIL, timeout, network):
 *			"Host or domain name not found. Name service error
 *			for name=N type=X: Host not found, try again"
 *	DNS_FAIL	permanent failure other than not-found (REFUSED,
 *			FORMERR, malformed reply, lookups disabled)
 *	DNS_INVAL	the name cannot be looked up (syntax)
 *	Callers treat NOTFOUND and NOTEXIST alike unless the difference
 *	matters (reject_unknown_* does: Postfix's "Host not found" vs
 *	"no data" replies).
 *
 * DIAGNOSTICS
 *	Warnings for malformed replies and for dropped records; "dns: ..."
 *	fatal errors only when libunbound cannot be set up at all.
 */
#ifndef DNS_H
#define DNS_H

#include "sys_defs.h"
#include <sys/socket.h>
#include "vstring.h"

/* Record types, with their IANA numbers. */
#define DNS_T_A		1
#define DNS_T_NS	2
#define DNS_T_CNAME	5
#define DNS_T_SOA	6
#define DNS_T_PTR	12
#define DNS_T_MX	15
#define DNS_T_TXT	16
#define DNS_T_AAAA	28
#define DNS_T_SRV	33
#define DNS_T_TLSA	52

/* Results. */
#define DNS_OK		0
#define DNS_NOTFOUND	1
#define DNS_NOTEXIST	2
#define DNS_RETRY	3
#define DNS_FAIL	4
#define DNS_INVAL	5

/* Request flags. */
#define DNS_REQ_DNSSEC	(1<<0)
#define DNS_REQ_NO_CNAME (1<<1)
#define DNS_REQ_SOA	(1<<2)	/* NOTFOUND/NOTEXIST: return the SOA */

/* Limits. */
#define DNS_MAX_RR	100
#define DNS_MAX_DATA	4096
#define DNS_NAME_MAX	255

/* Record flags. */
#define DNS_RR_FLAG_VALIDATED	(1<<0)	/* DNSSEC secure */
#define DNS_RR_FLAG_TRUNCATED	(1<<1)	/* TXT joined beyond the limit */

typedef struct DNS_RR {
    char   *qname;			/* name that was asked for */
    char   *rname;			/* owner name of this record */
    int     type;			/* DNS_T_* */
    int     flags;			/* DNS_RR_FLAG_* */
    unsigned ttl;			/* seconds */
    unsigned pref;			/* MX preference, SRV priority */
    unsigned weight;			/* SRV weight */
    unsigned port;			/* SRV port */
    /* TLSA: usage, selector, matching type; data is the association. */
    unsigned tlsa_usage, tlsa_selector, tlsa_mtype;
    /* SOA (DNS_REQ_SOA): the minimum field, for negative caching. */
    unsigned soa_minimum;
    /*
     * data: A 4 and AAAA 16 octets in network order; MX, NS, PTR,
     * CNAME, SRV: the target host name (no trailing dot), NUL
     * terminated; TXT: the strings joined, NUL terminated; TLSA: the
     * association data; SOA: the primary server name.
     */
    char   *data;
    size_t  data_len;
    struct DNS_RR *next;
} DNS_RR;

extern int dns_lookup(const char *name, int type, int flags,
		              DNS_RR **rrlist, VSTRING *fqdn, VSTRING *why);
extern int dns_lookup_types(const char *name, const int *types, int flags,
			            DNS_RR **rrlist, VSTRING *fqdn,
			            VSTRING *why);
extern int dns_lookup_ptr(const char *addr, DNS_RR **rrlist, VSTRING *why);
extern DNS_RR *dns_rr_create(const char *qname, const char *rname,
			              int type, unsigned ttl, const void *data,
			              size_t data_len);
extern DNS_RR *dns_rr_sort_mx(DNS_RR *list);
extern DNS_RR *dns_rr_shuffle(DNS_RR *list);
extern DNS_RR *dns_rr_append(DNS_RR *list, DNS_RR *rr);
extern void dns_rr_free(DNS_RR *list);
extern size_t dns_rr_count(const DNS_RR *list);
extern const char *dns_rr_to_pa(const DNS_RR *rr, VSTRING *buf);
extern int dns_rr_to_sockaddr(const DNS_RR *rr, unsigned port,
			              struct sockaddr_storage *sa,
			              socklen_t *len);
extern const char *dns_type_name(int type);
extern int dns_type_code(const char *name);
extern const char *dns_status_name(int status);
extern void dns_init(void);
extern void dns_reset(void);

#endif
