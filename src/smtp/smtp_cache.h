/*
 * smtp_cache - the SMTP/LMTP client's connection cache policy
 *
 * SYNOPSIS
 *	#include "smtp_cache.h"
 *
 *	void	smtp_cache_init(void);
 *	void	smtp_cache_begin(SMTP_STATE *state, const SMTP_DEST *dest);
 *	SMTP_SESSION *smtp_cache_find_dest(SMTP_STATE *state);
 *	SMTP_SESSION *smtp_cache_find_endp(SMTP_STATE *state,
 *				const SMTP_ADDR *addr);
 *	int	smtp_cache_save(SMTP_STATE *state);
 *	void	smtp_cache_end(SMTP_STATE *state);
 *
 * DESCRIPTION
 *	smtp_cache_init() is called once per process after the
 *	parameters are read (smtp_params_init()). It compiles
 *	smtp_connection_cache_destinations (lmtp_ twin in LMTP mode):
 *	a list of domains, relay host names (without [] or port),
 *	/file/names and type:tables, matched as Postfix matches a domain
 *	list (a name matches itself and, with the default
 *	parent_domain_matches_subdomains, its subdomains). The scache
 *	service ($connection_cache_service_name) is reached lazily.
 *
 *	smtp_cache_begin() is called once per next hop, before any
 *	address is tried. It sets state->dest_label (the logical
 *	destination, made from the service, "[host]" or "host", and the
 *	port) and sets or clears SMTP_MISC_FLAG_CONN_LOAD and
 *	SMTP_MISC_FLAG_CONN_STORE in state->misc_flags: both are set
 *	when dest->host is in the destinations list, or when
 *	smtp_connection_cache_on_demand is on and the request carries
 *	DEL_REQ_FLAG_CONN_STORE (qmgr's backlog signal). The caller
 *	may clear them afterwards (e.g. for a verify probe or a session
 *	that must not be shared).
 *
 *	smtp_cache_find_dest() asks the cache for a session to
 *	state->dest_label (only with SMTP_MISC_FLAG_CONN_LOAD), and
 *	smtp_cache_find_endp() for one to addr (the physical endpoint:
 *	address and port). They return a session made with
 *	smtp_session_activate(), with session->reused set, or NULL (no
 *	cached session, cache not reachable, or bad properties: then
 *	the socket is closed with a warning). As in Postfix, the reuse
 *	limits are checked when a session is saved, not here. The
 *	caller sends RSET (smtp_rset()) before the next transaction as
 *	usual for a reused session.
 *
 *	smtp_cache_save() is called after a transaction on
 *	state->session that left it reusable (smtp_xfer() returned 0)
 *	and when no more recipients of this request go to it. With
 *	SMTP_MISC_FLAG_CONN_STORE set, while the transactions done
 *	(session->reuse_count, which smtp_xfer() counts) stay within
 *	1 + smtp_connection_reuse_count_limit (0: no limit), and the
 *	session is not older than smtp_connection_reuse_time_limit, hands
 *	the socket to scache for smtp_connection_cache_time_limit
 *	seconds under its endpoint label and records state->dest_label
 *	-> endpoint; when that fails (the cache is not reachable), the
 *	socket is closed without QUIT, as Postfix does. Otherwise it
 *	sends QUIT (smtp_quit()) and closes. Either way state->session
 *	is NULL on return. It returns 1 when cached, 0 when closed.
 *	Sessions that are not reusable (after an error) the caller
 *	closes itself (smtp_session_free()); they never come here.
 *
 *	smtp_cache_end() frees state->dest_label at the end of a next
 *	hop (also done by smtp_cache_begin() for the next one).
 *
 *	Session reuse count (smtp_session.h): session->reuse_count is
 *	the number of transactions done before the current one
 *	(smtp_xfer() adds one when a transaction ends); the log's
 *	conn_use is reuse_count + 1, shown when it is above 1.
 *
 * DIAGNOSTICS
 *	Warnings for an unreachable cache service or malformed cached
 *	session properties; delivery then proceeds without the cache.
 */
#ifndef SMTP_CACHE_H
#define SMTP_CACHE_H

#include "sys_defs.h"
#include "smtp.h"
#include "smtp_dest.h"
#include "smtp_addr.h"
#include "smtp_session.h"

extern void smtp_cache_init(void);
extern void smtp_cache_begin(SMTP_STATE *state, const SMTP_DEST *dest);
extern SMTP_SESSION *smtp_cache_find_dest(SMTP_STATE *state);
extern SMTP_SESSION *smtp_cache_find_endp(SMTP_STATE *state,
					          const SMTP_ADDR *addr);
extern int smtp_cache_save(SMTP_STATE *state);
extern void smtp_cache_end(SMTP_STATE *state);

#endif
