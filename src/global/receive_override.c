/*
 * receive_override - cleanup request flags from the intake parameters
 *
 * DESCRIPTION
 *	See receive_override.h.
 */
#include "sys_defs.h"

#include "word_list.h"
#include "cleanup_proto.h"
#include "receive_override.h"

/* receive_override_flags - flags minus what receive_override_options turns off */
int     receive_override_flags(const char *options, int flags)
{
    if (word_list_has(options, "no_header_body_checks"))
	flags &= ~CLEANUP_FLAG_FILTER;
    if (word_list_has(options, "no_address_mappings"))
	flags &= ~(CLEANUP_FLAG_MAP_OK | CLEANUP_FLAG_BCC_OK);
    if (word_list_has(options, "no_unknown_recipient_checks"))
	flags &= ~CLEANUP_FLAG_UNKNOWN_CHECK;
    return (flags);
}

/* receive_override_utf8_detect - does smtputf8_autodetect_classes name class */
bool    receive_override_utf8_detect(const char *classes, const char *class)
{
    return (word_list_has(classes, class) || word_list_has(classes, "all"));
}
