/*
 * cleanup_envelope - envelope records from the cleanup client
 *
 * SYNOPSIS
 *	#include "cleanup.h"
 *
 *	void	cleanup_envelope(CLEANUP_STATE *state, int type,
 *				const char *data, size_t len);
 *	void	cleanup_envelope_header(CLEANUP_STATE *state);
 *
 * DESCRIPTION
 *	cleanup_envelope() takes one envelope record of the client (the
 *	records of docs/internals/queue-file.md section 6 plus A, E, Y,
 *	O, o and n) and checks it:
 *
 *	T	arrival time "seconds.microseconds" (optional; cleanup uses
 *		the current time when there is none)
 *	F	envelope sender, exactly once, before any recipient
 *	A	"name=value", at most queue_file_attribute_count_limit
 *	E, Y	DSN ENVID and RET (1 or 2), at most once each
 *	O o n	original recipient, DSN ORCPT and NOTIFY (1..15) of the
 *		next R
 *	R	recipient: rewritten, mapped and written with its group
 *		(cleanup_addr_recipient())
 *	V	VERP delimiters (smtpd XVERP, sendmail -XV, qmqpd): two
 *		characters of $verp_delimiter_filter; as Postfix, a bad one
 *		or one for the null sender is logged and ignored, the
 *		message is accepted; the last good one wins
 *	I	FILTER transport:destination of an access table (smtpd)
 *	J	REDIRECT address of an access table (smtpd)
 *	M	end of the envelope
 *
 *	I and J may come anywhere in the envelope; the last one of each
 *	kind wins and is written after the X record by
 *	cleanup_extracted_end(), like the FILTER and REDIRECT actions of
 *	header_checks.
 *	T, F, A, E, Y and V must come before the first recipient group;
 *	they are written in the order of the queue file layout by
 *	cleanup_envelope_header(), as Postfix orders them: T, the
 *	attributes create_time (now), rewrite_context and full_name, F,
 *	the other attributes, E, Y, V, a W record (only when
 *	delay_warning_time is set) and an I record (content_filter), when
 *	the first recipient group or M arrives. Anything else, a record out
 *	of order, a null byte or a newline in an address, or a malformed
 *	value is a protocol error: CLEANUP_STAT_BAD "5.3.0 bad message
 *	format" with a warning naming the record.
 *
 * DIAGNOSTICS
 *	Warnings: "<id>: <what> in envelope record from client";
 *	Postfix's "<id>: ignoring bad VERP request: \"<data>\"" and
 *	"<id>: ignoring VERP request for null sender".
 */
#include "sys_defs.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "mail_params.h"
#include "rec_type.h"
#include "verp_delims.h"
#include "cleanup.h"

/* cleanup_envelope_bad - a protocol error in the envelope */
static void cleanup_envelope_bad(CLEANUP_STATE *state, int type,
				         const char *what)
{
    msg_warn("%s: %s in %s record from client", state->queue_id, what,
	     rec_type_name(type));
    cleanup_state_error(state, CLEANUP_STAT_BAD, "5.3.0 bad message format");
}

/* cleanup_envelope_text_ok - no null byte and no newline */
static bool cleanup_envelope_text_ok(const char *data, size_t len)
{
    return memchr(data, 0, len) == 0 && memchr(data, '\n', len) == 0
	&& memchr(data, '\r', len) == 0;
}

/* cleanup_envelope_time - parse "seconds.microseconds" */
static bool cleanup_envelope_time(CLEANUP_STATE *state, const char *data)
{
    const char *dot = strchr(data, '.');
    char   *end;
    long    sec;
    long    usec;

    if (dot == 0 || dot == data || dot - data > 12 || strlen(dot + 1) < 1
	|| strlen(dot + 1) > 6)
	return false;
    sec = strtol(data, &end, 10);
    if (end != dot || sec < 0 || !isdigit((unsigned char) *data))
	return false;
    if (!isdigit((unsigned char) dot[1]))
	return false;
    usec = strtol(dot + 1, &end, 10);
    if (*end != 0 || usec < 0 || usec > 999999)
	return false;
    state->arrival.tv_sec = (time_t) sec;
    state->arrival.tv_usec = (suseconds_t) usec;
    state->time_seen = true;
    return true;
}

/* cleanup_envelope_attr - one A record */
static void cleanup_envelope_attr(CLEANUP_STATE *state, const char *data)
{
    const char *eq = strchr(data, '=');
    const char *cp;
    const char *value;
    size_t  name_len;
    char  **slot = 0;

    if (eq == 0 || eq == data || eq - data > 64) {
	cleanup_envelope_bad(state, REC_TYPE_ATTR, "malformed attribute");
	return;
    }
    for (cp = data; cp < eq; cp++) {
	if (!(islower((unsigned char) *cp) || isdigit((unsigned char) *cp) || *cp == '_')) {
	    cleanup_envelope_bad(state, REC_TYPE_ATTR, "bad attribute name");
	    return;
	}
    }
    if ((long) state->attrs->argc >= VAR_INT(queue_file_attribute_count_limit)) {
	cleanup_envelope_bad(state, REC_TYPE_ATTR, "too many attribute records");
	return;
    }
    name_len = (size_t) (eq - data);
    value = eq + 1;
#define NAME_IS(n) (name_len == sizeof(n) - 1 && strncmp(data, n, name_len) == 0)
    if (NAME_IS("client_name"))
	slot = &state->client_name;
    else if (NAME_IS("client_address"))
	slot = &state->client_addr;
    else if (NAME_IS("sasl_username"))
	slot = &state->sasl_username;
    else if (NAME_IS("full_name"))
	slot = &state->full_name;
    else if (NAME_IS("rewrite_context")) {
	if (strcmp(value, "local") != 0 && strcmp(value, "remote") != 0) {
	    cleanup_envelope_bad(state, REC_TYPE_ATTR, "bad rewrite_context");
	    return;
	}
	slot = &state->rewrite_context;
    }
    if (slot != 0) {
	if (*slot != 0) {
	    cleanup_envelope_bad(state, REC_TYPE_ATTR, "duplicate attribute");
	    return;
	}
	*slot = mystrdup(value);
	/* These are written by cleanup_envelope_header(). */
	if (NAME_IS("rewrite_context") || NAME_IS("full_name"))
	    return;
    }
    argv_add(state->attrs, data, (char *) 0);
}

/* cleanup_envelope_header - write T A F A E Y W I once, before recipients */
void    cleanup_envelope_header(CLEANUP_STATE *state)
{
    size_t  i;
    long    delay = VAR_TIME(delay_warning_time);
    const char *filter = VAR_STR(content_filter);

    if (state->env_header_written)
	return;
    state->env_header_written = true;
    if (!state->time_seen)
	(void) gettimeofday(&state->arrival, (struct timezone *) 0);
    if (state->rewrite_context == 0)
	state->rewrite_context =
	    mystrdup(cleanup_context(state->client_addr, state->sasl_username));
    cleanup_out_fmt(state, REC_TYPE_TIME, "%ld.%06ld",
		    (long) state->arrival.tv_sec,
		    (long) state->arrival.tv_usec);
    cleanup_out_fmt(state, REC_TYPE_ATTR, "create_time=%ld",
		    (long) time((time_t *) 0));
    cleanup_out_fmt(state, REC_TYPE_ATTR, "rewrite_context=%s",
		    state->rewrite_context);
    if (state->full_name)
	cleanup_out_fmt(state, REC_TYPE_ATTR, "full_name=%s", state->full_name);
    cleanup_out_str(state, REC_TYPE_FROM, state->sender ? state->sender : "");
    for (i = 0; i < state->attrs->argc; i++)
	cleanup_out_str(state, REC_TYPE_ATTR, state->attrs->argv[i]);
    if (state->dsn_envid)
	cleanup_out_str(state, REC_TYPE_DSN_ENVID, state->dsn_envid);
    if (state->dsn_ret)
	cleanup_out_fmt(state, REC_TYPE_DSN_RET, "%d", state->dsn_ret);
    if (state->verp_delims && state->sender && *state->sender == 0)
	msg_warn("%s: ignoring VERP request for null sender",
		 state->queue_id);
    else if (state->verp_delims)
	cleanup_out_str(state, REC_TYPE_VERP, state->verp_delims);
    if (delay > 0)
	cleanup_out_fmt(state, REC_TYPE_WARN, "%ld",
			(long) state->arrival.tv_sec + delay);
    if (*filter)
	cleanup_out_str(state, REC_TYPE_FILTER, filter);
}

/* cleanup_envelope_int - parse a small decimal number */
static bool cleanup_envelope_int(const char *data, int lo, int hi, int *value)
{
    if (!alldig(data) || strlen(data) > 4)
	return false;
    *value = atoi(data);
    return *value >= lo && *value <= hi;
}

/* cleanup_envelope_replace - a string that a later record overrides */
static void cleanup_envelope_replace(char **slot, const char *value)
{
    myfree(*slot);
    *slot = mystrdup(value);
}

/* cleanup_envelope - one envelope record from the client */
void    cleanup_envelope(CLEANUP_STATE *state, int type, const char *data,
			         size_t len)
{
    int     value;

    if (!cleanup_envelope_text_ok(data, len)) {
	cleanup_envelope_bad(state, type, "null byte or line break");
	return;
    }
    if (state->env_header_written
	&& strchr("TFAEYV", type) != 0) {
	cleanup_envelope_bad(state, type, "record after the recipients");
	return;
    }
    switch (type) {
    case REC_TYPE_TIME:
	if (state->time_seen || !cleanup_envelope_time(state, data))
	    cleanup_envelope_bad(state, type, "bad or duplicate time");
	break;
    case REC_TYPE_FROM:
	if (state->sender != 0) {
	    cleanup_envelope_bad(state, type, "duplicate sender");
	    break;
	}
	cleanup_addr_sender(state, data);
	break;
    case REC_TYPE_ATTR:
	cleanup_envelope_attr(state, data);
	break;
    case REC_TYPE_DSN_ENVID:
	if (state->dsn_envid != 0 || len > 100)
	    cleanup_envelope_bad(state, type, "bad or duplicate ENVID");
	else
	    state->dsn_envid = mystrdup(data);
	break;
    case REC_TYPE_DSN_RET:
	if (state->dsn_ret != 0
	    || !cleanup_envelope_int(data, REC_DSN_RET_FULL, REC_DSN_RET_HDRS,
				     &state->dsn_ret))
	    cleanup_envelope_bad(state, type, "bad or duplicate RET");
	break;
    case REC_TYPE_VERP:
	if (verp_delims_check(data, len) != 0)
	    msg_warn("%s: ignoring bad VERP request: \"%.100s\"",
		     state->queue_id, data);
	else
	    cleanup_envelope_replace(&state->verp_delims, data);
	break;
    case REC_TYPE_ORCP:
    case REC_TYPE_DSN_ORCPT:
    case REC_TYPE_DSN_NOTIFY:
    case REC_TYPE_RCPT:
	if (state->sender == 0) {
	    cleanup_envelope_bad(state, type, "recipient before sender");
	    break;
	}
	cleanup_envelope_header(state);
	if (type == REC_TYPE_ORCP) {
	    if (state->orig_rcpt)
		cleanup_envelope_bad(state, type, "duplicate original recipient");
	    else
		state->orig_rcpt = mystrdup(data);
	} else if (type == REC_TYPE_DSN_ORCPT) {
	    if (state->dsn_orcpt || len > 500)
		cleanup_envelope_bad(state, type, "bad or duplicate ORCPT");
	    else
		state->dsn_orcpt = mystrdup(data);
	} else if (type == REC_TYPE_DSN_NOTIFY) {
	    if (state->dsn_notify
		|| !cleanup_envelope_int(data, 1, 15, &value)
		|| ((value & REC_DSN_NOTIFY_NEVER) && value != 1))
		cleanup_envelope_bad(state, type, "bad or duplicate NOTIFY");
	    else
		state->dsn_notify = value;
	} else {
	    cleanup_addr_recipient(state, state->orig_rcpt, data,
				   state->dsn_orcpt, state->dsn_notify);
	    myfree(state->orig_rcpt);
	    myfree(state->dsn_orcpt);
	    state->orig_rcpt = state->dsn_orcpt = 0;
	    state->dsn_notify = 0;
	}
	break;
    case REC_TYPE_FILTER:
	if (len == 0 || strchr(data, ':') == 0)
	    cleanup_envelope_bad(state, type, "bad FILTER");
	else
	    cleanup_envelope_replace(&state->filter, data);
	break;
    case REC_TYPE_REDIRECT:
	if (len == 0)
	    cleanup_envelope_bad(state, type, "bad REDIRECT");
	else
	    cleanup_envelope_replace(&state->redirect, data);
	break;
    case REC_TYPE_MESSAGE:
	if (state->sender == 0) {
	    cleanup_envelope_bad(state, type, "no sender");
	    break;
	}
	if (state->orig_rcpt || state->dsn_orcpt || state->dsn_notify) {
	    cleanup_envelope_bad(state, type, "recipient group without recipient");
	    break;
	}
	cleanup_envelope_header(state);
	if (state->dst != 0)
	    state->content_offset = vstream_ftell(state->dst);
	cleanup_out(state, REC_TYPE_MESSAGE, "", 0);
	state->env_done = true;
	break;
    default:
	cleanup_envelope_bad(state, type, "unexpected record type");
	break;
    }
}
