/*
 * smtpd_helo - the HELO and EHLO commands of smtpd(8)
 *
 * SYNOPSIS
 *	#include "smtpd.h"
 *
 *	void	smtpd_helo_init(void);
 *	int	smtpd_cmd_helo(SMTPD_STATE *state, int argc, char **argv);
 *	int	smtpd_cmd_ehlo(SMTPD_STATE *state, int argc, char **argv);
 *	unsigned smtpd_helo_ehlo_mask(const char *names);
 *	int	smtpd_helo_discard_mask(SMTPD_STATE *state);
 *
 * DESCRIPTION
 *	smtpd_cmd_helo() and smtpd_cmd_ehlo() check the syntax (at least
 *	one argument; several are joined with single spaces) and run
 *	smtpd_check_helo() with the new name in state->helo_name. When
 *	the name is accepted, they forget any mail transaction and keep
 *	the name and the protocol (SMTP or ESMTP); a rejected HELO/EHLO
 *	changes nothing (as with Postfix, a MAIL after it is still
 *	nested). EHLO answers
 *	with the ESMTP keywords in Postfix's order: PIPELINING, SIZE,
 *	VRFY, ETRN, XVERP for clients that may use it (never discarded),
 *	(STARTTLS and AUTH when configured: not yet), XCLIENT and
 *	XFORWARD for authorized clients, then ENHANCEDSTATUSCODES,
 *	8BITMIME, DSN, SMTPUTF8 and CHUNKING, less
 *	those named in $smtpd_discard_ehlo_keywords or found for this
 *	client by smtpd_check_ehlo_discard()
 *	(smtpd_discard_ehlo_keyword_address_maps). When that table is
 *	configured, the discarded keywords (the table's or, when it has no
 *	answer for the client, the parameter's) are logged ("discarding
 *	EHLO keywords: ...") unless the list names "silent-discard";
 *	without the table nothing is logged (as Postfix 3.7 does).
 *
 *	smtpd_helo_ehlo_mask() turns a list of keyword names into a mask
 *	of SMTPD_EHLO_* bits (unknown names are ignored), for the
 *	restriction module's table results too. smtpd_helo_discard_mask()
 *	is the mask of the current session (the table's answer, else the
 *	parameter's), or -1 when the table lookup failed: EHLO then gets
 *	"421 4.3.0 $myhostname Server local data error" and the session
 *	ends, as with Postfix.
 *
 * DIAGNOSTICS
 *	Info: "discarding EHLO keywords: ...". After a table failure:
 *	warning "don't know what EHLO features to announce to name[addr]"
 *	and "NOQUEUE: reject: EHLO from name[addr]: 421 4.3.0 ...".
 */
#include "sys_defs.h"

#include <string.h>
#include <strings.h>

#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "argv.h"
#include "mail_params.h"
#include "smtpd.h"
#include "smtpd_check.h"

/*
 * XVERP has no discard bit: Postfix 3.7 announces it to the clients that
 * may use it (smtpd_authorized_verp_clients) even when a discard table
 * names it (observed).
 */
#define SMTPD_EHLO_XVERP	0

/* The keywords, in the order that EHLO announces them. */
typedef struct SMTPD_EHLO_WORD {
    const char *name;
    int     mask;
} SMTPD_EHLO_WORD;

static const SMTPD_EHLO_WORD smtpd_ehlo_words[] = {
    {"PIPELINING", SMTPD_EHLO_PIPELINING},
    {"SIZE", SMTPD_EHLO_SIZE},
    {"VRFY", SMTPD_EHLO_VRFY},
    {"ETRN", SMTPD_EHLO_ETRN},
    {"XVERP", SMTPD_EHLO_XVERP},
    {"STARTTLS", SMTPD_EHLO_STARTTLS},
    {"AUTH", SMTPD_EHLO_AUTH},
    {"XCLIENT", SMTPD_EHLO_XCLIENT},
    {"XFORWARD", SMTPD_EHLO_XFORWARD},
    {"ENHANCEDSTATUSCODES", SMTPD_EHLO_ENHANCEDSTATUSCODES},
    {"8BITMIME", SMTPD_EHLO_8BITMIME},
    {"DSN", SMTPD_EHLO_DSN},
    {"SMTPUTF8", SMTPD_EHLO_SMTPUTF8},
    {"CHUNKING", SMTPD_EHLO_CHUNKING},
    {"SILENT-DISCARD", SMTPD_EHLO_SILENT},
    {0, 0},
};

static unsigned smtpd_ehlo_param_mask;

/* Log the discarded keywords (smtpd_discard_ehlo_keyword_address_maps is set). */
#define SMTPD_EHLO_LOG		(1<<30)

/* smtpd_helo_ehlo_mask - keyword names to SMTPD_EHLO_* bits */
unsigned smtpd_helo_ehlo_mask(const char *names)
{
    ARGV   *words = argv_split(names, CHARS_COMMA_SP);
    const SMTPD_EHLO_WORD *wp;
    unsigned mask = 0;
    char  **cpp;

    for (cpp = words->argv; *cpp; cpp++)
	for (wp = smtpd_ehlo_words; wp->name; wp++)
	    if (strcasecmp(*cpp, wp->name) == 0)
		mask |= (unsigned) wp->mask;
    argv_free(words);
    return (mask);
}

/* smtpd_helo_init - parse smtpd_discard_ehlo_keywords once */
void    smtpd_helo_init(void)
{
    smtpd_ehlo_param_mask =
	smtpd_helo_ehlo_mask(VAR_STR(smtpd_discard_ehlo_keywords));
}

/* smtpd_helo_discard_mask - keywords not offered to this client */
int     smtpd_helo_discard_mask(SMTPD_STATE *state)
{
    int     mask = 0;
    int     found = smtpd_check_ehlo_discard(state, &mask);

    if (found < 0)
	return (-1);
    if (found > 0)
	return (mask | SMTPD_EHLO_LOG);
    /* Postfix logs the discards whenever the table exists. */
    if (*VAR_STR(smtpd_discard_ehlo_keyword_address_maps))
	return ((int) smtpd_ehlo_param_mask | SMTPD_EHLO_LOG);
    return ((int) smtpd_ehlo_param_mask);
}

/* smtpd_helo_common - what HELO and EHLO share; -1 after a reply */
static int smtpd_helo_common(SMTPD_STATE *state, int argc, char **argv,
			             const char *protocol)
{
    const char *reply;
    VSTRING *name;
    char   *old_name;
    int     i;

    if (argc < 2) {
	smtpd_chat_reply(state, "501 Syntax: %s hostname",
			 strcasecmp(argv[0], "EHLO") == 0 ? "EHLO" : "HELO");
	return (-1);
    }
    /* "HELO a  b" names "a b", as with Postfix. */
    name = vstring_alloc(100);
    for (i = 1; i < argc; i++)
	vstring_sprintf_append(name, "%s%s", i > 1 ? " " : "", argv[i]);
    /*
     * The restrictions see the new name; a rejected HELO/EHLO changes
     * nothing else (Postfix: a MAIL after it is still nested).
     */
    old_name = state->helo_name;
    state->helo_name = vstring_export(name);
    if ((reply = smtpd_check_helo(state, state->helo_name)) != 0) {
	smtpd_chat_reply(state, "%s", reply);
	myfree(state->helo_name);
	state->helo_name = old_name;
	return (-1);
    }
    myfree(old_name);
    smtpd_state_reset_transaction(state);
    smtpd_xforward_reset(state);
    myfree(state->protocol);
    state->protocol = mystrdup(protocol);
    return (0);
}

/* smtpd_cmd_helo - HELO hostname */
int     smtpd_cmd_helo(SMTPD_STATE *state, int argc, char **argv)
{
    if (smtpd_helo_common(state, argc, argv, "SMTP") < 0)
	return (-1);
    state->ehlo_discard_mask = 0;
    smtpd_chat_reply(state, "250 %s", VAR_STR(myhostname));
    return (0);
}

/* smtpd_cmd_ehlo - EHLO hostname: the keyword list */
int     smtpd_cmd_ehlo(SMTPD_STATE *state, int argc, char **argv)
{
    VSTRING *reply;
    VSTRING *discarded;
    const SMTPD_EHLO_WORD *wp;
    int     discard;
    long    size_limit;

    if (smtpd_helo_common(state, argc, argv, "ESMTP") < 0)
	return (-1);
    /* A table that fails: Postfix answers this and hangs up. */
    if ((discard = smtpd_helo_discard_mask(state)) < 0) {
	msg_warn("don't know what EHLO features to announce to %s",
		 state->namaddr);
	msg_info("NOQUEUE: reject: EHLO from %s: 421 4.3.0 %s Server local "
		 "data error", state->namaddr, VAR_STR(myhostname));
	smtpd_chat_reply(state, "421 4.3.0 %s Server local data error",
			 VAR_STR(myhostname));
	state->flags |= SMTPD_FLAG_HANGUP;
	return (-1);
    }
    state->ehlo_discard_mask = discard;
    reply = vstring_alloc(200);
    discarded = vstring_alloc(100);
    vstring_sprintf(reply, "250-%s", VAR_STR(myhostname));
    for (wp = smtpd_ehlo_words; wp->name; wp++) {
	if (wp->mask == SMTPD_EHLO_SILENT)
	    continue;
	/* STARTTLS and AUTH: no TLS or SASL in smtpd yet (they go here). */
	if (wp->mask == SMTPD_EHLO_STARTTLS || wp->mask == SMTPD_EHLO_AUTH)
	    continue;
	if (wp->mask == SMTPD_EHLO_XVERP && !smtpd_mail_verp_allowed(state))
	    continue;
	if (wp->mask == SMTPD_EHLO_XCLIENT && !smtpd_xclient_allowed(state))
	    continue;
	if (wp->mask == SMTPD_EHLO_XFORWARD && !smtpd_xforward_allowed(state))
	    continue;
	if (wp->mask == SMTPD_EHLO_VRFY && VAR_BOOL(disable_vrfy_command))
	    continue;
	if (wp->mask == SMTPD_EHLO_SMTPUTF8 && !VAR_BOOL(smtputf8_enable))
	    continue;
	if (discard & wp->mask) {
	    vstring_sprintf_append(discarded, "%s%s",
				   VSTRING_LEN(discarded) ? " " : "",
				   wp->name);
	    continue;
	}
	if (wp->mask == SMTPD_EHLO_SIZE) {
	    size_limit = VAR_INT(message_size_limit);
	    if (size_limit > 0)
		vstring_sprintf_append(reply, "\n250-SIZE %ld", size_limit);
	    else
		vstring_strcat(reply, "\n250-SIZE");
	    continue;
	}
	if (wp->mask == SMTPD_EHLO_XCLIENT)
	    vstring_strcat(reply, "\n250-" SMTPD_XCLIENT_EHLO);
	else if (wp->mask == SMTPD_EHLO_XFORWARD)
	    vstring_strcat(reply, "\n250-" SMTPD_XFORWARD_EHLO);
	else
	    vstring_sprintf_append(reply, "\n250-%s", wp->name);
    }
    if (VSTRING_LEN(discarded) > 0 && (discard & SMTPD_EHLO_LOG)
	&& (discard & SMTPD_EHLO_SILENT) == 0)
	msg_info("discarding EHLO keywords: %s", vstring_str(discarded));
    smtpd_chat_reply(state, "%s", vstring_str(reply));
    vstring_free(discarded);
    vstring_free(reply);
    return (0);
}
