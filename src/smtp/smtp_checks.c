/*
 * smtp_checks - smtp_header_checks and smtp_body_checks of the client
 *
 * SYNOPSIS
 *	See smtp_checks.h.
 *
 * DESCRIPTION
 *	The lines below were observed with Debian's Postfix 3.7.11
 *	smtp(8) and a recording server:
 *
 *	<qid>: warning: header Subject: warnme please: warned header
 *	<qid>: strip: header X-Strip: y: stripped
 *	<qid>: replace: body bodyreplace line: body replaced
 *	warning: unsupported command in smtp_header_checks map: REJECT
 *	rejected text
 *	warning: unsupported command in smtp_header_checks map: FOO bar
 *
 *	IGNORE, DUNNO and OK log nothing. The input is quoted by
 *	cleanup_checks_quote() of cleanup(8), which logs it the same way.
 *
 * DIAGNOSTICS
 *	See smtp_checks.h.
 */
#include "sys_defs.h"

#include <ctype.h>
#include <string.h>

#include "msg.h"
#include "mymalloc.h"
#include "vstring.h"
#include "stringops.h"
#include "maps.h"
#include "mail_params.h"
#include "is_header.h"
#include "cleanup_maps.h"
#include "smtp.h"
#include "smtp_checks.h"

#define SMTP_CHECKS_LOG_MAX	200	/* bytes of input in a log line */

struct SMTP_CHECKS {
    MAPS   *maps[SMTP_CHECK_BODY + 1];	/* by class; NULL when empty */
    VSTRING *key;			/* lookup key */
    VSTRING *line;			/* log line */
};

/* smtp_checks_open - one table list, NULL for an empty value */
static MAPS *smtp_checks_open(const char *title, const char *value)
{
    if (value == 0 || value[strspn(value, CHARS_COMMA_SP)] == 0)
	return (0);
    return (maps_create(title, value, DICT_FLAG_LOCK | DICT_FLAG_FOLD_FIX));
}

/* smtp_checks_create - open the client's content check tables */
SMTP_CHECKS *smtp_checks_create(void)
{
    SMTP_CHECKS *checks = mymalloc(sizeof(*checks));

    memset(checks->maps, 0, sizeof(checks->maps));
    checks->maps[SMTP_CHECK_HEADER] =
	smtp_checks_open(SMTP_PARAM_NAME(header_checks), SMTP_STR(header_checks));
    checks->maps[SMTP_CHECK_MIME_HEADER] =
	smtp_checks_open(SMTP_PARAM_NAME(mime_header_checks),
			 SMTP_STR(mime_header_checks));
    checks->maps[SMTP_CHECK_NESTED_HEADER] =
	smtp_checks_open(SMTP_PARAM_NAME(nested_header_checks),
			 SMTP_STR(nested_header_checks));
    checks->maps[SMTP_CHECK_BODY] =
	smtp_checks_open(SMTP_PARAM_NAME(body_checks), SMTP_STR(body_checks));
    checks->key = vstring_alloc(100);
    checks->line = vstring_alloc(300);
    return (checks);
}

/* smtp_checks_any - some content check table is configured */
bool    smtp_checks_any(const SMTP_CHECKS *checks)
{
    int     class;

    for (class = SMTP_CHECK_HEADER; class <= SMTP_CHECK_BODY; class++)
	if (checks->maps[class] != 0)
	    return (true);
    return (false);
}

/* smtp_checks_free - close the tables */
void    smtp_checks_free(SMTP_CHECKS *checks)
{
    int     class;

    for (class = SMTP_CHECK_HEADER; class <= SMTP_CHECK_BODY; class++)
	if (checks->maps[class] != 0)
	    maps_free(checks->maps[class]);
    vstring_free(checks->key);
    vstring_free(checks->line);
    myfree(checks);
}

/* smtp_checks_log - "<qid>: <action>: header|body <input>[: <text>]" */
static void smtp_checks_log(SMTP_CHECKS *checks, const char *queue_id,
			            const char *action, int class,
			            const char *input, const char *text)
{
    vstring_sprintf(checks->line, "%s: %s: %s ", queue_id, action,
		    class == SMTP_CHECK_BODY ? "body" : "header");
    cleanup_checks_quote(checks->line, input, strlen(input),
			 SMTP_CHECKS_LOG_MAX);
    if (text != 0 && *text != 0)
	vstring_sprintf_append(checks->line, ": %s", text);
    msg_info("%s", vstring_str(checks->line));
}

/* smtp_checks_action - act on one table value */
static int smtp_checks_action(SMTP_CHECKS *checks, const char *title,
			              int class, const char *queue_id,
			              const char *value, const char *input,
			              VSTRING *text)
{
    size_t  cmd_len = strcspn(value, " \t\r\n");
    const char *arg = value + cmd_len + strspn(value + cmd_len, " \t\r\n");
    char    command[16];
    size_t  n;

    if (cmd_len == 0 || cmd_len >= sizeof(command)) {
	msg_warn("unsupported command in %s map: %s", title, value);
	return (SMTP_CHECK_KEEP);
    }
    for (n = 0; n < cmd_len; n++)
	command[n] = (char) toupper((unsigned char) value[n]);
    command[cmd_len] = 0;

    if (strcmp(command, "DUNNO") == 0 || strcmp(command, "OK") == 0)
	return (SMTP_CHECK_KEEP);
    if (strcmp(command, "IGNORE") == 0)
	return (SMTP_CHECK_DELETE);
    if (strcmp(command, "WARN") == 0 || strcmp(command, "INFO") == 0) {
	smtp_checks_log(checks, queue_id, command[0] == 'W' ? "warning" :
			"info", class, input, arg);
	return (SMTP_CHECK_KEEP);
    }
    if (strcmp(command, "STRIP") == 0) {
	smtp_checks_log(checks, queue_id, "strip", class, input, arg);
	return (SMTP_CHECK_DELETE);
    }
    if (strcmp(command, "PREPEND") == 0 || strcmp(command, "REPLACE") == 0) {
	if (*arg == 0) {
	    msg_warn("%s action without text in %s map", command, title);
	    return (SMTP_CHECK_KEEP);
	}
	if (class != SMTP_CHECK_BODY && is_header(arg) == 0) {
	    msg_warn("bad %s header text \"%s\" in %s map"
		     " -- need \"headername: headervalue\"",
		     command, arg, title);
	    return (SMTP_CHECK_KEEP);
	}
	smtp_checks_log(checks, queue_id, command[0] == 'P' ? "prepend" :
			"replace", class, input, arg);
	vstring_strcpy(text, arg);
	return (command[0] == 'P' ? SMTP_CHECK_PREPEND : SMTP_CHECK_REPLACE);
    }
    /* REJECT, HOLD, DISCARD, FILTER, REDIRECT, BCC, PASS and typos. */
    msg_warn("unsupported command in %s map: %s", title, value);
    return (SMTP_CHECK_KEEP);
}

/* smtp_checks_run - look up one header or body line */
int     smtp_checks_run(SMTP_CHECKS *checks, int class, const char *queue_id,
			        const char *input, size_t len, VSTRING *text)
{
    MAPS   *maps;
    const char *value;

    if (class < SMTP_CHECK_HEADER || class > SMTP_CHECK_BODY)
	msg_panic("smtp_checks_run: bad class %d", class);
    if ((maps = checks->maps[class]) == 0 || len == 0)
	return (SMTP_CHECK_KEEP);
    vstring_strncpy(checks->key, input, len);	/* stops at a null byte */
    if (VSTRING_LEN(checks->key) == 0)
	return (SMTP_CHECK_KEEP);
    if ((value = maps_find(maps, vstring_str(checks->key), 0)) != 0)
	return (smtp_checks_action(checks, maps->title, class, queue_id, value,
				   vstring_str(checks->key), text));
    if (maps->error != DICT_ERR_NONE) {
	/* Postfix 3.7's words (observed), also in LMTP mode. */
	msg_warn("%s: smtp %s checks lookup error", queue_id,
		 class == SMTP_CHECK_BODY ? "body" : "header");
	return (SMTP_CHECK_RETRY);
    }
    return (SMTP_CHECK_KEEP);
}
