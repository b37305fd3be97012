#ifndef _RECEIVE_OVERRIDE_H_INCLUDED_
#define _RECEIVE_OVERRIDE_H_INCLUDED_

/*
 * receive_override - cleanup request flags from the intake parameters
 *
 * SYNOPSIS
 *	#include "receive_override.h"
 *
 *	int	receive_override_flags(const char *options, int flags);
 *	bool	receive_override_utf8_detect(const char *classes,
 *					const char *class);
 *
 * DESCRIPTION
 *	The programs that hand mail to cleanup(8) (smtpd, qmqpd, pickup,
 *	and those that make mail of their own) share these rules.
 *
 *	receive_override_flags() returns the cleanup request flags
 *	(CLEANUP_FLAG_* of cleanup_proto.h) with what options (the value
 *	of $receive_override_options) turns off taken out:
 *	no_header_body_checks clears CLEANUP_FLAG_FILTER,
 *	no_address_mappings CLEANUP_FLAG_MAP_OK and CLEANUP_FLAG_BCC_OK,
 *	no_unknown_recipient_checks CLEANUP_FLAG_UNKNOWN_CHECK. Other
 *	words (no_milters: there are no milters) change nothing.
 *
 *	receive_override_utf8_detect() tells whether classes (the value
 *	of $smtputf8_autodetect_classes) names class ("sendmail", "qmqpd",
 *	...) or "all": cleanup is then asked to set SMTPUTF8 when it finds
 *	UTF-8 in the message (CLEANUP_FLAG_UTF8_DETECT).
 *
 *	What it does not do: look at $smtputf8_enable (the caller decides
 *	whether SMTPUTF8 applies at all).
 */
#include <stdbool.h>

extern int receive_override_flags(const char *, int);
extern bool receive_override_utf8_detect(const char *, const char *);

#endif
