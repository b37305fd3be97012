/*
 * smtpd_data - the queue file side of an SMTP transaction: DATA and BDAT
 *
 * SYNOPSIS
 *	#include "smtpd.h"
 *
 *	void	smtpd_data_init(void);
 *	const char *smtpd_data_open(SMTPD_STATE *state);
 *	void	smtpd_data_rcpt(SMTPD_STATE *state, const char *recipient,
 *				const char *orcpt, int notify);
 *	void	smtpd_data_abort(SMTPD_STATE *state);
 *	int	smtpd_cmd_data(SMTPD_STATE *state, int argc, char **argv);
 *	int	smtpd_cmd_bdat(SMTPD_STATE *state, int argc, char **argv);
 *
 * DESCRIPTION
 *	smtpd_data_init() checks smtpd_forbid_bare_newline (a bad value is
 *	fatal, as in Postfix) and opens the tables of
 *	smtpd_forbid_bare_newline_exclusions; call it before any chroot.
 *	(It runs again, doing nothing, at the first DATA or BDAT.)
 *
 *	smtpd_data_open() connects to public/$cleanup_service_name at the
 *	first accepted recipient, logs "<id>: client=name[addr]" and
 *	writes the envelope so far: T (now), F, the client attributes
 *	(client_name, reverse_client_name, client_address, client_port,
 *	helo_name, protocol, the XFORWARD ones), E and Y. cleanup(8)
 *	decides rewrite_context from client_address itself
 *	(local_header_rewrite_clients), as Postfix's smtpd and cleanup do
 *	together. The request flags are Postfix's for smtpd: header/body
 *	checks, address mappings and automatic BCC unless
 *	receive_override_options says otherwise, SMTPUTF8 when the client
 *	asked for it (with smtputf8_enable), HOLD and DISCARD from access
 *	actions seen so far.
 *
 *	smtpd -S (sendmail -bs) goes through postdrop instead, as
 *	Postfix's does (cleanup_client_open_postdrop()): it writes a
 *	maildrop file (Q T F, the DSN RET and ENVID as attributes, R, M,
 *	the content, X, Z) whose name is the queue ID that it logs and
 *	replies with; pickup(8) queues it under a new ID. A maildrop file
 *	carries no client attributes, per-recipient DSN records, FILTER,
 *	REDIRECT, HOLD or DISCARD.
 *
 *	smtpd_data_rcpt() writes one recipient group: O (as received),
 *	o (the DSN ORCPT, or "rfc822;<recipient>" with the local part
 *	quoted as in RFC 5322, as Postfix records one), n (NOTIFY) and R.
 *
 *	smtpd_cmd_data() and smtpd_cmd_bdat() receive the content
 *	(smtpd_data_content.c does the line work: dot-stuffing, line ends,
 *	the bare <LF> rules of smtpd_forbid_bare_newline), write the BCC
 *	recipients, FILTER and REDIRECT records and then the content: the
 *	PREPEND headers of access actions, the Received: header, the
 *	client's lines. message_size_limit is enforced while the client
 *	goes on sending (DATA), or per chunk (BDAT); at the end the
 *	end-of-data restrictions run, and the client gets cleanup's
 *	verdict: 250 only after cleanup has committed the file.
 *
 *	smtpd_data_abort() drops an open queue file with
 *	cleanup_client_abort(): cleanup removes its file and logs nothing.
 *
 *	A HOLD or DISCARD action decided after the queue file was opened
 *	(a later RCPT, DATA or end-of-data restriction) reaches cleanup as
 *	an f record (REC_TYPE_FLGS) before the next recipient, before the
 *	M record or before the X record.
 *
 *	Time limits: each read waits at most $smtpd_timeout; with
 *	smtpd_per_request_deadline (smtpd_per_record_deadline) each
 *	content line must arrive within $smtpd_timeout in total. A read
 *	that fails leaves state->where at "DATA (N bytes)" or "BDAT (N
 *	bytes)", for the "lost connection after"/"timeout after" line of
 *	the command loop.
 *
 * DIAGNOSTICS
 *	As Postfix 3.7: "<id>: client=...", "warning: <id>: queue file
 *	size limit exceeded", "warning: <id>: BDAT request from ...
 *	exceeds message size limit", "warning: <id>: malformed BDAT
 *	command syntax from ...: <command>", "<id>: reject: END-OF-MESSAGE
 *	from ...: bare <LF> received; from=<...> ...". Replies: see
 *	smtpd_data_verdict().
 */
#include "sys_defs.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/time.h>
#include <time.h>

#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "excerpt.h"
#include "vstream.h"
#include "vstring.h"
#include "argv.h"
#include "mail_params.h"
#include "mail_date.h"
#include "record.h"
#include "rec_type.h"
#include "quote_822_local.h"
#include "host_addr_list.h"
#include "cleanup_client.h"
#include "receive_override.h"
#include "maildrop_check.h"
#include "smtpd.h"
#include "smtpd_check.h"
#include "smtpd_data_content.h"

#define SMTPD_ORCPT_LIMIT	490	/* cleanup takes 500 bytes of o data */

#define SMTPD_DATA_ERR_WRITE	(1<<0)	/* cleanup stream failed */
#define SMTPD_DATA_ERR_SIZE	(1<<1)	/* message_size_limit */

/* One message being received (DATA, or a BDAT sequence). */
typedef struct SMTPD_XFER {
    SMTPD_STATE *state;			/* owner */
    SMTPD_CONTENT *content;		/* line assembler */
    VSTREAM *dst;			/* cleanup stream, or NULL */
    int     errs;			/* SMTPD_DATA_ERR_* */
    int     mode;			/* SMTPD_BARE_LF_* */
    long    raw_bytes;			/* BDAT bytes read */
    bool    discard;			/* BDAT: drop chunks after an error */
} SMTPD_XFER;

static SMTPD_XFER *smtpd_bdat_xfer;	/* the BDAT sequence in progress */
static HOST_ADDR_LIST *smtpd_bare_lf_exclusions;
static VSTRING *smtpd_data_where;	/* "DATA (N bytes)" */

/* smtpd_data_endpoint - public/$cleanup_service_name */
static char *smtpd_data_endpoint(void)
{
    return (concatenate("public/", VAR_STR(cleanup_service_name), (char *) 0));
}

/* smtpd_data_flags - the cleanup request flags for this transaction */
static int smtpd_data_flags(SMTPD_STATE *state)
{
    int     flags;

    flags = receive_override_flags(VAR_STR(receive_override_options),
				   CLEANUP_FLAG_MASK_EXTERNAL
				   | CLEANUP_FLAG_UNKNOWN_CHECK);
    if (VAR_BOOL(smtputf8_enable)) {
	if (state->flags & SMTPD_FLAG_SMTPUTF8)
	    flags |= CLEANUP_FLAG_SMTPUTF8;
	else if (receive_override_utf8_detect(
				       VAR_STR(smtputf8_autodetect_classes),
					      "smtpd"))
	    flags |= CLEANUP_FLAG_UTF8_DETECT;
    }
    if (state->saved_flags & SMTPD_SAVED_HOLD)
	flags |= CLEANUP_FLAG_HOLD;
    if (state->saved_flags & SMTPD_SAVED_DISCARD)
	flags |= CLEANUP_FLAG_DISCARD;
    return (flags);
}

/* smtpd_data_put_attr - one A record "name=value" */
static void smtpd_data_put_attr(VSTREAM *fp, const char *name,
				        const char *value)
{
    if (value != 0)
	record_fprintf(fp, REC_TYPE_ATTR, "%s=%s", name, value);
}

/*
 * smtpd -S (sendmail -bs) writes a maildrop file through postdrop, as
 * Postfix's does: public/cleanup is not for ordinary users.
 */
#define SMTPD_DATA_MAILDROP(state) \
    (((state)->flags & SMTPD_FLAG_STANDALONE) != 0)

/*
 * The HOLD and DISCARD bits that cleanup knows for the open queue file
 * (one file at a time per process).
 */
static int smtpd_data_flags_sent;

/* smtpd_data_sync_flags - tell cleanup a HOLD or DISCARD decided late */
static void smtpd_data_sync_flags(SMTPD_STATE *state, VSTREAM *fp)
{
    int     flags = smtpd_data_flags(state)
    & (CLEANUP_FLAG_HOLD | CLEANUP_FLAG_DISCARD);

    if ((flags & ~smtpd_data_flags_sent) == 0 || SMTPD_DATA_MAILDROP(state))
	return;
    record_fprintf(fp, REC_TYPE_FLGS, "%d", flags & ~smtpd_data_flags_sent);
    smtpd_data_flags_sent |= flags;
}

/* smtpd_data_maildrop_envelope - Q T F [A] of a maildrop file (smtpd -S) */
static void smtpd_data_maildrop_envelope(SMTPD_STATE *state, VSTREAM *fp,
					         struct timeval *now)
{
    record_puts(fp, REC_TYPE_FORMAT, REC_FORMAT_TEXT);
    record_fprintf(fp, REC_TYPE_TIME, "%ld.%06ld", (long) now->tv_sec,
		   (long) now->tv_usec);
    record_puts(fp, REC_TYPE_FROM, state->sender ? state->sender : "");
    if (state->dsn_ret)
	record_fprintf(fp, REC_TYPE_ATTR, "%s=%d", MAILDROP_ATTR_DSN_RET,
		       state->dsn_ret);
    if (state->dsn_envid && *state->dsn_envid)
	record_fprintf(fp, REC_TYPE_ATTR, "%s=%s", MAILDROP_ATTR_DSN_ENVID,
		       state->dsn_envid);
    if (state->verp_delims)
	record_puts(fp, REC_TYPE_VERP, state->verp_delims);
}

/* smtpd_data_open - connect to cleanup and write the envelope so far */
const char *smtpd_data_open(SMTPD_STATE *state)
{
    char   *endpoint = smtpd_data_endpoint();
    VSTRING *why = vstring_alloc(100);
    ARGV   *attrs = argv_alloc(8);
    struct timeval now;
    VSTREAM *fp;
    size_t  i;

    if (state->cleanup != 0)
	msg_panic("smtpd_data_open: queue file is already open");
    if (SMTPD_DATA_MAILDROP(state))
	state->cleanup = cleanup_client_open_postdrop(why);
    else
	state->cleanup = cleanup_client_open(endpoint, smtpd_data_flags(state),
					     why);
    myfree(endpoint);
    if (state->cleanup == 0) {
	msg_warn("%s", vstring_str(why));
	vstring_free(why);
	argv_free(attrs);
	return ("451 4.3.0 Error: queue file write error");
    }
    vstring_free(why);
    myfree(state->queue_id);
    state->queue_id = mystrdup(cleanup_client_queue_id(state->cleanup));
    msg_info("%s: client=%s%s", state->queue_id, state->namaddr,
	     smtpd_xforward_log(state));
    smtpd_data_flags_sent = smtpd_data_flags(state)
	& (CLEANUP_FLAG_HOLD | CLEANUP_FLAG_DISCARD);
    argv_truncate(state->rcpt_args, 0);

    fp = cleanup_client_stream(state->cleanup);
    (void) gettimeofday(&now, (struct timezone *) 0);
    if (SMTPD_DATA_MAILDROP(state)) {
	smtpd_data_maildrop_envelope(state, fp, &now);
	argv_free(attrs);
	return (0);
    }
    record_fprintf(fp, REC_TYPE_TIME, "%ld.%06ld", (long) now.tv_sec,
		   (long) now.tv_usec);
    record_puts(fp, REC_TYPE_FROM, state->sender ? state->sender : "");
    smtpd_data_put_attr(fp, "client_name", state->name);
    smtpd_data_put_attr(fp, "reverse_client_name", state->reverse_name);
    smtpd_data_put_attr(fp, "client_address", state->addr);
    smtpd_data_put_attr(fp, "client_port", state->port);
    smtpd_data_put_attr(fp, "helo_name", state->helo_name);
    smtpd_data_put_attr(fp, "protocol",
			state->protocol ? state->protocol : "SMTP");
    smtpd_xforward_attrs(state, attrs);
    for (i = 0; i < attrs->argc; i++)
	record_puts(fp, REC_TYPE_ATTR, attrs->argv[i]);
    argv_free(attrs);
    if (state->dsn_envid && *state->dsn_envid)
	record_puts(fp, REC_TYPE_DSN_ENVID, state->dsn_envid);
    if (state->dsn_ret)
	record_fprintf(fp, REC_TYPE_DSN_RET, "%d", state->dsn_ret);
    if (state->verp_delims)
	record_puts(fp, REC_TYPE_VERP, state->verp_delims);
    return (0);
}

/* smtpd_data_rcpt - write one recipient group */
void    smtpd_data_rcpt(SMTPD_STATE *state, const char *recipient,
			        const char *orcpt, int notify)
{
    VSTREAM *fp;
    const char *cp;
    const char *type = "rfc822";

    if (state->cleanup == 0)
	msg_panic("smtpd_data_rcpt: no queue file");
    fp = cleanup_client_stream(state->cleanup);
    argv_add(state->rcpt_args, recipient, (char *) 0);
    if (SMTPD_DATA_MAILDROP(state)) {
	/* A maildrop file has no per-recipient DSN records. */
	record_puts(fp, REC_TYPE_RCPT, recipient);
	return;
    }
    smtpd_data_sync_flags(state, fp);
    record_puts(fp, REC_TYPE_ORCP, recipient);
    if (orcpt != 0) {
	record_puts(fp, REC_TYPE_DSN_ORCPT, orcpt);
    } else if (strlen(recipient) <= SMTPD_ORCPT_LIMIT) {
	/* As Postfix: every recipient's DSN original, in external form. */
	VSTRING *quoted = quote_822_local(vstring_alloc(100), recipient);

	for (cp = recipient; *cp; cp++)
	    if (*(const unsigned char *) cp >= 0x80)
		type = "utf-8";
	record_fprintf(fp, REC_TYPE_DSN_ORCPT, "%s;%s", type,
		       vstring_str(quoted));
	vstring_free(quoted);
    }
    if (notify)
	record_fprintf(fp, REC_TYPE_DSN_NOTIFY, "%d", notify);
    record_puts(fp, REC_TYPE_RCPT, recipient);
}

/* smtpd_data_drop - end a cleanup conversation without a message */
static void smtpd_data_drop(SMTPD_STATE *state)
{
    if (state->cleanup == 0)
	return;
    cleanup_client_abort(state->cleanup);
    state->cleanup = 0;
}

/* smtpd_xfer_free - forget a message being received */
static void smtpd_xfer_free(SMTPD_XFER *xfer)
{
    if (xfer == smtpd_bdat_xfer)
	smtpd_bdat_xfer = 0;
    if (xfer->content)
	smtpd_content_free(xfer->content);
    myfree(xfer);
}

/* smtpd_data_abort - drop an open queue file */
void    smtpd_data_abort(SMTPD_STATE *state)
{
    smtpd_data_drop(state);
    if (smtpd_bdat_xfer != 0 && smtpd_bdat_xfer->state == state)
	smtpd_xfer_free(smtpd_bdat_xfer);
}

/* smtpd_data_init - check the parameters, open tables (before chroot) */
void    smtpd_data_init(void)
{
    const char *value = VAR_STR(smtpd_forbid_bare_newline);
    int     mode = smtpd_content_mode(value);

    /* As Postfix 3.7.11 says it, at process start. */
    if (mode < 0)
	msg_fatal("bad parameter value: '%s = %s'",
		  PARAM_NAME(smtpd_forbid_bare_newline), value);
    if (mode != SMTPD_BARE_LF_NO && smtpd_bare_lf_exclusions == 0)
	smtpd_bare_lf_exclusions =
	    host_addr_list_create(PARAM_NAME(smtpd_forbid_bare_newline_exclusions),
			     VAR_STR(smtpd_forbid_bare_newline_exclusions),
				  0);
}

/* smtpd_data_bare_lf_mode - smtpd_forbid_bare_newline for this client */
static int smtpd_data_bare_lf_mode(SMTPD_STATE *state)
{
    int     mode;

    smtpd_data_init();
    mode = smtpd_content_mode(VAR_STR(smtpd_forbid_bare_newline));
    if (mode == SMTPD_BARE_LF_NO)
	return (mode);
    if (host_addr_list_match(smtpd_bare_lf_exclusions, state->name,
			     state->addr) == 1)
	return (SMTPD_BARE_LF_NO);
    return (mode);
}

/* smtpd_data_size_exceeded - log once that the message is too big */
static void smtpd_data_size_exceeded(SMTPD_XFER *xfer)
{
    if ((xfer->errs & SMTPD_DATA_ERR_SIZE) == 0) {
	xfer->errs |= SMTPD_DATA_ERR_SIZE;
	msg_warn("%s: queue file size limit exceeded",
		 xfer->state->queue_id ? xfer->state->queue_id : "NOQUEUE");
    }
}

/* smtpd_data_put - one content record from the line assembler */
static void smtpd_data_put(void *context, int type, const char *data,
			           size_t len)
{
    SMTPD_XFER *xfer = context;
    long    limit = VAR_INT(message_size_limit);

    if (limit > 0 && smtpd_content_size(xfer->content) + (long) len > limit)
	smtpd_data_size_exceeded(xfer);
    if (xfer->errs || xfer->dst == 0)
	return;
    if (record_put(xfer->dst, type, data, len) != type)
	xfer->errs |= SMTPD_DATA_ERR_WRITE;
}

/* smtpd_data_protocol - the "with" word of the Received: header */
static void smtpd_data_protocol(SMTPD_STATE *state, VSTRING *buf)
{
    const char *proto = state->protocol ? state->protocol : "SMTP";

    /* As Postfix: SMTPUTF8 turns ESMTP into UTF8SMTP. */
    if ((state->flags & SMTPD_FLAG_SMTPUTF8) && *proto == 'E')
	vstring_sprintf(buf, "UTF8%s", proto + 1);
    else
	vstring_strcpy(buf, proto);
}

/* smtpd_data_received - the Received: header lines, as Postfix 3.7 */
static void smtpd_data_received(SMTPD_STATE *state, ARGV *lines)
{
    VSTRING *line = vstring_alloc(200);
    VSTRING *proto = vstring_alloc(20);
    VSTRING *date = vstring_alloc(64);
    VSTRING *quoted = vstring_alloc(100);

    mail_date(date, time((time_t *) 0));
    smtpd_data_protocol(state, proto);
    vstring_sprintf(line, "Received: from %s (%s [%s])",
		    state->helo_name ? state->helo_name : state->name,
		    state->name, state->rfc_addr);
    argv_add(lines, vstring_str(line), (char *) 0);
    vstring_sprintf(line, "\tby %s (%s) with %s id %s",
		    VAR_STR(myhostname), VAR_STR(mail_name),
		    vstring_str(proto), state->queue_id);
    if (state->rcpt_args->argc == 1) {
	argv_add(lines, vstring_str(line), (char *) 0);
	quote_822_local_flags(quoted, state->rcpt_args->argv[0], 0);
	vstring_sprintf(line, "\tfor <%s>; %s", vstring_str(quoted),
			vstring_str(date));
	argv_add(lines, vstring_str(line), (char *) 0);
    } else {
	vstring_strcat(line, ";");
	argv_add(lines, vstring_str(line), (char *) 0);
	vstring_sprintf(line, "\t%s", vstring_str(date));
	argv_add(lines, vstring_str(line), (char *) 0);
    }
    vstring_free(quoted);
    vstring_free(date);
    vstring_free(proto);
    vstring_free(line);
}

/* smtpd_data_start - envelope end and our headers, before the content */
static SMTPD_XFER *smtpd_data_start(SMTPD_STATE *state, bool dot_protocol)
{
    SMTPD_XFER *xfer = mymalloc(sizeof(*xfer));
    ARGV   *lines = argv_alloc(4);
    VSTREAM *fp;
    size_t  i;

    xfer->state = state;
    xfer->errs = 0;
    xfer->raw_bytes = 0;
    xfer->discard = false;
    xfer->mode = smtpd_data_bare_lf_mode(state);
    xfer->content = smtpd_content_create(xfer->mode, dot_protocol,
					 (size_t) VAR_INT(line_length_limit),
					 smtpd_data_put, (void *) xfer);
    xfer->dst = state->cleanup ? cleanup_client_stream(state->cleanup) : 0;
    if ((fp = xfer->dst) == 0)
	return (xfer);
    /* BCC actions: one more recipient, who gets no DSN. */
    for (i = 0; state->saved_bcc && i < state->saved_bcc->argc; i++) {
	if (!SMTPD_DATA_MAILDROP(state))
	    record_fprintf(fp, REC_TYPE_DSN_NOTIFY, "%d", REC_DSN_NOTIFY_NEVER);
	record_puts(fp, REC_TYPE_RCPT, state->saved_bcc->argv[i]);
    }
    /* A maildrop file carries no FILTER or REDIRECT (pickup refuses). */
    if (state->saved_filter && !SMTPD_DATA_MAILDROP(state))
	record_puts(fp, REC_TYPE_FILTER, state->saved_filter);
    if (state->saved_redirect && !SMTPD_DATA_MAILDROP(state))
	record_puts(fp, REC_TYPE_REDIRECT, state->saved_redirect);
    smtpd_data_sync_flags(state, fp);
    record_puts(fp, REC_TYPE_MESSAGE, "");
    for (i = 0; state->prepend && i < state->prepend->argc; i++)
	record_puts(fp, REC_TYPE_LINE, state->prepend->argv[i]);
    smtpd_data_received(state, lines);
    for (i = 0; i < lines->argc; i++)
	record_puts(fp, REC_TYPE_LINE, lines->argv[i]);
    argv_free(lines);
    if (vstream_ferror(fp))
	xfer->errs |= SMTPD_DATA_ERR_WRITE;
    return (xfer);
}

/* smtpd_data_set_where - "DATA (N bytes)" for the lost connection line */
static void smtpd_data_set_where(SMTPD_STATE *state, const char *command,
				         long bytes)
{
    if (smtpd_data_where == 0)
	smtpd_data_where = vstring_alloc(32);
    vstring_sprintf(smtpd_data_where, "%s (%ld bytes)", command, bytes);
    state->where = vstring_str(smtpd_data_where);
}

/* smtpd_data_read - feed client input to the assembler; false: lost */
static bool smtpd_data_read(SMTPD_XFER *xfer, long *remaining)
{
    VSTREAM *client = xfer->state->client;
    bool    deadline = VAR_BOOL(smtpd_per_request_deadline);
    long    last_size = -1;
    const unsigned char *data;
    size_t  avail;
    size_t  used;

    for (;;) {
	if (remaining != 0 && *remaining == 0)
	    return (true);
	if (remaining == 0 && smtpd_content_done(xfer->content))
	    return (true);
	/* A deadline per content line, not per message. */
	if (deadline && smtpd_content_size(xfer->content) != last_size) {
	    last_size = smtpd_content_size(xfer->content);
	    vstream_start_deadline(client);
	}
	if ((avail = vstream_peek_data(client, &data)) == 0)
	    return (false);
	if (remaining != 0 && (long) avail > *remaining)
	    avail = (size_t) *remaining;
	used = smtpd_content_feed(xfer->content, (const char *) data, avail);
	vstream_skip(client, used);
	if (remaining != 0)
	    *remaining -= (long) used;
	xfer->raw_bytes += (long) used;
    }
}

/* smtpd_data_log_reject - "<id>: reject: END-OF-MESSAGE from ..." */
static void smtpd_data_log_reject(SMTPD_STATE *state, const char *what)
{
    VSTRING *buf = vstring_alloc(200);

    vstring_sprintf(buf, "%s: reject: END-OF-MESSAGE from %s: %s;",
		    state->queue_id ? state->queue_id : "NOQUEUE",
		    state->namaddr, what);
    vstring_sprintf_append(buf, " from=<%s>",
			   state->sender ? state->sender : "");
    if (state->rcpt_args->argc == 1)
	vstring_sprintf_append(buf, " to=<%s>", state->rcpt_args->argv[0]);
    vstring_sprintf_append(buf, " proto=%s",
			   state->protocol ? state->protocol : "SMTP");
    if (state->helo_name)
	vstring_sprintf_append(buf, " helo=<%s>", state->helo_name);
    msg_info("%s", vstring_str(buf));
    vstring_free(buf);
}

/* smtpd_data_verdict - cleanup's status as Postfix's reply */
static void smtpd_data_verdict(SMTPD_STATE *state, int status,
			               const char *reason, long bytes,
			               bool bdat)
{
    if (status == CLEANUP_STAT_OK) {
	if (bdat)
	    smtpd_chat_reply(state, "250 2.0.0 Ok: %ld bytes queued as %s",
			     bytes, state->queue_id);
	else
	    smtpd_chat_reply(state, "250 2.0.0 Ok: queued as %s",
			     state->queue_id);
    } else if (status & CLEANUP_STAT_DEFER) {
	smtpd_chat_reply(state, "451 %s", *reason ? reason :
			 "4.7.1 Error: delivery temporarily suspended");
    } else if (status & CLEANUP_STAT_CONT) {
	smtpd_chat_reply(state, "550 %s", *reason ? reason :
			 "5.7.1 message content rejected");
    } else if (status & CLEANUP_STAT_SIZE) {
	smtpd_chat_reply(state, "552 5.3.4 Error: message file too big");
    } else if (status & CLEANUP_STAT_HOPS) {
	smtpd_chat_reply(state, "554 5.4.0 Error: too many hops");
    } else if (status & CLEANUP_STAT_RCPT) {
	smtpd_chat_reply(state, "550 5.1.0 Error: no recipients specified");
    } else if (status & CLEANUP_STAT_BAD) {
	smtpd_chat_reply(state, "451 4.3.0 Error: internal protocol error");
    } else {
	smtpd_chat_reply(state, "451 4.3.0 Error: queue file write error");
    }
}

/* smtpd_data_finish - end of the content: checks, commit, reply */
static int smtpd_data_finish(SMTPD_STATE *state, SMTPD_XFER *xfer, bool bdat)
{
    VSTRING *why;
    const char *reply;
    long    bytes = smtpd_content_size(xfer->content);
    int     status;
    int     result = -1;
    bool    keep_transaction = false;

    state->act_size = bytes;
    if (xfer->mode == SMTPD_BARE_LF_REJECT
	&& smtpd_content_bare_lf(xfer->content)) {
	smtpd_data_log_reject(state, "bare <LF> received");
	smtpd_data_drop(state);
	smtpd_chat_reply(state, "%ld 5.5.2 %s Error: bare <LF> received",
			 VAR_INT(smtpd_forbid_bare_newline_reject_code),
			 VAR_STR(myhostname));
	if (VAR_INT(smtpd_forbid_bare_newline_reject_code) == 521)
	    state->flags |= SMTPD_FLAG_HANGUP;
    } else if (xfer->errs & SMTPD_DATA_ERR_SIZE) {
	smtpd_data_drop(state);
	smtpd_chat_reply(state, "552 5.3.4 Error: message file too big");
    } else if ((xfer->errs & SMTPD_DATA_ERR_WRITE) || state->cleanup == 0) {
	smtpd_data_drop(state);
	smtpd_chat_reply(state, "451 4.3.0 Error: queue file write error");
    } else {
	state->where = "END-OF-MESSAGE";
	if ((reply = smtpd_check_eod(state)) != 0) {
	    /*
	     * As Postfix: an end-of-data restriction drops the queue file
	     * but not the transaction, so ETRN and MAIL stay refused until
	     * RSET, and a new RCPT opens a new queue file.
	     */
	    smtpd_data_drop(state);
	    smtpd_chat_reply(state, "%s", reply);
	    keep_transaction = true;
	} else {
	    why = vstring_alloc(100);
	    smtpd_data_sync_flags(state, xfer->dst);
	    record_puts(xfer->dst, REC_TYPE_EXTRACT, "");
	    record_puts(xfer->dst, REC_TYPE_END, "");
	    status = cleanup_client_close(state->cleanup, why);
	    state->cleanup = 0;
	    if (status != CLEANUP_STAT_OK && (status & CLEANUP_STAT_WRITE))
		msg_warn("%s: %s", state->queue_id, vstring_str(why));
	    smtpd_data_verdict(state, status, vstring_str(why), bytes, bdat);
	    vstring_free(why);
	    if (status == CLEANUP_STAT_OK)
		result = 0;
	}
    }
    smtpd_xfer_free(xfer);
    if (keep_transaction) {
	myfree(state->queue_id);
	state->queue_id = 0;
    } else
	smtpd_state_reset_transaction(state);
    /* As Postfix: XFORWARD attributes last for one message. */
    smtpd_xforward_reset(state);
    return (result);
}

/* smtpd_data_no_rcpt - the reply when there is no recipient (or NULL) */
static const char *smtpd_data_no_rcpt(SMTPD_STATE *state)
{
    if (state->rcpt_count > 0 && state->cleanup != 0)
	return (0);
    /* After an end-of-data rejection (Postfix 3.7 crashes here). */
    if (state->rcpt_count > 0)
	return ("503 5.5.1 Error: need RCPT command");
    if (state->sender == 0)
	return ("503 5.5.1 Error: need RCPT command");
    return ("554 5.5.1 Error: no valid recipients");
}

/* smtpd_data_timeouts - per-call or per-line time limits for content */
static void smtpd_data_timeouts(SMTPD_STATE *state)
{
    if (!VAR_BOOL(smtpd_per_request_deadline))
	vstream_set_timeout(state->client, VAR_TIME(smtpd_timeout));
}

/* smtpd_cmd_data - DATA */
int     smtpd_cmd_data(SMTPD_STATE *state, int argc, char **argv)
{
    SMTPD_XFER *xfer;
    const char *reply;

    (void) argv;
    if (state->bdat_active) {
	smtpd_chat_reply(state, "503 5.5.1 Error: DATA after BDAT");
	return (-1);
    }
    if ((reply = smtpd_data_no_rcpt(state)) != 0) {
	smtpd_chat_reply(state, "%s", reply);
	return (-1);
    }
    if (argc != 1) {
	smtpd_chat_reply(state, "501 5.5.4 Syntax: DATA");
	return (-1);
    }
    if ((reply = smtpd_check_data(state)) != 0) {
	smtpd_chat_reply(state, "%s", reply);
	return (-1);
    }
    xfer = smtpd_data_start(state, true);
    smtpd_chat_reply(state, "354 End data with <CR><LF>.<CR><LF>");
    smtpd_data_timeouts(state);
    if (!smtpd_data_read(xfer, (long *) 0)) {
	smtpd_data_set_where(state, "DATA",
			     smtpd_content_size(xfer->content));
	smtpd_xfer_free(xfer);
	smtpd_data_drop(state);
	return (-1);
    }
    return (smtpd_data_finish(state, xfer, false));
}

/* smtpd_bdat_count - parse "BDAT count [LAST]"; false: malformed */
static bool smtpd_bdat_count(int argc, char **argv, long *count, bool *last)
{
    const char *cp;
    char   *end;
    long long value;

    if (argc < 2 || argc > 3)
	return (false);
    for (cp = argv[1]; *cp; cp++)
	if (!isdigit((unsigned char) *cp))
	    return (false);
    if (cp == argv[1])
	return (false);
    errno = 0;
    value = strtoll(argv[1], &end, 10);
    if (errno == ERANGE || *end != 0 || value < 0 || value > LONG_MAX)
	return (false);
    *count = (long) value;
    *last = false;
    if (argc == 3) {
	if (strcasecmp(argv[2], "LAST") != 0)
	    return (false);
	*last = true;
    }
    return (true);
}

/* smtpd_bdat_skip - read and drop count bytes; false: lost connection */
static bool smtpd_bdat_skip(SMTPD_STATE *state, long count)
{
    const unsigned char *data;
    size_t  avail;

    while (count > 0) {
	if ((avail = vstream_peek_data(state->client, &data)) == 0)
	    return (false);
	if ((long) avail > count)
	    avail = (size_t) count;
	vstream_skip(state->client, avail);
	count -= (long) avail;
    }
    return (true);
}

/* smtpd_bdat_error - drop a chunk, answer, remember the error */
static int smtpd_bdat_error(SMTPD_STATE *state, SMTPD_XFER *xfer, long count,
			            bool last, const char *reply)
{
    if (!smtpd_bdat_skip(state, count)) {
	smtpd_data_set_where(state, "BDAT", xfer ? xfer->raw_bytes : 0);
	if (xfer)
	    smtpd_xfer_free(xfer);
	smtpd_state_reset_transaction(state);
	return (-1);
    }
    smtpd_chat_reply(state, "%s", reply);
    smtpd_data_drop(state);
    if (last) {
	if (xfer)
	    smtpd_xfer_free(xfer);
	smtpd_state_reset_transaction(state);
    } else {
	if (xfer == 0) {
	    xfer = mymalloc(sizeof(*xfer));
	    xfer->state = state;
	    xfer->content = 0;
	    xfer->dst = 0;
	    xfer->errs = 0;
	    xfer->mode = SMTPD_BARE_LF_NO;
	    xfer->raw_bytes = 0;
	}
	xfer->discard = true;
	smtpd_bdat_xfer = xfer;
	state->bdat_active = true;
    }
    return (-1);
}

/* smtpd_cmd_bdat - BDAT count [LAST] */
int     smtpd_cmd_bdat(SMTPD_STATE *state, int argc, char **argv)
{
    SMTPD_XFER *xfer;
    const char *reply;
    long    count;
    long    limit = VAR_INT(message_size_limit);
    long    before;
    bool    last;
    VSTRING *msg;

    if (!smtpd_bdat_count(argc, argv, &count, &last)) {
	msg_warn("%s: malformed BDAT command syntax from %s: %s",
		 state->queue_id ? state->queue_id : "NOQUEUE",
		 state->namaddr, excerpt(vstring_str(state->buffer)));
	smtpd_chat_reply(state, "521 5.5.4 Syntax: BDAT count [LAST]");
	state->flags |= SMTPD_FLAG_HANGUP;
	return (-1);
    }
    /* A sequence of this session in progress, or a new one. */
    xfer = smtpd_bdat_xfer;
    if (xfer != 0 && (xfer->state != state || !state->bdat_active)) {
	smtpd_xfer_free(xfer);
	xfer = 0;
    }
    if (xfer != 0 && xfer->discard) {
	msg = vstring_alloc(60);
	vstring_sprintf(msg, "551 5.0.0 Discarded %ld bytes after earlier error",
			count);
	smtpd_bdat_error(state, xfer, count, last, vstring_str(msg));
	vstring_free(msg);
	return (-1);
    }
    if (xfer == 0) {
	if ((reply = smtpd_data_no_rcpt(state)) != 0
	    || (reply = smtpd_check_data(state)) != 0)
	    return (smtpd_bdat_error(state, (SMTPD_XFER *) 0, count, last,
				     reply));
	xfer = smtpd_data_start(state, false);
	smtpd_bdat_xfer = xfer;
	state->bdat_active = true;
    }
    if (limit > 0 && (count > limit
		      || smtpd_content_size(xfer->content) > limit - count)) {
	msg_warn("%s: BDAT request from %s exceeds message size limit",
		 state->queue_id ? state->queue_id : "NOQUEUE",
		 state->namaddr);
	smtpd_content_free(xfer->content);
	xfer->content = 0;
	return (smtpd_bdat_error(state, xfer, count, last,
				 "552 5.3.4 Chunk exceeds message size limit"));
    }
    smtpd_data_timeouts(state);
    before = smtpd_content_size(xfer->content);
    if (!smtpd_data_read(xfer, &count)) {
	smtpd_data_set_where(state, "BDAT", xfer->raw_bytes);
	smtpd_xfer_free(xfer);
	smtpd_data_drop(state);
	return (-1);
    }
    if (last) {
	smtpd_content_finish(xfer->content);
	return (smtpd_data_finish(state, xfer, true));
    }
    smtpd_content_chunk_end(xfer->content);
    state->act_size = smtpd_content_size(xfer->content);
    /* As Postfix: this chunk's bytes; the total comes with LAST. */
    smtpd_chat_reply(state, "250 2.0.0 Ok: %ld bytes",
		     state->act_size - before);
    return (0);
}
