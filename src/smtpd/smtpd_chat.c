/*
 * smtpd_chat - read SMTP commands and send replies for smtpd(8)
 *
 * SYNOPSIS
 *	#include "smtpd.h"
 *
 *	void	smtpd_chat_init(void);
 *	int	smtpd_chat_query(SMTPD_STATE *state);
 *	void	smtpd_chat_reply(SMTPD_STATE *state, const char *fmt, ...);
 *	void	smtpd_chat_reset(SMTPD_STATE *state);
 *	bool	smtpd_chat_pending(SMTPD_STATE *state);
 *	void	smtpd_chat_footer(SMTPD_STATE *state, VSTRING *reply);
 *	bool	smtpd_chat_bare_lf_reject(SMTPD_STATE *state);
 *
 * DESCRIPTION
 *	smtpd_chat_init() opens smtpd_reject_footer_maps once per process.
 *
 *	smtpd_chat_query() reads one command line into state->buffer,
 *	without its <CR><LF> (or bare <LF>, which sets
 *	SMTPD_FLAG_BARE_LF_SEEN and, for this line,
 *	SMTPD_FLAG_BARE_LF_LINE). A line longer than $line_length_limit
 *	is cut at the limit and the rest of it is skipped, as Postfix
 *	does ("warning: name[addr]: request longer than N: text..."). Each read is bounded by $smtpd_timeout, as one deadline for
 *	the whole line when $smtpd_per_request_deadline is set. It
 *	returns 0, or -1 at end of input, timeout or read error (the
 *	caller logs "lost connection" or "timeout" with vstream_ftimeout()).
 *
 *	smtpd_chat_reply() formats a reply "NNN X.Y.Z text" and sends
 *	it. Newlines in the text separate the lines of a multi-line
 *	reply; a continuation line that does not start with its own code
 *	gets the code (and enhanced code) of the first line. 4XX and 5XX
 *	replies get the smtpd_reject_footer (or a footer from
 *	smtpd_reject_footer_maps) with its $client_address, $client_port,
 *	$localtime and $server_name attributes, "\n" line breaks and a
 *	leading "\c" that joins it to the last line. With soft_bounce,
 *	every 5XX reply (also those that smtpd makes itself, as Postfix
 *	does) goes out as 4XX, and its 5.X.Y code as 4.X.Y. After
 *	$smtpd_soft_error_limit errors a 4XX/5XX reply is delayed by
 *	$smtpd_error_sleep_time. The text as sent (without the footer)
 *	stays in state->reply, and its notify_classes class goes into
 *	state->error_mask (see smtpd_chat_error_class(): X.5.Y, 5XX
 *	without enhanced code, bad address syntax: protocol; VRFY
 *	disabled, message too big: policy; X.3.1 and queue file write
 *	errors: resource; "Server local data error": data; internal
 *	protocol and local errors: software). Output is buffered: it
 *	goes out when the server next waits for input, so replies to pipelined commands
 *	leave in one packet.
 *
 *	smtpd_chat_pending() tells whether the client has sent more input
 *	than the current command (improper pipelining detection); never
 *	in stand-alone mode (sendmail -bs), as with Postfix.
 *
 *	smtpd_chat_bare_lf_reject() tells whether a command that ended in
 *	a bare <LF> must be rejected: smtpd_forbid_bare_newline = reject
 *	and the client is not in smtpd_forbid_bare_newline_exclusions.
 *
 *	smtpd_chat_query() and smtpd_chat_reply() record each command
 *	and each reply line as sent in the notify_classes transcript
 *	(smtpd_notify.c).
 *
 *	smtpd_chat_reset() forgets the last reply.
 *
 * DIAGNOSTICS
 *	Warnings: a footer that cannot be expanded; an overlong request.
 */
#include "sys_defs.h"

#include <string.h>
#include <time.h>
#include <unistd.h>
#include <poll.h>
#include <ctype.h>
#include <stdarg.h>

#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "mac_expand.h"
#include "excerpt.h"
#include "mail_params.h"
#include "maps.h"
#include "dict.h"
#include "host_addr_list.h"
#include "smtpd.h"
#include "smtpd_check.h"
#include "smtpd_data_content.h"

static MAPS *smtpd_footer_maps;

/* smtpd_chat_init - open the footer tables */
void    smtpd_chat_init(void)
{
    const char *names = VAR_STR(smtpd_reject_footer_maps);

    if (*names && smtpd_footer_maps == 0)
	smtpd_footer_maps = maps_create(PARAM_NAME(smtpd_reject_footer_maps),
					names, DICT_FLAG_LOCK
					| DICT_FLAG_FOLD_FIX);
}

/* smtpd_chat_query - read one command line */
int     smtpd_chat_query(SMTPD_STATE *state)
{
    size_t  limit = (size_t) VAR_INT(line_length_limit);
    int     ch = VSTREAM_EOF;
    bool    cut = false;

    if (VAR_BOOL(smtpd_per_request_deadline))
	vstream_start_deadline(state->client);
    VSTRING_RESET(state->buffer);
    state->flags &= ~SMTPD_FLAG_BARE_LF_LINE;
    while ((ch = VSTREAM_GETC(state->client)) != VSTREAM_EOF) {
	if (ch == '\n')
	    break;
	if (VSTRING_LEN(state->buffer) < limit)
	    VSTRING_ADDCH(state->buffer, ch);
	else
	    cut = true;
    }
    VSTRING_TERMINATE(state->buffer);
    if (ch == VSTREAM_EOF)
	return (-1);
    smtpd_notify_record(state, "In:  ", vstring_str(state->buffer),
			VSTRING_LEN(state->buffer)
			- (!cut && VSTRING_LEN(state->buffer) > 0
			   && vstring_end(state->buffer)[-1] == '\r'));
    if (cut)
	msg_warn("%s: request longer than %lu: %s", state->namaddr,
		 (unsigned long) limit,
		 excerpt_limit(vstring_str(state->buffer), 30));
    if (!cut && VSTRING_LEN(state->buffer) > 0
	&& vstring_end(state->buffer)[-1] == '\r') {
	vstring_truncate(state->buffer, VSTRING_LEN(state->buffer) - 1);
	VSTRING_TERMINATE(state->buffer);
    } else if (!cut) {
	state->flags |= SMTPD_FLAG_BARE_LF_SEEN | SMTPD_FLAG_BARE_LF_LINE;
    }
    return (0);
}

/* smtpd_chat_bare_lf_reject - must a bare <LF> command be rejected? */
bool    smtpd_chat_bare_lf_reject(SMTPD_STATE *state)
{
    static HOST_ADDR_LIST *exclusions;
    const char *value = VAR_STR(smtpd_forbid_bare_newline);
    int     mode = smtpd_content_mode(value);

    if (mode < 0)
	msg_fatal("invalid %s value: \"%s\"",
		  PARAM_NAME(smtpd_forbid_bare_newline), value);
    if (mode != SMTPD_BARE_LF_REJECT)
	return (false);
    if (exclusions == 0)
	exclusions = host_addr_list_create(
			   PARAM_NAME(smtpd_forbid_bare_newline_exclusions),
			     VAR_STR(smtpd_forbid_bare_newline_exclusions),
					   0);
    return (host_addr_list_match(exclusions, state->name, state->addr) != 1);
}

/* smtpd_chat_pending - did the client send more than this command? */
bool    smtpd_chat_pending(SMTPD_STATE *state)
{
    struct pollfd pfd;

    /* Postfix does not look for pipelining in stand-alone mode. */
    if (state->flags & SMTPD_FLAG_STANDALONE)
	return (false);
    if (vstream_peek(state->client) > 0)
	return (true);
    pfd.fd = vstream_fileno(state->client);
    pfd.events = POLLIN;
    pfd.revents = 0;
    return (poll(&pfd, 1, 0) > 0 && (pfd.revents & POLLIN) != 0);
}

/* footer_lookup - the $name attributes of a reject footer */
static const char *footer_lookup(const char *name, int mode, void *context)
{
    SMTPD_STATE *state = context;
    static VSTRING *buf;
    time_t  now;

    (void) mode;
    if (strcmp(name, "client_address") == 0)
	return (state->addr);
    if (strcmp(name, "client_port") == 0)
	return (state->port);
    if (strcmp(name, "server_name") == 0)
	return (VAR_STR(myhostname));
    if (strcmp(name, "localtime") == 0) {
	char    tbuf[64];

	now = time((time_t *) 0);
	strftime(tbuf, sizeof(tbuf), "%b %e %H:%M:%S", localtime(&now));
	if (buf == 0)
	    buf = vstring_alloc(32);
	vstring_strcpy(buf, tbuf);
	return (vstring_str(buf));
    }
    return (0);
}

/* reply_prefix_len - length of "NNN X.Y.Z " or "NNN " at a line start */
static size_t reply_prefix_len(const char *line, bool *has_dsn)
{
    const char *cp;

    *has_dsn = false;
    if (!(isdigit((unsigned char) line[0]) && isdigit((unsigned char) line[1])
	  && isdigit((unsigned char) line[2])
	  && (line[3] == ' ' || line[3] == '-' || line[3] == 0)))
	return (0);
    if (line[3] == 0)
	return (3);
    cp = line + 4;
    if ((*cp == '2' || *cp == '4' || *cp == '5') && cp[1] == '.') {
	const char *dp = cp + 2;
	int     dots = 0;

	while (isdigit((unsigned char) *dp) || (*dp == '.' && dots++ < 1))
	    dp++;
	if (dots == 1 && (*dp == ' ' || *dp == 0) && isdigit((unsigned char) dp[-1])) {
	    *has_dsn = true;
	    return ((size_t) (dp - line) + (*dp == ' '));
	}
    }
    return (4);
}

/* smtpd_chat_footer - append the reject footer to a 4XX/5XX reply */
void    smtpd_chat_footer(SMTPD_STATE *state, VSTRING *reply)
{
    const char *footer = VAR_STR(smtpd_reject_footer);
    const char *text = vstring_str(reply);
    VSTRING *expanded;
    VSTRING *unescaped;
    const char *cp;
    const char *next;
    bool    has_dsn;
    size_t  plen;
    char   *prefix;

    if (text[0] != '4' && text[0] != '5')
	return;
    if (smtpd_footer_maps) {
	const char *found = maps_find(smtpd_footer_maps, text, 0);

	if (found)
	    footer = found;
    }
    if (*footer == 0)
	return;
    plen = reply_prefix_len(text, &has_dsn);
    prefix = mystrndup(text, plen);
    if (plen > 3)
	prefix[3] = ' ';
    if (plen > 0 && prefix[plen - 1] != ' ') {
	char   *tmp = concatenate(prefix, " ", (char *) 0);

	myfree(prefix);
	prefix = tmp;
    }
    expanded = vstring_alloc(100);
    unescaped = unescape(vstring_alloc(100), VAR_STR(smtpd_expansion_filter));
    if (mac_expand(expanded, footer, 0, vstring_str(unescaped),
		   footer_lookup, (void *) state) & MAC_PARSE_ERROR) {
	msg_warn("%s: error expanding footer: %s",
		 PARAM_NAME(smtpd_reject_footer), footer);
	vstring_free(expanded);
	vstring_free(unescaped);
	myfree(prefix);
	return;
    }
    cp = vstring_str(expanded);
    if (strncmp(cp, "\\c", 2) == 0)
	cp += 2;
    else
	VSTRING_ADDCH(reply, '\n'), vstring_strcat(reply, prefix);
    /* The footer's own "\n" sequences break lines; each gets the prefix. */
    for (; cp; cp = next) {
	if ((next = strstr(cp, "\\n")) != 0) {
	    vstring_strncat(reply, cp, (size_t) (next - cp));
	    VSTRING_ADDCH(reply, '\n');
	    vstring_strcat(reply, prefix);
	    next += 2;
	} else {
	    vstring_strcat(reply, cp);
	}
    }
    vstring_free(unescaped);
    vstring_free(expanded);
    myfree(prefix);
}

/* send_lines - send a reply whose lines are separated by newlines */
static void send_lines(SMTPD_STATE *state, const char *text)
{
    const char *line = text;
    const char *end;
    bool    has_dsn;
    size_t  first_len = reply_prefix_len(text, &has_dsn);
    char   *first = mystrndup(text, first_len);
    VSTRING *out = vstring_alloc(100);
    size_t  len;

    if (first_len > 3)
	first[3] = ' ';
    for (;;) {
	const char *body = line;
	size_t  plen;
	bool    last;

	end = strchr(line, '\n');
	last = (end == 0);
	len = last ? strlen(line) : (size_t) (end - line);
	plen = reply_prefix_len(line, &has_dsn);
	VSTRING_RESET(out);
	if (line != text && plen == 0) {
	    /* Continuation without a code: use the first line's. */
	    if (first_len >= 3) {
		vstring_strncat(out, first, 3);
		vstring_strcat(out, last ? " " : "-");
		if (first_len > 4)
		    vstring_strncat(out, first + 4, first_len - 4);
		if (first_len > 4 && first[first_len - 1] != ' ')
		    vstring_strcat(out, " ");
	    }
	    vstring_strncat(out, body, len);
	} else if (plen >= 3) {
	    vstring_strncat(out, line, 3);
	    if (len > 3) {
		vstring_strcat(out, last ? " " : "-");
		vstring_strncat(out, line + 4, len - 4);
	    } else if (!last) {
		vstring_strcat(out, "-");
	    }
	} else {
	    vstring_strncat(out, line, len);
	}
	smtpd_notify_record(state, "Out: ", vstring_str(out),
			    VSTRING_LEN(out));
	vstring_strcat(out, "\r\n");
	vstream_fwrite(state->client, vstring_str(out), VSTRING_LEN(out));
	if (last)
	    break;
	line = end + 1;
    }
    vstring_free(out);
    myfree(first);
}

/* smtpd_chat_soft_bounce - turn 5XX into 4XX (and 5.X.Y into 4.X.Y) */
static void smtpd_chat_soft_bounce(VSTRING *reply)
{
    char   *cp = vstring_str(reply);
    bool    has_dsn;
    size_t  len;

    for (;;) {
	len = reply_prefix_len(cp, &has_dsn);
	if (len >= 3 && cp[0] == '5') {
	    cp[0] = '4';
	    if (has_dsn && cp[4] == '5')
		cp[4] = '4';
	}
	if ((cp = strchr(cp, '\n')) == 0)
	    break;
	cp++;
    }
}

/*
 * smtpd_chat_error_class - the notify_classes class of one of smtpd's own
 * 4XX/5XX replies, as Debian's Postfix 3.7 classes the same replies:
 * X.5.Y and a 5XX reply without an enhanced code ("501 Syntax: HELO
 * hostname") are protocol errors, and so is bad address syntax; but a
 * disabled VRFY and a message size over the limit are policy matters;
 * X.3.1 and a queue file write error are resource problems; "Server
 * local data error" (a table that smtpd itself needs) is a data
 * problem; an internal protocol error or local error is a software
 * problem. Restriction replies are classed by the restriction engine
 * (an unavailable access table is a policy matter there, as with
 * Postfix).
 */
static int smtpd_chat_error_class(const char *reply)
{
    if ((reply[0] != '4' && reply[0] != '5') || strlen(reply) < 4
	|| reply[3] != ' ')
	return (0);
    if (strstr(reply, "VRFY command is disabled") != 0
	|| strstr(reply, "Message size exceeds fixed limit") != 0)
	return (SMTPD_CHECK_ERR_POLICY);
    if (strlen(reply) < 9 || reply[5] != '.' || reply[7] != '.')
	return (reply[0] == '5' ? SMTPD_CHECK_ERR_PROTOCOL : 0);
    if (reply[6] == '5' || (reply[6] == '1'
			    && strstr(reply, "address syntax") != 0))
	return (SMTPD_CHECK_ERR_PROTOCOL);
    if (reply[6] != '3')
	return (0);
    if (reply[8] == '1' || strstr(reply, "write error") != 0)
	return (SMTPD_CHECK_ERR_RESOURCE);
    if (strstr(reply, "Server local data error") != 0)
	return (SMTPD_CHECK_ERR_DATA);
    if (strstr(reply, "internal protocol error") != 0
	|| strstr(reply, "Server local error") != 0)
	return (SMTPD_CHECK_ERR_SOFTWARE);
    return (0);
}

/* smtpd_chat_reply - format and send one (multi-line) reply */
void    smtpd_chat_reply(SMTPD_STATE *state, const char *fmt,...)
{
    va_list ap;
    VSTRING *full;
    char    code;

    va_start(ap, fmt);
    vstring_vsprintf(state->reply, fmt, ap);
    va_end(ap);
    if (VAR_BOOL(soft_bounce))
	smtpd_chat_soft_bounce(state->reply);
    code = vstring_str(state->reply)[0];
    state->error_mask |= smtpd_chat_error_class(vstring_str(state->reply));
    full = vstring_alloc(VSTRING_LEN(state->reply) + 10);
    vstring_strcpy(full, vstring_str(state->reply));
    smtpd_chat_footer(state, full);
    if ((code == '4' || code == '5')
	&& state->error_count >= VAR_INT(smtpd_soft_error_limit)
	&& VAR_TIME(smtpd_error_sleep_time) > 0) {
	vstream_fflush(state->client);
	sleep((unsigned) VAR_TIME(smtpd_error_sleep_time));
    }
    send_lines(state, vstring_str(full));
    vstring_free(full);
    if (VAR_BOOL(smtpd_per_request_deadline))
	vstream_start_deadline(state->client);
}

/* smtpd_chat_reset - forget the last reply */
void    smtpd_chat_reset(SMTPD_STATE *state)
{
    VSTRING_RESET(state->reply);
    VSTRING_TERMINATE(state->reply);
}
