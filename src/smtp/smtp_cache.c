/*
 * smtp_cache - the SMTP/LMTP client's connection cache policy
 *
 * SYNOPSIS
 *	See smtp_cache.h.
 *
 * DESCRIPTION
 *	Labels. A logical destination is "service:host:port" or
 *	"service:[host]:port" (no MX lookup), an endpoint
 *	"service:address:port" ("service:unix:path" for LMTP over a
 *	unix-domain socket). The master.cf service name is part of both,
 *	so that transports with different settings (helo name, bind
 *	address, timeouts) never share a connection. The destination
 *	properties are the endpoint label (informational: scache(8)
 *	keeps the binding itself); the endpoint properties are those of
 *	smtp_session_passivate().
 *
 *	The time limits: a connection is cached for
 *	smtp_connection_cache_time_limit seconds (scache(8) caps that by
 *	connection_cache_ttl_limit), and is not cached any more once
 *	smtp_connection_reuse_time_limit has passed since it was made.
 *	A cached connection is taken back even when it has passed that
 *	limit in the cache; it is closed after that transaction (Debian's
 *	Postfix 3.7 behaves so: tests/system/test_scache.py).
 *	smtp_connection_reuse_count_limit (0: none) is the number of
 *	times a connection may be reused: it is cached while it was
 *	reused fewer times. Both limits are checked only when a session
 *	would be saved.
 *
 *	When scache(8) cannot be reached (two attempts, one second
 *	apart), caching is off for the rest of the process, with
 *	Postfix's warning "disabling connection caching" (observed on
 *	Debian's Postfix 3.7 with a connection_cache_service_name that
 *	does not exist; it keeps no cache of its own then either).
 *
 *	What it does not do (yet): TLS sessions (next issue).
 *
 * DIAGNOSTICS
 *	Warnings: "disabling connection caching", "<param>: table
 *	lookup problem for <host>; not caching", "cached session for
 *	<label>: <reason>" (malformed properties from the cache; the
 *	socket is closed),
 *	and scache_client(3)'s warnings.
 */
#include "sys_defs.h"

#include <string.h>
#include <time.h>
#include <unistd.h>

#include "msg.h"
#include "mymalloc.h"
#include "vstring.h"
#include "mail_params.h"
#include "domain_list.h"
#include "table_search.h"
#include "deliver_request.h"
#include "scache_client.h"
#include "smtp.h"
#include "smtp_session.h"
#include "smtp_cache.h"

static DOMAIN_LIST *smtp_cache_dests;	/* NULL: empty list */
static SCACHE_CLIENT *smtp_scache;	/* NULL: caching is off */
static VSTRING *smtp_cache_buf1;
static VSTRING *smtp_cache_buf2;

/* smtp_cache_init - compile the destination list, prepare the client */
void    smtp_cache_init(void)
{
    const char *dests = SMTP_STR(connection_cache_destinations);
    const char *title = SMTP_PARAM_NAME(connection_cache_destinations);
    const char *parents = VAR_STR(parent_domain_matches_subdomains);

    if (*dests)
	smtp_cache_dests = domain_list_create(title, dests,
				table_search_parent_match(parents, title));
    if (smtp_cache_dests != 0 || SMTP_BOOL(connection_cache_on_demand))
	smtp_scache = scache_client_open((const char *) 0);
    smtp_cache_buf1 = vstring_alloc(100);
    smtp_cache_buf2 = vstring_alloc(100);
}

/* smtp_cache_reachable - after a request: give up when scache is gone */
static bool smtp_cache_reachable(void)
{
    if (smtp_scache != 0 && scache_client_failed(smtp_scache)) {
	msg_warn("disabling connection caching");
	scache_client_close(smtp_scache);
	smtp_scache = 0;
    }
    return (smtp_scache != 0);
}

/* smtp_cache_endp_label - the endpoint label of a server */
static const char *smtp_cache_endp_label(SMTP_STATE *state, const char *name,
				           const char *addr, unsigned port,
					         VSTRING *buf)
{
    if (*addr)
	vstring_sprintf(buf, "%s:%s:%u", state->service, addr, port);
    else
	vstring_sprintf(buf, "%s:unix:%s", state->service, name);
    return (vstring_str(buf));
}

/* smtp_cache_begin - decide caching for one next hop, set the label */
void    smtp_cache_begin(SMTP_STATE *state, const SMTP_DEST *dest)
{
    VSTRING *label = vstring_alloc(100);
    int     wanted = 0;
    int     match;

    smtp_cache_end(state);
    state->misc_flags &= ~(SMTP_MISC_FLAG_CONN_LOAD
			   | SMTP_MISC_FLAG_CONN_STORE);
    if (dest->is_unix)
	vstring_sprintf(label, "%s:unix:%s", state->service, dest->host);
    else
	vstring_sprintf(label, dest->no_mx ? "%s:[%s]:%u" : "%s:%s:%u",
			state->service, dest->host, dest->port);
    state->dest_label = vstring_export(label);
    if (smtp_scache == 0)
	return;
    if (smtp_cache_dests != 0) {
	match = domain_list_match(smtp_cache_dests, dest->host);
	if (match == DOMAIN_LIST_ERROR)
	    msg_warn("%s: table lookup problem for %s; not caching",
		     SMTP_PARAM_NAME(connection_cache_destinations),
		     dest->host);
	else if (match == DOMAIN_LIST_MATCH)
	    wanted = SMTP_MISC_FLAG_CONN_LOAD | SMTP_MISC_FLAG_CONN_STORE;
    }
    if (wanted == 0 && SMTP_BOOL(connection_cache_on_demand)) {
	wanted = SMTP_MISC_FLAG_CONN_LOAD;
	if (state->request->flags & DEL_REQ_FLAG_CONN_STORE)
	    wanted |= SMTP_MISC_FLAG_CONN_STORE;
    }
    state->misc_flags |= wanted;
    if (msg_verbose)
	msg_info("%s: %s load=%d store=%d", __func__, state->dest_label,
		 (wanted & SMTP_MISC_FLAG_CONN_LOAD) != 0,
		 (wanted & SMTP_MISC_FLAG_CONN_STORE) != 0);
}

/* smtp_cache_end - forget the next hop's label */
void    smtp_cache_end(SMTP_STATE *state)
{
    if (state->dest_label) {
	myfree(state->dest_label);
	state->dest_label = 0;
    }
}

/* smtp_cache_too_old - the connection is past its reuse time limit */
static bool smtp_cache_too_old(const SMTP_SESSION *session)
{
    int     limit = SMTP_TIME(connection_reuse_time_limit);

    /* Over, not at, the limit: as Postfix, in whole seconds. */
    return (limit > 0 && time((time_t *) 0) - session->connect_time > limit);
}

/* smtp_cache_activate - a session from a cached socket, or NULL */
static SMTP_SESSION *smtp_cache_activate(const char *label, int fd,
					         const char *prop)
{
    SMTP_SESSION *session;
    VSTRING *why = vstring_alloc(100);

    if ((session = smtp_session_activate(fd, prop, why)) == 0) {
	msg_warn("cached session for %s: %s", label, vstring_str(why));
	(void) close(fd);
    } else {
	session->reused = 1;
	if (msg_verbose)
	    msg_info("reusing cached session for %s: %s", label,
		     session->namaddrport);
    }
    vstring_free(why);
    return (session);
}

/* smtp_cache_find_dest - a cached session to the logical destination */
SMTP_SESSION *smtp_cache_find_dest(SMTP_STATE *state)
{
    int     fd;

    if (smtp_scache == 0 || state->dest_label == 0
	|| (state->misc_flags & SMTP_MISC_FLAG_CONN_LOAD) == 0)
	return (0);
    if ((fd = scache_find_dest(smtp_scache, state->dest_label,
			       smtp_cache_buf1, smtp_cache_buf2)) < 0) {
	(void) smtp_cache_reachable();
	return (0);
    }
    return (smtp_cache_activate(state->dest_label, fd,
				vstring_str(smtp_cache_buf2)));
}

/* smtp_cache_find_endp - a cached session to one server address */
SMTP_SESSION *smtp_cache_find_endp(SMTP_STATE *state, const SMTP_ADDR *addr)
{
    const char *label;
    int     fd;

    if (smtp_scache == 0
	|| (state->misc_flags & SMTP_MISC_FLAG_CONN_LOAD) == 0)
	return (0);
    label = smtp_cache_endp_label(state, addr->name, addr->addr, addr->port,
				  smtp_cache_buf1);
    if ((fd = scache_find_endp(smtp_scache, label, smtp_cache_buf2)) < 0) {
	(void) smtp_cache_reachable();
	return (0);
    }
    return (smtp_cache_activate(label, fd, vstring_str(smtp_cache_buf2)));
}

/* smtp_cache_keep - may this session be cached? */
static bool smtp_cache_keep(SMTP_STATE *state, const SMTP_SESSION *session)
{
    long    count_limit = SMTP_INT(connection_reuse_count_limit);

    if (state->dest_label == 0
	|| (state->misc_flags & SMTP_MISC_FLAG_CONN_STORE) == 0
	|| session->broken || session->quit_sent)
	return (false);
    /* reuse_count counts the transactions done, the last one included. */
    if (count_limit > 0 && session->reuse_count > count_limit)
	return (false);
    return (!smtp_cache_too_old(session));
}

/* smtp_cache_save - cache the session, or say goodbye and close it */
int     smtp_cache_save(SMTP_STATE *state)
{
    SMTP_SESSION *session = state->session;
    VSTRING *endp_label;
    VSTRING *prop;
    int     ttl = SMTP_TIME(connection_cache_time_limit);
    int     fd;
    int     saved = 0;

    if (session == 0)
	msg_panic("%s: no session", __func__);
    if (!smtp_cache_keep(state, session)) {
	if (!session->broken)
	    (void) smtp_quit(state);
	smtp_session_free(session);
	state->session = 0;
	return (0);
    }
    endp_label = vstring_alloc(100);
    prop = vstring_alloc(100);
    (void) smtp_cache_endp_label(state, session->host, session->addr,
				 session->port, endp_label);
    state->session = 0;
    fd = smtp_session_passivate(session, prop);
    /* Caching went off during this request: close, as Postfix does. */
    if (fd >= 0 && smtp_scache != 0) {
	if (scache_save_endp(smtp_scache, ttl, vstring_str(endp_label),
			     vstring_str(prop), fd) == 0
	    && scache_save_dest(smtp_scache, ttl, state->dest_label,
				vstring_str(endp_label),
				vstring_str(endp_label)) == 0)
	    saved = 1;
	else
	    (void) smtp_cache_reachable();
    }
    if (fd >= 0)
	(void) close(fd);
    if (msg_verbose)
	msg_info("%s: %s -> %s: %s", __func__, state->dest_label,
		 vstring_str(endp_label), saved ? "cached" : "not cached");
    vstring_free(endp_label);
    vstring_free(prop);
    return (saved);
}
