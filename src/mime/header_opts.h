/*
 * header_opts - the message headers that the mail system knows by name
 *
 * SYNOPSIS
 *	#include "header_opts.h"
 *
 *	const HEADER_OPTS *header_opts_find(const char *name, size_t len);
 *	const HEADER_OPTS *header_opts_find_line(const char *line,
 *				size_t len);
 *	const HEADER_OPTS *header_opts_by_id(int id);
 *	bool	header_opts_is_mime(const char *name, size_t len);
 *
 * DESCRIPTION
 *	One table lists the message headers that cleanup(8), the
 *	delivery agents and the MIME processor treat specially, each
 *	with a constant id (HDR_*) and a set of flags (HDR_OPT_*).
 *	Names compare case-insensitively (RFC 5322 section 1.2.2).
 *
 *	header_opts_find() looks up the field name of len bytes at name
 *	(without the colon) and returns its table entry, or NULL for a
 *	header that the table does not list. header_opts_find_line()
 *	does the same for the name at the start of a header line (it
 *	uses is_header_buf(), so the obsolete "Name :" form works) and
 *	returns NULL also when the line does not start a header.
 *	header_opts_by_id() returns the entry of an id, or NULL.
 *
 *	header_opts_is_mime() tells whether a field name is a MIME
 *	header: "MIME-Version" or any name that starts with "Content-"
 *	(RFC 2045 sections 4 and 9), listed in the table or not. These
 *	are the headers that mime_header_checks inspect.
 *
 *	The flags:
 *
 *	HDR_OPT_SENDER	an originator address header (From, Sender,
 *			Reply-To, Errors-To, Return-Receipt-To and the
 *			Resent- forms of the first three).
 *	HDR_OPT_RECIP	a recipient address header (To, Cc, Bcc,
 *			Apparently-To, Resent-To, Resent-Cc, Resent-Bcc).
 *	HDR_OPT_EXTRACT	recipients may be taken from it (sendmail -t).
 *	HDR_OPT_RESENT	a Resent- header (RFC 5322 section 3.6.6).
 *	HDR_OPT_DROP	cleanup(8) removes it from the message (Bcc,
 *			Content-Length, Return-Path), after the header
 *			checks saw it.
 *	HDR_OPT_MIME	a MIME header (see header_opts_is_mime()).
 *	HDR_OPT_ADDRESS	the value is a list of addresses (the union of
 *			HDR_OPT_SENDER and HDR_OPT_RECIP plus
 *			Delivered-To, X-Original-To, Return-Path,
 *			Disposition-Notification-To).
 *
 *	This module only names headers; it does not parse values, and
 *	it does not decide which header checks apply (mime_state(3)
 *	gives each header its class).
 *
 * DIAGNOSTICS
 *	None.
 */
#ifndef HEADER_OPTS_H
#define HEADER_OPTS_H

#include "sys_defs.h"

typedef struct HEADER_OPTS {
    const char *name;			/* canonical spelling */
    int     id;				/* HDR_* */
    int     flags;			/* HDR_OPT_* */
} HEADER_OPTS;

/* Header ids; stable within one build only (do not store them). */
#define HDR_APPARENTLY_TO		1
#define HDR_BCC				2
#define HDR_CC				3
#define HDR_CONTENT_DESCRIPTION		4
#define HDR_CONTENT_DISPOSITION		5
#define HDR_CONTENT_ID			6
#define HDR_CONTENT_LENGTH		7
#define HDR_CONTENT_TRANSFER_ENCODING	8
#define HDR_CONTENT_TYPE		9
#define HDR_DATE			10
#define HDR_DELIVERED_TO		11
#define HDR_DISPOSITION_NOTIFICATION_TO	12
#define HDR_ERRORS_TO			13
#define HDR_FROM			14
#define HDR_MESSAGE_ID			15
#define HDR_MIME_VERSION		16
#define HDR_RECEIVED			17
#define HDR_REPLY_TO			18
#define HDR_RESENT_BCC			19
#define HDR_RESENT_CC			20
#define HDR_RESENT_DATE			21
#define HDR_RESENT_FROM			22
#define HDR_RESENT_MESSAGE_ID		23
#define HDR_RESENT_REPLY_TO		24
#define HDR_RESENT_SENDER		25
#define HDR_RESENT_TO			26
#define HDR_RETURN_PATH			27
#define HDR_RETURN_RECEIPT_TO		28
#define HDR_SENDER			29
#define HDR_SUBJECT			30
#define HDR_TO				31
#define HDR_X_ORIGINAL_TO		32
#define HDR_IN_REPLY_TO			33
#define HDR_REFERENCES			34
#define HDR_AUTO_SUBMITTED		35
#define HDR_PRECEDENCE			36
#define HDR_LIST_ID			37
#define HDR_MAX_ID			37

#define HDR_OPT_SENDER		(1<<0)
#define HDR_OPT_RECIP		(1<<1)
#define HDR_OPT_EXTRACT		(1<<2)
#define HDR_OPT_RESENT		(1<<3)
#define HDR_OPT_DROP		(1<<4)
#define HDR_OPT_MIME		(1<<5)
#define HDR_OPT_ADDRESS		(1<<6)

extern const HEADER_OPTS *header_opts_find(const char *name, size_t len);
extern const HEADER_OPTS *header_opts_find_line(const char *line, size_t len);
extern const HEADER_OPTS *header_opts_by_id(int id);
extern bool header_opts_is_mime(const char *name, size_t len);

#endif
