/*
 * smtpd_check_access - generic restrictions and access(5) tables of smtpd(8)
 *
 * SYNOPSIS
 *	#include "smtpd_check.h"
 *
 *	const SMTPD_RESTRICTION smtpd_check_access_table[];
 *
 *	void	smtpd_check_access_init(void);
 *
 *	const char *smtpd_check_sasl_username(SMTPD_STATE *state);
 *
 *	int	smtpd_check_access_action(SMTPD_CHECK_CALL *call,
 *				const char *table, const char *key,
 *				const char *action);
 *
 * DESCRIPTION
 *	This module implements the restrictions that work in every stage:
 *	permit, reject, defer, defer_if_permit, defer_if_reject, sleep,
 *	permit_mynetworks, reject_multi_recipient_bounce,
 *	permit_sasl_authenticated (this smtpd has no AUTH: it matches
 *	after XCLIENT LOGIN=name when smtpd_sasl_auth_enable = yes, as
 *	in Postfix, which ignores that login without SASL), and the access
 *	table restrictions check_client_access,
 *	check_reverse_client_hostname_access, check_helo_access,
 *	check_sender_access, check_recipient_access and check_etrn_access
 *	with the search orders of access(5):
 *	-  host names: the name, then its parent domains (".parent", or
 *	   "parent" when smtpd_access_maps is listed in
 *	   parent_domain_matches_subdomains); the client host name only
 *	   when it is known;
 *	-  client addresses: the address, then the networks obtained by
 *	   removing the last octet (IPv4) or the last part (IPv6);
 *	-  e-mail addresses: "user+ext@domain", "user@domain", the domain
 *	   and its parents, "user+ext@", "user@" (the null sender is
 *	   looked up as $smtpd_null_access_lookup_key).
 *	The first key that is found ends a search; a DUNNO result then
 *	ends it without a decision (the client address is still looked
 *	up after a DUNNO for the client host name, as in Postfix).
 *
 *	smtpd_check_sasl_username() returns that XCLIENT login, or NULL
 *	without it or without smtpd_sasl_auth_enable (the policy
 *	attributes sasl_username and sasl_method=XCLIENT use the login
 *	in any case, as Postfix does).
 *
 *	smtpd_check_access_init() (called by smtpd_check_init()) parses
 *	$mynetworks, so that its files and tables are opened before any
 *	chroot.
 *
 *	smtpd_check_access_action() applies one result: OK or an
 *	all-numerical value permits; REJECT, DEFER, DEFER_IF_REJECT,
 *	DEFER_IF_PERMIT and "4NN/5NN text" reject or defer with
 *	access_map_reject_code/access_map_defer_code and the enhanced
 *	status code transformations of access(5) (421 and 521 also end
 *	the session); HOLD, DISCARD, FILTER, REDIRECT, BCC and PREPEND are
 *	saved in the session state (and logged as Postfix logs them);
 *	WARN and INFO are logged; DUNNO does nothing; anything else is a
 *	restriction list (restriction names, class names) evaluated in
 *	place.
 *
 * DIAGNOSTICS
 *	"access table <table> entry "<key>" has FILTER entry without
 *	value", "... requires user@domain target", "... has <ACTION>
 *	entry without value" (the entry is then ignored); table lookup
 *	failures answer "451 4.3.5 <name>: Class rejected: Server
 *	configuration error" (any table error, as Postfix).
 */
#include "sys_defs.h"

#include <string.h>
#include <ctype.h>
#include <stdlib.h>
#include <unistd.h>

#include "msg.h"
#include "mymalloc.h"
#include "argv.h"
#include "vstring.h"
#include "stringops.h"
#include "mail_params.h"
#include "maps.h"
#include "table_search.h"
#include "host_addr_list.h"
#include "smtpd_check.h"

#define STREQ(a, b)	(strcasecmp((a), (b)) == 0)

/* smtpd_check_access_permit - "permit" */
static int smtpd_check_access_permit(SMTPD_CHECK_CALL *call)
{
    return SMTPD_CHECK_OK;
}

/* smtpd_check_access_reject - "reject" */
static int smtpd_check_access_reject(SMTPD_CHECK_CALL *call)
{
    return smtpd_check_reject(call, MAIL_ERROR_POLICY,
			      (int) VAR_INT(reject_code), "5.7.1",
			      "<%s>: %s rejected: Access denied",
			      call->reply_name, call->reply_class);
}

/* smtpd_check_access_defer - "defer" */
static int smtpd_check_access_defer(SMTPD_CHECK_CALL *call)
{
    return smtpd_check_reject(call, MAIL_ERROR_POLICY,
			      (int) VAR_INT(defer_code), "4.3.2",
			      "<%s>: %s rejected: Try again later",
			      call->reply_name, call->reply_class);
}

/* smtpd_check_access_dip - "defer_if_permit" */
static int smtpd_check_access_dip(SMTPD_CHECK_CALL *call)
{
    return smtpd_check_defer_if_permit(call, MAIL_ERROR_POLICY, 450, "4.7.0",
			         "<%s>: %s rejected: defer_if_permit requested",
				       call->reply_name, call->reply_class);
}

/* smtpd_check_access_dir - "defer_if_reject" */
static int smtpd_check_access_dir(SMTPD_CHECK_CALL *call)
{
    return smtpd_check_defer_if_reject(call, MAIL_ERROR_POLICY, 450, "4.7.0",
			         "<%s>: %s rejected: defer_if_reject requested",
				       call->reply_name, call->reply_class);
}

/* smtpd_check_access_sleep - "sleep seconds" */
static int smtpd_check_access_sleep(SMTPD_CHECK_CALL *call)
{
    if (!alldig(call->arg) || *call->arg == 0 || strlen(call->arg) > 6) {
	msg_warn("restriction %s must be followed by number",
		 call->restriction);
	return smtpd_check_server_error(call);
    }
    sleep((unsigned) atoi(call->arg));
    return SMTPD_CHECK_DUNNO;
}

/* smtpd_check_sasl_username - the session's SASL login name, or NULL */
const char *smtpd_check_sasl_username(SMTPD_STATE *state)
{

    /*
     * This smtpd offers no AUTH; the one login it knows is XCLIENT LOGIN,
     * which Postfix honours only with smtpd_sasl_auth_enable = yes.
     */
    if (!VAR_BOOL(smtpd_sasl_auth_enable))
	return NULL;
    return smtpd_xclient_login(state);
}

/* smtpd_check_access_sasl - "permit_sasl_authenticated" */
static int smtpd_check_access_sasl(SMTPD_CHECK_CALL *call)
{
    if (smtpd_check_sasl_username(call->state) != NULL)
	return SMTPD_CHECK_OK;
    return SMTPD_CHECK_DUNNO;
}

static HOST_ADDR_LIST *smtpd_check_access_mynets;

/* smtpd_check_access_init - open $mynetworks before any chroot */
void    smtpd_check_access_init(void)
{
    if (smtpd_check_access_mynets)
	host_addr_list_free(smtpd_check_access_mynets);
    smtpd_check_access_mynets =
	host_addr_list_create("mynetworks", VAR_STR(mynetworks), 0);
}

/* smtpd_check_access_mynetworks - "permit_mynetworks" */
static int smtpd_check_access_mynetworks(SMTPD_CHECK_CALL *call)
{
    int     found;

    if (smtpd_check_access_mynets == NULL)
	smtpd_check_access_init();
    found = host_addr_list_match(smtpd_check_access_mynets, call->state->name,
				 call->state->addr);
    if (found < 0)
	return smtpd_check_reject(call, MAIL_ERROR_RESOURCE, 451, "4.3.0",
				  "<%s>: Temporary lookup failure",
				  call->reply_name);
    return found ? SMTPD_CHECK_OK : SMTPD_CHECK_DUNNO;
}

/* smtpd_check_access_multi_bounce - "reject_multi_recipient_bounce" */
static int smtpd_check_access_multi_bounce(SMTPD_CHECK_CALL *call)
{
    SMTPD_STATE *state = call->state;
    int     limit = (call->stage == SMTPD_STAGE_DATA
		     || call->stage == SMTPD_STAGE_EOD) ? 1 : 0;

    if (state->sender == NULL || *state->sender != 0
	|| state->rcpt_count <= limit)
	return SMTPD_CHECK_DUNNO;
    return smtpd_check_reject(call, MAIL_ERROR_POLICY,
			      (int) VAR_INT(multi_recipient_bounce_reject_code),
			      "5.5.3", "<%s>: %s rejected: Multi-recipient "
			      "bounce", call->reply_name, call->reply_class);
}

/* smtpd_check_access_dsn - transform an enhanced code for the stage */
static void smtpd_check_access_dsn(SMTPD_CHECK_CALL *call, char *dsn)
{
    int     detail;

    if (dsn[1] != '.' || dsn[2] != '1' || dsn[3] != '.' || !isdigit((unsigned char) dsn[4])
	|| dsn[5] != 0)
	return;
    detail = dsn[4] - '0';
    switch (call->stage) {
    case SMTPD_STAGE_SENDER:
	if (detail == 2)
	    dsn[4] = '8';
	else if (detail >= 1 && detail <= 6)
	    dsn[4] = '7';
	break;
    case SMTPD_STAGE_RECIPIENT:
    case SMTPD_STAGE_RELAY:
	if (detail == 7)
	    dsn[4] = '3';
	else if (detail == 8)
	    dsn[4] = '2';
	break;
    default:
	if (detail >= 1 && detail <= 8) {
	    dsn[2] = '0';
	    dsn[4] = '0';
	}
	break;
    }
}

/* smtpd_check_access_split_dsn - take "d.d.d " off the front of text */
static const char *smtpd_check_access_split_dsn(const char *text,
					             VSTRING *dsn)
{
    size_t  len = strspn(text, "0123456789.");

    if (len >= 5 && len <= 11 && strchr("245", text[0]) != 0
	&& text[1] == '.'
	&& (text[len] == 0 || text[len] == ' ' || text[len] == '\t')) {
	vstring_strncpy(dsn, text, len);
	text += len;
	while (*text == ' ' || *text == '\t')
	    text++;
    }
    return text;
}

/* smtpd_check_access_reply - REJECT/DEFER/NNN: reply with code and text */
static int smtpd_check_access_reply(SMTPD_CHECK_CALL *call, int code,
				            const char *text,
				            const char *default_text,
				            int kind)
{
    VSTRING *dsn = vstring_alloc(20);
    int     status;

    vstring_strcpy(dsn, code / 100 == 4 ? "4.7.1" : "5.7.1");
    text = smtpd_check_access_split_dsn(text, dsn);
    if (*text == 0)
	text = default_text;
    smtpd_check_access_dsn(call, vstring_str(dsn));
    if (kind == 'p')
	status = smtpd_check_defer_if_permit(call, MAIL_ERROR_POLICY, code,
					     vstring_str(dsn),
					     "<%s>: %s rejected: %s",
					     call->reply_name,
					     call->reply_class, text);
    else if (kind == 'r')
	status = smtpd_check_defer_if_reject(call, MAIL_ERROR_POLICY, code,
					     vstring_str(dsn),
					     "<%s>: %s rejected: %s",
					     call->reply_name,
					     call->reply_class, text);
    else
	status = smtpd_check_reject(call, MAIL_ERROR_POLICY, code,
				    vstring_str(dsn), "<%s>: %s rejected: %s",
				    call->reply_name, call->reply_class, text);
    if (status == SMTPD_CHECK_REJECT && (code == 421 || code == 521))
	call->state->flags |= SMTPD_FLAG_HANGUP;
    vstring_free(dsn);
    return status;
}

/* smtpd_check_access_trigger - log "<name>: Class triggers ACTION ..." */
static void smtpd_check_access_trigger(SMTPD_CHECK_CALL *call,
				               const char *action,
				               const char *word,
				               const char *text)
{
    if (*text)
	smtpd_check_log(call, action, "<%s>: %s %s", call->reply_name,
			call->reply_class, text);
    else
	smtpd_check_log(call, action, "<%s>: %s triggers %s%s",
			call->reply_name, call->reply_class, word,
			strcmp(word, "HOLD") == 0 || strcmp(word, "DISCARD") == 0
			? " action" : "");
}

/* smtpd_check_access_side - HOLD DISCARD FILTER REDIRECT BCC PREPEND */
static int smtpd_check_access_side(SMTPD_CHECK_CALL *call, const char *table,
				           const char *key, const char *word,
				           const char *text)
{
    SMTPD_STATE *state = call->state;

    if (STREQ(word, "HOLD")) {
	if ((state->saved_flags & SMTPD_SAVED_HOLD) == 0)
	    smtpd_check_access_trigger(call, "hold", "HOLD", text);
	state->saved_flags |= SMTPD_SAVED_HOLD;
	return SMTPD_CHECK_DUNNO;
    }
    if (STREQ(word, "DISCARD")) {
	if ((state->saved_flags & SMTPD_SAVED_DISCARD) == 0)
	    smtpd_check_access_trigger(call, "discard", "DISCARD", text);
	state->saved_flags |= SMTPD_SAVED_DISCARD;
	return SMTPD_CHECK_OK;
    }
    if (*text == 0) {
	if (STREQ(word, "REDIRECT") || STREQ(word, "BCC"))
	    msg_warn("access table %s entry \"%s\" requires user@domain target",
		     table, key);
	else
	    msg_warn("access table %s entry \"%s\" has %s entry without value",
		     table, key, word);
	return SMTPD_CHECK_DUNNO;
    }
    if (STREQ(word, "FILTER")) {
	if (strchr(text, ':') == NULL) {
	    msg_warn("access table %s entry \"%s\" requires "
		     "transport:destination", table, key);
	    return SMTPD_CHECK_DUNNO;
	}
	if (state->saved_filter)
	    myfree(state->saved_filter);
	state->saved_filter = mystrdup(text);
	smtpd_check_log(call, "filter", "<%s>: %s triggers FILTER %s",
			call->reply_name, call->reply_class, text);
    } else if (STREQ(word, "REDIRECT") || STREQ(word, "BCC")) {
	if (strchr(text, '@') == NULL) {
	    msg_warn("access table %s entry \"%s\" requires user@domain target",
		     table, key);
	    return SMTPD_CHECK_DUNNO;
	}
	if (STREQ(word, "REDIRECT")) {
	    if (state->saved_redirect)
		myfree(state->saved_redirect);
	    state->saved_redirect = mystrdup(text);
	    smtpd_check_log(call, "redirect", "<%s>: %s triggers REDIRECT %s",
			    call->reply_name, call->reply_class, text);
	} else {
	    if (state->saved_bcc == NULL)
		state->saved_bcc = argv_alloc(1);
	    argv_add(state->saved_bcc, text, (char *) 0);
	    smtpd_check_log(call, "bcc", "<%s>: %s triggers BCC %s",
			    call->reply_name, call->reply_class, text);
	}
    } else {					/* PREPEND */
	if (strchr(text, ':') == NULL) {
	    msg_warn("access table %s entry \"%s\" has PREPEND entry "
		     "without header name: %s", table, key, text);
	    return SMTPD_CHECK_DUNNO;
	}
	if (state->prepend == NULL)
	    state->prepend = argv_alloc(1);
	argv_add(state->prepend, text, (char *) 0);
    }
    return SMTPD_CHECK_DUNNO;
}

/* smtpd_check_access_action - apply one access(5) result */
int     smtpd_check_access_action(SMTPD_CHECK_CALL *call, const char *table,
				          const char *key, const char *action)
{
    char   *copy = mystrdup(action);
    char   *word;
    char   *text;
    int     status;

    word = trim_whitespace(copy);
    text = word + strcspn(word, " \t");
    if (*text) {
	*text++ = 0;
	while (*text == ' ' || *text == '\t')
	    text++;
    }
    if (STREQ(word, "OK") || (alldig(word) && *word && *text == 0))
	status = SMTPD_CHECK_OK;
    else if (STREQ(word, "DUNNO"))
	status = SMTPD_CHECK_DUNNO;
    else if (STREQ(word, "REJECT"))
	status = smtpd_check_access_reply(call,
				       (int) VAR_INT(access_map_reject_code),
					  text, "Access denied", 0);
    else if (STREQ(word, "DEFER"))
	status = smtpd_check_access_reply(call,
					(int) VAR_INT(access_map_defer_code),
					  text, "Access denied", 0);
    else if (STREQ(word, "DEFER_IF_REJECT"))
	status = smtpd_check_access_reply(call,
					(int) VAR_INT(access_map_defer_code),
					  text, "Service unavailable", 'r');
    else if (STREQ(word, "DEFER_IF_PERMIT"))
	status = smtpd_check_access_reply(call,
					(int) VAR_INT(access_map_defer_code),
					  text, "Service unavailable", 'p');
    else if (strlen(word) == 3 && alldig(word)
	     && (word[0] == '4' || word[0] == '5'))
	status = smtpd_check_access_reply(call, atoi(word), text,
					  "Access denied", 0);
    else if (STREQ(word, "HOLD") || STREQ(word, "DISCARD")
	     || STREQ(word, "FILTER") || STREQ(word, "REDIRECT")
	     || STREQ(word, "BCC") || STREQ(word, "PREPEND"))
	status = smtpd_check_access_side(call, table, key, word, text);
    else if (STREQ(word, "WARN") || STREQ(word, "INFO")) {
	lowercase(word);
	smtpd_check_log(call, word, "%s", *text ? text : "");
	status = SMTPD_CHECK_DUNNO;
    } else
	status = smtpd_check_list(call, action);
    myfree(copy);
    return status;
}

/* smtpd_check_access_search - query a table with a key sequence */
static int smtpd_check_access_search(SMTPD_CHECK_CALL *call,
				             const TABLE_SEARCH *ts,
				             bool *found)
{
    MAPS   *maps = smtpd_check_maps(call->arg);
    const char *value;
    size_t  which;

    *found = false;
    if (ts->count == 0)
	return SMTPD_CHECK_DUNNO;
    if ((value = table_search_find(ts, maps, &which)) != NULL) {
	char   *copy = mystrdup(value);
	int     status;

	*found = true;
	status = smtpd_check_access_action(call, call->arg,
					   ts->keys[which].key, copy);
	myfree(copy);
	return status;
    }
    if (maps->error != DICT_ERR_NONE)
	return smtpd_check_config_error(call);
    return SMTPD_CHECK_DUNNO;
}

/* smtpd_check_access_parent - parent_domain_matches_subdomains */
static bool smtpd_check_access_parent(void)
{
    return table_search_parent_match(VAR_STR(parent_domain_matches_subdomains),
				     "smtpd_access_maps");
}

/* smtpd_check_access_host - a host name (or domain), then its parents */
static int smtpd_check_access_host(SMTPD_CHECK_CALL *call, const char *name)
{
    TABLE_SEARCH *ts = table_search_create();
    bool    found;
    int     status;

    table_search_access_host(ts, name, smtpd_check_access_parent());
    status = smtpd_check_access_search(call, ts, &found);
    table_search_free(ts);
    return status;
}

/* smtpd_check_access_namaddr - a client host name, then its address */
static int smtpd_check_access_namaddr(SMTPD_CHECK_CALL *call,
				              const char *name)
{
    TABLE_SEARCH *ts;
    bool    found;
    int     status = SMTPD_CHECK_DUNNO;

    if (name != NULL && *name != 0 && strcasecmp(name, "unknown") != 0
	&& (status = smtpd_check_access_host(call, name)) != SMTPD_CHECK_DUNNO)
	return status;
    if (call->state->addr == NULL || *call->state->addr == 0)
	return status;
    ts = table_search_create();
    table_search_access_ip(ts, call->state->addr);
    status = smtpd_check_access_search(call, ts, &found);
    table_search_free(ts);
    return status;
}

/* smtpd_check_access_bad_arg - a table restriction without type:table */
static bool smtpd_check_access_bad_arg(SMTPD_CHECK_CALL *call, int *status)
{
    if (strchr(call->arg, ':') != NULL)
	return false;
    msg_warn("restriction %s: bad argument \"%s\": need maptype:mapname",
	     call->restriction, call->arg);
    *status = smtpd_check_server_error(call);
    return true;
}

/* smtpd_check_access_client_as - client lookups named as the client */
static int smtpd_check_access_client_as(SMTPD_CHECK_CALL *call,
				                const char *name)
{
    SMTPD_CHECK_CALL nested = *call;
    VSTRING *namaddr;
    int     status;

    if (smtpd_check_access_bad_arg(call, &status))
	return status;
    namaddr = vstring_alloc(100);
    vstring_sprintf(namaddr, "%s[%s]",
		    call->state->name ? call->state->name : "unknown",
		    call->state->addr ? call->state->addr : "unknown");
    nested.reply_name = vstring_str(namaddr);
    nested.reply_class = "Client host";
    status = smtpd_check_access_namaddr(&nested, name);
    vstring_free(namaddr);
    return status;
}

/* smtpd_check_access_client - "check_client_access type:table" */
static int smtpd_check_access_client(SMTPD_CHECK_CALL *call)
{
    return smtpd_check_access_client_as(call, call->state->name);
}

/* smtpd_check_access_reverse - "check_reverse_client_hostname_access" */
static int smtpd_check_access_reverse(SMTPD_CHECK_CALL *call)
{
    return smtpd_check_access_client_as(call, call->state->reverse_name);
}

/* smtpd_check_access_helo - "check_helo_access type:table" */
static int smtpd_check_access_helo(SMTPD_CHECK_CALL *call)
{
    const char *helo = call->state->helo_name;
    int     status;

    if (smtpd_check_access_bad_arg(call, &status))
	return status;
    if (helo == NULL || *helo == 0)
	return SMTPD_CHECK_DUNNO;
    if (call->stage != SMTPD_STAGE_HELO) {
	SMTPD_CHECK_CALL nested = *call;

	nested.reply_name = helo;
	nested.reply_class = "Helo command";
	return smtpd_check_access_host(&nested, helo);
    }
    return smtpd_check_access_host(call, helo);
}

/* smtpd_check_access_mail - an e-mail address (access(5) order) */
static int smtpd_check_access_mail(SMTPD_CHECK_CALL *call, const char *addr,
				           const char *reply_class)
{
    SMTPD_CHECK_CALL nested = *call;
    TABLE_SEARCH *ts = table_search_create();
    bool    found;
    int     status;

    nested.reply_name = addr;
    nested.reply_class = reply_class;
    if (*addr == 0)
	table_search_access_host(ts, VAR_STR(smtpd_null_access_lookup_key),
				 false);
    else
	table_search_access_address(ts, addr, VAR_STR(recipient_delimiter),
				    smtpd_check_access_parent());
    if (*addr == 0 && ts->count > 1)
	ts->count = 1;				/* the key only */
    status = smtpd_check_access_search(&nested, ts, &found);
    table_search_free(ts);
    return status;
}

/* smtpd_check_access_sender - "check_sender_access type:table" */
static int smtpd_check_access_sender(SMTPD_CHECK_CALL *call)
{
    int     status;

    if (smtpd_check_access_bad_arg(call, &status))
	return status;
    if (call->state->sender == NULL)
	return SMTPD_CHECK_DUNNO;
    return smtpd_check_access_mail(call, call->state->sender,
				   "Sender address");
}

/* smtpd_check_access_recipient - "check_recipient_access type:table" */
static int smtpd_check_access_recipient(SMTPD_CHECK_CALL *call)
{
    const char *rcpt = call->state->recipient;
    int     status;

    if (smtpd_check_access_bad_arg(call, &status))
	return status;
    if (call->stage == SMTPD_STAGE_RECIPIENT
	|| call->stage == SMTPD_STAGE_RELAY)
	rcpt = call->reply_name;
    if (rcpt == NULL)
	return SMTPD_CHECK_DUNNO;
    return smtpd_check_access_mail(call, rcpt, "Recipient address");
}

/* smtpd_check_access_etrn - "check_etrn_access type:table" */
static int smtpd_check_access_etrn(SMTPD_CHECK_CALL *call)
{
    int     status;

    if (smtpd_check_access_bad_arg(call, &status))
	return status;
    if (call->stage != SMTPD_STAGE_ETRN)
	return SMTPD_CHECK_DUNNO;
    return smtpd_check_access_host(call, call->reply_name);
}

const SMTPD_RESTRICTION smtpd_check_access_table[] = {
    {"permit", smtpd_check_access_permit, 0},
    {"reject", smtpd_check_access_reject, 0},
    {"defer", smtpd_check_access_defer, 0},
    {"defer_if_permit", smtpd_check_access_dip, 0},
    {"defer_if_reject", smtpd_check_access_dir, 0},
    {"sleep", smtpd_check_access_sleep, SMTPD_RESTR_ARG},
    {"permit_mynetworks", smtpd_check_access_mynetworks, 0},
    {"permit_sasl_authenticated", smtpd_check_access_sasl, 0},
    {"reject_multi_recipient_bounce", smtpd_check_access_multi_bounce, 0},
    {"check_client_access", smtpd_check_access_client, SMTPD_RESTR_ARG},
    {"check_reverse_client_hostname_access", smtpd_check_access_reverse,
    SMTPD_RESTR_ARG},
    {"check_helo_access", smtpd_check_access_helo, SMTPD_RESTR_ARG},
    {"check_sender_access", smtpd_check_access_sender, SMTPD_RESTR_ARG},
    {"check_recipient_access", smtpd_check_access_recipient, SMTPD_RESTR_ARG},
    {"check_etrn_access", smtpd_check_access_etrn, SMTPD_RESTR_ARG},
    {0},
};
