/*
 * mail_trigger - wake up a service in the queue directory
 *
 * SYNOPSIS
 *	#include "mail_trigger.h"
 *
 *	int	mail_trigger(const char *class, const char *service,
 *				const char *request, size_t len);
 *
 *	int	mail_trigger_flags(const char *class, const char *service,
 *				const char *request, size_t len, int flags);
 *
 * DESCRIPTION
 *	mail_trigger() sends the len bytes of request (a trigger such as
 *	"W", docs/internals/protocols.md "qmgr wake-up") to the endpoint
 *	class/service under the queue directory (class is "public" or
 *	"private"; see mail_endpoint(3) for relative paths), as in
 *	mail_trigger("public", "qmgr", "W", 1). The endpoint's file type
 *	picks the transport: fifo_trigger() for a FIFO, unix_trigger() for
 *	a UNIX-domain socket (trigger(3)). The whole takes at most
 *	$trigger_timeout. It does not wait for the service to act.
 *
 *	The result is 0 when the bytes were handed to the endpoint, -1
 *	otherwise (after a warning). Callers should ignore SIGPIPE.
 *
 *	mail_trigger_flags() is the same with flags: 0, or
 *	MAIL_TRIGGER_FLAG_CALLER_REPORTS for a caller that reports the
 *	outcome itself, as postkick(1) does in Postfix's words: then a
 *	failed send (a FIFO without a reader, a socket without a listener)
 *	gives no warning (with msg_verbose, "trigger <path>: <error>" at
 *	info level) and success no verbose line; the look-up warnings
 *	stay. mail_trigger() is mail_trigger_flags() with 0.
 *
 * DIAGNOSTICS
 *	Warnings: "unable to look up <path>: <error>", "<path> is not a
 *	socket or a fifo", "unable to trigger <path>: <error>".
 */
#ifndef MAIL_TRIGGER_H
#define MAIL_TRIGGER_H

#include "sys_defs.h"

#define MAIL_TRIGGER_FLAG_CALLER_REPORTS	(1<<0)

extern int mail_trigger(const char *class, const char *service,
			        const char *request, size_t len);
extern int mail_trigger_flags(const char *class, const char *service,
			              const char *request, size_t len,
			              int flags);

#endif
