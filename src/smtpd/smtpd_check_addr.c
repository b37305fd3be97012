/*
 * smtpd_check_addr - the host name and address restrictions of smtpd(8)
 *
 * SYNOPSIS
 *	#include "smtpd_check_addr.h"
 *
 *	extern const SMTPD_RESTRICTION smtpd_check_addr_table[];
 *
 *	int	smtpd_check_addr_tempfail(SMTPD_CHECK_CALL *call,
 *				const char *action, int code,
 *				const char *dsn, const char *fmt, ...);
 *	bool	smtpd_check_addr_resolve(SMTPD_CHECK_CALL *call,
 *				const char *addr, int *flags,
 *				char **resolved);
 *	int	smtpd_check_addr_lookup_error(SMTPD_CHECK_CALL *call,
 *				const char *addr);
 *
 * DESCRIPTION
 *	This module holds the restrictions that look at the syntax of the
 *	HELO name and of the envelope addresses, at their existence in the
 *	DNS, at the client's name lookups and at the address class of the
 *	recipient (relay control). The recipient table checks
 *	(reject_unlisted_*) and reject_unverified_* are in
 *	smtpd_check_rcpt.c; the table joining both is at the end of this
 *	file.
 *
 *	Replies, as Postfix 3.7 gives them (code from the parameter, the
 *	first digit of the enhanced code follows it):
 * .nf
 *	501 5.5.2 <h>: Helo command rejected: Invalid name
 *	501 5.5.2 <[h]>: Helo command rejected: invalid ip address
 *	504 5.5.2 <h>: Helo command rejected: need fully-qualified hostname
 *	504 5.5.2 <a>: Sender address rejected: need fully-qualified address
 *	450 4.7.1 <h>: Helo command rejected: Host not found
 *	450 4.1.8 <a@d>: Sender address rejected: Domain not found
 *	450 4.1.2 <a@d>: Recipient address rejected: Domain not found
 *	550 5.7.27 <a@d>: Sender address rejected: Domain d does not
 *		accept mail (nullMX)
 *	556 5.1.10 <a@d>: Recipient address rejected: Domain d does not
 *		accept mail (nullMX)
 *	450 4.7.25 Client host rejected: cannot find your hostname, [addr]
 *	450 4.7.1 Client host rejected: cannot find your reverse
 *		hostname, [addr]
 *	554 5.7.1 <a@d>: Relay access denied (454 4.7.1 when deferred)
 *	503 5.5.0 <a@d>: Recipient address rejected: Improper use of
 *		SMTP command pipelining
 *	451 4.3.0 <a@d>: Temporary lookup failure
 *	450 4.4.4 <a@d>: Recipient address rejected: Unable to look up
 *		mail exchanger information: Host not found, try again
 *		(permit_mx_backup, as "defer if reject")
 * .fi
 *	smtpd_check_addr_tempfail() answers a temporary failure according
 *	to a *_tempfail_action value ("defer" or "defer_if_permit").
 *	smtpd_check_addr_resolve() asks trivial-rewrite(8) for the class
 *	of an address (RESOLVE_CLASS_* and RESOLVE_FLAG_* in *flags, the
 *	resolved address in *resolved, to be freed by the caller); false
 *	when trivial-rewrite or one of its tables failed, and then
 *	smtpd_check_addr_lookup_error() gives the reply (also used for
 *	the failures of the recipient tables).
 *
 * DIAGNOSTICS
 *	Configuration mistakes in a *_tempfail_action value are warnings.
 *	DNS and table failures become temporary replies.
 */
#include "sys_defs.h"
#include <stdio.h>
#include <string.h>
#include <stdarg.h>
#include "msg.h"
#include "mymalloc.h"
#include "vstring.h"
#include "stringops.h"
#include "valid_hostname.h"
#include "inet_addr_list.h"
#include "inet_addr_local.h"
#include "myaddrinfo.h"
#include "mail_params.h"
#include "rewrite_client.h"
#include "host_addr_list.h"
#include "dns.h"
#include "smtpd_check_addr.h"

#define ERR_POLICY	MAIL_ERROR_POLICY
#define ERR_PROTOCOL	MAIL_ERROR_PROTOCOL

#define CLASS_FINAL	(RESOLVE_CLASS_LOCAL | RESOLVE_CLASS_ALIAS \
			 | RESOLVE_CLASS_VIRTUAL)

/* dsn_for - the enhanced code "C.x.y" for reply code with detail "x.y" */
static const char *dsn_for(char *buf, size_t len, int code, const char *detail)
{
    snprintf(buf, len, "%c.%s", code >= 500 ? '5' : '4', detail);
    return (buf);
}

/* sub_call - a copy of call that names what a restriction applies to */
static SMTPD_CHECK_CALL sub_call(SMTPD_CHECK_CALL *call, const char *name,
				         const char *class)
{
    SMTPD_CHECK_CALL sub = *call;

    sub.reply_name = name;
    sub.reply_class = class;
    return (sub);
}

/* smtpd_check_addr_tempfail - answer a temporary failure per action */
int     smtpd_check_addr_tempfail(SMTPD_CHECK_CALL *call, const char *action,
				          int code, const char *dsn,
				          const char *fmt,...)
{
    VSTRING *text = vstring_alloc(100);
    va_list ap;
    int     result;

    va_start(ap, fmt);
    vstring_vsprintf(text, fmt, ap);
    va_end(ap);
    if (strcasecmp(action, "defer") != 0
	&& strcasecmp(action, "defer_if_permit") != 0)
	msg_warn("unknown temporary failure action \"%s\"; using "
		 "defer_if_permit", action);
    if (strcasecmp(action, "defer") != 0)
	result = smtpd_check_defer_if_permit(call, ERR_POLICY, code, dsn,
					     "%s", vstring_str(text));
    else
	result = smtpd_check_reject(call, ERR_POLICY, code, dsn,
				    "%s", vstring_str(text));
    vstring_free(text);
    return (result);
}

/* smtpd_check_addr_resolve - address class from trivial-rewrite(8) */
bool    smtpd_check_addr_resolve(SMTPD_CHECK_CALL *call, const char *addr,
				         int *flags, char **resolved)
{
    RESOLVE_REPLY reply;
    bool    ok;

    resolve_reply_init(&reply);
    ok = rewrite_client_resolve(REWRITE_REQ_RESOLVE,
				call->state->sender ? call->state->sender : "",
				addr, &reply);
    if (ok && (reply.flags & RESOLVE_FLAG_FAIL))
	ok = false;
    *flags = ok ? reply.flags : 0;
    if (resolved)
	*resolved = ok ? mystrdup(vstring_str(reply.recipient)) : 0;
    resolve_reply_free(&reply);
    return (ok);
}

/* smtpd_check_addr_lookup_error - the reply when a lookup failed */
int     smtpd_check_addr_lookup_error(SMTPD_CHECK_CALL *call, const char *addr)
{
    SMTPD_CHECK_CALL sub = sub_call(call, addr, call->reply_class);

    return (smtpd_check_reject(&sub, MAIL_ERROR_RESOURCE, 451, "4.3.0",
			       "<%s>: Temporary lookup failure", addr));
}

/* helo_of - the HELO name: at HELO time the one being checked */
static const char *helo_of(SMTPD_CHECK_CALL *call)
{
    if (call->state->helo_name)
	return (call->state->helo_name);
    return (call->stage == SMTPD_STAGE_HELO ? call->reply_name : 0);
}

/* helo_literal_ok - whether "[addr]" is a valid address literal */
static bool helo_literal_ok(const char *name)
{
    size_t  len = strlen(name);
    char   *inner;
    bool    ok;

    if (len < 3 || name[len - 1] != ']')
	return (false);
    inner = mystrndup(name + 1, len - 2);
    if (strncasecmp(inner, "IPv6:", 5) == 0)
	ok = valid_ipv6_hostaddr(inner + 5, DONT_GRIPE);
    else
	ok = valid_ipv4_hostaddr(inner, DONT_GRIPE);
    myfree(inner);
    return (ok);
}

/* strip_dot - a copy of name without one trailing dot */
static char *strip_dot(const char *name)
{
    char   *copy = mystrdup(name);
    size_t  len = strlen(copy);

    if (len > 1 && copy[len - 1] == '.')
	copy[len - 1] = 0;
    return (copy);
}

/* fqdn_ok - whether name (not a literal) is a fully-qualified name */
static bool fqdn_ok(const char *domain)
{
    char   *name = strip_dot(domain);
    bool    ok;

    ok = strchr(name, '.') != 0 && valid_hostname(name, DONT_GRIPE);
    myfree(name);
    return (ok);
}

/* valid_name_ok - whether name (not a literal) is a valid host name */
static bool valid_name_ok(const char *helo)
{
    char   *name = strip_dot(helo);
    bool    ok;

    ok = valid_hostname(name, DONT_GRIPE) || valid_hostaddr(name, DONT_GRIPE);
    myfree(name);
    return (ok);
}

/* check_helo_name - a HELO name test: literal syntax, then name_ok */
static int check_helo_name(SMTPD_CHECK_CALL *call,
			           bool (*name_ok) (const char *),
			           long code, const char *why)
{
    const char *helo = helo_of(call);
    SMTPD_CHECK_CALL sub;
    char    dsn[16];

    if (helo == 0 || *helo == 0)
	return (SMTPD_CHECK_DUNNO);
    sub = sub_call(call, helo, "Helo command");
    if (*helo == '[') {
	if (helo_literal_ok(helo))
	    return (SMTPD_CHECK_DUNNO);
	code = VAR_INT(invalid_hostname_reject_code);
	why = "invalid ip address";
    } else if (name_ok(helo)) {
	return (SMTPD_CHECK_DUNNO);
    }
    return (smtpd_check_reject(&sub, ERR_POLICY, (int) code,
			       dsn_for(dsn, sizeof(dsn), (int) code, "5.2"),
			       "<%s>: %s rejected: %s",
			       helo, sub.reply_class, why));
}

/* check_invalid_helo - reject_invalid_helo_hostname */
static int check_invalid_helo(SMTPD_CHECK_CALL *call)
{
    return (check_helo_name(call, valid_name_ok,
			    VAR_INT(invalid_hostname_reject_code),
			    "Invalid name"));
}

/* check_non_fqdn_helo - reject_non_fqdn_helo_hostname */
static int check_non_fqdn_helo(SMTPD_CHECK_CALL *call)
{
    return (check_helo_name(call, fqdn_ok, VAR_INT(non_fqdn_reject_code),
			    "need fully-qualified hostname"));
}

/* check_non_fqdn_addr - reject_non_fqdn_sender/_recipient for one address */
static int check_non_fqdn_addr(SMTPD_CHECK_CALL *call, const char *addr,
			               const char *class)
{
    SMTPD_CHECK_CALL sub;
    const char *at;
    char    dsn[16];
    int     code;

    if (addr == 0 || *addr == 0)
	return (SMTPD_CHECK_DUNNO);
    at = strrchr(addr, '@');
    if (at && at[1] == '[')
	return (SMTPD_CHECK_DUNNO);
    if (at && at[1] != 0 && fqdn_ok(at + 1))
	return (SMTPD_CHECK_DUNNO);
    sub = sub_call(call, addr, class);
    code = (int) VAR_INT(non_fqdn_reject_code);
    return (smtpd_check_reject(&sub, ERR_POLICY, code,
			       dsn_for(dsn, sizeof(dsn), code, "5.2"),
			       "<%s>: %s rejected: need fully-qualified address",
			       addr, class));
}

/* check_non_fqdn_sender - reject_non_fqdn_sender */
static int check_non_fqdn_sender(SMTPD_CHECK_CALL *call)
{
    return (check_non_fqdn_addr(call, call->state->sender, "Sender address"));
}

/* check_non_fqdn_rcpt - reject_non_fqdn_recipient */
static int check_non_fqdn_rcpt(SMTPD_CHECK_CALL *call)
{
    return (check_non_fqdn_addr(call, call->state->recipient,
				"Recipient address"));
}

/* check_unknown_helo - reject_unknown_helo_hostname */
static int check_unknown_helo(SMTPD_CHECK_CALL *call)
{
    static const int types[] = {DNS_T_A, DNS_T_AAAA, DNS_T_MX, 0};
    const char *helo = helo_of(call);
    SMTPD_CHECK_CALL sub;
    char   *name;
    int     status;
    int     code;
    char    dsn[16];

    if (helo == 0 || *helo == 0 || *helo == '[')
	return (SMTPD_CHECK_DUNNO);
    /* Any other name is looked up, even a bare address or "a..b". */
    name = strip_dot(helo);
    status = dns_lookup_types(name, types, 0, 0, 0, 0);
    myfree(name);
    if (status == DNS_OK)
	return (SMTPD_CHECK_DUNNO);
    sub = sub_call(call, helo, "Helo command");
    if (status == DNS_RETRY || status == DNS_FAIL)
	return (smtpd_check_addr_tempfail(&sub,
				VAR_STR(unknown_helo_hostname_tempfail_action),
					  450, "4.7.1",
					  "<%s>: %s rejected: Host not found",
					  helo, sub.reply_class));
    code = (int) VAR_INT(unknown_hostname_reject_code);
    return (smtpd_check_reject(&sub, ERR_POLICY, code,
			       dsn_for(dsn, sizeof(dsn), code, "7.1"),
			       "<%s>: %s rejected: Host not found",
			       helo, sub.reply_class));
}

/* domain_status - DNS status of a mail domain: MX, then A/AAAA */
static int domain_status(const char *domain, bool *nullmx)
{
    static const int addr_types[] = {DNS_T_A, DNS_T_AAAA, 0};
    DNS_RR *mx = 0;
    int     status;

    *nullmx = false;
    status = dns_lookup(domain, DNS_T_MX, 0, &mx, 0, 0);
    if (status == DNS_OK) {
	if (mx && mx->next == 0 && (mx->data == 0 || mx->data[0] == 0
				    || strcmp(mx->data, ".") == 0))
	    *nullmx = true;
	dns_rr_free(mx);
	return (DNS_OK);
    }
    if (status != DNS_NOTFOUND && status != DNS_NOTEXIST
	&& status != DNS_INVAL)
	return (status);
    return (dns_lookup_types(domain, addr_types, 0, 0, 0, 0));
}

/* check_unknown_domain - reject_unknown_sender/recipient_domain */
static int check_unknown_domain(SMTPD_CHECK_CALL *call, const char *addr,
				        const char *class, bool sender)
{
    SMTPD_CHECK_CALL sub;
    const char *at;
    char   *domain;
    int     flags;
    int     status;
    bool    nullmx;
    int     code;
    int     result;
    char    dsn[16];

    if (addr == 0 || *addr == 0 || (at = strrchr(addr, '@')) == 0
	|| at[1] == 0 || at[1] == '[')
	return (SMTPD_CHECK_DUNNO);
    sub = sub_call(call, addr, class);
    if (!smtpd_check_addr_resolve(&sub, addr, &flags, 0))
	return (smtpd_check_addr_lookup_error(&sub, addr));
    if (flags & CLASS_FINAL)
	return (SMTPD_CHECK_DUNNO);
    domain = strip_dot(at + 1);
    status = domain_status(domain, &nullmx);
    if (status == DNS_OK && !nullmx) {
	result = SMTPD_CHECK_DUNNO;
    } else if (status == DNS_OK) {
	result = smtpd_check_reject(&sub, ERR_POLICY, sender ? 550 : 556,
				    sender ? "5.7.27" : "5.1.10",
			    "<%s>: %s rejected: Domain %s does not accept "
				    "mail (nullMX)", addr, class, domain);
    } else if (status == DNS_RETRY || status == DNS_FAIL) {
	result = smtpd_check_addr_tempfail(&sub,
				       VAR_STR(unknown_address_tempfail_action),
					   450, sender ? "4.1.8" : "4.1.2",
					   "<%s>: %s rejected: Domain not found",
					   addr, class);
    } else {
	code = (int) VAR_INT(unknown_address_reject_code);
	result = smtpd_check_reject(&sub, ERR_POLICY, code,
				    dsn_for(dsn, sizeof(dsn), code,
					    sender ? "1.8" : "1.2"),
				    "<%s>: %s rejected: Domain not found",
				    addr, class);
    }
    myfree(domain);
    return (result);
}

/* check_unknown_sender - reject_unknown_sender_domain */
static int check_unknown_sender(SMTPD_CHECK_CALL *call)
{
    return (check_unknown_domain(call, call->state->sender,
				 "Sender address", true));
}

/* check_unknown_rcpt - reject_unknown_recipient_domain */
static int check_unknown_rcpt(SMTPD_CHECK_CALL *call)
{
    return (check_unknown_domain(call, call->state->recipient,
				 "Recipient address", false));
}

/* reject_client_name - the reply of the two client name restrictions */
static int reject_client_name(SMTPD_CHECK_CALL *call, int status,
			              const char *what, const char *detail)
{
    SMTPD_STATE *state = call->state;
    SMTPD_CHECK_CALL sub = sub_call(call, state->addr, "Client host");
    int     code;
    char    dsn[16];

    if (status == SMTPD_PEER_CODE_OK)
	return (SMTPD_CHECK_DUNNO);
    code = status == SMTPD_PEER_CODE_TEMP ? 450
	: (int) VAR_INT(unknown_client_reject_code);
    return (smtpd_check_reject(&sub, ERR_POLICY, code,
			       dsn_for(dsn, sizeof(dsn), code, detail),
			       "Client host rejected: cannot find your %s, [%s]",
			       what, state->addr));
}

/* check_unknown_client - reject_unknown_client_hostname */
static int check_unknown_client(SMTPD_CHECK_CALL *call)
{
    return (reject_client_name(call, call->state->name_status, "hostname",
			       "7.25"));
}

/* check_unknown_reverse - reject_unknown_reverse_client_hostname */
static int check_unknown_reverse(SMTPD_CHECK_CALL *call)
{
    return (reject_client_name(call, call->state->reverse_name_status,
			       "reverse hostname", "7.1"));
}

/* check_pipelining - reject_unauth_pipelining */
static int check_pipelining(SMTPD_CHECK_CALL *call)
{
    SMTPD_STATE *state = call->state;

    if ((state->flags & SMTPD_FLAG_ILL_PIPELINING) == 0)
	return (SMTPD_CHECK_DUNNO);
    return (smtpd_check_reject(call, ERR_PROTOCOL, 503, "5.5.0",
			       "<%s>: %s rejected: Improper use of SMTP "
			       "command pipelining", call->reply_name,
			       call->reply_class));
}

/* auth_destination - 1: authorized destination, 0: not, -1: lookup error */
static int auth_destination(SMTPD_CHECK_CALL *call, const char *rcpt)
{
    int     flags;

    if (!smtpd_check_addr_resolve(call, rcpt, &flags, 0))
	return (-1);
    if (flags & CLASS_FINAL)
	return (1);
    if ((flags & RESOLVE_CLASS_RELAY) && !(flags & RESOLVE_FLAG_ROUTED))
	return (1);
    return (0);
}

/* unauth_destination - reject/defer_unauth_destination */
static int unauth_destination(SMTPD_CHECK_CALL *call, int code)
{
    const char *rcpt = call->state->recipient;
    SMTPD_CHECK_CALL sub;
    int     status;
    char    dsn[16];

    if (rcpt == 0 || *rcpt == 0)
	return (SMTPD_CHECK_DUNNO);
    sub = sub_call(call, rcpt, "Recipient address");
    if ((status = auth_destination(&sub, rcpt)) < 0)
	return (smtpd_check_addr_lookup_error(&sub, rcpt));
    if (status > 0)
	return (SMTPD_CHECK_DUNNO);
    return (smtpd_check_reject(&sub, ERR_POLICY, code,
			       dsn_for(dsn, sizeof(dsn), code, "7.1"),
			       "<%s>: Relay access denied", rcpt));
}

/* check_reject_unauth - reject_unauth_destination */
static int check_reject_unauth(SMTPD_CHECK_CALL *call)
{
    return (unauth_destination(call,
			       (int) VAR_INT(relay_domains_reject_code)));
}

/* check_defer_unauth - defer_unauth_destination */
static int check_defer_unauth(SMTPD_CHECK_CALL *call)
{
    int     code = (int) VAR_INT(relay_domains_reject_code);

    /* The reject code made temporary: 554 becomes 454, as in Postfix. */
    return (unauth_destination(call, code >= 500 ? code - 100 : code));
}

/* check_permit_auth - permit_auth_destination */
static int check_permit_auth(SMTPD_CHECK_CALL *call)
{
    const char *rcpt = call->state->recipient;
    SMTPD_CHECK_CALL sub;
    int     status;

    if (rcpt == 0 || *rcpt == 0)
	return (SMTPD_CHECK_DUNNO);
    sub = sub_call(call, rcpt, "Recipient address");
    if ((status = auth_destination(&sub, rcpt)) < 0)
	return (smtpd_check_addr_lookup_error(&sub, rcpt));
    return (status > 0 ? SMTPD_CHECK_OK : SMTPD_CHECK_DUNNO);
}

/* local_addrs - the addresses this host receives mail on */
static INET_ADDR_LIST *local_addrs(void)
{
    static INET_ADDR_LIST *addrs;
    static const char *const params[] = {
	"inet_interfaces", "proxy_interfaces",
    };
    ARGV   *items;
    size_t  p, n;

    if (addrs)
	return (addrs);
    addrs = (INET_ADDR_LIST *) mymalloc(sizeof(*addrs));
    inet_addr_list_init(addrs);
    for (p = 0; p < 2; p++) {
	const char *value = p == 0 ? VAR_STR(inet_interfaces)
	    : VAR_STR(proxy_interfaces);

	items = argv_split(value, ", \t\r\n");
	for (n = 0; n < items->argc; n++) {
	    const char *item = items->argv[n];
	    struct addrinfo *res0 = 0, *res;

	    if (strcasecmp(item, "all") == 0) {
		static const int families[] = {AF_INET, AF_INET6, 0};

		inet_addr_local(addrs, 0, families);
		continue;
	    }
	    if (strcasecmp(item, "loopback-only") == 0)
		item = "127.0.0.1";
	    if (hostname_to_sockaddr(item, 0, SOCK_STREAM, &res0) != 0) {
		msg_warn("%s: cannot look up \"%s\"", params[p], item);
		continue;
	    }
	    for (res = res0; res; res = res->ai_next)
		inet_addr_list_append(addrs, res->ai_addr);
	    freeaddrinfo(res0);
	}
	argv_free(items);
    }
    return (addrs);
}

/* addr_is_local - whether an A/AAAA record is one of our addresses */
static bool addr_is_local(const DNS_RR *rr)
{
    struct sockaddr_storage ss;
    socklen_t len;

    if (dns_rr_to_sockaddr(rr, 0, &ss, &len) != 0)
	return (false);
    return (inet_addr_list_contains(local_addrs(),
				    (const struct sockaddr *) &ss));
}

/* mx_host_addrs - the A and AAAA records of one MX host */
static int mx_host_addrs(const char *host, DNS_RR **addrs)
{
    static const int types[] = {DNS_T_A, DNS_T_AAAA, 0};

    *addrs = 0;
    return (dns_lookup_types(host, types, 0, addrs, 0, 0));
}

/* primary_ok - whether the primary MX hosts match permit_mx_backup_networks */
static int primary_ok(DNS_RR *mx, unsigned best_pref)
{
    static HOST_ADDR_LIST *networks;
    const char *value = VAR_STR(permit_mx_backup_networks);
    DNS_RR *rr, *addrs, *a;
    VSTRING *buf;
    int     match = 0;

    if (*value == 0)
	return (1);
    if (networks == 0)
	networks = host_addr_list_create("permit_mx_backup_networks", value,
					 HOST_ADDR_LIST_FLAG_FATAL);
    buf = vstring_alloc(50);
    for (rr = mx; rr && match == 0; rr = rr->next) {
	if (rr->pref != best_pref)
	    continue;
	if (mx_host_addrs(rr->data, &addrs) != DNS_OK)
	    continue;
	for (a = addrs; a && match == 0; a = a->next)
	    match = host_addr_list_match(networks, 0, dns_rr_to_pa(a, buf));
	dns_rr_free(addrs);
    }
    vstring_free(buf);
    return (match);
}

/* mx_backup_status - 1: we are a backup MX, 0: not, -1: temporary error */
static int mx_backup_status(const char *domain, VSTRING *why)
{
    DNS_RR *mx = 0, *rr, *addrs, *a;
    unsigned best = ~0U;
    int     status;
    int     result = 0;

    status = dns_lookup(domain, DNS_T_MX, 0, &mx, 0, why);
    if (status == DNS_RETRY || status == DNS_FAIL)
	return (-1);
    if (status != DNS_OK)
	return (0);
    for (rr = mx; rr; rr = rr->next)
	if (rr->pref < best)
	    best = rr->pref;
    for (rr = mx; rr && result == 0; rr = rr->next) {
	if (rr->data == 0 || rr->data[0] == 0
	    || mx_host_addrs(rr->data, &addrs) != DNS_OK)
	    continue;
	for (a = addrs; a; a = a->next) {
	    if (addr_is_local(a)) {
		/* A primary MX is not a backup; otherwise check who is. */
		result = rr->pref == best ? -2 : 1;
		break;
	    }
	}
	dns_rr_free(addrs);
    }
    if (result == -2)
	result = 0;
    else if (result == 1 && primary_ok(mx, best) <= 0)
	result = 0;
    dns_rr_free(mx);
    return (result);
}

/* check_mx_backup - permit_mx_backup */
static int check_mx_backup(SMTPD_CHECK_CALL *call)
{
    const char *rcpt = call->state->recipient;
    SMTPD_CHECK_CALL sub;
    const char *at;
    char   *domain;
    int     flags;
    int     status;
    int     result;
    VSTRING *why;
    const char *reason;

    if (rcpt == 0 || *rcpt == 0)
	return (SMTPD_CHECK_DUNNO);
    sub = sub_call(call, rcpt, "Recipient address");
    if (!smtpd_check_addr_resolve(&sub, rcpt, &flags, 0))
	return (smtpd_check_addr_lookup_error(&sub, rcpt));
    if (flags & CLASS_FINAL)
	return (SMTPD_CHECK_OK);
    if (flags & RESOLVE_FLAG_ROUTED)
	return (SMTPD_CHECK_DUNNO);
    if (flags & RESOLVE_CLASS_RELAY)
	return (SMTPD_CHECK_OK);
    if ((at = strrchr(rcpt, '@')) == 0 || at[1] == 0 || at[1] == '[')
	return (SMTPD_CHECK_DUNNO);
    domain = strip_dot(at + 1);
    why = vstring_alloc(100);
    status = mx_backup_status(domain, why);
    myfree(domain);
    if (status < 0) {
	/* The resolver's reason without the "name service error" part. */
	reason = strrchr(vstring_str(why), ':');
	reason = reason ? reason + 1 + strspn(reason + 1, " ")
	    : "Host not found, try again";
	/* Deferred only if a later restriction would reject, as Postfix. */
	result = smtpd_check_defer_if_reject(&sub, ERR_POLICY, 450, "4.4.4",
					     "<%s>: %s rejected: Unable to "
					     "look up mail exchanger "
					     "information: %s",
					     rcpt, sub.reply_class, reason);
    } else {
	result = status > 0 ? SMTPD_CHECK_OK : SMTPD_CHECK_DUNNO;
    }
    vstring_free(why);
    return (result);
}

const SMTPD_RESTRICTION smtpd_check_addr_table[] = {
    {"reject_invalid_helo_hostname", check_invalid_helo, 0},
    {"reject_invalid_hostname", check_invalid_helo, 0},
    {"reject_non_fqdn_helo_hostname", check_non_fqdn_helo, 0},
    {"reject_non_fqdn_hostname", check_non_fqdn_helo, 0},
    {"reject_non_fqdn_sender", check_non_fqdn_sender, 0},
    {"reject_non_fqdn_recipient", check_non_fqdn_rcpt, 0},
    {"reject_unknown_helo_hostname", check_unknown_helo, 0},
    {"reject_unknown_hostname", check_unknown_helo, 0},
    {"reject_unknown_sender_domain", check_unknown_sender, 0},
    {"reject_unknown_recipient_domain", check_unknown_rcpt, 0},
    {"reject_unknown_client_hostname", check_unknown_client, 0},
    {"reject_unknown_client", check_unknown_client, 0},
    {"reject_unknown_reverse_client_hostname", check_unknown_reverse, 0},
    {"reject_unauth_destination", check_reject_unauth, 0},
    {"defer_unauth_destination", check_defer_unauth, 0},
    {"permit_auth_destination", check_permit_auth, 0},
    {"permit_mx_backup", check_mx_backup, 0},
    {"reject_unauth_pipelining", check_pipelining, 0},
    {"reject_unlisted_sender", smtpd_check_rcpt_unlisted_sender, 0},
    {"reject_unlisted_recipient", smtpd_check_rcpt_unlisted_rcpt, 0},
    {"check_recipient_maps", smtpd_check_rcpt_unlisted_rcpt, 0},
    {"reject_unverified_sender", smtpd_check_rcpt_unverified_sender, 0},
    {"reject_unverified_recipient", smtpd_check_rcpt_unverified_rcpt, 0},
    {0, 0, 0},
};
