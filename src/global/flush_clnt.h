/*
 * flush_clnt - client of the flush(8) fast flush service
 *
 * SYNOPSIS
 *	#include "flush_clnt.h"
 *
 *	int	flush_add(const char *site, const char *queue_id);
 *	int	flush_send_site(const char *site);
 *	int	flush_send_file(const char *queue_id);
 *	int	flush_refresh(void);
 *	int	flush_purge(void);
 *
 *	bool	flush_site_ok(const char *site);
 *	void	flush_init(void);
 *	int	flush_eligible(const char *site);
 *
 * DESCRIPTION
 *	Each function makes one request to flush(8) on
 *	public/$flush_service_name (docs/internals/protocols.md, section
 *	"flush") and returns its status, FLUSH_STAT_* of flush_proto.h:
 *	FLUSH_STAT_OK, FLUSH_STAT_BAD (invalid site or queue ID),
 *	FLUSH_STAT_DENY (the site is not in $fast_flush_domains), or
 *	FLUSH_STAT_FAIL (the service could not be reached, did not
 *	answer properly, or failed).
 *
 *	flush_add() records that the message queue_id has mail deferred
 *	for site (the domain of a deferred recipient). It answers
 *	FLUSH_STAT_DENY itself, without a connection, when
 *	$fast_flush_domains is empty or does not match the site (the
 *	list is built on first use and kept for the life of the process),
 *	so that deferrals for other destinations cost nothing.
 *
 *	flush_send_site() asks for delivery of the mail recorded for
 *	site (ETRN, postqueue -s); flush_send_file() for one deferred
 *	message (postqueue -i). flush_refresh() and flush_purge() ask
 *	for the maintenance of flush(8).
 *
 *	flush_add() and flush_send_site() answer FLUSH_STAT_BAD for a
 *	site that flush_site_ok() refuses, flush_add() and
 *	flush_send_file() for an invalid queue ID, and flush_send_site()
 *	FLUSH_STAT_DENY for a site outside $fast_flush_domains, all
 *	without a connection.
 *
 *	flush_site_ok() accepts what Postfix accepts as a site (ETRN,
 *	postqueue -s): a host name that valid_hostname() accepts, or an
 *	address literal "[IPv4 address]" or "[IPv6:IPv6 address]".
 *
 *	flush_eligible() tells whether $fast_flush_domains matches the
 *	site: FLUSH_STAT_OK, FLUSH_STAT_DENY (also when the parameter is
 *	empty, and for every address literal: Debian's Postfix 3.7 never
 *	matches one, whatever the list says), or FLUSH_STAT_FAIL after a
 *	table lookup error. The list is
 *	built on first use and kept for the life of the process;
 *	flush_init() builds it at once, for a process that is about to
 *	enter a chroot jail.
 *
 *	Connect, greeting, request and reply share one deadline of
 *	$ipc_timeout.
 *
 * DIAGNOSTICS
 *	Warnings, in Postfix's words where it has them: "connect to
 *	public/flush: <error>"; "flush service: <reason>" for a lost
 *	connection, a timeout, a malformed or refused reply;
 *	"fast_flush_domains: table lookup error for <site>".
 */
#ifndef FLUSH_CLNT_H
#define FLUSH_CLNT_H

#include "sys_defs.h"
#include "flush_proto.h"

extern bool flush_site_ok(const char *site);
extern void flush_init(void);
extern int flush_eligible(const char *site);
extern int flush_add(const char *site, const char *queue_id);
extern int flush_send_site(const char *site);
extern int flush_send_file(const char *queue_id);
extern int flush_refresh(void);
extern int flush_purge(void);

#endif
