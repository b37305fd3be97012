/*
 * smtpd_policy_request - the request to an SMTPD access policy server
 *
 * SYNOPSIS
 *	#include "smtpd_check.h"
#include "smtpd_policy_request.h"
 *
 *	void	smtpd_policy_request_format(SMTPD_CHECK_CALL *call,
 *				const char *context, VSTRING *request);
 *
 * DESCRIPTION
 *	smtpd_policy_request_format() writes the SMTPD_POLICY_README
 *	request for one evaluation of check_policy_service into request:
 *	"name=value" lines and an empty line. context is the service's
 *	policy_context.
 *
 *	Attribute order follows Debian's Postfix 3.7; compatibility_level
 *	and mail_version are appended at the end as Postfix 3.8 does.
 *	There is no TLS and no SASL in this smtpd: their attributes are
 *	sent empty (encryption_keysize=0), as Postfix sends them for a
 *	plaintext session. "instance" is empty before MAIL FROM and then
 *	the same for every request of one mail transaction.
 *	protocol_state is the SMTP command being answered (the stage for
 *	DATA, END-OF-MESSAGE and ETRN); "recipient" is set at RCPT and,
 *	with exactly one accepted recipient, at DATA and END-OF-MESSAGE;
 *	"size" is the SIZE= value, at END-OF-MESSAGE the size received;
 *	"recipient_count" is 0 before DATA, as in Postfix.
 *
 * DIAGNOSTICS
 *	None.
 */
#include "sys_defs.h"
#include <unistd.h>
#include <sys/time.h>

#include "vstring.h"
#include "mail_params.h"

#include "smtpd_policy_request.h"

/* policy_instance - the per-message "instance" attribute */

static const char *policy_instance(SMTPD_STATE *state)
{
    struct timeval tv;
    VSTRING *buf;

    if (state->sender == 0)
	return ("");
    if (state->instance == 0) {
	gettimeofday(&tv, (struct timezone *) 0);
	buf = vstring_alloc(40);
	vstring_sprintf(buf, "%x.%lx.%lx.%x", (unsigned) getpid(),
			(unsigned long) tv.tv_sec,
			(unsigned long) tv.tv_usec,
			(unsigned) state->instance_seq++);
	state->instance = vstring_export(buf);
    }
    return (state->instance);
}

/* policy_state_name - the protocol_state attribute */

static const char *policy_state_name(SMTPD_CHECK_CALL *call)
{
    switch (call->stage) {
    case SMTPD_STAGE_EOD:
	return ("END-OF-MESSAGE");
    case SMTPD_STAGE_DATA:
	return ("DATA");
    case SMTPD_STAGE_ETRN:
	return ("ETRN");
    default:
	return (call->state->where && *call->state->where ?
		call->state->where : "CONNECT");
    }
}

#define STR_OR_EMPTY(s)	((s) ? (s) : "")

/* smtpd_policy_request_format - the request for one evaluation */

void    smtpd_policy_request_format(SMTPD_CHECK_CALL *call,
				            const char *context,
				            VSTRING *request)
{
    SMTPD_STATE *state = call->state;
    const char *recipient = "";
    const char *login;
    long    size = state->msg_size;
    int     count = 0;

    switch (call->stage) {
    case SMTPD_STAGE_RELAY:
    case SMTPD_STAGE_RECIPIENT:
	recipient = STR_OR_EMPTY(state->recipient);
	break;
    case SMTPD_STAGE_DATA:
    case SMTPD_STAGE_EOD:
	if (state->rcpt_count == 1)
	    recipient = STR_OR_EMPTY(state->recipient);
	count = state->rcpt_count;
	if (call->stage == SMTPD_STAGE_EOD)
	    size = state->act_size;
	break;
    default:
	break;
    }
    vstring_sprintf(request,
		    "request=smtpd_access_policy\n"
		    "protocol_state=%s\n"
		    "protocol_name=%s\n"
		    "client_address=%s\n"
		    "client_name=%s\n"
		    "client_port=%s\n"
		    "reverse_client_name=%s\n"
		    "server_address=%s\n"
		    "server_port=%s\n"
		    "helo_name=%s\n"
		    "sender=%s\n"
		    "recipient=%s\n"
		    "recipient_count=%d\n"
		    "queue_id=%s\n"
		    "instance=%s\n"
		    "size=%ld\n"
		    "etrn_domain=%s\n"
		    "stress=%s\n",
		    policy_state_name(call),
		    state->protocol ? state->protocol : "SMTP",
		    STR_OR_EMPTY(state->addr),
		    STR_OR_EMPTY(state->name),
		    STR_OR_EMPTY(state->port),
		    STR_OR_EMPTY(state->reverse_name),
		    STR_OR_EMPTY(state->server_addr),
		    STR_OR_EMPTY(state->server_port),
		    STR_OR_EMPTY(state->helo_name),
		    STR_OR_EMPTY(state->sender),
		    recipient,
		    count,
		    STR_OR_EMPTY(state->queue_id),
		    policy_instance(state),
		    size,
		    call->stage == SMTPD_STAGE_ETRN ?
		    STR_OR_EMPTY(state->etrn_name) : "",
		    VAR_STR(stress));
    /* Postfix sends the XCLIENT LOGIN name even without SASL. */
    login = smtpd_xclient_login(state);
    vstring_sprintf_append(request,
			   "sasl_method=%s\n"
			   "sasl_username=%s\n"
			   "sasl_sender=\n"
			   "ccert_subject=\n"
			   "ccert_issuer=\n"
			   "ccert_fingerprint=\n"
			   "ccert_pubkey_fingerprint=\n"
			   "encryption_protocol=\n"
			   "encryption_cipher=\n"
			   "encryption_keysize=0\n"
			   "policy_context=%s\n"
			   "compatibility_level=%s\n"
			   "mail_version=%s\n"
			   "\n",
			   login ? "XCLIENT" : "", STR_OR_EMPTY(login),
			   context,
			   VAR_STR(compatibility_level),
			   VAR_STR(mail_version));
}

