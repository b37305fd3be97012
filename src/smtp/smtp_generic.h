/*
 * smtp_generic - smtp_generic_maps for the client's headers and envelope
 *
 * SYNOPSIS
 *	#include "smtp_generic.h"
 *
 *	bool	smtp_generic_active(void);
 *	int	smtp_generic_address(const char *queue_id, VSTRING *addr);
 *	int	smtp_generic_header(const char *queue_id,
 *				const HEADER_OPTS *opts, const char *text,
 *				size_t len, VSTRING *result);
 *	void	smtp_generic_reset(void);
 *
 *	const char *smtp_map_envelope(SMTP_STATE *state, const char *addr,
 *				VSTRING *buf);		(smtp_content.h)
 *	const char *smtp_quote_envelope(const char *addr, VSTRING *buf);
 *
 * DESCRIPTION
 *	generic(5) address mapping in smtp(8) and lmtp(8)
 *	(smtp_generic_maps or lmtp_generic_maps), with the search order,
 *	"@domain" results, propagate_unmatched_extensions ("generic")
 *	and result rewriting of canonical(5), whose code it shares
 *	(cleanup_canon_map() of cleanup(8)'s table library). The tables
 *	are opened on first use, once per process.
 *
 *	smtp_generic_active() tells whether a table is configured.
 *	smtp_generic_address() maps one internal-form address in place:
 *	1 changed, 0 unchanged. smtp_generic_header() maps the addresses of one
 *	logical header (text, len bytes, folding kept) when opts says
 *	it is an address header that Postfix's client rewrites (observed
 *	with Debian's Postfix 3.7: From, Sender, Reply-To, Errors-To,
 *	Return-Receipt-To, To, Cc, Bcc, Apparently-To, the Resent-
 *	forms and Disposition-Notification-To; not Delivered-To or
 *	X-Original-To), into result: 1 changed, 0 unchanged. Only the
 *	primary headers are rewritten; the caller
 *	decides that. smtp_generic_reset() closes the tables (tests).
 *
 *	smtp_map_envelope() and smtp_quote_envelope() are described in
 *	smtp_content.h.
 *
 * DIAGNOSTICS
 *	A failing table is fatal, as in Postfix 3.7 (observed: "fatal:
 *	smtp_generic_maps map lookup problem for <address>"): the process
 *	exits, qmgr(8) defers the message and retries later.
 */
#ifndef SMTP_GENERIC_H
#define SMTP_GENERIC_H

#include "sys_defs.h"
#include "vstring.h"
#include "header_opts.h"

extern bool smtp_generic_active(void);
extern int smtp_generic_address(const char *queue_id, VSTRING *addr);
extern int smtp_generic_header(const char *queue_id, const HEADER_OPTS *opts,
			               const char *text, size_t len,
			               VSTRING *result);
extern void smtp_generic_reset(void);

#endif
