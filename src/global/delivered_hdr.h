/*
 * delivered_hdr - the Delivered-To: headers of a queued message
 *
 * SYNOPSIS
 *	#include "delivered_hdr.h"
 *
 *	DELIVERED_HDR *delivered_hdr_init(VSTREAM *fp, off_t offset,
 *				size_t limit);
 *	bool	delivered_hdr_find(DELIVERED_HDR *info, const char *address);
 *	void	delivered_hdr_free(DELIVERED_HDR *info);
 *
 * DESCRIPTION
 *	Delivery agents that prepend "Delivered-To: recipient" (local,
 *	virtual, pipe with flags=D) refuse to deliver a message that
 *	already has that header with the same address: the mail is
 *	looping (RFC 5321 section 6.3 leaves the method to the MTA;
 *	this is Postfix's).
 *
 *	delivered_hdr_init() reads the primary message header of the
 *	queue file fp, starting with the record at offset (the M record
 *	of the content; docs/internals/queue-file.md), and remembers the
 *	values of its Delivered-To: headers, folded to lower case and
 *	without surrounding whitespace. It reads at most limit bytes of
 *	header text (the caller passes $header_size_limit) and stops at
 *	the empty line, at the end of the content, or at a damaged
 *	record (a warning: what was read so far is kept). The stream's
 *	position afterwards is undefined.
 *
 *	delivered_hdr_find() tells whether address (any case, in the form
 *	that a Delivered-To: header shows: quote_822_local(3) of the
 *	internal form) was among those values.
 *
 * DIAGNOSTICS
 *	Warning: "<queue file>: <record error> while reading message
 *	headers".
 */
#ifndef DELIVERED_HDR_H
#define DELIVERED_HDR_H

#include "sys_defs.h"
#include <sys/types.h>
#include "vstream.h"

typedef struct DELIVERED_HDR DELIVERED_HDR;

extern DELIVERED_HDR *delivered_hdr_init(VSTREAM *fp, off_t offset,
					         size_t limit);
extern bool delivered_hdr_find(DELIVERED_HDR *info, const char *address);
extern void delivered_hdr_free(DELIVERED_HDR *info);

#endif
