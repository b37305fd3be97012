/*
 * pipe_argv - expand the macros of a pipe(8) command line
 *
 * SYNOPSIS
 *	See pipe_argv.h.
 *
 * DESCRIPTION
 *	Each word is first scanned (MAC_EXP_FLAG_SCAN) to learn which
 *	names it uses; a word with a per-recipient name is then expanded
 *	once per recipient with that recipient's values, any other word
 *	once. Values are made on demand into one buffer per name, so
 *	that a word may use several names.
 *
 * DIAGNOSTICS
 *	See pipe_argv.h.
 */
#include "sys_defs.h"

#include <string.h>

#include "argv.h"
#include "excerpt.h"
#include "mac_expand.h"
#include "mymalloc.h"
#include "stringops.h"
#include "vstring.h"
#include "deliver_request.h"
#include "quote_822_local.h"
#include "split_addr.h"
#include "pipe_attr.h"
#include "pipe_argv.h"

/* The macro names, with per-recipient ones marked. */
typedef enum PIPE_MACRO {
    PIPE_MAC_SENDER,
    PIPE_MAC_NEXTHOP,
    PIPE_MAC_SIZE,
    PIPE_MAC_QUEUE_ID,
    PIPE_MAC_CLIENT_ADDRESS,
    PIPE_MAC_CLIENT_HELO,
    PIPE_MAC_CLIENT_HOSTNAME,
    PIPE_MAC_CLIENT_PORT,
    PIPE_MAC_CLIENT_PROTOCOL,
    PIPE_MAC_SASL_METHOD,
    PIPE_MAC_SASL_SENDER,
    PIPE_MAC_SASL_USERNAME,
    PIPE_MAC_RECIPIENT,			/* first per-recipient name */
    PIPE_MAC_ORIG_RECIPIENT,
    PIPE_MAC_MAILBOX,
    PIPE_MAC_USER,
    PIPE_MAC_EXTENSION,
    PIPE_MAC_DOMAIN,
    PIPE_MAC_COUNT,
} PIPE_MACRO;

static const char *const pipe_macro_names[PIPE_MAC_COUNT] = {
    "sender", "nexthop", "size", "queue_id", "client_address",
    "client_helo", "client_hostname", "client_port", "client_protocol",
    "sasl_method", "sasl_sender", "sasl_username", "recipient",
    "original_recipient", "mailbox", "user", "extension", "domain",
};

typedef struct PIPE_ARGV_CTX {
    const DELIVER_REQUEST *req;
    int     flags;
    const char *null_sender;
    const char *delimiters;
    const RECIPIENT *rcpt;		/* current recipient, or NULL */
    bool    uses_rcpt;			/* scan: a per-recipient name */
    VSTRING *unknown;			/* scan: first unknown name */
    VSTRING *value[PIPE_MAC_COUNT];
} PIPE_ARGV_CTX;

/* pipe_argv_address - recipient-style address with the h, u, q flags */
static const char *pipe_argv_address(PIPE_ARGV_CTX *ctx, VSTRING *buf,
				             const char *addr)
{
    char   *copy = mystrdup(addr);
    char   *at = strrchr(copy, '@');

    if (ctx->flags & PIPE_FLAG_FOLD_USER) {
	if (at)
	    *at = 0;
	lowercase(copy);
	if (at)
	    *at = '@';
    }
    if (at && (ctx->flags & PIPE_FLAG_FOLD_HOST))
	lowercase(at + 1);
    if (ctx->flags & PIPE_FLAG_QUOTE)
	quote_822_local(buf, copy);
    else
	vstring_strcpy(buf, copy);
    myfree(copy);
    return vstring_str(buf);
}

/* pipe_argv_local - the local part (mailbox), user, or extension */
static const char *pipe_argv_local(PIPE_ARGV_CTX *ctx, VSTRING *buf,
				           PIPE_MACRO which)
{
    char   *local = mystrdup(ctx->rcpt->address);
    char   *ext;

    if (strrchr(local, '@'))
	*strrchr(local, '@') = 0;
    if (ctx->flags & PIPE_FLAG_FOLD_USER)
	lowercase(local);
    if (which == PIPE_MAC_MAILBOX) {
	vstring_strcpy(buf, local);
    } else {
	ext = split_addr(local, ctx->delimiters);
	vstring_strcpy(buf, which == PIPE_MAC_USER ? local : ext ? ext : "");
    }
    myfree(local);
    return vstring_str(buf);
}

/* pipe_argv_domain - the recipient's domain, with the h flag */
static const char *pipe_argv_domain(PIPE_ARGV_CTX *ctx, VSTRING *buf)
{
    const char *at = strrchr(ctx->rcpt->address, '@');

    vstring_strcpy(buf, at ? at + 1 : "");
    if (ctx->flags & PIPE_FLAG_FOLD_HOST)
	lowercase(vstring_str(buf));
    return vstring_str(buf);
}

/* pipe_argv_sender - the sender, null sender replaced, q flag */
static const char *pipe_argv_sender(PIPE_ARGV_CTX *ctx, VSTRING *buf)
{
    const char *sender = ctx->req->sender ? ctx->req->sender : "";

    if (*sender == 0)
	sender = ctx->null_sender;
    if (*sender != 0 && (ctx->flags & PIPE_FLAG_QUOTE))
	quote_822_local(buf, sender);
    else
	vstring_strcpy(buf, sender);
    return vstring_str(buf);
}

/* pipe_argv_str - a request string, NULL as "" */
static const char *pipe_argv_str(VSTRING *buf, const char *value)
{
    return vstring_str(vstring_strcpy(buf, value ? value : ""));
}

/* pipe_argv_lookup - mac_expand(3) call-back */
static const char *pipe_argv_lookup(const char *name, int mode, void *context)
{
    PIPE_ARGV_CTX *ctx = context;
    const DELIVER_REQUEST *req = ctx->req;
    int     which;
    VSTRING *buf;

    for (which = 0; which < PIPE_MAC_COUNT; which++)
	if (strcmp(name, pipe_macro_names[which]) == 0)
	    break;
    if (which == PIPE_MAC_COUNT) {
	if (VSTRING_LEN(ctx->unknown) == 0)
	    vstring_strcpy(ctx->unknown, name);
	return 0;
    }
    if (which >= PIPE_MAC_RECIPIENT) {
	ctx->uses_rcpt = true;
	if (ctx->rcpt == 0)
	    return "";				/* scan, or no recipient */
    }
    buf = ctx->value[which];
    switch ((PIPE_MACRO) which) {
    case PIPE_MAC_SENDER:
	return pipe_argv_sender(ctx, buf);
    case PIPE_MAC_NEXTHOP:
	pipe_argv_str(buf, req->nexthop);
	if (ctx->flags & PIPE_FLAG_FOLD_HOST)
	    lowercase(vstring_str(buf));
	return vstring_str(buf);
    case PIPE_MAC_SIZE:
	return vstring_str(vstring_sprintf(buf, "%ld", req->data_size));
    case PIPE_MAC_QUEUE_ID:
	return pipe_argv_str(buf, req->queue_id);
    case PIPE_MAC_CLIENT_ADDRESS:
	return pipe_argv_str(buf, req->client_addr);
    case PIPE_MAC_CLIENT_HELO:
	return pipe_argv_str(buf, req->client_helo);
    case PIPE_MAC_CLIENT_HOSTNAME:
	return pipe_argv_str(buf, req->client_name);
    case PIPE_MAC_CLIENT_PORT:
	return pipe_argv_str(buf, req->client_port);
    case PIPE_MAC_CLIENT_PROTOCOL:
	return pipe_argv_str(buf, req->client_proto);
    case PIPE_MAC_SASL_METHOD:
	return pipe_argv_str(buf, req->sasl_method);
    case PIPE_MAC_SASL_SENDER:
	return pipe_argv_str(buf, req->sasl_sender);
    case PIPE_MAC_SASL_USERNAME:
	return pipe_argv_str(buf, req->sasl_username);
    case PIPE_MAC_RECIPIENT:
	return pipe_argv_address(ctx, buf, ctx->rcpt->address);
    case PIPE_MAC_ORIG_RECIPIENT:
	return pipe_argv_address(ctx, buf, ctx->rcpt->orig_addr
				 && *ctx->rcpt->orig_addr ?
				 ctx->rcpt->orig_addr : ctx->rcpt->address);
    case PIPE_MAC_MAILBOX:
    case PIPE_MAC_USER:
    case PIPE_MAC_EXTENSION:
	return pipe_argv_local(ctx, buf, (PIPE_MACRO) which);
    case PIPE_MAC_DOMAIN:
	return pipe_argv_domain(ctx, buf);
    case PIPE_MAC_COUNT:
	break;
    }
    return 0;
}

/* pipe_argv_expand - the command's arguments for one request */
ARGV   *pipe_argv_expand(const ARGV *pattern, const DELIVER_REQUEST *req,
			         int flags, const char *null_sender,
			         const char *delimiters, VSTRING *why)
{
    PIPE_ARGV_CTX ctx;
    ARGV   *result = argv_alloc(pattern->argc + 1);
    VSTRING *word = vstring_alloc(100);
    size_t  n;
    int     r;
    int     status;

    memset(&ctx, 0, sizeof(ctx));
    ctx.req = req;
    ctx.flags = flags;
    ctx.null_sender = null_sender ? null_sender : "";
    ctx.delimiters = delimiters ? delimiters : "";
    ctx.unknown = vstring_alloc(20);
    for (n = 0; n < PIPE_MAC_COUNT; n++)
	ctx.value[n] = vstring_alloc(20);

    for (n = 0; n < pattern->argc; n++) {
	ctx.rcpt = 0;
	ctx.uses_rcpt = false;
	status = mac_expand(word, pattern->argv[n], MAC_EXP_FLAG_SCAN,
			    (const char *) 0, pipe_argv_lookup, &ctx);
	if (VSTRING_LEN(ctx.unknown) > 0) {
	    vstring_sprintf(why, "unknown macro name: \"%s\"",
			    excerpt(vstring_str(ctx.unknown)));
	    goto fail;
	}
	if (status & MAC_PARSE_ERROR) {
	    vstring_sprintf(why, "macro syntax error in \"%s\"",
			    excerpt(pattern->argv[n]));
	    goto fail;
	}
	if (!ctx.uses_rcpt) {
	    mac_expand(word, pattern->argv[n], MAC_EXP_FLAG_NONE,
		       (const char *) 0, pipe_argv_lookup, &ctx);
	    argv_add(result, vstring_str(word), (char *) 0);
	    continue;
	}
	for (r = 0; r < req->rcpt_list.len; r++) {
	    ctx.rcpt = req->rcpt_list.info + r;
	    mac_expand(word, pattern->argv[n], MAC_EXP_FLAG_NONE,
		       (const char *) 0, pipe_argv_lookup, &ctx);
	    argv_add(result, vstring_str(word), (char *) 0);
	}
    }
    goto done;

fail:
    result = argv_free(result);
done:
    for (n = 0; n < PIPE_MAC_COUNT; n++)
	vstring_free(ctx.value[n]);
    vstring_free(ctx.unknown);
    vstring_free(word);
    return result;
}
