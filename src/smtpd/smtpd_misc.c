/*
 * smtpd_misc - RSET, NOOP, VRFY, ETRN, QUIT, STARTTLS and AUTH for smtpd(8)
 *
 * SYNOPSIS
 *	#include "smtpd.h"
 *
 *	int	smtpd_cmd_rset(SMTPD_STATE *state, int argc, char **argv);
 *	int	smtpd_cmd_noop(SMTPD_STATE *state, int argc, char **argv);
 *	int	smtpd_cmd_vrfy(SMTPD_STATE *state, int argc, char **argv);
 *	int	smtpd_cmd_etrn(SMTPD_STATE *state, int argc, char **argv);
 *	int	smtpd_cmd_quit(SMTPD_STATE *state, int argc, char **argv);
 *	int	smtpd_cmd_starttls(SMTPD_STATE *state, int argc, char **argv);
 *	int	smtpd_cmd_auth(SMTPD_STATE *state, int argc, char **argv);
 *
 * DESCRIPTION
 *	The small commands, answered as Postfix 3.7 answers them:
 *
 *	RSET takes no argument and forgets the mail transaction. NOOP
 *	ignores its arguments. VRFY (unless disable_vrfy_command) runs
 *	smtpd_check_vrfy() and answers "252 2.0.0 <address>" (the address
 *	is not looked up further; several words are taken as one address
 *	and a trailing SMTPUTF8 is dropped). ETRN (after HELO/EHLO when
 *	smtpd_helo_required) checks its domain argument ("@domain" and
 *	"#domain" name the domain; flush_site_ok(): a host name,
 *	"[IPv4 address]" or "[IPv6:address]") and
 *	smtpd_check_etrn(), then asks flush(8) to deliver the mail queued
 *	for the domain (flush_send_site()): "250 Queuing started"; "459
 *	<domain>: service unavailable" for a domain outside
 *	$fast_flush_domains; "458 Unable to queue messages" when the
 *	service cannot be reached or fails. QUIT says goodbye.
 *
 *	STARTTLS and AUTH: this build has no TLS and no SASL in smtpd
 *	yet, so they get Postfix's answers for a server where those
 *	features are off ("502 5.5.1 Error: command not implemented",
 *	"503 5.5.1 Error: authentication not enabled"). The TLS and SASL
 *	work replaces these two handlers.
 *
 *	HELP and EXPN are not commands of Postfix: the dispatcher answers
 *	them as unknown commands.
 *
 * DIAGNOSTICS
 *	Warnings: "reject: ETRN domain... from name[addr]", "unable to
 *	talk to fast flush service" (after flush_clnt(3)'s own warning),
 *	"bad ETRN domain... from name[addr]" (flush(8) refused a domain
 *	that smtpd accepted), "Illegal address syntax from name[addr] in
 *	VRFY command: text".
 */
#include "sys_defs.h"

#include <string.h>
#include <strings.h>

#include "msg.h"
#include "mymalloc.h"
#include "mail_params.h"
#include "flush_clnt.h"
#include "smtpd.h"
#include "smtpd_check.h"

/* smtpd_cmd_rset - RSET */
int     smtpd_cmd_rset(SMTPD_STATE *state, int argc, char **argv)
{
    (void) argv;
    if (argc != 1) {
	smtpd_chat_reply(state, "501 5.5.4 Syntax: RSET");
	return (-1);
    }
    smtpd_state_reset_transaction(state);
    smtpd_xforward_reset(state);
    smtpd_chat_reply(state, "250 2.0.0 Ok");
    return (0);
}

/* smtpd_cmd_noop - NOOP [anything] */
int     smtpd_cmd_noop(SMTPD_STATE *state, int argc, char **argv)
{
    (void) argc;
    (void) argv;
    smtpd_chat_reply(state, "250 2.0.0 Ok");
    return (0);
}

/* smtpd_cmd_vrfy - VRFY address [SMTPUTF8] */
int     smtpd_cmd_vrfy(SMTPD_STATE *state, int argc, char **argv)
{
    const char *reply;
    VSTRING *text;
    VSTRING *addr;
    int     nargs = argc;
    int     i;

    if (VAR_BOOL(disable_vrfy_command)) {
	smtpd_chat_reply(state, "502 5.5.1 VRFY command is disabled");
	return (-1);
    }
    if (nargs > 2 && VAR_BOOL(smtputf8_enable)
	&& strcasecmp(argv[nargs - 1], "SMTPUTF8") == 0)
	nargs--;
    if (nargs < 2) {
	smtpd_chat_reply(state, "501 5.5.4 Syntax: VRFY address [SMTPUTF8]");
	return (-1);
    }
    /* Several words are one (bad) address, as with Postfix. */
    text = vstring_alloc(100);
    for (i = 1; i < nargs; i++)
	vstring_sprintf_append(text, "%s%s", i > 1 ? " " : "", argv[i]);
    addr = vstring_alloc(100);
    if (smtpd_mail_addr(vstring_str(text), false, addr) < 0) {
	msg_warn("Illegal address syntax from %s in VRFY command: %s",
		 state->namaddr, vstring_str(text));
	smtpd_chat_reply(state, "501 5.1.3 Bad recipient address syntax");
	vstring_free(addr);
	vstring_free(text);
	return (-1);
    }
    if ((reply = smtpd_check_vrfy(state, vstring_str(addr))) != 0) {
	smtpd_chat_reply(state, "%s", reply);
	vstring_free(addr);
	vstring_free(text);
	return (-1);
    }
    smtpd_chat_reply(state, "252 2.0.0 %s", vstring_str(text));
    vstring_free(addr);
    vstring_free(text);
    return (0);
}

/* smtpd_cmd_etrn - ETRN domain */
int     smtpd_cmd_etrn(SMTPD_STATE *state, int argc, char **argv)
{
    const char *reply;
    const char *domain;

    if (VAR_BOOL(smtpd_helo_required) && state->helo_name == 0) {
	smtpd_chat_reply(state, "503 Error: send HELO/EHLO first");
	return (-1);
    }
    if (state->sender != 0) {
	smtpd_chat_reply(state, "503 Error: MAIL transaction in progress");
	return (-1);
    }
    if (argc != 2) {
	smtpd_chat_reply(state, "500 Syntax: ETRN domain");
	return (-1);
    }
    domain = argv[1];
    if (*domain == '@' || *domain == '#')
	domain++;
    if (!flush_site_ok(domain)) {
	smtpd_chat_reply(state, "501 Error: invalid parameter syntax");
	return (-1);
    }
    myfree(state->etrn_name);
    state->etrn_name = mystrdup(domain);
    if ((reply = smtpd_check_etrn(state, domain)) != 0) {
	smtpd_chat_reply(state, "%s", reply);
	return (-1);
    }
    switch (flush_send_site(domain)) {
    case FLUSH_STAT_OK:
	smtpd_chat_reply(state, "250 Queuing started");
	return (0);
    case FLUSH_STAT_DENY:
	msg_warn("reject: ETRN %.100s... from %s", domain, state->namaddr);
	smtpd_chat_reply(state, "459 <%s>: service unavailable", domain);
	return (-1);
    case FLUSH_STAT_BAD:
	msg_warn("bad ETRN %.100s... from %s", domain, state->namaddr);
	smtpd_chat_reply(state, "458 Unable to queue messages");
	return (-1);
    default:
	msg_warn("unable to talk to fast flush service");
	smtpd_chat_reply(state, "458 Unable to queue messages");
	return (-1);
    }
}

/* smtpd_cmd_quit - QUIT */
int     smtpd_cmd_quit(SMTPD_STATE *state, int argc, char **argv)
{
    (void) argc;
    (void) argv;
    smtpd_chat_reply(state, "221 2.0.0 Bye");
    state->flags |= SMTPD_FLAG_HANGUP;
    return (0);
}

/* smtpd_cmd_starttls - STARTTLS: TLS is not configured (TLS goes here) */
int     smtpd_cmd_starttls(SMTPD_STATE *state, int argc, char **argv)
{
    (void) argc;
    (void) argv;
    smtpd_chat_reply(state, "502 5.5.1 Error: command not implemented");
    return (-1);
}

/* smtpd_cmd_auth - AUTH: SASL is not configured (SASL goes here) */
int     smtpd_cmd_auth(SMTPD_STATE *state, int argc, char **argv)
{
    (void) argc;
    (void) argv;
    smtpd_chat_reply(state, "503 5.5.1 Error: authentication not enabled");
    return (-1);
}
