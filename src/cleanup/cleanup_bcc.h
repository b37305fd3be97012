/*
 * cleanup_bcc - automatic BCC recipients for cleanup(8)
 *
 * SYNOPSIS
 *	#include "cleanup_maps.h"
 *
 *	const char *cleanup_bcc_always(CLEANUP_MAPS *cm);
 *	int	cleanup_bcc_sender(CLEANUP_MAPS *cm, const char *sender,
 *				   VSTRING *bcc, VSTRING *why);
 *	int	cleanup_bcc_recipient(CLEANUP_MAPS *cm, const char *rcpt,
 *				      VSTRING *bcc, VSTRING *why);
 *
 * DESCRIPTION
 *	These functions find the automatic BCC addresses. The daemon asks
 *	only for new mail (CLEANUP_FLAG_BCC_OK) and adds each BCC address
 *	found as an envelope recipient with NOTIFY=NONE, like any other
 *	recipient (recipient canonical mapping and virtual alias
 *	expansion apply to it; duplicates are dropped there).
 *
 *	cleanup_bcc_always() returns the always_bcc address, or NULL.
 *
 *	cleanup_bcc_sender() looks up the (already canonicalized) envelope
 *	sender in sender_bcc_maps; cleanup_bcc_recipient() looks up one
 *	(canonicalized, before virtual alias expansion) envelope recipient
 *	in recipient_bcc_maps. The search order is that of canonical(5)
 *	("user+ext@domain", "user@domain", local-only "user+ext", "user",
 *	"@domain"). The null sender is not looked up. The value is one
 *	address (multiple results are not supported: the value is taken
 *	whole, as Postfix does), stored in bcc. The result is
 *	CLEANUP_MAP_FOUND, CLEANUP_MAP_NONE, or CLEANUP_MAP_RETRY when a
 *	table failed (why: "4.3.0 queue file write error"; logged:
 *	"<qid>: <title> map lookup problem -- message not accepted, try
 *	again later").
 *
 * DIAGNOSTICS
 *	Warnings from maps(3).
 */
#ifndef CLEANUP_BCC_H
#define CLEANUP_BCC_H

extern const char *cleanup_bcc_always(CLEANUP_MAPS *cm);
extern int cleanup_bcc_sender(CLEANUP_MAPS *cm, const char *sender,
			              VSTRING *bcc, VSTRING *why);
extern int cleanup_bcc_recipient(CLEANUP_MAPS *cm, const char *rcpt,
				         VSTRING *bcc, VSTRING *why);

#endif
