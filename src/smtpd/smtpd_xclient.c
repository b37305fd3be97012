/*
 * smtpd_xclient - the XCLIENT and XFORWARD commands of smtpd(8)
 *
 * SYNOPSIS
 *	#include "smtpd.h"
 *
 *	int	smtpd_cmd_xclient(SMTPD_STATE *state, int argc, char **argv);
 *	int	smtpd_cmd_xforward(SMTPD_STATE *state, int argc, char **argv);
 *	bool	smtpd_xclient_allowed(SMTPD_STATE *state);
 *	bool	smtpd_xforward_allowed(SMTPD_STATE *state);
 *	void	smtpd_xforward_attrs(SMTPD_STATE *state, ARGV *attrs);
 *	const char *smtpd_xforward_log(SMTPD_STATE *state);
 *	void	smtpd_xforward_reset(SMTPD_STATE *state);
 *	const char *smtpd_xclient_login(SMTPD_STATE *state);
 *	void	smtpd_xclient_free(SMTPD_STATE *state);
 *
 *	Parsing without a session: see smtpd_xclient.h.
 *
 * DESCRIPTION
 *	XCLIENT (XCLIENT_README) lets a client listed in
 *	smtpd_authorized_xclient_hosts replace the session's client
 *	attributes: NAME, REVERSE_NAME, ADDR, PORT, PROTO, HELO, LOGIN,
 *	DESTADDR, DESTPORT. Values are xtext; a value that is not valid
 *	xtext is taken as it is (clients older than Postfix 2.3 did not
 *	encode). [UNAVAILABLE] (any case) is allowed everywhere,
 *	[TEMPUNAVAIL] for NAME and REVERSE_NAME. A command is applied only
 *	when every attribute is valid. On success the session starts
 *	again: the anvil(8) registration moves to the new address (with
 *	its limits), the HELO name and protocol are forgotten unless the
 *	command set them, the client restrictions run when
 *	smtpd_delay_reject = no, and the client gets the 220 greeting (or
 *	the rejection). Whether the client may send XCLIENT again is
 *	decided on its new identity, as Postfix does.
 *
 *	XFORWARD (XFORWARD_README) lets a client listed in
 *	smtpd_authorized_xforward_hosts (decided on the connection's own
 *	identity, not one that XCLIENT gave) forward NAME, ADDR, PORT,
 *	PROTO, HELO, IDENT and SOURCE for logging. The first XFORWARD of a
 *	transaction makes every attribute unavailable, then each valid
 *	command updates those it names; smtpd_xforward_reset() forgets
 *	them (RSET, HELO/EHLO, the end of a message, XCLIENT). Values are
 *	printed with control characters, white space and non-ASCII
 *	replaced by '?', as Postfix does.
 *
 *	smtpd_xforward_attrs() appends to attrs the queue file attributes
 *	(queue-file.md) of an XFORWARD transaction: log_client_name,
 *	log_client_address, log_client_port, log_helo_name (when known),
 *	log_protocol, log_ident (when known) and rewrite_context (remote
 *	for SOURCE=REMOTE, else local); nothing without XFORWARD.
 *	smtpd_xforward_log() returns the suffix of the "<id>: client="
 *	log line: ", orig_queue_id=<ident>, orig_client=<name>[<addr>]"
 *	(orig_client is the name alone when the address is unavailable).
 *
 *	smtpd_xclient_login() returns the XCLIENT LOGIN name or NULL.
 *	smtpd_xclient_free() releases state->xforward.
 *
 * DIAGNOSTICS
 *	Replies, as Postfix 3.7 gives them: "501 5.5.4 Syntax: XCLIENT
 *	attribute=value..." (same for XFORWARD), "503 5.5.1 Error: MAIL
 *	transaction in progress", "550 5.7.0 Error: insufficient
 *	authorization", "501 5.5.4 Error: attribute=value expected",
 *	"501 5.5.4 Bad XCLIENT attribute name: <name>", "501 5.5.4 Bad
 *	<NAME> syntax: <value>", "501 5.5.4 Error: attribute value too
 *	long", "250 2.0.0 Ok" (XFORWARD).
 */
#include "sys_defs.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "vstring.h"
#include "valid_hostname.h"
#include "inet_proto.h"
#include "mail_params.h"
#include "host_addr_list.h"
#include "smtpd.h"
#include "smtpd_check.h"
#include "smtpd_xclient.h"

#define XCLIENT_UNAVAILABLE	"[UNAVAILABLE]"
#define XCLIENT_TEMPUNAVAIL	"[TEMPUNAVAIL]"
#define XCLIENT_VALUE_LIMIT	255	/* bytes in a decoded value */
#define XFORWARD_PROTO_LIMIT	64	/* bytes in an XFORWARD PROTO */
#define XCLIENT_PORT_DIGITS	5	/* as Postfix: 99999 is accepted */
#define SMTPD_UNKNOWN		"unknown"

static const char *const xforward_names[SMTPD_XFORWARD_COUNT] = {
    "NAME", "ADDR", "PORT", "PROTO", "HELO", "IDENT", "SOURCE",
};

typedef struct SMTPD_XFORWARD {
    /* Session: the connection's identity before the first XCLIENT. */
    char   *conn_name;			/* NULL: no XCLIENT yet */
    char   *conn_addr;
    char   *login;			/* XCLIENT LOGIN or NULL */
    /* Transaction: XFORWARD attributes; NULL is unavailable. */
    bool    active;			/* an XFORWARD was received */
    char   *attr[SMTPD_XFORWARD_COUNT];
} SMTPD_XFORWARD;

static HOST_ADDR_LIST *smtpd_xclient_hosts;
static HOST_ADDR_LIST *smtpd_xforward_hosts;

/* xclient_context - this session's private state, made when needed */
static SMTPD_XFORWARD *xclient_context(SMTPD_STATE *state)
{
    if (state->xforward == 0) {
	state->xforward = mymalloc(sizeof(*state->xforward));
	memset(state->xforward, 0, sizeof(*state->xforward));
    }
    return (state->xforward);
}

/* smtpd_xclient_allowed - may this client (as it is now) send XCLIENT? */
bool    smtpd_xclient_allowed(SMTPD_STATE *state)
{
    if (*VAR_STR(smtpd_authorized_xclient_hosts) == 0)
	return (false);
    if (smtpd_xclient_hosts == 0)
	smtpd_xclient_hosts =
	    host_addr_list_create(PARAM_NAME(smtpd_authorized_xclient_hosts),
				  VAR_STR(smtpd_authorized_xclient_hosts),
				  HOST_ADDR_LIST_FLAG_FATAL);
    return (host_addr_list_match(smtpd_xclient_hosts, state->name,
				 state->addr) > 0);
}

/* smtpd_xforward_allowed - may this connection send XFORWARD? */
bool    smtpd_xforward_allowed(SMTPD_STATE *state)
{
    const char *name = state->name;
    const char *addr = state->addr;

    if (*VAR_STR(smtpd_authorized_xforward_hosts) == 0)
	return (false);
    if (state->xforward != 0 && state->xforward->conn_addr != 0) {
	name = state->xforward->conn_name;
	addr = state->xforward->conn_addr;
    }
    if (smtpd_xforward_hosts == 0)
	smtpd_xforward_hosts =
	    host_addr_list_create(PARAM_NAME(smtpd_authorized_xforward_hosts),
				  VAR_STR(smtpd_authorized_xforward_hosts),
				  HOST_ADDR_LIST_FLAG_FATAL);
    return (host_addr_list_match(smtpd_xforward_hosts, name, addr) > 0);
}

/* xclient_xtext - decode xtext; the raw text when it is not xtext */
static const char *xclient_xtext(VSTRING *out, const char *in)
{
    const char *cp;
    int     hi;
    int     lo;

    VSTRING_RESET(out);
    for (cp = in; *cp; cp++) {
	if (*cp != '+') {
	    VSTRING_ADDCH(out, *cp);
	    continue;
	}
	if (!isxdigit((unsigned char) cp[1]) || !isxdigit((unsigned char) cp[2]))
	    return (in);
	hi = isdigit((unsigned char) cp[1]) ? cp[1] - '0' :
	    tolower((unsigned char) cp[1]) - 'a' + 10;
	lo = isdigit((unsigned char) cp[2]) ? cp[2] - '0' :
	    tolower((unsigned char) cp[2]) - 'a' + 10;
	if (hi * 16 + lo == 0)
	    return (in);
	VSTRING_ADDCH(out, hi * 16 + lo);
	cp += 2;
    }
    VSTRING_TERMINATE(out);
    return (vstring_str(out));
}

/* xclient_sanitize - copy with controls, space and non-ASCII as '?' */
static char *xclient_sanitize(const char *value)
{
    char   *copy = mystrdup(value);
    unsigned char *cp;

    for (cp = (unsigned char *) copy; *cp; cp++)
	if (*cp <= ' ' || *cp >= 0x7f)
	    *cp = '?';
    return (copy);
}

/* xclient_port_ok - Postfix's port syntax: 1 to 5 digits */
static bool xclient_port_ok(const char *value)
{
    size_t  len = strlen(value);

    return (len > 0 && len <= XCLIENT_PORT_DIGITS
	    && strspn(value, "0123456789") == len);
}

/* xclient_addr - a printable address, or NULL when not valid here */
static const char *xclient_addr(VSTRING *buf, const char *value)
{
    static const INET_PROTO_INFO *proto;

    /* inet_protocols decides which address families XCLIENT accepts. */
    if (proto == 0)
	proto = inet_proto_init(PARAM_NAME(inet_protocols),
				VAR_STR(inet_protocols));

    if (strncasecmp(value, "IPV6:", 5) == 0) {
	if ((proto->mask & INET_PROTO_MASK_IPV6) == 0
	    || !valid_ipv6_hostaddr(value + 5, DONT_GRIPE))
	    return (0);
	vstring_strcpy(buf, value + 5);
	lowercase(vstring_str(buf));
	return (vstring_str(buf));
    }
    if ((proto->mask & INET_PROTO_MASK_IPV4) == 0
	|| !valid_ipv4_hostaddr(value, DONT_GRIPE))
	return (0);
    vstring_strcpy(buf, value);
    return (vstring_str(buf));
}

/* xclient_split - name and value of "name=value"; false: not that shape */
static bool xclient_split(char *arg, char **name, char **value)
{
    char   *eq;

    if ((eq = strchr(arg, '=')) == 0 || eq == arg || eq[1] == 0)
	return (false);
    *eq = 0;
    *name = arg;
    *value = eq + 1;
    return (true);
}

/* smtpd_xclient_args_free - release the parsed values */
void    smtpd_xclient_args_free(SMTPD_XCLIENT_ARGS *args)
{
    char  **slots[] = {&args->name, &args->reverse_name, &args->addr,
	&args->port, &args->proto, &args->helo, &args->login,
    &args->destaddr, &args->destport};
    size_t  i;

    for (i = 0; i < ARRAY_LEN(slots); i++)
	if (*slots[i])
	    myfree(*slots[i]);
}

/* xclient_set - store one value, replacing an earlier one */
static void xclient_set(char **slot, const char *value)
{
    if (*slot)
	myfree(*slot);
    *slot = value ? mystrdup(value) : 0;
}

/* xclient_name - NAME or REVERSE_NAME; false: bad syntax */
static bool xclient_name(const char *value, char **slot, int *status)
{
    if (strcasecmp(value, XCLIENT_UNAVAILABLE) == 0) {
	xclient_set(slot, SMTPD_UNKNOWN);
	*status = SMTPD_PEER_CODE_PERM;
    } else if (strcasecmp(value, XCLIENT_TEMPUNAVAIL) == 0) {
	xclient_set(slot, SMTPD_UNKNOWN);
	*status = SMTPD_PEER_CODE_TEMP;
    } else if (valid_hostname(value, DONT_GRIPE)) {
	xclient_set(slot, value);
	*status = SMTPD_PEER_CODE_OK;
    } else {
	return (false);
    }
    return (true);
}

/* xclient_parse_one - one XCLIENT attribute; NULL or the error reply */
static const char *xclient_parse_one(SMTPD_XCLIENT_ARGS *args, const char *name,
				             const char *value, VSTRING *buf)
{
    bool    unavailable = strcasecmp(value, XCLIENT_UNAVAILABLE) == 0;
    const char *addr;

    if (strcasecmp(name, "NAME") == 0) {
	if (!xclient_name(value, &args->name, &args->name_status))
	    return ("NAME");
    } else if (strcasecmp(name, "REVERSE_NAME") == 0) {
	if (!xclient_name(value, &args->reverse_name, &args->reverse_status))
	    return ("REVERSE_NAME");
    } else if (strcasecmp(name, "ADDR") == 0) {
	if (unavailable)
	    addr = SMTPD_UNKNOWN;
	else if ((addr = xclient_addr(buf, value)) == 0)
	    return ("ADDR");
	xclient_set(&args->addr, addr);
    } else if (strcasecmp(name, "PORT") == 0) {
	if (!unavailable && !xclient_port_ok(value))
	    return ("PORT");
	xclient_set(&args->port, unavailable ? SMTPD_UNKNOWN : value);
    } else if (strcasecmp(name, "PROTO") == 0) {
	if (strcasecmp(value, "SMTP") != 0 && strcasecmp(value, "ESMTP") != 0
	    && !unavailable)
	    return ("PROTO");
	xclient_set(&args->proto, unavailable ? "SMTP" : value);
	uppercase(args->proto);
    } else if (strcasecmp(name, "HELO") == 0) {
	if (args->helo)
	    myfree(args->helo);
	args->helo = unavailable ? 0 : xclient_sanitize(value);
	args->helo_given = true;
    } else if (strcasecmp(name, "LOGIN") == 0) {
	xclient_set(&args->login, unavailable ? 0 : value);
	args->login_given = true;
    } else if (strcasecmp(name, "DESTADDR") == 0) {
	if (unavailable)
	    addr = SMTPD_UNKNOWN;
	else if ((addr = xclient_addr(buf, value)) == 0)
	    return ("DESTADDR");
	xclient_set(&args->destaddr, addr);
    } else if (strcasecmp(name, "DESTPORT") == 0) {
	if (!unavailable && !xclient_port_ok(value))
	    return ("DESTPORT");
	xclient_set(&args->destport, unavailable ? SMTPD_UNKNOWN : value);
    } else {
	return ("");
    }
    return (0);
}

/* xclient_restart - apply the new identity and start the session again */
static int xclient_restart(SMTPD_STATE *state, SMTPD_XCLIENT_ARGS *args)
{
    SMTPD_XFORWARD *xp = xclient_context(state);
    const char *reply;

    smtpd_limit_disconnect(state);
    if (xp->conn_addr == 0) {
	xp->conn_name = mystrdup(state->name);
	xp->conn_addr = mystrdup(state->addr);
    }
    if (args->login_given) {
	if (xp->login)
	    myfree(xp->login);
	xp->login = args->login ? mystrdup(args->login) : 0;
    }
    /* Without REVERSE_NAME, the reverse name follows NAME. */
    if (args->reverse_name == 0 && args->name != 0) {
	args->reverse_name = mystrdup(args->name);
	args->reverse_status = args->name_status;
    }
    smtpd_state_set_peer(state,
			 args->name ? args->name : state->name,
			 args->reverse_name ? args->reverse_name :
			 state->reverse_name,
			 args->addr ? args->addr : state->addr,
			 args->port ? args->port : state->port,
			 args->name ? args->name_status : state->name_status,
			 args->reverse_name ? args->reverse_status :
			 state->reverse_name_status);
    if (args->destaddr) {
	myfree(state->server_addr);
	state->server_addr = mystrdup(args->destaddr);
    }
    if (args->destport) {
	myfree(state->server_port);
	state->server_port = mystrdup(args->destport);
    }
    /* The session starts again, keeping what this command set. */
    smtpd_state_reset_transaction(state);
    smtpd_xforward_reset(state);
    if (state->helo_name)
	myfree(state->helo_name);
    state->helo_name = args->helo ? mystrdup(args->helo) : 0;
    myfree(state->protocol);
    state->protocol = mystrdup(args->proto ? args->proto : "SMTP");
    if (state->access_denied) {
	myfree(state->access_denied);
	state->access_denied = 0;
    }
    state->flags |= SMTPD_FLAG_XCLIENT;
    smtpd_check_session_end(state);
    smtpd_check_session_start(state);

    if ((reply = smtpd_limit_connect(state)) != 0) {
	smtpd_chat_reply(state, "%s", reply);
	state->flags |= SMTPD_FLAG_HANGUP;
	return (-1);
    }
    if (!VAR_BOOL(smtpd_delay_reject)
	&& (reply = smtpd_check_client(state)) != 0) {
	state->access_denied = mystrdup(reply);
	smtpd_chat_reply(state, "%s", reply);
	return (-1);
    }
    smtpd_chat_reply(state, "220 %s", VAR_STR(smtpd_banner));
    return (SMTPD_CMD_UNCOUNTED);
}

/* xforward_check - one XFORWARD value; NULL or the attribute name */
static const char *xforward_check(int attr, const char *value,
				          VSTRING *buf, const char **store)
{
    *store = value;
    if (strcasecmp(value, XCLIENT_UNAVAILABLE) == 0) {
	*store = 0;
	return (0);
    }
    switch (attr) {
    case SMTPD_XFORWARD_NAME:
	if (!valid_hostname(value, DONT_GRIPE))
	    return ("NAME");
	break;
    case SMTPD_XFORWARD_ADDR:
	if ((*store = xclient_addr(buf, value)) == 0)
	    return ("ADDR");
	break;
    case SMTPD_XFORWARD_PORT:
	if (!xclient_port_ok(value))
	    return ("PORT");
	break;
    case SMTPD_XFORWARD_PROTO:
	if (strlen(value) > XFORWARD_PROTO_LIMIT)
	    return ("PROTO");
	break;
    case SMTPD_XFORWARD_SOURCE:
	if (strcasecmp(value, "LOCAL") != 0 && strcasecmp(value, "REMOTE") != 0)
	    return ("SOURCE");
	break;
    default:
	break;
    }
    return (0);
}

/* xclient_reply - a 501 reply in this module's buffer */
static const char *xclient_reply(const char *fmt, const char *arg1,
				         const char *arg2)
{
    static VSTRING *reply;

    if (reply == 0)
	reply = vstring_alloc(100);
    vstring_sprintf(reply, fmt, arg1, arg2);
    return (vstring_str(reply));
}

/* xclient_next - the next "name=value" with decoded value; NULL or error */
static const char *xclient_next(char *arg, char **name, const char **value,
				        VSTRING *decoded)
{
    char   *raw;

    if (!xclient_split(arg, name, &raw))
	return ("501 5.5.4 Error: attribute=value expected");
    *value = xclient_xtext(decoded, raw);
    if (strlen(*value) > XCLIENT_VALUE_LIMIT)
	return ("501 5.5.4 Error: attribute value too long");
    return (0);
}

/* smtpd_xclient_parse - the attributes of one XCLIENT command */
const char *smtpd_xclient_parse(int argc, char **argv, SMTPD_XCLIENT_ARGS *args)
{
    static VSTRING *decoded;
    static VSTRING *addr_buf;
    const char *value;
    const char *err;
    const char *bad;
    char   *name;
    int     i;

    if (decoded == 0) {
	decoded = vstring_alloc(100);
	addr_buf = vstring_alloc(50);
    }
    memset(args, 0, sizeof(*args));
    for (i = 1; i < argc; i++) {
	if ((err = xclient_next(argv[i], &name, &value, decoded)) != 0)
	    return (err);
	if ((bad = xclient_parse_one(args, name, value, addr_buf)) != 0)
	    return (*bad == 0 ?
		    xclient_reply("501 5.5.4 Bad XCLIENT attribute name: %s%s",
				  name, "") :
		    xclient_reply("501 5.5.4 Bad %s syntax: %s", bad, value));
    }
    return (0);
}

/* smtpd_cmd_xclient - XCLIENT attribute=value... */
int     smtpd_cmd_xclient(SMTPD_STATE *state, int argc, char **argv)
{
    SMTPD_XCLIENT_ARGS args;
    const char *err;
    int     status;

    if (argc < 2) {
	smtpd_chat_reply(state, "501 5.5.4 Syntax: XCLIENT attribute=value...");
	return (-1);
    }
    if (state->sender != 0) {
	smtpd_chat_reply(state, "503 5.5.1 Error: MAIL transaction in progress");
	return (-1);
    }
    if (!smtpd_xclient_allowed(state)) {
	smtpd_chat_reply(state, "550 5.7.0 Error: insufficient authorization");
	return (-1);
    }
    if ((err = smtpd_xclient_parse(argc, argv, &args)) != 0) {
	smtpd_chat_reply(state, "%s", err);
	status = -1;
    } else {
	status = xclient_restart(state, &args);
    }
    smtpd_xclient_args_free(&args);
    return (status);
}

/* smtpd_xforward_args_free - release the parsed values */
void    smtpd_xforward_args_free(SMTPD_XFORWARD_ARGS *args)
{
    int     attr;

    for (attr = 0; attr < SMTPD_XFORWARD_COUNT; attr++) {
	if (args->value[attr])
	    myfree(args->value[attr]);
	args->value[attr] = 0;
    }
}

/* smtpd_xforward_parse - the attributes of one XFORWARD command */
const char *smtpd_xforward_parse(int argc, char **argv,
				         SMTPD_XFORWARD_ARGS *args)
{
    static VSTRING *decoded;
    static VSTRING *addr_buf;
    const char *value;
    const char *store;
    const char *err;
    const char *bad;
    char   *name;
    int     attr;
    int     i;

    if (decoded == 0) {
	decoded = vstring_alloc(100);
	addr_buf = vstring_alloc(50);
    }
    memset(args, 0, sizeof(*args));
    for (i = 1; i < argc; i++) {
	if ((err = xclient_next(argv[i], &name, &value, decoded)) != 0)
	    return (err);
	for (attr = 0; attr < SMTPD_XFORWARD_COUNT; attr++)
	    if (strcasecmp(name, xforward_names[attr]) == 0)
		break;
	if (attr >= SMTPD_XFORWARD_COUNT)
	    return (xclient_reply("501 5.5.4 Bad XFORWARD attribute name: %s%s",
				  name, ""));
	if ((bad = xforward_check(attr, value, addr_buf, &store)) != 0)
	    return (xclient_reply("501 5.5.4 Bad %s syntax: %s", bad, value));
	if (args->value[attr])
	    myfree(args->value[attr]);
	args->value[attr] = store ? xclient_sanitize(store) : 0;
	args->given[attr] = true;
    }
    return (0);
}

/* smtpd_cmd_xforward - XFORWARD attribute=value... */
int     smtpd_cmd_xforward(SMTPD_STATE *state, int argc, char **argv)
{
    SMTPD_XFORWARD_ARGS args;
    SMTPD_XFORWARD *xp;
    const char *err;
    int     attr;

    if (argc < 2) {
	smtpd_chat_reply(state, "501 5.5.4 Syntax: XFORWARD attribute=value...");
	return (-1);
    }
    if (state->sender != 0) {
	smtpd_chat_reply(state, "503 5.5.1 Error: MAIL transaction in progress");
	return (-1);
    }
    if (!smtpd_xforward_allowed(state)) {
	smtpd_chat_reply(state, "550 5.7.0 Error: insufficient authorization");
	return (-1);
    }
    if ((err = smtpd_xforward_parse(argc, argv, &args)) != 0) {
	smtpd_chat_reply(state, "%s", err);
	smtpd_xforward_args_free(&args);
	return (-1);
    }
    /* The first XFORWARD of a transaction starts from "unavailable". */
    xp = xclient_context(state);
    xp->active = true;
    for (attr = 0; attr < SMTPD_XFORWARD_COUNT; attr++) {
	if (!args.given[attr])
	    continue;
	if (xp->attr[attr])
	    myfree(xp->attr[attr]);
	xp->attr[attr] = args.value[attr];
	args.value[attr] = 0;
    }
    smtpd_xforward_args_free(&args);
    smtpd_chat_reply(state, "250 2.0.0 Ok");
    return (0);
}

/* xforward_value - an attribute or "unknown" */
static const char *xforward_value(const SMTPD_XFORWARD *xp, int attr)
{
    return (xp->attr[attr] ? xp->attr[attr] : SMTPD_UNKNOWN);
}

/* smtpd_xforward_attrs - queue file attributes of an XFORWARD transaction */
void    smtpd_xforward_attrs(SMTPD_STATE *state, ARGV *attrs)
{
    const SMTPD_XFORWARD *xp = state->xforward;
    VSTRING *buf;
    const char *source;

    if (xp == 0 || !xp->active)
	return;
    buf = vstring_alloc(100);
    vstring_sprintf(buf, "log_client_name=%s", xforward_value(xp, SMTPD_XFORWARD_NAME));
    argv_add(attrs, vstring_str(buf), (char *) 0);
    vstring_sprintf(buf, "log_client_address=%s",
		    xforward_value(xp, SMTPD_XFORWARD_ADDR));
    argv_add(attrs, vstring_str(buf), (char *) 0);
    vstring_sprintf(buf, "log_client_port=%s", xforward_value(xp, SMTPD_XFORWARD_PORT));
    argv_add(attrs, vstring_str(buf), (char *) 0);
    if (xp->attr[SMTPD_XFORWARD_HELO]) {
	vstring_sprintf(buf, "log_helo_name=%s", xp->attr[SMTPD_XFORWARD_HELO]);
	argv_add(attrs, vstring_str(buf), (char *) 0);
    }
    vstring_sprintf(buf, "log_protocol=%s", xforward_value(xp, SMTPD_XFORWARD_PROTO));
    argv_add(attrs, vstring_str(buf), (char *) 0);
    if (xp->attr[SMTPD_XFORWARD_IDENT]) {
	vstring_sprintf(buf, "log_ident=%s", xp->attr[SMTPD_XFORWARD_IDENT]);
	argv_add(attrs, vstring_str(buf), (char *) 0);
    }
    source = xp->attr[SMTPD_XFORWARD_SOURCE];
    vstring_sprintf(buf, "rewrite_context=%s",
		    source && strcasecmp(source, "REMOTE") == 0 ?
		    "remote" : "local");
    argv_add(attrs, vstring_str(buf), (char *) 0);
    vstring_free(buf);
}

/* smtpd_xforward_log - the orig_queue_id/orig_client log suffix */
const char *smtpd_xforward_log(SMTPD_STATE *state)
{
    static VSTRING *buf;
    const SMTPD_XFORWARD *xp = state->xforward;

    if (buf == 0)
	buf = vstring_alloc(100);
    VSTRING_RESET(buf);
    VSTRING_TERMINATE(buf);
    if (xp == 0 || !xp->active)
	return (vstring_str(buf));
    if (xp->attr[SMTPD_XFORWARD_IDENT])
	vstring_sprintf_append(buf, ", orig_queue_id=%s",
			       xp->attr[SMTPD_XFORWARD_IDENT]);
    vstring_sprintf_append(buf, ", orig_client=%s",
			   xforward_value(xp, SMTPD_XFORWARD_NAME));
    if (xp->attr[SMTPD_XFORWARD_ADDR])
	vstring_sprintf_append(buf, "[%s]", xp->attr[SMTPD_XFORWARD_ADDR]);
    return (vstring_str(buf));
}

/* smtpd_xforward_reset - forget the XFORWARD attributes */
void    smtpd_xforward_reset(SMTPD_STATE *state)
{
    SMTPD_XFORWARD *xp = state->xforward;
    int     attr;

    if (xp == 0)
	return;
    for (attr = 0; attr < SMTPD_XFORWARD_COUNT; attr++) {
	if (xp->attr[attr])
	    myfree(xp->attr[attr]);
	xp->attr[attr] = 0;
    }
    xp->active = false;
}

/* smtpd_xclient_login - the XCLIENT LOGIN name, or NULL */
const char *smtpd_xclient_login(SMTPD_STATE *state)
{
    return (state->xforward ? state->xforward->login : 0);
}

/* smtpd_xclient_free - release the session's XCLIENT/XFORWARD state */
void    smtpd_xclient_free(SMTPD_STATE *state)
{
    SMTPD_XFORWARD *xp = state->xforward;

    if (xp == 0)
	return;
    smtpd_xforward_reset(state);
    if (xp->conn_name)
	myfree(xp->conn_name);
    if (xp->conn_addr)
	myfree(xp->conn_addr);
    if (xp->login)
	myfree(xp->login);
    myfree(xp);
    state->xforward = 0;
}
