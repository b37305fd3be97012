/*
 * cleanup_checks - header_checks and body_checks for cleanup(8)
 *
 * DESCRIPTION
 *	See cleanup_checks.h. The log lines and warnings below were
 *	observed with Debian's Postfix 3.7.11 (docs/internals/cleanup-maps.md
 *	has the raw lines):
 *
 *	<qid>: reject: header <input> from <client>; from=<s> to=<r>
 *	proto=ESMTP helo=<h>: 5.7.1 message content rejected
 *
 *	and likewise "discard:", "hold:", "redirect:", "bcc:", "filter:",
 *	"prepend:", "replace:", "strip:", "warning:", "info:", "pass:",
 *	each at info level, with ": <text>" only when there is a text.
 *	<input> is at most 200 bytes of the header or line, with
 *	non-printable bytes (newline and tab included) shown as '?' and
 *	valid UTF-8 kept when smtputf8_enable is on.
 *
 *	Warnings for bad rules: "unknown command in <title> map: <value>",
 *	"bad REDIRECT target \"<t>\" in <title> map -- need user@domain",
 *	"bad BCC address \"<t>\" in <title> map -- need user@domain",
 *	"missing FILTER command argument in <title> map",
 *	"bad FILTER command <t> in <title> -- need transport:destination",
 *	"PREPEND action without text in <title> map",
 *	"bad PREPEND header text \"<t>\" in <title> map -- need
 *	\"headername: headervalue\"" (and the same for REPLACE). A failing
 *	table: "<qid>: <title> map lookup problem -- message not accepted,
 *	try again later".
 *
 *	REJECT replies: "5.7.1 message content rejected" without text,
 *	"5.7.1 <text>" with a text that has no enhanced status code; a
 *	leading 4.x.x or 5.x.x code is kept, 2.x.x becomes 4.x.x, and a
 *	code alone gives "<code> " (Postfix 3.7 replied "4.7.2 " to
 *	"REJECT 4.7.2"; to "REJECT 5.7.2" it replied "5.7.2 f-clean",
 *	stray bytes, which we do not copy).
 *
 *	Postfix 3.7 has no DEFER action in header/body checks: it is an
 *	unknown command there, and here.
 */
#include "sys_defs.h"

#include <ctype.h>
#include <string.h>

#include "msg.h"
#include "mymalloc.h"
#include "vstring.h"
#include "stringops.h"
#include "utf8_text.h"
#include "maps.h"
#include "mail_params.h"
#include "cleanup_maps.h"

#define CLEANUP_CHECKS_LOG_MAX	200	/* bytes of input in a log line */

/* cleanup_check_result_create - result holder */
CLEANUP_CHECK_RESULT *cleanup_check_result_create(void)
{
    CLEANUP_CHECK_RESULT *result = mymalloc(sizeof(*result));

    result->action = CLEANUP_ACT_NONE;
    result->text = vstring_alloc(100);
    return (result);
}

/* cleanup_check_result_free - release a result holder */
CLEANUP_CHECK_RESULT *cleanup_check_result_free(CLEANUP_CHECK_RESULT *result)
{
    vstring_free(result->text);
    myfree(result);
    return (0);
}

/* cleanup_checks_class_name - "header" or "body" */
const char *cleanup_checks_class_name(int class)
{
    return (class == CLEANUP_CHECK_BODY ? "body" : "header");
}

/* cleanup_checks_quote - append at most limit bytes as Postfix logs them */
VSTRING *cleanup_checks_quote(VSTRING *buf, const char *input, size_t len,
			              size_t limit)
{
    bool    utf8 = VAR_BOOL(smtputf8_enable);
    size_t  n;
    size_t  clen;
    unsigned char ch;

    if (len > limit)
	len = limit;
    for (n = 0; n < len; n += clen) {
	ch = (unsigned char) input[n];
	clen = 1;
	if (ch >= 0x20 && ch < 0x7f) {
	    VSTRING_ADDCH(buf, ch);
	} else if (ch >= 0x80 && utf8
		   && (clen = utf8_text_char_len(input + n, len - n)) > 1) {
	    vstring_memcat(buf, input + n, clen);
	} else {
	    clen = 1;
	    VSTRING_ADDCH(buf, '?');
	}
    }
    VSTRING_TERMINATE(buf);
    return (buf);
}

/* cleanup_checks_printable - append input as Postfix logs it */
static void cleanup_checks_printable(VSTRING *buf, const char *input)
{
    (void) cleanup_checks_quote(buf, input, strlen(input),
				CLEANUP_CHECKS_LOG_MAX);
}

/* cleanup_checks_log_format - the text of a content check log line */
VSTRING *cleanup_checks_log_format(VSTRING *buf, const char *action,
				           int class, const char *input,
				           const CLEANUP_LOG_CONTEXT *ctx,
				           const char *text)
{
    vstring_sprintf(buf, "%s: %s: %s ", ctx->queue_id ? ctx->queue_id :
		    "NOQUEUE", action, cleanup_checks_class_name(class));
    cleanup_checks_printable(buf, input);
    if (ctx->client_name)
	vstring_sprintf_append(buf, " from %s[%s];", ctx->client_name,
			       ctx->client_addr ? ctx->client_addr : "unknown");
    else
	vstring_strcat(buf, " from local;");
    vstring_sprintf_append(buf, " from=<%s>", ctx->sender ? ctx->sender : "");
    if (ctx->recipient)
	vstring_sprintf_append(buf, " to=<%s>", ctx->recipient);
    if (ctx->protocol)
	vstring_sprintf_append(buf, " proto=%s", ctx->protocol);
    if (ctx->helo)
	vstring_sprintf_append(buf, " helo=<%s>", ctx->helo);
    if (text)
	vstring_sprintf_append(buf, ": %s", text);
    return (buf);
}

/* cleanup_checks_log - log one content check line */
static void cleanup_checks_log(const char *action, int class,
			               const char *input,
			               const CLEANUP_LOG_CONTEXT *ctx,
			               const char *text)
{
    VSTRING *buf = vstring_alloc(300);

    cleanup_checks_log_format(buf, action, class, input, ctx,
			      text && *text ? text : 0);
    msg_info("%s", vstring_str(buf));
    vstring_free(buf);
}

/* cleanup_checks_dsn_len - length of a leading enhanced status code */
static size_t cleanup_checks_dsn_len(const char *text)
{
    const char *cp = text;
    int     field;
    size_t  digits;

    if (*cp != '2' && *cp != '4' && *cp != '5')
	return (0);
    cp++;
    for (field = 0; field < 2; field++) {
	if (*cp++ != '.')
	    return (0);
	for (digits = 0; isdigit((unsigned char) *cp) && digits < 3; digits++)
	    cp++;
	if (digits == 0)
	    return (0);
    }
    if (*cp != 0 && *cp != ' ' && *cp != '\t')
	return (0);
    return ((size_t) (cp - text));
}

/* cleanup_checks_reply - REJECT text with an enhanced status code */
static void cleanup_checks_reply(VSTRING *reply, const char *text)
{
    size_t  dsn_len = cleanup_checks_dsn_len(text);
    const char *rest;

    if (dsn_len == 0) {
	vstring_sprintf(reply, "5.7.1 %s", *text ? text :
			"message content rejected");
	return;
    }
    /*
     * As Postfix 3.7 does: a success code becomes a temporary one
     * ("2.7.2 x" replies "4.7.2 x"), and a code without text keeps an
     * empty text ("4.7.2 ").
     */
    rest = text + dsn_len;
    rest += strspn(rest, " \t");
    vstring_sprintf(reply, "%c%.*s %s", *text == '2' ? '4' : *text,
		    (int) dsn_len - 1, text + 1, rest);
}

/* cleanup_checks_is_header - text starts with a header label */
static bool cleanup_checks_is_header(const char *text)
{
    const char *cp = text;

    while (*cp > ' ' && *cp < 0x7f && *cp != ':')
	cp++;
    if (cp == text)
	return (false);
    while (*cp == ' ' || *cp == '\t')
	cp++;
    return (*cp == ':');
}

 /*
  * The actions that only log, or log and carry their optional text.
  */
typedef struct CLEANUP_CHECK_ACTION {
    const char *name;			/* table command, upper case */
    int     action;			/* CLEANUP_ACT_* */
    const char *log;			/* log label or NULL */
} CLEANUP_CHECK_ACTION;

static const CLEANUP_CHECK_ACTION cleanup_check_simple[] = {
    {"DISCARD", CLEANUP_ACT_DISCARD, "discard"},
    {"HOLD", CLEANUP_ACT_HOLD, "hold"},
    {"STRIP", CLEANUP_ACT_STRIP, "strip"},
    {"WARN", CLEANUP_ACT_WARN, "warning"},
    {"INFO", CLEANUP_ACT_INFO, "info"},
    {"PASS", CLEANUP_ACT_PASS, "pass"},
    {"IGNORE", CLEANUP_ACT_IGNORE, 0},
    {"DUNNO", CLEANUP_ACT_NONE, 0},
    {"OK", CLEANUP_ACT_NONE, 0},
    {0, 0, 0},
};

/* cleanup_checks_address - REDIRECT and BCC */
static int cleanup_checks_address(const char *title, int class,
				          const char *command, int action,
				          const char *what, const char *arg,
				          const char *input,
				          const CLEANUP_LOG_CONTEXT *ctx,
				          CLEANUP_CHECK_RESULT *result)
{
    const char *at = strrchr(arg, '@');

    if (at == 0 || at == arg || at[1] == 0) {
	msg_warn("bad %s %s \"%s\" in %s map -- need user@domain",
		 command, what, arg, title);
	return (CLEANUP_ACT_NONE);
    }
    cleanup_checks_log(lowercase(vstring_str(vstring_strcpy(result->text,
							   command))),
		       class, input, ctx, arg);
    vstring_strcpy(result->text, arg);
    return (result->action = action);
}

/* cleanup_checks_action - parse one table result and log it */
int     cleanup_checks_action(const char *title, int class, const char *value,
			              const char *input,
			              const CLEANUP_LOG_CONTEXT *ctx,
			              CLEANUP_CHECK_RESULT *result)
{
    const CLEANUP_CHECK_ACTION *sp;
    size_t  cmd_len = strcspn(value, " \t\r\n");
    const char *arg = value + cmd_len;
    char    command[16];
    size_t  n;

    result->action = CLEANUP_ACT_NONE;
    VSTRING_RESET(result->text);
    VSTRING_TERMINATE(result->text);
    arg += strspn(arg, " \t\r\n");
    if (cmd_len == 0 || cmd_len >= sizeof(command)) {
	msg_warn("unknown command in %s map: %s", title, value);
	return (CLEANUP_ACT_NONE);
    }
    for (n = 0; n < cmd_len; n++)
	command[n] = (char) toupper((unsigned char) value[n]);
    command[cmd_len] = 0;

    if (strcmp(command, "REJECT") == 0) {
	cleanup_checks_reply(result->text, arg);
	cleanup_checks_log("reject", class, input, ctx,
			   vstring_str(result->text));
	return (result->action = CLEANUP_ACT_REJECT);
    }
    if (strcmp(command, "REDIRECT") == 0)
	return (cleanup_checks_address(title, class, "REDIRECT",
				       CLEANUP_ACT_REDIRECT, "target", arg,
				       input, ctx, result));
    if (strcmp(command, "BCC") == 0)
	return (cleanup_checks_address(title, class, "BCC", CLEANUP_ACT_BCC,
				       "address", arg, input, ctx, result));
    if (strcmp(command, "FILTER") == 0) {
	if (*arg == 0) {
	    msg_warn("missing FILTER command argument in %s map", title);
	    return (CLEANUP_ACT_NONE);
	}
	if (strchr(arg, ':') == 0) {
	    msg_warn("bad FILTER command %s in %s -- need transport:destination",
		     arg, title);
	    return (CLEANUP_ACT_NONE);
	}
	if (!ctx->redirected)			/* Postfix: ignored, silent */
	    cleanup_checks_log("filter", class, input, ctx, arg);
	vstring_strcpy(result->text, arg);
	return (result->action = CLEANUP_ACT_FILTER);
    }
    if (strcmp(command, "PREPEND") == 0 || strcmp(command, "REPLACE") == 0) {
	if (*arg == 0) {
	    msg_warn("%s action without text in %s map", command, title);
	    return (CLEANUP_ACT_NONE);
	}
	if (class != CLEANUP_CHECK_BODY && !cleanup_checks_is_header(arg)) {
	    msg_warn("bad %s header text \"%s\" in %s map"
		     " -- need \"headername: headervalue\"",
		     command, arg, title);
	    return (CLEANUP_ACT_NONE);
	}
	cleanup_checks_log(command[0] == 'P' ? "prepend" : "replace", class,
			   input, ctx, arg);
	vstring_strcpy(result->text, arg);
	return (result->action = command[0] == 'P' ?
		CLEANUP_ACT_PREPEND : CLEANUP_ACT_REPLACE);
    }
    for (sp = cleanup_check_simple; sp->name; sp++) {
	if (strcmp(command, sp->name) == 0) {
	    if (sp->log)
		cleanup_checks_log(sp->log, class, input, ctx, arg);
	    vstring_strcpy(result->text, arg);
	    return (result->action = sp->action);
	}
    }
    msg_warn("unknown command in %s map: %s", title, value);
    return (CLEANUP_ACT_NONE);
}

/* cleanup_checks_run - look up one input line and act on the result */
static int cleanup_checks_run(MAPS *maps, int class, const char *text,
			              size_t len, const CLEANUP_LOG_CONTEXT *ctx,
			              CLEANUP_CHECK_RESULT *result)
{
    VSTRING *input;
    const char *value;

    result->action = CLEANUP_ACT_NONE;
    VSTRING_RESET(result->text);
    VSTRING_TERMINATE(result->text);
    if (maps == 0 || len == 0)
	return (CLEANUP_ACT_NONE);
    input = vstring_alloc(len + 1);
    vstring_strncpy(input, text, len);		/* stops at a null byte */
    if (VSTRING_LEN(input) == 0) {
	vstring_free(input);
	return (CLEANUP_ACT_NONE);
    }
    if ((value = maps_find(maps, vstring_str(input), 0)) != 0) {
	(void) cleanup_checks_action(maps->title, class, value,
				     vstring_str(input), ctx, result);
    } else if (maps->error != DICT_ERR_NONE) {
	msg_warn("%s%s%s map lookup problem"
		 " -- message not accepted, try again later",
		 ctx->queue_id ? ctx->queue_id : "",
		 ctx->queue_id ? ": " : "", maps->title);
	vstring_strcpy(result->text, "4.3.0 queue file write error");
	result->action = CLEANUP_ACT_RETRY;
    }
    vstring_free(input);
    return (result->action);
}

/* cleanup_checks_header - header_checks, mime_ and nested_header_checks */
int     cleanup_checks_header(CLEANUP_MAPS *cm, int class, const char *header,
			              size_t len, const CLEANUP_LOG_CONTEXT *ctx,
			              CLEANUP_CHECK_RESULT *result)
{
    MAPS   *maps;

    switch (class) {
    case CLEANUP_CHECK_HEADER:
	maps = cm->header_checks;
	break;
    case CLEANUP_CHECK_MIME_HEADER:
	maps = cm->mime_header_checks;
	break;
    case CLEANUP_CHECK_NESTED_HEADER:
	maps = cm->nested_header_checks;
	break;
    default:
	msg_panic("cleanup_checks_header: bad class %d", class);
    }
    return (cleanup_checks_run(maps, class, header, len, ctx, result));
}

/* cleanup_checks_body - body_checks */
int     cleanup_checks_body(CLEANUP_MAPS *cm, const char *line, size_t len,
			            const CLEANUP_LOG_CONTEXT *ctx,
			            CLEANUP_CHECK_RESULT *result)
{
    return (cleanup_checks_run(cm->body_checks, CLEANUP_CHECK_BODY, line, len,
			       ctx, result));
}
