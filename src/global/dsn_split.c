/*
 * dsn_split - an optional RFC 3463 status code in front of a text
 *
 * SYNOPSIS
 *	See dsn_split.h.
 *
 * DESCRIPTION
 *	The delivery agents that turn a configured or a command's text
 *	into a recipient status (discard(8), error(8), pipe(8)) share
 *	this parsing, so that "5.1.1 text" means the same to all of them.
 *
 * DIAGNOSTICS
 *	dsn_class_fix() warns about a code of the wrong class.
 */
#include "sys_defs.h"

#include <ctype.h>
#include <string.h>

#include "msg.h"
#include "vstring.h"
#include "dsn.h"
#include "dsn_split.h"

#define DSN_SPLIT_CODE_MAX	12	/* "5.123.123" plus slack */

/* dsn_split - take a leading status code off text */
const char *dsn_split(const char *text, const char *def_status,
		              VSTRING *status)
{
    size_t  len = strcspn(text, " \t\r\n");
    char    code[DSN_SPLIT_CODE_MAX];

    if (len > 0 && len < sizeof(code)) {
	memcpy(code, text, len);
	code[len] = 0;
	if (dsn_valid_status(code)) {
	    vstring_strcpy(status, code);
	    text += len;
	    while (*text && isspace((unsigned char) *text))
		text++;
	    return text;
	}
    }
    vstring_strcpy(status, def_status);
    return text;
}

/* dsn_class_fix - force the status class, as Postfix's status functions */
const char *dsn_class_fix(const char *caller, VSTRING *status, int want_class)
{
    if (vstring_str(status)[0] != want_class) {
	msg_warn("%s: ignoring dsn code \"%s\"", caller, vstring_str(status));
	vstring_sprintf(status, "%c.0.0", want_class);
    }
    return vstring_str(status);
}
