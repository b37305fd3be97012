/*
 * smtpd_check_rcpt - recipient validation and address verification
 *
 * SYNOPSIS
 *	#include "smtpd_check_addr.h"
 *
 *	void	smtpd_check_addr_init(void);
 *
 *	Restrictions (smtpd_check_addr_table):
 *
 *	int	smtpd_check_rcpt_unlisted_sender(SMTPD_CHECK_CALL *call);
 *	int	smtpd_check_rcpt_unlisted_rcpt(SMTPD_CHECK_CALL *call);
 *	int	smtpd_check_rcpt_unverified_sender(SMTPD_CHECK_CALL *call);
 *	int	smtpd_check_rcpt_unverified_rcpt(SMTPD_CHECK_CALL *call);
 *
 * DESCRIPTION
 *	An address is "listed" when the table of its address class knows
 *	it (LOCAL_RECIPIENT_README, postconf(5)). trivial-rewrite(8)
 *	gives the class and the resolved address; then:
 * .IP "every class"
 *	an address found in virtual_alias_maps is listed;
 * .IP "virtual alias (virtual_alias_domains)"
 *	otherwise "User unknown in virtual alias table",
 *	unknown_virtual_alias_reject_code;
 * .IP "error and retry transports (every other class)"
 *	an address that resolves to the transport "error" (or "retry")
 *	is refused with 550 (450) and the next hop: "550 5.1.1 <a@d>:
 *	Recipient address rejected: <text>", the status at the start
 *	of the next hop (class of the reply code) or X.1.1 (senders
 *	X.1.0), "Address is undeliverable" when there is no text.
 *	relocated_maps come this way: trivial-rewrite resolves such an
 *	address to "error:5.1.6 User has moved to <value>" (Postfix 3.7
 *	observed; the comparison is with the literal transport names,
 *	whatever $error_service_name says);
 * .IP "local (mydestination, inet_interfaces, proxy_interfaces)"
 *	local_recipient_maps, when not empty: "User unknown in local
 *	recipient table", unknown_local_recipient_reject_code;
 * .IP "virtual mailbox (virtual_mailbox_domains)"
 *	virtual_mailbox_maps, when not empty: "User unknown in virtual
 *	mailbox table", unknown_virtual_mailbox_reject_code;
 * .IP "relay (relay_domains)"
 *	relay_recipient_maps, when not empty: "User unknown in relay
 *	recipient table", unknown_relay_recipient_reject_code;
 * .IP "default"
 *	anything goes.
 * .PP
 *	A table is searched for the resolved address "user@domain", then
 *	(with recipient_delimiter) the address without its extension,
 *	then, for the local class only, "user" and "user" without
 *	extension, then "@domain". Keys are folded to lower case.
 *	show_user_unknown_table_name = no drops the " in ... table" part.
 *	Recipients get X.1.1; senders X.1.0 for the local and relay
 *	tables and X.1.7 for the virtual ones. A sender's X.1.y status
 *	becomes X.1.7 (y = 1, 3, 4, 6), X.1.8 (y = 2) or X.1.0 (other
 *	y but 0, 7 and 8), logged as Postfix does: "mapping DSN status
 *	5.1.1 into Sender address status 5.1.7" (the status before the
 *	reply code sets its class). A
 *	table that fails gives "451 4.3.0 <a@d>: Temporary lookup
 *	failure" (after the table's own warning), and so does a failure
 *	of trivial-rewrite or of one of its tables.
 *
 *	The engine runs reject_unlisted_recipient/_sender by name after
 *	the restriction lists for smtpd_reject_unlisted_recipient/_sender;
 *	an address found listed once in a session is not looked up again
 *	(so a restriction list that names reject_unlisted_recipient and
 *	the implicit check after it cost one lookup).
 *
 *	reject_unverified_sender/_recipient ask verify(8)
 *	(verify_clnt_query()), up to $address_verify_poll_count times
 *	$address_verify_poll_delay apart while a probe is in progress.
 *	Replies, as Postfix 3.7 gives them (X.1.7 for senders; the class
 *	of the enhanced code follows the reply code;
 *	unverified_*_reject_reason, when set, replaces the text after
 *	"address: "):
 * .nf
 *	deliverable: DUNNO
 *	undeliverable (bounced probe), unverified_*_reject_code:
 *	  550 5.1.1 <a@d>: Recipient address rejected: undeliverable
 *	    address: <probe text>
 *	  450 4.1.1 <a@d>: ... unverified address: <probe text> (4xx code)
 *	temporary failure, or still in progress after the polls,
 *	unverified_*_defer_code with unverified_*_tempfail_action:
 *	  450 4.1.1 <a@d>: Recipient address rejected: unverified
 *	    address: <probe text> | Address verification in progress
 *	  a 2xx defer code: DUNNO while in progress; for a temporary
 *	    failure "450 <probe dsn> <a@d>: Recipient address rejected:
 *	    <probe text>" (what Debian's Postfix 3.7 answers)
 *	the service cannot be reached (after verify_clnt's warnings):
 *	  450 4.1.1 <a@d>: ... unverified address: Address verification
 *	    service unavailable (defer code and tempfail action)
 * .fi
 */
#include "sys_defs.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "msg.h"
#include "mymalloc.h"
#include "vstring.h"
#include "stringops.h"
#include "mail_params.h"
#include "maps.h"
#include "dict.h"
#include "rewrite_client.h"
#include "dsn_split.h"
#include "verify_clnt.h"
#include "smtpd_check_addr.h"

#define ERR_POLICY	MAIL_ERROR_POLICY

/* The transports whose addresses are refused (literal, as Postfix). */
#define SMTPD_ERROR_TRANSPORT	"error"
#define SMTPD_RETRY_TRANSPORT	"retry"

/* The tables of the address classes, opened once. */
static MAPS *valias_maps;
static MAPS *local_rcpt_maps;
static MAPS *vmailbox_maps;
static MAPS *relay_rcpt_maps;

/* The last addresses that reject_unlisted_* found listed. */
static const SMTPD_STATE *checked_state;
static char *checked_rcpt;
static char *checked_sender;

#define MAPS_FLAGS	(DICT_FLAG_LOCK | DICT_FLAG_FOLD_FIX)

/* open_maps - a MAPS for a parameter, or NULL when it is empty */
static MAPS *open_maps(const char *name, const char *value)
{
    const char *cp = value + strspn(value, " \t\r\n,");

    return (*cp ? maps_create(name, value, MAPS_FLAGS) : 0);
}

/* smtpd_check_addr_init - open the recipient validation tables */
void    smtpd_check_addr_init(void)
{
    static bool done;

    if (done)
	return;
    done = true;
    valias_maps = open_maps("virtual_alias_maps", VAR_STR(virtual_alias_maps));
    local_rcpt_maps = open_maps("local_recipient_maps",
				VAR_STR(local_recipient_maps));
    vmailbox_maps = open_maps("virtual_mailbox_maps",
			      VAR_STR(virtual_mailbox_maps));
    relay_rcpt_maps = open_maps("relay_recipient_maps",
				VAR_STR(relay_recipient_maps));
}

/* find_key - one lookup: 1 found, 0 not found, -1 error */
static int find_key(MAPS *maps, const char *key)
{
    if (maps_find(maps, key, 0) != 0)
	return (1);
    return (maps->error != DICT_ERR_NONE ? -1 : 0);
}

/* strip_extension - a copy of localpart without its extension, or NULL */
static char *strip_extension(const char *local)
{
    const char *delims = VAR_STR(recipient_delimiter);
    size_t  n;

    if (*delims == 0)
	return (0);
    n = strcspn(local, delims);
    if (local[n] == 0 || n == 0)
	return (0);
    return (mystrndup(local, n));
}

/* find_addr - search maps for an address: 1 found, 0 not, -1 error */
static int find_addr(MAPS *maps, const char *addr, bool local_class)
{
    char   *copy = lowercase(mystrdup(addr));
    char   *at = strrchr(copy, '@');
    const char *domain = at ? at + 1 : "";
    char   *bare;
    char   *key;
    int     status;

    if (at)
	*at = 0;
    bare = strip_extension(copy);

    /* user@domain, then without the extension. */
    key = concatenate(copy, at ? "@" : "", domain, (char *) 0);
    status = find_key(maps, key);
    myfree(key);
    if (status == 0 && bare) {
	key = concatenate(bare, at ? "@" : "", domain, (char *) 0);
	status = find_key(maps, key);
	myfree(key);
    }
    /* user, for the local class only. */
    if (status == 0 && local_class) {
	status = find_key(maps, copy);
	if (status == 0 && bare)
	    status = find_key(maps, bare);
    }
    /* @domain */
    if (status == 0 && *domain) {
	key = concatenate("@", domain, (char *) 0);
	status = find_key(maps, key);
	myfree(key);
    }
    if (bare)
	myfree(bare);
    myfree(copy);
    return (status);
}

/* sender_detail - the detail a sender gets for recipient detail X.1.d */
static const char *sender_detail(const char *detail)
{
    static const char *const map[] = {
	"0", "7", "8", "7", "7", "0", "7", "7", "8", "0", "0", "0",
    };
    char   *end;
    long    d = strtol(detail, &end, 10);

    if (*end != 0 || d < 0 || d >= (long) (sizeof(map) / sizeof(map[0])))
	return ("0");
    return (map[d]);
}

/* map_sender_dsn - a recipient's X.1.y status as the sender's, logged */
static void map_sender_dsn(SMTPD_CHECK_CALL *sub, VSTRING *dsn)
{
    const char *status = vstring_str(dsn);
    const char *mapped;
    VSTRING *old;

    if (strncmp(status + 1, ".1.", 3) != 0)
	return;
    mapped = sender_detail(status + 4);
    if (strcmp(status + 4, mapped) == 0)
	return;
    old = vstring_alloc(16);
    vstring_strcpy(old, status);
    vstring_truncate(dsn, 4);
    vstring_strcat(dsn, mapped);
    msg_info("mapping DSN status %s into %s status %s", vstring_str(old),
	     sub->reply_class, vstring_str(dsn));
    vstring_free(old);
}

/* dsn_with_class - the status with the class of the reply code */
static const char *dsn_with_class(VSTRING *dsn, int code)
{
    vstring_str(dsn)[0] = code >= 500 ? '5' : '4';
    return (vstring_str(dsn));
}

/* reject_unknown - the "User unknown in ... table" reply */
static int reject_unknown(SMTPD_CHECK_CALL *sub, const char *addr,
			          bool sender, int code, bool virtual_table,
			          const char *table)
{
    VSTRING *dsn = vstring_alloc(16);
    int     result;

    /* Senders: X.1.0 for the local and relay tables, else mapped X.1.1. */
    vstring_strcpy(dsn, sender && !virtual_table ? "5.1.0" : "5.1.1");
    if (sender)
	map_sender_dsn(sub, dsn);
    if (VAR_BOOL(show_user_unknown_table_name))
	result = smtpd_check_reject(sub, ERR_POLICY, code,
				    dsn_with_class(dsn, code),
				    "<%s>: %s rejected: User unknown in %s",
				    addr, sub->reply_class, table);
    else
	result = smtpd_check_reject(sub, ERR_POLICY, code,
				    dsn_with_class(dsn, code),
				    "<%s>: %s rejected: User unknown",
				    addr, sub->reply_class);
    vstring_free(dsn);
    return (result);
}

/* reject_error_transport - the address resolves to error(8) or retry */
static int reject_error_transport(SMTPD_CHECK_CALL *sub, const char *addr,
				          bool sender, bool retry,
				          const char *nexthop)
{
    VSTRING *dsn = vstring_alloc(16);
    const char *text;
    int     code = retry ? 450 : 550;
    int     result;

    /* The next hop: "[X.Y.Z ]text"; the class follows the reply code. */
    while (isspace((unsigned char) *nexthop))
	nexthop++;
    text = dsn_split(nexthop, sender ? "5.1.0" : "5.1.1", dsn);
    if (*text == 0)
	text = "Address is undeliverable";
    if (sender)
	map_sender_dsn(sub, dsn);
    result = smtpd_check_reject(sub, ERR_POLICY, code,
				dsn_with_class(dsn, code),
				"<%s>: %s rejected: %s", addr,
				sub->reply_class, text);
    vstring_free(dsn);
    return (result);
}

/* resolve_full - trivial-rewrite's answer for addr; false on failure */
static bool resolve_full(SMTPD_CHECK_CALL *call, const char *addr,
			         RESOLVE_REPLY *reply)
{
    return (rewrite_client_resolve(REWRITE_REQ_RESOLVE,
			      call->state->sender ? call->state->sender : "",
				   addr, reply)
	    && (reply->flags & RESOLVE_FLAG_FAIL) == 0);
}

/* check_listed - the table check of one address in its class */
static int check_listed(SMTPD_CHECK_CALL *call, const char *addr,
			        bool sender)
{
    SMTPD_CHECK_CALL sub = *call;
    RESOLVE_REPLY reply;
    const char *resolved;
    const char *transport;
    int     flags;
    int     status;
    int     result = SMTPD_CHECK_DUNNO;
    bool    local;

    smtpd_check_addr_init();
    sub.reply_name = addr;
    sub.reply_class = sender ? "Sender address" : "Recipient address";
    resolve_reply_init(&reply);
    if (!resolve_full(&sub, addr, &reply)) {
	resolve_reply_free(&reply);
	return (smtpd_check_addr_lookup_error(&sub, addr));
    }
    flags = reply.flags;
    resolved = vstring_str(reply.recipient);
    transport = vstring_str(reply.transport);
    local = (flags & RESOLVE_CLASS_LOCAL) != 0;

    /*
     * As Postfix 3.7 (observed): an address in virtual_alias_maps is
     * listed; else the alias class is unknown; else an address that
     * resolves to the error or retry transport (relocated_maps
     * included: trivial-rewrite gives "error:5.1.6 User has moved to
     * ...") is refused with that transport's reason, before the table
     * of its class is consulted.
     */
    if (valias_maps
	&& (status = find_addr(valias_maps, resolved, local)) != 0) {
	result = status < 0 ? smtpd_check_addr_lookup_error(&sub, addr)
	    : SMTPD_CHECK_DUNNO;
    } else if (flags & RESOLVE_CLASS_ALIAS) {
	result = reject_unknown(&sub, addr, sender,
				(int) VAR_INT(unknown_virtual_alias_reject_code),
				true, "virtual alias table");
    } else if (strcmp(transport, SMTPD_ERROR_TRANSPORT) == 0
	       || strcmp(transport, SMTPD_RETRY_TRANSPORT) == 0) {
	result = reject_error_transport(&sub, addr, sender,
				  strcmp(transport, SMTPD_RETRY_TRANSPORT) == 0,
					vstring_str(reply.nexthop));
    } else if (flags & RESOLVE_CLASS_LOCAL) {
	if (local_rcpt_maps
	    && (status = find_addr(local_rcpt_maps, resolved, true)) <= 0)
	    result = status < 0 ? smtpd_check_addr_lookup_error(&sub, addr)
		: reject_unknown(&sub, addr, sender,
			      (int) VAR_INT(unknown_local_recipient_reject_code),
				 false, "local recipient table");
    } else if ((flags & RESOLVE_CLASS_VIRTUAL) && vmailbox_maps) {
	if ((status = find_addr(vmailbox_maps, resolved, false)) <= 0)
	    result = status < 0 ? smtpd_check_addr_lookup_error(&sub, addr)
		: reject_unknown(&sub, addr, sender,
			    (int) VAR_INT(unknown_virtual_mailbox_reject_code),
				 true, "virtual mailbox table");
    } else if (flags & RESOLVE_CLASS_RELAY) {
	if (relay_rcpt_maps
	    && (status = find_addr(relay_rcpt_maps, resolved, false)) <= 0)
	    result = status < 0 ? smtpd_check_addr_lookup_error(&sub, addr)
		: reject_unknown(&sub, addr, sender,
			      (int) VAR_INT(unknown_relay_recipient_reject_code),
				 false, "relay recipient table");
    }
    resolve_reply_free(&reply);
    return (result);
}

/* checked_slot - the remembered address of this kind for this session */
static char **checked_slot(SMTPD_STATE *state, bool sender)
{
    if (checked_state != state) {
	if (checked_rcpt)
	    myfree(checked_rcpt);
	if (checked_sender)
	    myfree(checked_sender);
	checked_rcpt = checked_sender = 0;
	checked_state = state;
    }
    return (sender ? &checked_sender : &checked_rcpt);
}

/* check_unlisted - reject_unlisted_*, once per address and session */
static int check_unlisted(SMTPD_CHECK_CALL *call, const char *addr,
			          bool sender)
{
    char  **slot;
    int     result;

    if (addr == 0 || *addr == 0)
	return (SMTPD_CHECK_DUNNO);
    slot = checked_slot(call->state, sender);
    if (*slot && strcmp(*slot, addr) == 0)
	return (SMTPD_CHECK_DUNNO);
    if ((result = check_listed(call, addr, sender)) == SMTPD_CHECK_DUNNO) {
	if (*slot)
	    myfree(*slot);
	*slot = mystrdup(addr);
    }
    return (result);
}

/* smtpd_check_rcpt_unlisted_rcpt - reject_unlisted_recipient */
int     smtpd_check_rcpt_unlisted_rcpt(SMTPD_CHECK_CALL *call)
{
    return (check_unlisted(call, call->state->recipient, false));
}

/* smtpd_check_rcpt_unlisted_sender - reject_unlisted_sender */
int     smtpd_check_rcpt_unlisted_sender(SMTPD_CHECK_CALL *call)
{
    return (check_unlisted(call, call->state->sender, true));
}

/* query_verify - ask verify(8), polling while a probe is in progress */
static int query_verify(const char *addr, int *status, VSTRING *text)
{
    long    count = VAR_INT(address_verify_poll_count);
    long    delay = VAR_TIME(address_verify_poll_delay);
    long    i;
    int     result;

    for (i = 1; /* void */ ; i++) {
	result = verify_clnt_query(addr, status, text);
	if (result != VERIFY_STAT_OK || *status != VERIFY_ADDR_PENDING
	    || i >= count)
	    return (result);
	sleep((unsigned) delay);
    }
}

/* check_unverified - reject_unverified_sender/_recipient */
static int check_unverified(SMTPD_CHECK_CALL *call, const char *addr,
			            bool sender)
{
    SMTPD_CHECK_CALL sub = *call;
    VSTRING *text;
    VSTRING *probe_dsn;
    const char *reason;
    const char *fixed;
    const char *action;
    char    dsn[16];
    int     status = VERIFY_ADDR_PENDING;
    int     flags;
    int     code;
    int     result;

    if (addr == 0 || *addr == 0)
	return (SMTPD_CHECK_DUNNO);
    sub.reply_name = addr;
    sub.reply_class = sender ? "Sender address" : "Recipient address";
    if (!smtpd_check_addr_resolve(&sub, addr, &flags, 0))
	return (smtpd_check_addr_lookup_error(&sub, addr));
    action = sender ? VAR_STR(unverified_sender_tempfail_action)
	: VAR_STR(unverified_recipient_tempfail_action);
    fixed = sender ? VAR_STR(unverified_sender_reject_reason)
	: VAR_STR(unverified_recipient_reject_reason);
    text = vstring_alloc(100);
    if (query_verify(addr, &status, text) != VERIFY_STAT_OK) {
	code = (int) (sender ? VAR_INT(unverified_sender_defer_code)
		      : VAR_INT(unverified_recipient_defer_code));
	vstring_free(text);
	if (code / 100 == 2)
	    return (SMTPD_CHECK_DUNNO);
	snprintf(dsn, sizeof(dsn), "%c.1.%c", code >= 500 ? '5' : '4',
		 sender ? '7' : '1');
	return (smtpd_check_addr_tempfail(&sub, action, code, dsn,
					  "<%s>: %s rejected: unverified "
					  "address: Address verification "
					  "service unavailable", addr,
					  sub.reply_class));
    }
    if (status == VERIFY_ADDR_OK) {
	vstring_free(text);
	return (SMTPD_CHECK_DUNNO);
    }
    /* The text of an answer is "<dsn> <reason>" (bounce_client.c). */
    probe_dsn = vstring_alloc(10);
    reason = dsn_split(vstring_str(text), status == VERIFY_ADDR_BOUNCE ?
		       "5.0.0" : "4.0.0", probe_dsn);
    if (status == VERIFY_ADDR_BOUNCE) {
	code = (int) (sender ? VAR_INT(unverified_sender_reject_code)
		      : VAR_INT(unverified_recipient_reject_code));
	snprintf(dsn, sizeof(dsn), "%c.1.%c", code >= 500 ? '5' : '4',
		 sender ? '7' : '1');
	result = smtpd_check_reject(&sub, ERR_POLICY, code, dsn,
				    "<%s>: %s rejected: %s address: %s",
				    addr, sub.reply_class, code >= 500 ?
				    "undeliverable" : "unverified",
				    *fixed ? fixed : reason);
    } else {
	code = (int) (sender ? VAR_INT(unverified_sender_defer_code)
		      : VAR_INT(unverified_recipient_defer_code));
	snprintf(dsn, sizeof(dsn), "%c.1.%c", code >= 500 ? '5' : '4',
		 sender ? '7' : '1');
	if (code / 100 != 2)
	    result = smtpd_check_addr_tempfail(&sub, action, code, dsn,
					       "<%s>: %s rejected: unverified "
					       "address: %s", addr,
					       sub.reply_class,
					       *fixed ? fixed : reason);
	else if (status == VERIFY_ADDR_PENDING)
	    result = SMTPD_CHECK_DUNNO;
	else
	    /* As Postfix 3.7: the probe's own code and text. */
	    result = smtpd_check_addr_tempfail(&sub, action, 450,
					       vstring_str(probe_dsn),
					       "<%s>: %s rejected: %s", addr,
					       sub.reply_class, reason);
    }
    vstring_free(probe_dsn);
    vstring_free(text);
    return (result);
}

/* smtpd_check_rcpt_unverified_sender - reject_unverified_sender */
int     smtpd_check_rcpt_unverified_sender(SMTPD_CHECK_CALL *call)
{
    return (check_unverified(call, call->state->sender, true));
}

/* smtpd_check_rcpt_unverified_rcpt - reject_unverified_recipient */
int     smtpd_check_rcpt_unverified_rcpt(SMTPD_CHECK_CALL *call)
{
    return (check_unverified(call, call->state->recipient, false));
}
