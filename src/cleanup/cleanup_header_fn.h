/*
 * cleanup_header_fn - pure helpers of cleanup(8) header processing
 *
 * SYNOPSIS
 *	#include "cleanup_header_fn.h"
 *
 *	size_t	cleanup_header_name_len(const char *text, size_t len);
 *	const CLEANUP_HDR_INFO *cleanup_header_info(const char *text,
 *				size_t len);
 *	const char *cleanup_header_value(const char *text, size_t len,
 *				size_t *value_len);
 *
 *	bool	cleanup_chars_strip(VSTRING *line, const char *set,
 *				size_t set_len);
 *	bool	cleanup_chars_find(const char *text, size_t len,
 *				const char *set, size_t set_len);
 *	bool	cleanup_chars_stray_cr_lf(VSTRING *line);
 *
 *	VSTRING	*cleanup_header_date(VSTRING *buf, time_t when);
 *	VSTRING	*cleanup_header_msgid(VSTRING *buf, time_t when,
 *				const char *queue_id, const char *hostname);
 *	VSTRING	*cleanup_header_from(VSTRING *buf, const char *name,
 *				const char *sender_external, bool obsolete);
 *	bool	cleanup_header_in_list(const char *name, size_t len,
 *				const char *list);
 *
 * DESCRIPTION
 *	These functions know RFC 5322 header syntax and Postfix's choices
 *	for generated headers; they keep no state and log nothing, so that
 *	unit tests can drive them (tests/unit/test_cleanup_header_fn.c).
 *
 *	cleanup_header_name_len() returns the length of the header name
 *	when text (len bytes, the first line of a header) starts with a
 *	header name (printable ASCII other than ':') followed by optional
 *	blanks and ':'; 0 otherwise.
 *
 *	cleanup_header_info() looks the header name of text up in the
 *	table of headers that cleanup treats specially (case-insensitive)
 *	and returns its entry, or NULL.
 *
 *	cleanup_header_value() returns a pointer to the value after the
 *	':' and its leading blanks, and its length in value_len; NULL when
 *	text is not a header.
 *
 *	cleanup_chars_strip() removes every byte of set (set_len bytes,
 *	null bytes included) from line and tells whether it removed
 *	anything. cleanup_chars_find() tells whether text has a byte of
 *	set. cleanup_chars_stray_cr_lf()
 *	replaces each CR and LF in line by a space and tells whether
 *	there was one (cleanup_replace_stray_cr_lf).
 *
 *	cleanup_header_date() formats when as a Date: value in local
 *	time: "Sat,  5 Dec 2026 00:23:41 +0000 (UTC)".
 *	cleanup_header_msgid() formats a Message-Id: value from the
 *	arrival time (UTC), queue ID and host name:
 *	"<20261205002341.3F2A1B7E4@host.example>".
 *	cleanup_header_from() formats a From: value: "name <address>"
 *	(standard; the name quoted when it has specials) or "address
 *	(name)" (obsolete), or the address alone when name is NULL or
 *	empty. The address must be in external form.
 *
 *	cleanup_header_in_list() tells whether a header name (name, len)
 *	is in a comma/space-separated list such as message_drop_headers,
 *	ignoring case.
 */
#ifndef CLEANUP_HEADER_FN_H
#define CLEANUP_HEADER_FN_H

#include "sys_defs.h"
#include <time.h>
#include "vstring.h"

/* Header kinds. */
#define CLEANUP_HK_OTHER	0
#define CLEANUP_HK_FROM		1
#define CLEANUP_HK_SENDER	2
#define CLEANUP_HK_REPLY_TO	3
#define CLEANUP_HK_TO		4
#define CLEANUP_HK_CC		5
#define CLEANUP_HK_BCC		6
#define CLEANUP_HK_DATE		7
#define CLEANUP_HK_MSGID	8
#define CLEANUP_HK_RECEIVED	9
#define CLEANUP_HK_RETURN_PATH	10
#define CLEANUP_HK_ERRORS_TO	11
#define CLEANUP_HK_RR_TO	12	/* Return-Receipt-To */
#define CLEANUP_HK_DN_TO	13	/* Disposition-Notification-To */
#define CLEANUP_HK_CONTENT_LENGTH 14
#define CLEANUP_HK_CTE		15	/* Content-Transfer-Encoding */
#define CLEANUP_HK_MIME_VERSION	16
#define CLEANUP_HK_CONTENT_TYPE	17

/* Flags of a known header. */
#define CLEANUP_HF_SENDER	(1<<0)	/* header_sender address class */
#define CLEANUP_HF_RCPT		(1<<1)	/* header_recipient address class */
#define CLEANUP_HF_RESENT	(1<<2)	/* a Resent- header */
#define CLEANUP_HF_EXTRACT	(1<<3)	/* sendmail -t takes recipients */

typedef struct CLEANUP_HDR_INFO {
    const char *name;			/* canonical spelling */
    int     kind;			/* CLEANUP_HK_* */
    int     flags;			/* CLEANUP_HF_* */
} CLEANUP_HDR_INFO;

extern size_t cleanup_header_name_len(const char *text, size_t len);
extern const CLEANUP_HDR_INFO *cleanup_header_info(const char *text,
						           size_t len);
extern const char *cleanup_header_value(const char *text, size_t len,
					        size_t *value_len);
extern bool cleanup_chars_strip(VSTRING *line, const char *set,
				        size_t set_len);
extern bool cleanup_chars_find(const char *text, size_t len, const char *set,
			               size_t set_len);
extern bool cleanup_chars_stray_cr_lf(VSTRING *line);
extern VSTRING *cleanup_header_date(VSTRING *buf, time_t when);
extern VSTRING *cleanup_header_msgid(VSTRING *buf, time_t when,
				             const char *queue_id,
				             const char *hostname);
extern VSTRING *cleanup_header_from(VSTRING *buf, const char *name,
				            const char *sender_external,
				            bool obsolete);
extern bool cleanup_header_in_list(const char *name, size_t len,
				           const char *list);

#endif
