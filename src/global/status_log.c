/*
 * status_log - the status line of one recipient
 *
 * SYNOPSIS
 *	See status_log.h.
 *
 * DESCRIPTION
 *	The line has the fields and the order of Postfix's (observed with
 *	Debian's Postfix 3.7: local, pipe, discard and error deliveries):
 *
 *	1F5AFA961CD: to=<nobody@test.example>, orig_to=<alias1@localhost>,
 *	    relay=local, delay=0.02, delays=0.01/0.01/0/0.01, dsn=2.0.0,
 *	    status=sent (delivered to mailbox)
 *
 *	Addresses are written in external form (quote_822_local()), as
 *	qmgr writes from=<...>. orig_to is left out when the original
 *	recipient is empty or the same as the recipient ignoring case
 *	(Postfix 3.7 logs no orig_to for NOBODY@localhost rewritten to
 *	nobody@localhost). An empty status or reason is written as it is;
 *	the caller chooses them.
 *
 *	"conn_use=N" follows the relay when req->stats.reuse_count is
 *	positive (an SMTP/LMTP session taken from the connection cache,
 *	N its use count), as Postfix logs it.
 *
 *	What it does not do: write the per-message logs (bounce_client.c
 *	does), or check the DSN.
 *
 * DIAGNOSTICS
 *	The line itself, at level info.
 */
#include "sys_defs.h"

#include <string.h>
#include <strings.h>

#include "msg.h"
#include "vstring.h"
#include "quote_822_local.h"
#include "msg_stats.h"
#include "status_log.h"

/* status_log - log "<id>: to=<...>, ..., status=<status> (<reason>)" */
void    status_log(DELIVER_REQUEST *req, RECIPIENT *rcpt, const char *relay,
		           DSN *dsn, const char *status)
{
    VSTRING *to = vstring_alloc(100);
    VSTRING *orig = vstring_alloc(100);
    VSTRING *delays = vstring_alloc(100);
    VSTRING *conn_use = vstring_alloc(20);
    const char *orig_addr = rcpt->orig_addr ? rcpt->orig_addr : "";
    const char *address = rcpt->address ? rcpt->address : "";

    quote_822_local(to, address);
    if (*orig_addr != 0 && strcasecmp(orig_addr, address) != 0) {
	quote_822_local(orig, orig_addr);
	vstring_sprintf_prepend(orig, ", orig_to=<");
	vstring_strcat(orig, ">");
    }
    if (req->stats.reuse_count > 0)
	vstring_sprintf(conn_use, ", conn_use=%d", req->stats.reuse_count);
    msg_info("%s: to=<%s>%s, relay=%s%s, %s, dsn=%s, status=%s (%s)",
	     req->queue_id ? req->queue_id : "",
	     vstring_str(to), vstring_str(orig), relay ? relay : "none",
	     vstring_str(conn_use), msg_stats_delays(delays, &req->stats),
	     dsn->status ? dsn->status : "", status,
	     dsn->reason ? dsn->reason : "");
    vstring_free(to);
    vstring_free(orig);
    vstring_free(delays);
    vstring_free(conn_use);
}
