/*
 * resolve_class - the address class of a recipient domain
 *
 * SYNOPSIS
 *	#include "trivial_rewrite.h"
 *
 *	void	resolve_class_init(void);
 *	void	resolve_class_free(void);
 *	int	resolve_class(const char *domain);
 *	int	resolve_class_local(const char *domain);
 *
 * DESCRIPTION
 *	The five address classes of ADDRESS_CLASS_README, decided in this
 *	order:
 * .IP local
 *	The domain matches $mydestination, or it is an address literal
 *	("[192.0.2.1]", "[IPv6:2001:db8::1]") of an address in
 *	$inet_interfaces ("all": every local interface address;
 *	"loopback-only": 127.0.0.1 and ::1) or $proxy_interfaces.
 * .IP alias
 *	The domain matches $virtual_alias_domains.
 * .IP virtual
 *	The domain matches $virtual_mailbox_domains.
 * .IP relay
 *	The domain matches $relay_domains.
 * .IP default
 *	Anything else.
 * .PP
 *	The lists are domain lists (domain_list(3)); whether "example.com"
 *	also matches its subdomains depends on whether the parameter name
 *	is in $parent_domain_matches_subdomains.
 *
 *	resolve_class_init() reads the parameters, opens the tables and
 *	collects the interface addresses; resolve_class_free() undoes it.
 *	Both classify functions call resolve_class_init() on first use.
 *
 *	resolve_class() returns RESOLVE_CLASS_LOCAL, _ALIAS, _VIRTUAL,
 *	_RELAY or _DEFAULT for domain (lowercase, without trailing dot),
 *	or RESOLVE_FLAG_FAIL when a table lookup failed.
 *	resolve_class_local() only answers whether domain is local: 1,
 *	0, or -1 after a lookup failure.
 *
 *	This module does not validate domain syntax and does no DNS
 *	lookups for domain names (host names in $inet_interfaces and
 *	$proxy_interfaces are looked up once by resolve_class_init()).
 *
 * DIAGNOSTICS
 *	Warnings: a domain listed both in $mydestination and in a virtual
 *	domain list ("do not list domain <d> in BOTH mydestination and
 *	<param>"), the same for virtual_alias_domains and
 *	virtual_mailbox_domains, host names in the interface lists that do
 *	not resolve.
 */
#include "sys_defs.h"

#include <string.h>
#include <strings.h>
#include <netdb.h>

#include "msg.h"
#include "mymalloc.h"
#include "argv.h"
#include "stringops.h"
#include "vstring.h"
#include "inet_addr_list.h"
#include "inet_addr_local.h"
#include "inet_proto.h"
#include "myaddrinfo.h"
#include "valid_hostname.h"
#include "excerpt.h"
#include "mail_params.h"
#include "table_search.h"
#include "domain_list.h"
#include "trivial_rewrite.h"

static bool resolve_class_ready;
static DOMAIN_LIST *resolve_mydestination;
static DOMAIN_LIST *resolve_alias_domains;
static DOMAIN_LIST *resolve_mailbox_domains;
static DOMAIN_LIST *resolve_relay_domains;
static INET_ADDR_LIST resolve_interfaces;

/* resolve_class_list - one domain list, with its parent-match setting */
static DOMAIN_LIST *resolve_class_list(const char *name, const char *value)
{
    if (*value == 0)
	return NULL;
    return domain_list_create(name, value, table_search_parent_match(
				  VAR_STR(parent_domain_matches_subdomains), name));
}

/* resolve_class_add_host - the addresses of one interface list element */
static void resolve_class_add_host(const char *param, const char *host)
{
    struct addrinfo *res = NULL;
    struct addrinfo *ai;
    VSTRING *name = vstring_alloc(100);
    const char *text = host;
    int     err;

    if (*host == '[' && host[strlen(host) - 1] == ']') {
	vstring_strncpy(name, host + 1, strlen(host) - 2);
	text = vstring_str(name);
    }
    err = hostname_to_sockaddr(text, NULL, 0, &res);
    if (err != 0) {
	msg_warn("%s: host not found: %s", param, excerpt(host));
    } else {
	for (ai = res; ai != NULL; ai = ai->ai_next)
	    if (ai->ai_family == AF_INET || ai->ai_family == AF_INET6)
		inet_addr_list_append(&resolve_interfaces, ai->ai_addr);
	freeaddrinfo(res);
    }
    vstring_free(name);
}

/* resolve_class_interfaces - collect $inet_interfaces, $proxy_interfaces */
static void resolve_class_interfaces(void)
{
    static const char *const params[] = {"inet_interfaces", "proxy_interfaces"};
    ARGV   *items;
    size_t  p;
    size_t  n;

    for (p = 0; p < ARRAY_LEN(params); p++) {
	items = argv_split(p == 0 ? VAR_STR(inet_interfaces)
			   : VAR_STR(proxy_interfaces), CHARS_COMMA_SP);
	for (n = 0; n < items->argc; n++) {
	    if (strcasecmp(items->argv[n], "all") == 0) {
		(void) inet_addr_local(&resolve_interfaces, NULL,
				       inet_proto_info()->family_list);
	    } else if (strcasecmp(items->argv[n], "loopback-only") == 0) {
		resolve_class_add_host(params[p], "127.0.0.1");
		resolve_class_add_host(params[p], "::1");
	    } else {
		resolve_class_add_host(params[p], items->argv[n]);
	    }
	}
	argv_free(items);
    }
}

/* resolve_class_init - read the class parameters */
void    resolve_class_init(void)
{
    if (resolve_class_ready)
	return;
    resolve_mydestination = resolve_class_list("mydestination",
					       VAR_STR(mydestination));
    resolve_alias_domains = resolve_class_list("virtual_alias_domains",
					       VAR_STR(virtual_alias_domains));
    resolve_mailbox_domains = resolve_class_list("virtual_mailbox_domains",
					     VAR_STR(virtual_mailbox_domains));
    resolve_relay_domains = resolve_class_list("relay_domains",
					       VAR_STR(relay_domains));
    inet_addr_list_init(&resolve_interfaces);
    resolve_class_interfaces();
    resolve_class_ready = true;
}

/* resolve_class_free - forget the class parameters */
void    resolve_class_free(void)
{
    DOMAIN_LIST **lists[] = {&resolve_mydestination, &resolve_alias_domains,
	&resolve_mailbox_domains, &resolve_relay_domains};
    size_t  n;

    if (!resolve_class_ready)
	return;
    for (n = 0; n < ARRAY_LEN(lists); n++) {
	if (*lists[n])
	    domain_list_free(*lists[n]);
	*lists[n] = NULL;
    }
    inet_addr_list_free(&resolve_interfaces);
    resolve_class_ready = false;
}

/* resolve_class_literal - whether [address] is one of our interfaces */
static bool resolve_class_literal(const char *domain)
{
    struct addrinfo *res = NULL;
    VSTRING *text;
    const char *inner;
    size_t  len = strlen(domain);
    bool    found = false;

    if (len < 3 || domain[0] != '[' || domain[len - 1] != ']')
	return false;
    text = vstring_alloc(100);
    vstring_strncpy(text, domain + 1, len - 2);
    inner = vstring_str(text);
    if (strncasecmp(inner, "ipv6:", 5) == 0)
	inner += 5;
    if (valid_hostaddr(inner, DONT_GRIPE)
	&& hostaddr_to_sockaddr(inner, NULL, 0, &res) == 0) {
	found = inet_addr_list_contains(&resolve_interfaces, res->ai_addr);
	freeaddrinfo(res);
    }
    vstring_free(text);
    return found;
}

/* resolve_class_match - one list; NULL lists match nothing */
static int resolve_class_match(DOMAIN_LIST *list, const char *domain)
{
    return list ? domain_list_match(list, domain) : DOMAIN_LIST_NOMATCH;
}

/* resolve_class_local - whether a domain is local */
int     resolve_class_local(const char *domain)
{
    int     status;

    resolve_class_init();
    if ((status = resolve_class_match(resolve_mydestination, domain))
	!= DOMAIN_LIST_NOMATCH)
	return status == DOMAIN_LIST_MATCH ? 1 : -1;
    return resolve_class_literal(domain) ? 1 : 0;
}

/* resolve_class_warn_both - a domain in two lists that exclude each other */
static void resolve_class_warn_both(DOMAIN_LIST *list, const char *domain,
				            const char *first, const char *second)
{
    if (resolve_class_match(list, domain) == DOMAIN_LIST_MATCH)
	msg_warn("do not list domain %s in BOTH %s and %s",
		 excerpt(domain), first, second);
}

/* resolve_class - the class of a domain */
int     resolve_class(const char *domain)
{
    int     status;

    switch (resolve_class_local(domain)) {
    case 1:
	resolve_class_warn_both(resolve_alias_domains, domain,
				"mydestination", "virtual_alias_domains");
	resolve_class_warn_both(resolve_mailbox_domains, domain,
				"mydestination", "virtual_mailbox_domains");
	return RESOLVE_CLASS_LOCAL;
    case -1:
	return RESOLVE_FLAG_FAIL;
    }
    if ((status = resolve_class_match(resolve_alias_domains, domain))
	== DOMAIN_LIST_MATCH) {
	resolve_class_warn_both(resolve_mailbox_domains, domain,
			    "virtual_alias_domains", "virtual_mailbox_domains");
	return RESOLVE_CLASS_ALIAS;
    }
    if (status == DOMAIN_LIST_ERROR)
	return RESOLVE_FLAG_FAIL;
    if ((status = resolve_class_match(resolve_mailbox_domains, domain))
	== DOMAIN_LIST_MATCH)
	return RESOLVE_CLASS_VIRTUAL;
    if (status == DOMAIN_LIST_ERROR)
	return RESOLVE_FLAG_FAIL;
    if ((status = resolve_class_match(resolve_relay_domains, domain))
	== DOMAIN_LIST_MATCH)
	return RESOLVE_CLASS_RELAY;
    if (status == DOMAIN_LIST_ERROR)
	return RESOLVE_FLAG_FAIL;
    return RESOLVE_CLASS_DEFAULT;
}
