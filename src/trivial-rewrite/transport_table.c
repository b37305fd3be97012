/*
 * transport_table - transport(5) and sender-dependent routing lookups
 *
 * SYNOPSIS
 *	#include "trivial_rewrite.h"
 *
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
 * DESCRIPTION
 *	transport_route_create() reads the routing parameters of one kind
 *	of resolve request: local_transport, virtual_transport,
 *	relay_transport, default_transport, relayhost, transport_maps,
 *	sender_dependent_relayhost_maps and
 *	sender_dependent_default_transport_maps, or with verify their
 *	address_verify_* overrides (whose defaults are the former, so
 *	that the same tables are shared). Tables are opened with
 *	$number substitution refused (transport(5), "REGULAR EXPRESSION
 *	TABLES"). transport_route_free() closes them.
 *
 *	transport_table_lookup() searches the transport table for address
 *	in the order of transport(5): "user+ext@domain", "user@domain"
 *	(recipient_delimiter), "domain", then the parent domains (as
 *	"example.com" when transport_maps is in
 *	$parent_domain_matches_subdomains, else as ".example.com"), then
 *	"*"; partial keys go to fixed-string tables only. The null address
 *	is looked up as $empty_address_recipient@$myhostname. It returns 1
 *	with the two fields of the result (either may be empty: "keep"),
 *	0 when nothing matched, -1 when a table failed.
 *
 *	transport_table_sender() searches sender_dependent_relayhost_maps
 *	or sender_dependent_default_transport_maps: the sender address,
 *	then "@domain" (fixed-string tables only); the null sender as
 *	empty_key. A result of DUNNO ends the search as "not found". It
 *	returns 1 (result holds the value), 0 or -1 as above; maps may be
 *	NULL (nothing configured).
 *
 *	transport_split() splits "transport:nexthop" at the first ':' (a
 *	value without ':' is a transport with an empty nexthop).
 *
 * DIAGNOSTICS
 *	Table errors are logged by maps(3).
 */
#include "sys_defs.h"

#include <string.h>
#include <strings.h>

#include "msg.h"
#include "mymalloc.h"
#include "vstring.h"
#include "dict.h"
#include "maps.h"
#include "mail_params.h"
#include "table_search.h"
#include "trivial_rewrite.h"

#define TRANSPORT_DICT_FLAGS \
	(DICT_FLAG_LOCK | DICT_FLAG_FOLD_FIX | DICT_FLAG_NO_REGSUB)

/* transport_maps_create - open a table list, NULL when empty */
static MAPS *transport_maps_create(const char *name, const char *value)
{
    return *value ? maps_create(name, value, TRANSPORT_DICT_FLAGS) : NULL;
}

/* transport_route_create - the routing parameters of one request kind */
TRANSPORT_ROUTE *transport_route_create(bool verify)
{
    TRANSPORT_ROUTE *route = mymalloc(sizeof(*route));

    route->name = verify ? "verify" : "resolve";
    if (verify) {
	route->local_transport = mystrdup(VAR_STR(address_verify_local_transport));
	route->virtual_transport =
	    mystrdup(VAR_STR(address_verify_virtual_transport));
	route->relay_transport = mystrdup(VAR_STR(address_verify_relay_transport));
	route->default_transport =
	    mystrdup(VAR_STR(address_verify_default_transport));
	route->relayhost = mystrdup(VAR_STR(address_verify_relayhost));
	route->transport_maps = transport_maps_create(
		 "address_verify_transport_maps",
		 VAR_STR(address_verify_transport_maps));
	route->sender_relayhost_maps = transport_maps_create(
		 "address_verify_sender_dependent_relayhost_maps",
		 VAR_STR(address_verify_sender_dependent_relayhost_maps));
	route->sender_transport_maps = transport_maps_create(
		 "address_verify_sender_dependent_default_transport_maps",
		 VAR_STR(address_verify_sender_dependent_default_transport_maps));
    } else {
	route->local_transport = mystrdup(VAR_STR(local_transport));
	route->virtual_transport = mystrdup(VAR_STR(virtual_transport));
	route->relay_transport = mystrdup(VAR_STR(relay_transport));
	route->default_transport = mystrdup(VAR_STR(default_transport));
	route->relayhost = mystrdup(VAR_STR(relayhost));
	route->transport_maps = transport_maps_create("transport_maps",
						    VAR_STR(transport_maps));
	route->sender_relayhost_maps = transport_maps_create(
		 "sender_dependent_relayhost_maps",
		 VAR_STR(sender_dependent_relayhost_maps));
	route->sender_transport_maps = transport_maps_create(
		 "sender_dependent_default_transport_maps",
		 VAR_STR(sender_dependent_default_transport_maps));
    }
    route->parent_match = table_search_parent_match(
		 VAR_STR(parent_domain_matches_subdomains), "transport_maps");
    return route;
}

/* transport_route_free - close the tables */
void    transport_route_free(TRANSPORT_ROUTE *route)
{
    myfree(route->local_transport);
    myfree(route->virtual_transport);
    myfree(route->relay_transport);
    myfree(route->default_transport);
    myfree(route->relayhost);
    if (route->transport_maps)
	maps_free(route->transport_maps);
    if (route->sender_relayhost_maps)
	maps_free(route->sender_relayhost_maps);
    if (route->sender_transport_maps)
	maps_free(route->sender_transport_maps);
    myfree(route);
}

/* transport_split - "transport:nexthop" into its fields */
void    transport_split(const char *value, VSTRING *transport, VSTRING *nexthop)
{
    const char *colon = strchr(value, ':');

    if (colon == NULL) {
	vstring_strcpy(transport, value);
	vstring_strcpy(nexthop, "");
    } else {
	vstring_strncpy(transport, value, colon - value);
	vstring_strcpy(nexthop, colon + 1);
    }
}

/* transport_table_lookup - search transport_maps for an address */
int     transport_table_lookup(TRANSPORT_ROUTE *route, const char *address,
			               VSTRING *transport, VSTRING *nexthop)
{
    TABLE_SEARCH *search;
    VSTRING *key = NULL;
    const char *value;
    int     status;

    if (route->transport_maps == NULL)
	return 0;
    if (*address == 0) {
	key = vstring_alloc(100);
	vstring_sprintf(key, "%s@%s", VAR_STR(empty_address_recipient),
			VAR_STR(myhostname));
	address = vstring_str(key);
    }
    search = table_search_create();
    table_search_transport(search, address, VAR_STR(recipient_delimiter),
			   route->parent_match);
    value = table_search_find(search, route->transport_maps, NULL);
    if (value != NULL) {
	transport_split(value, transport, nexthop);
	status = 1;
    } else {
	status = route->transport_maps->error != DICT_ERR_NONE ? -1 : 0;
    }
    table_search_free(search);
    if (key)
	vstring_free(key);
    return status;
}

/* transport_table_sender - search a sender-dependent table */
int     transport_table_sender(MAPS *maps, const char *sender,
			               const char *empty_key, VSTRING *result)
{
    const char *value;
    const char *at;

    if (maps == NULL)
	return 0;
    if (*sender == 0) {
	value = maps_find(maps, empty_key, 0);
    } else {
	value = maps_find(maps, sender, 0);
	if (value == NULL && maps->error == DICT_ERR_NONE
	    && (at = strrchr(sender, '@')) != NULL && at[1] != 0)
	    value = maps_find(maps, at, TABLE_SEARCH_PARTIAL);
    }
    if (value == NULL)
	return maps->error != DICT_ERR_NONE ? -1 : 0;
    if (strcasecmp(value, "DUNNO") == 0)
	return 0;
    vstring_strcpy(result, value);
    return 1;
}
