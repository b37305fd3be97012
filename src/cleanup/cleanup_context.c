/*
 * cleanup_context - local or remote header rewriting context
 *
 * SYNOPSIS
 *	#include "cleanup.h"
 *
 *	const char *cleanup_context(const char *client_addr,
 *				const char *sasl_username);
 *
 * DESCRIPTION
 *	cleanup_context() decides, for a client that did not send a
 *	rewrite_context attribute itself, whether its message headers are
 *	rewritten as local mail ("local": incomplete addresses get
 *	$myorigin or $mydomain, missing headers are added) or as remote
 *	mail ("remote": only with remote_header_rewrite_domain). Mail
 *	without a client address (local submission) is local. Otherwise
 *	the client is local when it matches an entry of
 *	local_header_rewrite_clients, read left to right:
 *
 *	permit_inet_interfaces	the client address is one of
 *				$inet_interfaces ("all": any address of
 *				this host; "loopback-only": 127.0.0.0/8
 *				and ::1; otherwise the listed addresses)
 *	permit_mynetworks	the address is in $mynetworks
 *	permit_sasl_authenticated the client authenticated
 *	type:table		the address is a key of the table
 *				(check_address_map type:table too)
 *
 *	permit_tls_clientcerts and permit_tls_all_clientcerts need TLS
 *	information that the cleanup protocol does not carry; they never
 *	match here (smtpd sends rewrite_context itself when it has TLS).
 *	Host names in inet_interfaces are not resolved.
 *
 * DIAGNOSTICS
 *	Warnings: unknown entries of local_header_rewrite_clients, bad
 *	networks in mynetworks (ignored).
 */
#include "sys_defs.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include "argv.h"
#include "cidr_match.h"
#include "inet_addr_list.h"
#include "inet_addr_local.h"
#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "dict.h"
#include "maps.h"
#include "mail_params.h"
#include "cleanup.h"

/* cleanup_context_sockaddr - a numeric address as a sockaddr */
static bool cleanup_context_sockaddr(const char *addr,
				             struct sockaddr_storage *ss)
{
    struct sockaddr_in *sin = (struct sockaddr_in *) ss;
    struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *) ss;

    memset(ss, 0, sizeof(*ss));
    if (inet_pton(AF_INET, addr, &sin->sin_addr) == 1) {
	sin->sin_family = AF_INET;
	return true;
    }
    if (strncasecmp(addr, "ipv6:", 5) == 0)
	addr += 5;
    if (inet_pton(AF_INET6, addr, &sin6->sin6_addr) == 1) {
	sin6->sin6_family = AF_INET6;
	return true;
    }
    return false;
}

/* cleanup_context_interfaces - is addr one of $inet_interfaces? */
static bool cleanup_context_interfaces(const char *addr)
{
    struct sockaddr_storage ss;
    INET_ADDR_LIST addrs;
    INET_ADDR_LIST masks;
    static const int families[] = {AF_INET, AF_INET6, 0};
    ARGV   *list;
    size_t  i;
    bool    found = false;
    char   *item;

    if (!cleanup_context_sockaddr(addr, &ss))
	return false;
    list = argv_split(VAR_STR(inet_interfaces), ", \t\r\n");
    for (i = 0; i < list->argc && !found; i++) {
	item = list->argv[i];
	if (strcasecmp(item, "all") == 0) {
	    inet_addr_list_init(&addrs);
	    inet_addr_list_init(&masks);
	    (void) inet_addr_local(&addrs, &masks, families);
	    found = inet_addr_list_contains(&addrs, (struct sockaddr *) &ss);
	    inet_addr_list_free(&addrs);
	    inet_addr_list_free(&masks);
	} else if (strcasecmp(item, "loopback-only") == 0) {
	    found = strncmp(addr, "127.", 4) == 0 || strcmp(addr, "::1") == 0;
	} else {
	    if (*item == '[' && item[strlen(item) - 1] == ']') {
		item[strlen(item) - 1] = 0;
		item++;
	    }
	    found = strcmp(item, addr) == 0;
	}
    }
    argv_free(list);
    return found;
}

/* cleanup_context_mynetworks - is addr in $mynetworks? */
static bool cleanup_context_mynetworks(const char *addr)
{
    ARGV   *list = argv_split(VAR_STR(mynetworks), ", \t\r\n");
    CIDR_MATCH info;
    VSTRING *why = vstring_alloc(100);
    size_t  i;
    bool    found = false;

    for (i = 0; i < list->argc && !found; i++) {
	if (strchr(list->argv[i], ':') != 0 && list->argv[i][0] != '['
	    && strchr(list->argv[i], '/') == 0 && list->argv[i][0] != '!'
	    && strstr(list->argv[i], "::") == 0)
	    continue;				/* type:table, not supported */
	if (cidr_match_parse(&info, list->argv[i], true, why))
	    found = cidr_match_execute(&info, addr);
    }
    vstring_free(why);
    argv_free(list);
    return found;
}

/* cleanup_context_table - is addr a key of the table? */
static bool cleanup_context_table(const char *table, const char *addr)
{
    MAPS   *maps = maps_create("local_header_rewrite_clients", table,
			       DICT_FLAG_LOCK | DICT_FLAG_FOLD_FIX);
    bool    found = maps_find(maps, addr, 0) != 0;

    maps_free(maps);
    return found;
}

/* cleanup_context - "local" or "remote" for a client */
const char *cleanup_context(const char *client_addr, const char *sasl_username)
{
    ARGV   *list;
    size_t  i;
    const char *item;
    bool    local = false;

    if (client_addr == 0 || *client_addr == 0)
	return "local";
    list = argv_split(VAR_STR(local_header_rewrite_clients), ", \t\r\n");
    for (i = 0; i < list->argc && !local; i++) {
	item = list->argv[i];
	if (strcasecmp(item, "permit_inet_interfaces") == 0)
	    local = cleanup_context_interfaces(client_addr);
	else if (strcasecmp(item, "permit_mynetworks") == 0)
	    local = cleanup_context_mynetworks(client_addr);
	else if (strcasecmp(item, "permit_sasl_authenticated") == 0)
	    local = sasl_username != 0 && *sasl_username != 0;
	else if (strcasecmp(item, "permit_tls_clientcerts") == 0
		 || strcasecmp(item, "permit_tls_all_clientcerts") == 0)
	    local = false;
	else if (strcasecmp(item, "check_address_map") == 0) {
	    if (i + 1 < list->argc)
		local = cleanup_context_table(list->argv[++i], client_addr);
	} else if (strchr(item, ':') != 0)
	    local = cleanup_context_table(item, client_addr);
	else
	    msg_warn("unknown local_header_rewrite_clients entry: %s", item);
    }
    argv_free(list);
    return local ? "local" : "remote";
}
