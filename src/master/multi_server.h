/*
 * multi_server - skeleton for daemons that serve many clients at once
 *
 * SYNOPSIS
 *	#include "multi_server.h"
 *
 *	typedef void (*MULTI_SERVER_FN)(VSTREAM *client,
 *				const char *service, char **argv);
 *
 *	NORETURN multi_server_main(int argc, char **argv,
 *				MULTI_SERVER_FN service,
 *				const MAIL_SERVER_OPTS *opts);
 *	void	multi_server_disconnect(VSTREAM *client);
 *	int	multi_server_client_count(void);
 *
 *	bool	multi_server_attr_read(VSTREAM *client, ATTR_LIST *request,
 *				const ATTR_LIMITS *limits,
 *				const char *protocol, VSTRING *why);
 *	void	multi_server_attr_refuse(VSTREAM *client, const char *reason);
 *	void	multi_server_attr_reply(VSTREAM *client,
 *				const ATTR_LIST *reply);
 *	void	multi_server_attr_greet(VSTREAM *client, const char *protocol);
 *
 * DESCRIPTION
 *	multi_server_main() is the whole main() of a daemon that keeps
 *	many client connections open in one process and answers one
 *	request at a time from any of them (trivial-rewrite, scache,
 *	anvil, proxymap, ...). It does the common start-up described in
 *	mail_server(3) and then accepts connections on the listeners
 *	that master(8) passed (transport inet, unix or pass).
 *
 *	Each accepted connection becomes a stream with an I/O time limit
 *	of $ipc_timeout. Whenever a client has sent something (or there
 *	is buffered input left from its last request), the skeleton
 *	tells master(8) that the process is busy, calls service(client,
 *	service_name, argv) to read and answer one request, and then
 *	reports the process available again. A service that wants to end
 *	a connection (an error, a protocol violation) calls
 *	multi_server_disconnect(client); the skeleton does the same when
 *	the client closes its end. The stream must not be used after
 *	that. opts->post_accept, when set, runs with each new client
 *	stream before its first request (for a service that greets its
 *	clients first); opts->pre_disconnect, when set, runs before the
 *	stream is closed. multi_server_client_count() returns the number of open
 *	client connections.
 *
 *	The multi_server_attr_*() helpers do the common part of a
 *	service that speaks attribute lists (attr_list(3)).
 *	multi_server_attr_read() reads one request within the limits and
 *	checks that its first attribute names the protocol; on false the
 *	client is already gone (end of input, a malformed list, a request
 *	of another protocol: the last is answered and logged as by
 *	multi_server_attr_refuse()). multi_server_attr_refuse() logs
 *	"<stream>: bad request: <reason>", answers status -1 with the
 *	reason, and hangs up. multi_server_attr_reply() sends a reply
 *	and hangs up when that fails. multi_server_attr_greet() announces
 *	the protocol to a new client (attr_proto_greet()) and hangs up
 *	when that fails.
 *
 *	Each closed connection counts as one use. After $max_use of them
 *	(or when a cached lookup table has changed) the process stops
 *	accepting connections and exits when its last client is gone; it
 *	exits after $max_idle seconds without any client, and at once
 *	(between requests) when master(8) goes away or reloads, so that
 *	clients reconnect to a process with the new configuration.
 *
 *	With -S, standard input and output form the only connection; the
 *	process exits when it is closed.
 *
 * DIAGNOSTICS
 *	See mail_server(3). Warning: "accept connection: <error>".
 *	Warnings: "<stream>: bad request: <reason>", "<stream>: cannot
 *	send reply: <error>", "<stream>: cannot send greeting: <error>".
 *	Panic: disconnecting a stream that is not a client.
 */
#ifndef MULTI_SERVER_H
#define MULTI_SERVER_H

#include "sys_defs.h"
#include "vstream.h"
#include "vstring.h"
#include "attr_list.h"
#include "mail_server.h"

typedef void (*MULTI_SERVER_FN) (VSTREAM *client, const char *service,
				         char **argv);

extern NORETURN multi_server_main(int argc, char **argv,
				          MULTI_SERVER_FN service,
				          const MAIL_SERVER_OPTS *opts);
extern void multi_server_disconnect(VSTREAM *client);
extern int multi_server_client_count(void);
extern bool multi_server_attr_read(VSTREAM *client, ATTR_LIST *request,
				           const ATTR_LIMITS *limits,
				           const char *protocol, VSTRING *why);
extern void multi_server_attr_refuse(VSTREAM *client, const char *reason);
extern void multi_server_attr_reply(VSTREAM *client, const ATTR_LIST *reply);
extern void multi_server_attr_greet(VSTREAM *client, const char *protocol);

#endif
