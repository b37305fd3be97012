/*
 * smtpd_limit - the anvil(8) connection and rate limits of smtpd(8)
 *
 * SYNOPSIS
 *	#include "smtpd.h"
 *
 *	const char *smtpd_limit_connect(SMTPD_STATE *state);
 *	void	smtpd_limit_disconnect(SMTPD_STATE *state);
 *	const char *smtpd_limit_mail(SMTPD_STATE *state);
 *	const char *smtpd_limit_rcpt(SMTPD_STATE *state);
 *	bool	smtpd_limit_exempt(SMTPD_STATE *state);
 *
 * DESCRIPTION
 *	smtpd_limit_connect() registers the client (state->service and
 *	state->addr, anvil ident "service:addr", remembered in
 *	state->anvil_ident) with anvil(8) and checks
 *	smtpd_client_connection_count_limit and
 *	smtpd_client_connection_rate_limit. smtpd_limit_disconnect()
 *	unregisters it (a no-op when connect did not register). XCLIENT
 *	calls both when it changes the client address.
 *
 *	smtpd_limit_mail() counts a MAIL command against
 *	smtpd_client_message_rate_limit, smtpd_limit_rcpt() a RCPT
 *	command against smtpd_client_recipient_rate_limit; a limit of 0
 *	means no limit (and no request to anvil).
 *
 *	Each returns NULL, or the reply that the command must get after
 *	logging the warning (Postfix 3.7's words, observed):
 *
 *	"421 4.7.0 <myhostname> Error: too many connections from <addr>"
 *	and "Connection concurrency limit exceeded: N from name[addr] for
 *	service S" or "Connection rate limit exceeded: ..."; the caller
 *	sends the reply and ends the session.
 *
 *	"450 4.7.1 Error: too much mail from <addr>" with "Message
 *	delivery request rate limit exceeded: ...".
 *
 *	"450 4.7.1 Error: too many recipients from <addr>" with
 *	"Recipient address rate limit exceeded: ...".
 *
 *	smtpd_limit_exempt() says whether limits do not apply to this
 *	client, as with Postfix: smtpd -S sessions, clients that may use
 *	XCLIENT (smtpd_authorized_xclient_hosts: a proxy in front of
 *	smtpd talks for many clients) and clients listed in
 *	smtpd_client_event_limit_exceptions (default $mynetworks). An
 *	exempt client is not registered with anvil(8) at all.
 *
 *	When anvil(8) cannot be reached the client is not limited (the
 *	anvil client logs why, and pauses one second before its second
 *	attempt, as Postfix's does).
 *
 * DIAGNOSTICS
 *	The warnings above; anvil_client(3) warnings.
 */
#include "sys_defs.h"

#include <string.h>

#include "msg.h"
#include "stringops.h"
#include "mymalloc.h"
#include "vstring.h"
#include "mail_params.h"
#include "anvil_client.h"
#include "host_addr_list.h"
#include "smtpd.h"

static ANVIL_CLIENT *smtpd_anvil;
static HOST_ADDR_LIST *smtpd_limit_exceptions;

/* smtpd_limit_anvil - the process-wide anvil client */
static ANVIL_CLIENT *smtpd_limit_anvil(void)
{
    if (smtpd_anvil == 0)
	smtpd_anvil = anvil_client_create((const char *) 0);
    return (smtpd_anvil);
}

/* smtpd_limit_exempt - do the anvil limits not apply to this client? */
bool    smtpd_limit_exempt(SMTPD_STATE *state)
{
    if (state->flags & SMTPD_FLAG_STANDALONE)
	return (true);
    if (smtpd_xclient_allowed(state))
	return (true);
    if (smtpd_limit_exceptions == 0)
	smtpd_limit_exceptions =
	    host_addr_list_create(PARAM_NAME(smtpd_client_event_limit_exceptions),
			       VAR_STR(smtpd_client_event_limit_exceptions),
				  0);
    return (host_addr_list_match(smtpd_limit_exceptions, state->name,
				 state->addr) > 0);
}

/* smtpd_limit_reply - a reply built in a buffer of this module */
static const char *smtpd_limit_reply(const char *fmt, const char *arg1,
				             const char *arg2)
{
    static VSTRING *reply;

    if (reply == 0)
	reply = vstring_alloc(100);
    if (arg2)
	vstring_sprintf(reply, fmt, arg1, arg2);
    else
	vstring_sprintf(reply, fmt, arg1);
    return (vstring_str(reply));
}

/* smtpd_limit_connect - register the client, check count and rate */
const char *smtpd_limit_connect(SMTPD_STATE *state)
{
    int     count_limit = (int) VAR_INT(smtpd_client_connection_count_limit);
    int     rate_limit = (int) VAR_INT(smtpd_client_connection_rate_limit);
    int     count;
    int     rate;

    if (state->anvil_ident != 0)
	smtpd_limit_disconnect(state);
    if (smtpd_limit_exempt(state))
	return (0);
    if (anvil_client_connect(smtpd_limit_anvil(), state->service, state->addr,
			     &count, &rate) != ANVIL_STAT_OK)
	return (0);
    state->anvil_ident = concatenate(state->service, ":", state->addr,
				     (char *) 0);
    if (count_limit > 0 && count > count_limit) {
	msg_warn("Connection concurrency limit exceeded: %d from %s "
		 "for service %s", count, state->namaddr, state->service);
	return (smtpd_limit_reply("421 4.7.0 %s Error: too many connections "
				  "from %s", VAR_STR(myhostname), state->addr));
    }
    if (rate_limit > 0 && rate > rate_limit) {
	msg_warn("Connection rate limit exceeded: %d from %s for service %s",
		 rate, state->namaddr, state->service);
	return (smtpd_limit_reply("421 4.7.0 %s Error: too many connections "
				  "from %s", VAR_STR(myhostname), state->addr));
    }
    return (0);
}

/* smtpd_limit_disconnect - unregister the client */
void    smtpd_limit_disconnect(SMTPD_STATE *state)
{
    size_t  len = strlen(state->service);

    if (state->anvil_ident == 0)
	return;
    /* The ident is "service:addr"; a service name may contain ':'. */
    if (strncmp(state->anvil_ident, state->service, len) == 0
	&& state->anvil_ident[len] == ':')
	(void) anvil_client_disconnect(smtpd_limit_anvil(), state->service,
				       state->anvil_ident + len + 1);
    myfree(state->anvil_ident);
    state->anvil_ident = 0;
}

/* smtpd_limit_mail - count a MAIL command */
const char *smtpd_limit_mail(SMTPD_STATE *state)
{
    int     limit = (int) VAR_INT(smtpd_client_message_rate_limit);
    int     rate;

    if (limit <= 0 || smtpd_limit_exempt(state))
	return (0);
    if (anvil_client_mail(smtpd_limit_anvil(), state->service, state->addr,
			  &rate) != ANVIL_STAT_OK || rate <= limit)
	return (0);
    msg_warn("Message delivery request rate limit exceeded: %d from %s "
	     "for service %s", rate, state->namaddr, state->service);
    return (smtpd_limit_reply("450 4.7.1 Error: too much mail from %s",
			      state->addr, (const char *) 0));
}

/* smtpd_limit_rcpt - count a RCPT command */
const char *smtpd_limit_rcpt(SMTPD_STATE *state)
{
    int     limit = (int) VAR_INT(smtpd_client_recipient_rate_limit);
    int     rate;

    if (limit <= 0 || smtpd_limit_exempt(state))
	return (0);
    if (anvil_client_rcpt(smtpd_limit_anvil(), state->service, state->addr,
			  &rate) != ANVIL_STAT_OK || rate <= limit)
	return (0);
    msg_warn("Recipient address rate limit exceeded: %d from %s "
	     "for service %s", rate, state->namaddr, state->service);
    return (smtpd_limit_reply("450 4.7.1 Error: too many recipients from %s",
			      state->addr, (const char *) 0));
}
