/*
 * verp_delims - the two VERP delimiter characters
 *
 * DESCRIPTION
 *	See verp_delims.h.
 */
#include "sys_defs.h"

#include <string.h>

#include "msg.h"
#include "mail_params.h"
#include "mail_conf.h"
#include "verp_delims.h"

/* verp_delims_allowed - is ch one of $verp_delimiter_filter */
static bool verp_delims_allowed(int ch)
{
    return ch != 0 && strchr(VAR_STR(verp_delimiter_filter), ch) != 0;
}

/* verp_delims_check - NULL, or why delims are not two good characters */
const char *verp_delims_check(const char *delims, size_t len)
{
    if (len != 2)
	return ("bad VERP delimiter character count");
    if (!verp_delims_allowed((unsigned char) delims[0]))
	return ("bad first VERP delimiter character");
    if (!verp_delims_allowed((unsigned char) delims[1]))
	return ("bad second VERP delimiter character");
    return (0);
}

/* verp_delims_default - $default_verp_delimiters, checked */
const char *verp_delims_default(void)
{
    const char *delims = VAR_STR(default_verp_delimiters);
    const char *why;

    if ((why = verp_delims_check(delims, strlen(delims))) != 0)
	msg_fatal("file %s/%s: parameters %s and %s: %s",
		  VAR_STR(config_directory), MAIN_CONF_FILE,
		  PARAM_NAME(default_verp_delimiters),
		  PARAM_NAME(verp_delimiter_filter), why);
    return (delims);
}
