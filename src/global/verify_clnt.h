/*
 * verify_clnt - talk to the address verification service, verify(8)
 *
 * SYNOPSIS
 *	#include "verify_clnt.h"
 *
 *	int	verify_clnt_query(const char *address, int *addr_status,
 *				VSTRING *text);
 *	int	verify_clnt_update(const char *address, int addr_status,
 *				const char *text);
 *	const char *verify_clnt_status_name(int addr_status);
 *
 * DESCRIPTION
 *	The protocol is docs/internals/delivery.md, section 7: attribute
 *	lists on private/$address_verify_service_name, protocol name
 *	"verify", request "query" (address) or "update" (address,
 *	addr_status, text); the reply is status (0, or -1 with a reason
 *	for a refused request) and, for a query, addr_status and text.
 *
 *	verify_clnt_query() asks for the status of an address. When the
 *	service knows nothing (or the entry is due for a refresh) it sends
 *	a probe and answers what it knows: VERIFY_ADDR_PENDING ("Address
 *	verification in progress") for an address never probed.
 *	*addr_status gets one of VERIFY_ADDR_*, text the probe's text.
 *
 *	verify_clnt_update() records the outcome of a probe (the delivery
 *	agents do this through bounce_client(3) for verify(8)'s probes).
 *
 *	Both return VERIFY_STAT_OK, VERIFY_STAT_FAIL (the service could
 *	not be reached or did not answer within $ipc_timeout, after one
 *	retry on a new connection) or VERIFY_STAT_BAD (the service refused
 *	the request: a malformed address or status). The connection stays
 *	open between requests.
 *
 *	verify_clnt_status_name() is the name of an addr_status for
 *	diagnostics ("deliverable", "undeliverable", "in progress").
 *
 * DIAGNOSTICS
 *	Warnings: "problem talking to service <name>: <reason>" for each
 *	failed attempt; "verify service refused <request> for <address>:
 *	<reason>".
 */
#ifndef VERIFY_CLNT_H
#define VERIFY_CLNT_H

#include "sys_defs.h"
#include "vstring.h"

#define VERIFY_PROTO_NAME	"verify"
#define VERIFY_REQ_QUERY	"query"
#define VERIFY_REQ_UPDATE	"update"

#define VERIFY_ATTR_ADDRESS	"address"
#define VERIFY_ATTR_ADDR_STATUS	"addr_status"
#define VERIFY_ATTR_TEXT	"text"

/* An address's verification status (values on the wire and in the cache). */
#define VERIFY_ADDR_OK		0	/* deliverable */
#define VERIFY_ADDR_DEFER	1	/* undeliverable, temporary failure */
#define VERIFY_ADDR_BOUNCE	2	/* undeliverable */
#define VERIFY_ADDR_PENDING	3	/* probe sent, no answer yet */

/* Request results. */
#define VERIFY_STAT_OK		0
#define VERIFY_STAT_FAIL	(-1)
#define VERIFY_STAT_BAD		(-2)

/* Bounds of the protocol (both sides). */
#define VERIFY_ADDRESS_LIMIT	2048	/* bytes in an address */
#define VERIFY_TEXT_LIMIT	2048	/* bytes of text kept and sent */

extern int verify_clnt_query(const char *address, int *addr_status,
			             VSTRING *text);
extern int verify_clnt_update(const char *address, int addr_status,
			              const char *text);
extern const char *verify_clnt_status_name(int addr_status);

#endif
