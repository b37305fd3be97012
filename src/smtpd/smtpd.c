/*
 * smtpd - the SMTP server: main program and session loop
 *
 * SYNOPSIS
 *	smtpd [generic daemon options]
 *
 * DESCRIPTION
 *	smtpd(8) serves one SMTP session per connection (single_server
 *	skeleton; flow control is cleanup's, see mail_flow(3)). With -S
 *	it serves one
 *	session on standard input and output (sendmail -bs).
 *
 *	smtpd_service() runs the session: the PROXY header when
 *	smtpd_upstream_proxy_protocol = haproxy (a bad one is logged and
 *	answered with "421 4.3.0 $myhostname Server local error"), the
 *	client identity
 *	(smtpd_peer.c), "connect from name[addr]", the anvil(8) connection
 *	limits, the client restrictions when smtpd_delay_reject = no, the
 *	220 greeting, then the command loop: read a line, look the command
 *	up in the command table, check pipelining, dispatch to its
 *	handler, count errors. Before the lookup, smtpd_command_filter may
 *	replace the line ("name[addr]: replacing command "X" with "Y""),
 *	and the words of smtpd_noop_commands get "250 2.0.0 Ok" without
 *	any further processing. It ends with "disconnect from name[addr]"
 *	and the per-command counts.
 *
 *	Process-wide set-up before any chroot or privilege drop: the
 *	resolver (dns_init()), the DATA module (smtpd_data_init()), the
 *	restriction lists and tables (smtpd_check_init()), footer and
 *	EHLO tables, command filters.
 *
 *	notify_classes: at the end of a session whose errors (restriction
 *	classes from smtpd_check_error_mask(), and the classes of smtpd's
 *	own replies) are in $notify_classes, smtpd_notify.c mails a
 *	transcript to $error_notice_recipient. The loop here tells it
 *	when to forget: at HELO, EHLO and RSET a transcript of more than
 *	100 lines is dropped, and after a queued message also the error
 *	classes; that a DATA or BDAT failure may be a content rejection
 *	(policy); and why a session was aborted.
 *
 * DIAGNOSTICS
 *	Info: connect, disconnect, "lost connection after X from
 *	name[addr]", "timeout after X from name[addr]", "too many errors
 *	after X from name[addr]", "improper command pipelining after X
 *	from name[addr]: text". Warning: "non-SMTP command from
 *	name[addr]: text".
 */
#include "sys_defs.h"

#include <signal.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <sys/stat.h>

#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "utf8_text.h"
#include "argv.h"
#include "mail_params.h"
#include "maps.h"
#include "dict.h"
#include "single_server.h"
#include "smtpd.h"
#include "smtpd_check.h"
#include "dns.h"

/* Command table flags. */
#define SMTPD_CMD_FLAG_LAST	(1<<0)	/* must end a pipelined group */
#define SMTPD_CMD_FLAG_JUNK	(1<<1)	/* counts for smtpd_junk_command_limit */

typedef struct SMTPD_CMD {
    const char *name;
    SMTPD_CMD_FN fn;
    int     flags;
} SMTPD_CMD;

/*
 * The commands, in the order that the disconnect line prints them.
 */
static const SMTPD_CMD smtpd_cmd_table[] = {
    {"HELO", smtpd_cmd_helo, SMTPD_CMD_FLAG_LAST},
    {"EHLO", smtpd_cmd_ehlo, SMTPD_CMD_FLAG_LAST},
    {"XCLIENT", smtpd_cmd_xclient, 0},
    {"XFORWARD", smtpd_cmd_xforward, 0},
    {"STARTTLS", smtpd_cmd_starttls, SMTPD_CMD_FLAG_LAST},
    {"AUTH", smtpd_cmd_auth, 0},
    {"MAIL", smtpd_cmd_mail, 0},
    {"RCPT", smtpd_cmd_rcpt, 0},
    {"DATA", smtpd_cmd_data, SMTPD_CMD_FLAG_LAST},
    {"BDAT", smtpd_cmd_bdat, 0},
    {"RSET", smtpd_cmd_rset, SMTPD_CMD_FLAG_JUNK},
    {"NOOP", smtpd_cmd_noop, SMTPD_CMD_FLAG_LAST | SMTPD_CMD_FLAG_JUNK},
    {"VRFY", smtpd_cmd_vrfy, SMTPD_CMD_FLAG_LAST | SMTPD_CMD_FLAG_JUNK},
    {"ETRN", smtpd_cmd_etrn, SMTPD_CMD_FLAG_LAST | SMTPD_CMD_FLAG_JUNK},
    {"QUIT", smtpd_cmd_quit, SMTPD_CMD_FLAG_LAST},
    {0,},
};

#define SMTPD_UNKNOWN_NAME	"unknown"
#define SMTPD_PIPELINING_EXCERPT 100	/* bytes of input logged */

static MAPS *smtpd_forbidden_maps;
static ARGV *smtpd_forbidden_words;
static MAPS *smtpd_command_filter;
static ARGV *smtpd_noop_words;

/* smtpd_count - count one command for the disconnect line */
static SMTPD_CMD_COUNT *smtpd_count(SMTPD_STATE *state, const char *name)
{
    int     i;

    for (i = 0; i < state->ncounts; i++)
	if (strcmp(state->counts[i].name, name) == 0)
	    return (state->counts + i);
    if (state->ncounts >= SMTPD_CMD_COUNT_MAX)
	msg_panic("smtpd_count: too many command names");
    state->counts[state->ncounts].name = name;
    state->counts[state->ncounts].total = 0;
    state->counts[state->ncounts].success = 0;
    return (state->counts + state->ncounts++);
}

/* smtpd_format_count - append " name=N" or " name=S/T" */
static void smtpd_format_count(VSTRING *buf, const char *name,
			               int success, int total)
{
    if (success == total)
	vstring_sprintf_append(buf, " %s=%d", name, total);
    else
	vstring_sprintf_append(buf, " %s=%d/%d", name, success, total);
}

/* smtpd_log_disconnect - the "disconnect from" line with counts */
static void smtpd_log_disconnect(SMTPD_STATE *state)
{
    VSTRING *buf = vstring_alloc(100);
    const SMTPD_CMD *cmd;
    int     success = 0;
    int     total = 0;
    int     i;

    vstring_sprintf(buf, "disconnect from %s", state->namaddr);
    for (cmd = smtpd_cmd_table; cmd->name; cmd++) {
	for (i = 0; i < state->ncounts; i++) {
	    if (strcasecmp(state->counts[i].name, cmd->name) == 0) {
		char   *lc = lowercase(mystrdup(cmd->name));

		smtpd_format_count(buf, lc, state->counts[i].success,
				   state->counts[i].total);
		myfree(lc);
	    }
	}
    }
    for (i = 0; i < state->ncounts; i++) {
	success += state->counts[i].success;
	total += state->counts[i].total;
	if (strcmp(state->counts[i].name, SMTPD_UNKNOWN_NAME) == 0)
	    smtpd_format_count(buf, SMTPD_UNKNOWN_NAME,
			       state->counts[i].success,
			       state->counts[i].total);
    }
    if (total == 0)
	vstring_strcat(buf, " commands=0/0");
    else
	smtpd_format_count(buf, "commands", success, total);
    msg_info("%s", vstring_str(buf));
    vstring_free(buf);
}

/* smtpd_word_listed - is word (any case) in the list? */
static bool smtpd_word_listed(ARGV *list, const char *word)
{
    char  **cpp;

    if (list)
	for (cpp = list->argv; *cpp; cpp++)
	    if (strcasecmp(*cpp, word) == 0)
		return (true);
    return (false);
}

/* smtpd_filter_command - smtpd_command_filter; -1 after a table error */
static int smtpd_filter_command(SMTPD_STATE *state)
{
    const char *result;

    result = maps_find(smtpd_command_filter, vstring_str(state->buffer), 0);
    if (result != 0) {
	msg_info("%s: replacing command \"%s\" with \"%s\"",
		 state->namaddr, vstring_str(state->buffer), result);
	vstring_strcpy(state->buffer, result);
    } else if (smtpd_command_filter->error != DICT_ERR_NONE) {
	msg_info("NOQUEUE: reject: %s from %s: 421 4.3.0 %s Server local "
		 "data error; proto=%s%s%s%s", state->where, state->namaddr,
		 VAR_STR(myhostname), state->protocol,
		 state->helo_name ? " helo=<" : "",
		 state->helo_name ? state->helo_name : "",
		 state->helo_name ? ">" : "");
	smtpd_chat_reply(state, "421 4.3.0 %s Server local data error",
			 VAR_STR(myhostname));
	return (-1);
    }
    return (0);
}

/*
 * smtpd_forbidden - is this unknown command a non-SMTP command? Those of
 * smtpd_forbidden_commands, and, as Postfix does, a word in the "Label:"
 * form of a message header (a client that sends content regardless).
 */
static bool smtpd_forbidden(const char *line, const char *word)
{
    if (strchr(word, ':') != 0)
	return (true);
    if (smtpd_word_listed(smtpd_forbidden_words, word))
	return (true);
    if (smtpd_forbidden_maps && maps_find(smtpd_forbidden_maps, line, 0))
	return (true);
    return (false);
}

/* smtpd_hangup_reply - answer the lost/timeout cases and log them */
static void smtpd_read_failed(SMTPD_STATE *state)
{
    if (vstream_ftimeout(state->client)) {
	msg_info("timeout after %s from %s", state->where, state->namaddr);
	state->abort_reason = "timeout";
	vstream_clearerr(state->client);
	smtpd_chat_reply(state, "421 4.4.2 %s Error: timeout exceeded",
			 VAR_STR(myhostname));
	vstream_fflush(state->client);
    } else {
	msg_info("lost connection after %s from %s", state->where,
		 state->namaddr);
	state->abort_reason = "lost connection";
    }
}

/* smtpd_pipelining_allowed - may the client send more after this command? */
static bool smtpd_pipelining_allowed(SMTPD_STATE *state, const SMTPD_CMD *cmd)
{
    if (cmd == 0)
	return (false);
    if (state->protocol == 0 || strcmp(state->protocol, "ESMTP") != 0)
	return (false);
    if (cmd->flags & SMTPD_CMD_FLAG_LAST)
	return (false);
    return (true);
}

/* smtpd_warn_non_smtp - log a forbidden command, C-escaped as Postfix does */
static void smtpd_warn_non_smtp(SMTPD_STATE *state, const char *line)
{
    VSTRING *buf = vstring_alloc(100);
    size_t  len = strlen(line);

    escape(buf, line, len > SMTPD_PIPELINING_EXCERPT ?
	   SMTPD_PIPELINING_EXCERPT : len);
    msg_warn("non-SMTP command from %s: %s", state->namaddr,
	     vstring_str(buf));
    vstring_free(buf);
}

/* smtpd_log_bare_lf - "NOQUEUE: reject: CMD from host: bare <LF> received" */
static void smtpd_log_bare_lf(SMTPD_STATE *state)
{
    VSTRING *buf = vstring_alloc(100);

    vstring_sprintf(buf, "NOQUEUE: reject: %s from %s: bare <LF> received;",
		    state->where, state->namaddr);
    if (state->sender)
	vstring_sprintf_append(buf, " from=<%s>", state->sender);
    vstring_sprintf_append(buf, " proto=%s", state->protocol);
    if (state->helo_name)
	vstring_sprintf_append(buf, " helo=<%s>", state->helo_name);
    msg_info("%s", vstring_str(buf));
    vstring_free(buf);
}

/* smtpd_log_pipelining - log improper pipelining and flag the session */
static void smtpd_log_pipelining(SMTPD_STATE *state, const char *where)
{
    const unsigned char *data;
    size_t  len = vstream_peek_data(state->client, &data);
    VSTRING *buf = vstring_alloc(100);

    escape(buf, (const char *) data, len > SMTPD_PIPELINING_EXCERPT ?
	   SMTPD_PIPELINING_EXCERPT : len);
    msg_info("improper command pipelining after %s from %s: %s",
	     where, state->namaddr, vstring_str(buf));
    state->flags |= SMTPD_FLAG_ILL_PIPELINING;
    vstring_free(buf);
}

/* smtpd_command_loop - read and execute commands until the session ends */
static void smtpd_command_loop(SMTPD_STATE *state)
{
    const SMTPD_CMD *cmd;
    ARGV   *argv;
    char   *line;
    int     status;
    SMTPD_CMD_COUNT *count;
    bool    forbid = VAR_BOOL(smtpd_forbid_unauth_pipelining);
    int     hard_limit = (int) VAR_INT(smtpd_hard_error_limit);
    int     junk_limit = (int) VAR_INT(smtpd_junk_command_limit);

    for (;;) {
	if (state->flags & SMTPD_FLAG_HANGUP)
	    break;
	if (state->error_count >= hard_limit) {
	    msg_info("too many errors after %s from %s",
		     state->where, state->namaddr);
	    state->abort_reason = "too many errors";
	    smtpd_chat_reply(state, "421 4.7.0 %s Error: too many errors",
			     VAR_STR(myhostname));
	    break;
	}
	if (smtpd_chat_query(state) < 0) {
	    smtpd_read_failed(state);
	    break;
	}
	line = vstring_str(state->buffer);
	if ((state->flags & SMTPD_FLAG_BARE_LF_LINE)
	    && smtpd_chat_bare_lf_reject(state)) {
	    smtpd_log_bare_lf(state);
	    smtpd_chat_reply(state, "%ld 5.5.2 %s Error: bare <LF> received",
			     VAR_INT(smtpd_forbid_bare_newline_reject_code),
			     VAR_STR(myhostname));
	    break;
	}
	if (smtpd_command_filter && smtpd_filter_command(state) < 0)
	    break;
	line = vstring_str(state->buffer);
	/* With SMTPUTF8 on, a line must be UTF-8 (not counted as a command). */
	if (VAR_BOOL(smtputf8_enable)
	    && !utf8_text_valid(line, VSTRING_LEN(state->buffer))) {
	    state->error_count++;
	    smtpd_chat_reply(state, "500 5.5.2 Error: bad UTF-8 syntax");
	    continue;
	}
	if (*line == 0 || strspn(line, " \t") == strlen(line)) {
	    state->error_count++;
	    smtpd_chat_reply(state, "500 5.5.2 Error: bad syntax");
	    continue;
	}
	argv = smtpd_cmd_split(line);
	if (argv->argc == 0) {
	    argv_free(argv);
	    state->error_count++;
	    smtpd_chat_reply(state, "500 5.5.2 Error: bad syntax");
	    continue;
	}
	/* smtpd_noop_commands: "250 Ok" without any check or count. */
	if (smtpd_word_listed(smtpd_noop_words, argv->argv[0])) {
	    smtpd_chat_reply(state, "250 2.0.0 Ok");
	    argv_free(argv);
	    continue;
	}
	for (cmd = smtpd_cmd_table; cmd->name; cmd++)
	    if (strcasecmp(argv->argv[0], cmd->name) == 0)
		break;
	if (cmd->name == 0)
	    cmd = 0;

	/* Improper pipelining: more input after a command that ends a group. */
	if ((state->flags & SMTPD_FLAG_ILL_PIPELINING) == 0
	    && !smtpd_pipelining_allowed(state, cmd)
	    && smtpd_chat_pending(state)) {
	    smtpd_log_pipelining(state, cmd ? cmd->name : "UNKNOWN");
	    if (forbid) {
		count = smtpd_count(state, cmd ? cmd->name : SMTPD_UNKNOWN_NAME);
		count->total++;
		smtpd_chat_reply(state,
			     "554 5.5.0 Error: SMTP protocol synchronization");
		argv_free(argv);
		break;
	    }
	}
	if (cmd == 0) {
	    state->where = "UNKNOWN";
	    count = smtpd_count(state, SMTPD_UNKNOWN_NAME);
	    count->total++;
	    if (smtpd_forbidden(line, argv->argv[0])) {
		smtpd_warn_non_smtp(state, line);
		smtpd_chat_reply(state,
			"221 2.7.0 Error: I can break rules, too. Goodbye.");
		argv_free(argv);
		break;
	    }
	} else {
	    state->where = cmd->name;
	    count = 0;
	}
	/* Rejected at connect time: every command but QUIT gets 503. */
	if (state->access_denied && (cmd == 0 || cmd->fn != smtpd_cmd_quit)) {
	    if (count == 0)
		(count = smtpd_count(state, cmd->name))->total++;
	    state->error_count++;
	    smtpd_chat_reply(state, "503 5.7.0 Error: access denied for %s",
			     state->namaddr);
	    argv_free(argv);
	    continue;
	}
	if (cmd == 0) {
	    state->error_count++;
	    smtpd_chat_reply(state, "500 5.5.2 Error: command not recognized");
	    argv_free(argv);
	    continue;
	}
	/* Postfix lets $smtpd_junk_command_limit + 1 pass without error. */
	if ((cmd->flags & SMTPD_CMD_FLAG_JUNK)
	    && state->junk_cmds++ > junk_limit)
	    state->error_count++;
	count = smtpd_count(state, cmd->name);
	count->total++;
	/* Postfix forgets a long transcript when a session (re)starts. */
	if (cmd->fn == smtpd_cmd_helo || cmd->fn == smtpd_cmd_ehlo
	    || cmd->fn == smtpd_cmd_rset)
	    smtpd_notify_trim(state);
	status = cmd->fn(state, (int) argv->argc, argv->argv);
	if (status == 0)
	    count->success++;
	else if (status < 0)
	    state->error_count++;
	/* Content rejected at the end of DATA: a policy matter (Postfix). */
	if (status < 0 && (cmd->fn == smtpd_cmd_data
			   || cmd->fn == smtpd_cmd_bdat))
	    smtpd_notify_content_reject(state);
	/* After a delivered message the junk and error counts start again. */
	if (status == 0 && (cmd->fn == smtpd_cmd_data
			    || (cmd->fn == smtpd_cmd_bdat && argv->argc > 2
			      && strcasecmp(argv->argv[2], "LAST") == 0))) {
	    state->junk_cmds = 0;
	    state->error_count = 0;
	    smtpd_notify_clear_errors(state);
	    smtpd_notify_trim(state);
	}
	argv_free(argv);
	if (cmd->fn == smtpd_cmd_quit && status == 0)
	    break;
    }
}

/* smtpd_is_socket - is the descriptor a socket? */
static bool smtpd_is_socket(int fd)
{
    struct stat st;

    return (fstat(fd, &st) == 0 && S_ISSOCK(st.st_mode));
}

/* smtpd_peer_localhost - the client is localhost[127.0.0.1] */
static void smtpd_peer_localhost(SMTPD_STATE *state)
{
    smtpd_state_set_peer(state, "localhost", "localhost", "127.0.0.1",
			 "0", SMTPD_PEER_CODE_OK, SMTPD_PEER_CODE_OK);
}

/* smtpd_service - one SMTP session */
static void smtpd_service(VSTREAM *client, const char *service, char **argv)
{
    SMTPD_STATE *state;
    const char *reply;
    int     flags = 0;
    bool    proxy_failed = false;

    (void) argv;
    if (client == VSTREAM_IN || vstream_fileno(client) == 0)
	flags |= SMTPD_FLAG_STANDALONE;
    state = smtpd_state_create(client, service, flags);
    vstream_set_timeout(client, VAR_TIME(smtpd_timeout));
    if (strcasecmp(VAR_STR(smtpd_upstream_proxy_protocol), "haproxy") == 0
	&& (flags & SMTPD_FLAG_STANDALONE) == 0) {
	if ((reply = smtpd_haproxy_read(state)) != 0) {
	    /* Postfix: the client is then localhost[127.0.0.1]. */
	    msg_warn("haproxy read: %s", reply);
	    smtpd_peer_localhost(state);
	    proxy_failed = true;
	}
    } else if ((flags & SMTPD_FLAG_STANDALONE) != 0
	       && !smtpd_is_socket(vstream_fileno(client))) {
	/* sendmail -bs: the client is a local user, as Postfix logs it. */
	smtpd_peer_localhost(state);
    } else {
	smtpd_peer_init(state);
    }
    msg_info("connect from %s", state->namaddr);
    smtpd_check_session_start(state);

    if (proxy_failed) {
	smtpd_chat_reply(state, "421 4.3.0 %s Server local error",
			 VAR_STR(myhostname));
    } else if ((flags & SMTPD_FLAG_STANDALONE) == 0
	&& (reply = smtpd_limit_connect(state)) != 0) {
	smtpd_chat_reply(state, "%s", reply);
    } else if ((flags & SMTPD_FLAG_STANDALONE) == 0
	       && !VAR_BOOL(smtpd_delay_reject)
	       && (reply = smtpd_check_client(state)) != 0) {
	state->access_denied = mystrdup(reply);
	smtpd_chat_reply(state, "%s", reply);
	smtpd_command_loop(state);
    } else if ((flags & SMTPD_FLAG_STANDALONE) == 0
	       && smtpd_chat_pending(state)) {
	/* The client talks before the greeting. */
	smtpd_log_pipelining(state, "CONNECT");
	if (VAR_BOOL(smtpd_forbid_unauth_pipelining)) {
	    smtpd_chat_reply(state,
			     "554 5.5.0 Error: SMTP protocol synchronization");
	} else {
	    smtpd_chat_reply(state, "220 %s", VAR_STR(smtpd_banner));
	    smtpd_command_loop(state);
	}
    } else {
	smtpd_chat_reply(state, "220 %s", VAR_STR(smtpd_banner));
	smtpd_command_loop(state);
    }
    vstream_fflush(client);
    smtpd_state_reset_transaction(state);
    if ((flags & SMTPD_FLAG_STANDALONE) == 0)
	smtpd_limit_disconnect(state);
    smtpd_log_disconnect(state);
    smtpd_notify_session(state);
    smtpd_notify_free(state);
    smtpd_check_session_end(state);
    myfree(state->access_denied);
    smtpd_state_free(state);
}

/* smtpd_pre_init - open tables before any chroot */
static void smtpd_pre_init(const char *service, char **argv)
{
    VSTRING *tables = vstring_alloc(100);
    char   *buf;
    char   *cp;
    char   *word;

    (void) service;
    (void) argv;
    dns_init();
    smtpd_data_init();
    smtpd_check_init();
    smtpd_chat_init();
    smtpd_helo_init();
    buf = mystrdup(VAR_STR(smtpd_forbidden_commands));
    smtpd_forbidden_words = argv_alloc(4);
    for (cp = buf; (word = mystrtokq(&cp, CHARS_COMMA_SP, CHARS_BRACE)) != 0;) {
	if (strchr(word, ':') != 0)
	    vstring_sprintf_append(tables, "%s%s",
				   VSTRING_LEN(tables) ? " " : "", word);
	else
	    argv_add(smtpd_forbidden_words, word, (char *) 0);
    }
    myfree(buf);
    if (VSTRING_LEN(tables) > 0)
	smtpd_forbidden_maps = maps_create(PARAM_NAME(smtpd_forbidden_commands),
					   vstring_str(tables), DICT_FLAG_LOCK
					   | DICT_FLAG_FOLD_FIX);
    vstring_free(tables);
    if (*VAR_STR(smtpd_command_filter))
	smtpd_command_filter = maps_create(PARAM_NAME(smtpd_command_filter),
					   VAR_STR(smtpd_command_filter),
					   DICT_FLAG_LOCK | DICT_FLAG_FOLD_FIX);
    smtpd_noop_words = argv_split(VAR_STR(smtpd_noop_commands),
				  CHARS_COMMA_SP);
    smtpd_notify_init();
}

/* smtpd_post_init - process-wide settings after the privilege drop */
static void smtpd_post_init(const char *service, char **argv)
{
    (void) service;
    (void) argv;
    signal(SIGPIPE, SIG_IGN);
}

/* main - hand over to the single_server skeleton */
int     main(int argc, char **argv)
{
    static const MAIL_SERVER_OPTS opts = {
	.pre_init = smtpd_pre_init,
	.post_init = smtpd_post_init,
    };

    single_server_main(argc, argv, smtpd_service, &opts);
}
