/*
 * dns_lookup - DNS lookups through libunbound, with a time limit
 *
 * SYNOPSIS
 *	#include "dns.h"
 *
 *	See dns.h.
 *
 * DESCRIPTION
 *	The interface and its results are described in dns.h. This file
 *	holds the resolver context and the lookup itself:
 *
 *	-  One libunbound context per process, made on first use: with
 *	   an empty $dns_resolver_address from /etc/resolv.conf and
 *	   /etc/hosts, else forwarding to the listed servers. The context
 *	   resolves in a background thread (ub_ctx_async), created with
 *	   every signal blocked so that signals stay with the main thread.
 *	   A context inherited across fork() is abandoned, not used.
 *	-  Lookups with DNS_REQ_DNSSEC use a second context made the same
 *	   way plus the trust anchors of $dns_trust_anchor_file (when set):
 *	   secure answers are marked validated, bogus ones are DNS_RETRY.
 *	-  Each query waits on the context's descriptor until an answer
 *	   comes or $dns_lookup_timeout passes; then it is cancelled and
 *	   the lookup is DNS_RETRY.
 *	-  libunbound's answer packet is parsed by dns_reply.c (owner
 *	   names, per-record TTLs, CNAME chains, the SOA of negative
 *	   answers); validation status comes from the result's secure and
 *	   bogus flags.
 *
 *	Not done here: the hostname syntax checks of record data (callers
 *	use valid_hostname()), smtp_dns_reply_filter, and the DNSSEC probe.
 *
 * DIAGNOSTICS
 *	Warnings: "dns_lookup: name=N type=X: malformed DNS reply: ...",
 *	"dns_lookup: dns_trust_anchor_file F: <libunbound error>",
 *	"dns_lookup: name=N type=X: dropped D records over the limit of
 *	100", "dns_lookup: bad dns_resolver_address entry: ...".
 *	Fatal: "dns: cannot create a libunbound context".
 */
#include "sys_defs.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <unbound.h>

#include "msg.h"
#include "mymalloc.h"
#include "vstring.h"
#include "mail_params.h"
#include "dns.h"
#include "dns_reply.h"

/*
 * Two contexts: [0] for ordinary lookups, [1] with the trust anchor of
 * $dns_trust_anchor_file for DNS_REQ_DNSSEC lookups (made only when that
 * parameter is set), so that a resolver that strips DNSSEC data can make
 * validating lookups fail but never the others.
 */
#define DNS_CTX_PLAIN	0
#define DNS_CTX_DNSSEC	1
static struct ub_ctx *dns_ctx[2];
static pid_t dns_ctx_pid[2];

/* dns_ctx_forwarders - forward to the servers of dns_resolver_address */

static void dns_ctx_forwarders(struct ub_ctx *ctx, const char *list)
{
    char   *copy = mystrdup(list);
    char   *cp = copy;
    char   *entry;
    int     err;

    while ((entry = strsep(&cp, ", \t\r\n")) != NULL) {
	if (*entry == 0)
	    continue;
	if ((err = ub_ctx_set_fwd(ctx, entry)) != 0)
	    msg_warn("dns_lookup: bad dns_resolver_address entry: %s: %s",
		     entry, ub_strerror(err));
    }
    myfree(copy);
}

/*
 * libunbound answers some names itself (RFC 6761 and AS112 zones, the
 * loopback reverse zones) unless they are removed. A mail system must
 * ask its resolver as the C library would: these are dropped, except
 * localhost, which /etc/hosts also gives.
 */
static const char *dns_default_zones[] = {
    "home.arpa.", "test.", "onion.", "invalid.", "0.in-addr.arpa.",
    "10.in-addr.arpa.", "127.in-addr.arpa.", "254.169.in-addr.arpa.",
    "2.0.192.in-addr.arpa.", "168.192.in-addr.arpa.",
    "100.51.198.in-addr.arpa.", "113.0.203.in-addr.arpa.",
    "255.255.255.255.in-addr.arpa.", "8.b.d.0.1.0.0.2.ip6.arpa.",
    "d.f.ip6.arpa.", "8.e.f.ip6.arpa.", "9.e.f.ip6.arpa.", "a.e.f.ip6.arpa.",
    "b.e.f.ip6.arpa.",
    0,
};

/* dns_ctx_drop_default_zones - let the resolver answer every name */

static void dns_ctx_drop_default_zones(struct ub_ctx *ctx)
{
    VSTRING *zone = vstring_alloc(100);
    const char **cpp;
    int     i;

    for (cpp = dns_default_zones; *cpp; cpp++)
	(void) ub_ctx_zone_remove(ctx, *cpp);
    for (i = 16; i < 32; i++) {
	vstring_sprintf(zone, "%d.172.in-addr.arpa.", i);
	(void) ub_ctx_zone_remove(ctx, vstring_str(zone));
    }
    for (i = 64; i < 128; i++) {
	vstring_sprintf(zone, "%d.100.in-addr.arpa.", i);
	(void) ub_ctx_zone_remove(ctx, vstring_str(zone));
    }
    /* The reverse zones of :: and ::1. */
    for (i = 0; i < 2; i++) {
	vstring_sprintf(zone, "%d.", i);
	while (VSTRING_LEN(zone) < 64)
	    vstring_strcat(zone, "0.");
	vstring_strcat(zone, "ip6.arpa.");
	(void) ub_ctx_zone_remove(ctx, vstring_str(zone));
    }
    vstring_free(zone);
}

/* dns_ctx_get - a resolver context of the process, made on first use */

static struct ub_ctx *dns_ctx_get(int which)
{
    const char *servers;
    const char *anchor = VAR_STR(dns_trust_anchor_file);
    struct ub_ctx *ctx;
    int     err;

    if (which == DNS_CTX_DNSSEC && *anchor == 0)
	which = DNS_CTX_PLAIN;
    if (dns_ctx[which] != NULL && dns_ctx_pid[which] == getpid())
	return (dns_ctx[which]);
    /* A context from before fork() has no thread here: abandon it. */
    if ((ctx = ub_ctx_create()) == NULL)
	msg_fatal("dns: cannot create a libunbound context");
    dns_ctx[which] = ctx;
    dns_ctx_pid[which] = getpid();
    (void) ub_ctx_set_option(ctx, "do-not-query-localhost:", "no");
    /* Keep records in the server's order: the callers sort or shuffle. */
    (void) ub_ctx_set_option(ctx, "rrset-roundrobin:", "no");
    servers = VAR_STR(dns_resolver_address);
    if (*servers != 0) {
	dns_ctx_forwarders(ctx, servers);
    } else {
	if ((err = ub_ctx_resolvconf(ctx, NULL)) != 0)
	    msg_warn("dns_lookup: /etc/resolv.conf: %s", ub_strerror(err));
	if ((err = ub_ctx_hosts(ctx, NULL)) != 0)
	    msg_warn("dns_lookup: /etc/hosts: %s", ub_strerror(err));
    }
    if (which == DNS_CTX_DNSSEC && (err = ub_ctx_add_ta_file(ctx, anchor)) != 0)
	msg_warn("dns_lookup: dns_trust_anchor_file %s: %s", anchor,
		 ub_strerror(err));
    if ((err = ub_ctx_async(ctx, 1)) != 0)
	msg_fatal("dns: cannot set up libunbound threads: %s",
		  ub_strerror(err));
    /* This finalizes the context: no configuration after it. */
    dns_ctx_drop_default_zones(ctx);
    return (ctx);
}

/* dns_init - make the resolver context now (before a chroot) */

void    dns_init(void)
{
    if (!VAR_BOOL(disable_dns_lookups)) {
	(void) dns_ctx_get(DNS_CTX_PLAIN);
	(void) dns_ctx_get(DNS_CTX_DNSSEC);
    }
}

/* dns_reset - drop the resolver context */

void    dns_reset(void)
{
    int     which;

    for (which = 0; which < 2; which++) {
	if (dns_ctx[which] != NULL && dns_ctx_pid[which] == getpid())
	    ub_ctx_delete(dns_ctx[which]);
	dns_ctx[which] = NULL;
    }
}

/* dns_name_check - syntax of a name that may be sent */

static int dns_name_check(const char *name)
{
    const unsigned char *cp;
    size_t  label = 0;
    size_t  total = 0;

    if (*name == 0 || *name == '.')
	return (0);
    for (cp = (const unsigned char *) name; *cp; cp++, total++) {
	if (*cp == '.') {
	    if (label == 0 && cp[1] != 0)
		return (0);			/* empty label */
	    label = 0;
	    continue;
	}
	if (*cp <= ' ' || *cp >= 0x7f || *cp == '\\' || *cp == '"')
	    return (0);
	if (++label > 63)
	    return (0);
    }
    return (total <= DNS_NAME_MAX);
}

typedef struct DNS_QUERY {
    int     done;
    int     err;
    struct ub_result *result;
} DNS_QUERY;

/* dns_query_done - libunbound callback: keep the result */

static void dns_query_done(void *context, int err, struct ub_result *result)
{
    DNS_QUERY *query = (DNS_QUERY *) context;

    query->done = 1;
    query->err = err;
    query->result = result;
}

/* dns_query - send one query and wait for it, at most the time limit */

static int dns_query(const char *name, int type, int flags,
		             DNS_QUERY *query)
{
    struct ub_ctx *ctx = dns_ctx_get((flags & DNS_REQ_DNSSEC) ?
				     DNS_CTX_DNSSEC : DNS_CTX_PLAIN);
    struct timeval start;
    struct timeval now;
    struct pollfd pfd;
    sigset_t all;
    sigset_t saved;
    long    limit_ms = (long) VAR_TIME(dns_lookup_timeout) * 1000;
    long    left_ms;
    int     async_id = 0;
    int     err;

    memset(query, 0, sizeof(*query));
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &saved);
    err = ub_resolve_async(ctx, name, type, 1, query, dns_query_done,
			   &async_id);
    pthread_sigmask(SIG_SETMASK, &saved, NULL);
    if (err != 0) {
	query->err = err;
	return (-1);
    }
    gettimeofday(&start, NULL);
    while (!query->done) {
	gettimeofday(&now, NULL);
	left_ms = limit_ms - ((now.tv_sec - start.tv_sec) * 1000L
			      + (now.tv_usec - start.tv_usec) / 1000L);
	if (left_ms <= 0) {
	    (void) ub_cancel(ctx, async_id);
	    return (-1);
	}
	pfd.fd = ub_fd(ctx);
	pfd.events = POLLIN;
	pfd.revents = 0;
	if (poll(&pfd, 1, (int) left_ms) < 0 && errno != EINTR)
	    msg_fatal("dns: poll: %m");
	if ((err = ub_process(ctx)) != 0) {
	    (void) ub_cancel(ctx, async_id);
	    query->err = err;
	    return (-1);
	}
    }
    return (query->err ? -1 : 0);
}

/* dns_error_text - Postfix's reason text for a failed lookup */

static void dns_error_text(VSTRING *why, const char *name, int type,
			           int status)
{
    const char *text;

    if (why == NULL)
	return;
    if (status == DNS_NOTFOUND) {
	vstring_sprintf(why, "Host found but no data record of type %s",
			dns_type_name(type));
	return;
    }
    switch (status) {
    case DNS_NOTEXIST:
	text = "Host not found";
	break;
    case DNS_RETRY:
	text = "Host not found, try again";
	break;
    case DNS_INVAL:
	text = "Malformed domain name";
	break;
    default:
	text = "Non-recoverable error";
	break;
    }
    vstring_sprintf(why, "Host or domain name not found. "
		    "Name service error for name=%s type=%s: %s",
		    name, dns_type_name(type), text);
}

/* dns_ncache_ttl - TTL of a negative answer from its SOA */

static void dns_ncache_ttl(DNS_RR *soa)
{
    if (VAR_BOOL(dns_ncache_ttl_fix_enable) && soa->soa_minimum < soa->ttl)
	soa->ttl = soa->soa_minimum;
}

/* dns_lookup - look up records of one type */

int     dns_lookup(const char *name, int type, int flags,
		           DNS_RR **rrlist, VSTRING *fqdn, VSTRING *why)
{
    DNS_QUERY query;
    DNS_REPLY reply = DNS_REPLY_INIT;
    DNS_RR *rr;
    char   *qname;
    size_t  len;
    int     status;

    if (rrlist)
	*rrlist = NULL;
    if (VAR_BOOL(disable_dns_lookups)) {
	if (why)
	    vstring_strcpy(why, "DNS lookups are disabled");
	return (DNS_FAIL);
    }
    if (!dns_name_check(name)) {
	dns_error_text(why, name, type, DNS_INVAL);
	return (DNS_INVAL);
    }
    qname = mystrdup(name);
    if ((len = strlen(qname)) > 1 && qname[len - 1] == '.')
	qname[len - 1] = 0;
    if (fqdn)
	vstring_strcpy(fqdn, qname);

    if (dns_query(qname, type, flags, &query) < 0) {
	if (msg_verbose)
	    msg_info("dns_lookup: name=%s type=%s: %s", qname,
		     dns_type_name(type),
		     query.err ? ub_strerror(query.err) : "timeout");
	dns_error_text(why, qname, type, DNS_RETRY);
	myfree(qname);
	return (DNS_RETRY);
    }
    if (query.result->answer_packet == NULL
	|| dns_reply_parse(query.result->answer_packet,
			   (size_t) query.result->answer_len, qname, type,
			   flags, &reply) < 0) {
	switch (query.result->rcode) {
	case 2:				/* SERVFAIL, also DNSSEC bogus */
	    status = DNS_RETRY;
	    break;
	case 3:
	    status = DNS_NOTEXIST;
	    break;
	default:
	    if (reply.why)
		msg_warn("dns_lookup: name=%s type=%s: %s", qname,
			 dns_type_name(type), vstring_str(reply.why));
	    status = DNS_FAIL;
	    break;
	}
	dns_error_text(why, qname, type, status);
	goto done;
    }
    if (reply.dropped)
	msg_warn("dns_lookup: name=%s type=%s: dropped %d records over "
		 "the limit of %d", qname, dns_type_name(type),
		 reply.dropped, DNS_MAX_RR);
    if (fqdn)
	vstring_strcpy(fqdn, vstring_str(reply.fqdn));
    switch (query.result->rcode) {
    case 0:
	status = (reply.records != NULL ? DNS_OK : DNS_NOTFOUND);
	break;
    case 2:
	status = DNS_RETRY;
	break;
    case 3:
	status = DNS_NOTEXIST;
	break;
    default:					/* FORMERR NOTIMP REFUSED ... */
	status = DNS_FAIL;
	break;
    }
    /* A validating resolver answers SERVFAIL for data that fails. */
    if (query.result->bogus) {
	if (msg_verbose)
	    msg_info("dns_lookup: name=%s type=%s: DNSSEC bogus: %s", qname,
		     dns_type_name(type), query.result->why_bogus ?
		     query.result->why_bogus : "(no reason)");
	status = DNS_RETRY;
    }
    if (status == DNS_OK && (flags & DNS_REQ_NO_CNAME) && reply.cname_seen)
	status = DNS_NOTFOUND;
    if (status == DNS_OK) {
	if ((flags & DNS_REQ_DNSSEC) && query.result->secure
	    && !query.result->bogus)
	    for (rr = reply.records; rr != NULL; rr = rr->next)
		rr->flags |= DNS_RR_FLAG_VALIDATED;
	if (rrlist) {
	    *rrlist = reply.records;
	    reply.records = NULL;
	}
    } else {
	dns_error_text(why, qname, type, status);
	if ((status == DNS_NOTFOUND || status == DNS_NOTEXIST)
	    && (flags & DNS_REQ_SOA) && rrlist && reply.soa) {
	    dns_ncache_ttl(reply.soa);
	    *rrlist = reply.soa;
	    reply.soa = NULL;
	}
    }

done:
    dns_reply_free(&reply);
    ub_resolve_free(query.result);
    myfree(qname);
    return (status);
}

/* dns_status_rank - order of the "worst" status for dns_lookup_types */

static int dns_status_rank(int status)
{
    switch (status) {
    case DNS_NOTFOUND:
	return (1);
    case DNS_NOTEXIST:
	return (2);
    case DNS_RETRY:
	return (3);
    case DNS_FAIL:
	return (4);
    case DNS_INVAL:
	return (5);
    default:
	return (0);
    }
}

/* dns_lookup_types - look up several types, keep all records found */

int     dns_lookup_types(const char *name, const int *types, int flags,
			         DNS_RR **rrlist, VSTRING *fqdn, VSTRING *why)
{
    DNS_RR *all = NULL;
    DNS_RR *found;
    VSTRING *one_why = vstring_alloc(100);
    int     worst = DNS_NOTFOUND;
    int     any_ok = 0;
    int     status;

    if (rrlist)
	*rrlist = NULL;
    for (; *types != 0; types++) {
	found = NULL;
	status = dns_lookup(name, *types, flags, rrlist ? &found : NULL,
			    fqdn, one_why);
	if (status == DNS_OK) {
	    any_ok = 1;
	    all = dns_rr_append(all, found);
	} else {
	    dns_rr_free(found);
	    if (dns_status_rank(status) >= dns_status_rank(worst)) {
		worst = status;
		if (why)
		    vstring_strcpy(why, vstring_str(one_why));
	    }
	}
    }
    vstring_free(one_why);
    if (any_ok) {
	if (rrlist)
	    *rrlist = all;
	else
	    dns_rr_free(all);
	return (DNS_OK);
    }
    return (worst);
}

/* dns_lookup_ptr - PTR records of a printable address */

int     dns_lookup_ptr(const char *addr, DNS_RR **rrlist, VSTRING *why)
{
    unsigned char bytes[16];
    VSTRING *name = vstring_alloc(100);
    int     status;
    int     i;

    if (rrlist)
	*rrlist = NULL;
    if (inet_pton(AF_INET, addr, bytes) == 1) {
	vstring_sprintf(name, "%u.%u.%u.%u.in-addr.arpa",
			bytes[3], bytes[2], bytes[1], bytes[0]);
    } else if (inet_pton(AF_INET6, addr, bytes) == 1) {
	VSTRING_RESET(name);
	for (i = 15; i >= 0; i--)
	    vstring_sprintf_append(name, "%x.%x.", bytes[i] & 0xf,
				   bytes[i] >> 4);
	vstring_strcat(name, "ip6.arpa");
    } else {
	if (why)
	    vstring_sprintf(why, "Name service error for name=%s type=PTR: "
			    "Malformed address", addr);
	vstring_free(name);
	return (DNS_INVAL);
    }
    status = dns_lookup(vstring_str(name), DNS_T_PTR, 0, rrlist, NULL, why);
    vstring_free(name);
    return (status);
}
