/*
 * mail_parm_split - split a list-valued parameter into its elements
 *
 * DESCRIPTION
 *	See mail_parm_split.h. The grouping itself is argv_split_quoted()
 *	and extpar() from the utility library.
 */
#include "sys_defs.h"

#include "msg.h"
#include "argv.h"
#include "stringops.h"
#include "mail_parm_split.h"

/* mail_parm_split - list elements, with { } groups unwrapped */
ARGV   *mail_parm_split(const char *name, const char *value)
{
    ARGV   *fields = argv_split_quoted(value, CHARS_COMMA_SP, CHARS_BRACE);
    ARGV   *result = argv_alloc(fields->argc + 1);
    const char *err;
    size_t  n;

    for (n = 0; n < fields->argc; n++) {
	char   *field = fields->argv[n];

	if ((err = extpar(&field, CHARS_BRACE, EXTPAR_FLAG_STRIP)) != NULL)
	    msg_fatal("parameter %s: %s", name, err);
	argv_add(result, field, ARGV_END);
    }
    argv_free(fields);
    return result;
}
