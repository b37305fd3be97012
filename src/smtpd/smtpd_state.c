/*
 * smtpd_state - create, reset and free the smtpd(8) session state
 *
 * SYNOPSIS
 *	#include "smtpd.h"
 *
 *	SMTPD_STATE *smtpd_state_create(VSTREAM *client, const char *service,
 *				int flags);
 *	void	smtpd_state_reset_transaction(SMTPD_STATE *state);
 *	void	smtpd_state_free(SMTPD_STATE *state);
 *	void	smtpd_state_set_peer(SMTPD_STATE *state, const char *name,
 *				const char *reverse_name, const char *addr,
 *				const char *port, int name_status,
 *				int reverse_status);
 *
 * DESCRIPTION
 *	smtpd_state_create() makes the state of one SMTP session on the
 *	client stream for the master.cf service; flags are SMTPD_FLAG_*
 *	bits (SMTPD_FLAG_STANDALONE for smtpd -S). The client identity
 *	starts as "unknown[unknown]" until smtpd_state_set_peer().
 *
 *	smtpd_state_reset_transaction() forgets the mail transaction (what
 *	MAIL FROM, RCPT TO and the restrictions saved): RSET, HELO/EHLO,
 *	the end of DATA or BDAT LAST, and errors call it. An open queue
 *	file is dropped through smtpd_data_abort().
 *
 *	smtpd_state_set_peer() sets the client's identity (smtpd_peer.c at
 *	connect time, XCLIENT later): name, reverse name, printable
 *	address, port and the name lookup status codes. It derives
 *	namaddr ("name[addr]", or "name[addr]:port" with
 *	smtpd_client_port_logging), rfc_addr ("IPv6:..." for IPv6) and
 *	the address family.
 *
 *	smtpd_state_free() frees what this module allocated and the
 *	XCLIENT/XFORWARD context (smtpd_xclient_free()); the other private
 *	contexts must have been freed by their owners.
 *
 * DIAGNOSTICS
 *	None.
 */
#include "sys_defs.h"

#include <string.h>
#include <sys/socket.h>

#include "mymalloc.h"
#include "msg.h"
#include "mail_params.h"
#include "smtpd.h"

/* smtpd_state_create - a fresh session on the client stream */
SMTPD_STATE *smtpd_state_create(VSTREAM *client, const char *service,
				        int flags)
{
    SMTPD_STATE *state = mymalloc(sizeof(*state));

    memset(state, 0, sizeof(*state));
    state->client = client;
    state->service = service;
    state->flags = flags;
    gettimeofday(&state->arrival, (struct timezone *) 0);
    state->buffer = vstring_alloc(100);
    state->reply = vstring_alloc(100);
    state->where = "CONNECT";
    state->protocol = mystrdup("SMTP");
    state->addr_family = AF_UNSPEC;
    smtpd_state_set_peer(state, "unknown", "unknown", "unknown", "unknown",
			 SMTPD_PEER_CODE_PERM, SMTPD_PEER_CODE_PERM);
    state->server_addr = mystrdup("unknown");
    state->server_port = mystrdup("unknown");
    state->rcpt_args = argv_alloc(1);
    return (state);
}

/* replace_string - free a string and store a copy of another */
static void replace_string(char **slot, const char *value)
{
    char   *copy = value ? mystrdup(value) : 0;

    myfree(*slot);
    *slot = copy;
}

/* smtpd_state_set_peer - set the client identity and derived names */
void    smtpd_state_set_peer(SMTPD_STATE *state, const char *name,
			             const char *reverse_name,
			             const char *addr, const char *port,
			             int name_status, int reverse_status)
{
    VSTRING *buf = vstring_alloc(100);

    /*
     * The arguments may be the state's own strings (XCLIENT keeps what it
     * does not change): below, use only the copies.
     */
    replace_string(&state->name, name);
    replace_string(&state->reverse_name, reverse_name);
    replace_string(&state->addr, addr);
    replace_string(&state->port, port);
    name = state->name;
    addr = state->addr;
    port = state->port;
    state->name_status = name_status;
    state->reverse_name_status = reverse_status;
    if (strchr(addr, ':') != 0) {
	state->addr_family = AF_INET6;
	vstring_sprintf(buf, "IPv6:%s", addr);
	replace_string(&state->rfc_addr, vstring_str(buf));
    } else {
	state->addr_family = strcmp(addr, "unknown") == 0 ?
	    AF_UNSPEC : AF_INET;
	replace_string(&state->rfc_addr, addr);
    }
    vstring_sprintf(buf, "%s[%s]", name, addr);
    if (VAR_BOOL(smtpd_client_port_logging) && strcmp(port, "unknown") != 0)
	vstring_sprintf_append(buf, ":%s", port);
    replace_string(&state->namaddr, vstring_str(buf));
    vstring_free(buf);
}

/* smtpd_state_reset_transaction - forget the mail transaction */
void    smtpd_state_reset_transaction(SMTPD_STATE *state)
{
    if (state->cleanup != 0)
	smtpd_data_abort(state);
    replace_string(&state->queue_id, 0);
    replace_string(&state->sender, 0);
    replace_string(&state->encoding, 0);
    replace_string(&state->verp_delims, 0);
    replace_string(&state->dsn_envid, 0);
    replace_string(&state->recipient, 0);
    replace_string(&state->etrn_name, 0);
    replace_string(&state->saved_filter, 0);
    replace_string(&state->saved_redirect, 0);
    replace_string(&state->instance, 0);
    state->dsn_ret = 0;
    state->msg_size = 0;
    state->rcpt_count = 0;
    state->rcpt_overshoot = 0;
    state->act_size = 0;
    state->bdat_active = false;
    state->saved_flags = 0;
    state->flags &= ~SMTPD_FLAG_SMTPUTF8;
    argv_truncate(state->rcpt_args, 0);
    if (state->saved_bcc) {
	argv_free(state->saved_bcc);
	state->saved_bcc = 0;
    }
    if (state->prepend) {
	argv_free(state->prepend);
	state->prepend = 0;
    }
}

/* smtpd_state_free - free the session state */
void    smtpd_state_free(SMTPD_STATE *state)
{
    smtpd_state_reset_transaction(state);
    smtpd_xclient_free(state);
    vstring_free(state->buffer);
    vstring_free(state->reply);
    myfree(state->name);
    myfree(state->reverse_name);
    myfree(state->addr);
    myfree(state->port);
    myfree(state->namaddr);
    myfree(state->rfc_addr);
    myfree(state->server_addr);
    myfree(state->server_port);
    myfree(state->anvil_ident);
    myfree(state->helo_name);
    myfree(state->protocol);
    argv_free(state->rcpt_args);
    myfree(state);
}
