/*
 * single_server - skeleton for daemons that serve one client at a time
 *
 * SYNOPSIS
 *	#include "single_server.h"
 *
 *	typedef void (*SINGLE_SERVER_FN)(VSTREAM *client,
 *				const char *service, char **argv);
 *
 *	NORETURN single_server_main(int argc, char **argv,
 *				SINGLE_SERVER_FN service,
 *				const MAIL_SERVER_OPTS *opts);
 *
 * DESCRIPTION
 *	single_server_main() is the whole main() of a daemon that handles
 *	one client connection per process at a time (smtpd, smtp, local,
 *	cleanup, ...): master(8) runs as many of these processes as a
 *	service needs, up to its process limit. It does the common
 *	start-up described in mail_server(3) (command line, main.cf,
 *	logging, privileges, the hooks in opts) and then waits for
 *	connections on the listeners that master(8) passed (transport
 *	inet, unix or pass).
 *
 *	For each connection it tells master(8) that the process is busy,
 *	takes a mail flow token if opts asks for that, and calls
 *	service(client, service_name, argv) with a blocking stream whose
 *	I/O time limit is $ipc_timeout (the service may change it). When
 *	the service returns, the skeleton closes the stream, tells
 *	master(8) that the process is available again, and counts the
 *	client. The process exits after $max_use clients, after $max_idle
 *	seconds without a client, when a cached lookup table has changed
 *	(dict_changed_name()), or when master(8) goes away or reloads (a
 *	client that is being served is finished first).
 *
 *	With -S, the client is standard input and output: the service
 *	runs once and the process exits.
 *
 * DIAGNOSTICS
 *	See mail_server(3). Warning: "accept connection: <error>".
 */
#ifndef SINGLE_SERVER_H
#define SINGLE_SERVER_H

#include "sys_defs.h"
#include "vstream.h"
#include "mail_server.h"

typedef void (*SINGLE_SERVER_FN) (VSTREAM *client, const char *service,
				          char **argv);

extern NORETURN single_server_main(int argc, char **argv,
				           SINGLE_SERVER_FN service,
				           const MAIL_SERVER_OPTS *opts);

#endif
