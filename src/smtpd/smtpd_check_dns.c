/*
 * smtpd_check_dns - the DNS-based restrictions of smtpd(8)
 *
 * SYNOPSIS
 *	#include "smtpd_check.h"
 *
 *	extern const SMTPD_RESTRICTION smtpd_check_dns_table[];
 *
 *	Helpers: smtpd_rbl.h.
 *
 * DESCRIPTION
 *	DNS block and allow lists:
 *	reject_rbl_client, permit_dnswl_client (the reversed client
 *	address under the list domain), reject_rhsbl_client,
 *	reject_rhsbl_reverse_client, reject_rhsbl_helo,
 *	reject_rhsbl_sender, reject_rhsbl_recipient, permit_rhswl_client
 *	(a name or an address's domain under the list domain). The
 *	argument is "domain" or "domain=d.d.d.d" (see postconf(5) and
 *	smtpd_rbl.h for the pattern). A name is listed when its A
 *	records under the list domain include one that fits the pattern
 *	(any A record without a pattern). A listed name is rejected with
 *	the rbl_reply_maps entry for the list domain, or else with
 *	default_rbl_reply, after one level of $name expansion ($rbl_code
 *	is maps_rbl_reject_code, $rbl_reason the TXT record of the listed
 *	name). The rbl_reply_maps key is the argument as written
 *	("domain=d.d.d.d" when a pattern is given), as in Postfix. Lookup
 *	failures of block lists are logged and ignored; those of allow
 *	lists give DEFER_IF_REJECT "Service unavailable" for the client,
 *	as postconf(5) says. Results are kept per SMTP session (a name is
 *	not looked up twice in one session).
 *
 *	Access tables of DNS data: check_{client,reverse_client_hostname,
 *	helo,sender,recipient}_{mx,ns,a}_access type:table. The domain
 *	(the client name, the unverified reverse name, the HELO name or
 *	the domain of the address) has its MX hosts (the domain itself
 *	when it has no MX), its DNS servers (of the closest enclosing zone
 *	that has NS records) or, for _a_access, no hosts but its own
 *	addresses. Each host name is searched as check_client_access
 *	searches a host name, then each of its addresses as a client
 *	address; the first entry found is applied as an access(5) action
 *	by the engine (smtpd_check_access_action()), with the subject
 *	(client, HELO name, sender or recipient) named in the reply
 *	whatever the stage. "OK" is not allowed there (postconf(5)): as in
 *	Postfix it is logged as a configuration error and answered "451
 *	4.3.5 Server configuration error".
 *
 *	permit_dnswl_client and permit_rhswl_client are ignored in the
 *	relay and recipient restrictions when the recipient is not an
 *	authorized destination (permit_auth_destination would not permit),
 *	so that they never override reject_unauth_destination.
 *
 *	smtpd_dns_reply_filter applies to the A and TXT lookups of the
 *	block and allow lists (as postconf(5) says: not to the MX/NS/A
 *	access lookups): each record, as "name. ttl IN type value", is
 *	looked up; IGNORE drops it ("ignoring DNS RR: ..."), any other
 *	action fails the lookup ("Invalid DNS reply filter syntax"), and
 *	a lookup whose records were all dropped fails too.
 *
 * DIAGNOSTICS
 *	As Postfix: "warning: <name>: RBL lookup error: <reason>",
 *	"warning: restriction <name> returns OK for <subject>" (and two
 *	more lines), "fatal: RBL reply error: need decimal number 0..255
 *	or "[" at "127.0.0.>x<"" for a bad d.d.d.d pattern. Ours: "warning:
 *	<parameter>: bad RBL reply template: <text>" (then "451 4.3.5
 *	Server configuration error").
 */
#include "sys_defs.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/time.h>

#include "msg.h"
#include "mymalloc.h"
#include "vstring.h"
#include "htable.h"
#include "stringops.h"
#include "mac_expand.h"
#include "valid_hostname.h"
#include "mail_params.h"
#include "maps.h"
#include "table_search.h"
#include "dns.h"

#include "smtpd_check.h"
#include "smtpd_rbl.h"

#define RBL_TXT_LIMIT	1000		/* reason text kept from TXT */
#define DNS_HOST_LIMIT	100		/* MX/NS hosts examined */

/* One cached list lookup: the A records found and the TXT text. */
typedef struct RBL_RESULT {
    int     status;			/* DNS_* of the A lookup */
    VSTRING *addrs;			/* 4 octets per A record */
    char   *txt;			/* NULL until looked up */
} RBL_RESULT;

/* What a block list restriction looks up and how it reports. */
typedef struct RBL_QUERY {
    const char *what;			/* $rbl_what */
    const char *class;			/* $rbl_class */
    const char *domain;			/* $rbl_domain */
    const char *txt;			/* $rbl_reason */
    SMTPD_CHECK_CALL *call;
} RBL_QUERY;

static HTABLE *rbl_cache;		/* query name -> RBL_RESULT */
static const SMTPD_STATE *rbl_cache_state;	/* the session it is for */
static struct timeval rbl_cache_arrival;
static MAPS *rbl_reply_maps;
static HTABLE *dns_access_maps;		/* table name -> MAPS */

/* rbl_result_free - destroy one cache entry */

static void rbl_result_free(void *ptr)
{
    RBL_RESULT *result = ptr;

    vstring_free(result->addrs);
    if (result->txt)
	myfree(result->txt);
    myfree(result);
}

/* rbl_cache_session - flush the cache when a new session started */

static void rbl_cache_session(const SMTPD_STATE *state)
{
    if (rbl_cache != 0 && rbl_cache_state == state
	&& rbl_cache_arrival.tv_sec == state->arrival.tv_sec
	&& rbl_cache_arrival.tv_usec == state->arrival.tv_usec)
	return;
    if (rbl_cache != 0)
	htable_free(rbl_cache, rbl_result_free);
    rbl_cache = htable_create(10);
    rbl_cache_state = state;
    rbl_cache_arrival = state->arrival;
}

/* rbl_filter_text - a record as smtpd_dns_reply_filter sees it */

static const char *rbl_filter_text(const DNS_RR *rr, VSTRING *buf)
{
    VSTRING *addr;

    vstring_sprintf(buf, "%s. %u IN %s ", rr->rname, rr->ttl,
		    dns_type_name(rr->type));
    if (rr->type == DNS_T_A || rr->type == DNS_T_AAAA) {
	addr = vstring_alloc(50);
	if (dns_rr_to_pa(rr, addr) != 0)
	    vstring_strcat(buf, vstring_str(addr));
	vstring_free(addr);
    } else {
	vstring_strcat(buf, rr->data);
    }
    return (vstring_str(buf));
}

/* rbl_filter_why - the reason of a filtered lookup, as Postfix words it */

static void rbl_filter_why(VSTRING *why, const char *query, int type,
			           const char *reason)
{
    if (type == DNS_T_TXT)
	vstring_strcpy(why, reason);
    else
	vstring_sprintf(why, "Error looking up name=%s type=%s: %s", query,
			dns_type_name(type), reason);
}

/* rbl_dns_lookup - dns_lookup() with smtpd_dns_reply_filter */

static int rbl_dns_lookup(const char *query, int type, DNS_RR **list,
			          VSTRING *why)
{
    static MAPS *filter;
    DNS_RR *keep = 0;
    DNS_RR *rr;
    DNS_RR *next;
    VSTRING *text;
    const char *action;
    int     status;

    status = dns_lookup(query, type, 0, list, (VSTRING *) 0, why);
    if (status != DNS_OK || *VAR_STR(smtpd_dns_reply_filter) == 0)
	return (status);
    if (filter == 0)
	filter = maps_create(PARAM_NAME(smtpd_dns_reply_filter),
			     VAR_STR(smtpd_dns_reply_filter),
			     DICT_FLAG_LOCK | DICT_FLAG_FOLD_FIX);
    text = vstring_alloc(100);
    for (rr = *list; rr != 0; rr = next) {
	next = rr->next;
	rr->next = 0;
	action = maps_find(filter, rbl_filter_text(rr, text), 0);
	if (action == 0 && filter->error == 0) {
	    keep = dns_rr_append(keep, rr);
	} else if (action != 0 && strncasecmp(action, "IGNORE", 6) == 0
		   && (action[6] == 0 || action[6] == ' '
		       || action[6] == '\t')) {
	    msg_info("ignoring DNS RR: %s", vstring_str(text));
	    dns_rr_free(rr);
	} else {
	    if (action != 0)
		msg_warn("%s: unknown DNS filter action: \"%s\"",
			 PARAM_NAME(smtpd_dns_reply_filter), action);
	    rbl_filter_why(why, query, type, action != 0 ?
			   "Invalid DNS reply filter syntax" :
			   "DNS reply filter lookup error");
	    dns_rr_free(rr);
	    dns_rr_free(next);
	    dns_rr_free(keep);
	    *list = 0;
	    vstring_free(text);
	    return (DNS_RETRY);
	}
    }
    vstring_free(text);
    if ((*list = keep) == 0) {
	rbl_filter_why(why, query, type, "DNS reply filter drops all results");
	return (DNS_RETRY);
    }
    return (DNS_OK);
}

/* rbl_lookup - the A records of a list entry, cached per session */

static RBL_RESULT *rbl_lookup(SMTPD_STATE *state, const char *query)
{
    RBL_RESULT *result;
    DNS_RR *list = 0;
    DNS_RR *rr;
    VSTRING *why;

    rbl_cache_session(state);
    if ((result = htable_find(rbl_cache, query)) != 0)
	return (result);
    result = mymalloc(sizeof(*result));
    result->addrs = vstring_alloc(16);
    result->txt = 0;
    why = vstring_alloc(100);
    result->status = rbl_dns_lookup(query, DNS_T_A, &list, why);
    if (result->status == DNS_OK) {
	for (rr = list; rr != 0; rr = rr->next)
	    if (rr->type == DNS_T_A && rr->data_len == 4)
		vstring_memcat(result->addrs, rr->data, 4);
	dns_rr_free(list);
    }
    if (result->status != DNS_OK && result->status != DNS_NOTFOUND
	&& result->status != DNS_NOTEXIST)
	msg_warn("%s: RBL lookup error: %s", query, vstring_str(why));
    vstring_free(why);
    htable_enter(rbl_cache, query, result);
    return (result);
}

/* rbl_txt - the TXT text of a listed name, cached with its result */

static const char *rbl_txt(RBL_RESULT *result, const char *query)
{
    DNS_RR *list = 0;
    VSTRING *buf;
    VSTRING *why;
    int     status;

    if (result->txt != 0)
	return (result->txt);
    buf = vstring_alloc(100);
    why = vstring_alloc(100);
    status = rbl_dns_lookup(query, DNS_T_TXT, &list, why);
    if (status == DNS_OK && list != 0) {
	vstring_strncpy(buf, list->data,
			list->data_len < RBL_TXT_LIMIT ?
			list->data_len : RBL_TXT_LIMIT);
	printable(vstring_str(buf), '?');
    } else if (status != DNS_NOTFOUND && status != DNS_NOTEXIST) {
	msg_warn("%s: TXT lookup error: %s", query, vstring_str(why));
    }
    dns_rr_free(list);
    vstring_free(why);
    result->txt = vstring_export(buf);
    return (result->txt);
}

/* rbl_listed - is an A record of the result fit for the pattern */

static bool rbl_listed(const RBL_RESULT *result,
		               const SMTPD_RBL_FILTER *filter)
{
    const unsigned char *addr;
    size_t  off;

    if (result->status != DNS_OK || VSTRING_LEN(result->addrs) == 0)
	return (false);
    if (filter == 0)
	return (true);
    for (off = 0; off + 4 <= VSTRING_LEN(result->addrs); off += 4) {
	addr = (const unsigned char *) vstring_str(result->addrs) + off;
	if (smtpd_rbl_filter_match(filter, addr))
	    return (true);
    }
    return (false);
}

/* rbl_address_part - local part or domain of an address for a reply */

static const char *rbl_address_part(const char *addr, int part,
				            VSTRING *buf)
{
    const char *at;

    if (addr == 0 || *addr == 0)
	return (part == 2 ? "" : "<>");
    if (part == 0)
	return (addr);
    at = strrchr(addr, '@');
    if (part == 1)
	return (at ? vstring_str(vstring_strncpy(buf, addr, at - addr)) :
		addr);
    return (at ? at + 1 : "");
}

/* rbl_expand_lookup - the $names of an RBL reply template */

static const char *rbl_expand_lookup(const char *name, int mode,
				             void *context)
{
    RBL_QUERY *query = context;
    SMTPD_STATE *state = query->call->state;
    static VSTRING *buf;
    static VSTRING *code;

    if (buf == 0) {
	buf = vstring_alloc(100);
	code = vstring_alloc(10);
    }
    if (strcmp(name, "rbl_code") == 0) {
	vstring_sprintf(code, "%ld", VAR_INT(maps_rbl_reject_code));
	return (vstring_str(code));
    }
    if (strcmp(name, "rbl_class") == 0)
	return (query->class);
    if (strcmp(name, "rbl_domain") == 0)
	return (query->domain);
    if (strcmp(name, "rbl_reason") == 0 || strcmp(name, "rbl_txt") == 0)
	return (query->txt);
    if (strcmp(name, "rbl_what") == 0)
	return (query->what);
    if (strcmp(name, "client") == 0)
	return (state->namaddr);
    if (strcmp(name, "client_address") == 0)
	return (state->addr);
    if (strcmp(name, "client_name") == 0)
	return (state->name);
    if (strcmp(name, "reverse_client_name") == 0)
	return (state->reverse_name);
    if (strcmp(name, "helo_name") == 0)
	return (state->helo_name ? state->helo_name : "");
    if (strcmp(name, "sender") == 0)
	return (rbl_address_part(state->sender, 0, buf));
    if (strcmp(name, "sender_name") == 0)
	return (rbl_address_part(state->sender, 1, buf));
    if (strcmp(name, "sender_domain") == 0)
	return (rbl_address_part(state->sender, 2, buf));
    if (strcmp(name, "recipient") == 0)
	return (rbl_address_part(state->recipient, 0, buf));
    if (strcmp(name, "recipient_name") == 0)
	return (rbl_address_part(state->recipient, 1, buf));
    if (strcmp(name, "recipient_domain") == 0)
	return (rbl_address_part(state->recipient, 2, buf));
    return (0);
}

/* rbl_reject - reject with the reply template of a list domain */

static int rbl_reject(RBL_QUERY *query)
{
    const char *template = 0;
    VSTRING *reply = vstring_alloc(100);
    VSTRING *dsn = vstring_alloc(10);
    const char *text;
    int     code;
    int     status;

    if (*VAR_STR(rbl_reply_maps) != 0) {
	if (rbl_reply_maps == 0)
	    rbl_reply_maps = maps_create(PARAM_NAME(rbl_reply_maps),
					 VAR_STR(rbl_reply_maps),
					 DICT_FLAG_LOCK | DICT_FLAG_FOLD_FIX);
	template = maps_find(rbl_reply_maps, query->call->arg, 0);
	if (template == 0 && rbl_reply_maps->error != 0) {
	    vstring_free(reply);
	    vstring_free(dsn);
	    return (smtpd_check_table_error(query->call,
					    PARAM_NAME(rbl_reply_maps)));
	}
    }
    if (template == 0)
	template = VAR_STR(default_rbl_reply);
    (void) mac_expand(reply, template, MAC_EXP_FLAG_NONE, (char *) 0,
		      rbl_expand_lookup, (void *) query);
    if (smtpd_rbl_reply_split(vstring_str(reply), &code, dsn, &text) < 0) {
	msg_warn("%s: bad RBL reply template: %s",
		 template == VAR_STR(default_rbl_reply) ?
		 PARAM_NAME(default_rbl_reply) : PARAM_NAME(rbl_reply_maps),
		 vstring_str(reply));
	status = smtpd_check_reject(query->call, "software", 451, "4.3.5",
				    "Server configuration error");
    } else {
	status = smtpd_check_reject(query->call, "policy", code,
				    vstring_str(dsn), "%s", text);
    }
    vstring_free(reply);
    vstring_free(dsn);
    return (status);
}

/* allow_safely - permit, unless that would allow relaying */

static int allow_safely(SMTPD_CHECK_CALL *call)
{
    SMTPD_STATE *state = call->state;

    /* postconf(5): never override reject_unauth_destination. */
    if ((call->stage == SMTPD_STAGE_RELAY
	 || call->stage == SMTPD_STAGE_RECIPIENT)
	&& state->recipient != 0 && *state->recipient != 0)
	return (smtpd_check_list(call, "permit_auth_destination")
		== SMTPD_CHECK_OK ? SMTPD_CHECK_OK : SMTPD_CHECK_DUNNO);
    return (SMTPD_CHECK_OK);
}

/* rbl_check - look up one name in one list; SMTPD_CHECK_* */

static int rbl_check(SMTPD_CHECK_CALL *call, const char *prefix,
		             const char *what, const char *class, bool allow)
{
    char   *domain = mystrdup(call->arg);
    char   *pattern = split_at(domain, '=');
    SMTPD_RBL_FILTER *filter = 0;
    VSTRING *query = vstring_alloc(100);
    RBL_RESULT *result;
    RBL_QUERY rq;
    size_t  bad;
    int     status = SMTPD_CHECK_DUNNO;

    if (pattern != 0
	&& (filter = smtpd_rbl_filter_parse(pattern, &bad)) == 0) {
	msg_fatal("RBL reply error: need decimal number 0..255 or \"[\""
		  " at \"%.*s>%s<\"", (int) bad, pattern, pattern + bad);
    } else if (*domain == 0) {
	msg_warn("%s: missing list domain", call->restriction);
	status = smtpd_check_reject(call, "software", 451, "4.3.5",
				    "Server configuration error");
    } else {
	vstring_sprintf(query, "%s.%s", prefix, domain);
	result = rbl_lookup(call->state, vstring_str(query));
	if (rbl_listed(result, filter)) {
	    if (allow) {
		status = allow_safely(call);
	    } else {
		rq.what = what;
		rq.class = class;
		rq.domain = domain;
		rq.txt = rbl_txt(result, vstring_str(query));
		rq.call = call;
		status = rbl_reject(&rq);
	    }
	} else if (allow && result->status != DNS_OK
		   && result->status != DNS_NOTFOUND
		   && result->status != DNS_NOTEXIST) {
	    SMTPD_CHECK_CALL client_call = *call;

	    /* Postfix names the client here, whatever the stage. */
	    client_call.reply_name = what;
	    client_call.reply_class = "Client host";
	    status = smtpd_check_access_action(&client_call, domain,
					       vstring_str(query),
					 "DEFER_IF_REJECT Service unavailable");
	}
    }
    if (filter)
	smtpd_rbl_filter_free(filter);
    vstring_free(query);
    myfree(domain);
    return (status);
}

/* rbl_check_address - a list of client addresses */

static int rbl_check_address(SMTPD_CHECK_CALL *call, bool allow)
{
    VSTRING *prefix = vstring_alloc(100);
    int     status = SMTPD_CHECK_DUNNO;

    if (call->state->addr != 0
	&& smtpd_rbl_reverse_addr(call->state->addr, prefix))
	status = rbl_check(call, vstring_str(prefix), call->state->addr,
			   "Client host", allow);
    vstring_free(prefix);
    return (status);
}

/* rbl_check_name - a list of host or domain names */

static int rbl_check_name(SMTPD_CHECK_CALL *call, const char *name,
			          const char *what, const char *class,
			          bool allow)
{
    char   *folded;
    size_t  len;
    int     status;

    if (name == 0 || *name == 0 || strcmp(name, "unknown") == 0
	|| *name == '[' || valid_hostaddr(name, 0))
	return (SMTPD_CHECK_DUNNO);
    folded = lowercase(mystrdup(name));
    len = strlen(folded);
    if (len > 0 && folded[len - 1] == '.')
	folded[len - 1] = 0;
    status = valid_hostname(folded, 0) ?
	rbl_check(call, folded, what, class, allow) : SMTPD_CHECK_DUNNO;
    myfree(folded);
    return (status);
}

/* address_domain - the domain of an address, or NULL */

static const char *address_domain(const char *addr)
{
    const char *at;

    if (addr == 0 || (at = strrchr(addr, '@')) == 0 || at[1] == 0)
	return (0);
    return (at + 1);
}

/* reject_rbl_client - the client address in a DNS block list */

static int reject_rbl_client(SMTPD_CHECK_CALL *call)
{
    return (rbl_check_address(call, false));
}

/* permit_dnswl_client - the client address in a DNS allow list */

static int permit_dnswl_client(SMTPD_CHECK_CALL *call)
{
    return (rbl_check_address(call, true));
}

/* reject_rhsbl_client - the client name in a domain block list */

static int reject_rhsbl_client(SMTPD_CHECK_CALL *call)
{
    return (rbl_check_name(call, call->state->name, call->state->name,
			   "Client host", false));
}

/* permit_rhswl_client - the client name in a domain allow list */

static int permit_rhswl_client(SMTPD_CHECK_CALL *call)
{
    return (rbl_check_name(call, call->state->name, call->state->name,
			   "Client host", true));
}

/* reject_rhsbl_reverse_client - the unverified client name */

static int reject_rhsbl_reverse_client(SMTPD_CHECK_CALL *call)
{
    return (rbl_check_name(call, call->state->reverse_name,
			   call->state->reverse_name,
			   "Unverified Client host", false));
}

/* reject_rhsbl_helo - the HELO name in a domain block list */

static int reject_rhsbl_helo(SMTPD_CHECK_CALL *call)
{
    return (rbl_check_name(call, call->state->helo_name,
			   call->state->helo_name, "Helo command", false));
}

/* reject_rhsbl_sender - the sender domain in a domain block list */

static int reject_rhsbl_sender(SMTPD_CHECK_CALL *call)
{
    return (rbl_check_name(call, address_domain(call->state->sender),
			   call->state->sender, "Sender address", false));
}

/* reject_rhsbl_recipient - the recipient domain in a block list */

static int reject_rhsbl_recipient(SMTPD_CHECK_CALL *call)
{
    return (rbl_check_name(call, address_domain(call->state->recipient),
			   call->state->recipient, "Recipient address",
			   false));
}

/* dns_access_maps_find - the MAPS of a table argument, opened once */

static MAPS *dns_access_maps_find(const char *table)
{
    MAPS   *maps;

    if (dns_access_maps == 0)
	dns_access_maps = htable_create(10);
    if ((maps = htable_find(dns_access_maps, table)) == 0) {
	maps = maps_create(table, table, DICT_FLAG_LOCK | DICT_FLAG_FOLD_FIX);
	htable_enter(dns_access_maps, table, maps);
    }
    return (maps);
}

/* dns_access_search - search one key sequence; SMTPD_CHECK_* or -1 */

static int dns_access_search(SMTPD_CHECK_CALL *call, MAPS *maps,
			             TABLE_SEARCH *ts, const char *key,
			             const char *subject)
{
    const char *value;
    char   *action;
    int     status;

    if ((value = table_search_find(ts, maps, (size_t *) 0)) == 0)
	return (maps->error ?
		smtpd_check_table_error(call, call->arg) : -1);
    action = mystrdup(value);
    status = smtpd_check_access_action(call, call->arg, key, action);
    myfree(action);
    if (status == SMTPD_CHECK_OK) {
	/* As Postfix: a permit from DNS data is a configuration error. */
	msg_warn("restriction %s returns OK for %s", call->restriction,
		 subject);
	msg_warn("this is not allowed for security reasons");
	msg_warn("use DUNNO instead of OK if you want to make an exception");
	status = smtpd_check_reject(call, "software", 451, "4.3.5",
				    "Server configuration error");
    }
    return (status);
}

/* dns_access_host - search a host name and its addresses */

static int dns_access_host(SMTPD_CHECK_CALL *call, MAPS *maps,
			           TABLE_SEARCH *ts, const char *host,
			           bool search_name, const char *subject)
{
    static const int types[] = {DNS_T_A, DNS_T_AAAA, 0};
    DNS_RR *list = 0;
    DNS_RR *rr;
    VSTRING *addr = vstring_alloc(50);
    int     status = -1;

    if (search_name) {
	table_search_access_host(ts, host,
				 table_search_parent_match(
				  VAR_STR(parent_domain_matches_subdomains),
							"smtpd_access_maps"));
	status = dns_access_search(call, maps, ts, host, subject);
    }
    if (status < 0 && dns_lookup_types(host, types, 0, &list, (VSTRING *) 0,
				       (VSTRING *) 0) == DNS_OK) {
	for (rr = list; status < 0 && rr != 0; rr = rr->next) {
	    if (dns_rr_to_pa(rr, addr) == 0)
		continue;
	    table_search_access_ip(ts, vstring_str(addr));
	    status = dns_access_search(call, maps, ts, vstring_str(addr),
				       subject);
	}
    }
    dns_rr_free(list);
    vstring_free(addr);
    return (status);
}

/* dns_server_hosts - the MX hosts or the name servers of a domain */

static DNS_RR *dns_server_hosts(const char *domain, int type)
{
    DNS_RR *list = 0;
    const char *cp = domain;
    int     status;

    for (;;) {
	status = dns_lookup(cp, type, 0, &list, (VSTRING *) 0, (VSTRING *) 0);
	if (status == DNS_OK || type != DNS_T_NS
	    || (status != DNS_NOTFOUND && status != DNS_NOTEXIST))
	    break;
	/* No NS here: the servers of the enclosing zone. */
	if ((cp = strchr(cp, '.')) == 0 || *++cp == 0)
	    break;
    }
    if (status != DNS_OK)
	return (0);
    return (type == DNS_T_MX ? dns_rr_sort_mx(list) : list);
}

/* dns_access_check - a check_*_{mx,ns,a}_access restriction */

static int dns_access_check(SMTPD_CHECK_CALL *call, const char *subject,
			            const char *reply_name,
			            const char *reply_class, int type)
{
    SMTPD_CHECK_CALL subject_call = *call;
    MAPS   *maps;
    TABLE_SEARCH *ts;
    DNS_RR *hosts = 0;
    DNS_RR *rr;
    const char *at;
    char   *domain;
    size_t  len;
    int     count;
    int     status = -1;

    if (subject == 0 || *subject == 0 || strcmp(subject, "unknown") == 0)
	return (SMTPD_CHECK_DUNNO);
    if ((at = strrchr(subject, '@')) != 0)
	domain = mystrdup(at + 1);
    else
	domain = mystrdup(subject);
    lowercase(domain);
    len = strlen(domain);
    if (len > 0 && domain[len - 1] == '.')
	domain[len - 1] = 0;
    if (*domain == 0 || *domain == '[' || valid_hostaddr(domain, 0)
	|| !valid_hostname(domain, 0)) {
	myfree(domain);
	return (SMTPD_CHECK_DUNNO);
    }
    /* Postfix names the subject in the reply, whatever the stage. */
    subject_call.reply_name = reply_name;
    subject_call.reply_class = reply_class;
    maps = dns_access_maps_find(call->arg);
    ts = table_search_create();
    if (type == DNS_T_A) {
	status = dns_access_host(&subject_call, maps, ts, domain, false,
				 subject);
    } else if ((hosts = dns_server_hosts(domain, type)) == 0) {
	if (type == DNS_T_MX)
	    status = dns_access_host(&subject_call, maps, ts, domain, true,
				     subject);
    } else {
	for (count = 0, rr = hosts; status < 0 && rr != 0
	     && count < DNS_HOST_LIMIT; rr = rr->next, count++)
	    if (rr->type == type && valid_hostname(rr->data, 0))
		status = dns_access_host(&subject_call, maps, ts, rr->data,
					 true, subject);
    }
    dns_rr_free(hosts);
    table_search_free(ts);
    myfree(domain);
    return (status < 0 ? SMTPD_CHECK_DUNNO : status);
}

/* client_access_check - the client name's DNS data */

static int client_access_check(SMTPD_CHECK_CALL *call, const char *name,
			               int type)
{
    return (dns_access_check(call, name, call->state->namaddr,
			     "Client host", type));
}

/* helo_access_check - the HELO name's DNS data */

static int helo_access_check(SMTPD_CHECK_CALL *call, int type)
{
    return (dns_access_check(call, call->state->helo_name,
			     call->state->helo_name, "Helo command", type));
}

/* sender_access_check - the sender domain's DNS data */

static int sender_access_check(SMTPD_CHECK_CALL *call, int type)
{
    return (dns_access_check(call, call->state->sender, call->state->sender,
			     "Sender address", type));
}

/* recipient_access_check - the recipient domain's DNS data */

static int recipient_access_check(SMTPD_CHECK_CALL *call, int type)
{
    return (dns_access_check(call, call->state->recipient,
			     call->state->recipient, "Recipient address",
			     type));
}

/* DNS_ACCESS_FN - define one check_<who>_<type>_access function */

#define DNS_ACCESS_FN(fn, expr) \
    static int fn(SMTPD_CHECK_CALL *call) \
    { \
	return (expr); \
    }

DNS_ACCESS_FN(check_client_mx_access,
	      client_access_check(call, call->state->name, DNS_T_MX))
DNS_ACCESS_FN(check_client_ns_access,
	      client_access_check(call, call->state->name, DNS_T_NS))
DNS_ACCESS_FN(check_client_a_access,
	      client_access_check(call, call->state->name, DNS_T_A))
DNS_ACCESS_FN(check_reverse_mx_access,
	      client_access_check(call, call->state->reverse_name, DNS_T_MX))
DNS_ACCESS_FN(check_reverse_ns_access,
	      client_access_check(call, call->state->reverse_name, DNS_T_NS))
DNS_ACCESS_FN(check_reverse_a_access,
	      client_access_check(call, call->state->reverse_name, DNS_T_A))
DNS_ACCESS_FN(check_helo_mx_access, helo_access_check(call, DNS_T_MX))
DNS_ACCESS_FN(check_helo_ns_access, helo_access_check(call, DNS_T_NS))
DNS_ACCESS_FN(check_helo_a_access, helo_access_check(call, DNS_T_A))
DNS_ACCESS_FN(check_sender_mx_access, sender_access_check(call, DNS_T_MX))
DNS_ACCESS_FN(check_sender_ns_access, sender_access_check(call, DNS_T_NS))
DNS_ACCESS_FN(check_sender_a_access, sender_access_check(call, DNS_T_A))
DNS_ACCESS_FN(check_recipient_mx_access,
	      recipient_access_check(call, DNS_T_MX))
DNS_ACCESS_FN(check_recipient_ns_access,
	      recipient_access_check(call, DNS_T_NS))
DNS_ACCESS_FN(check_recipient_a_access,
	      recipient_access_check(call, DNS_T_A))

const SMTPD_RESTRICTION smtpd_check_dns_table[] = {
    {"reject_rbl_client", reject_rbl_client, SMTPD_RESTR_ARG},
    {"permit_dnswl_client", permit_dnswl_client, SMTPD_RESTR_ARG},
    {"reject_rhsbl_client", reject_rhsbl_client, SMTPD_RESTR_ARG},
    {"permit_rhswl_client", permit_rhswl_client, SMTPD_RESTR_ARG},
    {"reject_rhsbl_reverse_client", reject_rhsbl_reverse_client,
    SMTPD_RESTR_ARG},
    {"reject_rhsbl_helo", reject_rhsbl_helo, SMTPD_RESTR_ARG},
    {"reject_rhsbl_sender", reject_rhsbl_sender, SMTPD_RESTR_ARG},
    {"reject_rhsbl_recipient", reject_rhsbl_recipient, SMTPD_RESTR_ARG},
    {"check_client_mx_access", check_client_mx_access, SMTPD_RESTR_ARG},
    {"check_client_ns_access", check_client_ns_access, SMTPD_RESTR_ARG},
    {"check_client_a_access", check_client_a_access, SMTPD_RESTR_ARG},
    {"check_reverse_client_hostname_mx_access", check_reverse_mx_access,
    SMTPD_RESTR_ARG},
    {"check_reverse_client_hostname_ns_access", check_reverse_ns_access,
    SMTPD_RESTR_ARG},
    {"check_reverse_client_hostname_a_access", check_reverse_a_access,
    SMTPD_RESTR_ARG},
    {"check_helo_mx_access", check_helo_mx_access, SMTPD_RESTR_ARG},
    {"check_helo_ns_access", check_helo_ns_access, SMTPD_RESTR_ARG},
    {"check_helo_a_access", check_helo_a_access, SMTPD_RESTR_ARG},
    {"check_sender_mx_access", check_sender_mx_access, SMTPD_RESTR_ARG},
    {"check_sender_ns_access", check_sender_ns_access, SMTPD_RESTR_ARG},
    {"check_sender_a_access", check_sender_a_access, SMTPD_RESTR_ARG},
    {"check_recipient_mx_access", check_recipient_mx_access,
    SMTPD_RESTR_ARG},
    {"check_recipient_ns_access", check_recipient_ns_access,
    SMTPD_RESTR_ARG},
    {"check_recipient_a_access", check_recipient_a_access, SMTPD_RESTR_ARG},
    {0, 0, 0},
};
