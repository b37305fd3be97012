/*
 * smtp_proto - greeting, EHLO/HELO/LHLO, RSET and QUIT
 *
 * SYNOPSIS
 *	#include "smtp_session.h"
 *
 *	int	smtp_helo(SMTP_STATE *state);
 *	int	smtp_rset(SMTP_STATE *state);
 *	int	smtp_quit(SMTP_STATE *state);
 *
 *	#include "smtp_proto.h"
 *	(the chat helpers, see there)
 *
 * DESCRIPTION
 *	smtp_helo() starts a fresh session (a session from the cache
 *	has done this already and returns 0 at once):
 *	-  It reads the greeting within smtp_helo_timeout
 *	   (lmtp_lhlo_timeout). A greeting that is not 2xx ends the
 *	   session through smtp_sess_fail() with stage "initial server
 *	   greeting" (which applies smtp_skip_5xx_greeting).
 *	-  A greeting whose text is only "*" characters (or empty: "220"
 *	   alone) is a Cisco PIX that masks the banner: the workarounds of
 *	   smtp_pix_workarounds (or the entry for the server's address
 *	   or name in smtp_pix_workaround_maps) are enabled and logged
 *	   ("QUEUEID: enabling PIX workarounds: disable_esmtp for
 *	   host[addr]:port", as Debian's smtp(8)); delay_dotcrlf only for
 *	   a message queued longer than
 *	   smtp_pix_workaround_threshold_time.
 *	-  SMTP sends EHLO unless smtp_never_send_ehlo, the PIX
 *	   disable_esmtp workaround, or smtp_always_send_ehlo = no with
 *	   a greeting that does not say "ESMTP" ask for HELO. A reply
 *	   to EHLO other than 2xx (and 421) is answered with HELO, as
 *	   Postfix does. LMTP sends LHLO. The name is smtp_helo_name
 *	   (lmtp_lhlo_name).
 *	-  After a greeting that is not 2xx, and after a refused
 *	   HELO/LHLO or a 421 to EHLO, QUIT is sent as Debian's smtp(8)
 *	   does.
 *	-  The EHLO/LHLO reply lines give the features (SMTP_FEATURE_*,
 *	   SIZE with its limit; SMTPUTF8 implies 8BITMIME), minus the
 *	   keywords of
 *	   smtp_discard_ehlo_keywords and of the entry for the server's
 *	   address in smtp_discard_ehlo_keyword_address_maps ("discarding
 *	   EHLO keywords: ..." is logged unless the list says
 *	   "silent-discard").
 *	-  STARTTLS goes here, between EHLO and MAIL (next issue).
 *	Stream failures go to smtp_stream_except() with stage "receiving
 *	the initial server greeting" or "performing the EHLO handshake"
 *	(HELO, LHLO). It returns 0, or -1 after the failure was reported.
 *
 *	smtp_rset() sends RSET before another transaction on a reused
 *	session (smtp_rset_timeout). It returns 0 on a 2xx reply, -1
 *	otherwise; a failure is not reported (the caller closes the
 *	session and connects anew).
 *
 *	smtp_quit() sends QUIT (smtp_quit_timeout) and reads the reply
 *	unless smtp_skip_quit_response. It does nothing when the QUIT
 *	went out already, and returns -1 at once on a broken session
 *	(lost, timed out, or closed by a 421). It returns 0, or -1 when
 *	the connection broke; nothing is reported.
 *
 * DIAGNOSTICS
 *	Warnings: "host NAME[ADDR] offers SMTPUTF8 support, but not
 *	8BITMIME" (Debian's), a smtp_pix_workarounds or discard-map value with an
 *	unknown word, a table lookup error. Info: PIX workarounds and
 *	discarded EHLO keywords.
 */
#include "sys_defs.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "msg.h"
#include "mymalloc.h"
#include "argv.h"
#include "stringops.h"
#include "name_mask.h"
#include "vstream.h"
#include "vstring.h"
#include "maps.h"
#include "mail_params.h"
#include "smtp.h"
#include "smtp_session.h"
#include "smtp_proto.h"
#include "smtp_notify.h"

/* The EHLO keywords we know, and the feature bits. */
static const NAME_MASK smtp_feature_names[] = {
    {"8BITMIME", SMTP_FEATURE_8BITMIME},
    {"PIPELINING", SMTP_FEATURE_PIPELINING},
    {"SIZE", SMTP_FEATURE_SIZE},
    {"STARTTLS", SMTP_FEATURE_STARTTLS},
    {"AUTH", SMTP_FEATURE_AUTH},
    {"DSN", SMTP_FEATURE_DSN},
    {"SMTPUTF8", SMTP_FEATURE_SMTPUTF8},
    {"CHUNKING", SMTP_FEATURE_CHUNKING},
    {"BINARYMIME", SMTP_FEATURE_BINARYMIME},
    {"ENHANCEDSTATUSCODES", SMTP_FEATURE_ENHANCEDSTATUSCODES},
    {"XFORWARD", 0},
    {0, 0},
};

/* XFORWARD attribute names. */
static const NAME_MASK smtp_xforward_names[] = {
    {"NAME", SMTP_FEATURE_XFORWARD_NAME},
    {"ADDR", SMTP_FEATURE_XFORWARD_ADDR},
    {"PROTO", SMTP_FEATURE_XFORWARD_PROTO},
    {"HELO", SMTP_FEATURE_XFORWARD_HELO},
    {"SOURCE", SMTP_FEATURE_XFORWARD_DOMAIN},
    {"PORT", SMTP_FEATURE_XFORWARD_PORT},
    {"IDENT", SMTP_FEATURE_XFORWARD_IDENT},
    {0, 0},
};

/* smtp_pix_workarounds words. */
static const NAME_MASK smtp_pix_names[] = {
    {"disable_esmtp", SMTP_PIX_DISABLE_ESMTP},
    {"delay_dotcrlf", SMTP_PIX_DELAY_DOTCRLF},
    {0, 0},
};

/* smtp_chat_cmd - queue one command line */

void    smtp_chat_cmd(SMTP_SESSION *session, const char *fmt,...)
{
    va_list ap;
    char   *cp;

    va_start(ap, fmt);
    vstring_vsprintf(session->scratch, fmt, ap);
    va_end(ap);
    /* A line end inside a command would be a second command. */
    if (strpbrk(vstring_str(session->scratch), "\r\n") != 0) {
	msg_warn("%s: line end in a command for %s; replaced with space",
		 session->log_id ? session->log_id : "smtp",
		 session->namaddrport);
	for (cp = vstring_str(session->scratch); *cp; cp++)
	    if (*cp == '\r' || *cp == '\n')
		*cp = ' ';
    }
    if (session->debug)
	msg_info("> %s: %s", session->namaddrport, vstring_str(session->scratch));
    smtp_notify_record(SMTP_NOTIFY_OUT, vstring_str(session->scratch),
		       VSTRING_LEN(session->scratch));
    vstring_strcat(session->scratch, "\r\n");
    (void) vstream_fwrite(session->stream, vstring_str(session->scratch),
			  VSTRING_LEN(session->scratch));
}

/* smtp_chat_error - the kind of a stream failure */

int     smtp_chat_error(SMTP_SESSION *session)
{
    return (vstream_ftimeout(session->stream) ? SMTP_ERR_TIME : SMTP_ERR_EOF);
}

/* smtp_chat_flush - send what is queued */

int     smtp_chat_flush(SMTP_SESSION *session)
{
    if (vstream_fflush(session->stream) == VSTREAM_EOF
	|| vstream_ferror(session->stream))
	return (smtp_chat_error(session));
    return (0);
}

/* smtp_xtext - RFC 3461 xtext encoding */

const char *smtp_xtext(VSTRING *buf, const char *str)
{
    const unsigned char *cp;

    VSTRING_RESET(buf);
    for (cp = (const unsigned char *) str; *cp; cp++) {
	if (*cp < 33 || *cp > 126 || *cp == '+' || *cp == '=')
	    vstring_sprintf_append(buf, "+%02X", *cp);
	else
	    VSTRING_ADDCH(buf, *cp);
    }
    VSTRING_TERMINATE(buf);
    return (vstring_str(buf));
}

/* helo_command - "EHLO", "HELO" or "LHLO" by mode and choice */

static const char *helo_command(int esmtp)
{
    return (smtp_mode == 0 ? "LHLO" : esmtp ? "EHLO" : "HELO");
}

/* helo_pix_mask - the workaround names in words; others ignored, as Debian */

static unsigned helo_pix_mask(const char *words)
{
    char   *copy = mystrdup(words);
    char   *cp = copy;
    char   *word;
    unsigned mask = 0;
    unsigned one;

    while ((word = mystrtok(&cp, CHARS_COMMA_SP "|")) != 0) {
	one = 0;
	if (name_mask_opt(SMTP_PARAM_NAME(pix_workarounds), smtp_pix_names,
			  word, NAME_MASK_ANY_CASE | NAME_MASK_RETURN,
			  &one, 0))
	    mask |= one;
    }
    myfree(copy);
    return (mask);
}

/* helo_pix_setup - enable the PIX workarounds for a masked banner */

static void helo_pix_setup(SMTP_STATE *state, const SMTP_RESP *resp)
{
    static SMTP_MAPS lazy;
    MAPS   *pix_maps = smtp_maps_get(&lazy, STR_PARAM_smtp_pix_workaround_maps,
				     STR_PARAM_lmtp_pix_workaround_maps);
    SMTP_SESSION *session = state->session;
    const char *text = vstring_str(resp->str);
    const char *words = 0;
    VSTRING *names;
    unsigned pix;
    unsigned configured;
    time_t  arrival = state->request->stats.incoming_arrival.tv_sec;

    /*
     * A greeting whose text is nothing but "*" characters, or nothing at
     * all (Debian's smtp(8) takes "220" alone for a PIX too, and not a
     * multi-line greeting: the joined text has the second code in it).
     */
    text += strlen(text) > 4 ? 4 : strlen(text);
    if (text[strspn(text, "*")] != 0)
	return;
    if (pix_maps) {
	if (*session->addr)
	    words = maps_find(pix_maps, session->addr, 0);
	if (words == 0 && pix_maps->error == 0)
	    words = maps_find(pix_maps, session->host, 0);
    }
    if (words == 0)
	words = smtp_param_str(STR_PARAM_smtp_pix_workarounds,
			       STR_PARAM_lmtp_pix_workarounds);
    configured = helo_pix_mask(words);
    pix = configured;
    /* The dot delay is for mail that has waited long already. */
    if ((pix & SMTP_PIX_DELAY_DOTCRLF)
	&& time((time_t *) 0) - arrival
	< smtp_param_time(TIME_PARAM_smtp_pix_workaround_threshold_time,
			  TIME_PARAM_lmtp_pix_workaround_threshold_time))
	pix &= ~SMTP_PIX_DELAY_DOTCRLF;
    /* The session keeps what is configured; each message checks its age. */
    session->pix_flags = (int) configured;
    /* Logged when any is configured, with what is left (maybe none). */
    if (configured) {
	names = vstring_alloc(50);
	msg_info("%s: enabling PIX workarounds: %s for %s",
		 state->request->queue_id,
		 str_name_mask_opt(names, "pix workarounds", smtp_pix_names,
				   pix, NAME_MASK_SPACE),
		 session->namaddrport);
	vstring_free(names);
    }
}

/* helo_discard_list - the EHLO keywords to ignore for this server */

static ARGV *helo_discard_list(SMTP_SESSION *session)
{
    static SMTP_MAPS lazy;
    MAPS   *discard_maps = smtp_maps_get(&lazy,
			    STR_PARAM_smtp_discard_ehlo_keyword_address_maps,
			    STR_PARAM_lmtp_discard_lhlo_keyword_address_maps);
    const char *words = 0;

    if (discard_maps && *session->addr)
	words = maps_find(discard_maps, session->addr, 0);
    if (words == 0)
	words = smtp_param_str(STR_PARAM_smtp_discard_ehlo_keywords,
			       STR_PARAM_lmtp_discard_lhlo_keywords);
    return (argv_split(words, ", \t\r\n"));
}

/* helo_listed - is keyword in the list (case-insensitive)? */

static int helo_listed(const ARGV *list, const char *keyword)
{
    size_t  i;

    for (i = 0; i < list->argc; i++)
	if (strcasecmp(list->argv[i], keyword) == 0)
	    return (1);
    return (0);
}

/* helo_word - the bits of one known word, 0 for an unknown one */

static int helo_word(const NAME_MASK *table, const char *word)
{
    unsigned result = 0;

    if (!name_mask_opt("EHLO keyword", table, word,
		       NAME_MASK_ANY_CASE | NAME_MASK_RETURN, &result, 0))
	return (0);
    return ((int) result);
}

/* helo_features - the features of the EHLO/LHLO reply lines */

static void helo_features(SMTP_SESSION *session, const SMTP_RESP *resp)
{
    ARGV   *discard = helo_discard_list(session);
    VSTRING *dropped = vstring_alloc(50);
    int     silent = helo_listed(discard, "silent-discard");
    size_t  i;

    session->features = SMTP_FEATURE_ESMTP;
    session->size_limit = 0;
    for (i = 1; resp->lines && i < resp->lines->argc; i++) {
	char   *line = mystrdup(resp->lines->argv[i]);
	char   *cp = line + (strlen(line) > 4 ? 4 : strlen(line));
	char   *keyword;
	char   *arg;

	if ((keyword = mystrtok(&cp, " \t=")) == 0) {
	    myfree(line);
	    continue;
	}
	if (helo_listed(discard, keyword)) {
	    vstring_sprintf_append(dropped, "%s%s",
				   VSTRING_LEN(dropped) ? " " : "", keyword);
	    myfree(line);
	    continue;
	}
	uppercase(keyword);
	if (strcmp(keyword, "XFORWARD") == 0) {
	    while ((arg = mystrtok(&cp, " \t")) != 0)
		session->features |= helo_word(smtp_xforward_names, arg);
	} else if (strcmp(keyword, "SIZE") == 0) {
	    session->features |= SMTP_FEATURE_SIZE;
	    if ((arg = mystrtok(&cp, " \t")) != 0 && alldig(arg)
		&& strlen(arg) < 19)
		session->size_limit = (off_t) strtoll(arg, (char **) 0, 10);
	} else if (strcmp(keyword, "AUTH") == 0) {
	    session->features |= SMTP_FEATURE_AUTH;
	} else {
	    session->features |= helo_word(smtp_feature_names, keyword);
	}
	myfree(line);
    }
    /* SMTPUTF8 implies 8BITMIME (RFC 6531); Debian's smtp(8) agrees. */
    if ((session->features & SMTP_FEATURE_SMTPUTF8)
	&& !(session->features & SMTP_FEATURE_8BITMIME)) {
	msg_warn("host %s offers SMTPUTF8 support, but not 8BITMIME",
		 session->namaddr);
	session->features |= SMTP_FEATURE_8BITMIME;
    }
    if (VSTRING_LEN(dropped) && !silent)
	/* "EHLO" for LMTP too, as Debian's lmtp(8) logs it. */
	msg_info("discarding EHLO keywords: %s", vstring_str(dropped));
    vstring_free(dropped);
    argv_free(discard);
}

/* helo_greeting_name - the server's name from a reply's first line */

static void helo_greeting_name(SMTP_SESSION *session, const SMTP_RESP *resp)
{
    const char *line = resp->lines && resp->lines->argc ?
    resp->lines->argv[0] : "";
    size_t  len;

    line += strlen(line) > 4 ? 4 : strlen(line);
    len = strcspn(line, " \t");
    if (len > 255)
	len = 255;
    myfree(session->helo);
    session->helo = mystrndup(line, len);
}

/* helo_send - send one EHLO/HELO/LHLO and read the reply */

static int helo_send(SMTP_STATE *state, int esmtp, SMTP_RESP *resp)
{
    SMTP_SESSION *session = state->session;
    const char *name = smtp_param_str(STR_PARAM_smtp_helo_name,
				      STR_PARAM_lmtp_lhlo_name);
    int     err;

    smtp_chat_cmd(session, "%s %s", helo_command(esmtp), name);
    if ((err = smtp_reply_read(session, resp)) != 0) {
	session->broken = 1;
	vstring_sprintf(state->scratch2, "performing the %s handshake",
			helo_command(esmtp));
	return (smtp_stream_except(state, err, vstring_str(state->scratch2)));
    }
    return (0);
}

/* smtp_helo - greeting, EHLO/HELO/LHLO, features */

int     smtp_helo(SMTP_STATE *state)
{
    SMTP_SESSION *session = state->session;
    SMTP_RESP resp;
    int     esmtp;
    int     err;
    int     ret = -1;

    session->log_id = state->request->queue_id;
    if (session->reused)
	return (0);
    smtp_resp_init(&resp);
    smtp_session_deadline(session,
			  smtp_param_time(TIME_PARAM_smtp_helo_timeout,
					  TIME_PARAM_lmtp_lhlo_timeout));

    /* The greeting. */
    if ((err = smtp_reply_read(session, &resp)) != 0) {
	session->broken = 1;
	ret = smtp_stream_except(state, err,
				 "receiving the initial server greeting");
	goto done;
    }
    if (!smtp_resp_ok(&resp)) {
	/* smtp_sess_fail() applies smtp_skip_5xx_greeting. */
	/* QUIT first: a server that said 421 hangs up soon. */
	(void) smtp_quit(state);
	ret = smtp_sess_fail(state, &resp, "initial server greeting");
	goto done;
    }
    helo_pix_setup(state, &resp);

    /* EHLO or HELO; LMTP has only LHLO. */
    if (smtp_mode == 0)
	esmtp = 1;
    else if (VAR_BOOL(smtp_never_send_ehlo)
	     || (session->pix_flags & SMTP_PIX_DISABLE_ESMTP))
	esmtp = 0;
    else if (VAR_BOOL(smtp_always_send_ehlo))
	esmtp = 1;
    else
	esmtp = (strstr(vstring_str(resp.str), "ESMTP") != 0);
    if (helo_send(state, esmtp, &resp) != 0)
	goto done;
    if (esmtp && smtp_mode && !smtp_resp_ok(&resp) && resp.code != 421) {
	esmtp = 0;
	if (helo_send(state, esmtp, &resp) != 0)
	    goto done;
    }
    if (!smtp_resp_ok(&resp)) {
	vstring_sprintf(state->scratch2, "%s command", helo_command(esmtp));
	/* Debian's smtp(8) says QUIT here, after a 421 too. */
	(void) smtp_quit(state);
	ret = smtp_sess_fail(state, &resp, vstring_str(state->scratch2));
	goto done;
    }
    helo_greeting_name(session, &resp);
    if (esmtp)
	helo_features(session, &resp);
    else
	session->features = 0;

    /*
     * STARTTLS goes here (next issue): when the server offers it and the
     * policy asks for it, send STARTTLS, wrap session->stream, keep the
     * TLS state in session->tls_context, and send EHLO again.
     */
    ret = 0;

done:
    smtp_resp_free(&resp);
    return (ret);
}

/* smtp_rset - reset a reused session before the next transaction */

int     smtp_rset(SMTP_STATE *state)
{
    SMTP_SESSION *session = state->session;
    SMTP_RESP resp;
    int     ret;

    if (session->quit_sent || session->broken)
	return (-1);
    session->log_id = state->request->queue_id;
    smtp_resp_init(&resp);
    smtp_session_deadline(session, SMTP_TIME(rset_timeout));
    smtp_chat_cmd(session, "RSET");
    ret = (smtp_reply_read(session, &resp) == 0 && smtp_resp_ok(&resp)) ?
	0 : -1;
    if (ret < 0)
	session->broken = 1;
    smtp_resp_free(&resp);
    return (ret);
}

/* smtp_quit - say goodbye */

int     smtp_quit(SMTP_STATE *state)
{
    SMTP_SESSION *session = state->session;
    SMTP_RESP resp;
    int     ret = 0;

    if (session->quit_sent)
	return (0);
    if (session->broken)
	return (-1);
    session->quit_sent = 1;
    smtp_session_deadline(session, SMTP_TIME(quit_timeout));
    smtp_chat_cmd(session, "QUIT");
    if (SMTP_BOOL(skip_quit_response))
	return (smtp_chat_flush(session) ? -1 : 0);
    smtp_resp_init(&resp);
    if (smtp_reply_read(session, &resp) != 0)
	ret = -1;
    smtp_resp_free(&resp);
    return (ret);
}
