/*
 * flush_clnt - client of the flush(8) fast flush service
 *
 * SYNOPSIS
 *	See flush_clnt.h.
 *
 * DESCRIPTION
 *	One connection per request: connect to public/$flush_service_name,
 *	read the greeting "protocol=flush", send the request, read "i
 *	status", close. The status of a reply must be one of FLUSH_STAT_*;
 *	-1 (a refused request) and anything else count as a failure.
 *
 *	As Postfix's client: flush_add() and flush_send_site() check the
 *	site's syntax and $fast_flush_domains, and flush_add() and
 *	flush_send_file() the queue ID, before they connect (the server
 *	checks again); so postqueue -s and ETRN refuse a site outside
 *	$fast_flush_domains even when the service is down.
 *
 *	What it does not do: retry (a lost flush request costs only
 *	delay: deferred mail is retried on its own schedule).
 *
 * DIAGNOSTICS
 *	See flush_clnt.h.
 */
#include "sys_defs.h"

#include <fcntl.h>
#include <string.h>
#include <strings.h>

#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "excerpt.h"
#include "connect.h"
#include "iostuff.h"
#include "valid_hostname.h"
#include "vstream.h"
#include "vstring.h"
#include "mail_params.h"
#include "mail_queue.h"
#include "mail_endpoint.h"
#include "queue_id.h"
#include "attr_list.h"
#include "attr_call.h"
#include "domain_list.h"
#include "table_search.h"
#include "flush_clnt.h"

static DOMAIN_LIST *flush_domains;	/* $fast_flush_domains */

/* flush_clnt_call - one request on a new connection; a FLUSH_STAT_* */
static int flush_clnt_call(ATTR_LIST *request)
{
    char   *endpoint = concatenate(MAIL_QUEUE_PUBLIC, "/",
				   VAR_STR(flush_service_name), (char *) 0);
    char   *path = mail_endpoint_path(endpoint);
    VSTRING *why = vstring_alloc(100);
    ATTR_LIST *reply = attr_list_create();
    const char *reason = "";
    int     status = -1;
    ATTR_WANT want[] = {
	{FLUSH_ATTR_STATUS, ATTR_TYPE_INT, ATTR_REQUIRED, &status},
	{ATTR_REASON, ATTR_TYPE_STR, ATTR_OPTIONAL, &reason},
    };

    if (!attr_call(path, endpoint, FLUSH_PROTOCOL, request, reply, why)) {
	msg_warn("%s%s", strncmp(vstring_str(why), "connect to ", 11) == 0 ?
		 "" : "flush service: ", vstring_str(why));
	status = FLUSH_STAT_FAIL;
    } else if (!attr_list_take(reply, want, ARRAY_LEN(want), why)) {
	msg_warn("flush service: %s", vstring_str(why));
	status = FLUSH_STAT_FAIL;
    } else if (status < FLUSH_STAT_OK || status > FLUSH_STAT_DENY) {
	msg_warn("flush service: request failed%s%s",
		 *reason ? ": " : "", excerpt(reason));
	status = FLUSH_STAT_FAIL;
    }
    attr_list_free(reply);
    attr_list_free(request);
    vstring_free(why);
    myfree(path);
    myfree(endpoint);
    return (status);
}

/* flush_init - open $fast_flush_domains (before a chroot) */
void    flush_init(void)
{
    if (flush_domains == 0)
	flush_domains = domain_list_create(PARAM_NAME(fast_flush_domains),
					   VAR_STR(fast_flush_domains),
					   table_search_parent_match(
				    VAR_STR(parent_domain_matches_subdomains),
				     PARAM_NAME(fast_flush_domains)));
}

/* flush_eligible - may the site have a fast flush log? */
int     flush_eligible(const char *site)
{
    /* As Postfix's: the list holds domains, never address literals. */
    if (*VAR_STR(fast_flush_domains) == 0 || *site == '[')
	return (FLUSH_STAT_DENY);
    flush_init();
    switch (domain_list_match(flush_domains, site)) {
    case DOMAIN_LIST_MATCH:
	return (FLUSH_STAT_OK);
    case DOMAIN_LIST_ERROR:
	msg_warn("%s: table lookup error for %s",
		 PARAM_NAME(fast_flush_domains), excerpt(site));
	return (FLUSH_STAT_FAIL);
    default:
	return (FLUSH_STAT_DENY);
    }
}

/* flush_site_ok - a host name or an address literal */
bool    flush_site_ok(const char *site)
{
    size_t  len = strlen(site);
    char   *addr;
    bool    ok;

    if (*site != '[')
	return (valid_hostname(site, DONT_GRIPE));
    if (len < 3 || site[len - 1] != ']')
	return (false);
    addr = mystrndup(site + 1, len - 2);
    if (strncasecmp(addr, "IPv6:", 5) == 0)
	ok = valid_ipv6_hostaddr(addr + 5, DONT_GRIPE);
    else
	ok = valid_ipv4_hostaddr(addr, DONT_GRIPE);
    myfree(addr);
    return (ok);
}

/* flush_add - record deferred mail for a site */
int     flush_add(const char *site, const char *queue_id)
{
    ATTR_LIST *request;
    int     status;

    if (!flush_site_ok(site) || !queue_id_valid(queue_id))
	return (FLUSH_STAT_BAD);
    if ((status = flush_eligible(site)) != FLUSH_STAT_OK)
	return (status);
    request = attr_proto_request(FLUSH_PROTOCOL, FLUSH_REQ_ADD);
    attr_list_add_str(request, FLUSH_ATTR_SITE, site);
    attr_list_add_str(request, FLUSH_ATTR_QUEUE_ID, queue_id);
    return (flush_clnt_call(request));
}

/* flush_send_site - deliver the mail recorded for a site */
int     flush_send_site(const char *site)
{
    ATTR_LIST *request;
    int     status;

    if (!flush_site_ok(site))
	return (FLUSH_STAT_BAD);
    if ((status = flush_eligible(site)) != FLUSH_STAT_OK)
	return (status);
    request = attr_proto_request(FLUSH_PROTOCOL, FLUSH_REQ_SEND_SITE);
    attr_list_add_str(request, FLUSH_ATTR_SITE, site);
    return (flush_clnt_call(request));
}

/* flush_send_file - deliver one deferred message */
int     flush_send_file(const char *queue_id)
{
    ATTR_LIST *request;

    if (!queue_id_valid(queue_id))
	return (FLUSH_STAT_BAD);
    request = attr_proto_request(FLUSH_PROTOCOL, FLUSH_REQ_SEND_FILE);
    attr_list_add_str(request, FLUSH_ATTR_QUEUE_ID, queue_id);
    return (flush_clnt_call(request));
}

/* flush_refresh - refresh stale logs, remove old empty ones */
int     flush_refresh(void)
{
    return (flush_clnt_call(attr_proto_request(FLUSH_PROTOCOL,
					       FLUSH_REQ_REFRESH)));
}

/* flush_purge - refresh every log */
int     flush_purge(void)
{
    return (flush_clnt_call(attr_proto_request(FLUSH_PROTOCOL,
					       FLUSH_REQ_PURGE)));
}
