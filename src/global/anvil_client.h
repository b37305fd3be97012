/*
 * anvil_client - talk to the anvil(8) connection and rate limit service
 *
 * SYNOPSIS
 *	#include "anvil_client.h"
 *
 *	ANVIL_CLIENT *anvil_client_create(const char *endpoint);
 *	void	anvil_client_free(ANVIL_CLIENT *client);
 *	int	anvil_client_connect(ANVIL_CLIENT *client, const char *service,
 *				const char *addr, int *count, int *rate);
 *	int	anvil_client_disconnect(ANVIL_CLIENT *client,
 *				const char *service, const char *addr);
 *	int	anvil_client_mail(ANVIL_CLIENT *client, const char *service,
 *				const char *addr, int *rate);
 *	int	anvil_client_rcpt(ANVIL_CLIENT *client, const char *service,
 *				const char *addr, int *rate);
 *	int	anvil_client_newtls(ANVIL_CLIENT *client, const char *service,
 *				const char *addr, int *rate);
 *	int	anvil_client_newtls_status(ANVIL_CLIENT *client,
 *				const char *service, const char *addr,
 *				int *rate);
 *	int	anvil_client_auth(ANVIL_CLIENT *client, const char *service,
 *				const char *addr, int *rate);
 *	int	anvil_client_lookup(ANVIL_CLIENT *client, const char *service,
 *				const char *addr, ANVIL_COUNTS *counts);
 *
 * DESCRIPTION
 *	The anvil(8) protocol (docs/internals/protocols.md, "anvil") over
 *	one kept connection to endpoint (default "private/anvil" relative
 *	to the queue directory). A client is identified by service and
 *	address: anvil keys its counters on "service:addr".
 *
 *	anvil_client_connect() registers a new connection and returns the
 *	number of simultaneous connections and the connection rate in the
 *	current $anvil_rate_time_unit; _disconnect() unregisters it.
 *	_mail(), _rcpt(), _newtls(), _auth() count one event each and
 *	return its rate; _newtls_status() returns the rate without
 *	counting. _lookup() returns every counter (for tests and tools).
 *
 *	Each call returns ANVIL_STAT_OK or ANVIL_STAT_FAIL (the service is
 *	not reachable or answered badly: the caller then does not limit,
 *	as Postfix's smtpd does). As Postfix's client does, a failed
 *	request is tried once more on a new connection after one second,
 *	and each failed attempt is logged ("connect to private/anvil:
 *	<error>", "problem talking to server private/anvil: <error>").
 *	A broken connection is reopened on the next call.
 */
#ifndef ANVIL_CLIENT_H
#define ANVIL_CLIENT_H

#include "sys_defs.h"

#define ANVIL_STAT_OK	0
#define ANVIL_STAT_FAIL	(-1)

typedef struct ANVIL_CLIENT ANVIL_CLIENT;

typedef struct ANVIL_COUNTS {
    int     count;			/* simultaneous connections */
    int     rate;			/* connections per time unit */
    int     mail;			/* MAIL commands per time unit */
    int     rcpt;			/* RCPT commands per time unit */
    int     newtls;			/* new TLS sessions per time unit */
    int     auth;			/* AUTH commands per time unit */
} ANVIL_COUNTS;

extern ANVIL_CLIENT *anvil_client_create(const char *endpoint);
extern void anvil_client_free(ANVIL_CLIENT *client);
extern int anvil_client_connect(ANVIL_CLIENT *client, const char *service,
				        const char *addr, int *count, int *rate);
extern int anvil_client_disconnect(ANVIL_CLIENT *client, const char *service,
				           const char *addr);
extern int anvil_client_mail(ANVIL_CLIENT *client, const char *service,
			             const char *addr, int *rate);
extern int anvil_client_rcpt(ANVIL_CLIENT *client, const char *service,
			             const char *addr, int *rate);
extern int anvil_client_newtls(ANVIL_CLIENT *client, const char *service,
			               const char *addr, int *rate);
extern int anvil_client_newtls_status(ANVIL_CLIENT *client,
				              const char *service,
				              const char *addr, int *rate);
extern int anvil_client_auth(ANVIL_CLIENT *client, const char *service,
			             const char *addr, int *rate);
extern int anvil_client_lookup(ANVIL_CLIENT *client, const char *service,
			               const char *addr, ANVIL_COUNTS *counts);

#endif
