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
 * .IP "local (mydestination, inet_interfaces, proxy_interfaces)"
 *	local_recipient_maps, when not empty: "User unknown in local
 *	recipient table", unknown_local_recipient_reject_code;
 * .IP "virtual alias (virtual_alias_domains)"
 *	when virtual_alias_maps is not empty: "User unknown in virtual
 *	alias table", unknown_virtual_alias_reject_code;
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
 *	tables and X.1.7 for the virtual ones (logged as Postfix does:
 *	"mapping DSN status 5.1.1 into Sender address status 5.1.7"). A
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
 *	reject_unverified_sender/_recipient need the verify(8) service,
 *	which this release does not have yet: the probe cannot be made,
 *	and the answer is the temporary one (unverified_*_defer_code with
 *	unverified_*_tempfail_action): "<a@d>: Recipient address
 *	rejected: unverified address: Address verification service
 *	unavailable", after the warning "connect to subsystem
 *	private/verify: ..." when the socket is missing. Postfix itself
 *	waits for the service indefinitely, retrying every 10 seconds.
 */
#include "sys_defs.h"
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <sys/stat.h>
#include "msg.h"
#include "mymalloc.h"
#include "vstring.h"
#include "stringops.h"
#include "mail_params.h"
#include "maps.h"
#include "dict.h"
#include "rewrite_client.h"
#include "smtpd_check_addr.h"

#define ERR_POLICY	MAIL_ERROR_POLICY

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

/* reject_unknown - the "User unknown in ... table" reply */
static int reject_unknown(SMTPD_CHECK_CALL *sub, const char *addr,
			          bool sender, int code, bool virtual_table,
			          const char *table)
{
    char    dsn[16];
    char    detail;
    char    mapped;

    detail = sender && !virtual_table ? '0' : '1';
    snprintf(dsn, sizeof(dsn), "%c.1.%c", code >= 500 ? '5' : '4', detail);
    if (sender && detail == '1') {
	mapped = '7';
	msg_info("mapping DSN status %s into %s status %c.1.%c", dsn,
		 sub->reply_class, dsn[0], mapped);
	dsn[4] = mapped;
    }
    if (VAR_BOOL(show_user_unknown_table_name))
	return (smtpd_check_reject(sub, ERR_POLICY, code, dsn,
				   "<%s>: %s rejected: User unknown in %s",
				   addr, sub->reply_class, table));
    return (smtpd_check_reject(sub, ERR_POLICY, code, dsn,
			       "<%s>: %s rejected: User unknown",
			       addr, sub->reply_class));
}

/* check_listed - the table check of one address in its class */
static int check_listed(SMTPD_CHECK_CALL *call, const char *addr,
			        bool sender)
{
    SMTPD_CHECK_CALL sub = *call;
    char   *resolved;
    int     flags;
    int     status;
    int     result = SMTPD_CHECK_DUNNO;
    bool    local;

    smtpd_check_addr_init();
    sub.reply_name = addr;
    sub.reply_class = sender ? "Sender address" : "Recipient address";
    if (!smtpd_check_addr_resolve(&sub, addr, &flags, &resolved))
	return (smtpd_check_addr_lookup_error(&sub, addr));
    local = (flags & RESOLVE_CLASS_LOCAL) != 0;

    if (valias_maps
	&& (status = find_addr(valias_maps, resolved, local)) != 0) {
	result = status < 0 ? smtpd_check_addr_lookup_error(&sub, addr)
	    : SMTPD_CHECK_DUNNO;
    } else if (flags & RESOLVE_CLASS_LOCAL) {
	if (local_rcpt_maps
	    && (status = find_addr(local_rcpt_maps, resolved, true)) <= 0)
	    result = status < 0 ? smtpd_check_addr_lookup_error(&sub, addr)
		: reject_unknown(&sub, addr, sender,
			      (int) VAR_INT(unknown_local_recipient_reject_code),
				 false, "local recipient table");
    } else if ((flags & RESOLVE_CLASS_ALIAS) && valias_maps) {
	result = reject_unknown(&sub, addr, sender,
				(int) VAR_INT(unknown_virtual_alias_reject_code),
				true, "virtual alias table");
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
    myfree(resolved);
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

/* verify_socket_warning - Postfix's warning when the service is absent */
static void verify_socket_warning(void)
{
    VSTRING *path = vstring_alloc(100);
    struct stat st;

    vstring_sprintf(path, "%s/private/%s", VAR_STR(queue_directory),
		    VAR_STR(address_verify_service_name));
    if (stat(vstring_str(path), &st) < 0)
	msg_warn("connect to subsystem private/%s: %s",
		 VAR_STR(address_verify_service_name), strerror(errno));
    else
	msg_warn("problem talking to service %s: %s",
		 VAR_STR(address_verify_service_name),
		 "protocol not supported by this smtpd");
    vstring_free(path);
}

/* check_unverified - reject_unverified_sender/_recipient */
static int check_unverified(SMTPD_CHECK_CALL *call, const char *addr,
			            bool sender)
{
    SMTPD_CHECK_CALL sub = *call;
    int     flags;
    int     code;
    const char *action;

    if (addr == 0 || *addr == 0)
	return (SMTPD_CHECK_DUNNO);
    sub.reply_name = addr;
    sub.reply_class = sender ? "Sender address" : "Recipient address";
    if (!smtpd_check_addr_resolve(&sub, addr, &flags, 0))
	return (smtpd_check_addr_lookup_error(&sub, addr));
    verify_socket_warning();
    code = (int) (sender ? VAR_INT(unverified_sender_defer_code)
		  : VAR_INT(unverified_recipient_defer_code));
    action = sender ? VAR_STR(unverified_sender_tempfail_action)
	: VAR_STR(unverified_recipient_tempfail_action);
    if (code == 250)
	return (SMTPD_CHECK_DUNNO);
    return (smtpd_check_addr_tempfail(&sub, action, code,
				      code >= 500 ? (sender ? "5.1.7" : "5.1.1")
				      : (sender ? "4.1.7" : "4.1.1"),
				      "<%s>: %s rejected: unverified address: "
				      "Address verification service "
				      "unavailable", addr, sub.reply_class));
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
