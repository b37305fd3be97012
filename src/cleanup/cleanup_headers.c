/*
 * cleanup_headers - primary message header processing of cleanup(8)
 *
 * SYNOPSIS
 *	#include "cleanup.h"
 *
 *	void	cleanup_headers_one(CLEANUP_STATE *state, VSTRING *header);
 *	void	cleanup_headers_end(CLEANUP_STATE *state);
 *
 * DESCRIPTION
 *	cleanup_headers_one() processes one logical primary header
 *	("Name: value", folded lines joined with newlines, already cut to
 *	header_size_limit), in this order:
 *
 *	1. header_checks (mime_header_checks for MIME headers), when the
 *	   client asked for content checks (CLEANUP_FLAG_FILTER); the
 *	   action may delete or replace the header or prepend one.
 *	2. Received: headers are counted; more than hopcount_limit
 *	   rejects the message with "5.4.0 too many hops" (and the
 *	   warning "<id>: message rejected: hopcount exceeded").
 *	3. The first Message-Id: and Resent-Message-Id: are logged as
 *	   "<id>: message-id=<...>" and "<id>: resent-message-id=<...>".
 *	4. Address headers (From:, To:, Cc:, Sender:, Reply-To: ... and
 *	   their Resent- forms) are rewritten when the rewriting context
 *	   allows it: always for local clients (rule "local"), for remote
 *	   clients only when remote_header_rewrite_domain is not empty
 *	   (rule "remote"). Each address goes through trivial-rewrite,
 *	   then (CLEANUP_FLAG_MAP_OK) canonical mapping and masquerading
 *	   of the header_sender or header_recipient class. At most
 *	   header_address_token_limit tokens of a header are parsed. A
 *	   header is rebuilt only when an address changed.
 *	5. With CLEANUP_FLAG_EXTRACT (sendmail -t), recipients are taken
 *	   from To:, Cc: and Bcc:, or from Resent-To:, Resent-Cc: and
 *	   Resent-Bcc: when the message has Resent- headers, at most
 *	   CLEANUP_EXTRACT_LIMIT of them, as written in the header (before
 *	   step 4): they become envelope recipients with that original
 *	   address, and get envelope rewriting and mapping.
 *	6. Headers named in message_drop_headers are removed; the others
 *	   are written.
 *
 *	cleanup_headers_end() runs at the end of the primary header
 *	section. For local clients, or with always_add_missing_headers,
 *	it adds the headers that are missing: Message-Id:, Date:, From:
 *	(header_from_format; "MAILER-DAEMON" for the null sender) and,
 *	when undisclosed_recipients_header is set and there is no To: or
 *	Cc:, that header; with Resent- headers the Resent- forms instead.
 *	An added Message-Id: or Resent-Message-Id: is logged when added;
 *	a message that has no Message-Id: at all then gets the log line
 *	"<id>: message-id=<>", in that order, as Postfix 3.7 logs them.
 *
 * DIAGNOSTICS
 *	Info: the message-id lines. Warning: "<id>: message rejected:
 *	hopcount exceeded", "<id>: too many recipients in headers".
 */
#include "sys_defs.h"

#include <ctype.h>
#include <string.h>
#include <time.h>

#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "mail_params.h"
#include "quote_822_local.h"
#include "rewrite_proto.h"
#include "tok822.h"
#include "cleanup.h"
#include "cleanup_header_fn.h"
#include "header_opts.h"
#include "is_header.h"

/* cleanup_headers_rule - the rewrite rule for headers, or NULL for none */
static const char *cleanup_headers_rule(CLEANUP_STATE *state)
{
    if (state->rewrite_context != 0
	&& strcmp(state->rewrite_context, REWRITE_RULE_LOCAL) == 0)
	return REWRITE_RULE_LOCAL;
    if (*VAR_STR(remote_header_rewrite_domain))
	return REWRITE_RULE_REMOTE;
    return 0;
}

/* cleanup_headers_is_local - does this client get missing headers? */
static bool cleanup_headers_is_local(CLEANUP_STATE *state)
{
    return (state->rewrite_context != 0
	    && strcmp(state->rewrite_context, REWRITE_RULE_LOCAL) == 0)
	|| VAR_BOOL(always_add_missing_headers);
}

/* cleanup_headers_addr_one - rewrite and map one header address node */
static bool cleanup_headers_addr_one(CLEANUP_STATE *state, const char *rule,
				             int class, TOK822 *addr)
{
    VSTRING *before = vstring_alloc(100);
    VSTRING *after = vstring_alloc(100);
    VSTRING *why = vstring_alloc(100);
    bool    changed = false;
    int     status;

    tok822_internalize(before, addr, TOK822_STR_WIPE | TOK822_STR_SINGLE);
    if (rule != 0 && VSTRING_LEN(before) > 0) {
	cleanup_addr_rewrite(state, rule, vstring_str(before), after);
	if (strcmp(vstring_str(before), vstring_str(after)) != 0) {
	    cleanup_maps_tree_set(addr, vstring_str(after));
	    changed = true;
	}
    }
    if ((state->flags & CLEANUP_FLAG_MAP_OK) && cleanup_maps != 0
	&& rule != 0 && addr->head != 0) {
	status = cleanup_canon_tree(cleanup_maps, class, addr, why);
	if (status == CLEANUP_MAP_FOUND)
	    changed = true;
	else if (status < 0)
	    cleanup_state_error(state, CLEANUP_STAT_WRITE, "%s",
				vstring_str(why));
	status = cleanup_masq_tree(cleanup_maps, class, addr, why);
	if (status == CLEANUP_MAP_FOUND)
	    changed = true;
	else if (status < 0)
	    cleanup_state_error(state, CLEANUP_STAT_WRITE, "%s",
				vstring_str(why));
    }
    vstring_free(before);
    vstring_free(after);
    vstring_free(why);
    return changed;
}

/* cleanup_headers_extract - remember the recipients of one header */
static void cleanup_headers_extract(CLEANUP_STATE *state, TOK822 **addrs,
				            ARGV *list)
{
    VSTRING *internal = vstring_alloc(100);
    TOK822 **tpp;

    for (tpp = addrs; *tpp; tpp++) {
	if ((*tpp)->head == 0)
	    continue;
	if (state->extracted->argc + state->extracted_resent->argc
	    >= CLEANUP_EXTRACT_LIMIT) {
	    msg_warn("%s: too many recipients in headers: keeping the first %d",
		     state->queue_id, CLEANUP_EXTRACT_LIMIT);
	    break;
	}
	tok822_internalize(internal, *tpp, TOK822_STR_WIPE | TOK822_STR_SINGLE);
	if (VSTRING_LEN(internal) > 0)
	    argv_add(list, vstring_str(internal), (char *) 0);
    }
    vstring_free(internal);
}

/* cleanup_headers_address - rewrite the addresses of an address header */
static void cleanup_headers_address(CLEANUP_STATE *state,
				            const HEADER_OPTS *opts,
				            VSTRING *header)
{
    const char *rule = cleanup_headers_rule(state);
    bool    extract = (state->flags & CLEANUP_FLAG_EXTRACT)
    && (opts->flags & HDR_OPT_EXTRACT);
    size_t  name_len = is_header_buf(vstring_str(header), VSTRING_LEN(header));
    const char *value;
    size_t  value_len;
    TOK822 *tree;
    TOK822 **addrs;
    TOK822 **tpp;
    bool    changed = false;
    int     class = (opts->flags & HDR_OPT_SENDER) ?
    CLEANUP_CLASS_HDR_SENDER : CLEANUP_CLASS_HDR_RCPT;
    VSTRING *text;

    if (rule == 0 && !extract)
	return;
    value = cleanup_header_value(vstring_str(header), VSTRING_LEN(header),
				 &value_len);
    tree = tok822_parse_limit(value,
			      (int) VAR_INT(header_address_token_limit));
    if (tree == 0)
	return;
    addrs = tok822_grep(tree, TOK822_ADDR);
    /* Extracted recipients go through envelope rewriting, as received. */
    if (extract)
	cleanup_headers_extract(state, addrs,
				(opts->flags & HDR_OPT_RESENT) ?
				state->extracted_resent : state->extracted);
    for (tpp = addrs; *tpp; tpp++)
	if (cleanup_headers_addr_one(state, rule, class, *tpp))
	    changed = true;
    if (changed) {
	text = vstring_alloc(100);
	tok822_externalize(text, tree, TOK822_STR_DEFL);
	if (VSTRING_LEN(text) + name_len + 2 > 78)
	    tok822_externalize(text, tree, TOK822_STR_WIPE | TOK822_STR_LINE);
	vstring_truncate(header, name_len);
	vstring_strcat(header, ": ");
	vstring_memcat(header, vstring_str(text), VSTRING_LEN(text));
	VSTRING_TERMINATE(header);
	vstring_free(text);
    }
    myfree(addrs);
    tok822_free_tree(tree);
}

/* cleanup_headers_value_copy - a header value as one line, for the log */
static char *cleanup_headers_value_copy(VSTRING *header)
{
    size_t  len;
    const char *value = cleanup_header_value(vstring_str(header),
					     VSTRING_LEN(header), &len);
    char   *copy = mystrndup(value, len);
    char   *cp;

    for (cp = copy; *cp; cp++)
	if (*cp == '\n' || *cp == '\t')
	    *cp = ' ';
    (void) trim_whitespace(copy);		/* leading blanks are gone */
    return copy;
}

/* cleanup_headers_checks - header_checks; false: delete the header */
static bool cleanup_headers_checks(CLEANUP_STATE *state, VSTRING *header)
{
    CLEANUP_LOG_CONTEXT ctx;
    size_t  name_len;
    int     class;

    if ((state->flags & CLEANUP_FLAG_FILTER) == 0 || cleanup_maps == 0
	|| state->checks_off)
	return true;
    name_len = is_header_buf(vstring_str(header), VSTRING_LEN(header));
    class = header_opts_is_mime(vstring_str(header), name_len) ?
	CLEANUP_CHECK_MIME_HEADER : CLEANUP_CHECK_HEADER;
    cleanup_message_log_context(state, &ctx);
    if (cleanup_checks_header(cleanup_maps, class, vstring_str(header),
			      VSTRING_LEN(header), &ctx, state->check)
	== CLEANUP_ACT_NONE)
	return true;
    return cleanup_message_action(state, state->check, class, header);
}

/* cleanup_headers_seen - the hdr_seen bit of a header id */
static int cleanup_headers_seen(int id)
{
    static const int seen[][2] = {
	{HDR_FROM, CLEANUP_HDR_FROM},
	{HDR_DATE, CLEANUP_HDR_DATE},
	{HDR_MESSAGE_ID, CLEANUP_HDR_MSGID},
	{HDR_TO, CLEANUP_HDR_TO},
	{HDR_CC, CLEANUP_HDR_CC},
	{HDR_BCC, CLEANUP_HDR_BCC},
	{HDR_SENDER, CLEANUP_HDR_SENDER},
	{HDR_RESENT_FROM, CLEANUP_HDR_RESENT_FROM},
	{HDR_RESENT_DATE, CLEANUP_HDR_RESENT_DATE},
	{HDR_RESENT_MESSAGE_ID, CLEANUP_HDR_RESENT_MSGID},
	{HDR_RESENT_TO, CLEANUP_HDR_RESENT_TO},
	{HDR_RESENT_CC, CLEANUP_HDR_RESENT_CC},
	{HDR_RESENT_BCC, CLEANUP_HDR_RESENT_BCC},
    };
    size_t  i;

    for (i = 0; i < ARRAY_LEN(seen); i++)
	if (seen[i][0] == id)
	    return seen[i][1];
    return 0;
}

/* cleanup_headers_one - process one primary header */
void    cleanup_headers_one(CLEANUP_STATE *state, VSTRING *header)
{
    const HEADER_OPTS *opts;
    size_t  name_len;

    if (!cleanup_headers_checks(state, header))
	return;
    /* REPLACE may have changed the header. */
    opts = header_opts_find_line(vstring_str(header), VSTRING_LEN(header));
    state->hdr_count++;
    if (opts != 0) {
	if (opts->flags & HDR_OPT_RESENT)
	    state->hdr_seen |= CLEANUP_HDR_RESENT_ANY;
	state->hdr_seen |= cleanup_headers_seen(opts->id);
	if (opts->id == HDR_RECEIVED
	    && ++state->hop_count > VAR_INT(hopcount_limit)
	    && (state->errs & CLEANUP_STAT_HOPS) == 0) {
	    msg_warn("%s: message rejected: hopcount exceeded",
		     state->queue_id);
	    cleanup_state_error(state, CLEANUP_STAT_HOPS,
				"5.4.0 too many hops");
	} else if (opts->id == HDR_MESSAGE_ID && state->message_id == 0) {
	    state->message_id = cleanup_headers_value_copy(header);
	    msg_info("%s: message-id=%s", state->queue_id, state->message_id);
	} else if (opts->id == HDR_RESENT_MESSAGE_ID
		   && state->resent_message_id == 0) {
	    state->resent_message_id = cleanup_headers_value_copy(header);
	    msg_info("%s: resent-message-id=%s", state->queue_id,
		     state->resent_message_id);
	}
	if (opts->flags & (HDR_OPT_SENDER | HDR_OPT_RECIP))
	    cleanup_headers_address(state, opts, header);
    }
    name_len = is_header_buf(vstring_str(header), VSTRING_LEN(header));
    if (cleanup_header_in_list(vstring_str(header), name_len,
			       VAR_STR(message_drop_headers)))
	return;
    cleanup_out_header(state, vstring_str(header), VSTRING_LEN(header));
}

/* cleanup_headers_add - write one added header */
static void cleanup_headers_add(CLEANUP_STATE *state, const char *name,
				        const char *value)
{
    VSTRING *text = vstring_alloc(100);

    vstring_sprintf(text, "%s: %s", name, value);
    cleanup_out_header(state, vstring_str(text), VSTRING_LEN(text));
    vstring_free(text);
}

/* cleanup_headers_end - add missing headers, log the message IDs */
void    cleanup_headers_end(CLEANUP_STATE *state)
{
    bool    resent = (state->hdr_seen & CLEANUP_HDR_RESENT_ANY) != 0;
    VSTRING *value = vstring_alloc(100);
    VSTRING *quoted = vstring_alloc(100);
    const char *undisclosed = VAR_STR(undisclosed_recipients_header);
    const char *sender = state->sender ? state->sender : "";

    if (cleanup_headers_is_local(state) && cleanup_out_ok(state)) {
	if ((state->hdr_seen & (resent ? CLEANUP_HDR_RESENT_MSGID :
				CLEANUP_HDR_MSGID)) == 0) {
	    /* Postfix stamps the ID with the time of cleanup, not arrival. */
	    cleanup_header_msgid(value, time((time_t *) 0),
				 state->queue_id, VAR_STR(myhostname));
	    cleanup_headers_add(state, resent ? "Resent-Message-Id" :
				"Message-Id", vstring_str(value));
	    if (resent && state->resent_message_id == 0) {
		state->resent_message_id = mystrdup(vstring_str(value));
		msg_info("%s: resent-message-id=%s", state->queue_id,
			 state->resent_message_id);
	    } else if (!resent && state->message_id == 0) {
		state->message_id = mystrdup(vstring_str(value));
		msg_info("%s: message-id=%s", state->queue_id,
			 state->message_id);
	    }
	}
	if ((state->hdr_seen & (resent ? CLEANUP_HDR_RESENT_DATE :
				CLEANUP_HDR_DATE)) == 0) {
	    cleanup_header_date(value, state->arrival.tv_sec);
	    cleanup_headers_add(state, resent ? "Resent-Date" : "Date",
				vstring_str(value));
	}
	if ((state->hdr_seen & (resent ? CLEANUP_HDR_RESENT_FROM :
				CLEANUP_HDR_FROM)) == 0) {
	    /* The null sender gets "From: MAILER-DAEMON", no full name. */
	    if (*sender == 0)
		vstring_strcpy(quoted, "MAILER-DAEMON");
	    else
		quote_822_local(quoted, sender);
	    cleanup_header_from(value, *sender ? state->full_name : (char *) 0,
				vstring_str(quoted),
				strcmp(VAR_STR(header_from_format),
				       "obsolete") == 0);
	    cleanup_headers_add(state, resent ? "Resent-From" : "From",
				vstring_str(value));
	}
	if ((state->hdr_seen & (resent ?
				(CLEANUP_HDR_RESENT_TO | CLEANUP_HDR_RESENT_CC) :
				(CLEANUP_HDR_TO | CLEANUP_HDR_CC))) == 0
	    && *undisclosed && is_header(undisclosed))
	    cleanup_out_header(state, undisclosed, strlen(undisclosed));
    }
    /* Logged as seen or added; Postfix logs an empty one at the end. */
    if (state->message_id == 0)
	msg_info("%s: message-id=<>", state->queue_id);
    vstring_free(value);
    vstring_free(quoted);
}
