/*
 * trigger_server - skeleton for daemons driven by triggers or datagrams
 *
 * SYNOPSIS
 *	#include "trigger_server.h"
 *
 *	typedef void (*TRIGGER_SERVER_FN)(char *buf, ssize_t len,
 *				const char *service, char **argv);
 *
 *	NORETURN trigger_server_main(int argc, char **argv,
 *				TRIGGER_SERVER_FN service,
 *				const MAIL_SERVER_OPTS *opts);
 *
 *	#define TRIGGER_SERVER_BUF_SIZE	16384
 *
 * DESCRIPTION
 *	trigger_server_main() is the whole main() of a daemon that reacts
 *	to short messages rather than holding conversations: the queue
 *	manager and the pickup service are woken up by one-byte triggers
 *	(from master(8)'s wakeup timer, postkick(1), postdrop(1)...), and
 *	postlogd(8) receives one log record per datagram. Normally one
 *	such process runs per service (process limit 1).
 *
 *	It does the common start-up described in mail_server(3), then
 *	waits for input on the listeners that master(8) passed: on a
 *	unix, inet or pass listener it accepts a connection, waits up to
 *	10 seconds for data, reads once and closes the connection; on a
 *	fifo it reads what is there; on a unix-dgram socket it receives
 *	the datagrams that are queued, at most 64 per wake-up, each one a
 *	trigger of its own. Each time it reports the process busy, calls
 *	service(buf, len, service_name, argv) with what it read (at most
 *	TRIGGER_SERVER_BUF_SIZE bytes, followed by a null byte that len
 *	does not count), reports the process available again and counts
 *	one use. Trigger servers use a watchdog timeout of 1000 seconds
 *	unless opts names another parameter.
 *
 *	The process exits after $max_use triggers, after $max_idle
 *	seconds without one (see the NO_USE_LIMIT and NO_IDLE_LIMIT
 *	flags for resident services), when a cached lookup table has
 *	changed, and when master(8) goes away or reloads.
 *
 *	With -S, the skeleton reads one trigger from standard input,
 *	calls the service and exits.
 *
 * DIAGNOSTICS
 *	See mail_server(3). Warnings: "accept connection: <error>",
 *	"read trigger: <error>".
 */
#ifndef TRIGGER_SERVER_H
#define TRIGGER_SERVER_H

#include "sys_defs.h"
#include "mail_server.h"

typedef void (*TRIGGER_SERVER_FN) (char *buf, ssize_t len,
				           const char *service, char **argv);

#define TRIGGER_SERVER_BUF_SIZE	16384

extern NORETURN trigger_server_main(int argc, char **argv,
				            TRIGGER_SERVER_FN service,
				            const MAIL_SERVER_OPTS *opts);

#endif
