/*
 * smtpd_mail - the MAIL FROM and RCPT TO commands of smtpd(8)
 *
 * SYNOPSIS
 *	#include "smtpd.h"
 *
 *	int	smtpd_cmd_mail(SMTPD_STATE *state, int argc, char **argv);
 *	int	smtpd_cmd_rcpt(SMTPD_STATE *state, int argc, char **argv);
 *
 *	Parsing without a session (also used by the fuzz target):
 *
 *	ARGV	*smtpd_cmd_split(const char *line);
 *	int	smtpd_mail_split(int argc, char **argv, const char *keyword,
 *				const char **addr, int *params);
 *	int	smtpd_mail_addr(const char *text, bool strict, VSTRING *addr);
 *	int	smtpd_mail_xtext(VSTRING *out, const char *in);
 *	const char *smtpd_mail_params(char **params, bool verp_ok,
 *				SMTPD_MAIL_ARGS *args);
 *	bool	smtpd_mail_verp_allowed(SMTPD_STATE *state);
 *	const char *smtpd_rcpt_params(char **params, SMTPD_RCPT_ARGS *args);
 *
 * DESCRIPTION
 *	smtpd_cmd_split() splits a command line into words at white space;
 *	text in <...> and in "..." (with \ escapes) stays in one word.
 *
 *	smtpd_mail_split() finds the address in "MAIL FROM:<a> params"
 *	(keyword "FROM:") or "RCPT TO:<a> params" (keyword "TO:"): the
 *	address may follow the colon directly or as the next word. It
 *	returns -1 for a syntax error, else 0 with *addr set and *params
 *	the index of the first parameter.
 *
 *	smtpd_mail_addr() turns "<addr>" (or a bare address unless
 *	strict) into the internal form: source route dropped, quotes
 *	removed. It returns 0, SMTPD_ADDR_BAD (-1) for bad syntax
 *	("<a b@c>", "<a<b>@c>") or SMTPD_ADDR_UNBALANCED (-2) for a
 *	missing ">" (which Postfix rejects without the "Illegal address
 *	syntax" warning).
 *
 *	smtpd_mail_xtext() decodes RFC 3461 xtext ("+HH" escapes);
 *	-1 when malformed.
 *
 *	smtpd_mail_params() and smtpd_rcpt_params() check the ESMTP
 *	parameters of MAIL (SIZE, BODY, SMTPUTF8, RET, ENVID, AUTH, and
 *	with verp_ok XVERP) and RCPT (NOTIFY, ORCPT), and return NULL or
 *	the reply for the first bad one, with Postfix's text. XVERP means
 *	$default_verp_delimiters; XVERP=xy names the delimiters, two
 *	characters of $verp_delimiter_filter taken as they are (not
 *	xtext, as Postfix 3.7: "XVERP=+2B+3D" is refused); the last XVERP
 *	wins. Without verp_ok XVERP is an unsupported option.
 *
 *	smtpd_mail_verp_allowed() tells whether the client may ask for
 *	VERP: it matches $smtpd_authorized_verp_clients (a name, address,
 *	net/mask or .domain list), or smtpd runs stand-alone (sendmail
 *	-bs: local submission is always authorized). EHLO announces XVERP
 *	only then, as Postfix does.
 *
 *	smtpd_cmd_mail() and smtpd_cmd_rcpt() are the command handlers:
 *	state checks ("503 5.5.1 Error: nested MAIL command", "need MAIL
 *	command", smtpd_helo_required), the parsing above, "503 5.5.4
 *	Error: XVERP requires non-null sender", the limits
 *	(smtpd_limit_mail/rcpt(), smtpd_recipient_limit and
 *	smtpd_recipient_overshoot_limit), the restrictions
 *	(smtpd_check_size/mail/rcpt()), and for RCPT the queue file
 *	(smtpd_data_open() at the first accepted recipient,
 *	smtpd_data_rcpt() for each).
 *
 * DIAGNOSTICS
 *	Warnings: "Illegal address syntax from name[addr] in MAIL
 *	command: text", "unknown DSN NOTIFY command value ...".
 */
#include "sys_defs.h"

#include <string.h>
#include <strings.h>
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>

#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "argv.h"
#include "mail_params.h"
#include "rec_type.h"
#include "host_addr_list.h"
#include "verp_delims.h"
#include "smtpd.h"
#include "smtpd_check.h"

/* smtpd_cmd_split - split a command line into words */
ARGV   *smtpd_cmd_split(const char *line)
{
    ARGV   *argv = argv_alloc(4);
    VSTRING *word = vstring_alloc(64);
    const char *cp = line;
    int     quote;
    int     angle;

    for (;;) {
	while (*cp == ' ' || *cp == '\t')
	    cp++;
	if (*cp == 0)
	    break;
	VSTRING_RESET(word);
	quote = 0;
	angle = 0;
	for (; *cp; cp++) {
	    if (!quote && !angle && (*cp == ' ' || *cp == '\t'))
		break;
	    if (*cp == '\\' && quote && cp[1]) {
		VSTRING_ADDCH(word, *cp);
		cp++;
	    } else if (*cp == '"') {
		quote = !quote;
	    } else if (!quote && *cp == '<') {
		angle++;
	    } else if (!quote && *cp == '>' && angle > 0) {
		angle--;
	    }
	    VSTRING_ADDCH(word, *cp);
	}
	VSTRING_TERMINATE(word);
	argv_add(argv, vstring_str(word), (char *) 0);
    }
    vstring_free(word);
    return (argv);
}

/* smtpd_mail_split - find the address and parameters of MAIL/RCPT */
int     smtpd_mail_split(int argc, char **argv, const char *keyword,
			         const char **addr, int *params)
{
    size_t  len = strlen(keyword);

    if (argc < 2 || strncasecmp(argv[1], keyword, len) != 0)
	return (-1);
    if (argv[1][len] != 0) {
	*addr = argv[1] + len;
	*params = 2;
	return (0);
    }
    if (argc < 3)
	return (-1);
    *addr = argv[2];
    *params = 3;
    return (0);
}

/* smtpd_mail_addr - external "<addr>" to internal form */
int     smtpd_mail_addr(const char *text, bool strict, VSTRING *addr)
{
    const char *cp = text;
    const char *end;
    const char *route_end = 0;
    int     quote = 0;

    VSTRING_RESET(addr);
    if (*cp == '<') {
	cp++;
	/* Find the closing bracket outside quotes; nested '<' is bad. */
	for (end = cp; *end; end++) {
	    if (*end == '\\' && quote && end[1])
		end++;
	    else if (*end == '"')
		quote = !quote;
	    else if (!quote && *end == '<')
		return (-1);
	    else if (!quote && *end == '>')
		break;
	}
	if (*end != '>')
	    return (SMTPD_ADDR_UNBALANCED);
    } else {
	if (strict)
	    return (-1);
	end = cp + strlen(cp);
    }
    /* A source route "@a,@b:" is dropped. */
    if (*cp == '@') {
	const char *colon;

	for (colon = cp; colon < end && *colon != ':'; colon++)
	     /* void */ ;
	if (colon < end)
	    route_end = colon + 1;
    }
    if (route_end)
	cp = route_end;
    quote = 0;
    for (; cp < end; cp++) {
	if (*cp == '\\' && cp + 1 < end) {
	    cp++;
	    VSTRING_ADDCH(addr, *cp);
	} else if (*cp == '"') {
	    quote = !quote;
	} else if (!quote && (*cp == ' ' || *cp == '\t' || *cp == '<'
			      || *cp == '>' || *cp == '(' || *cp == ')'
			      || *cp == ',' || *cp == ';')) {
	    return (-1);
	} else if ((unsigned char) *cp < 32 || *cp == 127) {
	    return (-1);
	} else {
	    VSTRING_ADDCH(addr, *cp);
	}
    }
    VSTRING_TERMINATE(addr);
    if (quote)
	return (-1);
    return (0);
}

/* hex_value - one uppercase hex digit, or -1 */
static int hex_value(int ch)
{
    if (ch >= '0' && ch <= '9')
	return (ch - '0');
    if (ch >= 'A' && ch <= 'F')
	return (ch - 'A' + 10);
    if (ch >= 'a' && ch <= 'f')
	return (ch - 'a' + 10);
    return (-1);
}

/* smtpd_mail_xtext - decode RFC 3461 xtext */
int     smtpd_mail_xtext(VSTRING *out, const char *in)
{
    const unsigned char *cp;
    int     hi;
    int     lo;

    VSTRING_RESET(out);
    for (cp = (const unsigned char *) in; *cp; cp++) {
	if (*cp == '+') {
	    if ((hi = hex_value(cp[1])) < 0 || (lo = hex_value(cp[2])) < 0)
		return (-1);
	    VSTRING_ADDCH(out, hi * 16 + lo);
	    cp += 2;
	} else if (*cp < 33 || *cp > 126 || *cp == '=') {
	    return (-1);
	} else {
	    VSTRING_ADDCH(out, *cp);
	}
    }
    VSTRING_TERMINATE(out);
    return (0);
}

/* unsupported - the reply for a parameter that we do not know */
static const char *unsupported(const char *param)
{
    static VSTRING *buf;

    if (buf == 0)
	buf = vstring_alloc(100);
    vstring_sprintf(buf, "555 5.5.4 Unsupported option: %s", param);
    return (vstring_str(buf));
}

/* smtpd_mail_verp_allowed - may this client ask for VERP */
bool    smtpd_mail_verp_allowed(SMTPD_STATE *state)
{
    static HOST_ADDR_LIST *verp_clients;

    if (state->flags & SMTPD_FLAG_STANDALONE)
	return (true);
    if (*VAR_STR(smtpd_authorized_verp_clients) == 0)
	return (false);
    if (verp_clients == 0)
	verp_clients =
	    host_addr_list_create(PARAM_NAME(smtpd_authorized_verp_clients),
				  VAR_STR(smtpd_authorized_verp_clients),
				  HOST_ADDR_LIST_FLAG_FATAL);
    return (host_addr_list_match(verp_clients, state->name, state->addr) > 0);
}

/* bad_verp - the reply for XVERP=value that is not two good characters */
static const char *bad_verp(void)
{
    static VSTRING *buf;

    if (buf == 0)
	buf = vstring_alloc(100);
    vstring_sprintf(buf, "501 5.5.4 Error: XVERP needs two characters from %s",
		    VAR_STR(verp_delimiter_filter));
    return (vstring_str(buf));
}

/* smtpd_mail_args_free - release what smtpd_mail_params() saved */
void    smtpd_mail_args_free(SMTPD_MAIL_ARGS *args)
{
    myfree(args->body);
    myfree(args->envid);
    myfree(args->verp);
    memset(args, 0, sizeof(*args));
}

/* smtpd_mail_params - check the MAIL FROM parameters */
const char *smtpd_mail_params(char **params, bool verp_ok,
			              SMTPD_MAIL_ARGS *args)
{
    char  **cpp;
    const char *value;
    VSTRING *buf = 0;
    const char *reply = 0;

    memset(args, 0, sizeof(*args));
    for (cpp = params; reply == 0 && *cpp; cpp++) {
	char   *param = *cpp;

	value = strchr(param, '=');
	value = value ? value + 1 : 0;
	if (value && strncasecmp(param, "SIZE=", 5) == 0) {
	    char   *end;

	    errno = 0;
	    if (!alldig(value) || *value == 0
		|| (args->size = strtol(value, &end, 10), errno == ERANGE))
		reply = "501 5.5.4 Bad message size syntax";
	} else if (value && strncasecmp(param, "BODY=", 5) == 0) {
	    if (strcasecmp(value, "8BITMIME") == 0
		|| strcasecmp(value, "7BIT") == 0) {
		myfree(args->body);
		args->body = mystrdup(value);
		uppercase(args->body);
	    } else
		reply = unsupported(param);
	} else if (strcasecmp(param, "SMTPUTF8") == 0
		   && VAR_BOOL(smtputf8_enable)) {
	    args->smtputf8 = true;
	} else if (value && strncasecmp(param, "RET=", 4) == 0) {
	    if (args->ret != 0)
		reply = "501 5.5.4 Bad RET parameter syntax";
	    else if (strcasecmp(value, "FULL") == 0)
		args->ret = REC_DSN_RET_FULL;
	    else if (strcasecmp(value, "HDRS") == 0)
		args->ret = REC_DSN_RET_HDRS;
	    else
		reply = "501 5.5.4 Bad RET parameter syntax";
	} else if (value && strncasecmp(param, "ENVID=", 6) == 0) {
	    if (buf == 0)
		buf = vstring_alloc(100);
	    if (args->envid != 0 || *value == 0
		|| smtpd_mail_xtext(buf, value) < 0
		|| !allprint(vstring_str(buf)))
		reply = "501 5.5.4 Bad ENVID parameter syntax";
	    else
		args->envid = mystrdup(vstring_str(buf));
	} else if (value && strncasecmp(param, "AUTH=", 5) == 0) {
	    /* Without SASL, AUTH= is accepted and ignored, as Postfix does. */
	    args->auth_seen = true;
	} else if (verp_ok && strcasecmp(param, "XVERP") == 0) {
	    myfree(args->verp);
	    args->verp = mystrdup(verp_delims_default());
	} else if (verp_ok && value && strncasecmp(param, "XVERP=", 6) == 0) {
	    if (verp_delims_check(value, strlen(value)) != 0) {
		reply = bad_verp();
	    } else {
		myfree(args->verp);
		args->verp = mystrdup(value);
	    }
	} else {
	    reply = unsupported(param);
	}
    }
    if (buf)
	vstring_free(buf);
    return (reply);
}

/* smtpd_rcpt_args_free - release what smtpd_rcpt_params() saved */
void    smtpd_rcpt_args_free(SMTPD_RCPT_ARGS *args)
{
    myfree(args->orcpt);
    memset(args, 0, sizeof(*args));
}

/* notify_mask - parse a NOTIFY= value; -1 when bad */
static int notify_mask(const char *value)
{
    static const struct {
	const char *name;
	int     mask;
    }       words[] = {
	{"NEVER", REC_DSN_NOTIFY_NEVER},
	{"SUCCESS", REC_DSN_NOTIFY_SUCCESS},
	{"FAILURE", REC_DSN_NOTIFY_FAILURE},
	{"DELAY", REC_DSN_NOTIFY_DELAY},
    };
    ARGV   *list = argv_split(value, ",");
    int     mask = 0;
    size_t  i;
    char  **cpp;

    for (cpp = list->argv; *cpp; cpp++) {
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
	    if (strcasecmp(*cpp, words[i].name) == 0)
		break;
	if (i >= sizeof(words) / sizeof(words[0])) {
	    msg_warn("unknown DSN NOTIFY command value \"%s\" in \"%s\"",
		     *cpp, value);
	    mask = -1;
	    break;
	}
	mask |= words[i].mask;
    }
    argv_free(list);
    if (mask == 0 || (mask > 0 && (mask & REC_DSN_NOTIFY_NEVER)
		      && mask != REC_DSN_NOTIFY_NEVER))
	mask = -1;
    return (mask);
}

/* smtpd_rcpt_params - check the RCPT TO parameters */
const char *smtpd_rcpt_params(char **params, SMTPD_RCPT_ARGS *args)
{
    char  **cpp;
    const char *value;
    const char *reply = 0;
    VSTRING *buf = 0;

    memset(args, 0, sizeof(*args));
    for (cpp = params; reply == 0 && *cpp; cpp++) {
	char   *param = *cpp;

	value = strchr(param, '=');
	value = value ? value + 1 : 0;
	if (value && strncasecmp(param, "NOTIFY=", 7) == 0) {
	    if (args->notify != 0 || (args->notify = notify_mask(value)) < 0)
		reply = "501 5.5.4 Error: Bad NOTIFY parameter syntax";
	} else if (value && strncasecmp(param, "ORCPT=", 6) == 0) {
	    const char *semi = strchr(value, ';');

	    if (buf == 0)
		buf = vstring_alloc(100);
	    if (args->orcpt != 0 || semi == 0 || semi == value
		|| smtpd_mail_xtext(buf, semi + 1) < 0
		|| !allprint(vstring_str(buf)) || VSTRING_LEN(buf) == 0) {
		reply = "501 5.5.4 Error: Bad ORCPT parameter syntax";
	    } else {
		char   *type = mystrndup(value, (size_t) (semi - value));

		args->orcpt = concatenate(type, ";", vstring_str(buf),
					  (char *) 0);
		myfree(type);
	    }
	} else {
	    reply = unsupported(param);
	}
    }
    if (buf)
	vstring_free(buf);
    return (reply);
}

/*
 * smtpd_envelope_addr - the MAIL FROM or RCPT TO address (internal form),
 * or NULL after the syntax error reply. RCPT TO:<> is an error too. A bad
 * address (not a missing ">") is logged as Postfix logs it.
 */
static VSTRING *smtpd_envelope_addr(SMTPD_STATE *state, const char *text,
				            const char *command,
				            const char *reply)
{
    VSTRING *addr = vstring_alloc(100);
    int     status;

    status = smtpd_mail_addr(text, VAR_BOOL(strict_rfc821_envelopes), addr);
    if (status < 0
	|| (strcmp(command, "RCPT") == 0 && VSTRING_LEN(addr) == 0)) {
	if (status != SMTPD_ADDR_UNBALANCED)
	    msg_warn("Illegal address syntax from %s in %s command: %s",
		     state->namaddr, command, text);
	smtpd_chat_reply(state, "%s", reply);
	vstring_free(addr);
	return (0);
    }
    return (addr);
}

/* smtpd_cmd_mail - MAIL FROM:<address> [parameters] */
int     smtpd_cmd_mail(SMTPD_STATE *state, int argc, char **argv)
{
    const char *text;
    const char *reply;
    int     first;
    VSTRING *addr;
    SMTPD_MAIL_ARGS args;

    if (VAR_BOOL(smtpd_helo_required) && state->helo_name == 0) {
	smtpd_chat_reply(state, "503 5.5.1 Error: send HELO/EHLO first");
	return (-1);
    }
    if (state->sender != 0) {
	smtpd_chat_reply(state, "503 5.5.1 Error: nested MAIL command");
	return (-1);
    }
    if (smtpd_mail_split(argc, argv, "FROM:", &text, &first) < 0) {
	smtpd_chat_reply(state, "501 5.5.4 Syntax: MAIL FROM:<address>");
	return (-1);
    }
    if ((addr = smtpd_envelope_addr(state, text, "MAIL",
				    "501 5.1.7 Bad sender address syntax")) == 0)
	return (-1);
    if ((reply = smtpd_mail_params(argv + first,
				   smtpd_mail_verp_allowed(state),
				   &args)) != 0
	|| (args.verp != 0 && VSTRING_LEN(addr) == 0
	    && (reply = "503 5.5.4 Error: XVERP requires non-null sender"))) {
	smtpd_chat_reply(state, "%s", reply);
	smtpd_mail_args_free(&args);
	vstring_free(addr);
	return (-1);
    }
    state->sender = mystrdup(vstring_str(addr));
    vstring_free(addr);
    state->encoding = args.body ? mystrdup(args.body) : 0;
    state->dsn_envid = args.envid ? mystrdup(args.envid) : 0;
    state->verp_delims = args.verp ? mystrdup(args.verp) : 0;
    state->dsn_ret = args.ret;
    state->msg_size = args.size;
    if (args.smtputf8)
	state->flags |= SMTPD_FLAG_SMTPUTF8;
    smtpd_mail_args_free(&args);
    if ((reply = smtpd_limit_mail(state)) != 0
	|| (reply = smtpd_check_size(state, state->msg_size)) != 0
	|| (reply = smtpd_check_mail(state, state->sender)) != 0) {
	smtpd_chat_reply(state, "%s", reply);
	smtpd_state_reset_transaction(state);
	return (-1);
    }
    smtpd_chat_reply(state, "250 2.1.0 Ok");
    return (0);
}

/* smtpd_cmd_rcpt - RCPT TO:<address> [parameters] */
int     smtpd_cmd_rcpt(SMTPD_STATE *state, int argc, char **argv)
{
    const char *text;
    const char *reply;
    int     first;
    VSTRING *addr;
    char   *accepted;
    SMTPD_RCPT_ARGS args;

    if (state->sender == 0) {
	smtpd_chat_reply(state, "503 5.5.1 Error: need MAIL command");
	return (-1);
    }
    if (smtpd_mail_split(argc, argv, "TO:", &text, &first) < 0) {
	smtpd_chat_reply(state, "501 5.5.4 Syntax: RCPT TO:<address>");
	return (-1);
    }
    if ((addr = smtpd_envelope_addr(state, text, "RCPT",
				 "501 5.1.3 Bad recipient address syntax")) == 0)
	return (-1);
    if ((reply = smtpd_rcpt_params(argv + first, &args)) != 0) {
	smtpd_chat_reply(state, "%s", reply);
	smtpd_rcpt_args_free(&args);
	vstring_free(addr);
	return (-1);
    }
    if (state->rcpt_count >= VAR_INT(smtpd_recipient_limit)) {
	smtpd_chat_reply(state, "452 4.5.3 Error: too many recipients");
	smtpd_rcpt_args_free(&args);
	vstring_free(addr);
	/* Within the overshoot limit this is not an error (Postfix counts it
	 * as a success in the disconnect line too). */
	if (++state->rcpt_overshoot > VAR_INT(smtpd_recipient_overshoot_limit))
	    return (-1);
	return (0);
    }
    /*
     * The checks see the new recipient; after a rejection, state->recipient
     * is the last accepted one again (the DATA and END-OF-MESSAGE reject
     * lines print it as to=<...> when there is one recipient).
     */
    accepted = state->recipient;
    state->recipient = vstring_export(addr);
    if ((reply = smtpd_limit_rcpt(state)) != 0
	|| (reply = smtpd_check_rcpt(state, state->recipient)) != 0
	|| (state->cleanup == 0 && (reply = smtpd_data_open(state)) != 0)) {
	smtpd_chat_reply(state, "%s", reply);
	smtpd_rcpt_args_free(&args);
	myfree(state->recipient);
	state->recipient = accepted;
	return (-1);
    }
    myfree(accepted);
    smtpd_data_rcpt(state, state->recipient, args.orcpt, args.notify);
    state->rcpt_count++;
    smtpd_rcpt_args_free(&args);
    smtpd_chat_reply(state, "250 2.1.5 Ok");
    return (0);
}
