/*
 * resolve_address - resolve an address to transport, nexthop, recipient
 *
 * SYNOPSIS
 *	#include "trivial_rewrite.h"
 *
 *	void	resolve_address_init(void);
 *	void	resolve_address_free(void);
 *	void	resolve_result_init(RESOLVE_RESULT *result);
 *	void	resolve_result_free(RESOLVE_RESULT *result);
 *	void	resolve_address(const char *request, const char *sender,
 *				const char *address, RESOLVE_RESULT *result);
 *
 * DESCRIPTION
 *	resolve_address() turns one internal-form recipient address into
 *	the (transport, nexthop, recipient, flags) answer of the rewrite
 *	service's resolve requests. request REWRITE_REQ_RESOLVE_VERIFY
 *	uses the address_verify_* routing parameters; _RESOLVE and
 *	_RESOLVE_SENDER the ordinary ones. sender (may be "") drives the
 *	sender-dependent tables. The steps:
 * .IP 1.
 *	The null address becomes $empty_address_recipient@$myhostname.
 *	A source route ("@a,@b:") is removed.
 * .IP 2.
 *	Routing is peeled off while the domain is local: when the local
 *	part still holds a routing operator ('@' with
 *	$resolve_dequoted_address, '%' with $allow_percent_hack, '!' with
 *	$swap_bangpath), the local domain is dropped and the local part
 *	resolved instead ("user%remote@localhost" -> "user@remote"). An
 *	address without '@' gets the same treatment ("site!user" ->
 *	"user@site", "user%site" -> "user@site"), and when nothing is
 *	left to do it is completed with "@$myhostname". One trailing dot
 *	is dropped from the domain.
 * .IP 3.
 *	The domain is checked: empty ("user@") is $myhostname with
 *	$resolve_null_domain, an error otherwise; a bare IP address is
 *	"[address]" with $resolve_numeric_domain, an error otherwise;
 *	address literals must hold a valid address; other names must be
 *	valid host names. A bad domain, or an address longer than
 *	TRIVIAL_REWRITE_ADDRESS_LIMIT, gives RESOLVE_FLAG_ERROR with
 *	transport "error" and nexthop "5.1.3 bad address syntax" (class
 *	default).
 * .IP 4.
 *	The class (resolve_class(3)) picks the defaults: local class
 *	$local_transport (whose default names $myhostname as nexthop;
 *	without one, the recipient domain, as observed with Postfix 3.7);
 *	alias class the
 *	error transport with "5.1.1 User unknown in virtual alias table"
 *	("5.1.1 User unknown" without $show_user_unknown_table_name);
 *	virtual class $virtual_transport; relay class $relay_transport;
 *	default class the sender_dependent_default_transport_maps result
 *	or $default_transport. A relay or default class nexthop that the
 *	transport leaves empty comes from sender_dependent_relayhost_maps,
 *	then $relayhost, then the recipient domain; other classes use the
 *	recipient domain. All classes but default get RESOLVE_FLAG_FINAL.
 * .IP 5.
 *	relocated_maps (relocated(5) search order: "user+ext@domain",
 *	"user@domain", "user+ext" and "user" when the domain is local or
 *	$myorigin, "@domain") turns a match into the error transport with
 *	"5.1.6 User has moved to <value>"; otherwise transport_maps
 *	(transport_table(3)) may override transport and nexthop, empty
 *	fields meaning "keep" and a transport without nexthop resetting
 *	the nexthop to the recipient domain, except for the error and
 *	retry transports, whose nexthop is their reason text: "error:"
 *	leaves it empty (as Postfix 3.7 does; its error(8) then says
 *	"Address is undeliverable"). The alias class is not looked up in
 *	transport_maps: its addresses must be aliased.
 * .PP
 *	RESOLVE_FLAG_ROUTED is set when routing was removed in step 1 or
 *	2, or when the final local part still contains '@' (with
 *	$resolve_dequoted_address), '%' or '!': such an address must not
 *	be relayed on the strength of its domain alone. RESOLVE_FLAG_FAIL
 *	is set when a table lookup failed; the rest of the answer is then
 *	incomplete and the caller must try again later.
 *
 *	resolve_address_init() opens relocated_maps and the two routes
 *	(TRANSPORT_ROUTE); resolve_address() calls it on first use.
 *	resolve_address_free() closes them (and resolve_class(3)'s state).
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
#include "stringops.h"
#include "valid_hostname.h"
#include "dict.h"
#include "maps.h"
#include "mail_params.h"
#include "table_search.h"
#include "trivial_rewrite.h"

#define RESOLVE_BAD_SYNTAX	"5.1.3 bad address syntax"
#define RESOLVE_ALIAS_UNKNOWN	"5.1.1 User unknown"
#define RESOLVE_ALIAS_TABLE	" in virtual alias table"

static bool resolve_ready;
static MAPS *resolve_relocated_maps;
static TRANSPORT_ROUTE *resolve_route;
static TRANSPORT_ROUTE *resolve_verify_route;

/* resolve_address_init - open the tables */
void    resolve_address_init(void)
{
    if (resolve_ready)
	return;
    resolve_class_init();
    resolve_relocated_maps = *VAR_STR(relocated_maps) == 0 ? NULL
	: maps_create("relocated_maps", VAR_STR(relocated_maps),
		      DICT_FLAG_LOCK | DICT_FLAG_FOLD_FIX);
    resolve_route = transport_route_create(false);
    resolve_verify_route = transport_route_create(true);
    resolve_ready = true;
}

/* resolve_address_free - close the tables */
void    resolve_address_free(void)
{
    if (!resolve_ready)
	return;
    if (resolve_relocated_maps)
	maps_free(resolve_relocated_maps);
    resolve_relocated_maps = NULL;
    transport_route_free(resolve_route);
    transport_route_free(resolve_verify_route);
    resolve_class_free();
    resolve_ready = false;
}

/* resolve_result_init - empty answer */
void    resolve_result_init(RESOLVE_RESULT *result)
{
    result->flags = 0;
    result->transport = vstring_alloc(20);
    result->nexthop = vstring_alloc(100);
    result->recipient = vstring_alloc(100);
}

/* resolve_result_free - release an answer */
void    resolve_result_free(RESOLVE_RESULT *result)
{
    vstring_free(result->transport);
    vstring_free(result->nexthop);
    vstring_free(result->recipient);
}

/* resolve_has_routing - whether a local part holds a routing operator */
static bool resolve_has_routing(const char *local, size_t len, bool all)
{
    size_t  n;

    for (n = 0; n < len; n++) {
	switch (local[n]) {
	case '@':
	    if (VAR_BOOL(resolve_dequoted_address))
		return true;
	    break;
	case '%':
	    if (all || VAR_BOOL(allow_percent_hack))
		return true;
	    break;
	case '!':
	    if (all || VAR_BOOL(swap_bangpath))
		return true;
	    break;
	}
    }
    return false;
}

/*
 * resolve_strip - steps 1 and 2; false: bad syntax. On return addr has
 * an '@'; *flags may have ROUTED or FAIL.
 */
static bool resolve_strip(VSTRING *addr, int *flags)
{
    VSTRING *scratch = vstring_alloc(100);
    VSTRING *domain = vstring_alloc(100);
    char   *str;
    char   *at;
    size_t  len;
    bool    ok = true;
    int     local;

    str = vstring_str(addr);
    if (*str == '@' && (at = strchr(str, ':')) != NULL) {
	vstring_strcpy(scratch, at + 1);
	vstring_strcpy(addr, vstring_str(scratch));
	*flags |= RESOLVE_FLAG_ROUTED;
    }
    /* Every second round at least makes the address shorter: this ends. */
    for (;;) {
	str = vstring_str(addr);
	len = VSTRING_LEN(addr);
	if ((at = strrchr(str, '@')) == NULL) {
	    if (rewrite_unqualified(addr, scratch)) {
		*flags |= RESOLVE_FLAG_ROUTED;
		continue;
	    }
	    vstring_sprintf_append(addr, "@%s", VAR_STR(myhostname));
	    break;
	}
	if (len >= 2 && str[len - 1] == '.' && at < str + len - 1) {
	    if (str[len - 2] == '.' || str + len - 2 == at) {
		ok = false;
		break;
	    }
	    vstring_truncate(addr, len - 1);
	    str = vstring_str(addr);
	    at = strrchr(str, '@');
	}
	if (at[1] == 0 || !resolve_has_routing(str, at - str, false))
	    break;
	vstring_strcpy(domain, at + 1);
	lowercase(vstring_str(domain));
	if ((local = resolve_class_local(vstring_str(domain))) < 0) {
	    *flags |= RESOLVE_FLAG_FAIL;
	    break;
	}
	if (local == 0)
	    break;
	vstring_truncate(addr, at - str);
	*flags |= RESOLVE_FLAG_ROUTED;
    }
    vstring_free(scratch);
    vstring_free(domain);
    return ok;
}

/* resolve_domain - step 3: check and normalize the domain; false: bad */
static bool resolve_domain(VSTRING *addr)
{
    VSTRING *scratch;
    char   *str = vstring_str(addr);
    char   *at = strrchr(str, '@');
    const char *domain = at + 1;
    const char *inner;
    size_t  len = strlen(domain);
    bool    ok;

    if (*domain == 0) {
	if (!VAR_BOOL(resolve_null_domain))
	    return false;
	vstring_strcat(addr, VAR_STR(myhostname));
	return true;
    }
    if (*domain == '[') {
	if (len < 3 || domain[len - 1] != ']')
	    return false;
	scratch = vstring_alloc(100);
	vstring_strncpy(scratch, domain + 1, len - 2);
	inner = vstring_str(scratch);
	if (strncasecmp(inner, "ipv6:", 5) == 0)
	    ok = valid_ipv6_hostaddr(inner + 5, DONT_GRIPE);
	else
	    ok = valid_ipv4_hostaddr(inner, DONT_GRIPE);
	vstring_free(scratch);
	return ok;
    }
    if (valid_hostaddr(domain, DONT_GRIPE)) {
	if (!VAR_BOOL(resolve_numeric_domain))
	    return false;
	scratch = vstring_alloc(100);
	vstring_sprintf(scratch, "%.*s@[%s]", (int) (at - str), str, domain);
	vstring_strcpy(addr, vstring_str(scratch));
	vstring_free(scratch);
	return true;
    }
    return valid_hostname(domain, DONT_GRIPE);
}

/* resolve_nexthop_default - relayhost chain for relay and default class */
static void resolve_nexthop_default(TRANSPORT_ROUTE *route, const char *sender,
				            const char *domain,
				            RESOLVE_RESULT *result)
{
    int     status;

    if (VSTRING_LEN(result->nexthop) > 0)
	return;
    status = transport_table_sender(route->sender_relayhost_maps, sender,
			    VAR_STR(empty_address_relayhost_maps_lookup_key),
				    result->nexthop);
    if (status < 0)
	result->flags |= RESOLVE_FLAG_FAIL;
    if (status != 1) {
	if (*route->relayhost)
	    vstring_strcpy(result->nexthop, route->relayhost);
	else
	    vstring_strcpy(result->nexthop, domain);
    }
}

/* resolve_class_route - step 4: the class defaults */
static void resolve_class_route(TRANSPORT_ROUTE *route, const char *sender,
				        const char *domain, RESOLVE_RESULT *result)
{
    VSTRING *value;
    int     status;

    switch (result->flags & RESOLVE_CLASS_MASK) {
    case RESOLVE_CLASS_LOCAL:
	transport_split(route->local_transport, result->transport,
			result->nexthop);
	if (VSTRING_LEN(result->nexthop) == 0)
	    vstring_strcpy(result->nexthop, domain);
	break;
    case RESOLVE_CLASS_ALIAS:
	vstring_strcpy(result->transport, "error");
	vstring_sprintf(result->nexthop, "%s%s", RESOLVE_ALIAS_UNKNOWN,
			VAR_BOOL(show_user_unknown_table_name) ?
			RESOLVE_ALIAS_TABLE : "");
	break;
    case RESOLVE_CLASS_VIRTUAL:
	transport_split(route->virtual_transport, result->transport,
			result->nexthop);
	if (VSTRING_LEN(result->nexthop) == 0)
	    vstring_strcpy(result->nexthop, domain);
	break;
    case RESOLVE_CLASS_RELAY:
	transport_split(route->relay_transport, result->transport,
			result->nexthop);
	resolve_nexthop_default(route, sender, domain, result);
	break;
    default:
	value = vstring_alloc(100);
	status = transport_table_sender(route->sender_transport_maps, sender,
		    VAR_STR(empty_address_default_transport_maps_lookup_key),
					value);
	if (status < 0)
	    result->flags |= RESOLVE_FLAG_FAIL;
	transport_split(status == 1 ? vstring_str(value)
			: route->default_transport,
			result->transport, result->nexthop);
	vstring_free(value);
	resolve_nexthop_default(route, sender, domain, result);
	break;
    }
}

/* resolve_relocated - step 5a: true when the user has moved */
static bool resolve_relocated(const char *recipient, const char *domain,
			              RESOLVE_RESULT *result)
{
    TABLE_SEARCH *search;
    const char *value;
    bool    local_domain;

    if (resolve_relocated_maps == NULL)
	return false;
    local_domain = (result->flags & RESOLVE_CLASS_LOCAL) != 0
	|| strcasecmp(domain, VAR_STR(myorigin)) == 0;
    search = table_search_create();
    table_search_rewrite_address(search, recipient,
				 VAR_STR(recipient_delimiter), local_domain);
    value = table_search_find(search, resolve_relocated_maps, NULL);
    if (value != NULL) {
	vstring_strcpy(result->transport, "error");
	vstring_sprintf(result->nexthop, "5.1.6 User has moved to %s", value);
    } else if (resolve_relocated_maps->error != DICT_ERR_NONE) {
	result->flags |= RESOLVE_FLAG_FAIL;
    }
    table_search_free(search);
    return value != NULL;
}

/* resolve_transport - step 5b: transport_maps */
static void resolve_transport(TRANSPORT_ROUTE *route, const char *recipient,
			              const char *domain, RESOLVE_RESULT *result)
{
    VSTRING *transport = vstring_alloc(20);
    VSTRING *nexthop = vstring_alloc(100);

    switch (transport_table_lookup(route, recipient, transport, nexthop)) {
    case -1:
	result->flags |= RESOLVE_FLAG_FAIL;
	break;
    case 1:
	if (VSTRING_LEN(transport) > 0) {
	    vstring_strcpy(result->transport, vstring_str(transport));
	    vstring_strcpy(result->nexthop, VSTRING_LEN(nexthop) > 0
			   || strcmp(vstring_str(transport), "error") == 0
			   || strcmp(vstring_str(transport), "retry") == 0 ?
			   vstring_str(nexthop) : domain);
	} else if (VSTRING_LEN(nexthop) > 0) {
	    vstring_strcpy(result->nexthop, vstring_str(nexthop));
	}
	break;
    }
    vstring_free(transport);
    vstring_free(nexthop);
}

/* resolve_address - the whole resolve request */
void    resolve_address(const char *request, const char *sender,
			        const char *address, RESOLVE_RESULT *result)
{
    TRANSPORT_ROUTE *route;
    VSTRING *addr = vstring_alloc(100);
    char   *domain;
    char   *at;
    int     class;

    resolve_address_init();
    route = strcmp(request, REWRITE_REQ_RESOLVE_VERIFY) == 0 ?
	resolve_verify_route : resolve_route;
    result->flags = 0;
    vstring_strcpy(result->transport, "");
    vstring_strcpy(result->nexthop, "");

    if (*address == 0)
	vstring_sprintf(addr, "%s@%s", VAR_STR(empty_address_recipient),
			VAR_STR(myhostname));
    else
	vstring_strcpy(addr, address);
    if (strlen(address) > TRIVIAL_REWRITE_ADDRESS_LIMIT
	|| !resolve_strip(addr, &result->flags) || !resolve_domain(addr)) {
	result->flags |= RESOLVE_FLAG_ERROR | RESOLVE_CLASS_DEFAULT;
	vstring_strcpy(result->transport, "error");
	vstring_strcpy(result->nexthop, RESOLVE_BAD_SYNTAX);
	vstring_strcpy(result->recipient, address);
	vstring_free(addr);
	return;
    }
    vstring_strcpy(result->recipient, vstring_str(addr));
    if (result->flags & RESOLVE_FLAG_FAIL) {
	vstring_free(addr);
	return;
    }
    at = strrchr(vstring_str(addr), '@');
    if (resolve_has_routing(vstring_str(addr), at - vstring_str(addr), true))
	result->flags |= RESOLVE_FLAG_ROUTED;
    domain = lowercase(mystrdup(at + 1));

    class = resolve_class(domain);
    if (class == RESOLVE_FLAG_FAIL) {
	result->flags |= RESOLVE_FLAG_FAIL;
    } else {
	result->flags |= class;
	if (class != RESOLVE_CLASS_DEFAULT)
	    result->flags |= RESOLVE_FLAG_FINAL;
	resolve_class_route(route, sender, at + 1, result);
	if (!resolve_relocated(vstring_str(result->recipient), domain, result)
	    && class != RESOLVE_CLASS_ALIAS)
	    resolve_transport(route, vstring_str(result->recipient), at + 1,
			      result);
    }
    myfree(domain);
    vstring_free(addr);
}
