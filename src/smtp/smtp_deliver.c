/*
 * smtp_deliver - the walk over next hops, addresses and sessions
 *
 * SYNOPSIS
 *	#include "smtp_deliver.h"
 *
 *	void	smtp_deliver_init(void);
 *	void	smtp_deliver(SMTP_STATE *state);
 *
 * DESCRIPTION
 *	smtp_deliver() delivers the open recipients of one request in
 *	Postfix's order:
 *
 *	1. The next hops: the request's next hop (trivial-rewrite has
 *	   put relayhost or the transport(5) next hop there; the
 *	   recipient's domain when it is empty), then each of
 *	   $smtp_fallback_relay ($lmtp_fallback_relay) in the order
 *	   given. Fallback relays are not used when the destination
 *	   loops back to this host (5.4.6), as Postfix 2.2 and later
 *	   do not.
 *	2. Per next hop: a session that the connection cache holds for
 *	   the logical destination (smtp_cache(3)); then the addresses
 *	   of smtp_addr_resolve() in order, each first as a cached
 *	   session to that endpoint, else a new connection.
 *	3. Per session: EHLO/HELO/LHLO (new sessions) or RSET (cached
 *	   ones), one mail transaction (smtp_xfer()), then the session
 *	   goes back to the cache or is closed with QUIT
 *	   (smtp_cache_save()); a session that failed is closed.
 *
 *	The walk stops as soon as no recipient is open. At most
 *	$smtp_mx_session_limit sessions per next hop complete the
 *	EHLO handshake (0: no limit); connections that fail before do
 *	not count. SMTP_MISC_FLAG_FINAL_SERVER is set for the last
 *	address of the last next hop, or when the session limit will
 *	be reached, so that a temporary failure there is reported
 *	rather than left for a next server. SMTP_MISC_FLAG_FINAL_NEXTHOP
 *	is set for the last next hop.
 *
 *	Recipients still open at the end (every server unreachable, or
 *	temporary failures everywhere) get the last reason
 *	(smtp_site_fail()). When no session reached the mail
 *	transaction and the recipients were deferred, the request's
 *	reply says that the next hop is dead (req->dead, with the
 *	reason), so that qmgr suspends the destination as Postfix's
 *	does ("delivery temporarily suspended: ...").
 *
 *	best_mx_transport: when smtp_addr_resolve() finds this host to
 *	be the best MX host of a destination and best_mx_transport is
 *	set, the request is passed to that transport's delivery agent
 *	(private/<transport>, the delivery protocol of
 *	docs/internals/delivery.md) with the transport's next hop
 *	("transport:nexthop"; the request's own when none is given).
 *	That agent reports each recipient itself; its reply (outcomes,
 *	status, dead flag) becomes this agent's reply. When it cannot be
 *	reached, the recipients are deferred with "4.3.0 mail transport
 *	unavailable". Only a whole request is passed: when a fallback
 *	relay turns out to be such a destination after some recipients
 *	were reported, the rest are deferred ("4.3.0 cannot pass part of
 *	a request to TRANSPORT"; ours, so that nobody gets mail twice).
 *
 * DIAGNOSTICS
 *	Warnings for a bad next hop or fallback relay ("bad next hop:
 *	missing "]" in server description: [host"; the recipients are
 *	deferred, 4.3.5, with that text, where Debian's smtp(8) exits
 *	with a fatal error) and for a failed hand-over to
 *	best_mx_transport.
 */
#include "sys_defs.h"

#include <fcntl.h>
#include <string.h>
#include <sys/time.h>

#include "msg.h"
#include "mymalloc.h"
#include "argv.h"
#include "connect.h"
#include "iostuff.h"
#include "stringops.h"
#include "vstream.h"
#include "vstring.h"
#include "deliver_request.h"
#include "dsn.h"
#include "mail_endpoint.h"
#include "mail_params.h"
#include "smtp.h"
#include "smtp_dest.h"
#include "smtp_addr.h"
#include "smtp_session.h"
#include "smtp_cache.h"
#include "smtp_deliver.h"
#include "smtp_notify.h"

#define SMTP_DELIVER_LOOP_STATUS	"5.4.6"	/* mail loops back to myself */

/* What smtp_deliver_hop() leaves to do. */
#define SMTP_DELIVER_NEXT	0	/* the next hop, if any */
#define SMTP_DELIVER_STOP	1	/* nothing: every recipient reported */
#define SMTP_DELIVER_PASSED	2	/* nothing: best_mx_transport did it */

/* smtp_deliver_init - per-process set-up */
void    smtp_deliver_init(void)
{
    smtp_status_init();
    smtp_notify_init();
    smtp_cache_init();
}

/* smtp_deliver_hops - the request's next hop, then the fallback relays */
static ARGV *smtp_deliver_hops(SMTP_STATE *state)
{
    DELIVER_REQUEST *req = state->request;
    ARGV   *hops = argv_alloc(2);
    ARGV   *fallback;
    const char *nexthop = req->nexthop;
    const char *at;
    int     n;

    if (nexthop == 0 || *nexthop == 0) {
	at = strrchr(req->rcpt_list.info[0].address, '@');
	nexthop = at ? at + 1 : "";
    }
    argv_add(hops, nexthop, (char *) 0);
    fallback = smtp_dest_list(SMTP_STR(fallback_relay));
    for (n = 0; n < (int) fallback->argc; n++)
	argv_add(hops, fallback->argv[n], (char *) 0);
    argv_free(fallback);
    return hops;
}

/* smtp_deliver_ready - the session is usable: the delays= "c" stamp */
static void smtp_deliver_ready(SMTP_STATE *state)
{
    (void) gettimeofday(&state->request->stats.conn_setup_done,
			(struct timezone *) 0);
}

/* smtp_deliver_close - drop a session that must not be reused */
static void smtp_deliver_close(SMTP_STATE *state)
{
    if (state->session != 0) {
	smtp_session_free(state->session);
	state->session = 0;
    }
    smtp_status_reopen(state);
    smtp_notify_end();
}

/* smtp_deliver_xfer - one transaction on a ready session, then save/close */
static void smtp_deliver_xfer(SMTP_STATE *state, int *xfer_tried)
{
    *xfer_tried = 1;
    if (smtp_xfer(state) == 0 && state->session != 0) {
	(void) smtp_cache_save(state);
	smtp_status_reopen(state);
	smtp_notify_end();
    } else
	smtp_deliver_close(state);
}

/* smtp_deliver_cached - deliver over a session from the cache; 1: used */
static int smtp_deliver_cached(SMTP_STATE *state, SMTP_SESSION *session,
			               int *xfer_tried)
{
    state->session = session;
    smtp_notify_begin(session);
    if (smtp_rset(state) != 0) {
	/* A stale cached connection is nobody's failure. */
	smtp_deliver_close(state);
	return 0;
    }
    smtp_deliver_ready(state);
    smtp_deliver_xfer(state, xfer_tried);
    return 1;
}

/* smtp_deliver_addrs - try the addresses of one next hop */
static void smtp_deliver_addrs(SMTP_STATE *state, SMTP_ADDR_LIST *list,
			               int last_hop, int *xfer_tried)
{
    long    limit = SMTP_INT(mx_session_limit);
    int     sessions = 0;
    int     n;
    SMTP_SESSION *session;
    DSN_BUF *why = dsb_create();

    for (n = 0; n < list->count && state->rcpt_left > 0; n++) {
	if (limit > 0 && sessions >= limit)
	    break;
	if (last_hop && (n == list->count - 1
			 || (limit > 0 && sessions + 1 >= limit)))
	    state->misc_flags |= SMTP_MISC_FLAG_FINAL_SERVER;
	else
	    state->misc_flags &= ~SMTP_MISC_FLAG_FINAL_SERVER;
	/* A cached session to this address, else (or when stale) a new one. */
	if ((state->misc_flags & SMTP_MISC_FLAG_CONN_LOAD)
	    && (session = smtp_cache_find_endp(state, list->addrs + n)) != 0
	    && smtp_deliver_cached(state, session, xfer_tried)) {
	    sessions++;
	    continue;
	}
	if ((state->session = smtp_connect_addr(state, list->addrs + n,
						why)) == 0) {
	    smtp_status_remember(state, why);
	    continue;
	}
	smtp_notify_begin(state->session);
	if (smtp_helo(state) != 0) {
	    smtp_deliver_close(state);
	    continue;
	}
	sessions++;
	smtp_deliver_ready(state);
	smtp_deliver_xfer(state, xfer_tried);
    }
    state->misc_flags &= ~SMTP_MISC_FLAG_FINAL_SERVER;
    dsb_free(why);
}

/* smtp_deliver_pass - hand the request to $best_mx_transport */
static void smtp_deliver_pass(SMTP_STATE *state)
{
    DELIVER_REQUEST *req = state->request;
    char   *transport = mystrdup(VAR_STR(best_mx_transport));
    char   *colon = strchr(transport, ':');
    char   *saved_nexthop = req->nexthop;
    char   *endpoint;
    char   *path;
    VSTREAM *agent = 0;
    int     fd;
    int     n;
    int     ok = 0;

    if (colon != 0) {
	*colon = 0;
	if (colon[1] != 0)
	    req->nexthop = colon + 1;
    }
    endpoint = concatenate("private/", transport, (char *) 0);
    path = mail_endpoint_path(endpoint);
    if ((fd = unix_connect(path, BLOCKING, VAR_TIME(ipc_timeout))) < 0) {
	msg_warn("connect to transport %s: %m", endpoint);
    } else {
	agent = vstream_fdopen(fd, O_RDWR);
	vstream_set_path(agent, endpoint);
	ok = deliver_request_send(agent, req) == 0
	    && deliver_request_reply(agent, req) == 0;
	(void) vstream_fclose(agent);
    }
    req->nexthop = saved_nexthop;
    if (ok) {
	/* That agent reported every recipient; its reply is ours. */
	for (n = 0; n < req->rcpt_list.len; n++)
	    state->rcpt_state[n] = SMTP_RCPT_DONE;
	state->rcpt_left = 0;
	state->status = req->status;
    } else {
	(void) dsb_simple(state->why, "4.3.0", "mail transport unavailable");
	(void) smtp_site_fail(state, state->why);
    }
    myfree(path);
    myfree(endpoint);
    myfree(transport);
}

/* smtp_deliver_hop - one next hop: cached sessions, then its addresses; SMTP_DELIVER_* */
static int smtp_deliver_hop(SMTP_STATE *state, const SMTP_DEST *dest,
			            int last_hop, int *xfer_tried)
{
    SMTP_ADDR_LIST list;
    SMTP_SESSION *session;
    DSN_BUF *why = dsb_create();
    int     status;
    int     stop = SMTP_DELIVER_NEXT;

    smtp_cache_begin(state, dest);
    /* A verify probe must not leave its session to real mail. */
    if (state->request->flags & DEL_REQ_FLAG_VERIFY)
	state->misc_flags &= ~SMTP_MISC_FLAG_CONN_STORE;
    state->misc_flags &= ~SMTP_MISC_FLAG_FINAL_SERVER;
    /* One cached session at most: it goes back to the cache after use. */
    if ((state->misc_flags & SMTP_MISC_FLAG_CONN_LOAD)
	&& (session = smtp_cache_find_dest(state)) != 0)
	(void) smtp_deliver_cached(state, session, xfer_tried);
    if (state->rcpt_left > 0) {
	memset(&list, 0, sizeof(list));
	status = smtp_addr_resolve(state, dest, &list, why);
	if (status == SMTP_ADDR_OK) {
	    smtp_deliver_addrs(state, &list, last_hop, xfer_tried);
	} else if (status == SMTP_ADDR_BEST_MX
		   && state->rcpt_left == state->request->rcpt_list.len) {
	    smtp_deliver_pass(state);
	    stop = SMTP_DELIVER_PASSED;
	} else if (status == SMTP_ADDR_BEST_MX) {
	    /* A fallback relay after partial delivery: never pass twice. */
	    (void) dsb_simple(why, "4.3.0", "cannot pass part of a request "
			      "to %s", VAR_STR(best_mx_transport));
	    (void) smtp_site_fail(state, why);
	    stop = SMTP_DELIVER_STOP;
	} else {
	    smtp_status_remember(state, why);
	    /* No fallback relay for a destination that we are MX for. */
	    if (strcmp(vstring_str(why->status), SMTP_DELIVER_LOOP_STATUS) == 0) {
		(void) smtp_site_fail(state, why);
		stop = SMTP_DELIVER_STOP;
	    }
	}
	smtp_addr_list_free(&list);
    }
    smtp_cache_end(state);
    dsb_free(why);
    return stop;
}

/* smtp_deliver_dead - tell qmgr that the next hop failed as a whole */
static void smtp_deliver_dead(SMTP_STATE *state)
{
    DELIVER_REQUEST *req = state->request;
    DSN     dsn;

    (void) dsb_dsn(state->why, &dsn);
    if (dsn.status == 0 || dsn.status[0] != '4')
	return;
    req->dead = 1;
    myfree(req->reason);
    req->reason = concatenate(dsn.status, " ", dsn.reason, (char *) 0);
}

/* smtp_deliver - deliver the open recipients of state->request */
void    smtp_deliver(SMTP_STATE *state)
{
    ARGV   *hops = smtp_deliver_hops(state);
    VSTRING *why_text = vstring_alloc(100);
    SMTP_DEST dest;
    int     xfer_tried = 0;
    int     stop = SMTP_DELIVER_NEXT;
    int     last_hop;
    int     h;

    for (h = 0; h < (int) hops->argc && state->rcpt_left > 0; h++) {
	last_hop = (h == (int) hops->argc - 1);
	if (last_hop)
	    state->misc_flags |= SMTP_MISC_FLAG_FINAL_NEXTHOP;
	else
	    state->misc_flags &= ~SMTP_MISC_FLAG_FINAL_NEXTHOP;
	memset(&dest, 0, sizeof(dest));
	if (smtp_dest_parse(hops->argv[h], !smtp_mode, SMTP_STR(tcp_port),
			    &dest, why_text) != 0) {
	    msg_warn("%s: %s", h == 0 ? "bad next hop" :
		     "bad fallback relay", vstring_str(why_text));
	    (void) dsb_simple(state->why, "4.3.5", "%s", vstring_str(why_text));
	    state->why_set = 1;
	    smtp_dest_free(&dest);
	    continue;
	}
	stop = smtp_deliver_hop(state, &dest, last_hop, &xfer_tried);
	smtp_dest_free(&dest);
	if (stop != SMTP_DELIVER_NEXT)
	    break;
    }
    if (state->rcpt_left > 0) {
	if (!state->why_set)
	    (void) dsb_simple(state->why, "4.3.0", "mail transport unavailable");
	(void) smtp_site_fail(state, state->why);
    }
    if (!xfer_tried && stop != SMTP_DELIVER_PASSED && state->why_set)
	smtp_deliver_dead(state);
    argv_free(hops);
    vstring_free(why_text);
}
