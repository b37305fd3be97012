/*
 * get_hostname - the name of this machine, validated
 *
 * SYNOPSIS
 *	#include "get_hostname.h"
 *
 *	const char *get_hostname(void);
 *	bool	get_hostname_try(VSTRING *result, VSTRING *why);
 *	bool	get_hostname_valid(const char *name);
 *	const char *get_hostname_domain(const char *name);
 *
 * DESCRIPTION
 *	get_hostname_try() stores the name that gethostname() reports in
 *	result and returns true when get_hostname_valid() accepts it.
 *
 *	get_hostname() returns the same name from a cache filled on the
 *	first call, and terminates the process with a fatal error when the
 *	name cannot be found or is not valid.
 *
 *	get_hostname_valid() checks the syntax of a host name: 1 to 255
 *	bytes in total, labels separated by single dots, each 1 to 63 bytes
 *	of letters, digits, '-' and '_', not starting or ending with '-',
 *	and no leading or trailing dot. The name may be a single label.
 *
 *	get_hostname_domain() returns the part of name after the first dot,
 *	or NULL when there is none (the caller picks a default, such as
 *	Postfix's "localdomain").
 *
 *	This module does not ask DNS for a fully qualified name and does
 *	not change case.
 *
 * DIAGNOSTICS
 *	get_hostname_try() returns false with the reason in why (which must
 *	not be NULL): "gethostname: <error>", "empty host name", "host name
 *	is too long", "bad host name syntax: <name>" (non-printable bytes
 *	replaced with '?').
 */
#ifndef GET_HOSTNAME_H
#define GET_HOSTNAME_H

#include "sys_defs.h"
#include "vstring.h"

#define GET_HOSTNAME_MAXLEN	255	/* longest valid name */
#define GET_HOSTNAME_LABEL_MAX	63	/* longest label */

extern const char *get_hostname(void);
extern bool get_hostname_try(VSTRING *result, VSTRING *why);
extern bool get_hostname_valid(const char *name);
extern const char *get_hostname_domain(const char *name);

#endif
