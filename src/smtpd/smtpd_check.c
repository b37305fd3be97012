/*
 * smtpd_check - the restriction engine of smtpd(8)
 *
 * SYNOPSIS
 *	#include "smtpd_check.h"
 *
 * DESCRIPTION
 *	See smtpd_check.h for the interface. This module parses the
 *	restriction lists and classes once per process, evaluates the
 *	lists of each SMTP stage (with smtpd_delay_reject deferring the
 *	client, helo and sender lists to RCPT, or client and helo to
 *	ETRN), and formats, adjusts (defer_if_reject, soft_bounce,
 *	warn_if_reject) and logs every rejection:
 *
 *	NOQUEUE: reject: RCPT from name[addr]: 554 5.7.1 <x@y>: Relay
 *	access denied; from=<a@b> to=<x@y> proto=ESMTP helo=<h>
 *
 *	(the queue ID instead of NOQUEUE once the queue file is open;
 *	"reject_warning" under warn_if_reject).
 *
 *	A restriction list is evaluated element by element: a name in
 *	the restriction tables (smtpd_check_table.c), taking the next
 *	element as argument when it needs one; a restriction class name
 *	(smtpd_restriction_classes), evaluated as a nested list; or
 *	"warn_if_reject", which applies to the next element. The first
 *	element that permits or rejects ends the list; a permit ends only
 *	that list. Unknown names are a run-time error, as in Postfix:
 *	"warning: unknown smtpd restriction: "name"" and "451 4.3.5
 *	Server configuration error".
 *
 *	The bare recipient "postmaster" passes every restriction (RFC
 *	5321), and after a DISCARD action nothing more is checked in that
 *	transaction, as in Postfix.
 *
 *	At the end of a command's checks a pending defer_if_permit turns
 *	the implicit permit into its deferral. A pending defer_if_reject
 *	turns a 5xx rejection later in the same list into its deferral;
 *	when a defer_if_permit is pending too, the rejection is dropped
 *	and evaluation goes on (the end gives the defer_if_permit reply),
 *	as Postfix does. A defer_if_permit pending after the relay and
 *	recipient lists also skips the implicit reject_unlisted_recipient
 *	(smtpd_reject_unlisted_recipient), as Postfix 3.7 was seen to do;
 *	the implicit reject_unlisted_sender still applies.
 *	Elements after a "permit", "reject" or "defer" that decided are
 *	reported: "restriction `x' after `reject' is ignored".
 *
 * DIAGNOSTICS
 *	Fatal at init: relay and recipient restrictions without any of
 *	reject_unauth_destination, defer_unauth_destination, reject,
 *	defer, defer_if_permit or check_relay_domains (Postfix's
 *	message), a restriction class without a definition, a bad
 *	check_policy_service argument (its tables, and the recipient
 *	validation tables, are opened here too, before any chroot).
 */
#include "sys_defs.h"

#include <string.h>
#include <stdarg.h>
#include <errno.h>
#include <sys/statvfs.h>

#include "msg.h"
#include "mymalloc.h"
#include "argv.h"
#include "htable.h"
#include "vstring.h"
#include "stringops.h"
#include "excerpt.h"
#include "mail_conf.h"
#include "mail_params.h"
#include "maps.h"
#include "smtpd_check.h"
#include "smtpd_check_addr.h"

/* Pending defer_if_permit / defer_if_reject. */
typedef struct SMTPD_CHECK_DEFER {
    bool    active;
    int     error_mask;			/* SMTPD_CHECK_ERR_* */
    VSTRING *reply;			/* "NNN X.Y.Z text" */
} SMTPD_CHECK_DEFER;

/* Per-session context (state->check_ctx). */
typedef struct SMTPD_CHECK_CTX {
    const char *verb;			/* "RCPT", "CONNECT", ... */
    const char *log_sender;		/* from=, or NULL */
    const char *log_recipient;		/* to=, or NULL */
    const char *log_helo;		/* helo= being checked, or NULL */
    VSTRING *reply;			/* the reply returned */
    VSTRING *scratch;
    SMTPD_CHECK_DEFER defer_if_permit;
    SMTPD_CHECK_DEFER defer_if_reject;
    bool    warn_now;			/* warn_if_reject in effect */
    int     error_mask;			/* classes seen this session */
} SMTPD_CHECK_CTX;

/* The parsed lists, per stage, and the restriction classes. */
#define SMTPD_CHECK_NSTAGES	(SMTPD_STAGE_ETRN + 1)

static ARGV *smtpd_check_lists[SMTPD_CHECK_NSTAGES];
static HTABLE *smtpd_check_classes;	/* name -> ARGV */
static HTABLE *smtpd_check_tables;	/* "type:name" -> MAPS */

/* What a rejection at each stage names. */
static const char *const smtpd_check_classes_text[] = {
    "Client host",
    "Helo command",
    "Sender address",
    "Recipient address",
    "Recipient address",
    "Data command",
    "End-of-data",
    "Etrn command",
};

#define WARN_IF_REJECT	"warn_if_reject"

/* smtpd_check_split - split a restriction list into its elements */
static ARGV *smtpd_check_split(const char *text)
{
    return argv_split_quoted(text, CHARS_COMMA_SP, CHARS_BRACE);
}

/* smtpd_check_maps - open a table once per process */
MAPS   *smtpd_check_maps(const char *table)
{
    MAPS   *maps;

    if (smtpd_check_tables == NULL)
	smtpd_check_tables = htable_create(10);
    if ((maps = htable_find(smtpd_check_tables, table)) == NULL) {
	maps = maps_create(table, table, DICT_FLAG_LOCK | DICT_FLAG_FOLD_FIX
			   | DICT_FLAG_UTF8_REQUEST);
	htable_enter(smtpd_check_tables, table, maps);
    }
    return maps;
}

/* smtpd_check_open_tables - open the tables a list names */
static void smtpd_check_open_tables(ARGV *list)
{
    const SMTPD_RESTRICTION *restr;
    size_t  n;

    for (n = 0; n < list->argc; n++) {
	restr = smtpd_check_find(list->argv[n]);
	if (restr != NULL && (restr->flags & SMTPD_RESTR_ARG)
	    && n + 1 < list->argc) {
	    n++;
	    if (strcmp(restr->name, "check_policy_service") == 0)
		smtpd_policy_service_init(list->argv[n]);
	    else if (strchr(list->argv[n], ':') != NULL)
		(void) smtpd_check_maps(list->argv[n]);
	} else if (restr == NULL && strchr(list->argv[n], ':') != NULL) {
	    (void) smtpd_check_maps(list->argv[n]);
	}
    }
}

/* smtpd_check_working - whether a list can stop relaying */
static bool smtpd_check_working(ARGV *list)
{
    static const char *const names[] = {
	"reject_unauth_destination", "defer_unauth_destination",
	"reject", "defer", "defer_if_permit", "check_relay_domains", 0,
    };
    size_t  n;
    int     i;

    for (n = 0; n < list->argc; n++)
	for (i = 0; names[i]; i++)
	    if (strcmp(list->argv[n], names[i]) == 0)
		return true;
    return false;
}

/* smtpd_check_free_list - htable destructor of a class list */
static void smtpd_check_free_list(void *ptr)
{
    argv_free((ARGV *) ptr);
}

/* smtpd_check_init - parse the restriction lists and classes */
void    smtpd_check_init(void)
{
    const char *values[SMTPD_CHECK_NSTAGES];
    ARGV   *names;
    ARGV   *list;
    const char *value;
    size_t  n;

    values[SMTPD_STAGE_CLIENT] = VAR_STR(smtpd_client_restrictions);
    values[SMTPD_STAGE_HELO] = VAR_STR(smtpd_helo_restrictions);
    values[SMTPD_STAGE_SENDER] = VAR_STR(smtpd_sender_restrictions);
    values[SMTPD_STAGE_RELAY] = VAR_STR(smtpd_relay_restrictions);
    values[SMTPD_STAGE_RECIPIENT] = VAR_STR(smtpd_recipient_restrictions);
    values[SMTPD_STAGE_DATA] = VAR_STR(smtpd_data_restrictions);
    values[SMTPD_STAGE_EOD] = VAR_STR(smtpd_end_of_data_restrictions);
    values[SMTPD_STAGE_ETRN] = VAR_STR(smtpd_etrn_restrictions);
    for (n = 0; n < SMTPD_CHECK_NSTAGES; n++) {
	if (smtpd_check_lists[n])
	    argv_free(smtpd_check_lists[n]);
	smtpd_check_lists[n] = smtpd_check_split(values[n]);
	smtpd_check_open_tables(smtpd_check_lists[n]);
    }
    if (smtpd_check_classes)
	htable_free(smtpd_check_classes, smtpd_check_free_list);
    smtpd_check_classes = htable_create(10);
    names = smtpd_check_split(VAR_STR(smtpd_restriction_classes));
    for (n = 0; n < names->argc; n++) {
	if ((value = mail_conf_lookup(names->argv[n])) == NULL)
	    msg_fatal("restriction class `%s' needs a definition",
		      names->argv[n]);
	list = smtpd_check_split(mail_conf_eval(value));
	smtpd_check_open_tables(list);
	if (htable_find(smtpd_check_classes, names->argv[n]) == NULL)
	    htable_enter(smtpd_check_classes, names->argv[n], list);
	else
	    argv_free(list);
    }
    argv_free(names);
    smtpd_check_access_init();
    smtpd_check_addr_init();
    if (*VAR_STR(smtpd_discard_ehlo_keyword_address_maps))
	(void) smtpd_check_maps(VAR_STR(smtpd_discard_ehlo_keyword_address_maps));
    if (!smtpd_check_working(smtpd_check_lists[SMTPD_STAGE_RELAY])
	&& !smtpd_check_working(smtpd_check_lists[SMTPD_STAGE_RECIPIENT]))
	msg_fatal("in parameter smtpd_relay_restrictions or "
		  "smtpd_recipient_restrictions, specify at least one "
		  "working instance of: reject_unauth_destination, "
		  "defer_unauth_destination, reject, defer, defer_if_permit "
		  "or check_relay_domains");
}

/* smtpd_check_session_start - create the per-session context */
void    smtpd_check_session_start(SMTPD_STATE *state)
{
    SMTPD_CHECK_CTX *ctx = mymalloc(sizeof(*ctx));

    memset(ctx, 0, sizeof(*ctx));
    ctx->reply = vstring_alloc(100);
    ctx->scratch = vstring_alloc(100);
    ctx->defer_if_permit.reply = vstring_alloc(100);
    ctx->defer_if_reject.reply = vstring_alloc(100);
    state->check_ctx = ctx;
}

/* smtpd_check_session_end - free the per-session context */
void    smtpd_check_session_end(SMTPD_STATE *state)
{
    SMTPD_CHECK_CTX *ctx = state->check_ctx;

    if (ctx == NULL)
	return;
    vstring_free(ctx->reply);
    vstring_free(ctx->scratch);
    vstring_free(ctx->defer_if_permit.reply);
    vstring_free(ctx->defer_if_reject.reply);
    myfree(ctx);
    state->check_ctx = NULL;
}

/* smtpd_check_ctx - the session context, created on demand */
static SMTPD_CHECK_CTX *smtpd_check_ctx(SMTPD_STATE *state)
{
    if (state->check_ctx == NULL)
	smtpd_check_session_start(state);
    return state->check_ctx;
}

/* smtpd_check_error_bit - the SMTPD_CHECK_ERR_* bit of a class name */
static int smtpd_check_error_bit(const char *error_class)
{
    if (strcmp(error_class, MAIL_ERROR_PROTOCOL) == 0)
	return SMTPD_CHECK_ERR_PROTOCOL;
    if (strcmp(error_class, MAIL_ERROR_RESOURCE) == 0)
	return SMTPD_CHECK_ERR_RESOURCE;
    if (strcmp(error_class, MAIL_ERROR_SOFTWARE) == 0)
	return SMTPD_CHECK_ERR_SOFTWARE;
    return SMTPD_CHECK_ERR_POLICY;
}

/* smtpd_check_error_mask - the error classes of this session */
int     smtpd_check_error_mask(SMTPD_STATE *state)
{
    return state->check_ctx ? state->check_ctx->error_mask : 0;
}

/* smtpd_check_error_reset - forget the error classes (a message was queued) */
void    smtpd_check_error_reset(SMTPD_STATE *state)
{
    if (state->check_ctx)
	state->check_ctx->error_mask = 0;
}

/* smtpd_check_log_text - log one action line with the envelope */
static void smtpd_check_log_text(SMTPD_STATE *state, const char *action,
				         const char *text)
{
    SMTPD_CHECK_CTX *ctx = smtpd_check_ctx(state);
    VSTRING *buf = ctx->scratch;

    vstring_sprintf(buf, "%s: %s: %s from %s: %s;",
		    state->queue_id ? state->queue_id : "NOQUEUE", action,
		    ctx->verb ? ctx->verb : "CONNECT",
		    state->namaddr ? state->namaddr : "unknown", text);
    if (ctx->log_sender)
	vstring_sprintf_append(buf, " from=<%s>", ctx->log_sender);
    if (ctx->log_recipient)
	vstring_sprintf_append(buf, " to=<%s>", ctx->log_recipient);
    vstring_sprintf_append(buf, " proto=%s",
			   state->protocol ? state->protocol : "SMTP");
    if (ctx->log_helo || state->helo_name)
	vstring_sprintf_append(buf, " helo=<%s>",
			       ctx->log_helo ? ctx->log_helo : state->helo_name);
    msg_info("%s", vstring_str(buf));
}

/* smtpd_check_log - log an action line (hold, discard, warn...) */
void    smtpd_check_log(SMTPD_CHECK_CALL *call, const char *action,
			        const char *fmt,...)
{
    VSTRING *text = vstring_alloc(100);
    va_list ap;

    va_start(ap, fmt);
    vstring_vsprintf(text, fmt, ap);
    va_end(ap);
    smtpd_check_log_text(call->state, action, vstring_str(text));
    vstring_free(text);
}

/* smtpd_check_format - "NNN X.Y.Z text" with the class digit fixed */
static void smtpd_check_format(VSTRING *reply, int code, const char *dsn,
			               const char *fmt, va_list ap)
{
    vstring_sprintf(reply, "%d %c%s ", code, '0' + code / 100,
		    (dsn && *dsn) ? dsn + 1 : ".7.1");
    vstring_vsprintf_append(reply, fmt, ap);
}

/* smtpd_check_soft_bounce - 5xx becomes 4xx with soft_bounce = yes */
static void smtpd_check_soft_bounce(VSTRING *reply)
{
    char   *text = vstring_str(reply);

    if (VAR_BOOL(soft_bounce) && text[0] == '5') {
	text[0] = '4';
	if (VSTRING_LEN(reply) > 4 && text[4] == '5')
	    text[4] = '4';
    }
}

/* smtpd_check_reply_done - log a final reply and remember it */
static int smtpd_check_reply_done(SMTPD_STATE *state, const char *reply,
				          int error_mask, bool warn)
{
    SMTPD_CHECK_CTX *ctx = smtpd_check_ctx(state);

    if (warn) {
	smtpd_check_log_text(state, "reject_warning", reply);
	return SMTPD_CHECK_DUNNO;
    }
    if (reply != vstring_str(ctx->reply))
	vstring_strcpy(ctx->reply, reply);
    smtpd_check_soft_bounce(ctx->reply);
    ctx->error_mask |= error_mask;
    smtpd_check_log_text(state, "reject", vstring_str(ctx->reply));
    return SMTPD_CHECK_REJECT;
}

/* smtpd_check_reject - format, adjust and log a rejection */
int     smtpd_check_reject(SMTPD_CHECK_CALL *call, const char *error_class,
			           int code, const char *dsn,
			           const char *fmt,...)
{
    SMTPD_CHECK_CTX *ctx = smtpd_check_ctx(call->state);
    va_list ap;

    va_start(ap, fmt);
    smtpd_check_format(ctx->reply, code, dsn, fmt, ap);
    va_end(ap);
    if (!ctx->warn_now && ctx->defer_if_reject.active && code / 100 == 5) {
	if (ctx->defer_if_permit.active)
	    return SMTPD_CHECK_DUNNO;		/* deferred at the end anyway */
	vstring_strcpy(ctx->reply, vstring_str(ctx->defer_if_reject.reply));
	return smtpd_check_reply_done(call->state, vstring_str(ctx->reply),
				      ctx->defer_if_reject.error_mask, false);
    }
    return smtpd_check_reply_done(call->state, vstring_str(ctx->reply),
				  smtpd_check_error_bit(error_class),
				  ctx->warn_now);
}

/* smtpd_check_defer_save - record a pending deferral */
static void smtpd_check_defer_save(SMTPD_STATE *state,
				           SMTPD_CHECK_DEFER *defer,
				           const char *error_class, int code,
				           const char *dsn, const char *fmt,
				           va_list ap)
{
    SMTPD_CHECK_CTX *ctx = smtpd_check_ctx(state);

    if (defer->active)
	return;
    smtpd_check_format(defer->reply, code, dsn, fmt, ap);
    if (ctx->warn_now) {
	smtpd_check_log_text(state, "reject_warning", vstring_str(defer->reply));
	return;
    }
    defer->active = true;
    defer->error_mask = smtpd_check_error_bit(error_class);
}

/* smtpd_check_defer_if - defer if the request would be permitted/rejected */
int     smtpd_check_defer_if(SMTPD_CHECK_CALL *call, bool if_permit,
			             const char *error_class, int code,
			             const char *dsn, const char *fmt,...)
{
    SMTPD_CHECK_CTX *ctx = smtpd_check_ctx(call->state);
    va_list ap;

    va_start(ap, fmt);
    smtpd_check_defer_save(call->state, if_permit ? &ctx->defer_if_permit :
			   &ctx->defer_if_reject, error_class, code, dsn,
			   fmt, ap);
    va_end(ap);
    return SMTPD_CHECK_DUNNO;
}

/*
 * smtpd_check_config_error - "451 4.3.5 ... Server configuration error".
 * Its notify_classes class is policy: Debian's Postfix 3.7 mails the
 * transcript of an unavailable access table under "policy" only.
 */
int     smtpd_check_config_error(SMTPD_CHECK_CALL *call)
{
    return smtpd_check_reject(call, MAIL_ERROR_POLICY, 451, "4.3.5",
			      "<%s>: %s rejected: Server configuration error",
			      call->reply_name, call->reply_class);
}

/* smtpd_check_server_error - plain "451 4.3.5 Server configuration error" */
int     smtpd_check_server_error(SMTPD_CHECK_CALL *call)
{
    return smtpd_check_reject(call, MAIL_ERROR_SOFTWARE, 451, "4.3.5",
			      "Server configuration error");
}

/* smtpd_check_table_error - answer a table lookup failure */
int     smtpd_check_table_error(SMTPD_CHECK_CALL *call, const char *table)
{
    MAPS   *maps = smtpd_check_maps(table);

    if (maps->error == DICT_ERR_RETRY)
	return smtpd_check_reject(call, MAIL_ERROR_RESOURCE, 451, "4.3.0",
				  "<%s>: Temporary lookup failure",
				  call->reply_name);
    return smtpd_check_config_error(call);
}

/* smtpd_check_unknown - an unknown restriction name */
static int smtpd_check_unknown(SMTPD_CHECK_CALL *call, const char *name)
{
    msg_warn("unknown smtpd restriction: \"%s\"", name);
    return smtpd_check_server_error(call);
}

/* smtpd_check_bare_table - what a bare "type:table" element means */
static const char *smtpd_check_bare_table(SMTPD_CHECK_STAGE stage)
{
    switch (stage) {
    case SMTPD_STAGE_CLIENT:
	return "check_client_access";
    case SMTPD_STAGE_HELO:
	return "check_helo_access";
    case SMTPD_STAGE_SENDER:
	return "check_sender_access";
    case SMTPD_STAGE_RELAY:
    case SMTPD_STAGE_RECIPIENT:
	return "check_recipient_access";
    case SMTPD_STAGE_ETRN:
	return "check_etrn_access";
    default:
	return NULL;
    }
}

/* smtpd_check_argv - evaluate a parsed restriction list */
static int smtpd_check_argv(SMTPD_CHECK_CALL *call, ARGV *list)
{
    SMTPD_CHECK_CTX *ctx = smtpd_check_ctx(call->state);
    const SMTPD_RESTRICTION *restr;
    ARGV   *class_list;
    SMTPD_CHECK_CALL nested;
    const char *name;
    bool    saved_warn = ctx->warn_now;
    bool    warn_next = false;
    int     status = SMTPD_CHECK_DUNNO;
    size_t  n;

    if (call->depth >= SMTPD_CHECK_MAX_DEPTH) {
	msg_warn("SMTPD access map or restriction class nesting exceeds "
		 "%d levels", SMTPD_CHECK_MAX_DEPTH);
	return smtpd_check_config_error(call);
    }
    for (n = 0; n < list->argc && status == SMTPD_CHECK_DUNNO; n++) {
	name = list->argv[n];
	if (strcmp(name, WARN_IF_REJECT) == 0) {
	    warn_next = true;
	    continue;
	}
	ctx->warn_now = saved_warn || warn_next;
	warn_next = false;
	nested = *call;
	nested.restriction = name;
	nested.arg = NULL;
	if ((restr = smtpd_check_find(name)) != NULL) {
	    if (restr->flags & SMTPD_RESTR_ARG)
		nested.arg = (n + 1 < list->argc) ? list->argv[++n] : name;
	    status = restr->fn(&nested);
	} else if (strchr(name, ':') != NULL
		   && smtpd_check_bare_table(call->stage) != NULL
		   && (restr = smtpd_check_find(smtpd_check_bare_table(call->stage))) != NULL) {
	    nested.arg = name;
	    status = restr->fn(&nested);
	} else if (smtpd_check_classes
		   && (class_list = htable_find(smtpd_check_classes, name)) != 0) {
	    nested.depth = call->depth + 1;
	    status = smtpd_check_argv(&nested, class_list);
	} else {
	    status = smtpd_check_unknown(call, name);
	}
	if (status != SMTPD_CHECK_DUNNO && n + 1 < list->argc
	    && (strcmp(name, "permit") == 0 || strcmp(name, "reject") == 0
		|| strcmp(name, "defer") == 0))
	    msg_warn("restriction `%s' after `%s' is ignored",
		     list->argv[n + 1], name);
    }
    ctx->warn_now = saved_warn;
    return status;
}

/* smtpd_check_list - evaluate a restriction list given as text */
int     smtpd_check_list(SMTPD_CHECK_CALL *call, const char *text)
{
    ARGV   *list = smtpd_check_split(text);
    SMTPD_CHECK_CALL nested = *call;
    int     status;

    nested.depth = call->depth + 1;
    status = smtpd_check_argv(&nested, list);
    argv_free(list);
    return status;
}

/* smtpd_check_begin - start the checks of one command */
static SMTPD_CHECK_CTX *smtpd_check_begin(SMTPD_STATE *state, const char *verb,
					          const char *sender,
					          const char *recipient)
{
    SMTPD_CHECK_CTX *ctx = smtpd_check_ctx(state);

    ctx->verb = verb;
    ctx->log_sender = sender;
    ctx->log_recipient = recipient;
    ctx->log_helo = NULL;
    ctx->defer_if_permit.active = false;
    ctx->defer_if_reject.active = false;
    ctx->warn_now = false;
    VSTRING_RESET(ctx->reply);
    VSTRING_TERMINATE(ctx->reply);
    return ctx;
}

/* smtpd_check_stage - evaluate the list of one stage */
static int smtpd_check_stage(SMTPD_STATE *state, SMTPD_CHECK_STAGE stage,
			             const char *reply_name)
{
    SMTPD_CHECK_CTX *ctx = smtpd_check_ctx(state);
    SMTPD_CHECK_CALL call;

    if (smtpd_check_lists[stage] == NULL)
	smtpd_check_init();
    memset(&call, 0, sizeof(call));
    call.state = state;
    call.stage = stage;
    call.reply_name = reply_name;
    call.reply_class = smtpd_check_classes_text[stage];
    ctx->defer_if_reject.active = false;
    return smtpd_check_argv(&call, smtpd_check_lists[stage]);
}

/* smtpd_check_end - the reply of a command's checks, or NULL */
static const char *smtpd_check_end(SMTPD_STATE *state, int status)
{
    SMTPD_CHECK_CTX *ctx = smtpd_check_ctx(state);
    SMTPD_CHECK_DEFER *dip = &ctx->defer_if_permit;

    if (status == SMTPD_CHECK_REJECT)
	return vstring_str(ctx->reply);
    if (dip->active
	&& smtpd_check_reply_done(state, vstring_str(dip->reply),
				  dip->error_mask, false)
	== SMTPD_CHECK_REJECT)
	return vstring_str(ctx->reply);
    return NULL;
}

/* smtpd_check_client_name - "name[addr]" of the client */
static const char *smtpd_check_client_name(SMTPD_STATE *state)
{
    static VSTRING *buf;

    if (buf == NULL)
	buf = vstring_alloc(100);
    vstring_sprintf(buf, "%s[%s]", state->name ? state->name : "unknown",
		    state->addr ? state->addr : "unknown");
    return vstring_str(buf);
}

/* smtpd_check_implicit - run a table restriction by name, if known */
static int smtpd_check_implicit(SMTPD_STATE *state, SMTPD_CHECK_STAGE stage,
				        const char *name, const char *reply_name)
{
    const SMTPD_RESTRICTION *restr = smtpd_check_find(name);
    SMTPD_CHECK_CALL call;

    if (restr == NULL)
	return SMTPD_CHECK_DUNNO;
    memset(&call, 0, sizeof(call));
    call.state = state;
    call.stage = stage;
    call.restriction = name;
    call.reply_name = reply_name;
    call.reply_class = smtpd_check_classes_text[stage];
    return restr->fn(&call);
}

/* smtpd_check_early - client, helo, sender lists (delayed or not) */
static int smtpd_check_early(SMTPD_STATE *state, bool with_sender)
{
    int     status;

    if ((status = smtpd_check_stage(state, SMTPD_STAGE_CLIENT,
				    smtpd_check_client_name(state)))
	== SMTPD_CHECK_REJECT)
	return status;
    if (state->helo_name
	&& (status = smtpd_check_stage(state, SMTPD_STAGE_HELO,
				       state->helo_name))
	== SMTPD_CHECK_REJECT)
	return status;
    if (with_sender && state->sender
	&& (status = smtpd_check_stage(state, SMTPD_STAGE_SENDER,
				       state->sender)) == SMTPD_CHECK_REJECT)
	return status;
    return SMTPD_CHECK_DUNNO;
}

/* smtpd_check_client - the client restrictions at connect time */
const char *smtpd_check_client(SMTPD_STATE *state)
{
    int     status;

    if (VAR_BOOL(smtpd_delay_reject))
	return NULL;
    (void) smtpd_check_begin(state, state->where && *state->where ?
			     state->where : "CONNECT", NULL, NULL);
    status = smtpd_check_stage(state, SMTPD_STAGE_CLIENT,
			       smtpd_check_client_name(state));
    return smtpd_check_end(state, status);
}

/* smtpd_check_helo - the helo restrictions at HELO/EHLO time */
const char *smtpd_check_helo(SMTPD_STATE *state, const char *helo)
{
    const char *verb = state->where;
    int     status;

    if (VAR_BOOL(smtpd_delay_reject))
	return NULL;
    if (verb == NULL || (strcasecmp(verb, "HELO") != 0
			 && strcasecmp(verb, "EHLO") != 0))
	verb = "HELO";
    /* A HELO inside a mail transaction logs its sender too. */
    smtpd_check_begin(state, verb, state->sender, NULL)->log_helo = helo;
    status = smtpd_check_stage(state, SMTPD_STAGE_HELO, helo);
    return smtpd_check_end(state, status);
}

/* smtpd_check_mail - the sender restrictions at MAIL FROM time */
const char *smtpd_check_mail(SMTPD_STATE *state, const char *sender)
{
    SMTPD_CHECK_CTX *ctx;
    int     status;

    ctx = smtpd_check_begin(state, "MAIL", sender, NULL);
    if (VAR_BOOL(smtpd_helo_required) && state->helo_name == NULL) {
	vstring_strcpy(ctx->reply, "503 5.5.1 Error: send HELO/EHLO first");
	ctx->error_mask |= SMTPD_CHECK_ERR_PROTOCOL;
	return vstring_str(ctx->reply);
    }
    if (VAR_BOOL(smtpd_delay_reject))
	return NULL;
    status = smtpd_check_stage(state, SMTPD_STAGE_SENDER, sender);
    if (status != SMTPD_CHECK_REJECT && VAR_BOOL(smtpd_reject_unlisted_sender))
	status = smtpd_check_implicit(state, SMTPD_STAGE_SENDER,
				      "reject_unlisted_sender", sender);
    return smtpd_check_end(state, status);
}

/* smtpd_check_rcpt_lists - relay and recipient lists of one recipient */
static int smtpd_check_rcpt_lists(SMTPD_STATE *state, const char *recipient)
{
    SMTPD_CHECK_STAGE first = SMTPD_STAGE_RELAY;
    SMTPD_CHECK_STAGE second = SMTPD_STAGE_RECIPIENT;
    int     status;

    if (!VAR_BOOL(smtpd_relay_before_recipient_restrictions)) {
	first = SMTPD_STAGE_RECIPIENT;
	second = SMTPD_STAGE_RELAY;
    }
    if ((status = smtpd_check_stage(state, first, recipient))
	== SMTPD_CHECK_REJECT)
	return status;
    if ((status = smtpd_check_stage(state, second, recipient))
	== SMTPD_CHECK_REJECT)
	return status;
    if (VAR_BOOL(smtpd_delay_reject) && state->sender
	&& VAR_BOOL(smtpd_reject_unlisted_sender)
	&& (status = smtpd_check_implicit(state, SMTPD_STAGE_SENDER,
					  "reject_unlisted_sender",
					  state->sender)) == SMTPD_CHECK_REJECT)
	return status;
    /* As Postfix 3.7: a pending defer_if_permit wins (observed). */
    if (VAR_BOOL(smtpd_reject_unlisted_recipient)
	&& !smtpd_check_ctx(state)->defer_if_permit.active)
	return smtpd_check_implicit(state, SMTPD_STAGE_RECIPIENT,
				    "reject_unlisted_recipient", recipient);
    return SMTPD_CHECK_DUNNO;
}

/* smtpd_check_recipient - RCPT TO and VRFY */
static const char *smtpd_check_recipient(SMTPD_STATE *state, const char *verb,
					         const char *recipient)
{
    int     status = SMTPD_CHECK_DUNNO;

    if (state->saved_flags & SMTPD_SAVED_DISCARD)
	return NULL;
    if (strcasecmp(recipient, "postmaster") == 0)
	return NULL;				/* RFC 5321: always accepted */
    (void) smtpd_check_begin(state, verb, state->sender, recipient);
    if (VAR_BOOL(smtpd_delay_reject))
	status = smtpd_check_early(state, true);
    if (status != SMTPD_CHECK_REJECT)
	status = smtpd_check_rcpt_lists(state, recipient);
    return smtpd_check_end(state, status);
}

/* smtpd_check_rcpt - the restrictions of one RCPT TO */
const char *smtpd_check_rcpt(SMTPD_STATE *state, const char *recipient)
{
    return smtpd_check_recipient(state, "RCPT", recipient);
}

/* smtpd_check_vrfy - the recipient restrictions for VRFY */
const char *smtpd_check_vrfy(SMTPD_STATE *state, const char *recipient)
{
    return smtpd_check_recipient(state, "VRFY", recipient);
}

/* smtpd_check_etrn - the ETRN restrictions */
const char *smtpd_check_etrn(SMTPD_STATE *state, const char *domain)
{
    int     status = SMTPD_CHECK_DUNNO;

    (void) smtpd_check_begin(state, "ETRN", state->sender, NULL);
    if (VAR_BOOL(smtpd_delay_reject))
	status = smtpd_check_early(state, false);
    if (status != SMTPD_CHECK_REJECT)
	status = smtpd_check_stage(state, SMTPD_STAGE_ETRN, domain);
    return smtpd_check_end(state, status);
}

/* smtpd_check_data_stage - DATA and end-of-data restrictions */
static const char *smtpd_check_data_stage(SMTPD_STATE *state,
					          SMTPD_CHECK_STAGE stage,
					          const char *verb)
{
    int     status;

    if (state->saved_flags & SMTPD_SAVED_DISCARD)
	return NULL;
    (void) smtpd_check_begin(state, verb, state->sender,
			     state->rcpt_count == 1 ? state->recipient : NULL);
    status = smtpd_check_stage(state, stage, verb);
    return smtpd_check_end(state, status);
}

/* smtpd_check_data - the DATA restrictions */
const char *smtpd_check_data(SMTPD_STATE *state)
{
    return smtpd_check_data_stage(state, SMTPD_STAGE_DATA, "DATA");
}

/* smtpd_check_eod - the end-of-data restrictions */
const char *smtpd_check_eod(SMTPD_STATE *state)
{
    return smtpd_check_data_stage(state, SMTPD_STAGE_EOD, "END-OF-MESSAGE");
}

/* smtpd_check_space - free bytes in the queue file system, or -1 */
static double smtpd_check_space(void)
{
    struct statvfs fs;

    if (statvfs(VAR_STR(queue_directory), &fs) < 0) {
	msg_warn("statvfs %s: %m", VAR_STR(queue_directory));
	return -1;
    }
    return (double) fs.f_bavail * (double) fs.f_frsize;
}

/* smtpd_check_storage - free space for a message of this size */
static const char *smtpd_check_storage(SMTPD_STATE *state, long size)
{
    SMTPD_CHECK_CTX *ctx = smtpd_check_begin(state, "MAIL", NULL, NULL);
    double  space = smtpd_check_space();

    if (space < 0 || space - (double) VAR_INT(queue_minfree)
	>= 1.5 * (double) size)
	return NULL;
    vstring_strcpy(ctx->reply, "452 4.3.1 Insufficient system storage");
    (void) smtpd_check_reply_done(state, vstring_str(ctx->reply),
				  SMTPD_CHECK_ERR_RESOURCE, false);
    msg_warn("not enough free space in mail queue: %.0f bytes < "
	     "1.5*message size limit", space);
    return vstring_str(ctx->reply);
}

/* smtpd_check_size - SIZE= against the size limit and the free space */
const char *smtpd_check_size(SMTPD_STATE *state, long size)
{
    SMTPD_CHECK_CTX *ctx;
    long    limit = VAR_INT(message_size_limit);

    if (limit > 0 && size > limit) {
	ctx = smtpd_check_begin(state, "MAIL", state->sender, NULL);
	vstring_strcpy(ctx->reply,
		       "552 5.3.4 Message size exceeds fixed limit");
	(void) smtpd_check_reply_done(state, vstring_str(ctx->reply),
				      SMTPD_CHECK_ERR_POLICY, false);
	return vstring_str(ctx->reply);
    }
    return smtpd_check_storage(state, size);
}

/* smtpd_check_queue - enough free space to accept a message at all */
const char *smtpd_check_queue(SMTPD_STATE *state)
{
    return smtpd_check_storage(state, 0);
}

/* The EHLO keywords of smtpd_discard_ehlo_keywords. */
static const struct {
    const char *name;
    int     mask;
} smtpd_check_ehlo_names[] = {
    {"pipelining", SMTPD_EHLO_PIPELINING},
    {"size", SMTPD_EHLO_SIZE},
    {"vrfy", SMTPD_EHLO_VRFY},
    {"etrn", SMTPD_EHLO_ETRN},
    {"8bitmime", SMTPD_EHLO_8BITMIME},
    {"dsn", SMTPD_EHLO_DSN},
    {"enhancedstatuscodes", SMTPD_EHLO_ENHANCEDSTATUSCODES},
    {"smtputf8", SMTPD_EHLO_SMTPUTF8},
    {"chunking", SMTPD_EHLO_CHUNKING},
    {"starttls", SMTPD_EHLO_STARTTLS},
    {"auth", SMTPD_EHLO_AUTH},
    {"xclient", SMTPD_EHLO_XCLIENT},
    {"xforward", SMTPD_EHLO_XFORWARD},
    {"silent-discard", SMTPD_EHLO_SILENT},
};

/* smtpd_check_ehlo_mask - the mask of an EHLO keyword list */
static int smtpd_check_ehlo_mask(const char *value)
{
    ARGV   *words = argv_split(value, CHARS_COMMA_SP);
    size_t  n;
    size_t  i;
    int     mask = 0;

    for (n = 0; n < words->argc; n++)
	for (i = 0; i < sizeof(smtpd_check_ehlo_names)
	     / sizeof(smtpd_check_ehlo_names[0]); i++)
	    if (strcasecmp(words->argv[n], smtpd_check_ehlo_names[i].name) == 0)
		mask |= smtpd_check_ehlo_names[i].mask;
    argv_free(words);
    return mask;
}

/* smtpd_check_ehlo_discard - per-client EHLO keywords to drop */
int     smtpd_check_ehlo_discard(SMTPD_STATE *state, int *mask)
{
    const char *tables = VAR_STR(smtpd_discard_ehlo_keyword_address_maps);
    const char *value;
    MAPS   *maps;

    *mask = 0;
    if (*tables == 0 || state->addr == NULL)
	return 0;
    maps = smtpd_check_maps(tables);
    if ((value = maps_find(maps, state->addr, 0)) == NULL)
	return (maps->error ? -1 : 0);
    *mask = smtpd_check_ehlo_mask(value);
    return 1;
}
