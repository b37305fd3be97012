/*
 * smtp_addr - from a next hop to the ordered list of servers to try
 *
 * SYNOPSIS
 *	#include "smtp_addr.h"
 *
 *	See smtp_addr.h.
 *
 * DESCRIPTION
 *	The order of work for one destination:
 * .IP 1.
 *	A UNIX-domain LMTP destination is one entry; a numeric address
 *	is one entry (its family must be enabled by inet_protocols).
 * .IP 2.
 *	"[host]", LMTP TCP destinations, and every destination when DNS
 *	lookups are off (smtp_dns_support_level = disabled, or empty with
 *	disable_dns_lookups = yes) are host names: their addresses only.
 * .IP 3.
 *	Otherwise, when the destination's service (the port as written,
 *	"smtp" by default) is listed in use_srv_lookup, the SRV records
 *	of "_service._tcp.domain" give the hosts, in
 *	smtp_addr_srv_sort() order, each with the port of its record.
 *	No SRV record, or a failed lookup, falls back to step 4 with
 *	allow_srv_lookup_fallback = yes (a failed lookup also with
 *	ignore_srv_lookup_error = yes), else the destination fails.
 *	Records whose target is "." are dropped.
 * .IP 4.
 *	MX records, sorted by preference. A domain without MX records
 *	(NODATA) is its own mail exchanger with preference 0 (its A/AAAA
 *	records), and so is a domain that does not exist (its address
 *	lookup then fails: "... name=X type=A: Host not found", 5.4.4, as
 *	Debian's Postfix 3.7 reports it); a failed MX lookup defers
 *	(4.4.3) unless ignore_mx_lookup_error = yes, which uses the
 *	domain's own addresses. A single MX record with the target "." is
 *	RFC 7505's null MX: "Domain X does not accept mail (nullMX)",
 *	5.1.0 as Debian's.
 * .PP
 *	Host addresses come from the DNS (A and AAAA for the families of
 *	inet_protocols), from the system's resolver with smtp_host_lookup
 *	= native, or from the DNS and then, for hosts that the DNS does
 *	not know, the system's resolver ("dns, native"). With
 *	smtp_cname_overrides_servername = yes a host's name becomes the
 *	end of its CNAME chain.
 *
 *	Loop detection (SMTP only, and only for servers on the port
 *	of $smtp_tcp_port, 25: Debian's Postfix 3.7 connects to itself
 *	on another port, as a content filter setup needs): addresses that
 *	are our own (inet_interfaces, proxy_interfaces) mark their
 *	preference; every entry of that preference or worse goes. When
 *	this host is the best mail exchanger, the result is
 *	SMTP_ADDR_BEST_MX when best_mx_transport is set, else the failure
 *	"mail for DOMAIN loops back to myself" (5.4.6). This holds for
 *	"[host]" and "[address]" as well (step 2: the host is its own
 *	best MX): Debian's Postfix 3.7 says "mail for 127.0.0.32 loops
 *	back to myself" for "[127.0.0.32]" when that address is in
 *	proxy_interfaces. LMTP never checks.
 *
 *	Host lookups stop at the first MX (or SRV) preference that could
 *	not make the cut of smtp_mx_address_limit any more (with
 *	smtp_balance_inet_protocols, only once both families are in), so
 *	that a domain with many MX hosts costs few lookups.
 *
 *	When no address is left, the reason is that of the host lookups:
 *	4.4.3 when one of them failed temporarily, otherwise 5.4.4, or
 *	4.4.4 for MX hosts with smtp_defer_if_no_mx_address_found = yes.
 *
 *	Finally smtp_addr_order() applies smtp_randomize_addresses,
 *	smtp_address_preference, smtp_mx_address_limit and
 *	smtp_balance_inet_protocols (SRV lists are not shuffled again:
 *	their weighted order stands).
 *
 * DIAGNOSTICS
 *	Fatal: a bad smtp_address_preference, smtp_host_lookup or
 *	smtp_dns_support_level value (Postfix's smtp(8) refuses them too).
 *	Warning: more than SMTP_ADDR_MAX addresses (the rest are dropped).
 */
#include "sys_defs.h"

#include <string.h>
#include <strings.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/time.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include "msg.h"
#include "mymalloc.h"
#include "argv.h"
#include "stringops.h"
#include "vstring.h"
#include "inet_proto.h"
#include "own_inet_addr.h"
#include "dns.h"
#include "dns_native.h"
#include "smtp.h"
#include "smtp_addr.h"

#define SMTP_LOOKUP_DNS		(1<<0)
#define SMTP_LOOKUP_NATIVE	(1<<1)

/*
 * The state of one resolution: the entries so far, the reason of the
 * worst host lookup failure, and where our own addresses were seen.
 */
typedef struct SMTP_ADDR_WORK {
    SMTP_ADDR_LIST *list;
    int     lookup;			/* SMTP_LOOKUP_* */
    int     host_status;		/* worst failed host lookup */
    VSTRING *host_why;			/* its reason */
    int     self_pref;			/* best own preference, or -1 */
    int     dropped;			/* entries over SMTP_ADDR_MAX */
    unsigned loop_port;			/* the port loops are checked for */
} SMTP_ADDR_WORK;

/* smtp_addr_proto - inet_protocols, made the process-wide setting once */

static const INET_PROTO_INFO *smtp_addr_proto(void)
{
    static const INET_PROTO_INFO *proto;

    /* Also for own_inet_addr() and the native lookups, which ask for it. */
    if (proto == NULL)
	proto = inet_proto_init(PARAM_NAME(inet_protocols),
				VAR_STR(inet_protocols));
    return (proto);
}

/* smtp_addr_seed - seed random() once per process, for the shuffles */

static void smtp_addr_seed(void)
{
    static bool seeded;
    struct timeval tv;

    /* Without this every new smtp process would shuffle alike. */
    if (!seeded) {
	gettimeofday(&tv, NULL);
	srandom((unsigned) (tv.tv_sec ^ tv.tv_usec ^ (getpid() << 16)));
	seeded = true;
    }
}

static int smtp_addr_finish(SMTP_ADDR_WORK *, const SMTP_DEST *, int, int,
			            int, DSN_BUF *);

/* smtp_addr_list_append - add one entry */

void    smtp_addr_list_append(SMTP_ADDR_LIST *list, const char *name,
			              const char *addr, unsigned port,
			              int family, int pref)
{
    SMTP_ADDR *ent;

    list->addrs = myrealloc(list->addrs,
			    (size_t) (list->count + 1) * sizeof(*list->addrs));
    ent = list->addrs + list->count++;
    ent->name = mystrdup(name);
    ent->addr = mystrdup(addr);
    ent->port = port;
    ent->family = family;
    ent->pref = pref;
}

/* smtp_addr_list_free - release the entries */

void    smtp_addr_list_free(SMTP_ADDR_LIST *list)
{
    int     n;

    for (n = 0; n < list->count; n++) {
	myfree(list->addrs[n].name);
	myfree(list->addrs[n].addr);
    }
    if (list->addrs)
	myfree(list->addrs);
    list->addrs = NULL;
    list->count = 0;
}

/* smtp_addr_shuffle - random order of entries [first, last) */

static void smtp_addr_shuffle(SMTP_ADDR *addrs, int first, int last)
{
    SMTP_ADDR tmp;
    int     i;
    int     j;

    for (i = last - 1; i > first; i--) {
	j = first + (int) ((unsigned long) random() % (unsigned long) (i - first + 1));
	tmp = addrs[i];
	addrs[i] = addrs[j];
	addrs[j] = tmp;
    }
}

/* smtp_addr_prefer - stable: entries of family first in [first, last) */

static void smtp_addr_prefer(SMTP_ADDR *addrs, int first, int last,
			             int family)
{
    SMTP_ADDR *copy;
    int     n;
    int     out = first;

    copy = mymalloc((size_t) (last - first) * sizeof(*copy));
    memcpy(copy, addrs + first, (size_t) (last - first) * sizeof(*copy));
    for (n = 0; n < last - first; n++)
	if (copy[n].family == family)
	    addrs[out++] = copy[n];
    for (n = 0; n < last - first; n++)
	if (copy[n].family != family)
	    addrs[out++] = copy[n];
    myfree(copy);
}

/* smtp_addr_drop - free entry n, mark it for removal */

static void smtp_addr_drop(SMTP_ADDR *ent)
{
    myfree(ent->name);
    myfree(ent->addr);
    ent->name = ent->addr = NULL;
}

/* smtp_addr_compact - remove dropped entries, keep the order */

static void smtp_addr_compact(SMTP_ADDR_LIST *list)
{
    int     n;
    int     out = 0;

    for (n = 0; n < list->count; n++)
	if (list->addrs[n].name != NULL)
	    list->addrs[out++] = list->addrs[n];
    list->count = out;
}

/* smtp_addr_limit - cut to limit entries, both families when balanced */

static void smtp_addr_limit(SMTP_ADDR_LIST *list, int limit, int balance)
{
    int     count_first = 0;
    int     count_other = 0;
    int     keep_first;
    int     keep_other;
    int     first_family;
    int     n;

    if (limit <= 0 || list->count <= limit)
	return;
    first_family = list->addrs[0].family;
    for (n = 0; n < list->count; n++) {
	if (list->addrs[n].family == first_family)
	    count_first++;
	else
	    count_other++;
    }
    if (!balance || count_other == 0 || limit < 2) {
	keep_first = limit;
	keep_other = 0;
	for (n = 0; n < list->count; n++)
	    if (n >= limit)
		smtp_addr_drop(list->addrs + n);
    } else {
	keep_first = (limit + 1) / 2;
	if (count_other < limit - keep_first)
	    keep_first = limit - count_other;
	if (keep_first > count_first)
	    keep_first = count_first;
	keep_other = limit - keep_first;
	for (n = 0; n < list->count; n++) {
	    if (list->addrs[n].family == first_family) {
		if (keep_first > 0)
		    keep_first--;
		else
		    smtp_addr_drop(list->addrs + n);
	    } else {
		if (keep_other > 0)
		    keep_other--;
		else
		    smtp_addr_drop(list->addrs + n);
	    }
	}
    }
    smtp_addr_compact(list);
}

/* smtp_addr_order - randomize, prefer a family, limit */

void    smtp_addr_order(SMTP_ADDR_LIST *list, const SMTP_ADDR_POLICY *policy)
{
    int     first;
    int     last;

    for (first = 0; first < list->count; first = last) {
	for (last = first + 1; last < list->count
	     && list->addrs[last].pref == list->addrs[first].pref; last++)
	     /* void */ ;
	if (policy->randomize)
	    smtp_addr_shuffle(list->addrs, first, last);
	if (policy->preference == SMTP_ADDR_PREF_IPV4)
	    smtp_addr_prefer(list->addrs, first, last, AF_INET);
	else if (policy->preference == SMTP_ADDR_PREF_IPV6)
	    smtp_addr_prefer(list->addrs, first, last, AF_INET6);
    }
    smtp_addr_limit(list, policy->limit, policy->balance);
}

/* smtp_addr_srv_weighted - RFC 2782 weighted order of array[first, last) */

static void smtp_addr_srv_weighted(DNS_RR **array, size_t first, size_t last)
{
    unsigned long total;
    unsigned long pick;
    unsigned long running;
    size_t  n;
    size_t  m;
    DNS_RR *rr;

    /* Zero weights first, so that they have a small chance (RFC 2782). */
    for (n = first; n < last; n++) {
	for (m = n; m > first && array[m - 1]->weight > 0
	     && array[m]->weight == 0; m--) {
	    rr = array[m];
	    array[m] = array[m - 1];
	    array[m - 1] = rr;
	}
    }
    for (n = first; n < last; n++) {
	total = 0;
	for (m = n; m < last; m++)
	    total += array[m]->weight;
	pick = total ? (unsigned long) random() % (total + 1) : 0;
	running = 0;
	for (m = n; m < last; m++) {
	    running += array[m]->weight;
	    if (running >= pick)
		break;
	}
	if (m == last)
	    m = last - 1;
	rr = array[m];
	memmove(array + n + 1, array + n, (m - n) * sizeof(*array));
	array[n] = rr;
    }
}

/* smtp_addr_srv_sort - priority order, weights within a priority */

DNS_RR *smtp_addr_srv_sort(DNS_RR *list, int randomize)
{
    DNS_RR **array;
    DNS_RR *rr;
    size_t  count = dns_rr_count(list);
    size_t  first;
    size_t  last;
    size_t  n;

    list = dns_rr_sort_mx(list);		/* priority, then weight down */
    if (!randomize || count < 2)
	return (list);
    array = mymalloc(count * sizeof(*array));
    for (n = 0, rr = list; rr != NULL; rr = rr->next)
	array[n++] = rr;
    for (first = 0; first < count; first = last) {
	for (last = first + 1; last < count
	     && array[last]->pref == array[first]->pref; last++)
	     /* void */ ;
	smtp_addr_srv_weighted(array, first, last);
    }
    for (n = 0; n + 1 < count; n++)
	array[n]->next = array[n + 1];
    array[count - 1]->next = NULL;
    list = array[0];
    myfree(array);
    return (list);
}

/* smtp_addr_policy - the ordering parameters */

static void smtp_addr_policy(SMTP_ADDR_POLICY *policy)
{
    const char *pref = SMTP_STR(address_preference);

    policy->randomize = SMTP_BOOL(randomize_addresses);
    policy->balance = SMTP_BOOL(balance_inet_protocols);
    policy->limit = (int) SMTP_INT(mx_address_limit);
    if (strcasecmp(pref, "any") == 0)
	policy->preference = SMTP_ADDR_PREF_ANY;
    else if (strcasecmp(pref, "ipv4") == 0)
	policy->preference = SMTP_ADDR_PREF_IPV4;
    else if (strcasecmp(pref, "ipv6") == 0)
	policy->preference = SMTP_ADDR_PREF_IPV6;
    else
	msg_fatal("bad %s value: %s", SMTP_PARAM_NAME(address_preference),
		  pref);
}

/* smtp_addr_lookup_mode - DNS and/or native host lookups */

static int smtp_addr_lookup_mode(void)
{
    const char *level = SMTP_STR(dns_support_level);
    const char *value = SMTP_STR(host_lookup);
    ARGV   *words;
    size_t  n;
    int     mode = 0;

    if (*level != 0) {
	if (strcasecmp(level, "disabled") == 0)
	    return (SMTP_LOOKUP_NATIVE);
	if (strcasecmp(level, "enabled") != 0
	    && strcasecmp(level, "dnssec") != 0)
	    msg_fatal("invalid %s: \"%s\"",
		      SMTP_PARAM_NAME(dns_support_level), level);
    } else if (VAR_BOOL(disable_dns_lookups)) {
	return (SMTP_LOOKUP_NATIVE);
    }
    words = argv_split(value, CHARS_COMMA_SP);
    for (n = 0; n < words->argc; n++) {
	if (strcasecmp(words->argv[n], "dns") == 0)
	    mode |= SMTP_LOOKUP_DNS;
	else if (strcasecmp(words->argv[n], "native") == 0)
	    mode |= SMTP_LOOKUP_NATIVE;
	else
	    msg_fatal("bad %s value: %s", SMTP_PARAM_NAME(host_lookup), value);
    }
    argv_free(words);
    if (mode == 0)
	msg_fatal("bad %s value: %s", SMTP_PARAM_NAME(host_lookup), value);
    return (mode);
}

/* smtp_addr_status_rank - order of lookup failures, worst last */

static int smtp_addr_status_rank(int status)
{
    switch (status) {
    case DNS_OK:
	return (0);
    case DNS_NOTFOUND:
	return (1);
    case DNS_NOTEXIST:
	return (2);
    case DNS_INVAL:
	return (3);
    case DNS_FAIL:
	return (4);
    default:					/* DNS_RETRY */
	return (5);
    }
}

/* smtp_addr_dns_why - Postfix's text for a DNS lookup that failed */

static void smtp_addr_dns_why(VSTRING *why, const char *name, int type,
			              int status)
{
    /* The library's NODATA text is not the one that smtp(8) logs. */
    if (status == DNS_NOTFOUND)
	vstring_sprintf(why, "Host or domain name not found. "
			"Name service error for name=%s type=%s: "
			"Host found but no data record of requested type",
			name, dns_type_name(type));
}

/* smtp_addr_dns_host - A/AAAA records of a host from the DNS */

static int smtp_addr_dns_host(const char *host, DNS_RR **addrs,
			              VSTRING *fqdn, VSTRING *why)
{
    const unsigned *types = smtp_addr_proto()->dns_atype_list;
    VSTRING *one_why = vstring_alloc(100);
    DNS_RR *found;
    int     worst = DNS_NOTFOUND;
    int     status;
    int     any = 0;

    *addrs = NULL;
    vstring_sprintf(why, "Name service error for %s: "
		    "no address family enabled", host);
    for (; *types != 0; types++) {
	found = NULL;
	status = dns_lookup(host, (int) *types, 0, &found, fqdn, one_why);
	if (status == DNS_OK) {
	    *addrs = dns_rr_append(*addrs, found);
	    any = 1;
	} else if (smtp_addr_status_rank(status)
		   >= smtp_addr_status_rank(worst)) {
	    worst = status;
	    smtp_addr_dns_why(one_why, host, (int) *types, status);
	    vstring_strcpy(why, vstring_str(one_why));
	}
    }
    vstring_free(one_why);
    return (any ? DNS_OK : worst);
}

/* smtp_addr_native_why - Postfix's text for a failed native lookup */

static void smtp_addr_native_why(VSTRING *why, const char *host)
{
    char   *text = mystrdup(vstring_str(why));
    const char *cause = strstr(text, ": ");

    /* The library says "Name service error for name=N: TEXT". */
    vstring_sprintf(why, "unable to look up host %s: %s", host,
		    cause ? cause + 2 : text);
    myfree(text);
}

/* smtp_addr_host_rr - A/AAAA records of one host, DNS and/or native */

static int smtp_addr_host_rr(const char *host, int mode, DNS_RR **addrs,
			             VSTRING *fqdn, VSTRING *why)
{
    int     status = DNS_NOTFOUND;

    *addrs = NULL;
    if (mode & SMTP_LOOKUP_DNS)
	status = smtp_addr_dns_host(host, addrs, fqdn, why);
    if (status != DNS_OK && (mode & SMTP_LOOKUP_NATIVE)
	&& (!(mode & SMTP_LOOKUP_DNS)
	    || status == DNS_NOTFOUND || status == DNS_NOTEXIST)) {
	status = dns_native_lookup(host, addrs, why);
	if (status != DNS_OK)
	    smtp_addr_native_why(why, host);
	if (fqdn)
	    vstring_strcpy(fqdn, host);
    }
    return (status);
}

/* smtp_addr_add_host - the addresses of one host into the list */

static void smtp_addr_add_host(SMTP_ADDR_WORK *work, const char *host,
			               unsigned port, int pref, bool loops)
{
    struct sockaddr_storage ss;
    socklen_t sslen;
    VSTRING *fqdn = vstring_alloc(100);
    VSTRING *why = vstring_alloc(100);
    VSTRING *pa = vstring_alloc(INET6_ADDRSTRLEN);
    const char *name = host;
    DNS_RR *addrs;
    DNS_RR *rr;
    int     status;

    status = smtp_addr_host_rr(host, work->lookup, &addrs, fqdn, why);
    if (status != DNS_OK) {
	if (smtp_addr_status_rank(status)
	    >= smtp_addr_status_rank(work->host_status)) {
	    work->host_status = status;
	    vstring_strcpy(work->host_why, vstring_str(why));
	}
    } else {
	if (SMTP_BOOL(cname_overrides_servername) && VSTRING_LEN(fqdn) > 0)
	    name = vstring_str(fqdn);
	for (rr = addrs; rr != NULL; rr = rr->next) {
	    if (dns_rr_to_sockaddr(rr, 0, &ss, &sslen) != 0)
		continue;
	    if (loops && port == work->loop_port
		&& own_inet_addr((struct sockaddr *) &ss)
		&& (work->self_pref < 0 || pref < work->self_pref))
		work->self_pref = pref;
	    if (work->list->count >= SMTP_ADDR_MAX) {
		work->dropped++;
		continue;
	    }
	    smtp_addr_list_append(work->list, name, dns_rr_to_pa(rr, pa),
				  port, ss.ss_family, pref);
	}
	dns_rr_free(addrs);
    }
    vstring_free(fqdn);
    vstring_free(why);
    vstring_free(pa);
}

/* smtp_addr_numeric - one entry for a numeric address */

static int smtp_addr_numeric(SMTP_ADDR_WORK *work, const SMTP_DEST *dest,
			             DSN_BUF *why)
{
    const INET_PROTO_INFO *proto = smtp_addr_proto();
    struct sockaddr_storage ss;
    struct sockaddr_in *sin = (struct sockaddr_in *) &ss;
    struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *) &ss;
    int     family = strchr(dest->host, ':') ? AF_INET6 : AF_INET;
    int     mask = family == AF_INET6 ? INET_PROTO_MASK_IPV6
    : INET_PROTO_MASK_IPV4;
    int     ok;

    memset(&ss, 0, sizeof(ss));
    ss.ss_family = family;
    ok = (proto->mask & mask) != 0
	&& inet_pton(family, dest->host, family == AF_INET6 ?
		     (void *) &sin6->sin6_addr : (void *) &sin->sin_addr) == 1;
    if (!ok) {
	dsb_simple(why, "5.4.4", "Name service error for %s: "
		   "invalid host or domain name", dest->host);
	return (SMTP_ADDR_FAIL);
    }
    if (dest->port == work->loop_port && own_inet_addr((struct sockaddr *) &ss))
	work->self_pref = 0;
    smtp_addr_list_append(work->list, dest->host, dest->host, dest->port,
			  family, 0);
    return (smtp_addr_finish(work, dest, 0, 0, 0, why));
}

/* smtp_addr_no_address - the failure when no host had an address */

static int smtp_addr_no_address(SMTP_ADDR_WORK *work, int mx, DSN_BUF *why)
{
    const char *status;

    if (work->host_status == DNS_RETRY)
	status = "4.4.3";
    else if (mx && SMTP_BOOL(defer_if_no_mx_address_found))
	status = "4.4.4";
    else
	status = "5.4.4";
    dsb_simple(why, status, "%s", VSTRING_LEN(work->host_why) ?
	       vstring_str(work->host_why) : "no address found");
    return (SMTP_ADDR_FAIL);
}

/* smtp_addr_finish - loop check, empty list, order */

static int smtp_addr_finish(SMTP_ADDR_WORK *work, const SMTP_DEST *dest,
			            int best_pref, int mx, int is_srv,
			            DSN_BUF *why)
{
    SMTP_ADDR_POLICY policy;
    SMTP_ADDR_LIST *list = work->list;
    int     n;

    if (work->dropped)
	msg_warn("%s: %d addresses over the limit of %d dropped",
		 dest->host, work->dropped, SMTP_ADDR_MAX);
    if (work->self_pref >= 0) {
	if (work->self_pref <= best_pref) {
	    smtp_addr_list_free(list);
	    if (*VAR_STR(best_mx_transport) != 0)
		return (SMTP_ADDR_BEST_MX);
	    dsb_simple(why, "5.4.6", "mail for %s loops back to myself",
		       dest->host);
	    return (SMTP_ADDR_FAIL);
	}
	for (n = 0; n < list->count; n++)
	    if (list->addrs[n].pref >= work->self_pref)
		smtp_addr_drop(list->addrs + n);
	smtp_addr_compact(list);
    }
    if (list->count == 0)
	return (smtp_addr_no_address(work, mx, why));
    smtp_addr_policy(&policy);
    if (is_srv)
	policy.randomize = 0;
    smtp_addr_order(list, &policy);
    return (SMTP_ADDR_OK);
}

/* smtp_addr_root - whether a target is the root ("no service here") */

static bool smtp_addr_root(const char *target)
{
    return (target[0] == 0 || strcmp(target, ".") == 0);
}

/* smtp_addr_both_families - whether a list has IPv4 and IPv6 entries */

static bool smtp_addr_both_families(const SMTP_ADDR_LIST *list)
{
    int     n;

    for (n = 1; n < list->count; n++)
	if (list->addrs[n].family != list->addrs[0].family)
	    return (true);
    return (false);
}

/* smtp_addr_hosts - the addresses of MX or SRV targets */

static int smtp_addr_hosts(SMTP_ADDR_WORK *work, const SMTP_DEST *dest,
			           DNS_RR *hosts, int is_srv, DSN_BUF *why)
{
    DNS_RR *rr;
    int     best_pref = (int) hosts->pref;
    int     limit = (int) SMTP_INT(mx_address_limit);
    int     balance = SMTP_BOOL(balance_inet_protocols);

    for (rr = hosts; rr != NULL; rr = rr->next) {
	if (work->self_pref >= 0 && (int) rr->pref > work->self_pref)
	    break;
	/* Worse hosts could not make the cut: spare their lookups. */
	if (limit > 0 && work->list->count >= limit
	    && (int) rr->pref > work->list->addrs[work->list->count - 1].pref
	    && (!balance || smtp_addr_both_families(work->list)))
	    break;
	if (smtp_addr_root(rr->data))
	    continue;
	smtp_addr_add_host(work, rr->data, is_srv ? rr->port : dest->port,
			   (int) rr->pref, true);
    }
    return (smtp_addr_finish(work, dest, best_pref, 1, is_srv, why));
}

/* smtp_addr_domain_self - a domain without MX: its own addresses */

static int smtp_addr_domain_self(SMTP_ADDR_WORK *work, const SMTP_DEST *dest,
				         DSN_BUF *why)
{
    smtp_addr_add_host(work, dest->host, dest->port, 0, true);
    return (smtp_addr_finish(work, dest, 0, 0, 0, why));
}

/* smtp_addr_mx - MX lookup and what follows from it */

static int smtp_addr_mx(SMTP_ADDR_WORK *work, const SMTP_DEST *dest,
			        DSN_BUF *why)
{
    VSTRING *text = vstring_alloc(100);
    DNS_RR *mx = NULL;
    int     status;
    int     ret;

    status = dns_lookup(dest->host, DNS_T_MX, 0, &mx, NULL, text);
    switch (status) {
    case DNS_OK:
	mx = dns_rr_sort_mx(mx);
	if (mx->next == NULL && smtp_addr_root(mx->data)) {
	    dsb_simple(why, "5.1.0", "Domain %s does not accept mail "
		       "(nullMX)", dest->host);
	    ret = SMTP_ADDR_FAIL;
	} else {
	    ret = smtp_addr_hosts(work, dest, mx, 0, why);
	}
	break;
    case DNS_NOTFOUND:
    case DNS_NOTEXIST:
	ret = smtp_addr_domain_self(work, dest, why);
	break;
    case DNS_RETRY:
	if (VAR_BOOL(ignore_mx_lookup_error)) {
	    ret = smtp_addr_domain_self(work, dest, why);
	} else {
	    dsb_simple(why, "4.4.3", "%s", vstring_str(text));
	    ret = SMTP_ADDR_FAIL;
	}
	break;
    case DNS_FAIL:
	dsb_simple(why, "5.4.3", "%s", vstring_str(text));
	ret = SMTP_ADDR_FAIL;
	break;
    default:					/* INVAL */
	dsb_simple(why, "5.4.4", "%s", vstring_str(text));
	ret = SMTP_ADDR_FAIL;
	break;
    }
    dns_rr_free(mx);
    vstring_free(text);
    return (ret);
}

/* smtp_addr_srv_wanted - whether use_srv_lookup lists the service */

static bool smtp_addr_srv_wanted(const SMTP_DEST *dest)
{
    ARGV   *names;
    size_t  n;
    bool    found = false;

    if (dest->service == NULL || *dest->service == 0
	|| *VAR_STR(use_srv_lookup) == 0)
	return (false);
    names = argv_split(VAR_STR(use_srv_lookup), CHARS_COMMA_SP);
    for (n = 0; n < names->argc && !found; n++)
	found = strcasecmp(names->argv[n], dest->service) == 0;
    argv_free(names);
    return (found);
}

/* smtp_addr_srv - SRV lookup, with the fallback rules */

static int smtp_addr_srv(SMTP_ADDR_WORK *work, const SMTP_DEST *dest,
			         DSN_BUF *why)
{
    VSTRING *name = vstring_alloc(100);
    VSTRING *text = vstring_alloc(100);
    DNS_RR *srv = NULL;
    DNS_RR *usable = NULL;
    DNS_RR *rr;
    DNS_RR *next;
    int     status;
    int     ret;

    vstring_sprintf(name, "_%s._tcp.%s", dest->service, dest->host);
    status = dns_lookup(vstring_str(name), DNS_T_SRV, 0, &srv, NULL, text);
    if (status == DNS_OK) {
	for (rr = srv; rr != NULL; rr = next) {
	    next = rr->next;
	    rr->next = NULL;
	    if (!smtp_addr_root(rr->data))
		usable = dns_rr_append(usable, rr);
	    else
		dns_rr_free(rr);
	}
	srv = NULL;
	if (usable == NULL) {
	    status = DNS_NOTFOUND;
	    vstring_sprintf(text, "SRV records for %s say that the "
			    "service is not available", vstring_str(name));
	}
    } else {
	smtp_addr_dns_why(text, vstring_str(name), DNS_T_SRV, status);
    }
    if (status == DNS_OK) {
	usable = smtp_addr_srv_sort(usable, SMTP_BOOL(randomize_addresses));
	ret = smtp_addr_hosts(work, dest, usable, 1, why);
    } else if (VAR_BOOL(allow_srv_lookup_fallback)
	       || ((status == DNS_RETRY || status == DNS_FAIL)
		   && VAR_BOOL(ignore_srv_lookup_error))) {
	ret = smtp_addr_mx(work, dest, why);
    } else {
	dsb_simple(why, status == DNS_RETRY ? "4.4.3" : "5.4.4", "%s",
		   vstring_str(text));
	ret = SMTP_ADDR_FAIL;
    }
    dns_rr_free(srv);
    dns_rr_free(usable);
    vstring_free(name);
    vstring_free(text);
    return (ret);
}

/* smtp_addr_default_port - the port of $smtp_tcp_port, or 25 */

static unsigned smtp_addr_default_port(void)
{
    VSTRING *why = vstring_alloc(100);
    unsigned port;

    if (smtp_dest_port(VAR_STR(smtp_tcp_port), &port, why) < 0)
	port = 25;
    vstring_free(why);
    return (port);
}

/* smtp_addr_resolve - a destination to the addresses to try */

int     smtp_addr_resolve(SMTP_STATE *state, const SMTP_DEST *dest,
			          SMTP_ADDR_LIST *list, DSN_BUF *why)
{
    SMTP_ADDR_WORK work;
    int     ret;

    (void) state;
    (void) smtp_addr_proto();
    smtp_addr_seed();
    list->addrs = NULL;
    list->count = 0;
    if (dest->is_unix) {
	smtp_addr_list_append(list, VAR_STR(myhostname), dest->host, 0,
			      AF_UNIX, 0);
	return (SMTP_ADDR_OK);
    }
    work.list = list;
    work.lookup = smtp_addr_lookup_mode();
    work.host_status = DNS_OK;
    work.host_why = vstring_alloc(100);
    work.self_pref = -1;
    work.dropped = 0;
    /* LMTP never checks for loops: no port matches 0. */
    work.loop_port = smtp_mode ? smtp_addr_default_port() : 0;
    if (dest->is_addr) {
	ret = smtp_addr_numeric(&work, dest, why);
    } else if (dest->no_mx || !(work.lookup & SMTP_LOOKUP_DNS)) {
	smtp_addr_add_host(&work, dest->host, dest->port, 0, true);
	ret = smtp_addr_finish(&work, dest, 0, 0, 0, why);
    } else if (smtp_addr_srv_wanted(dest)) {
	ret = smtp_addr_srv(&work, dest, why);
    } else {
	ret = smtp_addr_mx(&work, dest, why);
    }
    vstring_free(work.host_why);
    if (ret != SMTP_ADDR_OK)
	smtp_addr_list_free(list);
    return (ret);
}
